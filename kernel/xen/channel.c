// SPDX-License-Identifier: GPL-2.0
/*
 * Channels between this domain and its peers: two rings and an event
 * channel each, negotiated in a xenstore directory both sides can reach.
 *
 * The directory of the channel between dom0 and domain U is
 * /local/domain/U/data/hyper_dmabuf/peer/0: U owns it, dom0 reaches
 * everything. In it each side, "lo" (the lower domain id) and "hi", writes
 *   <side>-ring-ref   the grant of the ring it sends on
 *   <side>-gen        a random number new at each start of its side
 *   <side>-state      a XenbusState: Initialised, Connected, Closed
 * and lo writes event-channel, a port it allocated for hi to bind. Once
 * both sides are Connected each sends HELLO; the channel is up for the
 * core when its HELLO is answered. A peer whose gen changes, or whose
 * state leaves Initialised/Connected, has restarted or gone: everything
 * shared with it is taken back (hdmabuf_peer_down) and our side starts
 * over. It then waits for the peer to start over too: the peer's keys of
 * the moment, if they say Connected, are to our previous start, and
 * connecting to them would restart the peer once more, and so on without
 * end. Messages are copied out of the ring before they are looked at,
 * and handed to the core in order, each peer's from a work item of its
 * own: a peer that floods us, or never takes our answers (each send waits
 * for ring room), stalls itself, never another peer. A message still
 * waiting when its peer goes is dropped, never handled after the core has
 * let go of that peer.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/random.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <xen/events.h>
#include <xen/grant_table.h>
#include <xen/page.h>
#include <xen/xen.h>
#include <xen/xenbus.h>
#include <xen/interface/event_channel.h>
#include <asm/xen/hypercall.h>

#include "../proto/xenstore-keys.h"
#include "hdmabuf.h"
#include "peer.h"
#include "ring.h"
#include "rogue.h"
#include "transport.h"
#include "xen.h"

/* Messages of one peer copied out of its ring and not yet handled. */
#define INBOX_MAX	64
#define SEND_TIMEOUT	(5 * HZ)

enum xchan_state {
	XCHAN_IDLE,		/* nothing of ours in place */
	XCHAN_OFFERED,		/* our ring granted, waiting for the peer */
	XCHAN_CONNECTED,	/* both rings mapped, event channel bound */
	XCHAN_UP,		/* HELLO answered: the core may use it */
};

/* What the peer's keys say, read at one moment; 0 where a key is missing. */
struct peer_keys {
	u32 state;		/* a XenbusState */
	u32 gen;
	u32 ring_ref;
	u32 port;		/* hi: the event channel lo allocated */
};

struct xchan {
	struct list_head node;
	struct kref ref;
	u32 peer;
	bool lo;			/* our domain id is the lower one */
	char *dir;
	/* what must exist for our nodes to be made: no resurrection */
	char *anchor;
	struct xenbus_watch watch;
	bool watching;
	struct work_struct state_work;
	struct mutex lock;		/* protects state and what it covers */
	enum xchan_state state;
	u32 gen;
	/* the peer's keys when we connected: any change is a restart */
	struct peer_keys peer_keys;
	/*
	 * The peer's gen when we last tore down while it said Connected: it
	 * is connected to our previous start, and will start over itself.
	 */
	u32 stale_gen;
	/* what we send on: our page, the peer maps it */
	struct page *tx_page;
	grant_ref_t tx_ref;
	struct hdmabuf_xring_front_ring tx;
	struct mutex tx_lock;		/* one sender at a time */
	wait_queue_head_t tx_wait;	/* room in tx, or state change */
	u32 tx_seq;
	/* what the peer sends on: its page, mapped here */
	struct page *rx_page;
	grant_handle_t rx_handle;
	struct hdmabuf_xring_back_ring rx;
	struct work_struct rx_work;
	/* copied out, for the core: the peer's own queue */
	spinlock_t inbox_lock;		/* protects inbox, inbox_len, stalled */
	struct list_head inbox;
	unsigned int inbox_len;
	bool stalled;			/* rx stopped: the inbox was full */
	struct work_struct deliver_work;
	/* held while a message is handled; a teardown waits for it */
	struct mutex deliver_lock;
	u32 epoch;			/* new at each teardown */
	evtchn_port_t port;
	int irq;
	/* counts for PEERS and debugfs; sent and received under lock */
	unsigned long sent, received;
	atomic_long_t bad;		/* dropped: malformed or out of place */
};

/* A message waiting for the core. */
struct xmsg {
	struct list_head node;
	u32 epoch;			/* the channel's when it came */
	u32 len;
	u8 data[];
};

static LIST_HEAD(chans);
static DEFINE_MUTEX(chans_lock);
/* not ordered: each peer's work item keeps its own order */
static struct workqueue_struct *deliver_wq;
/* dom0: domains appear and go */
static struct xenbus_watch introduce_watch, release_watch;
static struct work_struct rescan_work;
static bool dom0_watching;

static const char *side(bool lo)
{
	return lo ? HDMABUF_XS_LO : HDMABUF_XS_HI;
}

