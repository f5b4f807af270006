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

CHECK_OFFSET(hyper_dmabuf_id, domid, 0);
CHECK_OFFSET(hyper_dmabuf_id, serial, 4);
CHECK_OFFSET(hyper_dmabuf_id, key, 8);
CHECK_SIZE(hyper_dmabuf_id, 24);

CHECK_OFFSET(hyper_dmabuf_plane, offset, 0);
CHECK_OFFSET(hyper_dmabuf_plane, stride, 4);
CHECK_SIZE(hyper_dmabuf_plane, 8);

CHECK_OFFSET(hyper_dmabuf_meta, fourcc, 0);
CHECK_OFFSET(hyper_dmabuf_meta, width, 4);
CHECK_OFFSET(hyper_dmabuf_meta, height, 8);
CHECK_OFFSET(hyper_dmabuf_meta, num_planes, 12);
CHECK_OFFSET(hyper_dmabuf_meta, modifier, 16);
CHECK_OFFSET(hyper_dmabuf_meta, planes, 24);
CHECK_OFFSET(hyper_dmabuf_meta, planes[3], 48);
CHECK_OFFSET(hyper_dmabuf_meta, name, 56);
CHECK_OFFSET(hyper_dmabuf_meta, blob_len, 88);
CHECK_OFFSET(hyper_dmabuf_meta, reserved0, 92);
CHECK_OFFSET(hyper_dmabuf_meta, blob, 96);
CHECK_SIZE(hyper_dmabuf_meta, 352);

CHECK_OFFSET(hyper_dmabuf_alloc, size, 0);
CHECK_OFFSET(hyper_dmabuf_alloc, flags, 8);
CHECK_OFFSET(hyper_dmabuf_alloc, fd, 12);
CHECK_OFFSET(hyper_dmabuf_alloc, reserved, 16);
CHECK_SIZE(hyper_dmabuf_alloc, 32);

CHECK_OFFSET(hyper_dmabuf_export, fd, 0);
CHECK_OFFSET(hyper_dmabuf_export, peer, 4);
CHECK_OFFSET(hyper_dmabuf_export, flags, 8);
CHECK_OFFSET(hyper_dmabuf_export, reserved0, 12);
CHECK_OFFSET(hyper_dmabuf_export, meta, 16);
CHECK_OFFSET(hyper_dmabuf_export, size, 24);
CHECK_OFFSET(hyper_dmabuf_export, id, 32);
CHECK_OFFSET(hyper_dmabuf_export, reserved, 56);
CHECK_SIZE(hyper_dmabuf_export, 72);

CHECK_OFFSET(hyper_dmabuf_import, id, 0);
CHECK_OFFSET(hyper_dmabuf_import, flags, 24);
CHECK_OFFSET(hyper_dmabuf_import, fd, 28);
CHECK_OFFSET(hyper_dmabuf_import, size, 32);
CHECK_OFFSET(hyper_dmabuf_import, meta, 40);
CHECK_OFFSET(hyper_dmabuf_import, export_flags, 48);
CHECK_OFFSET(hyper_dmabuf_import, reserved0, 52);
CHECK_OFFSET(hyper_dmabuf_import, reserved, 56);
CHECK_SIZE(hyper_dmabuf_import, 72);

CHECK_OFFSET(hyper_dmabuf_unexport, id, 0);
CHECK_OFFSET(hyper_dmabuf_unexport, delay_ms, 24);
CHECK_OFFSET(hyper_dmabuf_unexport, flags, 28);
CHECK_OFFSET(hyper_dmabuf_unexport, reserved, 32);
CHECK_SIZE(hyper_dmabuf_unexport, 48);

CHECK_OFFSET(hyper_dmabuf_peer, domid, 0);
CHECK_OFFSET(hyper_dmabuf_peer, transport, 4);
CHECK_OFFSET(hyper_dmabuf_peer, state, 8);
CHECK_OFFSET(hyper_dmabuf_peer, sent, 16);
CHECK_OFFSET(hyper_dmabuf_peer, received, 24);
CHECK_OFFSET(hyper_dmabuf_peer, dropped, 32);
CHECK_OFFSET(hyper_dmabuf_peer, reserved, 40);
CHECK_SIZE(hyper_dmabuf_peer, 56);

CHECK_OFFSET(hyper_dmabuf_peers, entries, 0);
CHECK_OFFSET(hyper_dmabuf_peers, capacity, 8);
CHECK_OFFSET(hyper_dmabuf_peers, count, 12);
CHECK_OFFSET(hyper_dmabuf_peers, flags, 16);
CHECK_OFFSET(hyper_dmabuf_peers, reserved, 24);
CHECK_SIZE(hyper_dmabuf_peers, 40);

