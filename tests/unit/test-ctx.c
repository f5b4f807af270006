// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tests of the device context of libhyperdmabuf: how it opens the device,
 * and what every request made through it does with the kernel's answer
 * (a positive result is a protocol error).
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "ioctl-shim.h"
#include "lib-test.h"

#define MISSING_PATH	"/nonexistent/hyper_dmabuf"

START_TEST(open_missing_path)
{
	ASSERT_FAILS_WITH(!hdmabuf_ctx_open(MISSING_PATH), ENOENT);
}
END_TEST

/* The default device exists only where the module is loaded. */
START_TEST(open_default_path)
{
	struct hdmabuf_ctx *ctx;

	errno = 0;
	ctx = hdmabuf_ctx_open(NULL);
	if (access("/dev/hyper_dmabuf", F_OK) == 0)
		ck_assert(ctx || errno == EACCES);
	else
		ck_assert(!ctx && errno == ENOENT);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(open_read_write_cloexec)
{
	struct hdmabuf_ctx *ctx = hdmabuf_ctx_open("/dev/null");
	int fd;

	ck_assert_ptr_nonnull(ctx);
	fd = hdmabuf_ctx_get_fd(ctx);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDWR);
	ck_assert(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	hdmabuf_ctx_close(ctx);
	ck_assert(!fd_is_open(fd));
}
END_TEST

START_TEST(close_null)
{
	hdmabuf_ctx_close(NULL);
}
END_TEST

/* No request of the ABI returns a positive value. */
START_TEST(positive_result_is_error)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();

	shim_return(1);
	ASSERT_FAILS_WITH(!hdmabuf_ctx_get_caps(ctx), EPROTO);
	ck_assert_int_eq(shim_calls(), 1);
	hdmabuf_ctx_close(ctx);
}
END_TEST

static TCase *ctx_tcase(void)
{
	TCase *tc = shim_tcase("ctx");

	tcase_add_test(tc, open_missing_path);
	tcase_add_test(tc, open_default_path);
	tcase_add_test(tc, open_read_write_cloexec);
	tcase_add_test(tc, close_null);
	tcase_add_test(tc, positive_result_is_error);
	return tc;
}

int main(void)
{
	return run_suite("libhyperdmabuf context", ctx_tcase(), NULL);
}