static void xchan_free(struct kref *ref)
{
	struct xchan *ch = container_of(ref, struct xchan, ref);

	kfree(ch->dir);
	kfree(ch->anchor);
	kfree(ch);
}

static struct xchan *xchan_get(u32 peer)
{
	struct xchan *ch;

	mutex_lock(&chans_lock);
	list_for_each_entry(ch, &chans, node) {
		if (ch->peer == peer) {
			kref_get(&ch->ref);
			mutex_unlock(&chans_lock);
			return ch;
		}
	}
	mutex_unlock(&chans_lock);
	return NULL;
}

static void xchan_put(struct xchan *ch)
{
	kref_put(&ch->ref, xchan_free);
}

/* ---- the lab's rogue peer (HDMABUF_ROGUE builds only) --------------------- */

#ifdef HDMABUF_ROGUE
/* until then, the rogue takes no message of its peers' (answers it takes) */
static unsigned long rogue_deaf_until;

static bool rogue_deaf(void)
{
	return time_before(jiffies, READ_ONCE(rogue_deaf_until));
}

/* the peer whose channel the rogue starts anew at its next step */
static u32 rogue_restart = U32_MAX;

static bool rogue_restarts(struct xchan *ch)
{
	return cmpxchg(&rogue_restart, ch->peer, U32_MAX) == ch->peer;
}

/* while set, the rogue keeps its links' channels as they are, unlinked too */
static bool rogue_holding;

static bool rogue_holds_links(void)
{
	return READ_ONCE(rogue_holding);
}
#else
static bool rogue_deaf(void)
{
	return false;
}

static bool rogue_restarts(struct xchan *ch)
{
	return false;
}

static bool rogue_holds_links(void)
{
	return false;
}
#endif

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
static void inbox_purge(struct xchan *ch)
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
		if (rogue_deaf())
			break;
		rp = READ_ONCE(ch->rx.sring->req_prod);
		/* pairs with the peer's barrier in RING_PUSH_REQUESTS */
		virt_rmb();
		if (RING_REQUEST_PROD_OVERFLOW(&ch->rx, rp)) {
			pr_warn_ratelimited("domain %u overran its ring\n",
					    ch->peer);
			atomic_long_inc(&ch->bad);
			hdmabuf_refused(HDMABUF_REFUSED_RING);
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
				atomic_long_inc(&ch->bad);
				hdmabuf_refused(HDMABUF_REFUSED_RING);
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
			atomic_long_inc(&ch->bad);
			hdmabuf_refused(HDMABUF_REFUSED_RING);
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

static irqreturn_t xchan_interrupt(int irq, void *dev_id)
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

/* ---- setting up and tearing down ----------------------------------------- */

/* Tell the peer we leave, unless the channel's place is gone already. */
static void say_closed(struct xchan *ch)
{
	struct xenbus_transaction xbt;
	char key[16];
	int ret;

	snprintf(key, sizeof(key), "%s" HDMABUF_XS_STATE, side(ch->lo));
	do {
		if (xenbus_transaction_start(&xbt))
			return;
		if (!xenbus_exists(xbt, ch->anchor, "") ||
		    xenbus_printf(xbt, ch->dir, key, "%d", XenbusStateClosed)) {
			xenbus_transaction_end(xbt, 1);
			return;
		}
		ret = xenbus_transaction_end(xbt, 0);
	} while (ret == -EAGAIN);
}

/*
 * One key of the peer's, a number within [@min, @max]: anything else
 * (empty, negative, not a number, out of range) is -EINVAL. Read in @xbt,
 * so that all keys come from the same moment.
 */
static int read_key(struct xenbus_transaction xbt, struct xchan *ch,
		    const char *key, u32 min, u32 max, u32 *val)
{
	char *s = xenbus_read(xbt, ch->dir, key, NULL);
	int ret;

	*val = 0;
	if (IS_ERR(s))
		return PTR_ERR(s) == -ENOENT ? 0 : PTR_ERR(s);
	ret = kstrtou32(s, 10, val);
	if (!ret && (*val < min || *val > max))
		ret = -ERANGE;
	if (ret) {
		pr_warn_ratelimited("domain %u: its %s is not valid: \"%.16s\"\n",
				    ch->peer, key, s);
		*val = 0;
		ret = -EINVAL;
	}
	kfree(s);
	return ret;
}

/*
 * The peer's keys. -EINVAL when one is not valid, or when the peer says
 * it is ready but does not say where its ring is: counted, and the peer
 * is taken as not ready. Ring references below GNTTAB_NR_RESERVED_ENTRIES
 * name the pages every domain grants for its console and xenstore rings,
 * never a ring of ours.
 */
static int read_peer_keys(struct xchan *ch, struct peer_keys *k)
{
	struct xenbus_transaction xbt;
	char key[24];
	int ret;

	do {
		ret = xenbus_transaction_start(&xbt);
		if (ret)
			return ret;
		snprintf(key, sizeof(key), "%s" HDMABUF_XS_STATE, side(!ch->lo));
		ret = read_key(xbt, ch, key, XenbusStateUnknown,
			       XenbusStateReconfigured, &k->state);
		snprintf(key, sizeof(key), "%s" HDMABUF_XS_GEN, side(!ch->lo));
		if (!ret)
			ret = read_key(xbt, ch, key, 1, U32_MAX, &k->gen);
		snprintf(key, sizeof(key), "%s" HDMABUF_XS_RING_REF, side(!ch->lo));
		if (!ret)
			ret = read_key(xbt, ch, key, GNTTAB_NR_RESERVED_ENTRIES,
				       U32_MAX, &k->ring_ref);
		k->port = 0;
		if (!ret && !ch->lo)
			ret = read_key(xbt, ch, HDMABUF_XS_EVTCHN, 1,
				       EVTCHN_FIFO_NR_CHANNELS - 1, &k->port);
		if (ret) {
			xenbus_transaction_end(xbt, 1);
			break;
		}
		ret = xenbus_transaction_end(xbt, 0);
	} while (ret == -EAGAIN);
	if (!ret && (k->state == XenbusStateInitialised ||
		     k->state == XenbusStateConnected) &&
	    (!k->gen || !k->ring_ref || (!ch->lo && !k->port))) {
		pr_warn_ratelimited("domain %u says it is ready, but not where\n",
				    ch->peer);
		ret = -EINVAL;
	}
	if (ret == -EINVAL) {
		atomic_long_inc(&ch->bad);
		hdmabuf_refused(HDMABUF_REFUSED_XENSTORE);
	}
	return ret;
}

static bool keys_ready(const struct peer_keys *k)
{
	return k->state == XenbusStateInitialised ||
	       k->state == XenbusStateConnected;
}

static int bind_irq(struct xchan *ch, evtchn_port_t port)
{
	int irq = bind_evtchn_to_irqhandler_lateeoi(port, xchan_interrupt, 0,
						    KBUILD_MODNAME, ch);
	struct evtchn_close close = { .port = port };

	if (irq < 0) {
		HYPERVISOR_event_channel_op(EVTCHNOP_close, &close);
		return irq;
	}
	ch->port = port;
	ch->irq = irq;
	return 0;
}

/* lo: a port for the peer to bind. */
static int alloc_evtchn(struct xchan *ch)
{
	struct evtchn_alloc_unbound op = {
		.dom = DOMID_SELF,
		.remote_dom = ch->peer,
	};
	int ret = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &op);

	return ret ? ret : bind_irq(ch, op.port);
}

