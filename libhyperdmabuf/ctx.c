// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * The device context: an open descriptor on /dev/hyper_dmabuf.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
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
 * the kernel's answers alike: a positive result, which no call of the ABI
 * returns, is a protocol error.
 */
int hdmabuf_ctx_ioctl_once(struct hdmabuf_ctx *ctx, unsigned long request,
			   void *arg)
{
	int ret;

	assert(ctx);

	ret = ioctl(ctx->fd, request, arg);
	if (ret > 0) {
		errno = EPROTO;
		return -1;
	}
	return ret;
}

/* A signal is not a failure: the request is made again. */
int hdmabuf_ctx_ioctl(struct hdmabuf_ctx *ctx, unsigned long request,
		      void *arg)
{
	int ret;

	do
		ret = hdmabuf_ctx_ioctl_once(ctx, request, arg);
	while (ret < 0 && errno == EINTR);
	return ret;
}

int64_t hdmabuf_deadline(int timeout_ms)
{
	struct timespec now;

	if (timeout_ms < 0)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000 + timeout_ms;
}

int hdmabuf_ms_left(int64_t deadline)
{
	struct timespec now;
	int64_t left;

	if (deadline < 0)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &now);
	left = deadline - ((int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000);
	return left < 0 ? 0 : left > INT_MAX ? INT_MAX : (int)left;
}

/* Room offered by the first call; most domains have fewer entries. */
#define TABLE_FIRST	32
/* Calls made before giving up on a table that keeps growing. */
#define TABLE_TRIES	8

/* The count of a table, all of it read into *entries (malloc'd), or -1. */
static long read_table(struct hdmabuf_ctx *ctx, hdmabuf_table_call call,
		       size_t entry_size, uint32_t max, void **entries)
{
	uint32_t capacity = 0, want = TABLE_FIRST, count;
	void *bigger;
	int tries;

	for (tries = 0; tries < TABLE_TRIES; tries++) {
		if (want > capacity) {
			bigger = realloc(*entries, (size_t)want * entry_size);
			if (!bigger)
				return -1;
			*entries = bigger;
			capacity = want;
		}
		if (call(ctx, *entries, capacity, &count))
			return -1;
		if (count <= capacity)
			return count;
		/* a partial table is never returned: one call could not say all */
		if (count > max) {
			errno = EOVERFLOW;
			return -1;
		}
		/* room for those that may come before the next call */
		want = count + count / 8 + 8;
		if (want > max)
			want = max;
	}
	errno = EAGAIN;
	return -1;
}

void *hdmabuf_read_list(struct hdmabuf_ctx *ctx, hdmabuf_table_call call,
			size_t uapi_size, uint32_t max, size_t header_size,
			size_t entry_size, hdmabuf_entry_convert convert)
{
	void *table = NULL, *list = NULL;
	size_t n, i;
	int saved_errno;
	long count;

	count = read_table(ctx, call, uapi_size, max, &table);
	if (count < 0)
		goto out;
	n = (size_t)count;
	list = malloc(header_size + n * entry_size);
	if (!list)
		goto out;
	memcpy(list, &n, sizeof(n));
	for (i = 0; i < n; i++)
		convert((const char *)table + i * uapi_size,
			(char *)list + header_size + i * entry_size);
out:
	saved_errno = errno;
	free(table);
	errno = saved_errno;
	return list;
}

const void *hdmabuf_list_at(const void *entries, size_t count,
			    size_t entry_size, size_t index)
{
	if (index >= count) {
		errno = EINVAL;
		return NULL;
	}
	return (const char *)entries + index * entry_size;
}
