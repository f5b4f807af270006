// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * The library's version and the names of its enumerations.
 */
#include "config.h"

#include "internal.h"

HDMABUF_API const char *hdmabuf_version_string(void)
{
	return PACKAGE_VERSION;
}

HDMABUF_API const char *hdmabuf_transport_name(enum hdmabuf_transport transport)
{
	switch (transport) {
	case HDMABUF_TRANSPORT_LOOPBACK:
		return "loopback";
	case HDMABUF_TRANSPORT_XEN:
		return "xen";
	}
	return NULL;
}

HDMABUF_API const char *hdmabuf_xen_type_name(enum hdmabuf_xen_type type)
{
	switch (type) {
	case HDMABUF_XEN_PV:
		return "pv";
	case HDMABUF_XEN_PVH:
		return "pvh";
	case HDMABUF_XEN_HVM:
		return "hvm";
	case HDMABUF_XEN_NONE:
		break;
	}
	return NULL;
}