/* hi: bind the port lo allocated. */
static int bind_evtchn(struct xchan *ch, evtchn_port_t remote)
{
	struct evtchn_bind_interdomain op = {
		.remote_dom = ch->peer,
		.remote_port = remote,
	};
	int ret = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &op);

	return ret ? ret : bind_irq(ch, op.local_port);
}

static void unbind_evtchn(struct xchan *ch)
{
	if (ch->irq > 0)
		unbind_from_irqhandler(ch->irq, ch);
	ch->irq = 0;
	ch->port = 0;
}

/* The XenbusState our keys say in @state. */
static enum xenbus_state our_state(enum xchan_state state)
{
	return state >= XCHAN_CONNECTED ? XenbusStateConnected :
					  XenbusStateInitialised;
}

/*
 * Our keys, as they are now: where our ring is, our generation, lo's
 * event channel and our state, all at once. -ENOENT when the channel's
 * place is gone (a domain being destroyed, a link undone): its nodes are
 * not made again.
 */
static int publish(struct xchan *ch)
{
	struct xenbus_transaction xbt;
	char key[24];
	int ret;

	do {
		ret = xenbus_transaction_start(&xbt);
		if (ret)
			return ret;
		if (!xenbus_exists(xbt, ch->anchor, "")) {
			xenbus_transaction_end(xbt, 1);
			return -ENOENT;
		}
		snprintf(key, sizeof(key), "%s" HDMABUF_XS_RING_REF, side(ch->lo));
		ret = xenbus_printf(xbt, ch->dir, key, "%u", ch->tx_ref);
		snprintf(key, sizeof(key), "%s" HDMABUF_XS_GEN, side(ch->lo));
		if (!ret)
			ret = xenbus_printf(xbt, ch->dir, key, "%u", ch->gen);
		if (!ret && ch->lo)
			ret = xenbus_printf(xbt, ch->dir, HDMABUF_XS_EVTCHN, "%u",
					    ch->port);
		snprintf(key, sizeof(key), "%s" HDMABUF_XS_STATE, side(ch->lo));
		if (!ret)
			ret = xenbus_printf(xbt, ch->dir, key, "%d",
					    our_state(ch->state));
		if (ret) {
			xenbus_transaction_end(xbt, 1);
			return ret;
		}
		ret = xenbus_transaction_end(xbt, 0);
	} while (ret == -EAGAIN);
	return ret;
}

/* Whether the key says exactly @want, as we write it. */
static bool key_is(struct xchan *ch, const char *key, u32 want)
{
	char *s = xenbus_read(XBT_NIL, ch->dir, key, NULL);
	char text[12];
	bool same;

	if (IS_ERR(s))
		return false;
	snprintf(text, sizeof(text), "%u", want);
	same = !strcmp(s, text);
	kfree(s);
	return same;
}

