// SPDX-License-Identifier: GPL-2.0
/*
 * The Xen transport: present when this kernel runs as a Xen domain.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/hyper_dmabuf.h>
#include <xen/xen.h>
#include <xen/xenbus.h>

#include "hdmabuf.h"
#include "transport.h"

static int local_domid = -ENODEV;

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

static struct hdmabuf_transport xen_transport = {
	.name = "xen",
	.id = HYPER_DMABUF_TRANSPORT_XEN,
	.describe = xen_describe,
};

int hdmabuf_xen_init(void)
{
	if (!xen_domain())
		return 0;
	local_domid = read_local_domid();
	if (local_domid < 0)
		pr_warn("cannot read this domain's id from xenstore (%d)\n",
			local_domid);
	else
		hdmabuf_local_domid = local_domid;
	return hdmabuf_transport_register(&xen_transport);
}

void hdmabuf_xen_exit(void)
{
	if (xen_domain())
		hdmabuf_transport_unregister(&xen_transport);
}
