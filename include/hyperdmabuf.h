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
 * frees it with the matching function. Every free, close or release
 * function accepts NULL. The object a method is called on must not be
 * NULL. The library is thread-aware but does no locking: one object must
 * not be used by two threads at once. The one type that is not an object
 * is struct hdmabuf_id, a plain value (see @ref id).
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
 * @struct hdmabuf_meta
 * What a shared buffer holds: pixel format, planes, a name and a blob of
 * the application's. See @ref meta.
 */
struct hdmabuf_meta;

/**
 * @struct hdmabuf_export
 * The record of one export made by ::hdmabuf_ctx_export. See @ref export.
 */
struct hdmabuf_export;

/**
 * @struct hdmabuf_import
 * A dma-buf on another domain's export, with its metadata. See
 * @ref import.
 */
struct hdmabuf_import;

/**
 * @struct hdmabuf_info
 * A snapshot of one export or import of this domain. See @ref info.
 */
struct hdmabuf_info;

/**
 * @struct hdmabuf_info_list
 * A snapshot of every export and import of this domain. See @ref info.
 */
struct hdmabuf_info_list;

/**
 * @struct hdmabuf_event
 * One record of the device's event queue. See @ref event.
 */
struct hdmabuf_event;

/**
 * @struct hdmabuf_peer
 * A snapshot of one domain this domain can share with. See @ref peers.
 */
struct hdmabuf_peer;

/**
 * @struct hdmabuf_peer_list
 * A snapshot of every domain this domain can share with. See @ref peers.
 */
struct hdmabuf_peer_list;

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
 * Closing the context ends every export made through it without
 * ::HDMABUF_EXPORT_PERSISTENT, as ::hdmabuf_ctx_unexport with no delay
 * would; persistent exports stay on offer. Imported dma-bufs stay valid
 * until their descriptors are closed. On Xen, it also ends the grants of
 * every ::hdmabuf_ctx_xen_imp_to_refs made through it, as
 * ::hdmabuf_ctx_xen_imp_release would, and forgets the dma-bufs of its
 * ::hdmabuf_ctx_xen_exp_from_refs for ::hdmabuf_ctx_xen_exp_wait_released
 * (the dma-bufs themselves live on until their users close them).
 *
 * Objects obtained from the context (capabilities, export records,
 * imports, infos, lists, peer lists, events) do not refer to it: they stay
 * valid and must still be freed on their own. Events still queued are
 * lost.
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

/**
 * @defgroup id Buffer ids
 * @{
 *
 * An id names one export across domains: the exporting domain, the
 * exporter's serial number for it, and a 128-bit random key that an
 * importer must present. Whoever knows the id of an export to its domain
 * can import it, so an id is a secret to be passed only to the intended
 * importer.
 *
 * Unlike every other type of this library, an id is a plain value, not an
 * opaque object: programs store ids, copy them, compare them and send them
 * to their peers inside their own messages, and an opaque object would
 * need an allocation and a free for each of these and could live neither
 * on the stack nor inside another structure. Hiding the layout would buy
 * no freedom either, because it is fixed by the kernel ABI: struct
 * hdmabuf_id will never gain a field.
 */

/** The domain id of this domain as a peer: the loopback transport. */
#define HDMABUF_DOMID_SELF	0x7FF0

/**
 * Bytes of a buffer that holds the text form of any id, with its
 * terminating NUL: "4294967295:4294967295:" and 32 hex digits.
 */
#define HDMABUF_ID_STRLEN	55

/** The name of one export. A value type: see @ref id. */
struct hdmabuf_id {
	/** The exporting domain; ::HDMABUF_DOMID_SELF off Xen. */
	uint32_t domid;
	/** The exporter's number for the export, not reused while loaded. */
	uint32_t serial;
	/** 128 random bits that an import must present. */
	uint64_t key[2];
};

/**
 * @brief Write the text form of an id.
 * @param id The id.
 * @param buf Where to write it, NUL-terminated.
 * @param len Bytes available at buf; ::HDMABUF_ID_STRLEN always suffices.
 * @return The length of the text, without the NUL, or -1 with errno set to
 *         ERANGE when len is too small (buf then holds an empty string if
 *         len is not 0).
 *
 * The text form is "DOMID:SERIAL:KEY": the domain and the serial in
 * decimal, and the key as 32 lowercase hex digits, key[0] then key[1],
 * each most significant digit first. It is stable: programs may store it
 * and parse it with later versions.
 */
int hdmabuf_id_format(const struct hdmabuf_id *id, char *buf, size_t len);

/**
 * @brief Read the text form of an id.
 * @param s The text, as ::hdmabuf_id_format writes it; the hex digits of
 *          the key may be uppercase too.
 * @param id Where to store the id; unchanged on failure.
 * @return 0, or -1 with errno set to EINVAL when s is not exactly the text
 *         form of an id: a missing or extra field, a number with a sign, a
 *         leading zero or more than 32 bits, a key of other than 32 hex
 *         digits, or any other character (white space included).
 */
int hdmabuf_id_parse(const char *s, struct hdmabuf_id *id);

/**
 * @brief Whether two ids name the same export.
 * @param a An id.
 * @param b Another id.
 * @return true when every field is equal. Never fails.
 */
bool hdmabuf_id_equal(const struct hdmabuf_id *a, const struct hdmabuf_id *b);

/** @} */

/**
 * @defgroup meta Metadata
 * @{
 *
 * Metadata travels with an export to its importers: a DRM pixel format
 * with its size, modifier and planes, a name, and a blob that only the
 * applications interpret. All of it is optional. The setters check what
 * can be checked without the buffer; the module checks that every plane
 * lies inside the buffer when the export is made.
 */

/** Planes a metadata object can describe. */
#define HDMABUF_META_MAX_PLANES		4
/** The longest name, in bytes, without the terminating NUL. */
#define HDMABUF_META_NAME_MAX		31
/** The largest blob, in bytes. */
#define HDMABUF_META_BLOB_MAX		256

/**
 * @brief Create empty metadata: no format, no planes, no name, no blob.
 * @return A new object, or NULL with errno set to ENOMEM. It must be
 *         freed with ::hdmabuf_meta_free.
 */
