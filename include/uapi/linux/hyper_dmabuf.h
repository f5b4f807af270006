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
 * docs/uapi.md describes every call: inputs, outputs and errors;
 * docs/security.md who may make them. An open of the device sees (LIST,
 * QUERY, events) and may SIGNAL and WAIT on the exports of its opener's
 * user and the imports made through it; CAP_SYS_ADMIN, all of them.
 */
#ifndef _UAPI_LINUX_HYPER_DMABUF_H
#define _UAPI_LINUX_HYPER_DMABUF_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* Raised whenever the ABI gains a call or a field. */
#define HYPER_DMABUF_API_VERSION	4

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

/*
 * The peer of the loopback transport: this domain itself. Exports to it are
 * imported in this same kernel; off Xen it is also the exporter domain of
 * every id.
 */
#define HYPER_DMABUF_DOMID_SELF		0x7FF0U

/**
 * struct hyper_dmabuf_id - names one export, across domains
 * @domid: the exporting domain (HYPER_DMABUF_DOMID_SELF off Xen).
 * @serial: the exporter's number for it, never reused while loaded.
 * @key: 128 random bits; an import must present them.
 */
struct hyper_dmabuf_id {
	__u32 domid;
	__u32 serial;
	__u64 key[2];
};

#define HYPER_DMABUF_MAX_PLANES		4
#define HYPER_DMABUF_NAME_LEN		32
#define HYPER_DMABUF_BLOB_MAX		256

struct hyper_dmabuf_plane {
	__u32 offset;
	__u32 stride;
};

/**
 * struct hyper_dmabuf_meta - what the buffer holds, carried with it
 * @fourcc: DRM fourcc of the pixel format, 0 for none.
 * @width: pixels, with @fourcc.
 * @height: lines, with @fourcc.
 * @num_planes: entries of @planes in use, 0 to HYPER_DMABUF_MAX_PLANES.
 * @modifier: DRM format modifier.
 * @planes: byte offset and stride of each plane; each plane must lie
 *	inside the buffer.
 * @name: NUL-terminated, free text.
 * @blob_len: bytes of @blob in use, at most HYPER_DMABUF_BLOB_MAX.
 * @reserved0: must be zero.
 * @blob: opaque to the module.
 */
struct hyper_dmabuf_meta {
	__u32 fourcc;
	__u32 width;
	__u32 height;
	__u32 num_planes;
	__u64 modifier;
	struct hyper_dmabuf_plane planes[HYPER_DMABUF_MAX_PLANES];
	char name[HYPER_DMABUF_NAME_LEN];
	__u32 blob_len;
	__u32 reserved0;
	__u8 blob[HYPER_DMABUF_BLOB_MAX];
};

/**
 * struct hyper_dmabuf_alloc - a dma-buf of the module's own
 * @size: in: bytes, more than 0, at most the module's max_alloc_mb;
 *	rounded up to whole pages (out: the rounded size).
 * @flags: in: at most one HYPER_DMABUF_MEM_* backing flag; none gives
 *	system pages.
 * @fd: out: the dma-buf, opened read-write and close-on-exec.
 * @reserved: must be zero.
 */
struct hyper_dmabuf_alloc {
	__u64 size;
	__u32 flags;
	__s32 fd;
	__u64 reserved[2];
};

/*
 * Backing memory, for hyper_dmabuf_alloc.flags and
 * hyper_dmabuf_xen_exp_from_refs.flags: DMA memory of the module's device,
 * contiguous for devices that need it, mapped write-combined or coherent.
 * At most one of them.
 */
#define HYPER_DMABUF_MEM_WC		(1U << 0)
#define HYPER_DMABUF_MEM_COHERENT	(1U << 1)

/* hyper_dmabuf_export.flags */
#define HYPER_DMABUF_EXPORT_RW		(1U << 0) /* importers may write */
#define HYPER_DMABUF_EXPORT_PERSISTENT	(1U << 1) /* outlives this fd */

