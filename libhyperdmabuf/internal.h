/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * What the object files of libhyperdmabuf share. Not installed.
 */
#ifndef HDMABUF_INTERNAL_H
#define HDMABUF_INTERNAL_H

#include <hyperdmabuf.h>
#include <linux/hyper_dmabuf.h>

/* Marks a definition as part of the ABI; everything else stays hidden. */
#define HDMABUF_API __attribute__((visibility("default")))

int hdmabuf_ctx_ioctl(struct hdmabuf_ctx *ctx, unsigned long request,
		      void *arg);
/* The same, without starting over after a signal: it fails with EINTR. */
int hdmabuf_ctx_ioctl_once(struct hdmabuf_ctx *ctx, unsigned long request,
			   void *arg);

/*
 * Timeouts in the style of poll(2), negative for none: the deadline of a
 * timeout on CLOCK_MONOTONIC (-1 for none), and what is left of it (0 once
 * passed, -1 for none), so that a wait cut short by a signal goes on for
 * the rest.
 */
int64_t hdmabuf_deadline(int timeout_ms);
int hdmabuf_ms_left(int64_t deadline);

/*
 * Tables the module writes like LIST does: the caller offers room for some
 * entries, the module says how many it has and writes as many as fit.
 * call() makes one request (for capacity entries of the module's at
 * entries; it stores the module's count); hdmabuf_read_list() calls it
 * until all entries fit, growing the room between calls, since the count
 * can change meanwhile. It makes the library's list of them: every such
 * list starts with its count (a size_t), then, at header_size, each entry
 * (entry_size bytes) as convert() makes it of the module's (uapi_size
 * bytes). NULL with errno: EOVERFLOW when more than max entries exist,
 * EAGAIN when the table grew faster than it could be read, ENOMEM, or the
 * call's error. hdmabuf_list_at() is entry index of such a list's entries,
 * or NULL with EINVAL past its end.
 */
typedef int (*hdmabuf_table_call)(struct hdmabuf_ctx *ctx, void *entries,
				  uint32_t capacity, uint32_t *count);
typedef void (*hdmabuf_entry_convert)(const void *uapi, void *entry);
void *hdmabuf_read_list(struct hdmabuf_ctx *ctx, hdmabuf_table_call call,
			size_t uapi_size, uint32_t max, size_t header_size,
			size_t entry_size, hdmabuf_entry_convert convert);
const void *hdmabuf_list_at(const void *entries, size_t count,
			    size_t entry_size, size_t index);

/* A HYPER_DMABUF_TRANSPORT_* bit as the public enum; 0 for an unknown one. */
enum hdmabuf_transport hdmabuf_transport_from_bit(uint32_t bit);

/* Between the public id and the uAPI's, which have the same fields. */
void hdmabuf_id_to_uapi(const struct hdmabuf_id *id,
			struct hyper_dmabuf_id *uapi);
void hdmabuf_id_from_uapi(const struct hyper_dmabuf_id *uapi,
			  struct hdmabuf_id *id);

/* The uAPI structure inside a metadata object, for the calls carrying it. */
const struct hyper_dmabuf_meta *
hdmabuf_meta_uapi(const struct hdmabuf_meta *meta);
struct hyper_dmabuf_meta *hdmabuf_meta_uapi_mut(struct hdmabuf_meta *meta);
/* Checks metadata written by the module: 0, or -1 with EPROTO. */
int hdmabuf_meta_check_uapi(struct hdmabuf_meta *meta);

#endif /* HDMABUF_INTERNAL_H */