struct hdmabuf_meta *hdmabuf_meta_new(void);

/**
 * @brief Free metadata.
 * @param meta The object, or NULL (then nothing happens). Not for the
 *             metadata of an import, which belongs to the import.
 */
void hdmabuf_meta_free(struct hdmabuf_meta *meta);

/**
 * @brief Set the pixel format.
 * @param meta The object.
 * @param fourcc The DRM fourcc code (as fourcc_code() packs it), or 0 for
 *               none.
 * @param modifier The DRM format modifier; 0 is DRM_FORMAT_MOD_LINEAR.
 * @param width Pixels per line.
 * @param height Lines.
 *
 * Never fails: the values are the application's to choose.
 */
void hdmabuf_meta_set_format(struct hdmabuf_meta *meta, uint32_t fourcc,
			     uint64_t modifier, uint32_t width,
			     uint32_t height);

/**
 * @brief Set or add a plane.
 * @param meta The object.
 * @param index The plane: one already set, which is replaced, or the next
 *              one, which is added.
 * @param offset Byte offset of the plane in the buffer.
 * @param stride Bytes from one line of the plane to the next.
 * @return 0, or -1 with errno set to EINVAL when index is past the next
 *         plane or not below ::HDMABUF_META_MAX_PLANES.
 */
int hdmabuf_meta_set_plane(struct hdmabuf_meta *meta, unsigned int index,
			   uint32_t offset, uint32_t stride);

/**
 * @brief Set the name.
 * @param meta The object.
 * @param name Free text, at most ::HDMABUF_META_NAME_MAX bytes; "" for
 *             none.
 * @return 0, or -1 with errno set to EINVAL when name is too long (the
 *         name is then unchanged).
 */
int hdmabuf_meta_set_name(struct hdmabuf_meta *meta, const char *name);

/**
 * @brief Set the blob.
 * @param meta The object.
 * @param data The bytes, copied; may be NULL when len is 0.
 * @param len How many, at most ::HDMABUF_META_BLOB_MAX; 0 for none.
 * @return 0, or -1 with errno set to EINVAL when len is too large or data
 *         is NULL with a len (the blob is then unchanged).
 */
int hdmabuf_meta_set_blob(struct hdmabuf_meta *meta, const void *data,
			  size_t len);

/**
 * @brief The DRM fourcc of the pixel format.
 * @param meta The object.
 * @return The code, or 0 when no format is set. Never fails.
 */
uint32_t hdmabuf_meta_get_fourcc(const struct hdmabuf_meta *meta);

/**
 * @brief The DRM format modifier.
 * @param meta The object.
 * @return The modifier. Never fails.
 */
uint64_t hdmabuf_meta_get_modifier(const struct hdmabuf_meta *meta);

/**
 * @brief The width of the image.
 * @param meta The object.
 * @return Pixels per line. Never fails.
 */
uint32_t hdmabuf_meta_get_width(const struct hdmabuf_meta *meta);

/**
 * @brief The height of the image.
 * @param meta The object.
 * @return Lines. Never fails.
 */
uint32_t hdmabuf_meta_get_height(const struct hdmabuf_meta *meta);

/**
 * @brief How many planes are set.
 * @param meta The object.
 * @return 0 to ::HDMABUF_META_MAX_PLANES. Never fails.
 */
unsigned int hdmabuf_meta_get_num_planes(const struct hdmabuf_meta *meta);

/**
 * @brief One plane.
 * @param meta The object.
 * @param index The plane, below ::hdmabuf_meta_get_num_planes.
 * @param offset Where to store its offset, or NULL.
 * @param stride Where to store its stride, or NULL.
 * @return 0, or -1 with errno set to EINVAL when the plane is not set.
 */
int hdmabuf_meta_get_plane(const struct hdmabuf_meta *meta, unsigned int index,
			   uint32_t *offset, uint32_t *stride);

/**
 * @brief The name.
 * @param meta The object.
 * @return The name, "" when none; owned by the object. Never NULL.
 */
const char *hdmabuf_meta_get_name(const struct hdmabuf_meta *meta);

/**
 * @brief The blob.
 * @param meta The object.
 * @param len Where to store its length, 0 when there is none.
 * @return The bytes, owned by the object. Never NULL.
 */
const void *hdmabuf_meta_get_blob(const struct hdmabuf_meta *meta, size_t *len);

/** @} */

/**
 * @defgroup export Exports
 * @{
 *
 * An export offers a dma-buf to one peer domain, which imports it by its
 * id. The export lives in the module, not in the record that
 * ::hdmabuf_ctx_export returns: freeing the record does not end it. An
 * export ends with ::hdmabuf_ctx_unexport or, unless it is persistent,
 * when the context it was made through is closed. Importers keep their
 * dma-bufs after the export ends; it only cannot be imported any more.
 */

/** Flags of ::hdmabuf_ctx_export. */
enum hdmabuf_export_flags {
	/** Importers may write to the buffer; without it they may only read. */
	HDMABUF_EXPORT_RW = 1 << 0,
	/**
	 * The export outlives the context: it ends only when unexported.
	 * Needs CAP_SYS_ADMIN.
	 */
	HDMABUF_EXPORT_PERSISTENT = 1 << 1,
};

/** The longest delay ::hdmabuf_ctx_unexport accepts, in milliseconds. */
#define HDMABUF_UNEXPORT_DELAY_MAX	60000

/**
 * The memory behind a buffer of ::hdmabuf_ctx_alloc or
 * ::hdmabuf_ctx_xen_exp_from_refs: at most one of these; none gives system
 * pages. Both are DMA memory of the module's device, physically contiguous
 * where the device needs it, for devices that read memory directly, such
 * as display controllers without an IOMMU. They need a module of uAPI
 * version 4: an older module's ALLOC fails them with EINVAL. A buffer of
 * DMA memory is for the devices of this domain and for
 * ::hdmabuf_ctx_xen_imp_to_refs: ::hdmabuf_ctx_export may refuse it
 * (EOPNOTSUPP), its pages not being the module's to lend one by one.
 */
