// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tests of the messages between peers (kernel/proto/wire.c, built here as
 * plain C): every type goes through encode and decode unchanged, and each
 * way a peer can get a message wrong is refused.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

static const struct hyper_dmabuf_id sample_id = {
	.domid = 3,
	.serial = 17,
	.key = { 0x0123456789abcdefULL, 0xfedcba9876543210ULL },
};

static struct hdmabuf_msg notice(unsigned int type)
{
	struct hdmabuf_msg m = { .type = type, .id = sample_id };

	return m;
}

static struct hdmabuf_msg request(unsigned int type)
{
	struct hdmabuf_msg m = notice(type);

	m.req = 42;
	if (type == HDMABUF_MSG_HELLO) {
		memset(&m.id, 0, sizeof(m.id));
		m.ver_min = 1;
		m.ver_max = 3;
	}
	return m;
}

static struct hdmabuf_msg reply(unsigned int type, int status)
{
	struct hdmabuf_msg m = request(type);

	m.flags = HDMABUF_MSG_REPLY;
	m.status = status;
	return m;
}

/* An IMPORT reply with pages and every metadata field set. */
static struct hdmabuf_msg import_reply(void)
{
	struct hdmabuf_msg m = reply(HDMABUF_MSG_IMPORT, 0);
	unsigned int i;

	m.export_flags = HYPER_DMABUF_EXPORT_RW;
	m.size = 8294400;
	m.npages = 2025;
	m.handle = 0x1234567890ULL;
	m.value = 0x1122334455667788ULL;
	m.has_meta = true;
	m.meta.fourcc = 0x34325258;
	m.meta.width = 1920;
	m.meta.height = 1080;
	m.meta.num_planes = 2;
	m.meta.modifier = 0x0100000000000001ULL;
	m.meta.planes[0].stride = 7680;
	m.meta.planes[1].offset = 4096;
	m.meta.planes[1].stride = 3840;
	strcpy(m.meta.name, "camera0");
	m.meta.blob_len = HYPER_DMABUF_BLOB_MAX;
	for (i = 0; i < HYPER_DMABUF_BLOB_MAX; i++)
		m.meta.blob[i] = i * 7;
	return m;
}

/* Bytes of @m; fails the test if it does not encode. */
static int encode(const struct hdmabuf_msg *m, unsigned char *buf)
{
	int len = hdmabuf_wire_encode(m, buf, HDMABUF_WIRE_MAX);

	ck_assert_msg(len >= HDMABUF_WIRE_HDR_LEN, "encode: %d", len);
	return len;
}

static void assert_round_trip(const struct hdmabuf_msg *m)
{
	unsigned char buf[HDMABUF_WIRE_MAX];
	struct hdmabuf_msg back;
	int len = encode(m, buf);

	ck_assert_int_eq(hdmabuf_wire_decode(buf, len, &back), 0);
	ck_assert_int_eq(back.type, m->type);
	ck_assert_int_eq(back.flags, m->flags);
	ck_assert_uint_eq(back.req, m->req);
	ck_assert_int_eq(back.status, m->status);
	ck_assert_mem_eq(&back.id, &m->id, sizeof(m->id));
	ck_assert_uint_eq(back.ver_min, m->ver_min);
	ck_assert_uint_eq(back.ver_max, m->ver_max);
	ck_assert_uint_eq(back.token, m->token);
	ck_assert_uint_eq(back.value, m->value);
	ck_assert_uint_eq(back.size, m->size);
	ck_assert_uint_eq(back.export_flags, m->export_flags);
	ck_assert_uint_eq(back.npages, m->npages);
	ck_assert_uint_eq(back.handle, m->handle);
	ck_assert_int_eq(back.has_meta, m->has_meta);
	ck_assert_mem_eq(&back.meta, &m->meta, sizeof(m->meta));
}

/* The bytes of a good message, changed by @edit, are refused. */
static void assert_refused(const struct hdmabuf_msg *m, size_t at,
			   unsigned char value)
{
	unsigned char buf[HDMABUF_WIRE_MAX];
	struct hdmabuf_msg out;
	int len = encode(m, buf);

	ck_assert_int_lt(at, len);
	buf[at] = value;
	ck_assert_int_eq(hdmabuf_wire_decode(buf, len, &out), -EBADMSG);
}

