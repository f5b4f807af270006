/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The messages peers exchange, defined once. A message travels as bytes
 * (little-endian, no padding) and is used as a struct hdmabuf_msg; the
 * decoder checks every field a peer could get wrong, so what it accepts
 * is well-formed. Whether it makes sense (the id exists, the sender may
 * ask) is the core's business.
 *
 * Plain C with no kernel dependency beyond a few types, so the same file
 * builds on the host for unit tests and fuzzing (tests/proto/wire-host.h).
 */
#ifndef HDMABUF_WIRE_H
#define HDMABUF_WIRE_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include "wire-host.h"
#endif
#include <linux/hyper_dmabuf.h>

#define HDMABUF_WIRE_MAGIC	0x4844	/* "HD" */
#define HDMABUF_WIRE_VERSION	1
#define HDMABUF_WIRE_HDR_LEN	16
/*
 * No message is longer (the longest, an IMPORT reply with a full blob, is
 * 432 bytes): a transport may size its slots by this.
 */
#define HDMABUF_WIRE_MAX	440

enum hdmabuf_msg_type {
	/* request: versions spoken; reply: the version chosen */
	HDMABUF_MSG_HELLO = 1,
	/* notice: an export is offered to the receiver */
	HDMABUF_MSG_OFFER,
	/* request: map an export; reply: where its pages are */
	HDMABUF_MSG_IMPORT,
	/* notice: the import named by token is gone */
	HDMABUF_MSG_RELEASE,
	/* notice: the exporter took the export back */
	HDMABUF_MSG_REVOKE,
	/* request: advance the export's timeline (importer to exporter) */
	HDMABUF_MSG_SIGNAL,
	/* notice: the export's timeline moved (exporter to importers) */
	HDMABUF_MSG_SIGNALLED,
	HDMABUF_MSG_TYPE_END
};

/* hdmabuf_msg.flags */
#define HDMABUF_MSG_REPLY	0x1U

/*
 * A decoded message. Which fields count depends on the type; the rest are
 * zero after decoding and ignored by the encoder.
 */
struct hdmabuf_msg {
	u8 type;
	u8 flags;
	/* requests and their replies: the requester's number; notices: 0 */
	u32 req;
	/* replies: 0 or a negative errno */
	s32 status;
	struct hyper_dmabuf_id id;	/* all but HELLO */
	u16 ver_min, ver_max;		/* HELLO */
	u64 token;			/* IMPORT request, RELEASE */
	/* SIGNAL request, SIGNALLED; IMPORT reply: the timeline now */
	u64 value;
	/* OFFER; IMPORT reply with status 0 */
	u64 size;
	u32 export_flags;		/* HYPER_DMABUF_EXPORT_* */
	/* IMPORT reply with status 0 */
	u64 npages;
	u64 handle;			/* the transport's name for the pages */
	bool has_meta;
	struct hyper_dmabuf_meta meta;
};

/* Bytes of @msg into @buf: the length, or -EINVAL, -ENOSPC. */
int hdmabuf_wire_encode(const struct hdmabuf_msg *msg, void *buf, size_t cap);
/* A message from @len bytes: 0, or -EBADMSG if it is not well-formed. */
int hdmabuf_wire_decode(const void *buf, size_t len, struct hdmabuf_msg *msg);
/* "IMPORT", or "?" for a type that does not exist. */
const char *hdmabuf_wire_type_name(unsigned int type);

#endif /* HDMABUF_WIRE_H */