enum hdmabuf_mem_flags {
	/**
	 * DMA memory mapped write-combined: CPU writes, device reads. Not in
	 * a Xen PV domU (EOPNOTSUPP): Xen allows it no cache attributes.
	 */
	HDMABUF_MEM_WC = 1 << 0,
	/** DMA memory mapped coherent between the CPU and the device. */
	HDMABUF_MEM_COHERENT = 1 << 1,
};

/**
 * @brief Allocate a buffer of the module's own, to fill and export.
 * @param ctx The context.
 * @param size Bytes, more than 0; the module rounds it up to whole pages
 *             (lseek(fd, 0, SEEK_END) tells the rounded size).
 * @param flags 0 for zeroed system pages, or one of ::hdmabuf_mem_flags
 *              for DMA memory of that kind.
 * @return A dma-buf descriptor, read-write and close-on-exec, that belongs
 *         to the caller, who closes it; or -1 with errno set: EINVAL when
 *         size is 0, when flags are unknown or name both kinds of memory
 *         (or any flag, to a module of uAPI version 3 or less), E2BIG when
 *         size is above the module's limit (its max_alloc_mb parameter),
 *         ENOMEM, also when DMA memory of the kind asked for cannot be had
 *         (contiguous memory is scarcer than pages: ask for less, or for
 *         system pages), EOPNOTSUPP when the DMA memory has no pages the
 *         module can use, ENOTTY when the module is older than this call.
 *
 * The library passes flags on unchecked: the module decides which it
 * knows.
 */
int hdmabuf_ctx_alloc(struct hdmabuf_ctx *ctx, size_t size, unsigned int flags);

/**
 * @brief Offer a dma-buf to a peer domain.
 * @param ctx The context.
 * @param dmabuf_fd The dma-buf: from ::hdmabuf_ctx_alloc or from any
 *                  exporter whose buffer is backed by pages. It stays the
 *                  caller's; the export holds its own reference to the
 *                  buffer, so the caller may close it.
 * @param peer The domain that may import it; ::HDMABUF_DOMID_SELF for this
 *             domain.
 * @param flags ::hdmabuf_export_flags, or-ed.
 * @param meta Metadata to carry with the export, copied; or NULL.
 * @return A record of the export, to be freed with ::hdmabuf_export_free,
 *         or NULL with errno set: EBADF when dmabuf_fd is not open, EINVAL
 *         when it is not a dma-buf, when flags are unknown, or when the
 *         module rejects the metadata (a plane outside the buffer),
 *         EOPNOTSUPP when its pages cannot be lent one by one (DMA memory,
 *         such as a buffer of ::hdmabuf_ctx_alloc with a flag), EPERM
 *         for ::HDMABUF_EXPORT_PERSISTENT without CAP_SYS_ADMIN, ENOTCONN
 *         when no transport reaches the peer, EDQUOT when the peer has as
 *         many exports as the module allows, ENOMEM, ENOTTY when the
 *         module is older than this call.
 */
struct hdmabuf_export *hdmabuf_ctx_export(struct hdmabuf_ctx *ctx,
					  int dmabuf_fd, uint32_t peer,
					  unsigned int flags,
					  const struct hdmabuf_meta *meta);

/**
 * @brief End an export.
 * @param ctx The context the export was made through or, for a persistent
 *            export and a caller with CAP_SYS_ADMIN, any context.
 * @param id The export.
 * @param delay_ms Keep offering it this long first, at most
 *                 ::HDMABUF_UNEXPORT_DELAY_MAX; 0 to end it now.
 * @return 0, or -1 with errno set: ENOENT when no such export is on offer,
 *         EPERM when it was made through another context and is not
 *         persistent or the caller lacks CAP_SYS_ADMIN, EINVAL when
 *         delay_ms is too long, ENOTTY when the module is older than this
 *         call.
 *
 * Dma-bufs already imported stay valid.
 */
int hdmabuf_ctx_unexport(struct hdmabuf_ctx *ctx, const struct hdmabuf_id *id,
			 unsigned int delay_ms);

/**
 * @brief Free the record of an export, not the export.
 * @param exp The record, or NULL (then nothing happens).
 *
 * The export stays on offer until ::hdmabuf_ctx_unexport or, unless it is
 * persistent, until its context is closed. Keep its id to unexport it.
 */
void hdmabuf_export_free(struct hdmabuf_export *exp);

/**
 * @brief The id importers name the export by.
 * @param exp The record.
 * @return A pointer into the record, valid until ::hdmabuf_export_free.
 *         Never NULL.
 */
const struct hdmabuf_id *hdmabuf_export_get_id(
	const struct hdmabuf_export *exp);

/**
 * @brief The size of the exported buffer.
 * @param exp The record.
 * @return Bytes. Never fails.
 */
uint64_t hdmabuf_export_get_size(const struct hdmabuf_export *exp);

/**
 * @brief The domain the buffer is offered to.
 * @param exp The record.
 * @return The peer given to ::hdmabuf_ctx_export. Never fails.
 */
uint32_t hdmabuf_export_get_peer(const struct hdmabuf_export *exp);

/**
 * @brief The flags of the export.
 * @param exp The record.
 * @return The ::hdmabuf_export_flags given to ::hdmabuf_ctx_export. Never
 *         fails.
 */
unsigned int hdmabuf_export_get_flags(const struct hdmabuf_export *exp);

/** The longest wait ::hdmabuf_ctx_revoke accepts, in milliseconds. */
#define HDMABUF_REVOKE_TIMEOUT_MAX	60000

/**
 * @brief Take an export back from its importers.
 * @param ctx The context the export was made through or, for a persistent
 *            export and a caller with CAP_SYS_ADMIN, any context.
 * @param id The export: on offer, or unexported but still imported.
 * @param timeout_ms How long to wait for the importers to let go, at most
 *                   ::HDMABUF_REVOKE_TIMEOUT_MAX; 0 not to wait.
 * @param remaining Where to store how many imports were still alive when
 *                  the wait ended, or NULL.
 * @return 0, or -1 with errno set: ENOENT when this domain has no such
 *         export, EKEYREJECTED when the key is wrong, EPERM as for
 *         ::hdmabuf_ctx_unexport, EALREADY when it was revoked before,
 *         EINVAL when timeout_ms is too long, EINTR when a signal ended
 *         the wait, ENOTTY when the module is older than this call.
 *
 * The export goes off offer at once, and every import of it is cut off:
 * its mappings are torn down, so that a later access faults, and new
 * mappings fail. The exporter's buffer is not touched; its pages go back
 * to it when the last import is released, which is what the wait is for.
 * Unlike the other calls, this one is not repeated after a signal: the
 * export is revoked by then, and a second call would fail with EALREADY.
 * On EINTR the revocation stands and *remaining is not set;
 * ::hdmabuf_ctx_query tells the importers left.
 */