/*
 * Whether our keys still say what we wrote. Where the peer owns the
 * directory (a domU's, with dom0) it can write them: we write them again,
 * or the peer's next start would find garbage for ours.
 */
static bool published(struct xchan *ch)
{
	char key[24];

	snprintf(key, sizeof(key), "%s" HDMABUF_XS_RING_REF, side(ch->lo));
	if (!key_is(ch, key, ch->tx_ref))
		return false;
	snprintf(key, sizeof(key), "%s" HDMABUF_XS_GEN, side(ch->lo));
	if (!key_is(ch, key, ch->gen))
		return false;
	snprintf(key, sizeof(key), "%s" HDMABUF_XS_STATE, side(ch->lo));
	if (!key_is(ch, key, our_state(ch->state)))
		return false;
	return !ch->lo || key_is(ch, HDMABUF_XS_EVTCHN, ch->port);
}

/* Our ring, granted to the peer, and our keys: Initialised. */
static int offer(struct xchan *ch)
{
	int ret;

	ch->tx_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!ch->tx_page)
		return -ENOMEM;
	ret = gnttab_grant_foreign_access(ch->peer,
					  xen_page_to_gfn(ch->tx_page), 0);
	if (ret < 0) {
		__free_page(ch->tx_page);
		ch->tx_page = NULL;
		return ret;
	}
	ch->tx_ref = ret;
	SHARED_RING_INIT((struct hdmabuf_xring_sring *)page_address(ch->tx_page));
	FRONT_RING_INIT(&ch->tx, (struct hdmabuf_xring_sring *)
			page_address(ch->tx_page), PAGE_SIZE);
	if (ch->lo) {
		ret = alloc_evtchn(ch);
		if (ret)
			goto err;
	}
	ch->gen = get_random_u32() | 1;
	ch->state = XCHAN_OFFERED;
	ret = publish(ch);
	if (ret) {
		ch->state = XCHAN_IDLE;
		goto err;
	}
	return 0;

err:
	unbind_evtchn(ch);
	gnttab_end_foreign_access(ch->tx_ref, ch->tx_page);
	ch->tx_page = NULL;
	return ret;
}

static void unmap_rx(struct xchan *ch)
{
	struct gnttab_unmap_grant_ref op;

	if (!ch->rx_page)
		return;
	gnttab_set_unmap_op(&op,
			    (unsigned long)pfn_to_kaddr(page_to_xen_pfn(ch->rx_page)),
			    GNTMAP_host_map, ch->rx_handle);
	if (gnttab_unmap_refs(&op, NULL, &ch->rx_page, 1) ||
	    op.status != GNTST_okay)
		/* still mapped: the page cannot be given back */
		pr_warn("domain %u: ring unmap failed (%d)\n", ch->peer,
			op.status);
	else
		gnttab_free_pages(1, &ch->rx_page);
	ch->rx_page = NULL;
}

/* Map the peer's ring and bind the event channel: Connected. */
static int connect(struct xchan *ch, const struct peer_keys *k)
{
	struct gnttab_map_grant_ref op;
	void *addr;
	int ret;

	ret = gnttab_alloc_pages(1, &ch->rx_page);
	if (ret)
		return ret;
	addr = pfn_to_kaddr(page_to_xen_pfn(ch->rx_page));
	gnttab_set_map_op(&op, (unsigned long)addr, GNTMAP_host_map,
			  k->ring_ref, ch->peer);
	ret = gnttab_map_refs(&op, NULL, &ch->rx_page, 1);
	if (ret || op.status != GNTST_okay) {
		pr_warn_ratelimited("domain %u: cannot map its ring (%d, %d)\n",
				    ch->peer, ret, op.status);
		gnttab_free_pages(1, &ch->rx_page);
		ch->rx_page = NULL;
		return -EIO;
	}
	ch->rx_handle = op.handle;
	BACK_RING_INIT(&ch->rx, (struct hdmabuf_xring_sring *)addr, PAGE_SIZE);
	if (!ch->lo) {
		ret = bind_evtchn(ch, k->port);
		if (ret)
			goto err_unmap;
	}
	ch->state = XCHAN_CONNECTED;
	ret = publish(ch);
	if (ret) {
		ch->state = XCHAN_OFFERED;
		goto err_unbind;
	}
	ch->peer_keys = *k;
	ch->stale_gen = 0;
	return 0;

err_unbind:
	if (!ch->lo)
		unbind_evtchn(ch);
err_unmap:
	unmap_rx(ch);
	return ret;
}

/*
 * Back to nothing: the core first hears the peer is gone, then the rings
 * and the event channel go. ch->lock held.
 */