START_TEST(round_trip_each_type)
{
	struct hdmabuf_msg m;

	m = request(HDMABUF_MSG_HELLO);
	assert_round_trip(&m);
	m = reply(HDMABUF_MSG_HELLO, 0);
	m.ver_min = m.ver_max = 1;
	assert_round_trip(&m);
	m = notice(HDMABUF_MSG_OFFER);
	m.size = 4096;
	m.export_flags = HYPER_DMABUF_EXPORT_RW;
	assert_round_trip(&m);
	m = request(HDMABUF_MSG_IMPORT);
	m.token = 0xdeadbeefcafeULL;
	assert_round_trip(&m);
	m = import_reply();
	assert_round_trip(&m);
	m.has_meta = false;
	memset(&m.meta, 0, sizeof(m.meta));
	assert_round_trip(&m);
	m = reply(HDMABUF_MSG_IMPORT, -ENOENT);
	assert_round_trip(&m);
	m = notice(HDMABUF_MSG_RELEASE);
	m.token = 9;
	assert_round_trip(&m);
	m = notice(HDMABUF_MSG_REVOKE);
	assert_round_trip(&m);
	m = request(HDMABUF_MSG_SIGNAL);
	m.value = UINT64_MAX;
	assert_round_trip(&m);
	m = reply(HDMABUF_MSG_SIGNAL, -EINVAL);
	assert_round_trip(&m);
	m = notice(HDMABUF_MSG_SIGNALLED);
	m.value = 5;
	assert_round_trip(&m);
}
END_TEST

/* Fields are little-endian at fixed places: what another build reads. */
START_TEST(byte_layout)
{
	static const unsigned char want[] = {
		0x44, 0x48, HDMABUF_MSG_REVOKE, 0, 40, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0,
		3, 0, 0, 0, 17, 0, 0, 0,
		0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01,
		0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe,
	};
	struct hdmabuf_msg m = notice(HDMABUF_MSG_REVOKE);
	unsigned char buf[HDMABUF_WIRE_MAX];

	ck_assert_int_eq(encode(&m, buf), sizeof(want));
	ck_assert_mem_eq(buf, want, sizeof(want));
}
END_TEST

START_TEST(largest_fits)
{
	struct hdmabuf_msg m = import_reply();
	unsigned char buf[HDMABUF_WIRE_MAX];
	int len = encode(&m, buf);

	ck_assert_int_le(len, HDMABUF_WIRE_MAX);
	/* one byte short of room: ENOSPC, never a partial message */
	ck_assert_int_eq(hdmabuf_wire_encode(&m, buf, len - 1), -ENOSPC);
	ck_assert_int_eq(hdmabuf_wire_encode(&m, buf, 3), -ENOSPC);
}
END_TEST

START_TEST(encode_refuses_nonsense)
{
	unsigned char buf[HDMABUF_WIRE_MAX];
	struct hdmabuf_msg m;

	m = notice(0);
	ck_assert_int_eq(hdmabuf_wire_encode(&m, buf, sizeof(buf)), -EINVAL);
	m = notice(HDMABUF_MSG_TYPE_END);
	ck_assert_int_eq(hdmabuf_wire_encode(&m, buf, sizeof(buf)), -EINVAL);
	/* a notice has no number and no reply */
	m = notice(HDMABUF_MSG_REVOKE);
	m.req = 1;
	ck_assert_int_eq(hdmabuf_wire_encode(&m, buf, sizeof(buf)), -EINVAL);
	m = reply(HDMABUF_MSG_REVOKE, 0);
	ck_assert_int_eq(hdmabuf_wire_encode(&m, buf, sizeof(buf)), -EINVAL);
	m = request(HDMABUF_MSG_IMPORT);
	m.req = 0;
	ck_assert_int_eq(hdmabuf_wire_encode(&m, buf, sizeof(buf)), -EINVAL);
	m = reply(HDMABUF_MSG_IMPORT, 1);
	ck_assert_int_eq(hdmabuf_wire_encode(&m, buf, sizeof(buf)), -EINVAL);
	m = request(HDMABUF_MSG_IMPORT);
	m.status = -EIO;	/* only replies carry a status */
	ck_assert_int_eq(hdmabuf_wire_encode(&m, buf, sizeof(buf)), -EINVAL);
	m = import_reply();
	m.meta.blob_len = HYPER_DMABUF_BLOB_MAX + 1;
	ck_assert_int_eq(hdmabuf_wire_encode(&m, buf, sizeof(buf)), -EINVAL);
}
END_TEST