int hdmabuf_ctx_revoke(struct hdmabuf_ctx *ctx, const struct hdmabuf_id *id,
		       unsigned int timeout_ms, unsigned int *remaining);

/** @} */

/**
 * @defgroup import Imports
 * @{
 *
 * An import is a new dma-buf on the pages of another domain's export (or
 * of this domain's, through ::HDMABUF_DOMID_SELF), with the export's
 * metadata. The import object owns the descriptor until
 * ::hdmabuf_import_take_fd hands it to the caller. The dma-buf stays valid
 * while its descriptor is open, whatever happens to the export or to the
 * context.
 */

/**
 * @brief Import an export.
 * @param ctx The context.
 * @param id The export.
 * @return A new import, to be released with ::hdmabuf_import_release, or
 *         NULL with errno set: ENOENT when no such export is on offer to
 *         this domain, EKEYREJECTED when the key is wrong, ENOTCONN when
 *         no transport reaches the exporting domain, EPROTO when the
 *         module's answer is malformed, ENOMEM, ENOTTY when the module is
 *         older than this call.
 */
struct hdmabuf_import *hdmabuf_ctx_import(struct hdmabuf_ctx *ctx,
					  const struct hdmabuf_id *id);

/**
 * @brief Release an import: close its dma-buf unless taken, and free it.
 * @param imp The import, or NULL (then nothing happens).
 */
void hdmabuf_import_release(struct hdmabuf_import *imp);

/**
 * @brief The id the buffer was imported by.
 * @param imp The import.
 * @return A pointer into the import, valid until ::hdmabuf_import_release.
 *         Never NULL.
 */
const struct hdmabuf_id *hdmabuf_import_get_id(
	const struct hdmabuf_import *imp);

/**
 * @brief The imported dma-buf.
 * @param imp The import.
 * @return The descriptor, close-on-exec, opened read-only unless the
 *         export is read-write. It belongs to the import: the caller must
 *         not close it. -1 with errno set to EBADF once
 *         ::hdmabuf_import_take_fd has taken it.
 */
int hdmabuf_import_get_fd(const struct hdmabuf_import *imp);

/**
 * @brief Take the imported dma-buf from the import.
 * @param imp The import.
 * @return The descriptor, which now belongs to the caller: the import no
 *         longer closes it. -1 with errno set to EBADF when it was taken
 *         already.
 */
int hdmabuf_import_take_fd(struct hdmabuf_import *imp);

/**
 * @brief The size of the imported buffer.
 * @param imp The import.
 * @return Bytes, a whole number of pages. Never fails.
 */
uint64_t hdmabuf_import_get_size(const struct hdmabuf_import *imp);

/**
 * @brief The metadata the export carries.
 * @param imp The import.
 * @return The metadata, empty when the export has none; borrowed from the
 *         import: valid until ::hdmabuf_import_release, even after the
 *         descriptor is taken, and not to be freed. Never NULL.
 */
const struct hdmabuf_meta *hdmabuf_import_get_meta(
	const struct hdmabuf_import *imp);

/**
 * @brief Whether the importer may write to the buffer.
 * @param imp The import.
 * @return true when the export is ::HDMABUF_EXPORT_RW. Never fails.
 */
bool hdmabuf_import_is_writable(const struct hdmabuf_import *imp);

/** @} */

/**
 * @defgroup info Describing buffers
 * @{
 *
 * An info object is a snapshot of one export or import of this domain,
 * taken by ::hdmabuf_ctx_query, or as part of a list by ::hdmabuf_ctx_list;
 * it does not change afterwards and does not depend on the context.
 */

/** Whether this domain offers a buffer or uses another's. */
enum hdmabuf_role {
	/** An export of this domain. */
	HDMABUF_ROLE_EXPORT = 1,
	/** An import of this domain, of another domain's export or its own. */
	HDMABUF_ROLE_IMPORT,
};

/** Where a buffer is in its life. */
enum hdmabuf_state {
	/** An export that may be imported. */
	HDMABUF_STATE_OFFERED = 1,
	/** An export off offer (unexported or revoked) still imported. */
	HDMABUF_STATE_WITHDRAWN,
	/** An import in use here. */
	HDMABUF_STATE_IMPORTED,
};

/**
 * @brief The name of a role.
 * @param role The role.
 * @return A static string ("export", "import"), or NULL for a value this
 *         library does not know. errno is not changed.
 */
const char *hdmabuf_role_name(enum hdmabuf_role role);

/**
 * @brief The name of a state.
 * @param state The state.
 * @return A static string ("offered", "withdrawn", "imported"), or NULL
 *         for a value this library does not know. errno is not changed.
 */
const char *hdmabuf_state_name(enum hdmabuf_state state);

/**
 * @brief Describe one export or import of this domain.
 * @param ctx The context.
 * @param id The buffer.
 * @return A new snapshot, to be freed with ::hdmabuf_info_free; when this
 *         domain both exports and imports the id (through
 *         ::HDMABUF_DOMID_SELF), the export. NULL with errno set: ENOENT
 *         when this domain neither exports nor imports it (never, or no
 *         longer) or the context may not see it, EKEYREJECTED when the key
 *         is wrong, ENOMEM, ENOTTY when the module is older than this call.
 *
 * A context sees the exports of the user who opened it and the imports
 * made through it; one opened with CAP_SYS_ADMIN sees all. Another user's
 * export is ENOENT, even with the right key.
 */
struct hdmabuf_info *hdmabuf_ctx_query(struct hdmabuf_ctx *ctx,
				       const struct hdmabuf_id *id);

