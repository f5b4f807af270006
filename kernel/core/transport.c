// SPDX-License-Identifier: GPL-2.0
/*
 * Registry of the transports present in this module and environment.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/ioctl.h>
#include <linux/mutex.h>
#include <linux/hyper_dmabuf.h>

#include "transport.h"

/* The numbers of the transports' groups: Xen's, 0x20 to 0x2f. */
#define TRANSPORT_IOC_FIRST	0x20
#define TRANSPORT_IOC_LAST	0x2f

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

/* The transport with calls of its own. One at most exists (Xen). */
static struct hdmabuf_transport *transport_with_ioctl(void)
{
	struct hdmabuf_transport *cur, *found = NULL;

	mutex_lock(&transports_lock);
	list_for_each_entry(cur, &transports, node) {
		if (cur->ioctl) {
			found = cur;
			break;
		}
	}
	mutex_unlock(&transports_lock);
	return found;
}

long hdmabuf_transport_ioctl(struct hdmabuf_file *file, unsigned int cmd,
			     void __user *uarg)
{
	struct hdmabuf_transport *t;
	long ret;

	if (_IOC_TYPE(cmd) != HYPER_DMABUF_IOC_MAGIC ||
	    _IOC_NR(cmd) < TRANSPORT_IOC_FIRST ||
	    _IOC_NR(cmd) > TRANSPORT_IOC_LAST)
		return -ENOTTY;
	t = transport_with_ioctl();
	/* a call of the Xen group outside Xen */
	if (!t)
		return -ENODEV;
	/* no lock: calls may wait, and transports outlive every open file */
	ret = t->ioctl(file, cmd, uarg);
	return ret == -ENOIOCTLCMD ? -ENOTTY : ret;
}

void hdmabuf_transport_file_release(struct hdmabuf_file *file)
{
	struct hdmabuf_transport *t = transport_with_ioctl();

	if (t && t->file_release)
		t->file_release(file);
}
