// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tests of libhyperdmabuf that need no module.
 *
 * The tests of the calls answer the module's requests themselves: this
 * program defines ioctl(), which the library's call resolves to (a symbol
 * of the executable comes first), and replies for one chosen descriptor
 * the way the module would: it checks the flags and reserved fields as the
 * module does, keeps a copy of what the library passed (and of the
 * metadata an export points to), fails with a chosen errno or fills in the
 * outputs. Every other descriptor gets the real system call. So the
 * library's side of each call is tested here, and the module's side by
 * tests/guest/test-uapi.c against the real device.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <hyperdmabuf.h>
#include <linux/hyper_dmabuf.h>

#define MISSING_PATH	"/nonexistent/hyper_dmabuf"
#define XR24		0x34325258u	/* fourcc_code('X', 'R', '2', '4') */

static struct {
	int fd;				/* the descriptor answered here */
	int eintr_left;			/* fail this many calls with EINTR */
	int result;			/* what a successful call returns */
	int error;			/* fail checked calls with this errno */
	int calls;
	unsigned long request;		/* of the last call */
	union {				/* what the last call passed */
		struct hyper_dmabuf_alloc alloc;
		struct hyper_dmabuf_export export;
		struct hyper_dmabuf_import import;
		struct hyper_dmabuf_unexport unexport;
	} in;
	bool got_meta;			/* an export passed metadata: */
	struct hyper_dmabuf_meta meta_in;	/* this */
	struct hyper_dmabuf_caps reply;	/* what GET_CAPS returns */
	int out_fd;			/* what ALLOC and IMPORT return */
	__u64 out_size;
	struct hyper_dmabuf_id out_id;
	__u32 out_export_flags;
	struct hyper_dmabuf_meta out_meta;	/* written by IMPORT */
} fake = { .fd = -1, .out_fd = -1 };

static bool zeroed(const void *p, size_t len)
{
	const unsigned char *b = p;

	while (len--)
		if (*b++)
			return false;
	return true;
}

#define ZEROED(field)	zeroed(&(field), sizeof(field))

static int fake_caps(struct hyper_dmabuf_caps *caps)
{
	if (caps->flags || caps->reserved0 || !ZEROED(caps->reserved))
		return EINVAL;
	*caps = fake.reply;
	return 0;
}

static int fake_alloc(struct hyper_dmabuf_alloc *alloc)
{
	fake.in.alloc = *alloc;
	if (alloc->flags || !ZEROED(alloc->reserved))
		return EINVAL;
	if (fake.error)
		return fake.error;
	alloc->fd = fake.out_fd;
	return 0;
}

static int fake_export(struct hyper_dmabuf_export *exp)
{
	fake.in.export = *exp;
	if (exp->flags & ~(HYPER_DMABUF_EXPORT_RW |
			   HYPER_DMABUF_EXPORT_PERSISTENT) ||
	    exp->reserved0 || !ZEROED(exp->reserved))
		return EINVAL;
	if (exp->meta) {
		memcpy(&fake.meta_in, (const void *)(uintptr_t)exp->meta,
		       sizeof(fake.meta_in));
		fake.got_meta = true;
	}
	if (fake.error)
		return fake.error;
	exp->size = fake.out_size;
	exp->id = fake.out_id;
	return 0;
}

static int fake_import(struct hyper_dmabuf_import *imp)
{
	fake.in.import = *imp;
	if (imp->flags || imp->reserved0 || !ZEROED(imp->reserved))
		return EINVAL;
	if (fake.error)
		return fake.error;
	if (imp->meta)
		memcpy((void *)(uintptr_t)imp->meta, &fake.out_meta,
		       sizeof(fake.out_meta));
	imp->fd = fake.out_fd;
	imp->size = fake.out_size;
	imp->export_flags = fake.out_export_flags;
	return 0;
}