static void teardown(struct xchan *ch)
{
	enum xchan_state was = ch->state;

	if (was == XCHAN_IDLE)
		return;
	ch->state = XCHAN_IDLE;
	/*
	 * From now on nothing the peer sent is handled, even what the
	 * delivery takes while we wait for the message in hand.
	 */
	WRITE_ONCE(ch->epoch, ch->epoch + 1);
	wake_up(&ch->tx_wait);
	unbind_evtchn(ch);
	/* no lock: the core's handlers may send, and fail */
	mutex_unlock(&ch->lock);
	/* what the peer sent before is not handled after the core let go */
	inbox_purge(ch);
	if (was == XCHAN_UP)
		hdmabuf_peer_down(ch->peer);
	mutex_lock(&ch->lock);
	unmap_rx(ch);
	/* our ring page goes once the peer has let go of it */
	gnttab_end_foreign_access(ch->tx_ref, ch->tx_page);
	ch->tx_page = NULL;
	pr_info_ratelimited("domain %u: channel closed\n", ch->peer);
}

/*
 * One step towards up, or back down, from what xenstore says now. Runs
 * from a work item on every change in the channel's directory.
 */
static void xchan_step(struct work_struct *work)
{
	struct xchan *ch = container_of(work, struct xchan, state_work);
	struct hdmabuf_msg hello = {
		.type = HDMABUF_MSG_HELLO,
		.ver_min = HDMABUF_WIRE_VERSION,
		.ver_max = HDMABUF_WIRE_VERSION,
	};
	struct hdmabuf_msg reply;
	struct peer_keys k;
	bool ready;
	int ret;

	mutex_lock(&ch->lock);
	if (ch->peer && rogue_holds_links())
		goto out;
	ret = read_peer_keys(ch, &k);
	/* xenstore itself failed: nothing is known, nothing changes */
	if (ret && ret != -EINVAL)
		goto out;
	ready = !ret && keys_ready(&k);
	/*
	 * The peer we were connected to is gone, restarted, or says what it
	 * did not say when we connected: whatever it is, start over.
	 */
	if (ch->state >= XCHAN_CONNECTED &&
	    (rogue_restarts(ch) || !ready || k.gen != ch->peer_keys.gen ||
	     k.ring_ref != ch->peer_keys.ring_ref ||
	     k.port != ch->peer_keys.port)) {
		teardown(ch);
		cancel_work(&ch->rx_work);
		if (ready && k.state == XenbusStateConnected)
			ch->stale_gen = k.gen;
	}
	/* connected to what we were: not for us until it starts over */
	if (ready && k.state == XenbusStateConnected && k.gen == ch->stale_gen)
		ready = false;
	if (ch->state == XCHAN_IDLE) {
		ret = offer(ch);
		if (ret) {
			if (ret != -ENOENT)
				pr_warn_ratelimited("domain %u: cannot offer a channel (%d)\n",
						    ch->peer, ret);
			goto out;
		}
	}
	if (ch->state == XCHAN_OFFERED && ready) {
		ret = connect(ch, &k);
		if (ret)
			pr_warn_ratelimited("domain %u: cannot connect (%d)\n",
					    ch->peer, ret);
	}
	/* the peer wrote our keys (it owns the directory): say them again */
	if (ch->state >= XCHAN_OFFERED && !published(ch)) {
		atomic_long_inc(&ch->bad);
		hdmabuf_refused(HDMABUF_REFUSED_XENSTORE);
		publish(ch);
	}
	if (ch->state == XCHAN_CONNECTED && k.state == XenbusStateConnected) {
		mutex_unlock(&ch->lock);
		/* messages may already be waiting */
		queue_work(system_highpri_wq, &ch->rx_work);
		ret = hdmabuf_peer_call(ch->peer, &hello, &reply);
		mutex_lock(&ch->lock);
		if (ret) {
			pr_warn_ratelimited("domain %u: no answer to HELLO (%d)\n",
					    ch->peer, ret);
		} else if (ch->state == XCHAN_CONNECTED) {
			ch->state = XCHAN_UP;
			pr_info_ratelimited("domain %u: channel up\n", ch->peer);
			mutex_unlock(&ch->lock);
			hdmabuf_peer_up(ch->peer);
			return;
		}
	}
out:
	mutex_unlock(&ch->lock);
}

static void xchan_watch(struct xenbus_watch *watch, const char *path,
			const char *token)
{
	struct xchan *ch = container_of(watch, struct xchan, watch);

	queue_work(system_wq, &ch->state_work);
}

/*
 * A channel with @peer whose directory is the entry for @far in the peer
 * directory of domain @owner: /local/domain/OWNER/data/hyper_dmabuf/peer/FAR.
 */
