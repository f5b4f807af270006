// SPDX-License-Identifier: GPL-2.0
/*
 * The loopback transport: both ends of a share live in this kernel, so the
 * core can be exercised on any machine, Xen or not.
 */
#include <linux/hyper_dmabuf.h>

#include "transport.h"

static struct hdmabuf_transport loopback_transport = {
	.name = "loopback",
	.id = HYPER_DMABUF_TRANSPORT_LOOPBACK,
};

int hdmabuf_loopback_init(void)
{
	return hdmabuf_transport_register(&loopback_transport);
}

void hdmabuf_loopback_exit(void)
{
	hdmabuf_transport_unregister(&loopback_transport);
}
