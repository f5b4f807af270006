// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tests of the descriptions of buffers in libhyperdmabuf: QUERY of one,
 * LIST of all (read again while the list grows), what the library passes
 * and what it makes of the answers the shim gives (ioctl-shim.h).
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>

#include "ioctl-shim.h"
#include "lib-test.h"

#define ENTRIES_PTR	offsetof(struct hyper_dmabuf_list, entries)

static const struct hyper_dmabuf_info sample_info = {
	.id = {
		.domid = 3,
		.serial = 17,
		.key = { 0x0123456789abcdefULL, 0xfedcba9876543210ULL },
	},
	.role = HYPER_DMABUF_ROLE_EXPORT,
	.state = HYPER_DMABUF_STATE_WITHDRAWN,
	.peer = 5,
	.flags = HYPER_DMABUF_EXPORT_RW | HYPER_DMABUF_EXPORT_PERSISTENT,
	.size = 3 * 4096,
	.importers = 2,
};

static struct hdmabuf_info *query_answered(const struct hyper_dmabuf_info *info)
{
	struct hyper_dmabuf_query reply = { .info = *info };
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	struct hdmabuf_info *got;

	shim_reply(&reply, sizeof(reply));
	got = hdmabuf_ctx_query(ctx, &sample_hid);
	ck_assert_ptr_nonnull(got);
	/* the snapshot does not depend on the context */
	hdmabuf_ctx_close(ctx);
	return got;
}

START_TEST(query_request)
{
	struct hdmabuf_info *info = query_answered(&sample_info);
	const struct hyper_dmabuf_query *in = shim_last_arg();

	ck_assert(shim_last()->request == HYPER_DMABUF_IOCTL_QUERY);
	ck_assert(IS_SAMPLE_ID(in->id));
	ck_assert_uint_eq(in->flags, 0);
	ck_assert_uint_eq(in->reserved0, 0);
	ck_assert(ZEROED(in->info));

	ck_assert(hdmabuf_id_equal(hdmabuf_info_get_id(info), &sample_hid));
	ck_assert_int_eq(hdmabuf_info_get_role(info), HDMABUF_ROLE_EXPORT);
	ck_assert_int_eq(hdmabuf_info_get_state(info), HDMABUF_STATE_WITHDRAWN);
	ck_assert_uint_eq(hdmabuf_info_get_peer(info), 5);
	ck_assert_uint_eq(hdmabuf_info_get_flags(info), HDMABUF_EXPORT_RW |
			  HDMABUF_EXPORT_PERSISTENT);
	ck_assert(hdmabuf_info_get_size(info) == 3 * 4096);
	ck_assert_uint_eq(hdmabuf_info_get_importers(info), 2);
	hdmabuf_info_free(info);
}
END_TEST

START_TEST(query_import)
{
	struct hyper_dmabuf_info imported = sample_info;
	struct hdmabuf_info *info;

	imported.role = HYPER_DMABUF_ROLE_IMPORT;
	imported.state = HYPER_DMABUF_STATE_IMPORTED;
	imported.peer = 3;
	imported.flags = 0;
	imported.importers = 0;
	info = query_answered(&imported);
	ck_assert_int_eq(hdmabuf_info_get_role(info), HDMABUF_ROLE_IMPORT);
	ck_assert_int_eq(hdmabuf_info_get_state(info), HDMABUF_STATE_IMPORTED);
	ck_assert_uint_eq(hdmabuf_info_get_peer(info), 3);
	ck_assert_uint_eq(hdmabuf_info_get_flags(info), 0);
	ck_assert_uint_eq(hdmabuf_info_get_importers(info), 0);
	hdmabuf_info_free(info);
}
END_TEST

/* A newer module may name roles and states this library does not know. */
START_TEST(query_unknown_role_and_state)
{
	struct hyper_dmabuf_info newer = sample_info;
	struct hdmabuf_info *info;

	newer.role = 9;
	newer.state = 8;
	info = query_answered(&newer);
	ck_assert_int_eq(hdmabuf_info_get_role(info), 9);
	ck_assert_int_eq(hdmabuf_info_get_state(info), 8);
	ck_assert_ptr_null(hdmabuf_role_name(hdmabuf_info_get_role(info)));
	ck_assert_ptr_null(hdmabuf_state_name(hdmabuf_info_get_state(info)));
	hdmabuf_info_free(info);
}
END_TEST

