// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tests of imports in libhyperdmabuf: what IMPORT passes, what the library
 * makes of the answers the shim gives (ioctl-shim.h) and of metadata the
 * module could not have written, and who owns the new descriptor.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "ioctl-shim.h"
#include "lib-test.h"

#define META_PTR	offsetof(struct hyper_dmabuf_import, meta)

/* An IMPORT that succeeds with fd, flags and meta (written where it points). */
static void reply_import(int fd, __u32 export_flags,
			 const struct hyper_dmabuf_meta *meta)
{
	struct hyper_dmabuf_import reply = {
		.fd = fd,
		.size = 1228800 + 614400,
		.export_flags = export_flags,
	};

	if (meta)
		shim_reply_out(&reply, sizeof(reply), META_PTR, meta,
			       sizeof(*meta));
	else
		shim_reply(&reply, sizeof(reply));
}

static const struct hyper_dmabuf_meta sample_meta = {
	.fourcc = XR24,
	.modifier = 0x0100000000000002ULL,
	.width = 640,
	.height = 480,
	.num_planes = 2,
	.planes = { { .stride = 2560 }, { .offset = 1228800, .stride = 1280 } },
	.name = "frame",
	.blob_len = 2,
	.blob = "hi",
};

START_TEST(import_request)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	const struct hyper_dmabuf_import *in;
	const struct hdmabuf_meta *meta;
	struct hdmabuf_import *imp;
	uint32_t offset, stride;
	const void *blob;
	size_t blob_len;
	int fd = new_fd();

	reply_import(fd, HYPER_DMABUF_EXPORT_RW |
		     HYPER_DMABUF_EXPORT_PERSISTENT, &sample_meta);
	imp = hdmabuf_ctx_import(ctx, &sample_hid);
	ck_assert_ptr_nonnull(imp);

	in = shim_last_arg();
	ck_assert(shim_last()->request == HYPER_DMABUF_IOCTL_IMPORT);
	ck_assert(IS_SAMPLE_ID(in->id));
	ck_assert_uint_eq(in->flags, 0);
	ck_assert_uint_eq(in->reserved0, 0);
	ck_assert(ZEROED(in->reserved));
	ck_assert(in->meta != 0);

	ck_assert(hdmabuf_id_equal(hdmabuf_import_get_id(imp), &sample_hid));
	ck_assert_int_eq(hdmabuf_import_get_fd(imp), fd);
	ck_assert(hdmabuf_import_get_size(imp) == 1228800 + 614400);
	ck_assert(hdmabuf_import_is_writable(imp));

	meta = hdmabuf_import_get_meta(imp);
	ck_assert_ptr_nonnull(meta);
	ck_assert_uint_eq(hdmabuf_meta_get_fourcc(meta), XR24);
	ck_assert(hdmabuf_meta_get_modifier(meta) == 0x0100000000000002ULL);
	ck_assert_uint_eq(hdmabuf_meta_get_width(meta), 640);
	ck_assert_uint_eq(hdmabuf_meta_get_height(meta), 480);
	ck_assert_uint_eq(hdmabuf_meta_get_num_planes(meta), 2);
	ck_assert_int_eq(hdmabuf_meta_get_plane(meta, 1, &offset, &stride), 0);
	ck_assert_uint_eq(offset, 1228800);
	ck_assert_uint_eq(stride, 1280);
	ck_assert_str_eq(hdmabuf_meta_get_name(meta), "frame");
	blob = hdmabuf_meta_get_blob(meta, &blob_len);
	ck_assert_uint_eq(blob_len, 2);
	ck_assert(memcmp(blob, "hi", 2) == 0);

	/* the import outlives its context */
	hdmabuf_ctx_close(ctx);
	ck_assert(fd_is_open(fd));
	hdmabuf_import_release(imp);
	ck_assert(!fd_is_open(fd));
}
END_TEST

