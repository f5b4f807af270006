// SPDX-License-Identifier: GPL-2.0
/*
 * The loopback transport: both ends of a share live in this kernel, so the
 * core can be exercised on any machine, Xen or not.
 */
#include <linux/hyper_dmabuf.h>

#include "hdmabuf.h"
#include "transport.h"

static bool loopback_reaches(u32 domid)
{
	return domid == HYPER_DMABUF_DOMID_SELF || domid == hdmabuf_local_domid;
}

/* The exporter is this kernel: lend its pages directly. */
static int loopback_import(const struct hyper_dmabuf_id *id,
			   struct hdmabuf_import *imp,
			   struct hdmabuf_remote **out)
{
	return hdmabuf_export_lend(id, HYPER_DMABUF_DOMID_SELF, imp, out);
}

static struct hdmabuf_transport loopback_transport = {
	.name = "loopback",
	.id = HYPER_DMABUF_TRANSPORT_LOOPBACK,
	.reaches = loopback_reaches,
	.import = loopback_import,
};

int hdmabuf_loopback_init(void)
{
	return hdmabuf_transport_register(&loopback_transport);
}

void hdmabuf_loopback_exit(void)
{
	hdmabuf_transport_unregister(&loopback_transport);
}
