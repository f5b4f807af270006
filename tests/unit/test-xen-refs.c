// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tests of the Xen grant-reference calls of libhyperdmabuf: what
 * EXP_FROM_REFS, EXP_WAIT_RELEASED, IMP_TO_REFS and IMP_RELEASE pass (any
 * argument, unchecked: the module decides), what the library makes of the
 * answers the shim gives (ioctl-shim.h), and how a wait for a release goes
 * on in slices and after signals.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "ioctl-shim.h"
#include "lib-test.h"

#define WAIT_SLICE_MS	60000	/* the longest wait the module takes */
#define DOMID_IO	0x7FF4	/* not a domain the calls may name */
#define UNTOUCHED	77	/* what an output holds until the call */

static const uint32_t sample_refs[] = { 8, 9, 1000, 0x7fffffff };

START_TEST(exp_from_refs_request)
{
	struct hyper_dmabuf_xen_exp_from_refs reply = { .fd = new_fd() };
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	const struct hyper_dmabuf_xen_exp_from_refs *in;
	int fd = UNTOUCHED;

	shim_reply(&reply, sizeof(reply));
	ck_assert_int_eq(hdmabuf_ctx_xen_exp_from_refs(ctx, 4, HDMABUF_MEM_WC,
						       ARRAY_SIZE(sample_refs),
						       sample_refs, &fd), 0);
	ck_assert_int_eq(fd, reply.fd);
	ck_assert_int_eq(shim_calls(), 1);
	in = shim_last_arg();
	ck_assert(shim_last()->request == HYPER_DMABUF_IOCTL_XEN_EXP_FROM_REFS);
	ck_assert_uint_eq(in->flags, HYPER_DMABUF_MEM_WC);
	ck_assert_uint_eq(in->count, ARRAY_SIZE(sample_refs));
	ck_assert_uint_eq(in->domid, 4);
	ck_assert(in->refs == (uintptr_t)sample_refs);
	ck_assert(ZEROED(in->reserved));
	/* the descriptor is the caller's: closing the context keeps it */
	hdmabuf_ctx_close(ctx);
	ck_assert(fd_is_open(fd));
	close(fd);
}
END_TEST

/*
 * The module, not the library, decides which arguments are valid: each of
 * these reaches it unchanged, and its EINVAL reaches the caller.
 */
START_TEST(exp_from_refs_passes_arguments)
{
	static const struct {
		uint32_t domid, flags, count;
	} args[] = {
		{ 0, HDMABUF_MEM_WC | HDMABUF_MEM_COHERENT, 1 },
		{ 0, 1u << 5, 1 },
		{ 0, 0, 0 },
		{ 0, 0, HDMABUF_XEN_REFS_MAX + 1 },
		{ 3, 0, 1 },
		{ HDMABUF_DOMID_SELF, 0, 1 },
		{ DOMID_IO, 0, 1 },
	};
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	const struct hyper_dmabuf_xen_exp_from_refs *in;
	int fd;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(args); i++) {
		shim_fail(EINVAL);
		fd = UNTOUCHED;
		errno = 0;
		ck_assert_int_eq(hdmabuf_ctx_xen_exp_from_refs(ctx, args[i].domid,
							       args[i].flags,
							       args[i].count,
							       sample_refs,
							       &fd), -1);
		ck_assert_int_eq(errno, EINVAL);
		ck_assert_int_eq(fd, UNTOUCHED);
		in = shim_last_arg();
		ck_assert_uint_eq(in->domid, args[i].domid);
		ck_assert_uint_eq(in->flags, args[i].flags);
		ck_assert_uint_eq(in->count, args[i].count);
	}
	ck_assert_int_eq(shim_calls(), (int)i);
	/* no references to read */
	ck_assert_int_eq(hdmabuf_ctx_xen_exp_from_refs(ctx, 4, 0, 1, NULL,
						       &fd), 0);
	ck_assert(SHIM_LAST_ARG(hyper_dmabuf_xen_exp_from_refs)->refs == 0);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* What the caller's fd holds: untouched by a failure. */
