// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the messages between peers (kernel/proto/wire.c):
 * whatever bytes a peer sends, the decoder must not crash or read out of
 * bounds, and what it accepts must encode back to the very same bytes
 * (a field the decoder let through unchecked would show up as a change).
 *
 * Built with -DWIRE_SEEDS it is instead a program that writes one valid
 * message of each kind into a directory, the fuzzer's starting corpus.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

#ifndef WIRE_SEEDS

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char again[HDMABUF_WIRE_MAX];
	struct hdmabuf_msg msg;
	int len;

	if (hdmabuf_wire_decode(data, size, &msg))
		return 0;
	len = hdmabuf_wire_encode(&msg, again, sizeof(again));
	if (len < 0 || (size_t)len != size || memcmp(again, data, size)) {
		fprintf(stderr, "accepted %s of %zu bytes re-encodes as %d bytes\n",
			hdmabuf_wire_type_name(msg.type), size, len);
		abort();
	}
	return 0;
}

#else

static int write_seed(const char *dir, const char *name,
		      const struct hdmabuf_msg *msg)
{
	unsigned char buf[HDMABUF_WIRE_MAX];
	char path[4096];
	FILE *f;
	int len = hdmabuf_wire_encode(msg, buf, sizeof(buf));

	if (len < 0) {
		fprintf(stderr, "seed %s does not encode: %d\n", name, len);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != (size_t)len || fclose(f)) {
		perror(path);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct hyper_dmabuf_id id = {
		.domid = 1, .serial = 2, .key = { 3, 4 },
	};
	struct hdmabuf_msg m;
	int ret = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	m = (struct hdmabuf_msg){ .type = HDMABUF_MSG_HELLO, .req = 1,
				  .ver_min = 1, .ver_max = 1 };
	ret |= write_seed(argv[1], "hello", &m);
	m.flags = HDMABUF_MSG_REPLY;
	ret |= write_seed(argv[1], "hello-reply", &m);
	m = (struct hdmabuf_msg){ .type = HDMABUF_MSG_OFFER, .id = id,
				  .size = 4096 };
	ret |= write_seed(argv[1], "offer", &m);
	m = (struct hdmabuf_msg){ .type = HDMABUF_MSG_IMPORT, .req = 7,
				  .id = id, .token = 9 };
	ret |= write_seed(argv[1], "import", &m);
	m.flags = HDMABUF_MSG_REPLY;
	m.status = -2;
	ret |= write_seed(argv[1], "import-refused", &m);
	m.status = 0;
	m.token = 0;
	m.size = 8192;
	m.npages = 2;
	m.handle = 77;
	m.has_meta = true;
	m.meta.fourcc = 0x34325258;
	m.meta.width = 32;
	m.meta.height = 16;
	m.meta.num_planes = 1;
	m.meta.planes[0].stride = 128;
	strcpy(m.meta.name, "seed");
	m.meta.blob_len = 4;
	ret |= write_seed(argv[1], "import-reply", &m);
	m = (struct hdmabuf_msg){ .type = HDMABUF_MSG_RELEASE, .id = id,
				  .token = 9 };
	ret |= write_seed(argv[1], "release", &m);
	m = (struct hdmabuf_msg){ .type = HDMABUF_MSG_REVOKE, .id = id };
	ret |= write_seed(argv[1], "revoke", &m);
	m = (struct hdmabuf_msg){ .type = HDMABUF_MSG_SIGNAL, .req = 3,
				  .id = id, .value = 5 };
	ret |= write_seed(argv[1], "signal", &m);
	m = (struct hdmabuf_msg){ .type = HDMABUF_MSG_SIGNALLED, .id = id,
				  .value = 5 };
	ret |= write_seed(argv[1], "signalled", &m);
	return ret ? 1 : 0;
}

#endif
