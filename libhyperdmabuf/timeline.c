// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Timelines: HYPER_DMABUF_IOCTL_SIGNAL and _WAIT, blocking or with a
 * sync_file.
 */
#include <assert.h>
#include <errno.h>
#include <stdint.h>

#include "internal.h"

/*
 * The longest WAIT asked of the module when the caller sets no limit; the
 * loop asks again after it.
 */
#define WAIT_UNLIMITED_MS	UINT32_MAX

HDMABUF_API int hdmabuf_ctx_signal(struct hdmabuf_ctx *ctx,
				   const struct hdmabuf_id *id, uint64_t value)
{
	/* flags and reserved go in as zero */
	struct hyper_dmabuf_signal req = {
		.value = value,
	};

	assert(ctx && id);

	hdmabuf_id_to_uapi(id, &req.id);
	return hdmabuf_ctx_ioctl(ctx, HYPER_DMABUF_IOCTL_SIGNAL, &req);
}

HDMABUF_API int hdmabuf_ctx_wait(struct hdmabuf_ctx *ctx,
				 const struct hdmabuf_id *id, uint64_t value,
				 int timeout_ms, uint64_t *current)
{
	int64_t deadline = hdmabuf_deadline(timeout_ms);
	struct hyper_dmabuf_wait req;
	int left, ret;

	assert(ctx && id);

	/*
	 * Asked again after a signal, for what is left of the timeout only:
	 * the module would start the whole timeout over.
	 */
	for (;;) {
		left = hdmabuf_ms_left(deadline);
		/* flags and reserved go in as zero */
		req = (struct hyper_dmabuf_wait){
			.value = value,
			.timeout_ms = left < 0 ? WAIT_UNLIMITED_MS
					       : (uint32_t)left,
		};
		hdmabuf_id_to_uapi(id, &req.id);
		ret = hdmabuf_ctx_ioctl_once(ctx, HYPER_DMABUF_IOCTL_WAIT, &req);
		if (ret && (errno == EINTR || (errno == ETIMEDOUT && left < 0)))
			continue;
		break;
	}

	/* the module reports the value on a time-out too */
	if ((!ret || errno == ETIMEDOUT) && current)
		*current = req.current_value;
	return ret;
}

HDMABUF_API int hdmabuf_ctx_wait_sync_file(struct hdmabuf_ctx *ctx,
					   const struct hdmabuf_id *id,
					   uint64_t value)
{
	/* timeout_ms 0: the module's deadline; reserved go in as zero */
	struct hyper_dmabuf_wait req = {
		.value = value,
		.flags = HYPER_DMABUF_WAIT_SYNC_FILE,
	};

	assert(ctx && id);

	hdmabuf_id_to_uapi(id, &req.id);
	if (hdmabuf_ctx_ioctl(ctx, HYPER_DMABUF_IOCTL_WAIT, &req))
		return -1;
	if (req.fence_fd < 0) {
		errno = EPROTO;
		return -1;
	}
	return req.fence_fd;
}