/**
 * struct hyper_dmabuf_export - offer a dma-buf to a peer domain
 * @fd: in: the dma-buf; any exporter whose buffer is backed by pages.
 * @peer: in: the domain that may import it.
 * @flags: in: HYPER_DMABUF_EXPORT_*; read-only when RW is not set.
 * @reserved0: must be zero.
 * @meta: in: user pointer to a struct hyper_dmabuf_meta, or 0.
 * @size: out: the buffer's size in bytes.
 * @id: out: the id importers name it by.
 * @reserved: must be zero.
 */
struct hyper_dmabuf_export {
	__s32 fd;
	__u32 peer;
	__u32 flags;
	__u32 reserved0;
	__u64 meta;
	__u64 size;
	struct hyper_dmabuf_id id;
	__u64 reserved[2];
};

/**
 * struct hyper_dmabuf_import - a dma-buf on an export's pages
 * @id: in: the export.
 * @flags: in: must be zero.
 * @fd: out: the new dma-buf, close-on-exec; read-write if the export is.
 * @size: out: its size in bytes.
 * @meta: in: user pointer where the export's metadata is written, or 0.
 * @export_flags: out: the export's HYPER_DMABUF_EXPORT_* flags.
 * @reserved0: must be zero.
 * @reserved: must be zero.
 */
struct hyper_dmabuf_import {
	struct hyper_dmabuf_id id;
	__u32 flags;
	__s32 fd;
	__u64 size;
	__u64 meta;
	__u32 export_flags;
	__u32 reserved0;
	__u64 reserved[2];
};

/**
 * struct hyper_dmabuf_unexport - take an export off offer
 * @id: in: the export, made through this device.
 * @delay_ms: in: keep offering it this long first (at most 60000).
 * @flags: in: must be zero.
 * @reserved: must be zero.
 */
struct hyper_dmabuf_unexport {
	struct hyper_dmabuf_id id;
	__u32 delay_ms;
	__u32 flags;
	__u64 reserved[2];
};

/* hyper_dmabuf_info.role */
#define HYPER_DMABUF_ROLE_EXPORT	1
#define HYPER_DMABUF_ROLE_IMPORT	2

/* hyper_dmabuf_info.state */
#define HYPER_DMABUF_STATE_OFFERED	1 /* export: may be imported */
#define HYPER_DMABUF_STATE_WITHDRAWN	2 /* export: unexported, still imported */
#define HYPER_DMABUF_STATE_IMPORTED	3 /* import: in use here */

/**
 * struct hyper_dmabuf_info - one export or import of this domain
 * @id: the export's id.
 * @role: HYPER_DMABUF_ROLE_*.
 * @state: HYPER_DMABUF_STATE_*.
 * @peer: export: the domain it is offered to; import: the exporter
 *	(HYPER_DMABUF_DOMID_SELF for this domain, whatever its number).
 * @flags: the export's HYPER_DMABUF_EXPORT_* flags.
 * @size: bytes.
 * @importers: export: imports of it alive now; import: 0.
 * @reserved0: zero.
 * @reserved: zero.
 */
struct hyper_dmabuf_info {
	struct hyper_dmabuf_id id;
	__u32 role;
	__u32 state;
	__u32 peer;
	__u32 flags;
	__u64 size;
	__u32 importers;
	__u32 reserved0;
	__u64 reserved[3];
};

/**
 * struct hyper_dmabuf_query - describe one export or import by id, one
 *	this open file may see (ENOENT for another user's export)
 * @id: in: its id (the key must match).
 * @flags: in: must be zero.
 * @reserved0: must be zero.
 * @info: out: an export of this domain if there is one, else an import.
 */
struct hyper_dmabuf_query {
	struct hyper_dmabuf_id id;
	__u32 flags;
	__u32 reserved0;
	struct hyper_dmabuf_info info;
};

/**
 * struct hyper_dmabuf_list - every export and import of this domain that
 *	this open file may see
 * @entries: in: user pointer to @capacity struct hyper_dmabuf_info.
 * @capacity: in: room at @entries (0 to ask for the count only).
 * @count: out: how many there are; only min(count, capacity) are written.
 * @flags: in: must be zero.
 * @reserved0: must be zero.
 * @reserved: must be zero.
 */
