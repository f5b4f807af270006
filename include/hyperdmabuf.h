/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/**
 * @file hyperdmabuf.h
 * @brief libhyperdmabuf: the C interface to /dev/hyper_dmabuf.
 *
 * Error policy, once for the whole library: a function returning an int
 * returns -1 on failure, a function returning a pointer returns NULL, and
 * both set errno to say why. Functions that cannot fail say so. The library
 * never prints anything and never exits the program.
 *
 * Objects are opaque and have a single owner: whoever created an object
 * frees it with the matching function. Every free or close function accepts
 * NULL. The object a method is called on must not be NULL. The library is
 * thread-aware but does no locking: one object must not be used by two
 * threads at once.
 */
#ifndef HYPERDMABUF_H
#define HYPERDMABUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @struct hdmabuf_ctx
 * An open handle on the hyper_dmabuf device. See @ref ctx.
 */
struct hdmabuf_ctx;

/**
 * @struct hdmabuf_caps
 * A snapshot of what the module is and where it runs. See @ref caps.
 */
struct hdmabuf_caps;

/**
 * @defgroup misc Library version and names
 * @{
 */

/**
 * @brief The version of this library.
 * @return A static string such as "0.1.0". Never NULL, never fails.
 */
const char *hdmabuf_version_string(void);

/** Transports a module can offer. */
enum hdmabuf_transport {
	/** Both ends in one kernel: for tests and single-domain use. */
	HDMABUF_TRANSPORT_LOOPBACK = 1,
	/** Between Xen domains, through grant tables and event channels. */
	HDMABUF_TRANSPORT_XEN,
};

/** The kind of Xen domain the module runs in. */
enum hdmabuf_xen_type {
	/** Not running on Xen. */
	HDMABUF_XEN_NONE = 0,
	/** Paravirtualised guest (or PV dom0). */
	HDMABUF_XEN_PV,
	/** PVH guest (or PVH dom0). */
	HDMABUF_XEN_PVH,
	/** Fully virtualised (HVM) guest. */
	HDMABUF_XEN_HVM,
};

/**
 * @brief The name of a transport.
 * @param transport The transport.
 * @return A static string ("loopback", "xen"), or NULL for a value this
 *         library does not know. errno is not changed.
 */
const char *hdmabuf_transport_name(enum hdmabuf_transport transport);

/**
 * @brief The name of a Xen guest type.
 * @param type The guest type.
 * @return A static string ("pv", "pvh", "hvm"), or NULL for
 *         ::HDMABUF_XEN_NONE and for values this library does not know.
 *         errno is not changed.
 */
const char *hdmabuf_xen_type_name(enum hdmabuf_xen_type type);

/** @} */

/**
 * @defgroup ctx Device context
 * @{
 *
 * A context is an open file descriptor on the hyper_dmabuf device. Every
 * other object is obtained through one.
 */

/**
 * @brief Open the hyper_dmabuf device.
 * @param path Path to the device node, or NULL for "/dev/hyper_dmabuf".
 * @return A new context, or NULL with errno set: ENOENT when the device does
 *         not exist (the module is not loaded), EACCES when the caller may
 *         not open it, ENOMEM, or any other error of open(2). Opening does
 *         not check that the node is a hyper_dmabuf device: the first
 *         request fails with ENOTTY if it is not. The context must be
 *         closed with ::hdmabuf_ctx_close.
 */
struct hdmabuf_ctx *hdmabuf_ctx_open(const char *path);

/**
 * @brief Close a context and free it.
 * @param ctx The context, or NULL (then nothing happens).
 *
 * Objects obtained from the context (such as capabilities) are snapshots:
 * they stay valid and must still be freed on their own.
 */
void hdmabuf_ctx_close(struct hdmabuf_ctx *ctx);

/**
 * @brief The file descriptor of a context, e.g. for poll(2).
 * @param ctx The context.
 * @return The descriptor, which belongs to the context: the caller must
 *         not close it. Never fails.
 */
int hdmabuf_ctx_get_fd(struct hdmabuf_ctx *ctx);

/**
 * @brief Ask the module what it is and where it runs.
 * @param ctx The context.
 * @return A new snapshot, or NULL with errno set: ENOTTY when the device is
 *         not a hyper_dmabuf device, ENOMEM, or an error of the module.
 *         The snapshot must be freed with ::hdmabuf_caps_free.
 */
struct hdmabuf_caps *hdmabuf_ctx_get_caps(struct hdmabuf_ctx *ctx);

/** @} */

/**
 * @defgroup caps Capabilities
 * @{
 *
 * A capabilities object is a snapshot taken by ::hdmabuf_ctx_get_caps; it
 * does not change afterwards. Accessors that return strings return
 * pointers into the snapshot, valid until it is freed.
 */

/**
 * @brief Free a capabilities snapshot.
 * @param caps The snapshot, or NULL (then nothing happens).
 */
void hdmabuf_caps_free(struct hdmabuf_caps *caps);

/**
 * @brief The uAPI version the module implements.
 * @param caps The snapshot.
 * @return The module's HYPER_DMABUF_API_VERSION. Never fails.
 */
unsigned int hdmabuf_caps_get_api_version(struct hdmabuf_caps *caps);

/**
 * @brief The version of the module.
 * @param caps The snapshot.
 * @return A string such as "0.1.0", owned by the snapshot: valid until
 *         ::hdmabuf_caps_free, not to be freed by the caller. Never NULL.
 */
const char *hdmabuf_caps_get_module_version(struct hdmabuf_caps *caps);

/**
 * @brief Whether the module runs in a Xen domain.
 * @param caps The snapshot.
 * @return true on Xen (dom0 or a guest), false otherwise. Never fails.
 */
bool hdmabuf_caps_is_xen(struct hdmabuf_caps *caps);

/**
 * @brief The kind of Xen domain the module runs in.
 * @param caps The snapshot.
 * @return ::HDMABUF_XEN_NONE off Xen, otherwise the guest type. A newer
 *         module may report a value this header does not name;
 *         ::hdmabuf_xen_type_name returns NULL for it. Never fails.
 */
enum hdmabuf_xen_type hdmabuf_caps_get_xen_type(struct hdmabuf_caps *caps);

/**
 * @brief The Xen domain id of the domain the module runs in.
 * @param caps The snapshot.
 * @return The domain id (0 for dom0), or -1 with errno set to ENODATA when
 *         the module does not know it (off Xen, or when xenstore did not
 *         tell it).
 */
int hdmabuf_caps_get_domid(struct hdmabuf_caps *caps);

/**
 * @brief Whether a transport is available.
 * @param caps The snapshot.
 * @param transport The transport.
 * @return true when the module offers the transport here, false when it
 *         does not or when the value is unknown to this library. Never
 *         fails.
 */
bool hdmabuf_caps_has_transport(struct hdmabuf_caps *caps,
				enum hdmabuf_transport transport);

/** @} */

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* HYPERDMABUF_H */