START_TEST(decode_refuses_bad_header)
{
	struct hdmabuf_msg m = request(HDMABUF_MSG_IMPORT), out;
	unsigned char buf[HDMABUF_WIRE_MAX];
	int len;

	assert_refused(&m, 0, 0x45);			/* magic */
	assert_refused(&m, 2, 0);			/* type 0 */
	assert_refused(&m, 2, HDMABUF_MSG_TYPE_END);	/* type past the end */
	assert_refused(&m, 3, 2);			/* unknown flag */
	assert_refused(&m, 4, 31);			/* length says less */
	assert_refused(&m, 4, 33);			/* length says more */
	assert_refused(&m, 8, 0);			/* request without number */
	assert_refused(&m, 12, 0xff);			/* status in a request */
	m = notice(HDMABUF_MSG_REVOKE);
	assert_refused(&m, 8, 1);			/* numbered notice */
	assert_refused(&m, 3, HDMABUF_MSG_REPLY);	/* reply to a notice */
	m = reply(HDMABUF_MSG_SIGNAL, 0);
	assert_refused(&m, 12, 1);			/* status > 0 */
	m = reply(HDMABUF_MSG_SIGNAL, -4095);
	assert_round_trip(&m);
	assert_refused(&m, 12, 0x00);			/* -4096: not an errno */

	len = encode(&m, buf);
	ck_assert_int_eq(hdmabuf_wire_decode(buf, len - 1, &out), -EBADMSG);
	ck_assert_int_eq(hdmabuf_wire_decode(buf, 0, &out), -EBADMSG);
	ck_assert_int_eq(hdmabuf_wire_decode(buf, HDMABUF_WIRE_MAX + 1, &out),
			 -EBADMSG);
}
END_TEST

START_TEST(decode_refuses_bad_payload)
{
	struct hdmabuf_msg m;
	size_t meta_at, blob_len_at;

	m = notice(HDMABUF_MSG_REVOKE);
	assert_refused(&m, 19, 0x80);		/* domid beyond any domain */
	m = request(HDMABUF_MSG_HELLO);
	assert_refused(&m, 16, 0);		/* version 0 */
	assert_refused(&m, 16, 4);		/* min > max */
	assert_refused(&m, 20, 1);		/* reserved */
	m = notice(HDMABUF_MSG_OFFER);
	m.size = 4096;
	assert_refused(&m, 41, 0);		/* size 0 */
	assert_refused(&m, 48, 4);		/* unknown export flag */
	assert_refused(&m, 52, 1);		/* reserved */

	m = import_reply();
	assert_refused(&m, 44, 2);		/* has_meta neither 0 nor 1 */
	m.size = 1;
	m.npages = 1;
	m.meta.num_planes = 0;
	memset(m.meta.planes, 0, sizeof(m.meta.planes));
	assert_round_trip(&m);
	assert_refused(&m, 48, 0);		/* size 0 */
	assert_refused(&m, 56, 0);		/* npages 0 */
	m = import_reply();
	meta_at = 80;
	assert_refused(&m, meta_at + 12, 5);	/* five planes */
	assert_refused(&m, meta_at + 24 + 2 * 8, 1);	/* unused plane set */
	blob_len_at = meta_at + 24 + 32 + 32;
	assert_refused(&m, blob_len_at + 1, 2);	/* blob of 512 */
	assert_refused(&m, blob_len_at + 4, 1);	/* reserved */
}
END_TEST

START_TEST(name_must_end)
{
	struct hdmabuf_msg m = import_reply();

	unsigned char buf[HDMABUF_WIRE_MAX];
	struct hdmabuf_msg out;
	int len;

	/* the encoder sends what it is given; the receiver refuses it */
	memset(m.meta.name, 'x', sizeof(m.meta.name));
	len = encode(&m, buf);
	ck_assert_int_eq(hdmabuf_wire_decode(buf, len, &out), -EBADMSG);
}
END_TEST

START_TEST(type_names)
{
	ck_assert_str_eq(hdmabuf_wire_type_name(HDMABUF_MSG_IMPORT), "IMPORT");
	ck_assert_str_eq(hdmabuf_wire_type_name(HDMABUF_MSG_SIGNALLED),
			 "SIGNALLED");
	ck_assert_str_eq(hdmabuf_wire_type_name(0), "?");
	ck_assert_str_eq(hdmabuf_wire_type_name(HDMABUF_MSG_TYPE_END), "?");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("wire");
	TCase *tc = tcase_create("messages");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, round_trip_each_type);
	tcase_add_test(tc, byte_layout);
	tcase_add_test(tc, largest_fits);
	tcase_add_test(tc, encode_refuses_nonsense);
	tcase_add_test(tc, decode_refuses_bad_header);
	tcase_add_test(tc, decode_refuses_bad_payload);
	tcase_add_test(tc, name_must_end);
	tcase_add_test(tc, type_names);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
