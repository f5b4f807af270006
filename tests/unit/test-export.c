// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tests of exports in libhyperdmabuf: EXPORT, UNEXPORT and REVOKE, what
 * the library passes (the metadata an export points to included), what it
 * refuses itself, and what it makes of the answers the shim gives
 * (ioctl-shim.h).
 */
#include <errno.h>
#include <stdint.h>

#include "ioctl-shim.h"
#include "lib-test.h"

static struct hdmabuf_meta *sample_meta(void)
{
	struct hdmabuf_meta *meta = hdmabuf_meta_new();

	ck_assert_ptr_nonnull(meta);
	hdmabuf_meta_set_format(meta, XR24, 0x0100000000000002ULL, 640, 480);
	ck_assert_int_eq(hdmabuf_meta_set_plane(meta, 0, 0, 2560), 0);
	ck_assert_int_eq(hdmabuf_meta_set_plane(meta, 1, 1228800, 1280), 0);
	ck_assert_int_eq(hdmabuf_meta_set_name(meta, "frame"), 0);
	ck_assert_int_eq(hdmabuf_meta_set_blob(meta, "\x01\x02\x03", 3), 0);
	return meta;
}

/* The metadata of sample_meta(), as the module reads it */
static void check_sample_meta(const struct hyper_dmabuf_meta *m)
{
	ck_assert_uint_eq(m->fourcc, XR24);
	ck_assert(m->modifier == 0x0100000000000002ULL);
	ck_assert_uint_eq(m->width, 640);
	ck_assert_uint_eq(m->height, 480);
	ck_assert_uint_eq(m->num_planes, 2);
	ck_assert_uint_eq(m->planes[0].offset, 0);
	ck_assert_uint_eq(m->planes[0].stride, 2560);
	ck_assert_uint_eq(m->planes[1].offset, 1228800);
	ck_assert_uint_eq(m->planes[1].stride, 1280);
	ck_assert(ZEROED(m->planes[2]));
	ck_assert(ZEROED(m->planes[3]));
	ck_assert_str_eq(m->name, "frame");
	ck_assert(zeroed(m->name + 5, sizeof(m->name) - 5));
	ck_assert_uint_eq(m->blob_len, 3);
	ck_assert(memcmp(m->blob, "\x01\x02\x03", 3) == 0);
	ck_assert(zeroed(m->blob + 3, sizeof(m->blob) - 3));
	ck_assert_uint_eq(m->reserved0, 0);
}

START_TEST(export_request)
{
	struct hyper_dmabuf_export reply = { .size = 8192, .id = sample_id };
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	struct hdmabuf_meta *meta = sample_meta();
	const struct hyper_dmabuf_export *in;
	struct hdmabuf_export *exp;

	shim_reply(&reply, sizeof(reply));
	exp = hdmabuf_ctx_export(ctx, 42, 5, HDMABUF_EXPORT_RW |
				 HDMABUF_EXPORT_PERSISTENT, meta);
	ck_assert_ptr_nonnull(exp);

	in = shim_last_arg();
	ck_assert(shim_last()->request == HYPER_DMABUF_IOCTL_EXPORT);
	ck_assert_int_eq(in->fd, 42);
	ck_assert_uint_eq(in->peer, 5);
	ck_assert_uint_eq(in->flags, HYPER_DMABUF_EXPORT_RW |
			  HYPER_DMABUF_EXPORT_PERSISTENT);
	ck_assert_uint_eq(in->reserved0, 0);
	ck_assert(ZEROED(in->reserved));
	ck_assert(in->size == 0);
	ck_assert(ZEROED(in->id));
	ck_assert(shim_last()->has_meta);
	check_sample_meta(&shim_last()->meta);

	/* the answer */
	ck_assert(hdmabuf_id_equal(hdmabuf_export_get_id(exp), &sample_hid));
	ck_assert(hdmabuf_export_get_size(exp) == 8192);
	ck_assert_uint_eq(hdmabuf_export_get_peer(exp), 5);
	ck_assert_uint_eq(hdmabuf_export_get_flags(exp), HDMABUF_EXPORT_RW |
			  HDMABUF_EXPORT_PERSISTENT);

	/* the record does not depend on the context or the metadata */
	hdmabuf_meta_free(meta);
	hdmabuf_ctx_close(ctx);
	ck_assert(hdmabuf_id_equal(hdmabuf_export_get_id(exp), &sample_hid));
	hdmabuf_export_free(exp);
}
END_TEST

