// SPDX-License-Identifier: GPL-2.0
/*
 * The channels there are, one per peer domain: added and removed by
 * channel.c, found by domain id, and listed for PEERS and debugfs.
 */
#include <linux/hyper_dmabuf.h>
#include <linux/seq_file.h>
#include <linux/string.h>

#include "channel.h"
#include "xen.h"

static LIST_HEAD(chans);
static DEFINE_MUTEX(chans_lock);

void xchan_list_add(struct xchan *ch)
{
	mutex_lock(&chans_lock);
	list_add_tail(&ch->node, &chans);
	mutex_unlock(&chans_lock);
}

void xchan_list_del(struct xchan *ch)
{
	mutex_lock(&chans_lock);
	list_del(&ch->node);
	mutex_unlock(&chans_lock);
}

struct xchan *xchan_find(bool (*match)(u32 peer, const void *arg),
			 const void *arg)
{
	struct xchan *ch;

	mutex_lock(&chans_lock);
	list_for_each_entry(ch, &chans, node) {
		if (match(ch->peer, arg)) {
			kref_get(&ch->ref);
			mutex_unlock(&chans_lock);
			return ch;
		}
	}
	mutex_unlock(&chans_lock);
	return NULL;
}

static bool is_peer(u32 peer, const void *arg)
{
	return peer == *(const u32 *)arg;
}

struct xchan *xchan_get(u32 peer)
{
	return xchan_find(is_peer, &peer);
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
