// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tests of the metadata objects of libhyperdmabuf: what the setters
 * accept, what they refuse, and that a refusal changes nothing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib-test.h"


static struct hdmabuf_meta *meta;

static void meta_setup(void)
{
	meta = hdmabuf_meta_new();
	ck_assert_ptr_nonnull(meta);
}

static void meta_teardown(void)
{
	hdmabuf_meta_free(meta);
	meta = NULL;
}

static void assert_plane(unsigned int index, uint32_t offset, uint32_t stride)
{
	uint32_t got_offset = 0, got_stride = 0;

	ck_assert_int_eq(hdmabuf_meta_get_plane(meta, index, &got_offset,
						&got_stride), 0);
	ck_assert_uint_eq(got_offset, offset);
	ck_assert_uint_eq(got_stride, stride);
}

START_TEST(new_is_empty)
{
	size_t len = 1;

	ck_assert_uint_eq(hdmabuf_meta_get_fourcc(meta), 0);
	ck_assert(hdmabuf_meta_get_modifier(meta) == 0);
	ck_assert_uint_eq(hdmabuf_meta_get_width(meta), 0);
	ck_assert_uint_eq(hdmabuf_meta_get_height(meta), 0);
	ck_assert_uint_eq(hdmabuf_meta_get_num_planes(meta), 0);
	ck_assert_str_eq(hdmabuf_meta_get_name(meta), "");
	ck_assert_ptr_nonnull(hdmabuf_meta_get_blob(meta, &len));
	ck_assert_uint_eq(len, 0);
}
END_TEST

START_TEST(free_null)
{
	hdmabuf_meta_free(NULL);
}
END_TEST

START_TEST(format)
{
	hdmabuf_meta_set_format(meta, XR24, 0x0100000000000001ULL, 1920, 1080);
	ck_assert_uint_eq(hdmabuf_meta_get_fourcc(meta), XR24);
	ck_assert(hdmabuf_meta_get_modifier(meta) == 0x0100000000000001ULL);
	ck_assert_uint_eq(hdmabuf_meta_get_width(meta), 1920);
	ck_assert_uint_eq(hdmabuf_meta_get_height(meta), 1080);
	/* planes are set on their own */
	ck_assert_uint_eq(hdmabuf_meta_get_num_planes(meta), 0);
}
END_TEST

START_TEST(planes_grow_in_order)
{
	unsigned int i;

	for (i = 0; i < HDMABUF_META_MAX_PLANES; i++) {
		ck_assert_int_eq(hdmabuf_meta_set_plane(meta, i, i * 100,
							i + 1), 0);
		ck_assert_uint_eq(hdmabuf_meta_get_num_planes(meta), i + 1);
	}
	for (i = 0; i < HDMABUF_META_MAX_PLANES; i++)
		assert_plane(i, i * 100, i + 1);
}
END_TEST

START_TEST(plane_replaced)
{
	ck_assert_int_eq(hdmabuf_meta_set_plane(meta, 0, 0, 7680), 0);
	ck_assert_int_eq(hdmabuf_meta_set_plane(meta, 1, 8294400, 3840), 0);
	ck_assert_int_eq(hdmabuf_meta_set_plane(meta, 0, 64, 7744), 0);
	ck_assert_uint_eq(hdmabuf_meta_get_num_planes(meta), 2);
	assert_plane(0, 64, 7744);
	assert_plane(1, 8294400, 3840);
}
END_TEST

