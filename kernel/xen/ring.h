/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The rings of a channel between two domains. Each side owns one page,
 * the ring of what it sends: it puts messages there as requests, and the
 * peer answers each with a response once it has copied it out, which
 * frees the slot. One event channel signals both rings.
 */
#ifndef HDMABUF_XEN_RING_H
#define HDMABUF_XEN_RING_H

#include <linux/types.h>
#include <xen/interface/io/ring.h>

#include "../proto/wire.h"

struct hdmabuf_xreq {
	u32 len;		/* bytes of data that are the message */
	u32 seq;		/* the sender's count, echoed in the response */
	u8 data[HDMABUF_WIRE_MAX];
};

struct hdmabuf_xrsp {
	u32 seq;
	u32 reserved;
};

DEFINE_RING_TYPES(hdmabuf_xring, struct hdmabuf_xreq, struct hdmabuf_xrsp);

#endif /* HDMABUF_XEN_RING_H */
