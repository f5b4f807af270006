// SPDX-License-Identifier: GPL-2.0
/*
 * What peers send. Whatever a transport hands in was sent by a domain we
 * do not trust: it is decoded and checked (proto/wire.c), then checked
 * again against our state by the handler (export.c, import.c); what fails
 * is dropped and counted, never acted on.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "hdmabuf.h"
#include "peer.h"
#include "rogue.h"
#include "transport.h"

/* Whether @id names an export of the domain @domid sent from. */
static bool exported_by(u32 domid, const struct hyper_dmabuf_id *id)
{
	return hdmabuf_id_exporter(id) == domid;
}

static int hello(u32 domid, const struct hdmabuf_msg *req)
{
	struct hdmabuf_msg msg = { 0 };

	if (req->ver_min > HDMABUF_WIRE_VERSION) {
		hdmabuf_refused(HDMABUF_REFUSED_VERSION);
		hdmabuf_peer_reply(domid, req, &msg, -EPROTONOSUPPORT);
		return 0;
	}
	msg.ver_min = HDMABUF_WIRE_VERSION;
	msg.ver_max = HDMABUF_WIRE_VERSION;
	hdmabuf_peer_reply(domid, req, &msg, 0);
	return 0;
}

/*
 * An offer from another domain is for every opener here: that domain
 * chose to offer it to this one. This domain's own (the loopback's) is
 * for the user who made it, like every event about an export of ours.
 */
/*
 * Offers of one peer: each is an OFFERED event for every opener here, so
 * a peer may make four seconds' worth at once, then offers_per_sec; past
 * that they are refused and it floods nobody. A peer's count goes with it
 * (hdmabuf_peer_down).
 */
static unsigned int offers_per_sec = 256;
module_param(offers_per_sec, uint, 0644);
MODULE_PARM_DESC(offers_per_sec, "Offers one peer may make a second, four times as many at once");

struct offer_rate {
	unsigned long at;		/* jiffies: tokens were last added */
	unsigned int tokens;
};

/* domid -> struct offer_rate; entries are used under the xarray's lock */
static DEFINE_XARRAY(offer_rates);

static bool offer_allowed(u32 domid)
{
	unsigned long rate = clamp_val(READ_ONCE(offers_per_sec), 1, 1U << 20);
	unsigned long add;
	struct offer_rate *r, *new = NULL;
	bool ok = false;

	/* a peer's first offer: its entry is made outside the lock */
	if (!xa_load(&offer_rates, domid))
		new = kzalloc(sizeof(*new), GFP_KERNEL);
	xa_lock(&offer_rates);
	r = xa_load(&offer_rates, domid);
	if (!r && new) {
		new->at = jiffies;
		new->tokens = 4 * rate;
		if (!xa_err(__xa_store(&offer_rates, domid, new, GFP_ATOMIC))) {
			r = new;
			new = NULL;
		}
	}
	if (r) {
		add = (jiffies - r->at) * rate / HZ;
		if (add)
			r->at = jiffies;
		r->tokens = min(4 * rate, r->tokens + add);
		ok = r->tokens > 0;
		r->tokens -= ok;
	}
	xa_unlock(&offer_rates);
	kfree(new);
	return ok;
}

static int offered(u32 domid, const struct hyper_dmabuf_id *id)
{
	struct hdmabuf_audience to = { .all = true };
	kuid_t owner;

	if (!offer_allowed(domid)) {
		hdmabuf_refused(HDMABUF_REFUSED_FLOOD);
		return -EBUSY;
	}

	if (domid == HYPER_DMABUF_DOMID_SELF) {
		to.all = false;
		/* gone already: only administrators hear of it */
		if (!hdmabuf_export_owner(id, &owner))
			to.owner = &owner;
	}
	hdmabuf_event_post(&to, HYPER_DMABUF_EVENT_OFFERED, domid, id, 0);
	return 0;
}

