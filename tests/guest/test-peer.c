// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hdmabuf-test-peer: the module as seen by its peer. Shares on the
 * loopback transport travel as messages (kernel/proto/wire.c); this test
 * counts them, then plays a peer that misbehaves by writing messages of
 * its own into debugfs hyper_dmabuf/loopback_inject: malformed bytes,
 * replies nobody asked for, releases of imports that do not exist, ids of
 * other domains. Each must be dropped and counted without changing
 * anything; the well-formed ones must act as the protocol says.
 *
 * Usage: hdmabuf-test-peer [DEVICE]   (root, debugfs, module loaded)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "guest-test.h"
#include "wire.h"

#define DEBUGFS		"/sys/kernel/debug/hyper_dmabuf/"
#define MESSAGES_FILE	DEBUGFS "messages"
#define INJECT_FILE	DEBUGFS "loopback_inject"
#define SIZE		(64 * 1024)

struct msgs {
	long long sent, received, dropped;
};

static bool read_msgs(struct msgs *m)
{
	FILE *f = fopen(MESSAGES_FILE, "re");
	int n;

	if (!f)
		return false;
	n = fscanf(f, "sent %lld received %lld dropped %lld", &m->sent,
		   &m->received, &m->dropped);
	fclose(f);
	return n == 3;
}

/*
 * Since *@before: @sent more sent, @received more received, @dropped
 * more dropped. *@before moves on to now.
 */
static void expect_msgs(const char *name, struct msgs *before, long long sent,
			long long received, long long dropped)
{
	struct msgs now;

	if (!read_msgs(&now)) {
		check(name, false, "cannot read %s", MESSAGES_FILE);
		return;
	}
	check(name, now.sent - before->sent == sent &&
	      now.received - before->received == received &&
	      now.dropped - before->dropped == dropped,
	      "sent +%lld, received +%lld, dropped +%lld; expected +%lld, +%lld, +%lld",
	      now.sent - before->sent, now.received - before->received,
	      now.dropped - before->dropped, sent, received, dropped);
	*before = now;
}

