// SPDX-License-Identifier: GPL-2.0
/*
 * A channel's messages: sent on our ring, copied out of the peer's, and
 * handed to the core. Each side sends on the ring of its own page, and
 * the peer answers each message once it has copied it out, which frees
 * the slot; one event channel signals both rings. Messages are copied out
 * of the ring before they are looked at, and handed to the core in order,
 * each peer's from a work item of its own: a peer that floods us, or
 * never takes our answers (each send waits for ring room), stalls itself,
 * never another peer. A message still waiting when its peer goes is
 * dropped, never handled after the core has let go of that peer.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/interrupt.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <xen/events.h>

#include "hdmabuf.h"
#include "transport.h"
#include "channel.h"
#include "xen.h"

/* Messages of one peer copied out of its ring and not yet handled. */
#define INBOX_MAX	64
#define SEND_TIMEOUT	(5 * HZ)

/* A message waiting for the core. */
struct xmsg {
	struct list_head node;
	u32 epoch;			/* the channel's when it came */
	u32 len;
	u8 data[];
};

/* not ordered: each peer's work item keeps its own order */
static struct workqueue_struct *deliver_wq;

/* ---- receiving ------------------------------------------------------------ */

static void deliver(struct work_struct *work)
{
	struct xchan *ch = container_of(work, struct xchan, deliver_work);
	bool stalled;
	struct xmsg *msg;

	for (;;) {
		spin_lock(&ch->inbox_lock);
		msg = list_first_entry_or_null(&ch->inbox, struct xmsg, node);
		if (msg) {
			list_del(&msg->node);
			ch->inbox_len--;
		}
		stalled = !msg && ch->stalled;
		if (stalled)
			ch->stalled = false;
		spin_unlock(&ch->inbox_lock);
		if (!msg)
			break;
		mutex_lock(&ch->deliver_lock);
		/* from before a teardown: the core is done with that peer */
		if (msg->epoch != READ_ONCE(ch->epoch))
			hdmabuf_refused(HDMABUF_REFUSED_STALE);
		else if (hdmabuf_peer_receive(ch->peer, msg->data, msg->len))
			atomic_long_inc(&ch->bad);
		mutex_unlock(&ch->deliver_lock);
		kfree(msg);
	}
	/* caught up: what the peer sent meanwhile may come in */
	if (stalled)
		queue_work(system_highpri_wq, &ch->rx_work);
}

/*
 * Drop what the peer sent and the core has not handled, and wait for the
 * message being handled: after this, nothing of the peer reaches the core
 * until the channel is up again (teardown moved the epoch on, so what the
 * delivery takes meanwhile is dropped too). ch->lock not held (a handler
 * may send).
 */
void xchan_inbox_purge(struct xchan *ch)
{
	struct xmsg *msg, *next;
	LIST_HEAD(dropped);

	mutex_lock(&ch->deliver_lock);
	spin_lock(&ch->inbox_lock);
	list_splice_init(&ch->inbox, &dropped);
	ch->inbox_len = 0;
	ch->stalled = false;
	spin_unlock(&ch->inbox_lock);
	mutex_unlock(&ch->deliver_lock);
	list_for_each_entry_safe(msg, next, &dropped, node) {
		hdmabuf_refused(HDMABUF_REFUSED_STALE);
		kfree(msg);
	}
}

/* The peer broke the ring's rules: counted for PEERS and for the module. */
static void ring_refused(struct xchan *ch)
{
	atomic_long_inc(&ch->bad);
	hdmabuf_refused(HDMABUF_REFUSED_RING);
}

/*
 * Copy the peer's messages out of its ring and free their slots; take the
 * responses to ours, which frees room for our sends.
 */
