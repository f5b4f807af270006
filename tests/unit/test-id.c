// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tests of the ids of libhyperdmabuf: the text form, in both directions,
 * and every way a text can fail to be one.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib-test.h"

#define KEY_LOWER	"0123456789abcdeffedcba9876543210"
#define KEY_UPPER	"0123456789ABCDEFFEDCBA9876543210"
#define KEY0		0x0123456789abcdefULL
#define KEY1		0xfedcba9876543210ULL

static const struct hdmabuf_id sample = {
	.domid = 3,
	.serial = 17,
	.key = { KEY0, KEY1 },
};

static const struct hdmabuf_id largest = {
	.domid = UINT32_MAX,
	.serial = UINT32_MAX,
	.key = { UINT64_MAX, UINT64_MAX },
};

/* The parse of s fails with EINVAL and leaves the id alone. */
static void assert_malformed(const char *s)
{
	struct hdmabuf_id id = sample;

	errno = 0;
	ck_assert_msg(hdmabuf_id_parse(s, &id) == -1, "'%s' was accepted", s);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert(hdmabuf_id_equal(&id, &sample));
}

START_TEST(format_sample)
{
	char buf[HDMABUF_ID_STRLEN];

	ck_assert_int_eq(hdmabuf_id_format(&sample, buf, sizeof(buf)),
			 (int)strlen("3:17:" KEY_LOWER));
	ck_assert_str_eq(buf, "3:17:" KEY_LOWER);
}
END_TEST

