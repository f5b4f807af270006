// SPDX-License-Identifier: GPL-2.0
/*
 * Messages to peers: notices, and requests that sleep until their reply
 * comes (receive.c hands it over) or the peer goes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "hdmabuf.h"
#include "peer.h"
#include "transport.h"

static unsigned int request_timeout_ms = 5000;
module_param(request_timeout_ms, uint, 0644);
MODULE_PARM_DESC(request_timeout_ms, "How long a request waits for its reply");

/* A request waiting for its reply. */
struct pending {
	struct list_head node;
	u32 domid;
	u8 type;
	u32 req;
	struct hdmabuf_msg *reply;
	struct completion done;
};

static LIST_HEAD(pendings);
static DEFINE_SPINLOCK(pendings_lock);
static atomic_t next_req = ATOMIC_INIT(0);

static int send(u32 domid, const struct hdmabuf_msg *msg)
{
	const struct hdmabuf_transport *t = hdmabuf_transport_for(domid);
	u8 buf[HDMABUF_WIRE_MAX];
	int len;

	if (!t)
		return -ENOTCONN;
	len = hdmabuf_wire_encode(msg, buf, sizeof(buf));
	if (WARN_ON_ONCE(len < 0))
		return len;
	atomic_long_inc(&hdmabuf_stats.msgs_sent);
	return t->send(domid, buf, len);
}

int hdmabuf_peer_notify(u32 domid, struct hdmabuf_msg *msg)
{
	msg->flags = 0;
	msg->req = 0;
	msg->status = 0;
	return send(domid, msg);
}

int hdmabuf_peer_call(u32 domid, struct hdmabuf_msg *msg,
		      struct hdmabuf_msg *reply)
{
	struct pending p = { .domid = domid, .type = msg->type, .reply = reply };
	unsigned long timeout;
	long left;
	int ret;

	/* 0 is no number: notices carry it */
	do {
		p.req = atomic_inc_return(&next_req);
	} while (!p.req);
	init_completion(&p.done);
	msg->flags = 0;
	msg->req = p.req;
	msg->status = 0;
	spin_lock(&pendings_lock);
	list_add_tail(&p.node, &pendings);
	spin_unlock(&pendings_lock);

	ret = send(domid, msg);
	if (!ret) {
		timeout = msecs_to_jiffies(request_timeout_ms);
		left = wait_for_completion_killable_timeout(&p.done, timeout);
		ret = left > 0 ? reply->status : left ? -EINTR : -ETIMEDOUT;
	}
	spin_lock(&pendings_lock);
	list_del(&p.node);
	spin_unlock(&pendings_lock);
	/* a reply that raced with the timeout is dropped with the request */
	return ret;
}

int hdmabuf_peer_complete(u32 domid, const struct hdmabuf_msg *msg)
{
	struct pending *p;
	int ret = -ENOENT;

	spin_lock(&pendings_lock);
	list_for_each_entry(p, &pendings, node) {
		if (p->domid != domid || p->req != msg->req ||
		    p->type != msg->type || completion_done(&p->done))
			continue;
		*p->reply = *msg;
		complete(&p->done);
		ret = 0;
		break;
	}
	spin_unlock(&pendings_lock);
	return ret;
}

void hdmabuf_peer_reply(u32 domid, const struct hdmabuf_msg *req,
			struct hdmabuf_msg *msg, int status)
{
	msg->type = req->type;
	msg->flags = HDMABUF_MSG_REPLY;
	msg->req = req->req;
	msg->status = status;
	if (!msg->id.domid && !msg->id.serial)
		msg->id = req->id;
	if (send(domid, msg))
		pr_warn_ratelimited("reply %s to domain %u not sent\n",
				    hdmabuf_wire_type_name(req->type), domid);
}

void hdmabuf_peer_cancel(u32 domid)
{
	struct pending *p;

	spin_lock(&pendings_lock);
	list_for_each_entry(p, &pendings, node) {
		if (p->domid != domid || completion_done(&p->done))
			continue;
		p->reply->status = -ENOTCONN;
		complete(&p->done);
	}
	spin_unlock(&pendings_lock);
}