/* A request of the peer's we refuse: what kind of wrong it is. */
static void refused_request(int err)
{
	switch (err) {
	case -ENOENT:
	case -EPERM:
		hdmabuf_refused(HDMABUF_REFUSED_UNKNOWN);
		break;
	case -EEXIST:
		hdmabuf_refused(HDMABUF_REFUSED_REPLAY);
		break;
	case -EDQUOT:
		hdmabuf_refused(HDMABUF_REFUSED_QUOTA);
		break;
	}
}

static int dispatch(u32 domid, struct hdmabuf_msg *msg)
{
	struct hdmabuf_msg out = { 0 };
	int ret;

	if (msg->flags & HDMABUF_MSG_REPLY) {
		ret = hdmabuf_peer_complete(domid, msg);
		if (ret)
			hdmabuf_refused(HDMABUF_REFUSED_UNSOLICITED);
		return ret;
	}

	switch (msg->type) {
	case HDMABUF_MSG_HELLO:
		return hello(domid, msg);
	case HDMABUF_MSG_IMPORT:
		ret = hdmabuf_export_serve(domid, msg, &out);
		refused_request(ret);
		hdmabuf_peer_reply(domid, msg, &out, ret);
		return 0;
	case HDMABUF_MSG_SIGNAL:
		ret = hdmabuf_export_peer_signal(domid, &msg->id, msg->value);
		refused_request(ret);
		hdmabuf_peer_reply(domid, msg, &out, ret);
		return 0;
	case HDMABUF_MSG_RELEASE:
		ret = hdmabuf_export_release(domid, &msg->id, msg->token);
		refused_request(ret);
		return ret;
	}
	/* notices about an export: only its exporter sends them */
	if (!exported_by(domid, &msg->id)) {
		hdmabuf_refused(HDMABUF_REFUSED_NOT_OWNER);
		return -EPERM;
	}
	switch (msg->type) {
	case HDMABUF_MSG_OFFER:
		return offered(domid, &msg->id);
	case HDMABUF_MSG_REVOKE:
		return hdmabuf_imports_revoke(domid, &msg->id);
	case HDMABUF_MSG_SIGNALLED:
		return hdmabuf_imports_signalled(domid, &msg->id, msg->value);
	}
	hdmabuf_refused(HDMABUF_REFUSED_MALFORMED);
	return -EBADMSG;
}

static const struct hdmabuf_audience everyone = { .all = true };

void hdmabuf_peer_up(u32 domid)
{
	static const struct hyper_dmabuf_id none;

	hdmabuf_event_post(&everyone, HYPER_DMABUF_EVENT_PEER_UP, domid, &none,
			   0);
}

void hdmabuf_peer_down(u32 domid)
{
	static const struct hyper_dmabuf_id none;

	hdmabuf_peer_cancel(domid);
	kfree(xa_erase(&offer_rates, domid));
	hdmabuf_imports_peer_down(domid);
	hdmabuf_exports_peer_down(domid);
	hdmabuf_event_post(&everyone, HYPER_DMABUF_EVENT_PEER_DOWN, domid,
			   &none, 0);
}

int hdmabuf_peer_receive(u32 domid, const void *buf, size_t len)
{
	struct hdmabuf_msg msg;
	int ret;

	atomic_long_inc(&hdmabuf_stats.msgs_received);
	ret = hdmabuf_wire_decode(buf, len, &msg);
	if (ret)
		hdmabuf_refused(HDMABUF_REFUSED_MALFORMED);
	else if (!hdmabuf_rogue_takes(domid, &msg))
		ret = dispatch(domid, &msg);
	if (ret) {
		atomic_long_inc(&hdmabuf_stats.msgs_dropped);
		pr_debug("message %s from domain %u dropped: %d\n",
			 ret == -EBADMSG ? "?" : hdmabuf_wire_type_name(msg.type),
			 domid, ret);
	}
	return ret;
}

/* Once no transport is left to call in. */
void hdmabuf_receive_exit(void)
{
	struct offer_rate *r;
	unsigned long domid;

	xa_for_each(&offer_rates, domid, r)
		kfree(r);
	xa_destroy(&offer_rates);
}