static bool query_fails(struct hdmabuf_ctx *ctx)
{
	struct hdmabuf_info *info = hdmabuf_ctx_query(ctx, &sample_hid);

	hdmabuf_info_free(info);
	return !info;
}

START_TEST(query_errors)
{
	ASSERT_ERRORS_PASS(query_fails, ENOENT, EKEYREJECTED, EINVAL, EFAULT,
			   ENOTTY);
}
END_TEST

START_TEST(query_retried_after_signal)
{
	assert_retried_after_eintr(query_fails, 1);
}
END_TEST

/* Entry i of a list, each field telling i apart: exports and imports. */
static void list_entry(unsigned int i, struct hyper_dmabuf_info *info)
{
	bool exp = i % 2 == 0;

	*info = (struct hyper_dmabuf_info){
		.id = {
			.domid = exp ? HYPER_DMABUF_DOMID_SELF : 3,
			.serial = i + 1,
			.key = { i, ~(__u64)i },
		},
		.role = exp ? HYPER_DMABUF_ROLE_EXPORT
			    : HYPER_DMABUF_ROLE_IMPORT,
		.state = exp ? HYPER_DMABUF_STATE_OFFERED
			     : HYPER_DMABUF_STATE_IMPORTED,
		.peer = exp ? 5 : 3,
		.flags = exp ? HYPER_DMABUF_EXPORT_RW : 0,
		.size = (__u64)(i + 1) * 4096,
		.importers = exp ? i : 0,
	};
}

/* count entries of list_entry(), never freed: the test is short */
static struct hyper_dmabuf_info *list_entries(unsigned int count)
{
	struct hyper_dmabuf_info *entries = calloc(count, sizeof(*entries));
	unsigned int i;

	ck_assert_ptr_nonnull(entries);
	for (i = 0; i < count; i++)
		list_entry(i, &entries[i]);
	return entries;
}

/* A LIST that says it has count entries and writes written of them. */
static void reply_list(__u32 count, const struct hyper_dmabuf_info *entries,
		       unsigned int written)
{
	struct hyper_dmabuf_list reply = { .count = count };

	shim_reply_out(&reply, sizeof(reply), ENTRIES_PTR, entries,
		       written * sizeof(*entries));
}

/* Entry i of a list is what list_entry(i) made. */
static void check_list_entry(const struct hdmabuf_info_list *list,
			     unsigned int i)
{
	const struct hdmabuf_info *info = hdmabuf_info_list_get(list, i);
	struct hyper_dmabuf_info want;
	struct hdmabuf_id want_id;

	ck_assert_ptr_nonnull(info);
	list_entry(i, &want);
	want_id.domid = want.id.domid;
	want_id.serial = want.id.serial;
	want_id.key[0] = want.id.key[0];
	want_id.key[1] = want.id.key[1];
	ck_assert(hdmabuf_id_equal(hdmabuf_info_get_id(info), &want_id));
	ck_assert_int_eq(hdmabuf_info_get_role(info), want.role);
	ck_assert_int_eq(hdmabuf_info_get_state(info), want.state);
	ck_assert_uint_eq(hdmabuf_info_get_peer(info), want.peer);
	ck_assert_uint_eq(hdmabuf_info_get_flags(info), want.flags);
	ck_assert(hdmabuf_info_get_size(info) == want.size);
	ck_assert_uint_eq(hdmabuf_info_get_importers(info), want.importers);
}