struct hyper_dmabuf_list {
	__u64 entries;
	__u32 capacity;
	__u32 count;
	__u32 flags;
	__u32 reserved0;
	__u64 reserved[2];
};

/* hyper_dmabuf_peer.state */
#define HYPER_DMABUF_PEER_CONNECTING	1 /* being set up, or waiting for it */
#define HYPER_DMABUF_PEER_UP		2 /* messages flow, HELLO answered */

/**
 * struct hyper_dmabuf_peer - a domain this one can share with
 * @domid: the peer (HYPER_DMABUF_DOMID_SELF: this domain, by loopback).
 * @transport: the HYPER_DMABUF_TRANSPORT_* bit that reaches it.
 * @state: HYPER_DMABUF_PEER_*.
 * @reserved0: zero.
 * @sent: messages sent to it.
 * @received: messages received from it.
 * @dropped: messages from it that were malformed or out of place.
 * @reserved: zero.
 */
struct hyper_dmabuf_peer {
	__u32 domid;
	__u32 transport;
	__u32 state;
	__u32 reserved0;
	__u64 sent;
	__u64 received;
	__u64 dropped;
	__u64 reserved[2];
};

/**
 * struct hyper_dmabuf_peers - the peers of this domain (API 3)
 * @entries: in: user pointer to @capacity struct hyper_dmabuf_peer.
 * @capacity: in: room at @entries (0 to ask for the count only).
 * @count: out: how many there are; only min(count, capacity) are written.
 * @flags: in: must be zero.
 * @reserved0: must be zero.
 * @reserved: must be zero.
 */
struct hyper_dmabuf_peers {
	__u64 entries;
	__u32 capacity;
	__u32 count;
	__u32 flags;
	__u32 reserved0;
	__u64 reserved[2];
};

/* hyper_dmabuf_event.type */
#define HYPER_DMABUF_EVENT_OVERFLOW	1 /* events were lost: value = how many */
#define HYPER_DMABUF_EVENT_OFFERED	2 /* an export was offered to this domain */
#define HYPER_DMABUF_EVENT_IMPORTED	3 /* peer imported an export of ours */
#define HYPER_DMABUF_EVENT_RELEASED	4 /* peer released its import */
#define HYPER_DMABUF_EVENT_UNEXPORTED	5 /* an export went off offer */
#define HYPER_DMABUF_EVENT_REVOKED	6 /* an import of ours was revoked */
#define HYPER_DMABUF_EVENT_SIGNALLED	7 /* a timeline moved: value = now */
#define HYPER_DMABUF_EVENT_PEER_UP	8 /* a channel to peer is up */
#define HYPER_DMABUF_EVENT_PEER_DOWN	9 /* peer went away: all shared with it taken back */

/**
 * struct hyper_dmabuf_event - what read() on the device returns
 * @type: HYPER_DMABUF_EVENT_*.
 * @peer: the other domain concerned.
 * @id: the export concerned (zero for OVERFLOW, PEER_UP, PEER_DOWN).
 * @value: OVERFLOW: events lost; SIGNALLED: the timeline's new value;
 *	otherwise zero.
 * @timestamp_ns: CLOCK_MONOTONIC when it happened (OVERFLOW: when read).
 * @reserved: zero.
 *
 * Each open of the device has its own queue of events about this domain's
 * exports and imports that it may see, and every offer from another
 * domain, bounded by the module parameter event_queue_len.
 * A full queue drops new events and counts them; the next read() then
 * starts with one OVERFLOW event. read() returns whole events only (EINVAL
 * for a buffer smaller than one), blocks unless O_NONBLOCK (then EAGAIN);
 * poll() reports POLLIN while events are queued.
 */
struct hyper_dmabuf_event {
	__u32 type;
	__u32 peer;
	struct hyper_dmabuf_id id;
	__u64 value;
	__u64 timestamp_ns;
	__u64 reserved[2];
};

/**
 * struct hyper_dmabuf_revoke - take an export back from its importers
 * @id: in: the export, made through this device (or persistent, as root).
 * @timeout_ms: in: how long to wait for importers to let go (at most
 *	60000).
 * @flags: in: must be zero.
 * @remaining: out: imports still alive when the wait ended.
 * @reserved0: must be zero.
 * @reserved: must be zero.
 */