/* Each half of the key keeps its leading zeros. */
START_TEST(format_zero)
{
	struct hdmabuf_id id = { 0 };
	char buf[HDMABUF_ID_STRLEN];

	id.key[1] = 1;
	ck_assert_int_ge(hdmabuf_id_format(&id, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "0:0:00000000000000000000000000000001");
}
END_TEST

/* HDMABUF_ID_STRLEN holds the longest id, exactly. */
START_TEST(format_largest)
{
	char buf[HDMABUF_ID_STRLEN];

	ck_assert_int_eq(hdmabuf_id_format(&largest, buf, sizeof(buf)),
			 HDMABUF_ID_STRLEN - 1);
	ck_assert_str_eq(buf, "4294967295:4294967295:"
			 "ffffffffffffffffffffffffffffffff");
	errno = 0;
	ck_assert_int_eq(hdmabuf_id_format(&largest, buf, sizeof(buf) - 1), -1);
	ck_assert_int_eq(errno, ERANGE);
	ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(format_small_buffer)
{
	char buf[8] = "garbage";

	errno = 0;
	ck_assert_int_eq(hdmabuf_id_format(&sample, buf, sizeof(buf)), -1);
	ck_assert_int_eq(errno, ERANGE);
	ck_assert_str_eq(buf, "");
	errno = 0;
	ck_assert_int_eq(hdmabuf_id_format(&sample, NULL, 0), -1);
	ck_assert_int_eq(errno, ERANGE);
}
END_TEST

START_TEST(parse_sample)
{
	struct hdmabuf_id id;

	ck_assert_int_eq(hdmabuf_id_parse("3:17:" KEY_LOWER, &id), 0);
	ck_assert_uint_eq(id.domid, 3);
	ck_assert_uint_eq(id.serial, 17);
	ck_assert(id.key[0] == KEY0);
	ck_assert(id.key[1] == KEY1);
}
END_TEST

START_TEST(parse_uppercase_key)
{
	struct hdmabuf_id id;

	ck_assert_int_eq(hdmabuf_id_parse("3:17:" KEY_UPPER, &id), 0);
	ck_assert(hdmabuf_id_equal(&id, &sample));
}
END_TEST

START_TEST(parse_limits)
{
	struct hdmabuf_id id;

	ck_assert_int_eq(hdmabuf_id_parse("4294967295:4294967295:"
					  "FFFFFFFFFFFFFFFFffffffffffffffff",
					  &id), 0);
	ck_assert(hdmabuf_id_equal(&id, &largest));
	ck_assert_int_eq(hdmabuf_id_parse("0:0:" KEY_LOWER, &id), 0);
	ck_assert_uint_eq(id.domid, 0);
	ck_assert_uint_eq(id.serial, 0);
	ck_assert_int_eq(hdmabuf_id_parse("32752:1:" KEY_LOWER, &id), 0);
	ck_assert_uint_eq(id.domid, HDMABUF_DOMID_SELF);
}
END_TEST

/* format then parse gives the id back, for ids of every shape */
START_TEST(round_trip)
{
	static const uint32_t numbers[] = { 0, 1, 9, 10, 32752, 65535,
					    UINT32_MAX - 1, UINT32_MAX };
	static const uint64_t keys[] = { 0, 1, 0x10, KEY0, KEY1,
					 0x8000000000000000ULL, UINT64_MAX };
	char buf[HDMABUF_ID_STRLEN];
	struct hdmabuf_id id, back;
	size_t i, j, k;

	for (i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++)
		for (j = 0; j < sizeof(keys) / sizeof(keys[0]); j++)
			for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
				id.domid = numbers[i];
				id.serial = numbers[(i + j) % 8];
				id.key[0] = keys[j];
				id.key[1] = keys[k];
				ck_assert_int_gt(hdmabuf_id_format(&id, buf,
								   sizeof(buf)), 0);
				memset(&back, 0xaa, sizeof(back));
				ck_assert_int_eq(hdmabuf_id_parse(buf, &back), 0);
				ck_assert_msg(hdmabuf_id_equal(&id, &back),
					      "%s did not round-trip", buf);
			}
}
END_TEST

START_TEST(malformed_fields)
{
	assert_malformed("");
	assert_malformed(":");
	assert_malformed("::");
	assert_malformed("3");
	assert_malformed("3:17");
	assert_malformed("3:17:");
	assert_malformed(":17:" KEY_LOWER);
	assert_malformed("3::" KEY_LOWER);
	assert_malformed("3:" KEY_LOWER);
	assert_malformed("3:17:" KEY_LOWER ":1");	/* extra field */
	assert_malformed("1:3:17:" KEY_LOWER);		/* extra field */
	assert_malformed("3:17:" KEY_LOWER ":");
	assert_malformed("3;17;" KEY_LOWER);
}
END_TEST

START_TEST(malformed_numbers)
{
	assert_malformed("03:17:" KEY_LOWER);		/* leading zero */
	assert_malformed("3:017:" KEY_LOWER);
	assert_malformed("00:17:" KEY_LOWER);
	assert_malformed("3:00:" KEY_LOWER);
	assert_malformed("+3:17:" KEY_LOWER);		/* sign */
	assert_malformed("-3:17:" KEY_LOWER);
	assert_malformed("3:+17:" KEY_LOWER);
	assert_malformed("3:-17:" KEY_LOWER);
	assert_malformed("4294967296:17:" KEY_LOWER);	/* overflow */
	assert_malformed("3:4294967296:" KEY_LOWER);
	assert_malformed("99999999999999999999:17:" KEY_LOWER);
	assert_malformed("0x3:17:" KEY_LOWER);		/* not decimal */
	assert_malformed("3a:17:" KEY_LOWER);
	assert_malformed("3:1 7:" KEY_LOWER);
}
END_TEST

START_TEST(malformed_keys)
{
	assert_malformed("3:17:" "0123456789abcdeffedcba987654321");	/* 31 */
	assert_malformed("3:17:" KEY_LOWER "0");			/* 33 */
	assert_malformed("3:17:" "0123456789abcdef");			/* 16 */
	assert_malformed("3:17:" "0123456789abcdeg" "fedcba9876543210");
	assert_malformed("3:17:" "0123456789abcdef" "fedcba987654321x");
	assert_malformed("3:17:" "0x23456789abcdef" "fedcba9876543210");
	assert_malformed("3:17:" "0123456789abcdef:fedcba9876543210");
	assert_malformed("3:17:" "0123456789abcdef-fedcba9876543210");
}
END_TEST

/* Ids are often pasted: white space anywhere is a mistake too. */
START_TEST(malformed_space)
{
	assert_malformed(" 3:17:" KEY_LOWER);
	assert_malformed("3 :17:" KEY_LOWER);
	assert_malformed("3: 17:" KEY_LOWER);
	assert_malformed("3:17: " KEY_LOWER);
	assert_malformed("3:17:" KEY_LOWER " ");
	assert_malformed("3:17:" KEY_LOWER "\n");
}
END_TEST

START_TEST(equal)
{
	struct hdmabuf_id id = sample;

	ck_assert(hdmabuf_id_equal(&sample, &id));
	id.domid++;
	ck_assert(!hdmabuf_id_equal(&sample, &id));
	id = sample;
	id.serial++;
	ck_assert(!hdmabuf_id_equal(&sample, &id));
	id = sample;
	id.key[0] ^= 1;
	ck_assert(!hdmabuf_id_equal(&sample, &id));
	id = sample;
	id.key[1] ^= 1ULL << 63;
	ck_assert(!hdmabuf_id_equal(&sample, &id));
}
END_TEST

static TCase *id_tcase(void)
{
	TCase *tc = tcase_create("id");

	tcase_add_test(tc, format_sample);
	tcase_add_test(tc, format_zero);
	tcase_add_test(tc, format_largest);
	tcase_add_test(tc, format_small_buffer);
	tcase_add_test(tc, parse_sample);
	tcase_add_test(tc, parse_uppercase_key);
	tcase_add_test(tc, parse_limits);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, malformed_fields);
	tcase_add_test(tc, malformed_numbers);
	tcase_add_test(tc, malformed_keys);
	tcase_add_test(tc, malformed_space);
	tcase_add_test(tc, equal);
	return tc;
}

int main(void)
{
	return run_suite("libhyperdmabuf ids", id_tcase(), NULL);
}