/**
 * @brief Free a snapshot made by ::hdmabuf_ctx_query.
 * @param info The snapshot, or NULL (then nothing happens). Not for the
 *             entries of a list, which belong to the list.
 */
void hdmabuf_info_free(struct hdmabuf_info *info);

/**
 * @brief The id of the buffer.
 * @param info The snapshot.
 * @return A pointer into the snapshot, valid until it is freed. Never NULL.
 */
const struct hdmabuf_id *hdmabuf_info_get_id(const struct hdmabuf_info *info);

/**
 * @brief Whether this domain exports or imports the buffer.
 * @param info The snapshot.
 * @return The role. A newer module may report a value this header does not
 *         name; ::hdmabuf_role_name returns NULL for it. Never fails.
 */
enum hdmabuf_role hdmabuf_info_get_role(const struct hdmabuf_info *info);

/**
 * @brief Where the buffer is in its life.
 * @param info The snapshot.
 * @return The state. A newer module may report a value this header does
 *         not name; ::hdmabuf_state_name returns NULL for it. Never fails.
 */
enum hdmabuf_state hdmabuf_info_get_state(const struct hdmabuf_info *info);

/**
 * @brief The other domain.
 * @param info The snapshot.
 * @return For an export, the domain it is offered to; for an import, the
 *         exporting domain. ::HDMABUF_DOMID_SELF for this domain. Never
 *         fails.
 */
uint32_t hdmabuf_info_get_peer(const struct hdmabuf_info *info);

/**
 * @brief The flags of the export.
 * @param info The snapshot.
 * @return The export's ::hdmabuf_export_flags, for an import too. Never
 *         fails.
 */
unsigned int hdmabuf_info_get_flags(const struct hdmabuf_info *info);

/**
 * @brief The size of the buffer.
 * @param info The snapshot.
 * @return Bytes, a whole number of pages. Never fails.
 */
uint64_t hdmabuf_info_get_size(const struct hdmabuf_info *info);

/**
 * @brief How many imports of an export are alive.
 * @param info The snapshot.
 * @return For an export, its imports when the snapshot was taken; for an
 *         import, 0. Never fails.
 */
unsigned int hdmabuf_info_get_importers(const struct hdmabuf_info *info);

/**
 * @brief Describe every export and import of this domain that the context
 *        may see (as for ::hdmabuf_ctx_query).
 * @param ctx The context.
 * @return A new list, to be freed with ::hdmabuf_info_list_free: the
 *         exports (offered or withdrawn) first, then the imports. NULL with
 *         errno set: ENOMEM, EOVERFLOW when there are more than the module
 *         reports in one call (65536), EAGAIN when the list kept growing
 *         faster than it could be read, ENOTTY when the module is older
 *         than this call.
 *
 * When the module has more entries than the room offered, the call is made
 * again with more: the list is one snapshot, never a truncated one.
 */
struct hdmabuf_info_list *hdmabuf_ctx_list(struct hdmabuf_ctx *ctx);

/**
 * @brief Free a list and its entries.
 * @param list The list, or NULL (then nothing happens).
 */
void hdmabuf_info_list_free(struct hdmabuf_info_list *list);

/**
 * @brief How many entries a list has.
 * @param list The list.
 * @return The count, 0 when this domain has no buffers. Never fails.
 */
size_t hdmabuf_info_list_get_count(const struct hdmabuf_info_list *list);

/**
 * @brief One entry of a list.
 * @param list The list.
 * @param index The entry, below ::hdmabuf_info_list_get_count.
 * @return The entry, owned by the list: valid until
 *         ::hdmabuf_info_list_free, and not to be freed on its own. NULL
 *         with errno set to EINVAL when index is out of range.
 */
const struct hdmabuf_info *hdmabuf_info_list_get(
	const struct hdmabuf_info_list *list, size_t index);

/** @} */

/**
 * @defgroup timeline Timelines
 * @{
 *
 * Every export has a 64-bit timeline, starting at 0, that its exporter and
 * its importers may move forward and wait on: it carries "frame ready" and
 * "frame released" between them. A timeline lives as long as its export.
 * In this domain, a context may use it when its opener's user made the
 * export, when it holds an import of it (made through this context), or
 * when it was opened with CAP_SYS_ADMIN; the key alone is not enough.
 * Modules of uAPI version 2 keep the timelines of this domain's exports
 * only: for an id exported by another domain these calls fail with ENOENT.
 */

/**
 * @brief Move a timeline forward.
 * @param ctx The context.
 * @param id The export.
 * @param value The new value, above the current one.
 * @return 0, or -1 with errno set: ENOENT when there is no such export,
 *         EKEYREJECTED when the key is wrong, EPERM when the export is
 *         another user's and this context holds no import of it, EINVAL
 *         when value is not above the current value, ENOTTY when the
 *         module is older than this call.
 *
 * Waiters whose value is reached wake up, and the contexts that may see
 * the export get an ::HDMABUF_EVENT_SIGNALLED event.
 */
int hdmabuf_ctx_signal(struct hdmabuf_ctx *ctx, const struct hdmabuf_id *id,
		       uint64_t value);

/**
 * @brief Wait until a timeline reaches a value.
 * @param ctx The context.
 * @param id The export.
 * @param value The value to wait for; 0 is reached at once, which reads
 *              the current value.
 * @param timeout_ms How long to wait at most: 0 to look without waiting,
 *                   -1 (any negative value) to wait without limit.
 * @param current Where to store the timeline's value when the call
 *                returned, on success and on ETIMEDOUT; or NULL.
 * @return 0 once the timeline is at value or beyond, or -1 with errno
 *         set: ETIMEDOUT when timeout_ms passed first, ENOENT when there is
 *         no such export, EKEYREJECTED when the key is wrong, EPERM as for
 *         ::hdmabuf_ctx_signal, ENOTTY when the module is older than this
 *         call.
 *
 * A signal does not end the wait early: the call goes on for what is left
 * of timeout_ms.
 */
int hdmabuf_ctx_wait(struct hdmabuf_ctx *ctx, const struct hdmabuf_id *id,
		     uint64_t value, int timeout_ms, uint64_t *current);

