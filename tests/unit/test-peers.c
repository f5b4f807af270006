// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tests of the peers in libhyperdmabuf: PEERS, what the library passes
 * and what it makes of the answers the shim gives (ioctl-shim.h).
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>

#include "ioctl-shim.h"
#include "lib-test.h"

#define ENTRIES_PTR	offsetof(struct hyper_dmabuf_peers, entries)
#define PEERS_MAX	32768	/* the most the module writes */

/*
 * Entry i of a table: self first, by loopback; then domains i * 2 by
 * transport, connecting and up in turn, each count telling i apart.
 */
static void peer_entry(unsigned int i, __u32 transport,
		       struct hyper_dmabuf_peer *peer)
{
	*peer = (struct hyper_dmabuf_peer){
		.domid = i ? i * 2 : HYPER_DMABUF_DOMID_SELF,
		.transport = i ? transport : HYPER_DMABUF_TRANSPORT_LOOPBACK,
		.state = i % 2 ? HYPER_DMABUF_PEER_CONNECTING
			       : HYPER_DMABUF_PEER_UP,
		.sent = (__u64)i * 1000 + 1,
		.received = (__u64)i * 1000 + 2,
		.dropped = i,
	};
}

/* count entries of peer_entry(), never freed: the test is short */
static struct hyper_dmabuf_peer *peer_entries(unsigned int count,
					      __u32 transport)
{
	struct hyper_dmabuf_peer *entries = calloc(count, sizeof(*entries));
	unsigned int i;

	ck_assert_ptr_nonnull(entries);
	for (i = 0; i < count; i++)
		peer_entry(i, transport, &entries[i]);
	return entries;
}

/* A PEERS that says it has count entries and writes written of them. */
static void reply_peers(__u32 count, const struct hyper_dmabuf_peer *entries,
			unsigned int written)
{
	struct hyper_dmabuf_peers reply = { .count = count };

	shim_reply_out(&reply, sizeof(reply), ENTRIES_PTR, entries,
		       written * sizeof(*entries));
}

/* Entry i of a list is what peer_entry(i) made. */
static void check_peer_entry(const struct hdmabuf_peer_list *list,
			     unsigned int i)
{
	const struct hdmabuf_peer *peer = hdmabuf_peer_list_get(list, i);
	struct hyper_dmabuf_peer want;

	ck_assert_ptr_nonnull(peer);
	peer_entry(i, 0, &want);
	ck_assert_uint_eq(hdmabuf_peer_get_domid(peer), want.domid);
	ck_assert_int_eq(hdmabuf_peer_get_state(peer), want.state);
	ck_assert(hdmabuf_peer_get_sent(peer) == want.sent);
	ck_assert(hdmabuf_peer_get_received(peer) == want.received);
	ck_assert(hdmabuf_peer_get_dropped(peer) == want.dropped);
}

START_TEST(peers_request)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	const struct hyper_dmabuf_peers *in;
	const struct hdmabuf_peer *peer;
	struct hdmabuf_peer_list *list;
	unsigned int i;

	reply_peers(4, peer_entries(4, HYPER_DMABUF_TRANSPORT_XEN), 4);
	list = hdmabuf_ctx_peers(ctx);
	ck_assert_ptr_nonnull(list);
	ck_assert_int_eq(shim_calls(), 1);
	in = shim_last_arg();
	ck_assert(shim_last()->request == HYPER_DMABUF_IOCTL_PEERS);
	ck_assert(in->entries != 0);
	ck_assert_uint_ge(in->capacity, 4);
	ck_assert_uint_eq(in->count, 0);
	ck_assert_uint_eq(in->flags, 0);
	ck_assert_uint_eq(in->reserved0, 0);
	ck_assert(ZEROED(in->reserved));
	/* the list does not depend on the context */
	hdmabuf_ctx_close(ctx);
	ck_assert_uint_eq(hdmabuf_peer_list_get_count(list), 4);
	for (i = 0; i < 4; i++)
		check_peer_entry(list, i);

	peer = hdmabuf_peer_list_get(list, 0);
	ck_assert_uint_eq(hdmabuf_peer_get_domid(peer), HDMABUF_DOMID_SELF);
	ck_assert_int_eq(hdmabuf_peer_get_transport(peer),
			 HDMABUF_TRANSPORT_LOOPBACK);
	ck_assert_int_eq(hdmabuf_peer_get_state(peer), HDMABUF_PEER_UP);
	peer = hdmabuf_peer_list_get(list, 1);
	ck_assert_uint_eq(hdmabuf_peer_get_domid(peer), 2);
	/* the module's transport bit becomes the library's enum */
	ck_assert_int_eq(hdmabuf_peer_get_transport(peer),
			 HDMABUF_TRANSPORT_XEN);
	ck_assert_int_eq(hdmabuf_peer_get_state(peer), HDMABUF_PEER_CONNECTING);
	ck_assert(hdmabuf_peer_get_sent(peer) == 1001);
	ck_assert(hdmabuf_peer_get_received(peer) == 1002);
	ck_assert(hdmabuf_peer_get_dropped(peer) == 1);

	ASSERT_FAILS_WITH(!hdmabuf_peer_list_get(list, 4), EINVAL);
	hdmabuf_peer_list_free(list);
}
END_TEST

