// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The ioctl() of the tests that need no module: this definition comes
 * before libc's for the library's calls (a symbol of the executable comes
 * first). Requests on the shim's descriptor are recorded and answered from
 * the test's queue; every other descriptor gets the real system call.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ioctl-shim.h"

struct shim_answer {
	int err;
	int result;
	size_t size;			/* of reply; 0: the argument stays */
	_Alignas(8) unsigned char reply[SHIM_ARG_MAX];
	size_t ptr_offset;
	const void *out;		/* NULL: nothing written through it */
	size_t out_size;
};

static struct {
	int fd;
	int calls;
	struct shim_call call[SHIM_CALLS_MAX];
	int queued, answered;
	struct shim_answer answer[SHIM_CALLS_MAX];
} shim = { .fd = -1 };

void shim_reset(void)
{
	memset(&shim, 0, sizeof(shim));
	shim.fd = -1;
}

struct hdmabuf_ctx *shim_ctx_open(void)
{
	struct hdmabuf_ctx *ctx = hdmabuf_ctx_open("/dev/null");

	if (!ctx) {
		perror("ioctl-shim: /dev/null");
		abort();
	}
	shim.fd = hdmabuf_ctx_get_fd(ctx);
	return ctx;
}

static struct shim_answer *queue(void)
{
	if (shim.queued == SHIM_CALLS_MAX) {
		fprintf(stderr, "ioctl-shim: more than %d answers queued\n",
			SHIM_CALLS_MAX);
		abort();
	}
	return &shim.answer[shim.queued++];
}

void shim_fail(int err)
{
	queue()->err = err;
}

void shim_return(int result)
{
	queue()->result = result;
}

void shim_reply_out(const void *reply, size_t size, size_t ptr_offset,
		    const void *out, size_t out_size)
{
	struct shim_answer *a = queue();

	if (size > sizeof(a->reply)) {
		fprintf(stderr, "ioctl-shim: a reply of %zu bytes\n", size);
		abort();
	}
	memcpy(a->reply, reply, size);
	a->size = size;
	a->ptr_offset = ptr_offset;
	a->out = out;
	a->out_size = out_size;
}

void shim_reply(const void *reply, size_t size)
{
	shim_reply_out(reply, size, 0, NULL, 0);
}

void shim_reply_fail(const void *reply, size_t size, int err)
{
	shim_reply(reply, size);
	shim.answer[shim.queued - 1].err = err;
}

int shim_calls(void)
{
	return shim.calls;
}

const struct shim_call *shim_call(int i)
{
	if (i < 0 || i >= shim.calls || i >= SHIM_CALLS_MAX) {
		fprintf(stderr, "ioctl-shim: no record of call %d\n", i);
		abort();
	}
	return &shim.call[i];
}

const struct shim_call *shim_last(void)
{
	return shim_call(shim.calls - 1);
}

const void *shim_arg(int i)
{
	return shim_call(i)->arg;
}

const void *shim_last_arg(void)
{
	return shim_last()->arg;
}

static void record(unsigned long request, const void *arg)
{
	struct shim_call *c = &shim.call[shim.calls];
	size_t size = _IOC_SIZE(request);

	c->request = request;
	if (size > sizeof(c->arg)) {
		fprintf(stderr, "ioctl-shim: request %#lx of %zu bytes\n",
			request, size);
		abort();
	}
	memcpy(c->arg, arg, size);
	if (request == HYPER_DMABUF_IOCTL_EXPORT) {
		const struct hyper_dmabuf_export *exp = arg;

		if (exp->meta) {
			memcpy(&c->meta, (const void *)(uintptr_t)exp->meta,
			       sizeof(c->meta));
			c->has_meta = true;
		}
	}
}

static int answer(unsigned long request, void *arg)
{
	const struct shim_answer *a;
	__u64 ptr;

	if (shim.calls < SHIM_CALLS_MAX)
		record(request, arg);
	shim.calls++;
	if (shim.answered == shim.queued)
		return 0;
	a = &shim.answer[shim.answered++];
	if (a->size && a->size != _IOC_SIZE(request)) {
		fprintf(stderr,
			"ioctl-shim: a reply of %zu bytes to request %#lx\n",
			a->size, request);
		abort();
	}
	if (a->out) {
		memcpy(&ptr, (const char *)arg + a->ptr_offset, sizeof(ptr));
		memcpy((void *)(uintptr_t)ptr, a->out, a->out_size);
	}
	if (a->size)
		memcpy(arg, a->reply, a->size);
	if (a->err) {
		errno = a->err;
		return -1;
	}
	return a->result;
}

int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);

	if (fd >= 0 && fd == shim.fd)
		return answer(request, arg);
	return syscall(SYS_ioctl, fd, request, arg);
}