/* Nothing written into the metadata: it reads empty. */
START_TEST(import_read_only_without_meta)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	const struct hdmabuf_meta *meta;
	struct hdmabuf_import *imp;
	size_t blob_len;

	reply_import(new_fd(), HYPER_DMABUF_EXPORT_PERSISTENT, NULL);
	imp = hdmabuf_ctx_import(ctx, &sample_hid);
	ck_assert_ptr_nonnull(imp);
	ck_assert(!hdmabuf_import_is_writable(imp));
	meta = hdmabuf_import_get_meta(imp);
	ck_assert_uint_eq(hdmabuf_meta_get_fourcc(meta), 0);
	ck_assert_uint_eq(hdmabuf_meta_get_num_planes(meta), 0);
	ck_assert_str_eq(hdmabuf_meta_get_name(meta), "");
	hdmabuf_meta_get_blob(meta, &blob_len);
	ck_assert_uint_eq(blob_len, 0);
	hdmabuf_import_release(imp);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(import_take_fd)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	struct hdmabuf_import *imp;
	int fd = new_fd();

	reply_import(fd, 0, NULL);
	imp = hdmabuf_ctx_import(ctx, &sample_hid);
	ck_assert_ptr_nonnull(imp);
	ck_assert_int_eq(hdmabuf_import_take_fd(imp), fd);
	ASSERT_FAILS_WITH(hdmabuf_import_get_fd(imp) == -1, EBADF);
	ASSERT_FAILS_WITH(hdmabuf_import_take_fd(imp) == -1, EBADF);
	/* the metadata stays with the import */
	ck_assert_ptr_nonnull(hdmabuf_import_get_meta(imp));
	hdmabuf_import_release(imp);
	ck_assert(fd_is_open(fd));
	close(fd);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* The getters promise a terminated name, whatever the module wrote. */
START_TEST(import_name_always_terminated)
{
	struct hyper_dmabuf_meta unterminated = sample_meta;
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	struct hdmabuf_import *imp;

	memset(unterminated.name, 'x', sizeof(unterminated.name));
	reply_import(new_fd(), 0, &unterminated);
	imp = hdmabuf_ctx_import(ctx, &sample_hid);
	ck_assert_ptr_nonnull(imp);
	ck_assert_uint_eq(strlen(hdmabuf_meta_get_name(
				  hdmabuf_import_get_meta(imp))),
			  HDMABUF_META_NAME_MAX);
	hdmabuf_import_release(imp);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* Counts past the arrays are the module's fault; the new fd is not leaked. */
START_TEST(import_bad_meta_is_error)
{
	struct hyper_dmabuf_meta planes = sample_meta, blob = sample_meta;
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	int fd;

	planes.num_planes = HYPER_DMABUF_MAX_PLANES + 1;
	fd = new_fd();
	reply_import(fd, 0, &planes);
	ASSERT_FAILS_WITH(!hdmabuf_ctx_import(ctx, &sample_hid), EPROTO);
	ck_assert(!fd_is_open(fd));

	blob.blob_len = HYPER_DMABUF_BLOB_MAX + 1;
	fd = new_fd();
	reply_import(fd, 0, &blob);
	ASSERT_FAILS_WITH(!hdmabuf_ctx_import(ctx, &sample_hid), EPROTO);
	ck_assert(!fd_is_open(fd));
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(import_negative_fd_is_error)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();

	reply_import(-1, 0, NULL);
	ASSERT_FAILS_WITH(!hdmabuf_ctx_import(ctx, &sample_hid), EPROTO);
	hdmabuf_ctx_close(ctx);
}
END_TEST

static bool import_fails(struct hdmabuf_ctx *ctx)
{
	struct hdmabuf_import *imp = hdmabuf_ctx_import(ctx, &sample_hid);

	/* a success hands out the shim's fd 0: not the import's to close */
	if (imp)
		hdmabuf_import_take_fd(imp);
	hdmabuf_import_release(imp);
	return !imp;
}

START_TEST(import_errors)
{
	ASSERT_ERRORS_PASS(import_fails, ENOENT, EKEYREJECTED, ENOTCONN,
			   EINVAL, ENOMEM, EMFILE, ENOTTY);
}
END_TEST

START_TEST(import_retried_after_signal)
{
	assert_retried_after_eintr(import_fails, 1);
}
END_TEST

START_TEST(release_null)
{
	hdmabuf_import_release(NULL);
}
END_TEST

static TCase *import_tcase(void)
{
	TCase *tc = shim_tcase("import");

	tcase_add_test(tc, import_request);
	tcase_add_test(tc, import_read_only_without_meta);
	tcase_add_test(tc, import_take_fd);
	tcase_add_test(tc, import_name_always_terminated);
	tcase_add_test(tc, import_bad_meta_is_error);
	tcase_add_test(tc, import_negative_fd_is_error);
	tcase_add_test(tc, import_errors);
	tcase_add_test(tc, import_retried_after_signal);
	tcase_add_test(tc, release_null);
	return tc;
}

int main(void)
{
	return run_suite("libhyperdmabuf imports", import_tcase(), NULL);
}
