// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Capabilities: a snapshot of HYPER_DMABUF_IOCTL_GET_CAPS.
 */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The public enum mirrors the uAPI numbering, so values pass unchanged. */
_Static_assert(HDMABUF_XEN_NONE == HYPER_DMABUF_XEN_NONE &&
	       HDMABUF_XEN_PV == HYPER_DMABUF_XEN_PV &&
	       HDMABUF_XEN_PVH == HYPER_DMABUF_XEN_PVH &&
	       HDMABUF_XEN_HVM == HYPER_DMABUF_XEN_HVM,
	       "enum hdmabuf_xen_type must match HYPER_DMABUF_XEN_*");

struct hdmabuf_caps {
	struct hyper_dmabuf_caps uapi;
};

HDMABUF_API struct hdmabuf_caps *hdmabuf_ctx_get_caps(struct hdmabuf_ctx *ctx)
{
	struct hdmabuf_caps *caps;
	int saved_errno;

	assert(ctx);

	/* calloc: flags and every reserved field must go in as zero */
	caps = calloc(1, sizeof(*caps));
	if (!caps)
		return NULL;

	if (hdmabuf_ctx_ioctl(ctx, HYPER_DMABUF_IOCTL_GET_CAPS, &caps->uapi)) {
		saved_errno = errno;
		free(caps);
		errno = saved_errno;
		return NULL;
	}

	/* The module terminates the string; do not rely on it. */
	caps->uapi.module_version[sizeof(caps->uapi.module_version) - 1] = '\0';

	return caps;
}

HDMABUF_API void hdmabuf_caps_free(struct hdmabuf_caps *caps)
{
	free(caps);
}

HDMABUF_API unsigned int hdmabuf_caps_get_api_version(struct hdmabuf_caps *caps)
{
	assert(caps);

	return caps->uapi.api_version;
}

HDMABUF_API const char *
hdmabuf_caps_get_module_version(struct hdmabuf_caps *caps)
{
	assert(caps);

	return caps->uapi.module_version;
}

HDMABUF_API bool hdmabuf_caps_is_xen(struct hdmabuf_caps *caps)
{
	assert(caps);

	return caps->uapi.flags & HYPER_DMABUF_CAPS_XEN;
}

HDMABUF_API enum hdmabuf_xen_type
hdmabuf_caps_get_xen_type(struct hdmabuf_caps *caps)
{
	assert(caps);

	return (enum hdmabuf_xen_type)caps->uapi.xen_type;
}

HDMABUF_API int hdmabuf_caps_get_domid(struct hdmabuf_caps *caps)
{
	assert(caps);

	if (!(caps->uapi.flags & HYPER_DMABUF_CAPS_DOMID_VALID)) {
		errno = ENODATA;
		return -1;
	}
	return caps->uapi.domid;
}

static uint32_t transport_bit(enum hdmabuf_transport transport)
{
	switch (transport) {
	case HDMABUF_TRANSPORT_LOOPBACK:
		return HYPER_DMABUF_TRANSPORT_LOOPBACK;
	case HDMABUF_TRANSPORT_XEN:
		return HYPER_DMABUF_TRANSPORT_XEN;
	}
	return 0;
}

/* The module names a transport by its bit; the library by its enum. */
enum hdmabuf_transport hdmabuf_transport_from_bit(uint32_t bit)
{
	switch (bit) {
	case HYPER_DMABUF_TRANSPORT_LOOPBACK:
		return HDMABUF_TRANSPORT_LOOPBACK;
	case HYPER_DMABUF_TRANSPORT_XEN:
		return HDMABUF_TRANSPORT_XEN;
	}
	return (enum hdmabuf_transport)0;
}

HDMABUF_API bool hdmabuf_caps_has_transport(struct hdmabuf_caps *caps,
					    enum hdmabuf_transport transport)
{
	assert(caps);

	return caps->uapi.transports & transport_bit(transport);
}