/**
 * @brief A sync_file that signals when a timeline reaches a value.
 * @param ctx The context.
 * @param id The export.
 * @param value The value.
 * @return The sync_file's descriptor, close-on-exec, which belongs to the
 *         caller: poll(2) it (readable once signalled) or hand it to a
 *         driver. When the export ends first, the sync_file signals with
 *         the error ECANCELED; when an import of another domain's export
 *         is revoked, with ENODEV; and when nobody signals the value
 *         within the module's deadline (fence_timeout_ms, 10 s by
 *         default), with ETIMEDOUT: it never waits for good. -1 with
 *         errno set: ENOENT when there is no such export, EKEYREJECTED
 *         when the key is wrong, EPERM as for ::hdmabuf_ctx_signal,
 *         ENOMEM, EMFILE, ENOTTY when the module is older than this call.
 *
 * Never blocks.
 */
int hdmabuf_ctx_wait_sync_file(struct hdmabuf_ctx *ctx,
			       const struct hdmabuf_id *id, uint64_t value);

/** @} */

/**
 * @defgroup event Events
 * @{
 *
 * Every context has a queue of events about this domain's exports,
 * imports and peers that it may see (the exports of its opener's user,
 * the imports made through it, every offer from another domain, every
 * peer; all for a context opened with CAP_SYS_ADMIN), from the moment it
 * was opened: what peers offered,
 * imported and released, what was unexported and revoked, how timelines
 * moved, which peers came and went. The
 * queue is bounded (the module's event_queue_len parameter, default 256);
 * when it is full, new events are dropped and counted, and the next event
 * read is an ::HDMABUF_EVENT_OVERFLOW that says how many: loss is never
 * silent. The context's descriptor (::hdmabuf_ctx_get_fd) polls readable
 * while events are queued.
 */

/** What an event reports. */
enum hdmabuf_event_type {
	/** Events were dropped: the value says how many. Id and peer are 0. */
	HDMABUF_EVENT_OVERFLOW = 1,
	/** A peer offered an export to this domain. */
	HDMABUF_EVENT_OFFERED,
	/** A peer imported an export of this domain. */
	HDMABUF_EVENT_IMPORTED,
	/** A peer released its import of an export of this domain. */
	HDMABUF_EVENT_RELEASED,
	/** An export went off offer. */
	HDMABUF_EVENT_UNEXPORTED,
	/** An import of this domain was revoked by its exporter. */
	HDMABUF_EVENT_REVOKED,
	/** A timeline moved: the value is its new value. */
	HDMABUF_EVENT_SIGNALLED,
	/** The channel to a peer is up: they can share. Id and value are 0. */
	HDMABUF_EVENT_PEER_UP,
	/**
	 * A peer went away or restarted: what it imported from this domain
	 * was released, and what this domain imported from it revoked. Id
	 * and value are 0.
	 */
	HDMABUF_EVENT_PEER_DOWN,
};

/**
 * @brief The name of an event type.
 * @param type The type.
 * @return A static string ("overflow", "offered", "imported", "released",
 *         "unexported", "revoked", "signalled", "peer-up", "peer-down"), or
 *         NULL for a value this library does not know. errno is not
 *         changed.
 */
const char *hdmabuf_event_type_name(enum hdmabuf_event_type type);

/**
 * @brief Take the next event from the context's queue.
 * @param ctx The context.
 * @param timeout_ms How long to wait for one at most: 0 not to wait, -1
 *                   (any negative value) to wait without limit.
 * @return A new event, to be freed with ::hdmabuf_event_free, or NULL with
 *         errno set: ETIMEDOUT when none came within timeout_ms, ENOMEM
 *         (no event is lost then: it is allocated before it is taken),
 *         EPROTO when the device returned something other than one whole
 *         event, or an error of poll(2) or read(2).
 *
 * A signal does not end the wait early. The context's descriptor must not
 * be read by anyone else meanwhile, or the call may block past timeout_ms.
 */
struct hdmabuf_event *hdmabuf_ctx_read_event(struct hdmabuf_ctx *ctx,
					     int timeout_ms);

/**
 * @brief Free an event.
 * @param event The event, or NULL (then nothing happens).
 */
void hdmabuf_event_free(struct hdmabuf_event *event);

/**
 * @brief What the event reports.
 * @param event The event.
 * @return The type. A newer module may report a value this header does not
 *         name; ::hdmabuf_event_type_name returns NULL for it. Never fails.
 */
enum hdmabuf_event_type hdmabuf_event_get_type(
	const struct hdmabuf_event *event);

/**
 * @brief The other domain concerned.
 * @param event The event.
 * @return The domain that offered, imported, released or signalled, the
 *         exporter of a revoked import, or the peer that came or went;
 *         ::HDMABUF_DOMID_SELF for this domain; 0 for
 *         ::HDMABUF_EVENT_OVERFLOW. Never fails.
 */
uint32_t hdmabuf_event_get_peer(const struct hdmabuf_event *event);

/**
 * @brief The export concerned.
 * @param event The event.
 * @return A pointer into the event, valid until it is freed; all zero for
 *         ::HDMABUF_EVENT_OVERFLOW, ::HDMABUF_EVENT_PEER_UP and
 *         ::HDMABUF_EVENT_PEER_DOWN. Never NULL.
 */
const struct hdmabuf_id *hdmabuf_event_get_id(
	const struct hdmabuf_event *event);

/**
 * @brief The event's number.
 * @param event The event.
 * @return For ::HDMABUF_EVENT_OVERFLOW, how many events were dropped; for
 *         ::HDMABUF_EVENT_SIGNALLED, the timeline's new value; otherwise 0.
 *         Never fails.
 */
uint64_t hdmabuf_event_get_value(const struct hdmabuf_event *event);

/**
 * @brief When the event happened.
 * @param event The event.
 * @return Nanoseconds of CLOCK_MONOTONIC; for ::HDMABUF_EVENT_OVERFLOW,
 *         when it was read. Never fails.
 */
uint64_t hdmabuf_event_get_timestamp_ns(const struct hdmabuf_event *event);

/** @} */

