// SPDX-License-Identifier: GPL-2.0
/*
 * The Xen transport: present when this kernel runs as a Xen domain. It
 * talks to each peer over a channel of its own (channel.c) and shares
 * pages by grant references (grants.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/hyper_dmabuf.h>
#include <xen/xen.h>
#include <xen/xenbus.h>

#include "hdmabuf.h"
#include "transport.h"
#include "xen.h"

static int local_domid = -ENODEV;
u32 hdmabuf_xen_domid;
static struct dentry *peers_file;

/*
 * dom0 is always domain 0. Any other domain reads its id from its own
 * xenstore home, where the toolstack wrote it before the guest started.
 */
static int read_local_domid(void)
{
	unsigned int domid;
	int ret;

	if (xen_initial_domain())
		return 0;
	ret = xenbus_scanf(XBT_NIL, "domid", "", "%u", &domid);
	if (ret != 1)
		return ret < 0 ? ret : -EIO;
	if (domid >= DOMID_FIRST_RESERVED)
		return -ERANGE;
	return domid;
}

static u32 xen_guest_type(void)
{
	if (xen_pv_domain())
		return HYPER_DMABUF_XEN_PV;
	if (xen_pvh_domain())
		return HYPER_DMABUF_XEN_PVH;
	return HYPER_DMABUF_XEN_HVM;
}

static void xen_describe(struct hyper_dmabuf_caps *caps)
{
	caps->flags |= HYPER_DMABUF_CAPS_XEN;
	caps->xen_type = xen_guest_type();
	if (local_domid >= 0) {
		caps->flags |= HYPER_DMABUF_CAPS_DOMID_VALID;
		caps->domid = local_domid;
	}
}

static int peers_show(struct seq_file *m, void *unused)
{
	hdmabuf_xchan_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(peers);

static bool xen_reaches(u32 domid)
{
	return domid != HYPER_DMABUF_DOMID_SELF && hdmabuf_xchan_reaches(domid);
}

/* What every Xen domain's transport does. */
#define XEN_TRANSPORT_OPS						\
	.name = "xen",							\
	.id = HYPER_DMABUF_TRANSPORT_XEN,				\
	.describe = xen_describe,					\
	.reaches = xen_reaches,						\
	.send = hdmabuf_xchan_send,					\
	.share = hdmabuf_xgrant_share,					\
	.unshare = hdmabuf_xgrant_unshare,				\
	.map = hdmabuf_xgrant_map,					\
	.unmap = hdmabuf_xgrant_unmap,					\
	.peers = hdmabuf_xchan_peers

/* HVM and PVH: imports are mapped into processes by fault. */
static const struct hdmabuf_transport xen_transport = {
	XEN_TRANSPORT_OPS,
};

#ifdef CONFIG_XEN_PV
/* PV: only Xen puts another domain's pages in a page table (pv-mmap.c). */
static const struct hdmabuf_transport xen_pv_transport = {
	XEN_TRANSPORT_OPS,
	.mmap = hdmabuf_xgrant_pv_mmap,
};
#endif

/* The table for this kind of domain: the same at load and at unload. */
static const struct hdmabuf_transport *xen_ops(void)
{
#ifdef CONFIG_XEN_PV
	if (xen_pv_domain())
		return &xen_pv_transport;
#endif
	return &xen_transport;
}

bool hdmabuf_xen_running(void)
{
	return local_domid >= 0;
}

int hdmabuf_xen_init(void)
{
	int ret;

	if (!xen_domain())
		return 0;
	local_domid = read_local_domid();
	if (local_domid < 0) {
		/* without our own id no peer can be told who we are */
		pr_warn("cannot read this domain's id from xenstore (%d)\n",
			local_domid);
		return 0;
	}
	hdmabuf_xen_domid = local_domid;
	ret = hdmabuf_transport_register(xen_ops(), local_domid);
	if (ret)
		return ret;
	ret = hdmabuf_xchan_init();
	if (ret) {
		hdmabuf_xchan_exit();
		hdmabuf_transport_unregister(xen_ops());
		return ret;
	}
	peers_file = debugfs_create_file("xen_peers", 0444,
					 hdmabuf_debugfs_dir, NULL,
					 &peers_fops);
	return 0;
}

void hdmabuf_xen_exit(void)
{
	if (!xen_domain() || local_domid < 0)
		return;
	debugfs_remove(peers_file);
	hdmabuf_xchan_exit();
	hdmabuf_xgrants_exit();
	hdmabuf_transport_unregister(xen_ops());
}