static int exp_fd;

static bool exp_from_refs_fails(struct hdmabuf_ctx *ctx)
{
	exp_fd = UNTOUCHED;
	return hdmabuf_ctx_xen_exp_from_refs(ctx, 0, 0, 1, sample_refs,
					     &exp_fd) < 0 &&
	       exp_fd == UNTOUCHED;
}

START_TEST(exp_from_refs_errors)
{
	ASSERT_ERRORS_PASS(exp_from_refs_fails, ENOENT, ESRCH, EACCES, ENOSPC,
			   EIO, ENOMEM, EMFILE, EINVAL, EFAULT, EOPNOTSUPP,
			   ENODEV, ENOTTY);
}
END_TEST

START_TEST(exp_from_refs_negative_fd_is_error)
{
	struct hyper_dmabuf_xen_exp_from_refs reply = { .fd = -1 };
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	int fd = UNTOUCHED;

	shim_reply(&reply, sizeof(reply));
	ASSERT_FAILS_WITH(hdmabuf_ctx_xen_exp_from_refs(ctx, 0, 0, 1,
							 sample_refs, &fd) == -1,
			  EPROTO);
	ck_assert_int_eq(fd, UNTOUCHED);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(exp_from_refs_retried_after_signal)
{
	assert_retried_after_eintr(exp_from_refs_fails, 1);
}
END_TEST

/* timeout_ms of EXP_WAIT_RELEASED request i */
static uint32_t slice(int i)
{
	return SHIM_ARG(i, hyper_dmabuf_xen_exp_wait_released)->timeout_ms;
}

START_TEST(exp_wait_released_request)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	const struct hyper_dmabuf_xen_exp_wait_released *in;

	ck_assert_int_eq(hdmabuf_ctx_xen_exp_wait_released(ctx, 42, 1000), 0);
	ck_assert_int_eq(shim_calls(), 1);
	ck_assert(shim_last()->request ==
		  HYPER_DMABUF_IOCTL_XEN_EXP_WAIT_RELEASED);
	in = shim_last_arg();
	ck_assert_int_eq(in->fd, 42);
	/* what is left of 1000 ms, a moment later */
	ck_assert_uint_le(in->timeout_ms, 1000);
	ck_assert_uint_ge(in->timeout_ms, 500);
	ck_assert(in->reserved == 0);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* ENOENT to the first request: a number the module does not know. */
START_TEST(exp_wait_released_unknown_fd)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();

	shim_fail(ENOENT);
	ASSERT_FAILS_WITH(hdmabuf_ctx_xen_exp_wait_released(ctx, 42, 100000) ==
			  -1, ENOENT);
	ck_assert_int_eq(shim_calls(), 1);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* The module's time-out within the caller's timeout is the caller's. */
START_TEST(exp_wait_released_times_out)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();

	shim_fail(ETIMEDOUT);
	ASSERT_FAILS_WITH(hdmabuf_ctx_xen_exp_wait_released(ctx, 5, 100) == -1,
			  ETIMEDOUT);
	ck_assert_int_eq(shim_calls(), 1);
	ck_assert_uint_le(slice(0), 100);
	/* 0: a look, without waiting */
	shim_fail(ETIMEDOUT);
	ASSERT_FAILS_WITH(hdmabuf_ctx_xen_exp_wait_released(ctx, 5, 0) == -1,
			  ETIMEDOUT);
	ck_assert_int_eq(shim_calls(), 2);
	ck_assert_uint_eq(slice(1), 0);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* More than the module takes is asked for in slices of 60 s. */
START_TEST(exp_wait_released_long_timeout_in_slices)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	int i;

	shim_fail(ETIMEDOUT);
	shim_fail(ETIMEDOUT);
	ck_assert_int_eq(hdmabuf_ctx_xen_exp_wait_released(ctx, 5, 150000),
			 0);
	ck_assert_int_eq(shim_calls(), 3);
	for (i = 0; i < 3; i++)
		ck_assert_uint_eq(slice(i), WAIT_SLICE_MS);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/*
 * Found in use (a slice timed out), then unknown: released in between, a
 * success.
 */
START_TEST(exp_wait_released_between_slices)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();

	shim_fail(ETIMEDOUT);
	shim_fail(ENOENT);
	ck_assert_int_eq(hdmabuf_ctx_xen_exp_wait_released(ctx, 5, UINT32_MAX),
			 0);
	ck_assert_int_eq(shim_calls(), 2);
	ck_assert_uint_eq(slice(0), WAIT_SLICE_MS);
	ck_assert_uint_eq(slice(1), WAIT_SLICE_MS);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* Found in use (a signal cut the wait short), then unknown: a success too. */
START_TEST(exp_wait_released_during_signal)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();

	shim_fail(EINTR);
	shim_fail(ENOENT);
	ck_assert_int_eq(hdmabuf_ctx_xen_exp_wait_released(ctx, 5, 1000), 0);
	ck_assert_int_eq(shim_calls(), 2);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* After a signal the wait goes on, for what is left of the timeout only. */
START_TEST(exp_wait_released_goes_on_after_signal)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();

	shim_fail(EINTR);
	shim_fail(EINTR);
	ck_assert_int_eq(hdmabuf_ctx_xen_exp_wait_released(ctx, 5, 1000), 0);
	ck_assert_int_eq(shim_calls(), 3);
	ck_assert_uint_le(slice(0), 1000);
	ck_assert_uint_le(slice(1), slice(0));
	ck_assert_uint_le(slice(2), slice(1));
	ck_assert_uint_gt(slice(2), 0);
	hdmabuf_ctx_close(ctx);
}
END_TEST