/* A newer module may name transports and states this library does not know. */
START_TEST(peers_unknown_transport_and_state)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	const struct hdmabuf_peer *peer;
	struct hdmabuf_peer_list *list;

	reply_peers(2, peer_entries(2, 1U << 5), 2);
	list = hdmabuf_ctx_peers(ctx);
	ck_assert_ptr_nonnull(list);
	peer = hdmabuf_peer_list_get(list, 1);
	ck_assert_int_eq(hdmabuf_peer_get_transport(peer), 0);
	ck_assert_ptr_null(hdmabuf_transport_name(
		hdmabuf_peer_get_transport(peer)));
	ck_assert_ptr_null(hdmabuf_peer_state_name(
		(enum hdmabuf_peer_state)7));
	hdmabuf_peer_list_free(list);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(peers_none)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	struct hdmabuf_peer_list *list;

	list = hdmabuf_ctx_peers(ctx);
	ck_assert_ptr_nonnull(list);
	ck_assert_uint_eq(hdmabuf_peer_list_get_count(list), 0);
	ASSERT_FAILS_WITH(!hdmabuf_peer_list_get(list, 0), EINVAL);
	hdmabuf_peer_list_free(list);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/*
 * The module writes PEERS_MAX entries at most: more cannot be read. As
 * many is fine, read again with room for all; how the table is read
 * again while it grows is hdmabuf_read_list()'s, tested through LIST
 * (test-info.c).
 */
START_TEST(peers_too_many)
{
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	struct hdmabuf_peer_list *list;

	reply_peers(PEERS_MAX + 1, NULL, 0);
	ASSERT_FAILS_WITH(!hdmabuf_ctx_peers(ctx), EOVERFLOW);
	ck_assert_int_eq(shim_calls(), 1);

	/* as many as that is fine: read in the second call */
	reply_peers(PEERS_MAX, NULL, 0);
	reply_peers(PEERS_MAX, peer_entries(PEERS_MAX, 0), PEERS_MAX);
	list = hdmabuf_ctx_peers(ctx);
	ck_assert_ptr_nonnull(list);
	ck_assert_int_eq(shim_calls(), 3);
	ck_assert_uint_eq(SHIM_ARG(2, hyper_dmabuf_peers)->capacity, PEERS_MAX);
	ck_assert_uint_eq(hdmabuf_peer_list_get_count(list), PEERS_MAX);
	check_peer_entry(list, PEERS_MAX - 1);
	hdmabuf_peer_list_free(list);
	hdmabuf_ctx_close(ctx);
}
END_TEST

static bool peers_fail(struct hdmabuf_ctx *ctx)
{
	struct hdmabuf_peer_list *list = hdmabuf_ctx_peers(ctx);

	hdmabuf_peer_list_free(list);
	return !list;
}

START_TEST(peers_errors)
{
	ASSERT_ERRORS_PASS(peers_fail, EINVAL, EFAULT, ENOMEM, ENOTTY);
}
END_TEST

START_TEST(peers_retried_after_signal)
{
	assert_retried_after_eintr(peers_fail, 1);
}
END_TEST

START_TEST(free_null)
{
	hdmabuf_peer_list_free(NULL);
}
END_TEST

static TCase *peers_tcase(void)
{
	TCase *tc = shim_tcase("peers");

	tcase_add_test(tc, peers_request);
	tcase_add_test(tc, peers_unknown_transport_and_state);
	tcase_add_test(tc, peers_none);
	tcase_add_test(tc, peers_too_many);
	tcase_add_test(tc, peers_errors);
	tcase_add_test(tc, peers_retried_after_signal);
	tcase_add_test(tc, free_null);
	return tc;
}

int main(void)
{
	return run_suite("libhyperdmabuf peers", peers_tcase(), NULL);
}
