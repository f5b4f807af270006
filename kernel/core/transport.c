// SPDX-License-Identifier: GPL-2.0
/*
 * Registry of the transports present in this module and environment.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <linux/hyper_dmabuf.h>

#include "hdmabuf.h"
#include "transport.h"

/*
 * In the order they registered. Each has an id bit of its own, so a u32
 * of ids names at most this many.
 */
#define TRANSPORTS_MAX	32

static const struct hdmabuf_transport *transports[TRANSPORTS_MAX];
static unsigned int ntransports;
static DEFINE_MUTEX(transports_lock);
/* the transport that gave this domain its number, if one did */
static const struct hdmabuf_transport *numbered_by;

int hdmabuf_transport_register(const struct hdmabuf_transport *t, u32 self)
{
	unsigned int i;
	int ret = 0;

	mutex_lock(&transports_lock);
	for (i = 0; i < ntransports; i++) {
		if (transports[i]->id & t->id) {
			ret = -EEXIST;
			goto out;
		}
	}
	if (ntransports == TRANSPORTS_MAX) {
		ret = -ENOSPC;
		goto out;
	}
	transports[ntransports++] = t;
	if (self != HYPER_DMABUF_DOMID_SELF) {
		hdmabuf_local_domid = self;
		numbered_by = t;
	}
	pr_info("transport %s registered\n", t->name);
out:
	mutex_unlock(&transports_lock);
	return ret;
}

void hdmabuf_transport_unregister(const struct hdmabuf_transport *t)
{
	unsigned int i;

	mutex_lock(&transports_lock);
	for (i = 0; i < ntransports; i++) {
		if (transports[i] == t) {
			if (numbered_by == t) {
				hdmabuf_local_domid = HYPER_DMABUF_DOMID_SELF;
				numbered_by = NULL;
			}
			ntransports--;
			memmove(&transports[i], &transports[i + 1],
				(ntransports - i) * sizeof(transports[0]));
			break;
		}
	}
	mutex_unlock(&transports_lock);
}

/* Each transport adds its bit and what it knows of the local domain. */
void hdmabuf_transport_describe(struct hyper_dmabuf_caps *caps)
{
	const struct hdmabuf_transport *cur;
	unsigned int i;

	mutex_lock(&transports_lock);
	for (i = 0; i < ntransports; i++) {
		cur = transports[i];
		caps->transports |= cur->id;
		if (cur->describe)
			cur->describe(caps);
	}
	mutex_unlock(&transports_lock);
}

const struct hdmabuf_transport *hdmabuf_transport_for(u32 domid)
{
	const struct hdmabuf_transport *found = NULL;
	unsigned int i;

	mutex_lock(&transports_lock);
	for (i = 0; i < ntransports; i++) {
		if (transports[i]->reaches && transports[i]->reaches(domid)) {
			found = transports[i];
			break;
		}
	}
	mutex_unlock(&transports_lock);
	return found;
}

unsigned int hdmabuf_transport_peers(struct hyper_dmabuf_peer *peers,
				     unsigned int capacity)
{
	const struct hdmabuf_transport *cur;
	unsigned int n = 0, got, i, t;

	mutex_lock(&transports_lock);
	for (t = 0; t < ntransports; t++) {
		cur = transports[t];
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