/* Write @len bytes as one message of the loopback peer: 0 or an errno. */
static int inject_bytes(const void *buf, size_t len)
{
	int fd = open(INJECT_FILE, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int err;

	if (fd < 0)
		return errno;
	n = write(fd, buf, len);
	err = n < 0 ? errno : (size_t)n == len ? 0 : EIO;
	close(fd);
	return err;
}

static int inject(const struct hdmabuf_msg *msg)
{
	unsigned char buf[HDMABUF_WIRE_MAX];
	int len = hdmabuf_wire_encode(msg, buf, sizeof(buf));

	if (len < 0)
		return -len;
	return inject_bytes(buf, len);
}

/* QUERY: importers of @id, or -1 */
static long importers(int dev, const struct hyper_dmabuf_id *id)
{
	struct hyper_dmabuf_query q = { .id = *id };

	if (xioctl(dev, HYPER_DMABUF_IOCTL_QUERY, &q))
		return -1;
	return q.info.importers;
}

static __u64 timeline(int dev, const struct hyper_dmabuf_id *id)
{
	struct hyper_dmabuf_wait w = { .id = *id, .value = 0 };

	xioctl(dev, HYPER_DMABUF_IOCTL_WAIT, &w);
	return w.current_value;
}

/* A filled ALLOC buffer exported to this domain; false after "not ok". */
static bool new_export(int dev, const char *group,
		       struct hyper_dmabuf_export *e)
{
	struct buf buf;
	int ret;

	if (!new_filled_buf(dev, group, SIZE, 7, &buf))
		return false;
	*e = export_args(buf.fd, 0, NULL);
	ret = do_export(dev, e);
	close(buf.fd);
	if (ret)
		return setup_failed(group, "EXPORT: %s", strerror(ret));
	return true;
}

/* A share and its import are messages: OFFER, IMPORT and reply, RELEASE. */
static void test_counted(int dev)
{
	struct hyper_dmabuf_export e;
	struct hyper_dmabuf_import im;
	struct msgs m;
	struct why why = { "" };
	int ret;

	if (!read_msgs(&m)) {
		setup_failed("messages", "cannot read %s", MESSAGES_FILE);
		return;
	}
	if (!new_export(dev, "messages", &e))
		return;
	expect_msgs("EXPORT sends an OFFER to the peer", &m, 1, 1, 0);
	ret = import_id(dev, &e.id, NULL, &im);
	if (!check("IMPORT on the loopback transport", !ret, "%s",
		   strerror(ret)))
		return;
	expect_msgs("IMPORT is a request and its reply", &m, 2, 2, 0);
	check("the import reads the exporter's bytes",
	      verify_fd(im.fd, SIZE, 7, &why), "%s", why.text);
	close(im.fd);
	expect_msgs("the last close of the import sends a RELEASE", &m, 1, 1, 0);
	check("the export has no importer left", importers(dev, &e.id) == 0,
	      "importers %ld", importers(dev, &e.id));
	unexport_id(dev, &e.id, 0);
	expect_msgs("UNEXPORT sends nothing", &m, 0, 0, 0);
}

/* What no peer should send: dropped, counted, nothing changed. */
static void test_malformed(int dev)
{
	unsigned char junk[HDMABUF_WIRE_MAX + 1];
	struct hdmabuf_msg msg = {
		.type = HDMABUF_MSG_IMPORT,
		.flags = HDMABUF_MSG_REPLY,
		.req = 0x7fffffff,
		.status = -ENOENT,
	};
	unsigned char buf[HDMABUF_WIRE_MAX];
	struct hyper_dmabuf_export e;
	struct msgs m;
	int len;

	if (!new_export(dev, "malformed", &e) || !read_msgs(&m))
		return;
	memset(junk, 0xa5, sizeof(junk));
	expect_errno("a message longer than any -> EMSGSIZE",
		     inject_bytes(junk, sizeof(junk)), EMSGSIZE);
	expect_msgs("the long one is not received", &m, 0, 0, 0);
	check("bytes that are no message are accepted by write",
	      !inject_bytes(junk, 64), "write failed");
	expect_msgs("bytes that are no message are dropped", &m, 0, 1, 1);

	msg.id = e.id;
	check("a reply to no request is written", !inject(&msg), "write failed");
	expect_msgs("a reply to no request is dropped", &m, 0, 1, 1);

	msg = (struct hdmabuf_msg){ .type = HDMABUF_MSG_IMPORT, .req = 1,
				    .id = e.id, .token = 1 };
	len = hdmabuf_wire_encode(&msg, buf, sizeof(buf));
	check("a truncated IMPORT is written", !inject_bytes(buf, len - 1),
	      "write failed");
	expect_msgs("a truncated IMPORT is dropped", &m, 0, 1, 1);
	check("... and imported nothing", importers(dev, &e.id) == 0,
	      "importers %ld", importers(dev, &e.id));

	msg = (struct hdmabuf_msg){ .type = HDMABUF_MSG_RELEASE, .id = e.id,
				    .token = 0xabcdef };
	inject(&msg);
	expect_msgs("a RELEASE of an import that does not exist is dropped",
		    &m, 0, 1, 1);

	msg = (struct hdmabuf_msg){ .type = HDMABUF_MSG_OFFER, .id = e.id,
				    .size = SIZE };
	msg.id.domid = e.id.domid == 5 ? 6 : 5;
	inject(&msg);
	expect_msgs("an OFFER of another domain's export is dropped", &m, 0, 1, 1);
	msg = (struct hdmabuf_msg){ .type = HDMABUF_MSG_REVOKE, .id = msg.id };
	inject(&msg);
	expect_msgs("a REVOKE of another domain's export is dropped", &m, 0, 1, 1);
	msg = (struct hdmabuf_msg){ .type = HDMABUF_MSG_REVOKE, .id = e.id };
	inject(&msg);
	expect_msgs("a REVOKE of an export nobody here imported is dropped",
		    &m, 0, 1, 1);
	msg = (struct hdmabuf_msg){ .type = HDMABUF_MSG_IMPORT, .req = 9,
				    .id = e.id, .token = 2 };
	msg.id.key[0] ^= 1;
	inject(&msg);
	/* refused: the reply (-EKEYREJECTED) comes back, and nobody waits */
	expect_msgs("an IMPORT with the wrong key is answered, imports nothing",
		    &m, 1, 2, 1);
	check("... the export still has no importer", importers(dev, &e.id) == 0,
	      "importers %ld", importers(dev, &e.id));
	unexport_id(dev, &e.id, 0);
}

/* Well-formed requests of the peer act, and only once. */
static void test_peer_requests(int dev)
{
	struct hdmabuf_msg msg = { .type = HDMABUF_MSG_IMPORT, .req = 3 };
	struct hyper_dmabuf_export e;
	struct hyper_dmabuf_import im;
	struct msgs m;
	void *p;
	int ret;

	if (!new_export(dev, "peer requests", &e) || !read_msgs(&m))
		return;
	msg.id = e.id;
	msg.token = 0x5eed;
	inject(&msg);
	/* the reply goes back to the loopback peer, where no one waits */
	expect_msgs("the peer's IMPORT is served", &m, 1, 2, 1);
	check("... and counts as an importer", importers(dev, &e.id) == 1,
	      "importers %ld", importers(dev, &e.id));
	inject(&msg);
	check("the same token again imports nothing more",
	      importers(dev, &e.id) == 1, "importers %ld",
	      importers(dev, &e.id));
	m = (struct msgs){ 0 };
	read_msgs(&m);

	msg = (struct hdmabuf_msg){ .type = HDMABUF_MSG_SIGNAL, .req = 4,
				    .id = e.id, .value = 12 };
	inject(&msg);
	check("the peer's SIGNAL moves the timeline", timeline(dev, &e.id) == 12,
	      "timeline at %llu", (unsigned long long)timeline(dev, &e.id));

	ret = import_id(dev, &e.id, NULL, &im);
	if (check("an IMPORT here beside the peer's", !ret, "%s", strerror(ret))) {
		p = mmap(NULL, SIZE, PROT_READ, MAP_SHARED, im.fd, 0);
		if (p != MAP_FAILED)
			munmap(p, SIZE);
		check("... maps", p != MAP_FAILED, "%s", strerror(errno));
		msg = (struct hdmabuf_msg){ .type = HDMABUF_MSG_REVOKE,
					    .id = e.id };
		inject(&msg);
		p = mmap(NULL, SIZE, PROT_READ, MAP_SHARED, im.fd, 0);
		check("the exporter's REVOKE ends the import's mappings",
		      p == MAP_FAILED && errno == ENODEV, "mmap: %s",
		      p == MAP_FAILED ? strerror(errno) : "succeeded");
		if (p != MAP_FAILED)
			munmap(p, SIZE);
		close(im.fd);
	}

	unexport_id(dev, &e.id, 0);
	msg = (struct hdmabuf_msg){ .type = HDMABUF_MSG_RELEASE, .id = e.id,
				    .token = 0x5eed };
	read_msgs(&m);
	inject(&msg);
	expect_msgs("the peer's RELEASE of an unexported buffer is taken",
		    &m, 0, 1, 0);
	check("... and the export is gone", importers(dev, &e.id) == -1,
	      "importers %ld", importers(dev, &e.id));
	inject(&msg);
	expect_msgs("a second RELEASE of the token is dropped", &m, 0, 1, 1);
}

int main(int argc, char **argv)
{
	const char *device = argc > 1 ? argv[1] : DEFAULT_DEVICE;
	struct hyper_dmabuf_caps caps;
	int dev;

	test_start(device);
	dev = open_device(device);
	get_caps(dev, &caps);
	print_counters();
	if (access(INJECT_FILE, W_OK)) {
		printf("not ok - %s: %s\n", INJECT_FILE, strerror(errno));
		return EXIT_FAILURE;
	}
	test_counted(dev);
	test_malformed(dev);
	test_peer_requests(dev);
	close(dev);
	check_counters();
	return test_summary();
}
