// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tests of the timelines in libhyperdmabuf: SIGNAL, and WAIT blocking or
 * with a sync_file: what the library passes, what it makes of the answers
 * the shim gives (ioctl-shim.h), and how a wait goes on after a signal or
 * the module's own time-out, for what is left of the caller's timeout.
 */
#include <errno.h>
#include <stdint.h>
#include <unistd.h>

#include "ioctl-shim.h"
#include "lib-test.h"

START_TEST(signal_request)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	const struct hyper_dmabuf_signal *in;

	ck_assert_int_eq(hdmabuf_ctx_signal(ctx, &sample_hid,
					    0x100000005ULL), 0);
	in = shim_last_arg();
	ck_assert(shim_last()->request == HYPER_DMABUF_IOCTL_SIGNAL);
	ck_assert(IS_SAMPLE_ID(in->id));
	ck_assert(in->value == 0x100000005ULL);
	ck_assert_uint_eq(in->flags, 0);
	ck_assert_uint_eq(in->reserved0, 0);
	ck_assert(ZEROED(in->reserved));
	hdmabuf_ctx_close(ctx);
}
END_TEST

static bool signal_fails(struct hdmabuf_ctx *ctx)
{
	return hdmabuf_ctx_signal(ctx, &sample_hid, 1) < 0;
}

START_TEST(signal_errors)
{
	ASSERT_ERRORS_PASS(signal_fails, ENOENT, EKEYREJECTED, EINVAL, ENOTTY);
}
END_TEST

START_TEST(signal_retried_after_signal)
{
	assert_retried_after_eintr(signal_fails, 1);
}
END_TEST

/*
 * A WAIT that answers err (0: reached) with the timeline at value, which
 * the module reports on a time-out too.
 */
static void answer_wait(int err, __u64 value)
{
	struct hyper_dmabuf_wait reply = { .current_value = value,
					   .fence_fd = -1 };

	if (err == ETIMEDOUT)
		shim_reply_fail(&reply, sizeof(reply), err);
	else if (err)
		shim_fail(err);
	else
		shim_reply(&reply, sizeof(reply));
}

START_TEST(wait_reached)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	const struct hyper_dmabuf_wait *in;
	uint64_t current = 0;

	answer_wait(0, 7);
	ck_assert_int_eq(hdmabuf_ctx_wait(ctx, &sample_hid, 5, 100, &current),
			 0);
	ck_assert(current == 7);
	ck_assert_int_eq(shim_calls(), 1);
	in = shim_last_arg();
	ck_assert(shim_last()->request == HYPER_DMABUF_IOCTL_WAIT);
	ck_assert(IS_SAMPLE_ID(in->id));
	ck_assert(in->value == 5);
	/* what is left of 100 ms, a moment later */
	ck_assert_uint_le(in->timeout_ms, 100);
	ck_assert_uint_ge(in->timeout_ms, 50);
	ck_assert_uint_eq(in->flags, 0);
	ck_assert_uint_eq(in->reserved0, 0);
	ck_assert(ZEROED(in->reserved));
	ck_assert(in->current_value == 0);
	ck_assert(hdmabuf_ctx_wait(ctx, &sample_hid, 7, 0, NULL) == 0);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* Timeout 0 goes to the module as 0: a look at the timeline. */
START_TEST(wait_zero_timeout)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	uint64_t current = 0;

	answer_wait(0, 0xfffffffffULL);
	ck_assert_int_eq(hdmabuf_ctx_wait(ctx, &sample_hid, 0, 0, &current), 0);
	ck_assert(current == 0xfffffffffULL);
	ck_assert_uint_eq(SHIM_LAST_ARG(hyper_dmabuf_wait)->timeout_ms, 0);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* The module's time-out within the caller's timeout is the caller's. */
START_TEST(wait_times_out)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	uint64_t current = 0;

	answer_wait(ETIMEDOUT, 3);
	ASSERT_FAILS_WITH(hdmabuf_ctx_wait(ctx, &sample_hid, 9, 0, &current) ==
			  -1, ETIMEDOUT);
	/* the value reported with the time-out */
	ck_assert(current == 3);
	ck_assert_int_eq(shim_calls(), 1);
	ck_assert_uint_eq(SHIM_LAST_ARG(hyper_dmabuf_wait)->timeout_ms, 0);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* Without a limit, the module's time-outs are not the caller's. */
START_TEST(wait_without_limit)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	uint64_t current = 0;
	int i;

	answer_wait(ETIMEDOUT, 0);
	answer_wait(ETIMEDOUT, 0);
	answer_wait(0, 4);
	ck_assert_int_eq(hdmabuf_ctx_wait(ctx, &sample_hid, 4, -1, &current),
			 0);
	ck_assert(current == 4);
	ck_assert_int_eq(shim_calls(), 3);
	for (i = 0; i < 3; i++)
		ck_assert_uint_eq(SHIM_ARG(i, hyper_dmabuf_wait)->timeout_ms,
				  UINT32_MAX);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* After a signal the wait goes on, for what is left of the timeout only. */
