// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The uAPI is an ABI: the layout of its structures and the values of its
 * numbers must never change. The checks are made by the compiler, so
 * building this file is the test; test-uapi-layout-m32.sh builds it again
 * for 32-bit x86, whose callers the module serves without translation.
 */
#include <stddef.h>
#include <linux/hyper_dmabuf.h>

#define CHECK_OFFSET(type, field, offset) \
	_Static_assert(offsetof(struct type, field) == (offset), \
		       "offset of " #type "." #field)
#define CHECK_SIZE(type, size) \
	_Static_assert(sizeof(struct type) == (size), "size of " #type)
#define CHECK_VALUE(name, value) \
	_Static_assert((name) == (value), "value of " #name)

CHECK_OFFSET(hyper_dmabuf_caps, api_version, 0);
CHECK_OFFSET(hyper_dmabuf_caps, flags, 4);
CHECK_OFFSET(hyper_dmabuf_caps, transports, 8);
CHECK_OFFSET(hyper_dmabuf_caps, domid, 12);
CHECK_OFFSET(hyper_dmabuf_caps, xen_type, 16);
CHECK_OFFSET(hyper_dmabuf_caps, reserved0, 20);
CHECK_OFFSET(hyper_dmabuf_caps, module_version, 24);
CHECK_OFFSET(hyper_dmabuf_caps, reserved, 56);
CHECK_SIZE(hyper_dmabuf_caps, 88);

/* direction, size, magic and number are all encoded in the request */
CHECK_VALUE(HYPER_DMABUF_IOC_MAGIC, 0xE5);
CHECK_VALUE(HYPER_DMABUF_IOCTL_GET_CAPS, 0xC058E500u);

CHECK_VALUE(HYPER_DMABUF_VERSION_LEN, 32);
CHECK_VALUE(HYPER_DMABUF_TRANSPORT_LOOPBACK, 1u << 0);
CHECK_VALUE(HYPER_DMABUF_TRANSPORT_XEN, 1u << 1);
CHECK_VALUE(HYPER_DMABUF_CAPS_XEN, 1u << 0);
CHECK_VALUE(HYPER_DMABUF_CAPS_DOMID_VALID, 1u << 1);
CHECK_VALUE(HYPER_DMABUF_XEN_NONE, 0);
CHECK_VALUE(HYPER_DMABUF_XEN_PV, 1);
CHECK_VALUE(HYPER_DMABUF_XEN_PVH, 2);
CHECK_VALUE(HYPER_DMABUF_XEN_HVM, 3);

int main(void)
{
	return 0;
}