static int fake_unexport(struct hyper_dmabuf_unexport *unexp)
{
	fake.in.unexport = *unexp;
	if (unexp->flags || !ZEROED(unexp->reserved))
		return EINVAL;
	return fake.error;
}

static int fake_ioctl(unsigned long request, void *arg)
{
	int err;

	fake.calls++;
	fake.request = request;
	if (fake.eintr_left > 0) {
		fake.eintr_left--;
		errno = EINTR;
		return -1;
	}
	switch (request) {
	case HYPER_DMABUF_IOCTL_GET_CAPS:
		err = fake_caps(arg);
		break;
	case HYPER_DMABUF_IOCTL_ALLOC:
		err = fake_alloc(arg);
		break;
	case HYPER_DMABUF_IOCTL_EXPORT:
		err = fake_export(arg);
		break;
	case HYPER_DMABUF_IOCTL_IMPORT:
		err = fake_import(arg);
		break;
	case HYPER_DMABUF_IOCTL_UNEXPORT:
		err = fake_unexport(arg);
		break;
	default:
		err = ENOTTY;
	}
	if (err) {
		errno = err;
		return -1;
	}
	return fake.result;
}

int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);

	if (fd == fake.fd)
		return fake_ioctl(request, arg);
	return syscall(SYS_ioctl, fd, request, arg);
}

/* A context on /dev/null whose GET_CAPS returns reply. */
static struct hdmabuf_ctx *fake_ctx_open(const struct hyper_dmabuf_caps *reply)
{
	struct hdmabuf_ctx *ctx = hdmabuf_ctx_open("/dev/null");

	ck_assert_ptr_nonnull(ctx);
	fake.fd = hdmabuf_ctx_get_fd(ctx);
	fake.reply = *reply;
	return ctx;
}

static struct hdmabuf_caps *fake_get_caps(const struct hyper_dmabuf_caps *reply)
{
	struct hdmabuf_ctx *ctx = fake_ctx_open(reply);
	struct hdmabuf_caps *caps = hdmabuf_ctx_get_caps(ctx);

	hdmabuf_ctx_close(ctx);
	ck_assert_ptr_nonnull(caps);
	return caps;
}

static const struct hyper_dmabuf_caps reply_plain = {
	.api_version = 1,
	.transports = HYPER_DMABUF_TRANSPORT_LOOPBACK,
	.module_version = "1.2.3",
};

static const struct hyper_dmabuf_caps reply_domu = {
	.api_version = 1,
	.flags = HYPER_DMABUF_CAPS_XEN | HYPER_DMABUF_CAPS_DOMID_VALID,
	.transports = HYPER_DMABUF_TRANSPORT_LOOPBACK |
		      HYPER_DMABUF_TRANSPORT_XEN,
	.domid = 3,
	.xen_type = HYPER_DMABUF_XEN_PVH,
	.module_version = "1.2.3",
};

START_TEST(open_missing_path)
{
	errno = 0;
	ck_assert_ptr_null(hdmabuf_ctx_open(MISSING_PATH));
	ck_assert_int_eq(errno, ENOENT);
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
}
END_TEST

