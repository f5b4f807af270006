// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tests of the capabilities of libhyperdmabuf: what it makes of the
 * answers of GET_CAPS the shim gives (ioctl-shim.h), and of a device that
 * does not know the request.
 */
#include <errno.h>
#include <string.h>

#include "ioctl-shim.h"
#include "lib-test.h"

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

/* The capabilities of a GET_CAPS answered with reply. */
static struct hdmabuf_caps *caps_of(const struct hyper_dmabuf_caps *reply)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	struct hdmabuf_caps *caps;

	shim_reply(reply, sizeof(*reply));
	caps = hdmabuf_ctx_get_caps(ctx);
	hdmabuf_ctx_close(ctx);
	ck_assert_ptr_nonnull(caps);
	return caps;
}

START_TEST(caps_request)
{
	struct hdmabuf_caps *caps = caps_of(&reply_plain);

	ck_assert_int_eq(shim_calls(), 1);
	ck_assert(shim_last()->request == HYPER_DMABUF_IOCTL_GET_CAPS);
	/* flags and every reserved field go in as zero: all of it */
	ck_assert(ZEROED(*SHIM_LAST_ARG(hyper_dmabuf_caps)));
	hdmabuf_caps_free(caps);
}
END_TEST

START_TEST(caps_plain_kernel)
{
	struct hdmabuf_caps *caps = caps_of(&reply_plain);

	ck_assert_uint_eq(hdmabuf_caps_get_api_version(caps), 1);
	ck_assert_str_eq(hdmabuf_caps_get_module_version(caps), "1.2.3");
	ck_assert(!hdmabuf_caps_is_xen(caps));
	ck_assert_int_eq(hdmabuf_caps_get_xen_type(caps), HDMABUF_XEN_NONE);
	ASSERT_FAILS_WITH(hdmabuf_caps_get_domid(caps) == -1, ENODATA);
	ck_assert(hdmabuf_caps_has_transport(caps, HDMABUF_TRANSPORT_LOOPBACK));
	ck_assert(!hdmabuf_caps_has_transport(caps, HDMABUF_TRANSPORT_XEN));
	ck_assert(!hdmabuf_caps_has_transport(caps, (enum hdmabuf_transport)99));
	hdmabuf_caps_free(caps);
}
END_TEST

START_TEST(caps_xen_domu)
{
	struct hdmabuf_caps *caps = caps_of(&reply_domu);

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
	caps = caps_of(&reply);
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
	caps = caps_of(&reply);
	ck_assert(hdmabuf_caps_is_xen(caps));
	ASSERT_FAILS_WITH(hdmabuf_caps_get_domid(caps) == -1, ENODATA);
	hdmabuf_caps_free(caps);
}
END_TEST

/* A newer module may name a guest type this library does not know. */
START_TEST(caps_unknown_xen_type)
{
	struct hyper_dmabuf_caps reply = reply_domu;
	struct hdmabuf_caps *caps;

	reply.xen_type = 7;
	caps = caps_of(&reply);
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
	caps = caps_of(&reply);
	ck_assert_uint_eq(strlen(hdmabuf_caps_get_module_version(caps)),
			  sizeof(reply.module_version) - 1);
	hdmabuf_caps_free(caps);
}
END_TEST

static bool get_caps_fails(struct hdmabuf_ctx *ctx)
{
	struct hdmabuf_caps *caps = hdmabuf_ctx_get_caps(ctx);

	hdmabuf_caps_free(caps);
	return !caps;
}

START_TEST(caps_errors)
{
	ASSERT_ERRORS_PASS(get_caps_fails, EFAULT, ENOTTY, EINVAL);
}
END_TEST

START_TEST(caps_retried_after_signal)
{
	assert_retried_after_eintr(get_caps_fails, 2);
}
END_TEST

/* A device that does not know the request: the kernel's ENOTTY. */
START_TEST(caps_from_other_device)
{
	struct hdmabuf_ctx *ctx = hdmabuf_ctx_open("/dev/null");

	ck_assert_ptr_nonnull(ctx);
	ASSERT_FAILS_WITH(!hdmabuf_ctx_get_caps(ctx), ENOTTY);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(free_null)
{
	hdmabuf_caps_free(NULL);
}
END_TEST

static TCase *caps_tcase(void)
{
	TCase *tc = shim_tcase("caps");

	tcase_add_test(tc, caps_request);
	tcase_add_test(tc, caps_plain_kernel);
	tcase_add_test(tc, caps_xen_domu);
	tcase_add_test(tc, caps_dom0);
	tcase_add_test(tc, caps_xen_without_domid);
	tcase_add_test(tc, caps_unknown_xen_type);
	tcase_add_test(tc, caps_version_always_terminated);
	tcase_add_test(tc, caps_errors);
	tcase_add_test(tc, caps_retried_after_signal);
	tcase_add_test(tc, caps_from_other_device);
	tcase_add_test(tc, free_null);
	return tc;
}

int main(void)
{
	return run_suite("libhyperdmabuf capabilities", caps_tcase(), NULL);
}