START_TEST(list_empty)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	const struct hyper_dmabuf_list *in;
	struct hdmabuf_info_list *list;

	list = hdmabuf_ctx_list(ctx);
	ck_assert_ptr_nonnull(list);
	ck_assert_int_eq(shim_calls(), 1);
	in = shim_last_arg();
	ck_assert(shim_last()->request == HYPER_DMABUF_IOCTL_LIST);
	ck_assert(in->entries != 0);
	ck_assert_uint_gt(in->capacity, 0);
	ck_assert_uint_eq(in->count, 0);
	ck_assert_uint_eq(in->flags, 0);
	ck_assert_uint_eq(in->reserved0, 0);
	ck_assert(ZEROED(in->reserved));
	ck_assert_uint_eq(hdmabuf_info_list_get_count(list), 0);
	ASSERT_FAILS_WITH(!hdmabuf_info_list_get(list, 0), EINVAL);
	hdmabuf_info_list_free(list);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(list_entries_read)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	struct hdmabuf_info_list *list;
	unsigned int i;

	reply_list(5, list_entries(5), 5);
	list = hdmabuf_ctx_list(ctx);
	ck_assert_ptr_nonnull(list);
	ck_assert_int_eq(shim_calls(), 1);
	ck_assert_uint_ge(SHIM_LAST_ARG(hyper_dmabuf_list)->capacity, 5);
	/* the list does not depend on the context */
	hdmabuf_ctx_close(ctx);
	ck_assert_uint_eq(hdmabuf_info_list_get_count(list), 5);
	for (i = 0; i < 5; i++)
		check_list_entry(list, i);
	ASSERT_FAILS_WITH(!hdmabuf_info_list_get(list, 5), EINVAL);
	hdmabuf_info_list_free(list);
}
END_TEST

/*
 * More than the first call had room for (so it wrote none: the library
 * reads none of them), and more again before the second: asked again with
 * room for them all.
 */
START_TEST(list_retried_while_it_grows)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	struct hdmabuf_info_list *list;
	unsigned int i;

	reply_list(100, NULL, 0);
	reply_list(103, list_entries(103), 103);
	list = hdmabuf_ctx_list(ctx);
	ck_assert_ptr_nonnull(list);
	ck_assert_int_eq(shim_calls(), 2);
	ck_assert_uint_lt(SHIM_ARG(0, hyper_dmabuf_list)->capacity, 100);
	ck_assert_uint_ge(SHIM_ARG(1, hyper_dmabuf_list)->capacity, 103);
	ck_assert_uint_eq(hdmabuf_info_list_get_count(list), 103);
	for (i = 0; i < 103; i++)
		check_list_entry(list, i);
	hdmabuf_info_list_free(list);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* Each answer more than the room offered: the library gives up, EAGAIN. */
START_TEST(list_that_keeps_growing)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	int i;

	for (i = 0; i < SHIM_CALLS_MAX; i++)
		reply_list(100 + 1000 * i, NULL, 0);
	ASSERT_FAILS_WITH(!hdmabuf_ctx_list(ctx), EAGAIN);
	ck_assert_int_eq(shim_calls(), 8);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* The module writes 65536 entries at most: a longer list cannot be read. */
START_TEST(list_too_long)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();

	reply_list(65537, NULL, 0);
	ASSERT_FAILS_WITH(!hdmabuf_ctx_list(ctx), EOVERFLOW);
	ck_assert_int_eq(shim_calls(), 1);
	hdmabuf_ctx_close(ctx);
}
END_TEST

static bool list_fails(struct hdmabuf_ctx *ctx)
{
	struct hdmabuf_info_list *list = hdmabuf_ctx_list(ctx);

	hdmabuf_info_list_free(list);
	return !list;
}

START_TEST(list_errors)
{
	ASSERT_ERRORS_PASS(list_fails, EINVAL, EFAULT, ENOMEM, ENOTTY);
}
END_TEST

START_TEST(list_retried_after_signal)
{
	assert_retried_after_eintr(list_fails, 1);
}
END_TEST

START_TEST(free_null)
{
	hdmabuf_info_free(NULL);
	hdmabuf_info_list_free(NULL);
}
END_TEST

static TCase *query_tcase(void)
{
	TCase *tc = shim_tcase("query");

	tcase_add_test(tc, query_request);
	tcase_add_test(tc, query_import);
	tcase_add_test(tc, query_unknown_role_and_state);
	tcase_add_test(tc, query_errors);
	tcase_add_test(tc, query_retried_after_signal);
	tcase_add_test(tc, free_null);
	return tc;
}

static TCase *list_tcase(void)
{
	TCase *tc = shim_tcase("list");

	tcase_add_test(tc, list_empty);
	tcase_add_test(tc, list_entries_read);
	tcase_add_test(tc, list_retried_while_it_grows);
	tcase_add_test(tc, list_that_keeps_growing);
	tcase_add_test(tc, list_too_long);
	tcase_add_test(tc, list_errors);
	tcase_add_test(tc, list_retried_after_signal);
	return tc;
}

int main(void)
{
	return run_suite("libhyperdmabuf descriptions", query_tcase(),
			 list_tcase(), NULL);
}
