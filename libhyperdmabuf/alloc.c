// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Buffers of the module's own: HYPER_DMABUF_IOCTL_ALLOC. The result is a
 * plain dma-buf descriptor, not an object of this library.
 */
#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <unistd.h>

#include "internal.h"

HDMABUF_API int hdmabuf_ctx_alloc(struct hdmabuf_ctx *ctx, size_t size,
				  unsigned int flags)
{
	/* every other field, reserved included, goes in as zero */
	struct hyper_dmabuf_alloc req = {
		.size = size,
		.flags = flags,
	};

	assert(ctx);

	if (hdmabuf_ctx_ioctl(ctx, HYPER_DMABUF_IOCTL_ALLOC, &req))
		return -1;

	if (req.fd < 0) {
		errno = EPROTO;
		return -1;
	}
	return req.fd;
}