START_TEST(export_without_meta)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	const struct hyper_dmabuf_export *in;
	struct hdmabuf_export *exp;

	exp = hdmabuf_ctx_export(ctx, 7, HDMABUF_DOMID_SELF, 0, NULL);
	ck_assert_ptr_nonnull(exp);
	in = shim_last_arg();
	ck_assert(in->meta == 0);
	ck_assert(!shim_last()->has_meta);
	ck_assert_uint_eq(in->peer, HYPER_DMABUF_DOMID_SELF);
	ck_assert_uint_eq(in->flags, 0);
	ck_assert_uint_eq(hdmabuf_export_get_flags(exp), 0);
	hdmabuf_export_free(exp);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* The library refuses flags it could not report back: no request is made. */
START_TEST(export_unknown_flags)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();

	ASSERT_FAILS_WITH(!hdmabuf_ctx_export(ctx, 7, 0, 1U << 2, NULL),
			  EINVAL);
	ck_assert_int_eq(shim_calls(), 0);
	hdmabuf_ctx_close(ctx);
}
END_TEST

static bool export_fails(struct hdmabuf_ctx *ctx)
{
	struct hdmabuf_export *exp;

	exp = hdmabuf_ctx_export(ctx, 7, 0, HDMABUF_EXPORT_PERSISTENT, NULL);
	hdmabuf_export_free(exp);
	return !exp;
}

START_TEST(export_errors)
{
	ASSERT_ERRORS_PASS(export_fails, EBADF, EINVAL, EPERM, ENOTCONN,
			   EDQUOT, ENOMEM, ENOTTY);
}
END_TEST

START_TEST(export_retried_after_signal)
{
	assert_retried_after_eintr(export_fails, 1);
}
END_TEST

START_TEST(unexport_request)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	const struct hyper_dmabuf_unexport *in;

	ck_assert_int_eq(hdmabuf_ctx_unexport(ctx, &sample_hid, 1500), 0);
	in = shim_last_arg();
	ck_assert(shim_last()->request == HYPER_DMABUF_IOCTL_UNEXPORT);
	ck_assert(IS_SAMPLE_ID(in->id));
	ck_assert_uint_eq(in->delay_ms, 1500);
	ck_assert_uint_eq(in->flags, 0);
	ck_assert(ZEROED(in->reserved));
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* The module enforces the longest delay; the library passes it on. */
START_TEST(unexport_passes_delay)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();

	shim_fail(EINVAL);
	ck_assert_int_eq(hdmabuf_ctx_unexport(ctx, &sample_hid,
					      HDMABUF_UNEXPORT_DELAY_MAX + 1),
			 -1);
	ck_assert_uint_eq(SHIM_LAST_ARG(hyper_dmabuf_unexport)->delay_ms,
			  HDMABUF_UNEXPORT_DELAY_MAX + 1);
	hdmabuf_ctx_close(ctx);
}
END_TEST

static bool unexport_fails(struct hdmabuf_ctx *ctx)
{
	return hdmabuf_ctx_unexport(ctx, &sample_hid, 0) < 0;
}

START_TEST(unexport_errors)
{
	ASSERT_ERRORS_PASS(unexport_fails, ENOENT, EPERM, EINVAL, EKEYREJECTED,
			   ENOTTY);
}
END_TEST

START_TEST(unexport_retried_after_signal)
{
	assert_retried_after_eintr(unexport_fails, 1);
}
END_TEST