START_TEST(wait_goes_on_after_signal)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	uint64_t current = 0;

	answer_wait(EINTR, 0);
	answer_wait(EINTR, 0);
	answer_wait(0, 2);
	ck_assert_int_eq(hdmabuf_ctx_wait(ctx, &sample_hid, 2, 1000, &current),
			 0);
	ck_assert(current == 2);
	ck_assert_int_eq(shim_calls(), 3);
	ck_assert_uint_le(SHIM_ARG(0, hyper_dmabuf_wait)->timeout_ms, 1000);
	ck_assert_uint_le(SHIM_ARG(1, hyper_dmabuf_wait)->timeout_ms,
			  SHIM_ARG(0, hyper_dmabuf_wait)->timeout_ms);
	ck_assert_uint_le(SHIM_ARG(2, hyper_dmabuf_wait)->timeout_ms,
			  SHIM_ARG(1, hyper_dmabuf_wait)->timeout_ms);
	ck_assert_uint_gt(SHIM_ARG(2, hyper_dmabuf_wait)->timeout_ms, 0);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* What the caller's current holds: untouched by a failure. */
static uint64_t wait_current;

static bool wait_fails(struct hdmabuf_ctx *ctx)
{
	wait_current = 77;
	return hdmabuf_ctx_wait(ctx, &sample_hid, 1, 10, &wait_current) < 0 &&
	       wait_current == 77;
}

START_TEST(wait_errors)
{
	ASSERT_ERRORS_PASS(wait_fails, ENOENT, EKEYREJECTED, EINVAL, ENOTTY);
}
END_TEST

START_TEST(wait_sync_file_request)
{
	struct hyper_dmabuf_wait reply = { .fence_fd = new_fd() };
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	const struct hyper_dmabuf_wait *in;

	shim_reply(&reply, sizeof(reply));
	ck_assert_int_eq(hdmabuf_ctx_wait_sync_file(ctx, &sample_hid, 12),
			 reply.fence_fd);
	in = shim_last_arg();
	ck_assert(shim_last()->request == HYPER_DMABUF_IOCTL_WAIT);
	ck_assert(IS_SAMPLE_ID(in->id));
	ck_assert(in->value == 12);
	ck_assert_uint_eq(in->flags, HYPER_DMABUF_WAIT_SYNC_FILE);
	/* 0: the module's own deadline */
	ck_assert_uint_eq(in->timeout_ms, 0);
	ck_assert_uint_eq(in->reserved0, 0);
	ck_assert(ZEROED(in->reserved));
	/* the descriptor is the caller's */
	hdmabuf_ctx_close(ctx);
	ck_assert(fd_is_open(reply.fence_fd));
	close(reply.fence_fd);
}
END_TEST

static bool wait_sync_file_fails(struct hdmabuf_ctx *ctx)
{
	return hdmabuf_ctx_wait_sync_file(ctx, &sample_hid, 1) < 0;
}

START_TEST(wait_sync_file_errors)
{
	ASSERT_ERRORS_PASS(wait_sync_file_fails, ENOENT, EKEYREJECTED, ENOMEM,
			   EMFILE, ENOTTY);
}
END_TEST

START_TEST(wait_sync_file_negative_fd_is_error)
{
	struct hyper_dmabuf_wait reply = { .fence_fd = -1 };
	struct hdmabuf_ctx *ctx = shim_ctx_open();

	shim_reply(&reply, sizeof(reply));
	ASSERT_FAILS_WITH(hdmabuf_ctx_wait_sync_file(ctx, &sample_hid, 1) == -1,
			  EPROTO);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(wait_sync_file_retried_after_signal)
{
	assert_retried_after_eintr(wait_sync_file_fails, 1);
}
END_TEST

static TCase *signal_tcase(void)
{
	TCase *tc = shim_tcase("signal");

	tcase_add_test(tc, signal_request);
	tcase_add_test(tc, signal_errors);
	tcase_add_test(tc, signal_retried_after_signal);
	return tc;
}

static TCase *wait_tcase(void)
{
	TCase *tc = shim_tcase("wait");

	tcase_add_test(tc, wait_reached);
	tcase_add_test(tc, wait_zero_timeout);
	tcase_add_test(tc, wait_times_out);
	tcase_add_test(tc, wait_without_limit);
	tcase_add_test(tc, wait_goes_on_after_signal);
	tcase_add_test(tc, wait_errors);
	tcase_add_test(tc, wait_sync_file_request);
	tcase_add_test(tc, wait_sync_file_errors);
	tcase_add_test(tc, wait_sync_file_negative_fd_is_error);
	tcase_add_test(tc, wait_sync_file_retried_after_signal);
	return tc;
}

int main(void)
{
	return run_suite("libhyperdmabuf timelines", signal_tcase(),
			 wait_tcase(), NULL);
}