START_TEST(caps_from_other_device)
{
	struct hdmabuf_ctx *ctx = hdmabuf_ctx_open("/dev/null");

	ck_assert_ptr_nonnull(ctx);
	errno = 0;
	ck_assert_ptr_null(hdmabuf_ctx_get_caps(ctx));
	ck_assert_int_eq(errno, ENOTTY);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(free_null)
{
	hdmabuf_ctx_close(NULL);
	hdmabuf_caps_free(NULL);
}
END_TEST

START_TEST(caps_plain_kernel)
{
	struct hdmabuf_caps *caps = fake_get_caps(&reply_plain);

	ck_assert_uint_eq(hdmabuf_caps_get_api_version(caps), 1);
	ck_assert_str_eq(hdmabuf_caps_get_module_version(caps), "1.2.3");
	ck_assert(!hdmabuf_caps_is_xen(caps));
	ck_assert_int_eq(hdmabuf_caps_get_xen_type(caps), HDMABUF_XEN_NONE);
	errno = 0;
	ck_assert_int_eq(hdmabuf_caps_get_domid(caps), -1);
	ck_assert_int_eq(errno, ENODATA);
	ck_assert(hdmabuf_caps_has_transport(caps, HDMABUF_TRANSPORT_LOOPBACK));
	ck_assert(!hdmabuf_caps_has_transport(caps, HDMABUF_TRANSPORT_XEN));
	ck_assert(!hdmabuf_caps_has_transport(caps, (enum hdmabuf_transport)99));
	hdmabuf_caps_free(caps);
}
END_TEST

START_TEST(caps_xen_domu)
{
	struct hdmabuf_caps *caps = fake_get_caps(&reply_domu);

	ck_assert(hdmabuf_caps_is_xen(caps));
	ck_assert_int_eq(hdmabuf_caps_get_xen_type(caps), HDMABUF_XEN_PVH);
	ck_assert_int_eq(hdmabuf_caps_get_domid(caps), 3);
	ck_assert(hdmabuf_caps_has_transport(caps, HDMABUF_TRANSPORT_LOOPBACK));
	ck_assert(hdmabuf_caps_has_transport(caps, HDMABUF_TRANSPORT_XEN));
	hdmabuf_caps_free(caps);
}
END_TEST

/* Domain 0 is a valid id, not a missing one. */
START_TEST(caps_dom0)
{
	struct hyper_dmabuf_caps reply = reply_domu;
	struct hdmabuf_caps *caps;

	reply.domid = 0;
	reply.xen_type = HYPER_DMABUF_XEN_PV;
	caps = fake_get_caps(&reply);
	ck_assert_int_eq(hdmabuf_caps_get_domid(caps), 0);
	ck_assert_int_eq(hdmabuf_caps_get_xen_type(caps), HDMABUF_XEN_PV);
	hdmabuf_caps_free(caps);
}
END_TEST

START_TEST(caps_xen_without_domid)
{
	struct hyper_dmabuf_caps reply = reply_domu;
	struct hdmabuf_caps *caps;

	reply.flags = HYPER_DMABUF_CAPS_XEN;
	caps = fake_get_caps(&reply);
	ck_assert(hdmabuf_caps_is_xen(caps));
	errno = 0;
	ck_assert_int_eq(hdmabuf_caps_get_domid(caps), -1);
	ck_assert_int_eq(errno, ENODATA);
	hdmabuf_caps_free(caps);
}
END_TEST

/* A newer module may name a guest type this library does not know. */
START_TEST(caps_unknown_xen_type)
{
	struct hyper_dmabuf_caps reply = reply_domu;
	struct hdmabuf_caps *caps;

	reply.xen_type = 7;
	caps = fake_get_caps(&reply);
	ck_assert_int_eq(hdmabuf_caps_get_xen_type(caps), 7);
	ck_assert_ptr_null(hdmabuf_xen_type_name(hdmabuf_caps_get_xen_type(caps)));
	hdmabuf_caps_free(caps);
}
END_TEST

START_TEST(caps_version_always_terminated)
{
	struct hyper_dmabuf_caps reply = reply_plain;
	struct hdmabuf_caps *caps;

	memset(reply.module_version, 'x', sizeof(reply.module_version));
	caps = fake_get_caps(&reply);
	ck_assert_uint_eq(strlen(hdmabuf_caps_get_module_version(caps)),
			  sizeof(reply.module_version) - 1);
	hdmabuf_caps_free(caps);
}
END_TEST

START_TEST(caps_retried_after_signal)
{
	struct hdmabuf_caps *caps;

	fake.eintr_left = 2;
	caps = fake_get_caps(&reply_plain);
	ck_assert_int_eq(fake.calls, 3);
	hdmabuf_caps_free(caps);
}
END_TEST

/* No call of the ABI returns a positive value. */
START_TEST(caps_positive_result_is_error)
{
	struct hdmabuf_ctx *ctx = fake_ctx_open(&reply_plain);

	fake.result = 1;
	errno = 0;
	ck_assert_ptr_null(hdmabuf_ctx_get_caps(ctx));
	ck_assert_int_eq(errno, EPROTO);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(version_string)
{
	ck_assert_str_eq(hdmabuf_version_string(), PACKAGE_VERSION);
}
END_TEST

START_TEST(transport_names)
{
	ck_assert_str_eq(hdmabuf_transport_name(HDMABUF_TRANSPORT_LOOPBACK),
			 "loopback");
	ck_assert_str_eq(hdmabuf_transport_name(HDMABUF_TRANSPORT_XEN), "xen");
	ck_assert_ptr_null(hdmabuf_transport_name((enum hdmabuf_transport)0));
	ck_assert_ptr_null(hdmabuf_transport_name((enum hdmabuf_transport)99));
}
END_TEST

START_TEST(xen_type_names)
{
	ck_assert_str_eq(hdmabuf_xen_type_name(HDMABUF_XEN_PV), "pv");
	ck_assert_str_eq(hdmabuf_xen_type_name(HDMABUF_XEN_PVH), "pvh");
	ck_assert_str_eq(hdmabuf_xen_type_name(HDMABUF_XEN_HVM), "hvm");
	ck_assert_ptr_null(hdmabuf_xen_type_name(HDMABUF_XEN_NONE));
	ck_assert_ptr_null(hdmabuf_xen_type_name((enum hdmabuf_xen_type)99));
}
END_TEST

/*
 * The calls of uAPI version 2: what the library passes, and what it makes
 * of the answers.
 */

static const struct hyper_dmabuf_id sample_id = {
	.domid = 3,
	.serial = 17,
	.key = { 0x0123456789abcdefULL, 0xfedcba9876543210ULL },
};

static const struct hdmabuf_id sample_hid = {
	.domid = 3,
	.serial = 17,
	.key = { 0x0123456789abcdefULL, 0xfedcba9876543210ULL },
};

/* A context on /dev/null whose requests are answered by the fake. */
static struct hdmabuf_ctx *fake_ctx(void)
{
	struct hdmabuf_ctx *ctx = hdmabuf_ctx_open("/dev/null");

	ck_assert_ptr_nonnull(ctx);
	fake.fd = hdmabuf_ctx_get_fd(ctx);
	return ctx;
}

/* A descriptor for the fake to hand out as a new dma-buf. */
static int fake_new_fd(void)
{
	fake.out_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fake.out_fd, 0);
	return fake.out_fd;
}

static bool fd_is_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

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

START_TEST(alloc_marshalling)
{
	struct hdmabuf_ctx *ctx = fake_ctx();
	int fd = fake_new_fd();

	ck_assert_int_eq(hdmabuf_ctx_alloc(ctx, 5000, 0), fd);
	ck_assert(fake.request == HYPER_DMABUF_IOCTL_ALLOC);
	ck_assert(fake.in.alloc.size == 5000);
	ck_assert_uint_eq(fake.in.alloc.flags, 0);
	ck_assert(ZEROED(fake.in.alloc.reserved));
	/* the descriptor is the caller's: closing the context keeps it */
	hdmabuf_ctx_close(ctx);
	ck_assert(fd_is_open(fd));
	close(fd);
}
END_TEST

/* The module, not the library, decides which sizes and flags are valid. */
START_TEST(alloc_passes_flags)
{
	struct hdmabuf_ctx *ctx = fake_ctx();

	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_alloc(ctx, 4096, 0x80), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_uint_eq(fake.in.alloc.flags, 0x80);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(alloc_errors)
{
	static const int errors[] = { EINVAL, E2BIG, ENOMEM, EMFILE };
	struct hdmabuf_ctx *ctx = fake_ctx();
	size_t i;

	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		fake.error = errors[i];
		errno = 0;
		ck_assert_int_eq(hdmabuf_ctx_alloc(ctx, 1, 0), -1);
		ck_assert_int_eq(errno, errors[i]);
	}
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(alloc_negative_fd_is_error)
{
	struct hdmabuf_ctx *ctx = fake_ctx();

	fake.out_fd = -1;
	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_alloc(ctx, 1, 0), -1);
	ck_assert_int_eq(errno, EPROTO);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* A module older than the call does not know it. */
START_TEST(calls_on_other_device)
{
	struct hdmabuf_ctx *ctx = hdmabuf_ctx_open("/dev/null");

	ck_assert_ptr_nonnull(ctx);
	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_alloc(ctx, 1, 0), -1);
	ck_assert_int_eq(errno, ENOTTY);
	errno = 0;
	ck_assert_ptr_null(hdmabuf_ctx_export(ctx, 0, 0, 0, NULL));
	ck_assert_int_eq(errno, ENOTTY);
	errno = 0;
	ck_assert_ptr_null(hdmabuf_ctx_import(ctx, &sample_hid));
	ck_assert_int_eq(errno, ENOTTY);
	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_unexport(ctx, &sample_hid, 0), -1);
	ck_assert_int_eq(errno, ENOTTY);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(export_marshalling)
{
	struct hdmabuf_ctx *ctx = fake_ctx();
	struct hdmabuf_meta *meta = sample_meta();
	struct hdmabuf_export *exp;
	const struct hdmabuf_id *id;

	fake.out_size = 8192;
	fake.out_id = sample_id;
	exp = hdmabuf_ctx_export(ctx, 42, 5, HDMABUF_EXPORT_RW |
				 HDMABUF_EXPORT_PERSISTENT, meta);
	ck_assert_ptr_nonnull(exp);

	ck_assert(fake.request == HYPER_DMABUF_IOCTL_EXPORT);
	ck_assert_int_eq(fake.in.export.fd, 42);
	ck_assert_uint_eq(fake.in.export.peer, 5);
	ck_assert_uint_eq(fake.in.export.flags, HYPER_DMABUF_EXPORT_RW |
			  HYPER_DMABUF_EXPORT_PERSISTENT);
	ck_assert_uint_eq(fake.in.export.reserved0, 0);
	ck_assert(ZEROED(fake.in.export.reserved));
	ck_assert(fake.in.export.size == 0);
	ck_assert(ZEROED(fake.in.export.id));

	/* the metadata, as the module reads it */
	ck_assert(fake.got_meta);
	ck_assert_uint_eq(fake.meta_in.fourcc, XR24);
	ck_assert(fake.meta_in.modifier == 0x0100000000000002ULL);
	ck_assert_uint_eq(fake.meta_in.width, 640);
	ck_assert_uint_eq(fake.meta_in.height, 480);
	ck_assert_uint_eq(fake.meta_in.num_planes, 2);
	ck_assert_uint_eq(fake.meta_in.planes[0].offset, 0);
	ck_assert_uint_eq(fake.meta_in.planes[0].stride, 2560);
	ck_assert_uint_eq(fake.meta_in.planes[1].offset, 1228800);
	ck_assert_uint_eq(fake.meta_in.planes[1].stride, 1280);
	ck_assert(ZEROED(fake.meta_in.planes[2]));
	ck_assert(ZEROED(fake.meta_in.planes[3]));
	ck_assert_str_eq(fake.meta_in.name, "frame");
	ck_assert(zeroed(fake.meta_in.name + 5, sizeof(fake.meta_in.name) - 5));
	ck_assert_uint_eq(fake.meta_in.blob_len, 3);
	ck_assert(memcmp(fake.meta_in.blob, "\x01\x02\x03", 3) == 0);
	ck_assert(zeroed(fake.meta_in.blob + 3, sizeof(fake.meta_in.blob) - 3));
	ck_assert_uint_eq(fake.meta_in.reserved0, 0);

	/* the answer */
	id = hdmabuf_export_get_id(exp);
	ck_assert(hdmabuf_id_equal(id, &sample_hid));
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
	struct hdmabuf_ctx *ctx = fake_ctx();
	struct hdmabuf_export *exp;

	exp = hdmabuf_ctx_export(ctx, 7, HDMABUF_DOMID_SELF, 0, NULL);
	ck_assert_ptr_nonnull(exp);
	ck_assert(fake.in.export.meta == 0);
	ck_assert(!fake.got_meta);
	ck_assert_uint_eq(fake.in.export.peer, HYPER_DMABUF_DOMID_SELF);
	ck_assert_uint_eq(fake.in.export.flags, 0);
	ck_assert_uint_eq(hdmabuf_export_get_flags(exp), 0);
	hdmabuf_export_free(exp);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(export_unknown_flags)
{
	struct hdmabuf_ctx *ctx = fake_ctx();

	errno = 0;
	ck_assert_ptr_null(hdmabuf_ctx_export(ctx, 7, 0, 1U << 2, NULL));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(fake.calls, 0);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(export_errors)
{
	static const int errors[] = { EBADF, EINVAL, EPERM, ENOTCONN, EDQUOT,
				      ENOMEM };
	struct hdmabuf_ctx *ctx = fake_ctx();
	size_t i;

	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		fake.error = errors[i];
		errno = 0;
		ck_assert_ptr_null(hdmabuf_ctx_export(ctx, 7, 0,
						      HDMABUF_EXPORT_PERSISTENT,
						      NULL));
		ck_assert_int_eq(errno, errors[i]);
	}
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(export_retried_after_signal)
{
	struct hdmabuf_ctx *ctx = fake_ctx();
	struct hdmabuf_export *exp;

	fake.eintr_left = 1;
	exp = hdmabuf_ctx_export(ctx, 7, 0, 0, NULL);
	ck_assert_ptr_nonnull(exp);
	ck_assert_int_eq(fake.calls, 2);
	hdmabuf_export_free(exp);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(import_marshalling)
{
	struct hdmabuf_ctx *ctx = fake_ctx();
	const struct hdmabuf_meta *meta;
	struct hdmabuf_import *imp;
	uint32_t offset, stride;
	const void *blob;
	size_t blob_len;
	int fd = fake_new_fd();

	fake.out_size = 1228800 + 614400;
	fake.out_export_flags = HYPER_DMABUF_EXPORT_RW |
				HYPER_DMABUF_EXPORT_PERSISTENT;
	fake.out_meta.fourcc = XR24;
	fake.out_meta.modifier = 0x0100000000000002ULL;
	fake.out_meta.width = 640;
	fake.out_meta.height = 480;
	fake.out_meta.num_planes = 2;
	fake.out_meta.planes[0].stride = 2560;
	fake.out_meta.planes[1].offset = 1228800;
	fake.out_meta.planes[1].stride = 1280;
	strcpy(fake.out_meta.name, "frame");
	fake.out_meta.blob_len = 2;
	memcpy(fake.out_meta.blob, "hi", 2);

	imp = hdmabuf_ctx_import(ctx, &sample_hid);
	ck_assert_ptr_nonnull(imp);

	ck_assert(fake.request == HYPER_DMABUF_IOCTL_IMPORT);
	ck_assert(memcmp(&fake.in.import.id, &sample_id, sizeof(sample_id)) == 0);
	ck_assert_uint_eq(fake.in.import.flags, 0);
	ck_assert_uint_eq(fake.in.import.reserved0, 0);
	ck_assert(ZEROED(fake.in.import.reserved));
	ck_assert(fake.in.import.meta != 0);

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

START_TEST(import_read_only_without_meta)
{
	struct hdmabuf_ctx *ctx = fake_ctx();
	const struct hdmabuf_meta *meta;
	struct hdmabuf_import *imp;
	size_t blob_len;

	fake_new_fd();
	fake.out_export_flags = HYPER_DMABUF_EXPORT_PERSISTENT;
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
	struct hdmabuf_ctx *ctx = fake_ctx();
	struct hdmabuf_import *imp;
	int fd = fake_new_fd();

	imp = hdmabuf_ctx_import(ctx, &sample_hid);
	ck_assert_ptr_nonnull(imp);
	ck_assert_int_eq(hdmabuf_import_take_fd(imp), fd);
	errno = 0;
	ck_assert_int_eq(hdmabuf_import_get_fd(imp), -1);
	ck_assert_int_eq(errno, EBADF);
	errno = 0;
	ck_assert_int_eq(hdmabuf_import_take_fd(imp), -1);
	ck_assert_int_eq(errno, EBADF);
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
	struct hdmabuf_ctx *ctx = fake_ctx();
	struct hdmabuf_import *imp;

	fake_new_fd();
	memset(fake.out_meta.name, 'x', sizeof(fake.out_meta.name));
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
	struct hdmabuf_ctx *ctx = fake_ctx();
	int fd;

	fd = fake_new_fd();
	fake.out_meta.num_planes = HYPER_DMABUF_MAX_PLANES + 1;
	errno = 0;
	ck_assert_ptr_null(hdmabuf_ctx_import(ctx, &sample_hid));
	ck_assert_int_eq(errno, EPROTO);
	ck_assert(!fd_is_open(fd));

	fd = fake_new_fd();
	fake.out_meta.num_planes = 0;
	fake.out_meta.blob_len = HYPER_DMABUF_BLOB_MAX + 1;
	errno = 0;
	ck_assert_ptr_null(hdmabuf_ctx_import(ctx, &sample_hid));
	ck_assert_int_eq(errno, EPROTO);
	ck_assert(!fd_is_open(fd));
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(import_negative_fd_is_error)
{
	struct hdmabuf_ctx *ctx = fake_ctx();

	fake.out_fd = -1;
	errno = 0;
	ck_assert_ptr_null(hdmabuf_ctx_import(ctx, &sample_hid));
	ck_assert_int_eq(errno, EPROTO);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(import_errors)
{
	static const int errors[] = { ENOENT, EKEYREJECTED, ENOTCONN, EINVAL,
				      ENOMEM, EMFILE };
	struct hdmabuf_ctx *ctx = fake_ctx();
	size_t i;

	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		fake.error = errors[i];
		errno = 0;
		ck_assert_ptr_null(hdmabuf_ctx_import(ctx, &sample_hid));
		ck_assert_int_eq(errno, errors[i]);
	}
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(unexport_marshalling)
{
	struct hdmabuf_ctx *ctx = fake_ctx();

	ck_assert_int_eq(hdmabuf_ctx_unexport(ctx, &sample_hid, 1500), 0);
	ck_assert(fake.request == HYPER_DMABUF_IOCTL_UNEXPORT);
	ck_assert(memcmp(&fake.in.unexport.id, &sample_id,
			 sizeof(sample_id)) == 0);
	ck_assert_uint_eq(fake.in.unexport.delay_ms, 1500);
	ck_assert_uint_eq(fake.in.unexport.flags, 0);
	ck_assert(ZEROED(fake.in.unexport.reserved));
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* The module enforces the longest delay; the library passes it on. */
START_TEST(unexport_passes_delay)
{
	struct hdmabuf_ctx *ctx = fake_ctx();

	ck_assert_int_eq(hdmabuf_ctx_unexport(ctx, &sample_hid,
					      HDMABUF_UNEXPORT_DELAY_MAX + 1), 0);
	ck_assert_uint_eq(fake.in.unexport.delay_ms,
			  HDMABUF_UNEXPORT_DELAY_MAX + 1);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(unexport_errors)
{
	static const int errors[] = { ENOENT, EPERM, EINVAL, EKEYREJECTED };
	struct hdmabuf_ctx *ctx = fake_ctx();
	size_t i;

	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		fake.error = errors[i];
		errno = 0;
		ck_assert_int_eq(hdmabuf_ctx_unexport(ctx, &sample_hid, 0), -1);
		ck_assert_int_eq(errno, errors[i]);
	}
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(free_null_v2)
{
	hdmabuf_export_free(NULL);
	hdmabuf_import_release(NULL);
}
END_TEST

/* Each test starts with a fake that has not been called, also with CK_FORK=no. */
static void fake_reset(void)
{
	memset(&fake, 0, sizeof(fake));
	fake.fd = -1;
	fake.out_fd = -1;
}

static TCase *ctx_tcase(void)
{
	TCase *tc = tcase_create("ctx");

	tcase_add_test(tc, open_missing_path);
	tcase_add_test(tc, open_default_path);
	tcase_add_test(tc, open_read_write_cloexec);
	tcase_add_test(tc, caps_from_other_device);
	tcase_add_test(tc, free_null);
	return tc;
}

static TCase *caps_tcase(void)
{
	TCase *tc = tcase_create("caps");

	tcase_add_checked_fixture(tc, fake_reset, NULL);
	tcase_add_test(tc, caps_plain_kernel);
	tcase_add_test(tc, caps_xen_domu);
	tcase_add_test(tc, caps_dom0);
	tcase_add_test(tc, caps_xen_without_domid);
	tcase_add_test(tc, caps_unknown_xen_type);
	tcase_add_test(tc, caps_version_always_terminated);
	tcase_add_test(tc, caps_retried_after_signal);
	tcase_add_test(tc, caps_positive_result_is_error);
	return tc;
}

static TCase *sharing_tcase(void)
{
	TCase *tc = tcase_create("sharing");

	tcase_add_checked_fixture(tc, fake_reset, NULL);
	tcase_add_test(tc, alloc_marshalling);
	tcase_add_test(tc, alloc_passes_flags);
	tcase_add_test(tc, alloc_errors);
	tcase_add_test(tc, alloc_negative_fd_is_error);
	tcase_add_test(tc, calls_on_other_device);
	tcase_add_test(tc, export_marshalling);
	tcase_add_test(tc, export_without_meta);
	tcase_add_test(tc, export_unknown_flags);
	tcase_add_test(tc, export_errors);
	tcase_add_test(tc, export_retried_after_signal);
	tcase_add_test(tc, import_marshalling);
	tcase_add_test(tc, import_read_only_without_meta);
	tcase_add_test(tc, import_take_fd);
	tcase_add_test(tc, import_name_always_terminated);
	tcase_add_test(tc, import_bad_meta_is_error);
	tcase_add_test(tc, import_negative_fd_is_error);
	tcase_add_test(tc, import_errors);
	tcase_add_test(tc, unexport_marshalling);
	tcase_add_test(tc, unexport_passes_delay);
	tcase_add_test(tc, unexport_errors);
	tcase_add_test(tc, free_null_v2);
	return tc;
}

static TCase *misc_tcase(void)
{
	TCase *tc = tcase_create("misc");

	tcase_add_test(tc, version_string);
	tcase_add_test(tc, transport_names);
	tcase_add_test(tc, xen_type_names);
	return tc;
}

int main(void)
{
	Suite *suite = suite_create("libhyperdmabuf");
	SRunner *runner;
	int failed;

	suite_add_tcase(suite, ctx_tcase());
	suite_add_tcase(suite, caps_tcase());
	suite_add_tcase(suite, sharing_tcase());
	suite_add_tcase(suite, misc_tcase());

	runner = srunner_create(suite);
	srunner_run_all(runner, CK_VERBOSE);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);

	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
