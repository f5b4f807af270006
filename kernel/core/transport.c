// SPDX-License-Identifier: GPL-2.0
/*
 * Registry of the transports present in this module and environment.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/mutex.h>
#include <linux/hyper_dmabuf.h>

#include "transport.h"

static LIST_HEAD(transports);
static DEFINE_MUTEX(transports_lock);

int hdmabuf_transport_register(struct hdmabuf_transport *t)
{
	struct hdmabuf_transport *cur;
	int ret = 0;

	mutex_lock(&transports_lock);
	list_for_each_entry(cur, &transports, node) {
		if (cur->id & t->id) {
			ret = -EEXIST;
			goto out;
		}
	}
	list_add_tail(&t->node, &transports);
	pr_info("transport %s registered\n", t->name);
out:
	mutex_unlock(&transports_lock);
	return ret;
}

void hdmabuf_transport_unregister(struct hdmabuf_transport *t)
{
	mutex_lock(&transports_lock);
	list_del(&t->node);
	mutex_unlock(&transports_lock);
}

/* Each transport adds its bit and what it knows of the local domain. */
void hdmabuf_transport_describe(struct hyper_dmabuf_caps *caps)
{
	struct hdmabuf_transport *cur;

	mutex_lock(&transports_lock);
	list_for_each_entry(cur, &transports, node) {
		caps->transports |= cur->id;
		if (cur->describe)
			cur->describe(caps);
	}
	mutex_unlock(&transports_lock);
}

struct hdmabuf_transport *hdmabuf_transport_for(u32 domid)
{
	struct hdmabuf_transport *cur, *found = NULL;

	mutex_lock(&transports_lock);
	list_for_each_entry(cur, &transports, node) {
		if (cur->reaches && cur->reaches(domid)) {
			found = cur;
			break;
		}
	}
	mutex_unlock(&transports_lock);
	return found;
}

unsigned int hdmabuf_transport_peers(struct hyper_dmabuf_peer *peers,
				     unsigned int capacity)
{
	struct hdmabuf_transport *cur;
	unsigned int n = 0, got, i;

	mutex_lock(&transports_lock);
	list_for_each_entry(cur, &transports, node) {
		if (!cur->peers)
			continue;
		got = cur->peers(peers ? peers + min(n, capacity) : NULL,
				 capacity - min(n, capacity));
		for (i = n; peers && i < min(n + got, capacity); i++)
			peers[i].transport = cur->id;
		n += got;
	}
	mutex_unlock(&transports_lock);
	return n;
}
