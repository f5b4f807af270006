// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tests of libhyperdmabuf that need no module.
 *
 * The caps tests answer HYPER_DMABUF_IOCTL_GET_CAPS themselves: this
 * program defines ioctl(), which the library's call resolves to (a symbol
 * of the executable comes first), and replies for one chosen descriptor
 * the way the module would; every other descriptor gets the real system
 * call. So the library's side of the call is tested here, and the
 * module's side by tests/guest/test-uapi.c against the real device.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <hyperdmabuf.h>
#include <linux/hyper_dmabuf.h>

#define MISSING_PATH	"/nonexistent/hyper_dmabuf"

static struct {
	int fd;				/* the descriptor answered here */
	int eintr_left;			/* fail this many calls with EINTR */
	int result;			/* what a successful call returns */
	int calls;
	struct hyper_dmabuf_caps reply;
} fake = { .fd = -1 };

static bool reserved_zero(const struct hyper_dmabuf_caps *caps)
{
	static const __u64 zero[4];

	return !caps->flags && !caps->reserved0 &&
	       !memcmp(caps->reserved, zero, sizeof(zero));
}

static int fake_ioctl(unsigned long request, void *arg)
{
	fake.calls++;
	if (fake.eintr_left > 0) {
		fake.eintr_left--;
		errno = EINTR;
		return -1;
	}
	if (request != HYPER_DMABUF_IOCTL_GET_CAPS) {
		errno = ENOTTY;
		return -1;
	}
	if (!reserved_zero(arg)) {
		errno = EINVAL;
		return -1;
	}
	memcpy(arg, &fake.reply, sizeof(fake.reply));
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

/* Each test starts with a fake that has not been called, also with CK_FORK=no. */
static void fake_reset(void)
{
	memset(&fake, 0, sizeof(fake));
	fake.fd = -1;
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
	suite_add_tcase(suite, misc_tcase());

	runner = srunner_create(suite);
	srunner_run_all(runner, CK_VERBOSE);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);

	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
