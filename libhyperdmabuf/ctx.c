// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * The device context: an open descriptor on /dev/hyper_dmabuf.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "internal.h"

#define HDMABUF_DEFAULT_PATH "/dev/hyper_dmabuf"

struct hdmabuf_ctx {
	int fd;
};

HDMABUF_API struct hdmabuf_ctx *hdmabuf_ctx_open(const char *path)
{
	struct hdmabuf_ctx *ctx;
	int saved_errno;

	ctx = malloc(sizeof(*ctx));
	if (!ctx)
		return NULL;

	ctx->fd = open(path ? path : HDMABUF_DEFAULT_PATH, O_RDWR | O_CLOEXEC);
	if (ctx->fd < 0) {
		saved_errno = errno;
		free(ctx);
		errno = saved_errno;
		return NULL;
	}

	return ctx;
}

HDMABUF_API void hdmabuf_ctx_close(struct hdmabuf_ctx *ctx)
{
	if (!ctx)
		return;

	close(ctx->fd);
	free(ctx);
}

HDMABUF_API int hdmabuf_ctx_get_fd(struct hdmabuf_ctx *ctx)
{
	assert(ctx);

	return ctx->fd;
}

/*
 * Every request to the module goes through here, so that all of them treat
 * the kernel's answers alike: a signal is not a failure, and a positive
 * result, which no call of the ABI returns, is a protocol error.
 */
int hdmabuf_ctx_ioctl(struct hdmabuf_ctx *ctx, unsigned long request,
		      void *arg)
{
	int ret;

	assert(ctx);

	do
		ret = ioctl(ctx->fd, request, arg);
	while (ret < 0 && errno == EINTR);

	if (ret > 0) {
		errno = EPROTO;
		return -1;
	}
	return ret;
}
