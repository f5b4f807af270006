/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Talking to peers, in proto/wire.h's messages: peer.c sends notices and
 * requests that wait for their reply; receive.c takes what arrives (from
 * the transports: transport.h) and hands it to export.c and import.c.
 */
#ifndef HDMABUF_PEER_H
#define HDMABUF_PEER_H

#include <linux/types.h>

#include "../proto/wire.h"

/* Send a notice (a message without reply) to @domid. */
int hdmabuf_peer_notify(u32 domid, struct hdmabuf_msg *msg);
/*
 * Send request @msg to @domid and sleep until its reply is in @reply:
 * 0, or -ETIMEDOUT, -EINTR (killed), an error of the transport, or the
 * reply's own status.
 */
int hdmabuf_peer_call(u32 domid, struct hdmabuf_msg *msg,
		      struct hdmabuf_msg *reply);

/* The request @msg answers takes it and wakes up; -ENOENT: none asked. */
int hdmabuf_peer_complete(u32 domid, const struct hdmabuf_msg *msg);
/* Answer request @req of @domid with @msg and @status. */
void hdmabuf_peer_reply(u32 domid, const struct hdmabuf_msg *req,
			struct hdmabuf_msg *msg, int status);
/* Every request waiting on @domid fails with -ENOTCONN: it went away. */
void hdmabuf_peer_cancel(u32 domid);

/* What receive.c keeps of peers goes, once no transport calls in. */
void hdmabuf_receive_exit(void);

#endif /* HDMABUF_PEER_H */