START_TEST(plane_hole_refused)
{
	errno = 0;
	ck_assert_int_eq(hdmabuf_meta_set_plane(meta, 1, 0, 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_uint_eq(hdmabuf_meta_get_num_planes(meta), 0);
	ck_assert_int_eq(hdmabuf_meta_set_plane(meta, 0, 0, 1), 0);
	errno = 0;
	ck_assert_int_eq(hdmabuf_meta_set_plane(meta, 2, 0, 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_uint_eq(hdmabuf_meta_get_num_planes(meta), 1);
}
END_TEST

START_TEST(plane_past_max_refused)
{
	unsigned int i;

	for (i = 0; i < HDMABUF_META_MAX_PLANES; i++)
		ck_assert_int_eq(hdmabuf_meta_set_plane(meta, i, 0, 1), 0);
	errno = 0;
	ck_assert_int_eq(hdmabuf_meta_set_plane(meta, HDMABUF_META_MAX_PLANES,
						0, 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(hdmabuf_meta_set_plane(meta, (unsigned int)-1, 0, 1),
			 -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_uint_eq(hdmabuf_meta_get_num_planes(meta),
			  HDMABUF_META_MAX_PLANES);
}
END_TEST

START_TEST(get_plane_unset)
{
	uint32_t offset = 5, stride = 6;

	errno = 0;
	ck_assert_int_eq(hdmabuf_meta_get_plane(meta, 0, &offset, &stride), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_uint_eq(offset, 5);
	ck_assert_uint_eq(stride, 6);
	ck_assert_int_eq(hdmabuf_meta_set_plane(meta, 0, 1, 2), 0);
	/* either output may be left out */
	ck_assert_int_eq(hdmabuf_meta_get_plane(meta, 0, NULL, &stride), 0);
	ck_assert_uint_eq(stride, 2);
	ck_assert_int_eq(hdmabuf_meta_get_plane(meta, 0, &offset, NULL), 0);
	ck_assert_uint_eq(offset, 1);
	errno = 0;
	ck_assert_int_eq(hdmabuf_meta_get_plane(meta, 1, NULL, NULL), -1);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(name_longest)
{
	char name[HDMABUF_META_NAME_MAX + 1];

	memset(name, 'n', HDMABUF_META_NAME_MAX);
	name[HDMABUF_META_NAME_MAX] = '\0';
	ck_assert_int_eq(hdmabuf_meta_set_name(meta, name), 0);
	ck_assert_str_eq(hdmabuf_meta_get_name(meta), name);
	ck_assert_int_eq(hdmabuf_meta_set_name(meta, "short"), 0);
	ck_assert_str_eq(hdmabuf_meta_get_name(meta), "short");
	ck_assert_int_eq(hdmabuf_meta_set_name(meta, ""), 0);
	ck_assert_str_eq(hdmabuf_meta_get_name(meta), "");
}
END_TEST

START_TEST(name_too_long)
{
	char name[HDMABUF_META_NAME_MAX + 2];

	ck_assert_int_eq(hdmabuf_meta_set_name(meta, "kept"), 0);
	memset(name, 'n', HDMABUF_META_NAME_MAX + 1);
	name[HDMABUF_META_NAME_MAX + 1] = '\0';
	errno = 0;
	ck_assert_int_eq(hdmabuf_meta_set_name(meta, name), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_str_eq(hdmabuf_meta_get_name(meta), "kept");
}
END_TEST

START_TEST(blob_largest)
{
	unsigned char data[HDMABUF_META_BLOB_MAX];
	const void *blob;
	size_t i, len;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)i;
	ck_assert_int_eq(hdmabuf_meta_set_blob(meta, data, sizeof(data)), 0);
	blob = hdmabuf_meta_get_blob(meta, &len);
	ck_assert_uint_eq(len, sizeof(data));
	ck_assert(memcmp(blob, data, sizeof(data)) == 0);
	/* the blob is a copy */
	data[0] = 0xff;
	ck_assert_uint_eq(((const unsigned char *)blob)[0], 0);
}
END_TEST

START_TEST(blob_too_large)
{
	unsigned char data[HDMABUF_META_BLOB_MAX + 1] = { 0 };
	size_t len;

	ck_assert_int_eq(hdmabuf_meta_set_blob(meta, "abc", 3), 0);
	errno = 0;
	ck_assert_int_eq(hdmabuf_meta_set_blob(meta, data, sizeof(data)), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert(memcmp(hdmabuf_meta_get_blob(meta, &len), "abc", 3) == 0);
	ck_assert_uint_eq(len, 3);
}
END_TEST

START_TEST(blob_cleared)
{
	size_t len;

	ck_assert_int_eq(hdmabuf_meta_set_blob(meta, "abc", 3), 0);
	ck_assert_int_eq(hdmabuf_meta_set_blob(meta, NULL, 0), 0);
	hdmabuf_meta_get_blob(meta, &len);
	ck_assert_uint_eq(len, 0);
	errno = 0;
	ck_assert_int_eq(hdmabuf_meta_set_blob(meta, NULL, 1), -1);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

static TCase *meta_tcase(void)
{
	TCase *tc = tcase_create("meta");

	tcase_add_checked_fixture(tc, meta_setup, meta_teardown);
	tcase_add_test(tc, new_is_empty);
	tcase_add_test(tc, free_null);
	tcase_add_test(tc, format);
	tcase_add_test(tc, planes_grow_in_order);
	tcase_add_test(tc, plane_replaced);
	tcase_add_test(tc, plane_hole_refused);
	tcase_add_test(tc, plane_past_max_refused);
	tcase_add_test(tc, get_plane_unset);
	tcase_add_test(tc, name_longest);
	tcase_add_test(tc, name_too_long);
	tcase_add_test(tc, blob_largest);
	tcase_add_test(tc, blob_too_large);
	tcase_add_test(tc, blob_cleared);
	return tc;
}

int main(void)
{
	return run_suite("libhyperdmabuf metadata", meta_tcase(), NULL);
}
