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

HDMABUF_API const char *hdmabuf_role_name(enum hdmabuf_role role)
{
	switch (role) {
	case HDMABUF_ROLE_EXPORT:
		return "export";
	case HDMABUF_ROLE_IMPORT:
		return "import";
	}
	return NULL;
}

HDMABUF_API const char *hdmabuf_state_name(enum hdmabuf_state state)
{
	switch (state) {
	case HDMABUF_STATE_OFFERED:
		return "offered";
	case HDMABUF_STATE_WITHDRAWN:
		return "withdrawn";
	case HDMABUF_STATE_IMPORTED:
		return "imported";
	}
	return NULL;
}

HDMABUF_API const char *hdmabuf_event_type_name(enum hdmabuf_event_type type)
{
	switch (type) {
	case HDMABUF_EVENT_OVERFLOW:
		return "overflow";
	case HDMABUF_EVENT_OFFERED:
		return "offered";
	case HDMABUF_EVENT_IMPORTED:
		return "imported";
	case HDMABUF_EVENT_RELEASED:
		return "released";
	case HDMABUF_EVENT_UNEXPORTED:
		return "unexported";
	case HDMABUF_EVENT_REVOKED:
		return "revoked";
	case HDMABUF_EVENT_SIGNALLED:
		return "signalled";
	case HDMABUF_EVENT_PEER_UP:
		return "peer-up";
	case HDMABUF_EVENT_PEER_DOWN:
		return "peer-down";
	}
	return NULL;
}

HDMABUF_API const char *hdmabuf_peer_state_name(enum hdmabuf_peer_state state)
{
	switch (state) {
	case HDMABUF_PEER_CONNECTING:
		return "connecting";
	case HDMABUF_PEER_UP:
		return "up";
	}
	return NULL;
}