/**
 * @defgroup peers Peers
 * @{
 *
 * The peers of a domain are the domains it can share with: itself, through
 * the loopback transport (::HDMABUF_DOMID_SELF), and on Xen each domain it
 * has a channel with: for dom0 every domain that loaded the module, for a
 * domU dom0 and the domUs dom0 linked it with. A peer list is a snapshot
 * taken by ::hdmabuf_ctx_peers; it does not change afterwards and does not
 * depend on the context. It needs a module of uAPI version 3.
 */

/** Where the channel to a peer is. */
enum hdmabuf_peer_state {
	/** Being set up, or waiting for the other side to load the module. */
	HDMABUF_PEER_CONNECTING = 1,
	/** Messages flow: buffers can be shared. */
	HDMABUF_PEER_UP,
};

/**
 * @brief The name of a peer state.
 * @param state The state.
 * @return A static string ("connecting", "up"), or NULL for a value this
 *         library does not know. errno is not changed.
 */
const char *hdmabuf_peer_state_name(enum hdmabuf_peer_state state);

/**
 * @brief Describe every peer of this domain.
 * @param ctx The context.
 * @return A new list, to be freed with ::hdmabuf_peer_list_free, or NULL
 *         with errno set: ENOMEM, EOVERFLOW when there are more than the
 *         module reports in one call (32768), EAGAIN when the list kept
 *         growing faster than it could be read, ENOTTY when the module is
 *         older than this call (uAPI version 2 or less).
 *
 * When the module has more peers than the room offered, the call is made
 * again with more: the list is one snapshot, never a truncated one.
 */
struct hdmabuf_peer_list *hdmabuf_ctx_peers(struct hdmabuf_ctx *ctx);

/**
 * @brief Free a peer list and its entries.
 * @param list The list, or NULL (then nothing happens).
 */
void hdmabuf_peer_list_free(struct hdmabuf_peer_list *list);

/**
 * @brief How many peers a list has.
 * @param list The list.
 * @return The count. Never fails.
 */
size_t hdmabuf_peer_list_get_count(const struct hdmabuf_peer_list *list);

/**
 * @brief One peer of a list.
 * @param list The list.
 * @param index The entry, below ::hdmabuf_peer_list_get_count.
 * @return The entry, owned by the list: valid until
 *         ::hdmabuf_peer_list_free, and not to be freed on its own. NULL
 *         with errno set to EINVAL when index is out of range.
 */
const struct hdmabuf_peer *hdmabuf_peer_list_get(
	const struct hdmabuf_peer_list *list, size_t index);

/**
 * @brief The peer's domain.
 * @param peer The entry.
 * @return Its domain id; ::HDMABUF_DOMID_SELF for this domain, reached by
 *         the loopback transport. Never fails.
 */
uint32_t hdmabuf_peer_get_domid(const struct hdmabuf_peer *peer);

/**
 * @brief The transport that reaches the peer.
 * @param peer The entry.
 * @return The transport, or 0 for one this library does not know (from a
 *         newer module); ::hdmabuf_transport_name returns NULL for it.
 *         Never fails.
 */
enum hdmabuf_transport hdmabuf_peer_get_transport(
	const struct hdmabuf_peer *peer);

/**
 * @brief Where the channel to the peer is.
 * @param peer The entry.
 * @return The state. A newer module may report a value this header does
 *         not name; ::hdmabuf_peer_state_name returns NULL for it. Never
 *         fails.
 */
enum hdmabuf_peer_state hdmabuf_peer_get_state(
	const struct hdmabuf_peer *peer);

/**
 * @brief Messages this domain sent to the peer.
 * @param peer The entry.
 * @return The count. Never fails.
 */
uint64_t hdmabuf_peer_get_sent(const struct hdmabuf_peer *peer);

/**
 * @brief Messages this domain received from the peer.
 * @param peer The entry.
 * @return The count, dropped ones included. Never fails.
 */
uint64_t hdmabuf_peer_get_received(const struct hdmabuf_peer *peer);

/**
 * @brief Messages from the peer that this domain dropped.
 * @param peer The entry.
 * @return The count of those malformed or out of place: a peer that sends
 *         any is broken or hostile. Never fails.
 */
uint64_t hdmabuf_peer_get_dropped(const struct hdmabuf_peer *peer);

/** @} */

/**
 * @defgroup xen Xen grant references
 * @{
 *
 * The calls of Linux's gntdev dma-buf interface, which libxengnttab offers
 * as xengnttab_dmabuf_*, made on the hyper_dmabuf device: they work in PV
 * and PVH domains and on kernels built without CONFIG_XEN_GNTDEV_DMABUF
 * (Debian bookworm's 6.1, for one). Each one is named and ordered after
 * its xengnttab counterpart, so that a port is mechanical: the context
 * replaces the xengnttab handle, the return convention is the same (0, or
 * -1 with errno set). docs/xen-grant-refs.md maps one to the other.
 *
 * These calls work on grant references, not on ids: no peer channel is
 * involved, and the other domain learns of the references by a protocol
 * of its own (such as the PV display protocol). They need a module of uAPI
 * version 4 (ENOTTY from an older one) running in a Xen domain (ENODEV
 * elsewhere), and CAP_SYS_ADMIN both of the process that opened the
 * context and of the caller: each fails with EPERM otherwise, as they map
 * and grant pages below ids and keys.
 *
 * What the calls make belongs to the context: a dma-buf of
 * ::hdmabuf_ctx_xen_exp_from_refs can be waited for and the grants of
 * ::hdmabuf_ctx_xen_imp_to_refs ended through the same context only, by
 * the descriptor number the call was given or returned. A call that fails
 * leaves nothing mapped or granted. ::hdmabuf_ctx_close ends the grants
 * and forgets the dma-bufs.
 */

/** The most grant references one call takes or gives: pages of a buffer. */
#define HDMABUF_XEN_REFS_MAX	65535

/** Flags of ::hdmabuf_ctx_xen_imp_to_refs. */
enum hdmabuf_xen_grant_flags {
	/** The other domain may only read the pages; without it, write too. */
	HDMABUF_XEN_GRANT_RO = 1 << 0,
};