struct hyper_dmabuf_revoke {
	struct hyper_dmabuf_id id;
	__u32 timeout_ms;
	__u32 flags;
	__u32 remaining;
	__u32 reserved0;
	__u64 reserved[2];
};

/**
 * struct hyper_dmabuf_signal - move an export's timeline forward
 * @id: in: the export (its exporter's user and its importers may signal;
 *	EPERM for others without CAP_SYS_ADMIN).
 * @value: in: the new value, above the current one.
 * @flags: in: must be zero.
 * @reserved0: must be zero.
 * @reserved: must be zero.
 *
 * Every export has a 64-bit timeline, starting at 0, that both sides may
 * advance and wait on: "frame ready", "frame released".
 */
struct hyper_dmabuf_signal {
	struct hyper_dmabuf_id id;
	__u64 value;
	__u32 flags;
	__u32 reserved0;
	__u64 reserved[2];
};

/* hyper_dmabuf_wait.flags */
#define HYPER_DMABUF_WAIT_SYNC_FILE	(1U << 0) /* don't block: a sync_file */

/**
 * struct hyper_dmabuf_wait - wait until a timeline reaches a value
 * @id: in: the export.
 * @value: in: the value to wait for.
 * @timeout_ms: in: how long to block; with WAIT_SYNC_FILE, the sync_file's
 *	deadline (0: the module's default, 10 s; at most 60000), after which
 *	it signals with the error ETIMEDOUT.
 * @flags: in: HYPER_DMABUF_WAIT_*.
 * @fence_fd: out: with WAIT_SYNC_FILE, a sync_file that signals when the
 *	timeline reaches @value; -1 otherwise.
 * @reserved0: must be zero.
 * @current_value: out: the timeline's value when the call returned.
 * @reserved: must be zero.
 */
struct hyper_dmabuf_wait {
	struct hyper_dmabuf_id id;
	__u64 value;
	__u32 timeout_ms;
	__u32 flags;
	__s32 fence_fd;
	__u32 reserved0;
	__u64 current_value;
	__u64 reserved[2];
};

/*
 * Xen grant references: the calls of the kernel's gntdev dma-buf interface
 * (xengnttab_dmabuf_*), for kernels without it. Only in a Xen domain:
 * ENODEV elsewhere. Only with CAP_SYS_ADMIN, of the opener and of the
 * caller: EPERM otherwise. No peer channel is involved; the other domain
 * learns of the references by a protocol of its own (the PV display
 * protocol, for one).
 */

/* The most references one call takes or gives. */
#define HYPER_DMABUF_XEN_REFS_MAX	65535

/**
 * struct hyper_dmabuf_xen_exp_from_refs - map another domain's grants as a
 *	dma-buf of this domain
 * @flags: in: 0, or one HYPER_DMABUF_MEM_* flag: the mappings then sit on
 *	DMA memory of that kind, whose own frames go back to Xen while the
 *	buffer lives.
 * @count: in: references at @refs, 1 to HYPER_DMABUF_XEN_REFS_MAX.
 * @domid: in: the domain that granted them.
 * @fd: out: the dma-buf, read-write and close-on-exec, @count pages.
 * @refs: in: user address of @count __u32 grant references, in page order.
 * @reserved: must be zero.
 */
struct hyper_dmabuf_xen_exp_from_refs {
	__u32 flags;
	__u32 count;
	__u32 domid;
	__s32 fd;
	__u64 refs;
	__u64 reserved[2];
};

/**
 * struct hyper_dmabuf_xen_exp_wait_released - wait for the end of a dma-buf
 *	made by EXP_FROM_REFS on this same open file
 * @fd: in: the descriptor number EXP_FROM_REFS returned (it may be closed).
 * @timeout_ms: in: how long to wait, at most 60000.
 * @reserved: must be zero.
 */
struct hyper_dmabuf_xen_exp_wait_released {
	__s32 fd;
	__u32 timeout_ms;
	__u64 reserved;
};

/* hyper_dmabuf_xen_imp_to_refs.flags */
#define HYPER_DMABUF_XEN_GRANT_RO	(1U << 0) /* the domain may only read */

