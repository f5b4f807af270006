/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the files behind hdmabuf_xchan_* share: the channel to one peer
 * (struct xchan) and the calls between them. channel.c runs a channel's
 * life and its handshake in xenstore, ring.c carries its messages,
 * discovery.c finds the peers there are, channel-list.c keeps the
 * channels and lists them, and rogue.c is the lab's rogue peer.
 */
#ifndef HDMABUF_XEN_CHANNEL_H
#define HDMABUF_XEN_CHANNEL_H

#include <linux/atomic.h>
#include <linux/interrupt.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <xen/grant_table.h>
#include <xen/xenbus.h>
#include <xen/interface/event_channel.h>

#include "ring.h"

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

/*
 * channel.c: a channel with @peer whose directory is the entry for @far
 * in the peer directory of domain @owner; taken off the list and down
 * (@leaving: telling the peer), freed once the last reference goes.
 */
int xchan_add(u32 peer, u32 owner, u32 far);
void xchan_remove(struct xchan *ch, bool leaving);
void xchan_put(struct xchan *ch);

/*
 * channel-list.c: the channels there are. Each lookup returns the channel
 * with a reference (xchan_put), or NULL: the first whose peer @match says
 * true of, or the one with @peer.
 */
void xchan_list_add(struct xchan *ch);
void xchan_list_del(struct xchan *ch);
struct xchan *xchan_find(bool (*match)(u32 peer, const void *arg),
			 const void *arg);
struct xchan *xchan_get(u32 peer);

/*
 * ring.c: the delivery's workqueue, at load and unload; a new channel's
 * queues and work items; the event channel's handler; and the purge of
 * what the peer sent and the core has not handled (ch->lock not held).
 */
int xchan_ring_init(void);
void xchan_ring_exit(void);
void xchan_ring_prepare(struct xchan *ch);
irqreturn_t xchan_interrupt(int irq, void *dev_id);
void xchan_inbox_purge(struct xchan *ch);

/* rogue.c: the lab's rogue peer (HDMABUF_ROGUE builds only) */
#ifdef HDMABUF_ROGUE
/* it takes no message of its peers' (answers it takes) */
bool xchan_rogue_deaf(void);
/* it starts @ch anew, once */
bool xchan_rogue_restarts(struct xchan *ch);
/* it keeps its links' channels as they are, unlinked too */
bool xchan_rogue_holds_links(void);
/* discovery.c: the links looked at again, when it lets go of them */
void xchan_links_recheck(void);
#else
static inline bool xchan_rogue_deaf(void)
{
	return false;
}

static inline bool xchan_rogue_restarts(struct xchan *ch)
{
	return false;
}

static inline bool xchan_rogue_holds_links(void)
{
	return false;
}
#endif

#endif /* HDMABUF_XEN_CHANNEL_H */