/* API 4: the Xen group, and the backing memory of ALLOC */
CHECK_OFFSET(hyper_dmabuf_xen_exp_from_refs, flags, 0);
CHECK_OFFSET(hyper_dmabuf_xen_exp_from_refs, count, 4);
CHECK_OFFSET(hyper_dmabuf_xen_exp_from_refs, domid, 8);
CHECK_OFFSET(hyper_dmabuf_xen_exp_from_refs, fd, 12);
CHECK_OFFSET(hyper_dmabuf_xen_exp_from_refs, refs, 16);
CHECK_OFFSET(hyper_dmabuf_xen_exp_from_refs, reserved, 24);
CHECK_SIZE(hyper_dmabuf_xen_exp_from_refs, 40);

CHECK_OFFSET(hyper_dmabuf_xen_exp_wait_released, fd, 0);
CHECK_OFFSET(hyper_dmabuf_xen_exp_wait_released, timeout_ms, 4);
CHECK_OFFSET(hyper_dmabuf_xen_exp_wait_released, reserved, 8);
CHECK_SIZE(hyper_dmabuf_xen_exp_wait_released, 16);

CHECK_OFFSET(hyper_dmabuf_xen_imp_to_refs, fd, 0);
CHECK_OFFSET(hyper_dmabuf_xen_imp_to_refs, count, 4);
CHECK_OFFSET(hyper_dmabuf_xen_imp_to_refs, domid, 8);
CHECK_OFFSET(hyper_dmabuf_xen_imp_to_refs, flags, 12);
CHECK_OFFSET(hyper_dmabuf_xen_imp_to_refs, refs, 16);
CHECK_OFFSET(hyper_dmabuf_xen_imp_to_refs, reserved, 24);
CHECK_SIZE(hyper_dmabuf_xen_imp_to_refs, 40);

CHECK_OFFSET(hyper_dmabuf_xen_imp_release, fd, 0);
CHECK_OFFSET(hyper_dmabuf_xen_imp_release, reserved, 4);
CHECK_SIZE(hyper_dmabuf_xen_imp_release, 8);

CHECK_VALUE(HYPER_DMABUF_IOCTL_XEN_EXP_FROM_REFS, 0xC028E520u);
CHECK_VALUE(HYPER_DMABUF_IOCTL_XEN_EXP_WAIT_RELEASED, 0x4010E521u);
CHECK_VALUE(HYPER_DMABUF_IOCTL_XEN_IMP_TO_REFS, 0x4028E522u);
CHECK_VALUE(HYPER_DMABUF_IOCTL_XEN_IMP_RELEASE, 0x4008E523u);
CHECK_VALUE(HYPER_DMABUF_XEN_REFS_MAX, 65535);
CHECK_VALUE(HYPER_DMABUF_XEN_GRANT_RO, 1u << 0);
CHECK_VALUE(HYPER_DMABUF_MEM_WC, 1u << 0);
CHECK_VALUE(HYPER_DMABUF_MEM_COHERENT, 1u << 1);

CHECK_VALUE(HYPER_DMABUF_IOCTL_ALLOC, 0xC020E501u);
CHECK_VALUE(HYPER_DMABUF_IOCTL_EXPORT, 0xC048E502u);
CHECK_VALUE(HYPER_DMABUF_IOCTL_IMPORT, 0xC048E503u);
CHECK_VALUE(HYPER_DMABUF_IOCTL_UNEXPORT, 0x4030E504u);
CHECK_VALUE(HYPER_DMABUF_IOCTL_PEERS, 0xC028E50Au);
CHECK_VALUE(HYPER_DMABUF_EVENT_PEER_UP, 8);
CHECK_VALUE(HYPER_DMABUF_EVENT_PEER_DOWN, 9);

CHECK_VALUE(HYPER_DMABUF_DOMID_SELF, 0x7FF0u);
CHECK_VALUE(HYPER_DMABUF_MAX_PLANES, 4);
CHECK_VALUE(HYPER_DMABUF_NAME_LEN, 32);
CHECK_VALUE(HYPER_DMABUF_BLOB_MAX, 256);
CHECK_VALUE(HYPER_DMABUF_EXPORT_RW, 1u << 0);
CHECK_VALUE(HYPER_DMABUF_EXPORT_PERSISTENT, 1u << 1);

int main(void)
{
	return 0;
}
