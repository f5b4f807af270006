// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the check tests of libhyperdmabuf share (lib-test.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ioctl-shim.h"
#include "lib-test.h"

const struct hdmabuf_id sample_hid = {
	.domid = 3,
	.serial = 17,
	.key = { 0x0123456789abcdefULL, 0xfedcba9876543210ULL },
};

const struct hyper_dmabuf_id sample_id = {
	.domid = 3,
	.serial = 17,
	.key = { 0x0123456789abcdefULL, 0xfedcba9876543210ULL },
};

bool zeroed(const void *p, size_t len)
{
	const unsigned char *b = p;

	while (len--)
		if (*b++)
			return false;
	return true;
}

int new_fd(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	return fd;
}

bool fd_is_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

void assert_errors_pass(lib_call *call, const int *errors, size_t n)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	size_t i;

	for (i = 0; i < n; i++) {
		shim_fail(errors[i]);
		errno = 0;
		ck_assert_msg(call(ctx), "succeeded on error %d", errors[i]);
		ck_assert_int_eq(errno, errors[i]);
	}
	ck_assert_int_eq(shim_calls(), (int)n);
	hdmabuf_ctx_close(ctx);
}

void assert_retried_after_eintr(lib_call *call, int eintrs)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	int i;

	for (i = 0; i < eintrs; i++)
		shim_fail(EINTR);
	ck_assert(!call(ctx));
	ck_assert_int_eq(shim_calls(), eintrs + 1);
	hdmabuf_ctx_close(ctx);
}

TCase *shim_tcase(const char *name)
{
	TCase *tc = tcase_create(name);

	/* with CK_FORK=no too */
	tcase_add_checked_fixture(tc, shim_reset, NULL);
	return tc;
}

int run_suite(const char *name, ...)
{
	Suite *suite = suite_create(name);
	SRunner *runner;
	TCase *tc;
	va_list ap;
	int failed;

	va_start(ap, name);
	while ((tc = va_arg(ap, TCase *)))
		suite_add_tcase(suite, tc);
	va_end(ap);

	runner = srunner_create(suite);
	srunner_run_all(runner, CK_VERBOSE);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