/**
 * struct hyper_dmabuf_xen_imp_to_refs - grant a dma-buf's pages to a domain
 * @fd: in: the dma-buf; it must be open for writing unless GRANT_RO.
 * @count: in: its size in pages (exactly), 1 to HYPER_DMABUF_XEN_REFS_MAX.
 * @domid: in: the domain to grant them to.
 * @flags: in: HYPER_DMABUF_XEN_GRANT_*.
 * @refs: in: user address of room for @count __u32; out there: the
 *	references, in page order.
 * @reserved: must be zero.
 */
struct hyper_dmabuf_xen_imp_to_refs {
	__s32 fd;
	__u32 count;
	__u32 domid;
	__u32 flags;
	__u64 refs;
	__u64 reserved[2];
};

/**
 * struct hyper_dmabuf_xen_imp_release - end the grants of IMP_TO_REFS
 * @fd: in: the descriptor number given to IMP_TO_REFS on this same open
 *	file (it may be closed since).
 * @reserved: must be zero.
 */
struct hyper_dmabuf_xen_imp_release {
	__s32 fd;
	__u32 reserved;
};

#define HYPER_DMABUF_IOCTL_ALLOC \
	_IOWR(HYPER_DMABUF_IOC_MAGIC, 0x01, struct hyper_dmabuf_alloc)
#define HYPER_DMABUF_IOCTL_EXPORT \
	_IOWR(HYPER_DMABUF_IOC_MAGIC, 0x02, struct hyper_dmabuf_export)
#define HYPER_DMABUF_IOCTL_IMPORT \
	_IOWR(HYPER_DMABUF_IOC_MAGIC, 0x03, struct hyper_dmabuf_import)
#define HYPER_DMABUF_IOCTL_UNEXPORT \
	_IOW(HYPER_DMABUF_IOC_MAGIC, 0x04, struct hyper_dmabuf_unexport)
#define HYPER_DMABUF_IOCTL_QUERY \
	_IOWR(HYPER_DMABUF_IOC_MAGIC, 0x05, struct hyper_dmabuf_query)
#define HYPER_DMABUF_IOCTL_LIST \
	_IOWR(HYPER_DMABUF_IOC_MAGIC, 0x06, struct hyper_dmabuf_list)
#define HYPER_DMABUF_IOCTL_REVOKE \
	_IOWR(HYPER_DMABUF_IOC_MAGIC, 0x07, struct hyper_dmabuf_revoke)
#define HYPER_DMABUF_IOCTL_SIGNAL \
	_IOW(HYPER_DMABUF_IOC_MAGIC, 0x08, struct hyper_dmabuf_signal)
#define HYPER_DMABUF_IOCTL_WAIT \
	_IOWR(HYPER_DMABUF_IOC_MAGIC, 0x09, struct hyper_dmabuf_wait)
#define HYPER_DMABUF_IOCTL_PEERS \
	_IOWR(HYPER_DMABUF_IOC_MAGIC, 0x0A, struct hyper_dmabuf_peers)

/* The Xen group: 0x20 to 0x2f. */
#define HYPER_DMABUF_IOCTL_XEN_EXP_FROM_REFS \
	_IOWR(HYPER_DMABUF_IOC_MAGIC, 0x20, struct hyper_dmabuf_xen_exp_from_refs)
#define HYPER_DMABUF_IOCTL_XEN_EXP_WAIT_RELEASED \
	_IOW(HYPER_DMABUF_IOC_MAGIC, 0x21, struct hyper_dmabuf_xen_exp_wait_released)
#define HYPER_DMABUF_IOCTL_XEN_IMP_TO_REFS \
	_IOW(HYPER_DMABUF_IOC_MAGIC, 0x22, struct hyper_dmabuf_xen_imp_to_refs)
#define HYPER_DMABUF_IOCTL_XEN_IMP_RELEASE \
	_IOW(HYPER_DMABUF_IOC_MAGIC, 0x23, struct hyper_dmabuf_xen_imp_release)

#endif /* _UAPI_LINUX_HYPER_DMABUF_H */