static int xchan_add(u32 peer, u32 owner, u32 far)
{
	struct xchan *ch = kzalloc(sizeof(*ch), GFP_KERNEL);
	int ret;

	if (!ch)
		return -ENOMEM;
	ch->dir = kasprintf(GFP_KERNEL, HDMABUF_XS_CHANNEL, owner, far);
	/*
	 * The channel with dom0 is made by both sides in the domU's data
	 * directory; a link's directory is dom0's to make and undo.
	 */
	if (peer && hdmabuf_xen_domid)
		ch->anchor = kstrdup(ch->dir ?: "", GFP_KERNEL);
	else
		ch->anchor = kasprintf(GFP_KERNEL, "/local/domain/%u/data",
				       owner);
	if (!ch->anchor || !ch->dir) {
		kfree(ch->anchor);
		kfree(ch->dir);
		kfree(ch);
		return -ENOMEM;
	}
	kref_init(&ch->ref);
	ch->peer = peer;
	ch->lo = hdmabuf_xen_domid < peer;
	mutex_init(&ch->lock);
	mutex_init(&ch->tx_lock);
	init_waitqueue_head(&ch->tx_wait);
	INIT_WORK(&ch->state_work, xchan_step);
	INIT_WORK(&ch->rx_work, xchan_rx);
	spin_lock_init(&ch->inbox_lock);
	INIT_LIST_HEAD(&ch->inbox);
	mutex_init(&ch->deliver_lock);
	INIT_WORK(&ch->deliver_work, deliver);
	ch->watch.node = ch->dir;
	ch->watch.callback = xchan_watch;
	mutex_lock(&chans_lock);
	list_add_tail(&ch->node, &chans);
	mutex_unlock(&chans_lock);
	/* the watch fires once at once: that is the first step */
	ret = register_xenbus_watch(&ch->watch);
	if (ret) {
		pr_warn("domain %u: cannot watch %s (%d)\n", peer, ch->dir,
			ret);
		return ret;
	}
	ch->watching = true;
	return 0;
}

/* Off the list, down, freed once the last sender is done. */
static void xchan_remove(struct xchan *ch, bool leaving)
{
	if (ch->watching)
		unregister_xenbus_watch(&ch->watch);
	cancel_work_sync(&ch->state_work);
	mutex_lock(&ch->lock);
	teardown(ch);
	if (leaving)
		say_closed(ch);
	mutex_unlock(&ch->lock);
	/* the delivery may look at the ring again: it goes first */
	cancel_work_sync(&ch->deliver_work);
	cancel_work_sync(&ch->rx_work);
	inbox_purge(ch);
	mutex_lock(&chans_lock);
	list_del(&ch->node);
	mutex_unlock(&chans_lock);
	xchan_put(ch);
}

/* ---- finding peers ------------------------------------------------------- */

static bool listed(char **doms, unsigned int n, u32 domid)
{
	unsigned int i, id;

	for (i = 0; i < n; i++)
		if (!kstrtouint(doms[i], 10, &id) && id == domid)
			return true;
	return false;
}

/* A channel whose domain is not in @doms, with a reference, or NULL. */
static struct xchan *first_gone(char **doms, unsigned int n)
{
	struct xchan *ch;

	mutex_lock(&chans_lock);
	list_for_each_entry(ch, &chans, node) {
		if (!listed(doms, n, ch->peer)) {
			kref_get(&ch->ref);
			mutex_unlock(&chans_lock);
			return ch;
		}
	}
	mutex_unlock(&chans_lock);
	return NULL;
}

/*
 * A domU's channels with other domUs: dom0 links domains A < B by making
 * A's entry peer/B, the channel's directory, and B's entry peer/A, whose
 * value is that directory's path (hyper-dmabuf link). Entries come and go
 * with links; each is checked to have exactly that form.
 */
static struct xenbus_watch links_watch;
static struct work_struct links_work;
static bool links_watching;

static char *peer_dir_of(u32 domid)
{
	return kasprintf(GFP_KERNEL, HDMABUF_XS_PEERS, domid);
}

/* The domain whose home holds our channel with @peer, or -ENOENT. */
static int link_owner(const char *dir, u32 peer)
{
	char *want, *value;
	int ret = -ENOENT;

	if (hdmabuf_xen_domid < peer)
		return hdmabuf_xen_domid;
	value = xenbus_read(XBT_NIL, dir, "", NULL);
	if (IS_ERR(value))
		return PTR_ERR(value);
	want = kasprintf(GFP_KERNEL, HDMABUF_XS_CHANNEL, peer, hdmabuf_xen_domid);
	if (want && !strcmp(value, want))
		ret = peer;
	kfree(want);
	kfree(value);
	return ret;
}

/* A linked channel that is no longer listed, with a reference, or NULL. */
static struct xchan *first_unlinked(char **names, unsigned int n)
{
	struct xchan *ch;

	mutex_lock(&chans_lock);
	list_for_each_entry(ch, &chans, node) {
		if (ch->peer && !listed(names, n, ch->peer)) {
			kref_get(&ch->ref);
			mutex_unlock(&chans_lock);
			return ch;
		}
	}
	mutex_unlock(&chans_lock);
	return NULL;
}

static void links_changed(struct work_struct *work)
{
	unsigned int i, n = 0, peer;
	char **names, *dir, *entry;
	struct xchan *ch;
	int owner;

	dir = peer_dir_of(hdmabuf_xen_domid);
	if (!dir)
		return;
	names = xenbus_directory(XBT_NIL, dir, "", &n);
	if (IS_ERR(names)) {
		names = NULL;
		n = 0;
	}
	while (!rogue_holds_links() && (ch = first_unlinked(names, n))) {
		pr_info("domain %u: unlinked\n", ch->peer);
		xchan_remove(ch, true);
		xchan_put(ch);
	}
	for (i = 0; i < n; i++) {
		if (kstrtouint(names[i], 10, &peer) || !peer ||
		    peer == hdmabuf_xen_domid || peer >= DOMID_FIRST_RESERVED)
			continue;
		ch = xchan_get(peer);
		if (ch) {
			xchan_put(ch);
			continue;
		}
		entry = kasprintf(GFP_KERNEL, "%s/%u", dir, peer);
		owner = entry ? link_owner(entry, peer) : -ENOMEM;
		kfree(entry);
		if (owner < 0) {
			pr_warn("domain %u: malformed link entry ignored\n",
				peer);
			continue;
		}
		xchan_add(peer, owner, owner == peer ? hdmabuf_xen_domid : peer);
	}
	kfree(names);
	kfree(dir);
}