static bool exp_wait_released_fails(struct hdmabuf_ctx *ctx)
{
	return hdmabuf_ctx_xen_exp_wait_released(ctx, 5, 10) < 0;
}

START_TEST(exp_wait_released_errors)
{
	ASSERT_ERRORS_PASS(exp_wait_released_fails, ENOENT, EINVAL, ENODEV,
			   ENOTTY);
}
END_TEST

START_TEST(imp_to_refs_request)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	const struct hyper_dmabuf_xen_imp_to_refs *in;
	uint32_t refs[3];

	ck_assert_int_eq(hdmabuf_ctx_xen_imp_to_refs(ctx, 4, 9, 3,
						     HDMABUF_XEN_GRANT_RO,
						     refs), 0);
	ck_assert_int_eq(shim_calls(), 1);
	in = shim_last_arg();
	ck_assert(shim_last()->request == HYPER_DMABUF_IOCTL_XEN_IMP_TO_REFS);
	ck_assert_int_eq(in->fd, 9);
	ck_assert_uint_eq(in->count, 3);
	ck_assert_uint_eq(in->domid, 4);
	ck_assert_uint_eq(in->flags, HYPER_DMABUF_XEN_GRANT_RO);
	/* the module writes the references into the caller's array */
	ck_assert(in->refs == (uintptr_t)refs);
	ck_assert(ZEROED(in->reserved));
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* The module, not the library, decides which arguments are valid. */
START_TEST(imp_to_refs_passes_arguments)
{
	static const struct {
		uint32_t domid;
		int fd;
		uint32_t count, flags;
	} args[] = {
		{ 0, 9, 3, 1u << 1 },
		{ 0, 9, 0, 0 },
		{ 0, 9, HDMABUF_XEN_REFS_MAX + 1, 0 },
		{ 0, -1, 1, 0 },
		{ 3, 9, 3, 0 },
		{ HDMABUF_DOMID_SELF, 9, 3, 0 },
	};
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	const struct hyper_dmabuf_xen_imp_to_refs *in;
	uint32_t refs[1];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(args); i++) {
		shim_fail(EINVAL);
		ck_assert_int_eq(hdmabuf_ctx_xen_imp_to_refs(ctx, args[i].domid,
							     args[i].fd,
							     args[i].count,
							     args[i].flags,
							     refs), -1);
		in = shim_last_arg();
		ck_assert_uint_eq(in->domid, args[i].domid);
		ck_assert_int_eq(in->fd, args[i].fd);
		ck_assert_uint_eq(in->count, args[i].count);
		ck_assert_uint_eq(in->flags, args[i].flags);
	}
	/* no room for the references */
	ck_assert_int_eq(hdmabuf_ctx_xen_imp_to_refs(ctx, 0, 9, 1, 0, NULL), 0);
	ck_assert(SHIM_LAST_ARG(hyper_dmabuf_xen_imp_to_refs)->refs == 0);
	hdmabuf_ctx_close(ctx);
}
END_TEST