START_TEST(revoke_request)
{
	struct hyper_dmabuf_revoke reply = { .remaining = 2 };
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	const struct hyper_dmabuf_revoke *in;
	unsigned int remaining = 99;

	shim_reply(&reply, sizeof(reply));
	ck_assert_int_eq(hdmabuf_ctx_revoke(ctx, &sample_hid, 1500,
					    &remaining), 0);
	in = shim_last_arg();
	ck_assert(shim_last()->request == HYPER_DMABUF_IOCTL_REVOKE);
	ck_assert(IS_SAMPLE_ID(in->id));
	ck_assert_uint_eq(in->timeout_ms, 1500);
	ck_assert_uint_eq(in->flags, 0);
	ck_assert_uint_eq(in->remaining, 0);
	ck_assert_uint_eq(in->reserved0, 0);
	ck_assert(ZEROED(in->reserved));
	ck_assert_uint_eq(remaining, 2);

	reply.remaining = 0;
	shim_reply(&reply, sizeof(reply));
	ck_assert_int_eq(hdmabuf_ctx_revoke(ctx, &sample_hid, 0, &remaining), 0);
	ck_assert_uint_eq(remaining, 0);
	ck_assert_int_eq(hdmabuf_ctx_revoke(ctx, &sample_hid, 0, NULL), 0);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* The module enforces the longest timeout; the library passes it on. */
START_TEST(revoke_passes_timeout)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();

	shim_fail(EINVAL);
	ck_assert_int_eq(hdmabuf_ctx_revoke(ctx, &sample_hid,
					    HDMABUF_REVOKE_TIMEOUT_MAX + 1,
					    NULL), -1);
	ck_assert_uint_eq(SHIM_LAST_ARG(hyper_dmabuf_revoke)->timeout_ms,
			  HDMABUF_REVOKE_TIMEOUT_MAX + 1);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* What the caller's remaining holds: untouched by a failure. */
static unsigned int revoke_remaining;

static bool revoke_fails(struct hdmabuf_ctx *ctx)
{
	revoke_remaining = 77;
	return hdmabuf_ctx_revoke(ctx, &sample_hid, 0, &revoke_remaining) < 0 &&
	       revoke_remaining == 77;
}

START_TEST(revoke_errors)
{
	ASSERT_ERRORS_PASS(revoke_fails, ENOENT, EKEYREJECTED, EPERM, EALREADY,
			   EINVAL, ENOTTY);
}
END_TEST

/* Asked again, the module would say EALREADY: the signal is reported. */
START_TEST(revoke_not_repeated_after_signal)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	unsigned int remaining = 77;

	shim_fail(EINTR);
	ASSERT_FAILS_WITH(hdmabuf_ctx_revoke(ctx, &sample_hid, 500,
					     &remaining) == -1, EINTR);
	ck_assert_int_eq(shim_calls(), 1);
	ck_assert_uint_eq(remaining, 77);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(free_null)
{
	hdmabuf_export_free(NULL);
}
END_TEST

static TCase *export_tcase(void)
{
	TCase *tc = shim_tcase("export");

	tcase_add_test(tc, export_request);
	tcase_add_test(tc, export_without_meta);
	tcase_add_test(tc, export_unknown_flags);
	tcase_add_test(tc, export_errors);
	tcase_add_test(tc, export_retried_after_signal);
	tcase_add_test(tc, free_null);
	return tc;
}

static TCase *unexport_tcase(void)
{
	TCase *tc = shim_tcase("unexport");

	tcase_add_test(tc, unexport_request);
	tcase_add_test(tc, unexport_passes_delay);
	tcase_add_test(tc, unexport_errors);
	tcase_add_test(tc, unexport_retried_after_signal);
	return tc;
}

static TCase *revoke_tcase(void)
{
	TCase *tc = shim_tcase("revoke");

	tcase_add_test(tc, revoke_request);
	tcase_add_test(tc, revoke_passes_timeout);
	tcase_add_test(tc, revoke_errors);
	tcase_add_test(tc, revoke_not_repeated_after_signal);
	return tc;
}

int main(void)
{
	return run_suite("libhyperdmabuf exports", export_tcase(),
			 unexport_tcase(), revoke_tcase(), NULL);
}