/* Only the entries themselves matter, not the channels' keys below them. */
static bool links_will_handle(struct xenbus_watch *watch, const char *path,
			      const char *token)
{
	const char *rest;

	if (!str_has_prefix(path, watch->node))
		return false;
	rest = path + strlen(watch->node);
	return !*rest || (*rest == '/' && !strchr(rest + 1, '/'));
}

static void links_watch_fired(struct xenbus_watch *watch, const char *path,
			      const char *token)
{
	queue_work(system_wq, &links_work);
}

static int watch_links(void)
{
	int ret;

	INIT_WORK(&links_work, links_changed);
	links_watch.node = peer_dir_of(hdmabuf_xen_domid);
	if (!links_watch.node)
		return -ENOMEM;
	links_watch.will_handle = links_will_handle;
	links_watch.callback = links_watch_fired;
	ret = register_xenbus_watch(&links_watch);
	if (ret) {
		kfree(links_watch.node);
		return ret;
	}
	links_watching = true;
	return 0;
}

/* dom0: links naming a domain that is gone go with it. */
static void unlink_dead(char **doms, unsigned int n)
{
	unsigned int i, j, m, peer;
	char **names, *dir;

	for (i = 0; i < n; i++) {
		if (kstrtouint(doms[i], 10, &peer) || !peer)
			continue;
		dir = peer_dir_of(peer);
		names = dir ? xenbus_directory(XBT_NIL, dir, "", &m) : NULL;
		if (IS_ERR_OR_NULL(names)) {
			kfree(dir);
			continue;
		}
		for (j = 0; j < m; j++) {
			if (!kstrtouint(names[j], 10, &peer) && peer &&
			    !listed(doms, n, peer))
				xenbus_rm(XBT_NIL, dir, names[j]);
		}
		kfree(names);
		kfree(dir);
	}
}

/* dom0: a channel for each domain there is, none for those gone. */
static void rescan(struct work_struct *work)
{
	unsigned int i, n, domid;
	struct xchan *ch;
	char **doms;

	doms = xenbus_directory(XBT_NIL, "/local/domain", "", &n);
	if (IS_ERR(doms))
		return;
	while ((ch = first_gone(doms, n))) {
		pr_info("domain %u is gone\n", ch->peer);
		xchan_remove(ch, false);
		xchan_put(ch);
	}
	unlink_dead(doms, n);
	for (i = 0; i < n; i++) {
		if (kstrtouint(doms[i], 10, &domid) || !domid ||
		    domid >= DOMID_FIRST_RESERVED)
			continue;
		ch = xchan_get(domid);
		if (ch)
			xchan_put(ch);
		else
			xchan_add(domid, domid, 0);
	}
	kfree(doms);
}

static void domains_changed(struct xenbus_watch *watch, const char *path,
			    const char *token)
{
	queue_work(system_wq, &rescan_work);
}

unsigned int hdmabuf_xchan_peers(struct hyper_dmabuf_peer *peers,
				 unsigned int capacity)
{
	struct xchan *ch;
	unsigned int n = 0;

	mutex_lock(&chans_lock);
	list_for_each_entry(ch, &chans, node) {
		if (n < capacity) {
			memset(&peers[n], 0, sizeof(peers[n]));
			peers[n].domid = ch->peer;
			peers[n].state = READ_ONCE(ch->state) == XCHAN_UP ?
					 HYPER_DMABUF_PEER_UP :
					 HYPER_DMABUF_PEER_CONNECTING;
			peers[n].sent = ch->sent;
			peers[n].received = ch->received;
			peers[n].dropped = atomic_long_read(&ch->bad);
		}
		n++;
	}
	mutex_unlock(&chans_lock);
	return n;
}

void hdmabuf_xchan_show(struct seq_file *m)
{
	static const char *const names[] = { "idle", "offered", "connected",
					     "up" };
	struct xchan *ch;

	mutex_lock(&chans_lock);
	list_for_each_entry(ch, &chans, node)
		seq_printf(m, "%u %s sent %lu received %lu bad %lu\n", ch->peer,
			   names[READ_ONCE(ch->state)], ch->sent, ch->received,
			   atomic_long_read(&ch->bad));
	mutex_unlock(&chans_lock);
}

