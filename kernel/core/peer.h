/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Talking to peers: notices, requests that wait for their reply, and the
 * dispatch of what arrives. Messages are proto/wire.h's.
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

/* What the core keeps of peers goes, once no transport calls in. */
void hdmabuf_peer_exit(void);

#endif /* HDMABUF_PEER_H */
