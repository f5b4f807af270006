/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * hyper_dmabuf: share dma-bufs between Xen domains.
 *
 * The ioctl ABI of /dev/hyper_dmabuf, shared by the kernel module and by
 * libhyperdmabuf. Every structure uses fixed-width fields only, so the
 * layout is the same for 32-bit and 64-bit callers. Fields named
 * "reserved" and all undefined flag bits must be zero on input: the kernel
 * rejects anything else with EINVAL, which lets later versions give them a
 * meaning. Unknown ioctl numbers fail with ENOTTY.
 *
 * docs/uapi.md describes every call: inputs, outputs and errors.
 */
#ifndef _UAPI_LINUX_HYPER_DMABUF_H
#define _UAPI_LINUX_HYPER_DMABUF_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* Raised whenever the ABI gains a call or a field. */
#define HYPER_DMABUF_API_VERSION	1

#define HYPER_DMABUF_IOC_MAGIC		0xE5

/* Transports, as bits of hyper_dmabuf_caps.transports. */
#define HYPER_DMABUF_TRANSPORT_LOOPBACK	(1U << 0)
#define HYPER_DMABUF_TRANSPORT_XEN	(1U << 1)

/* hyper_dmabuf_caps.flags (output) */
#define HYPER_DMABUF_CAPS_XEN		(1U << 0) /* running in a Xen domain */
#define HYPER_DMABUF_CAPS_DOMID_VALID	(1U << 1) /* domid is known */

/* hyper_dmabuf_caps.xen_type */
#define HYPER_DMABUF_XEN_NONE		0
#define HYPER_DMABUF_XEN_PV		1
#define HYPER_DMABUF_XEN_PVH		2
#define HYPER_DMABUF_XEN_HVM		3

#define HYPER_DMABUF_VERSION_LEN	32

/**
 * struct hyper_dmabuf_caps - what this module is and where it runs
 * @api_version: out: HYPER_DMABUF_API_VERSION of the module.
 * @flags: in: must be zero; out: HYPER_DMABUF_CAPS_* bits.
 * @transports: out: HYPER_DMABUF_TRANSPORT_* bits usable on this system.
 * @domid: out: this domain's id when HYPER_DMABUF_CAPS_DOMID_VALID is set.
 * @xen_type: out: HYPER_DMABUF_XEN_* guest type, NONE off Xen.
 * @reserved0: must be zero.
 * @module_version: out: the module's version, a NUL-terminated string.
 * @reserved: must be zero.
 */
struct hyper_dmabuf_caps {
	__u32 api_version;
	__u32 flags;
	__u32 transports;
	__u32 domid;
	__u32 xen_type;
	__u32 reserved0;
	char module_version[HYPER_DMABUF_VERSION_LEN];
	__u64 reserved[4];
};

/*
 * HYPER_DMABUF_IOCTL_GET_CAPS - describe the module and its environment.
 * Errors: EFAULT (bad pointer), EINVAL (flags or reserved not zero).
 */
#define HYPER_DMABUF_IOCTL_GET_CAPS \
	_IOWR(HYPER_DMABUF_IOC_MAGIC, 0x00, struct hyper_dmabuf_caps)

#endif /* _UAPI_LINUX_HYPER_DMABUF_H */