int hdmabuf_xchan_init(void)
{
	int ret;

	deliver_wq = alloc_workqueue(KBUILD_MODNAME "-deliver", WQ_UNBOUND, 0);
	if (!deliver_wq)
		return -ENOMEM;
	INIT_WORK(&rescan_work, rescan);
	if (!xen_initial_domain())
		return xchan_add(0, hdmabuf_xen_domid, 0) ?:
		       watch_links();
	introduce_watch.node = "@introduceDomain";
	introduce_watch.callback = domains_changed;
	release_watch.node = "@releaseDomain";
	release_watch.callback = domains_changed;
	ret = register_xenbus_watch(&introduce_watch);
	if (ret)
		return ret;
	ret = register_xenbus_watch(&release_watch);
	if (ret) {
		unregister_xenbus_watch(&introduce_watch);
		return ret;
	}
	dom0_watching = true;
	queue_work(system_wq, &rescan_work);
	return 0;
}

void hdmabuf_xchan_exit(void)
{
	struct xchan *ch;

	if (dom0_watching) {
		unregister_xenbus_watch(&introduce_watch);
		unregister_xenbus_watch(&release_watch);
		cancel_work_sync(&rescan_work);
	}
	if (links_watching) {
		unregister_xenbus_watch(&links_watch);
		cancel_work_sync(&links_work);
		kfree(links_watch.node);
		links_watching = false;
	}
	for (;;) {
		mutex_lock(&chans_lock);
		ch = list_first_entry_or_null(&chans, struct xchan, node);
		if (ch)
			kref_get(&ch->ref);
		mutex_unlock(&chans_lock);
		if (!ch)
			break;
		xchan_remove(ch, true);
		xchan_put(ch);
	}
	if (deliver_wq) {
		destroy_workqueue(deliver_wq);
		deliver_wq = NULL;
	}
}

#ifdef HDMABUF_ROGUE
/*
 * What a peer may do to a ring: "overrun" claims more requests than the
 * ring holds, "answer-overrun" more answers than were asked for, "long"
 * sends a slot longer than a slot, "storm" notifies @arg times in a row,
 * "deaf" consumes nothing for @arg seconds, "restart" starts its side of
 * the channel anew, with whatever it sent still unhandled, "hold" (@arg 1)
 * keeps the channels of links as they are, unlinked or not, until "hold"
 * with @arg 0.
 */
int hdmabuf_xchan_rogue(u32 domid, const char *how, unsigned int arg)
{
	struct xchan *ch = xchan_get(domid);
	struct hdmabuf_xreq *req;
	unsigned int i;
	int ret = 0;

	if (!strcmp(how, "deaf")) {
		WRITE_ONCE(rogue_deaf_until, jiffies + arg * HZ);
		if (ch) {
			/* hearing again: what came meanwhile is still there */
			if (!arg)
				queue_work(system_highpri_wq, &ch->rx_work);
			xchan_put(ch);
		}
		return 0;
	}
	if (!strcmp(how, "hold")) {
		WRITE_ONCE(rogue_holding, arg);
		/* let go: what changed meanwhile is looked at now */
		if (!arg && links_watching)
			queue_work(system_wq, &links_work);
		if (!arg && ch)
			queue_work(system_wq, &ch->state_work);
		if (ch)
			xchan_put(ch);
		return 0;
	}
	if (!ch)
		return -ENOTCONN;
	if (!strcmp(how, "restart")) {
		/* by the channel's own step: nothing else tears down */
		WRITE_ONCE(rogue_restart, domid);
		queue_work(system_wq, &ch->state_work);
		xchan_put(ch);
		return 0;
	}
	mutex_lock(&ch->tx_lock);
	mutex_lock(&ch->lock);
	if (ch->state < XCHAN_CONNECTED) {
		ret = -ENOTCONN;
	} else if (!strcmp(how, "overrun")) {
		WRITE_ONCE(ch->tx.sring->req_prod, ch->tx.req_prod_pvt + 100);
		notify_remote_via_irq(ch->irq);
	} else if (!strcmp(how, "answer-overrun")) {
		WRITE_ONCE(ch->rx.sring->rsp_prod, ch->rx.rsp_prod_pvt + 100);
		notify_remote_via_irq(ch->irq);
	} else if (!strcmp(how, "long")) {
		req = RING_GET_REQUEST(&ch->tx, ch->tx.req_prod_pvt);
		req->len = 0x10000;
		req->seq = ch->tx_seq++;
		ch->tx.req_prod_pvt++;
		RING_PUSH_REQUESTS(&ch->tx);
		notify_remote_via_irq(ch->irq);
	} else if (!strcmp(how, "storm")) {
		for (i = 0; i < arg; i++) {
			notify_remote_via_irq(ch->irq);
			if (!(i % 1024))
				cond_resched();
		}
	} else {
		ret = -EINVAL;
	}
	mutex_unlock(&ch->lock);
	if (!ret && !strcmp(how, "answer-overrun")) {
		/* back to the truth, so that the channel goes on */
		msleep(500);
		mutex_lock(&ch->lock);
		if (ch->state >= XCHAN_CONNECTED) {
			WRITE_ONCE(ch->rx.sring->rsp_prod, ch->rx.rsp_prod_pvt);
			notify_remote_via_irq(ch->irq);
		}
		mutex_unlock(&ch->lock);
	}
	mutex_unlock(&ch->tx_lock);
	xchan_put(ch);
	return ret;
}
#endif
