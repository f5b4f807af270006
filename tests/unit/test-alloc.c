// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tests of ALLOC in libhyperdmabuf: what hdmabuf_ctx_alloc() passes, and
 * what it makes of the answers the shim gives (ioctl-shim.h).
 */
#include <errno.h>
#include <unistd.h>

#include "ioctl-shim.h"
#include "lib-test.h"

/* An ALLOC that succeeds with the descriptor fd. */
static void reply_fd(int fd)
{
	struct hyper_dmabuf_alloc reply = { .fd = fd };

	shim_reply(&reply, sizeof(reply));
}

START_TEST(alloc_request)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	const struct hyper_dmabuf_alloc *in;
	int fd = new_fd();

	reply_fd(fd);
	ck_assert_int_eq(hdmabuf_ctx_alloc(ctx, 5000, 0), fd);
	ck_assert(shim_last()->request == HYPER_DMABUF_IOCTL_ALLOC);
	in = shim_last_arg();
	ck_assert(in->size == 5000);
	ck_assert_uint_eq(in->flags, 0);
	ck_assert(ZEROED(in->reserved));
	/* the descriptor is the caller's: closing the context keeps it */
	hdmabuf_ctx_close(ctx);
	ck_assert(fd_is_open(fd));
	close(fd);
}
END_TEST

/*
 * The module, not the library, decides which flags are valid: each kind of
 * memory, both, and an unknown bit all reach it unchanged.
 */
START_TEST(alloc_passes_flags)
{
	static const unsigned int flags[] = {
		HDMABUF_MEM_WC, HDMABUF_MEM_COHERENT,
		HDMABUF_MEM_WC | HDMABUF_MEM_COHERENT, 1u << 2, 0x80,
	};
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	const struct hyper_dmabuf_alloc *in;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(flags); i++) {
		shim_fail(EINVAL);
		ck_assert_int_eq(hdmabuf_ctx_alloc(ctx, 8192, flags[i]), -1);
		in = shim_last_arg();
		ck_assert_uint_eq(in->flags, flags[i]);
		ck_assert(in->size == 8192);
	}
	ck_assert_int_eq(shim_calls(), (int)ARRAY_SIZE(flags));
	hdmabuf_ctx_close(ctx);
}
END_TEST

static bool alloc_fails(struct hdmabuf_ctx *ctx)
{
	return hdmabuf_ctx_alloc(ctx, 1, 0) < 0;
}

START_TEST(alloc_errors)
{
	ASSERT_ERRORS_PASS(alloc_fails, EINVAL, E2BIG, ENOMEM, EMFILE, ENOTTY);
}
END_TEST

START_TEST(alloc_retried_after_signal)
{
	assert_retried_after_eintr(alloc_fails, 1);
}
END_TEST

START_TEST(alloc_negative_fd_is_error)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();

	reply_fd(-1);
	ASSERT_FAILS_WITH(hdmabuf_ctx_alloc(ctx, 1, 0) == -1, EPROTO);
	hdmabuf_ctx_close(ctx);
}
END_TEST

static TCase *alloc_tcase(void)
{
	TCase *tc = shim_tcase("alloc");

	tcase_add_test(tc, alloc_request);
	tcase_add_test(tc, alloc_passes_flags);
	tcase_add_test(tc, alloc_errors);
	tcase_add_test(tc, alloc_retried_after_signal);
	tcase_add_test(tc, alloc_negative_fd_is_error);
	return tc;
}

int main(void)
{
	return run_suite("libhyperdmabuf ALLOC", alloc_tcase(), NULL);
}
