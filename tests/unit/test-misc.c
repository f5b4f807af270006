// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tests of the library's version and of the names of its enumerations,
 * known values and unknown ones.
 */
#include "config.h"

#include "lib-test.h"

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

START_TEST(role_and_state_names)
{
	ck_assert_str_eq(hdmabuf_role_name(HDMABUF_ROLE_EXPORT), "export");
	ck_assert_str_eq(hdmabuf_role_name(HDMABUF_ROLE_IMPORT), "import");
	ck_assert_ptr_null(hdmabuf_role_name((enum hdmabuf_role)0));
	ck_assert_str_eq(hdmabuf_state_name(HDMABUF_STATE_OFFERED), "offered");
	ck_assert_str_eq(hdmabuf_state_name(HDMABUF_STATE_WITHDRAWN),
			 "withdrawn");
	ck_assert_str_eq(hdmabuf_state_name(HDMABUF_STATE_IMPORTED),
			 "imported");
	ck_assert_ptr_null(hdmabuf_state_name((enum hdmabuf_state)0));
	ck_assert_ptr_null(hdmabuf_state_name((enum hdmabuf_state)4));
}
END_TEST

START_TEST(event_type_names)
{
	static const char *const names[] = {
		NULL, "overflow", "offered", "imported", "released",
		"unexported", "revoked", "signalled", "peer-up", "peer-down",
		NULL,
	};
	int i;

	for (i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++) {
		const char *name =
			hdmabuf_event_type_name((enum hdmabuf_event_type)i);

		if (names[i])
			ck_assert_str_eq(name, names[i]);
		else
			ck_assert_ptr_null(name);
	}
}
END_TEST

START_TEST(peer_state_names)
{
	ck_assert_str_eq(hdmabuf_peer_state_name(HDMABUF_PEER_CONNECTING),
			 "connecting");
	ck_assert_str_eq(hdmabuf_peer_state_name(HDMABUF_PEER_UP), "up");
	ck_assert_ptr_null(hdmabuf_peer_state_name((enum hdmabuf_peer_state)0));
	ck_assert_ptr_null(hdmabuf_peer_state_name((enum hdmabuf_peer_state)3));
}
END_TEST

static TCase *misc_tcase(void)
{
	TCase *tc = tcase_create("misc");

	tcase_add_test(tc, version_string);
	tcase_add_test(tc, transport_names);
	tcase_add_test(tc, xen_type_names);
	tcase_add_test(tc, role_and_state_names);
	tcase_add_test(tc, event_type_names);
	tcase_add_test(tc, peer_state_names);
	return tc;
}

int main(void)
{
	return run_suite("libhyperdmabuf names", misc_tcase(), NULL);
}