static bool imp_to_refs_fails(struct hdmabuf_ctx *ctx)
{
	uint32_t refs[1];

	return hdmabuf_ctx_xen_imp_to_refs(ctx, 0, 9, 1, 0, refs) < 0;
}

START_TEST(imp_to_refs_errors)
{
	ASSERT_ERRORS_PASS(imp_to_refs_fails, ENOSPC, ENOMEM, EACCES, EBADF,
			   EINVAL, EFAULT, EDQUOT, ENODEV, ENOTTY);
}
END_TEST

START_TEST(imp_to_refs_retried_after_signal)
{
	assert_retried_after_eintr(imp_to_refs_fails, 1);
}
END_TEST

START_TEST(imp_release_request)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	const struct hyper_dmabuf_xen_imp_release *in;

	ck_assert_int_eq(hdmabuf_ctx_xen_imp_release(ctx, 9), 0);
	ck_assert_int_eq(shim_calls(), 1);
	ck_assert(shim_last()->request == HYPER_DMABUF_IOCTL_XEN_IMP_RELEASE);
	in = shim_last_arg();
	ck_assert_int_eq(in->fd, 9);
	ck_assert_uint_eq(in->reserved, 0);
	hdmabuf_ctx_close(ctx);
}
END_TEST

static bool imp_release_fails(struct hdmabuf_ctx *ctx)
{
	return hdmabuf_ctx_xen_imp_release(ctx, 9) < 0;
}

START_TEST(imp_release_errors)
{
	ASSERT_ERRORS_PASS(imp_release_fails, ENOENT, EINVAL, ENODEV, ENOTTY);
}
END_TEST

START_TEST(imp_release_retried_after_signal)
{
	assert_retried_after_eintr(imp_release_fails, 1);
}
END_TEST

static TCase *export_tcase(void)
{
	TCase *tc = shim_tcase("exp_from_refs");

	tcase_add_test(tc, exp_from_refs_request);
	tcase_add_test(tc, exp_from_refs_passes_arguments);
	tcase_add_test(tc, exp_from_refs_errors);
	tcase_add_test(tc, exp_from_refs_negative_fd_is_error);
	tcase_add_test(tc, exp_from_refs_retried_after_signal);
	tcase_add_test(tc, exp_wait_released_request);
	tcase_add_test(tc, exp_wait_released_unknown_fd);
	tcase_add_test(tc, exp_wait_released_times_out);
	tcase_add_test(tc, exp_wait_released_long_timeout_in_slices);
	tcase_add_test(tc, exp_wait_released_between_slices);
	tcase_add_test(tc, exp_wait_released_during_signal);
	tcase_add_test(tc, exp_wait_released_goes_on_after_signal);
	tcase_add_test(tc, exp_wait_released_errors);
	return tc;
}

static TCase *import_tcase(void)
{
	TCase *tc = shim_tcase("imp_to_refs");

	tcase_add_test(tc, imp_to_refs_request);
	tcase_add_test(tc, imp_to_refs_passes_arguments);
	tcase_add_test(tc, imp_to_refs_errors);
	tcase_add_test(tc, imp_to_refs_retried_after_signal);
	tcase_add_test(tc, imp_release_request);
	tcase_add_test(tc, imp_release_errors);
	tcase_add_test(tc, imp_release_retried_after_signal);
	return tc;
}

int main(void)
{
	return run_suite("libhyperdmabuf Xen grant references",
			 export_tcase(), import_tcase(), NULL);
}
