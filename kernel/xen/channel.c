// SPDX-License-Identifier: GPL-2.0
/*
 * One channel between this domain and a peer, from its first step to its
 * removal: two rings and an event channel, negotiated in a xenstore
 * directory both sides can reach. What goes through the rings is ring.c's;
 * which channels there are, discovery.c's.
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
 * end.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/random.h>
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
#include "transport.h"
#include "channel.h"
#include "xen.h"

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

void xchan_put(struct xchan *ch)
{
	kref_put(&ch->ref, xchan_free);
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
 * Run @body in one xenstore transaction, again whenever it raced another;
 * a body that fails ends it unapplied, with its error.
 */
static int in_transaction(struct xchan *ch, void *arg,
			  int (*body)(struct xenbus_transaction xbt,
				      struct xchan *ch, void *arg))
{
	struct xenbus_transaction xbt;
	int ret;

	do {
		ret = xenbus_transaction_start(&xbt);
		if (ret)
			return ret;
		ret = body(xbt, ch, arg);
		if (ret) {
			xenbus_transaction_end(xbt, 1);
			return ret;
		}
		ret = xenbus_transaction_end(xbt, 0);
	} while (ret == -EAGAIN);
	return ret;
}

static int read_keys(struct xenbus_transaction xbt, struct xchan *ch,
		     void *arg)
{
	struct peer_keys *k = arg;
	char key[24];
	int ret;

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
	int ret = in_transaction(ch, k, read_keys);

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
static int write_keys(struct xenbus_transaction xbt, struct xchan *ch,
		      void *unused)
{
	char key[24];
	int ret;

	if (!xenbus_exists(xbt, ch->anchor, ""))
		return -ENOENT;
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
	return ret;
}

static int publish(struct xchan *ch)
{
	return in_transaction(ch, NULL, write_keys);
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
	xchan_inbox_purge(ch);
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
	if (ch->peer && xchan_rogue_holds_links())
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
	    (xchan_rogue_restarts(ch) || !ready || k.gen != ch->peer_keys.gen ||
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
int xchan_add(u32 peer, u32 owner, u32 far)
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
		ch->anchor = kasprintf(GFP_KERNEL, HDMABUF_XS_DATA, owner);
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
	INIT_WORK(&ch->state_work, xchan_step);
	xchan_ring_prepare(ch);
	ch->watch.node = ch->dir;
	ch->watch.callback = xchan_watch;
	xchan_list_add(ch);
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
void xchan_remove(struct xchan *ch, bool leaving)
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
	xchan_inbox_purge(ch);
	xchan_list_del(ch);
	xchan_put(ch);
}