/**
 * @brief Map pages another domain granted to this one, as a dma-buf.
 * @param ctx The context.
 * @param domid The domain that granted them: not this one, and below
 *              ::HDMABUF_DOMID_SELF.
 * @param flags 0 to map them over system pages, or one of
 *              ::hdmabuf_mem_flags to map them over DMA memory of that
 *              kind, whose own frames go back to Xen while the buffer
 *              lives (for devices that need contiguous memory); not in a
 *              PV domain.
 * @param count How many references, 1 to ::HDMABUF_XEN_REFS_MAX.
 * @param refs The grant references, in page order: count of them.
 * @param fd Where to store the new dma-buf; unchanged on failure.
 * @return 0, or -1 with errno set: EINVAL when count or domid is out of
 *         range or flags are unknown or name both kinds of memory, ENOENT
 *         when a reference is not a grant of that domain, ESRCH when the
 *         domain does not exist, EACCES when Xen refused a mapping (a
 *         grant to another domain, or a read-only one), ENOSPC when this
 *         domain maps as many grants as Xen lets it, EIO when Xen refused
 *         for another reason, EOPNOTSUPP for a flag in a PV domain, ENOMEM
 *         (also when DMA memory of the kind asked for cannot be had),
 *         EMFILE, EFAULT when refs cannot be read, EPERM without
 *         CAP_SYS_ADMIN, ENODEV off Xen, ENOTTY when the module is older
 *         than this call.
 *
 * The grants are mapped writable, as gntdev maps them: they must be
 * read-write grants. The dma-buf, of count pages, is read-write and
 * close-on-exec, and
 * belongs to the caller: it can be mmap'ed and handed to drivers
 * (drmPrimeFDToHandle(), for one). The pages stay mapped until it is
 * released by every user: its descriptors, mappings and attachments. As
 * xengnttab_dmabuf_exp_from_refs(xgt, domid, flags, count, refs, fd) in
 * libxengnttab, whose fd is a uint32_t *.
 */
int hdmabuf_ctx_xen_exp_from_refs(struct hdmabuf_ctx *ctx, uint32_t domid,
				  uint32_t flags, uint32_t count,
				  const uint32_t *refs, int *fd);

/**
 * @brief Wait until a dma-buf of ::hdmabuf_ctx_xen_exp_from_refs is
 *        released by every user.
 * @param ctx The context the dma-buf was made through.
 * @param fd The descriptor number ::hdmabuf_ctx_xen_exp_from_refs stored;
 *           it may have been closed since, as it normally is.
 * @param timeout_ms How long to wait at most; 0 to look without waiting.
 * @return 0 once the dma-buf is released and the other domain's pages are
 *         unmapped, or -1 with errno set: ETIMEDOUT when it is still in
 *         use after timeout_ms, ENOENT when this context has no such
 *         dma-buf (never made, or released before the call: callers
 *         usually take ENOENT as "released" too), EPERM without
 *         CAP_SYS_ADMIN, ENODEV off Xen, ENOTTY when the module is older
 *         than this call.
 *
 * The module waits 60 s at most per request; the library asks again until
 * timeout_ms has passed, so that any value works as it does with
 * xengnttab_dmabuf_exp_wait_released(xgt, fd, wait_to_ms). A signal does
 * not end the wait early either.
 */
int hdmabuf_ctx_xen_exp_wait_released(struct hdmabuf_ctx *ctx, int fd,
				      uint32_t timeout_ms);

/**
 * @brief Grant the pages of a dma-buf to another domain.
 * @param ctx The context.
 * @param domid The domain to grant them to: not this one, and below
 *              ::HDMABUF_DOMID_SELF.
 * @param fd The dma-buf: one whose buffer is backed by pages (from
 *           ::hdmabuf_ctx_alloc, vgem, a GPU driver...). It stays the
 *           caller's; the grants hold their own reference to the buffer.
 * @param count Its size in pages, exactly; at most ::HDMABUF_XEN_REFS_MAX.
 * @param flags ::hdmabuf_xen_grant_flags, or-ed.
 * @param refs Room for count grant references, where they are stored in
 *             page order.
 * @return 0, or -1 with errno set: EBADF when fd is not open, EINVAL when
 *         it is not a dma-buf, a buffer without pages, or not of count
 *         pages, when domid is out of range or when flags are unknown,
 *         EACCES when fd is open read-only and ::HDMABUF_XEN_GRANT_RO is
 *         not set, ENOSPC when this domain's grant table is full, EFAULT
 *         when refs cannot be written, ENOMEM, EPERM without
 *         CAP_SYS_ADMIN, ENODEV off Xen, ENOTTY when the module is older
 *         than this call; or an error of the dma-buf's exporter, which the
 *         module asks for the pages.
 *
 * Granting does not check that domid exists: Xen grants name a domain,
 * and grants to one that does not exist go unused. The grants last until
 * ::hdmabuf_ctx_xen_imp_release with the same fd number, or until the
 * context is closed. As
 * xengnttab_dmabuf_imp_to_refs(xgt, domid, fd, count, refs) in
 * libxengnttab, which has no flags and grants read-write.
 */
int hdmabuf_ctx_xen_imp_to_refs(struct hdmabuf_ctx *ctx, uint32_t domid,
				int fd, uint32_t count, uint32_t flags,
				uint32_t *refs);

/**
 * @brief End the grants of ::hdmabuf_ctx_xen_imp_to_refs.
 * @param ctx The context the pages were granted through.
 * @param fd The descriptor number given to ::hdmabuf_ctx_xen_imp_to_refs;
 *           it may have been closed since.
 * @return 0, or -1 with errno set: ENOENT when this context has no grants
 *         under that number, EPERM without CAP_SYS_ADMIN, ENODEV off Xen,
 *         ENOTTY when the module is older than this call.
 *
 * The references are invalid from then on. While the other domain still
 * maps a page, the module keeps it, and frees it once unmapped: the call
 * does not wait for that. As xengnttab_dmabuf_imp_release(xgt, fd) in
 * libxengnttab.
 */
int hdmabuf_ctx_xen_imp_release(struct hdmabuf_ctx *ctx, int fd);

/** @} */

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* HYPERDMABUF_H */
