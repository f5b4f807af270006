// SPDX-License-Identifier: GPL-2.0
/*
 * The lab's rogue peer (tests/rogue/rogue.c) and its ways with a channel:
 * what a misbehaving peer may do to a ring, to its side of the handshake
 * and to its links. Built with HDMABUF_ROGUE only, never installed.
 */
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <xen/events.h>

#include "channel.h"
#include "rogue.h"

/* until then, the rogue takes no message of its peers' (answers it takes) */
static unsigned long rogue_deaf_until;

bool xchan_rogue_deaf(void)
{
	return time_before(jiffies, READ_ONCE(rogue_deaf_until));
}

/* the peer whose channel the rogue starts anew at its next step */
static u32 rogue_restart = U32_MAX;

bool xchan_rogue_restarts(struct xchan *ch)
{
	return cmpxchg(&rogue_restart, ch->peer, U32_MAX) == ch->peer;
}

/* while set, the rogue keeps its links' channels as they are, unlinked too */
static bool rogue_holding;

bool xchan_rogue_holds_links(void)
{
	return READ_ONCE(rogue_holding);
}

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
		if (!arg)
			xchan_links_recheck();
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