static void xchan_rx(struct work_struct *work)
{
	struct xchan *ch = container_of(work, struct xchan, rx_work);
	unsigned int eoi = XEN_EOI_FLAG_SPURIOUS;
	struct hdmabuf_xreq req;
	struct hdmabuf_xrsp *rsp;
	struct xmsg *msg;
	RING_IDX rp;
	bool full = false;
	int notify, more;

	mutex_lock(&ch->lock);
	if (ch->state < XCHAN_CONNECTED)
		goto out;
	do {
		if (xchan_rogue_deaf())
			break;
		rp = READ_ONCE(ch->rx.sring->req_prod);
		/* pairs with the peer's barrier in RING_PUSH_REQUESTS */
		virt_rmb();
		if (RING_REQUEST_PROD_OVERFLOW(&ch->rx, rp)) {
			pr_warn_ratelimited("domain %u overran its ring\n",
					    ch->peer);
			ring_refused(ch);
			break;
		}
		while (ch->rx.req_cons != rp) {
			spin_lock(&ch->inbox_lock);
			full = ch->inbox_len >= INBOX_MAX;
			ch->stalled = full;
			spin_unlock(&ch->inbox_lock);
			if (full)
				break;
			RING_COPY_REQUEST(&ch->rx, ch->rx.req_cons, &req);
			ch->rx.req_cons++;
			eoi = 0;
			rsp = RING_GET_RESPONSE(&ch->rx, ch->rx.rsp_prod_pvt);
			rsp->seq = req.seq;
			rsp->reserved = 0;
			ch->rx.rsp_prod_pvt++;
			ch->received++;
			if (req.len > sizeof(req.data)) {
				ring_refused(ch);
				continue;
			}
			msg = kmalloc(struct_size(msg, data, req.len), GFP_KERNEL);
			if (!msg) {
				atomic_long_inc(&ch->bad);
				continue;
			}
			msg->epoch = READ_ONCE(ch->epoch);
			msg->len = req.len;
			memcpy(msg->data, req.data, req.len);
			spin_lock(&ch->inbox_lock);
			list_add_tail(&msg->node, &ch->inbox);
			ch->inbox_len++;
			spin_unlock(&ch->inbox_lock);
		}
		RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&ch->rx, notify);
		if (notify)
			notify_remote_via_irq(ch->irq);
		if (full)
			break;
		RING_FINAL_CHECK_FOR_REQUESTS(&ch->rx, more);
	} while (more);

	/*
	 * Responses to our requests: only their slots matter. The final
	 * check asks the peer to notify us of the next one.
	 */
	do {
		rp = READ_ONCE(ch->tx.sring->rsp_prod);
		/* pairs with the peer's barrier in RING_PUSH_RESPONSES */
		virt_rmb();
		if (rp - ch->tx.rsp_cons > ch->tx.req_prod_pvt - ch->tx.rsp_cons) {
			pr_warn_ratelimited("domain %u answered what was not sent\n",
					    ch->peer);
			ring_refused(ch);
			break;
		}
		if (ch->tx.rsp_cons != rp) {
			ch->tx.rsp_cons = rp;
			eoi = 0;
			wake_up(&ch->tx_wait);
		}
		RING_FINAL_CHECK_FOR_RESPONSES(&ch->tx, more);
	} while (more);
	/* when full, the delivery looks at the ring again once it caught up */
	queue_work(deliver_wq, &ch->deliver_work);
out:
	if (ch->irq > 0)
		xen_irq_lateeoi(ch->irq, eoi);
	mutex_unlock(&ch->lock);
}

irqreturn_t xchan_interrupt(int irq, void *dev_id)
{
	struct xchan *ch = dev_id;

	queue_work(system_highpri_wq, &ch->rx_work);
	return IRQ_HANDLED;
}

/* ---- sending -------------------------------------------------------------- */

static bool tx_room(struct xchan *ch)
{
	return ch->state < XCHAN_CONNECTED || !RING_FULL(&ch->tx);
}

int hdmabuf_xchan_send(u32 domid, const void *data, size_t len)
{
	struct xchan *ch = xchan_get(domid);
	struct hdmabuf_xreq *req;
	int notify, ret = 0;

	if (!ch)
		return -ENOTCONN;
	if (WARN_ON_ONCE(len > sizeof(req->data))) {
		ret = -EMSGSIZE;
		goto out;
	}
	mutex_lock(&ch->tx_lock);
	if (!wait_event_timeout(ch->tx_wait, tx_room(ch), SEND_TIMEOUT)) {
		ret = -ETIMEDOUT;
		goto unlock;
	}
	mutex_lock(&ch->lock);
	if (ch->state < XCHAN_CONNECTED) {
		ret = -ENOTCONN;
	} else {
		req = RING_GET_REQUEST(&ch->tx, ch->tx.req_prod_pvt);
		req->len = len;
		req->seq = ch->tx_seq++;
		memcpy(req->data, data, len);
		ch->tx.req_prod_pvt++;
		RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&ch->tx, notify);
		if (notify)
			notify_remote_via_irq(ch->irq);
		ch->sent++;
	}
	mutex_unlock(&ch->lock);
unlock:
	mutex_unlock(&ch->tx_lock);
out:
	xchan_put(ch);
	return ret;
}

/* Messages flow once connected: HELLO itself needs that. */
bool hdmabuf_xchan_reaches(u32 domid)
{
	struct xchan *ch = xchan_get(domid);
	bool ret;

	if (!ch)
		return false;
	ret = READ_ONCE(ch->state) >= XCHAN_CONNECTED;
	xchan_put(ch);
	return ret;
}

/* ---- a channel's queues, and the delivery's ------------------------------ */

void xchan_ring_prepare(struct xchan *ch)
{
	mutex_init(&ch->tx_lock);
	init_waitqueue_head(&ch->tx_wait);
	INIT_WORK(&ch->rx_work, xchan_rx);
	spin_lock_init(&ch->inbox_lock);
	INIT_LIST_HEAD(&ch->inbox);
	mutex_init(&ch->deliver_lock);
	INIT_WORK(&ch->deliver_work, deliver);
}

int xchan_ring_init(void)
{
	deliver_wq = alloc_workqueue(KBUILD_MODNAME "-deliver", WQ_UNBOUND, 0);
	return deliver_wq ? 0 : -ENOMEM;
}

void xchan_ring_exit(void)
{
	if (deliver_wq) {
		destroy_workqueue(deliver_wq);
		deliver_wq = NULL;
	}
}
