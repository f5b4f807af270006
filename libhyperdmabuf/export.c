// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Exports: HYPER_DMABUF_IOCTL_EXPORT, _UNEXPORT and _REVOKE. The object is
 * only the record of what the module made; the export itself lives in the
 * module.
 */
#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "internal.h"

/* The public flags are the uAPI's, so they pass unchanged. */
_Static_assert(HDMABUF_EXPORT_RW == HYPER_DMABUF_EXPORT_RW &&
	       HDMABUF_EXPORT_PERSISTENT == HYPER_DMABUF_EXPORT_PERSISTENT,
	       "enum hdmabuf_export_flags must match HYPER_DMABUF_EXPORT_*");

#define KNOWN_EXPORT_FLAGS	(HDMABUF_EXPORT_RW | HDMABUF_EXPORT_PERSISTENT)

struct hdmabuf_export {
	struct hdmabuf_id id;
	uint64_t size;
	uint32_t peer;
	unsigned int flags;
};

HDMABUF_API struct hdmabuf_export *
hdmabuf_ctx_export(struct hdmabuf_ctx *ctx, int dmabuf_fd, uint32_t peer,
		   unsigned int flags, const struct hdmabuf_meta *meta)
{
	/* every other field, reserved included, goes in as zero */
	struct hyper_dmabuf_export req = {
		.fd = dmabuf_fd,
		.peer = peer,
		.flags = flags,
		.meta = meta ? (uintptr_t)hdmabuf_meta_uapi(meta) : 0,
	};
	struct hdmabuf_export *exp;

	assert(ctx);

	/*
	 * The module would say the same; saying it here keeps flags this
	 * library cannot report back from reaching it.
	 */
	if (flags & ~KNOWN_EXPORT_FLAGS) {
		errno = EINVAL;
		return NULL;
	}

	/* before the call: failing afterwards would leave an export unnamed */
	exp = malloc(sizeof(*exp));
	if (!exp)
		return NULL;

	if (hdmabuf_ctx_ioctl(ctx, HYPER_DMABUF_IOCTL_EXPORT, &req)) {
		int saved_errno = errno;

		free(exp);
		errno = saved_errno;
		return NULL;
	}

	hdmabuf_id_from_uapi(&req.id, &exp->id);
	exp->size = req.size;
	exp->peer = peer;
	exp->flags = flags;
	return exp;
}

HDMABUF_API int hdmabuf_ctx_unexport(struct hdmabuf_ctx *ctx,
				     const struct hdmabuf_id *id,
				     unsigned int delay_ms)
{
	/* flags and reserved go in as zero */
	struct hyper_dmabuf_unexport req = {
		.delay_ms = delay_ms,
	};

	assert(ctx && id);

	hdmabuf_id_to_uapi(id, &req.id);
	return hdmabuf_ctx_ioctl(ctx, HYPER_DMABUF_IOCTL_UNEXPORT, &req);
}

HDMABUF_API int hdmabuf_ctx_revoke(struct hdmabuf_ctx *ctx,
				   const struct hdmabuf_id *id,
				   unsigned int timeout_ms,
				   unsigned int *remaining)
{
	/* flags and reserved go in as zero */
	struct hyper_dmabuf_revoke req = {
		.timeout_ms = timeout_ms,
	};

	assert(ctx && id);

	hdmabuf_id_to_uapi(id, &req.id);
	/*
	 * Once only: after a signal the export is revoked already, and
	 * asking again would fail with EALREADY.
	 */
	if (hdmabuf_ctx_ioctl_once(ctx, HYPER_DMABUF_IOCTL_REVOKE, &req))
		return -1;
	if (remaining)
		*remaining = req.remaining;
	return 0;
}

HDMABUF_API void hdmabuf_export_free(struct hdmabuf_export *exp)
{
	free(exp);
}

HDMABUF_API const struct hdmabuf_id *
hdmabuf_export_get_id(const struct hdmabuf_export *exp)
{
	assert(exp);

	return &exp->id;
}

HDMABUF_API uint64_t hdmabuf_export_get_size(const struct hdmabuf_export *exp)
{
	assert(exp);

	return exp->size;
}

HDMABUF_API uint32_t hdmabuf_export_get_peer(const struct hdmabuf_export *exp)
{
	assert(exp);

	return exp->peer;
}

HDMABUF_API unsigned int
hdmabuf_export_get_flags(const struct hdmabuf_export *exp)
{
	assert(exp);

	return exp->flags;
}
