// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * The peers of this domain: a snapshot of HYPER_DMABUF_IOCTL_PEERS, the
 * domains it can share with and the message counts of their channels.
 */
#include <assert.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "internal.h"

/* The public enum mirrors the uAPI numbering, so values pass unchanged. */
_Static_assert(HDMABUF_PEER_CONNECTING == HYPER_DMABUF_PEER_CONNECTING &&
	       HDMABUF_PEER_UP == HYPER_DMABUF_PEER_UP,
	       "enum hdmabuf_peer_state must match HYPER_DMABUF_PEER_*");

/* The most entries the module writes in one PEERS. */
#define PEERS_MAX	32768

struct hdmabuf_peer {
	uint32_t domid;
	uint32_t transport;	/* enum hdmabuf_transport, not the uAPI's bit */
	uint32_t state;
	uint64_t sent;
	uint64_t received;
	uint64_t dropped;
};

struct hdmabuf_peer_list {
	size_t count;
	struct hdmabuf_peer entries[];
};

/* made by hdmabuf_read_list(), which writes the count first */
_Static_assert(offsetof(struct hdmabuf_peer_list, count) == 0, "count first");

/* One PEERS, into entries. */
static int peers_call(struct hdmabuf_ctx *ctx, void *entries,
		      uint32_t capacity, uint32_t *count)
{
	/* flags and every reserved field go in as zero */
	struct hyper_dmabuf_peers req = {
		.entries = (uintptr_t)entries,
		.capacity = capacity,
	};

	if (hdmabuf_ctx_ioctl(ctx, HYPER_DMABUF_IOCTL_PEERS, &req))
		return -1;
	*count = req.count;
	return 0;
}

static void peer_entry(const void *uapi, void *entry)
{
	const struct hyper_dmabuf_peer *from = uapi;
	struct hdmabuf_peer *peer = entry;

	peer->domid = from->domid;
	peer->transport = hdmabuf_transport_from_bit(from->transport);
	peer->state = from->state;
	peer->sent = from->sent;
	peer->received = from->received;
	peer->dropped = from->dropped;
}

HDMABUF_API struct hdmabuf_peer_list *
hdmabuf_ctx_peers(struct hdmabuf_ctx *ctx)
{
	assert(ctx);

	return hdmabuf_read_list(ctx, peers_call,
				 sizeof(struct hyper_dmabuf_peer), PEERS_MAX,
				 offsetof(struct hdmabuf_peer_list, entries),
				 sizeof(struct hdmabuf_peer), peer_entry);
}

HDMABUF_API void hdmabuf_peer_list_free(struct hdmabuf_peer_list *list)
{
	free(list);
}

HDMABUF_API size_t
hdmabuf_peer_list_get_count(const struct hdmabuf_peer_list *list)
{
	assert(list);

	return list->count;
}

HDMABUF_API const struct hdmabuf_peer *
hdmabuf_peer_list_get(const struct hdmabuf_peer_list *list, size_t index)
{
	assert(list);

	return hdmabuf_list_at(list->entries, list->count,
			       sizeof(list->entries[0]), index);
}

HDMABUF_API uint32_t hdmabuf_peer_get_domid(const struct hdmabuf_peer *peer)
{
	assert(peer);

	return peer->domid;
}

HDMABUF_API enum hdmabuf_transport
hdmabuf_peer_get_transport(const struct hdmabuf_peer *peer)
{
	assert(peer);

	return (enum hdmabuf_transport)peer->transport;
}

HDMABUF_API enum hdmabuf_peer_state
hdmabuf_peer_get_state(const struct hdmabuf_peer *peer)
{
	assert(peer);

	return (enum hdmabuf_peer_state)peer->state;
}

HDMABUF_API uint64_t hdmabuf_peer_get_sent(const struct hdmabuf_peer *peer)
{
	assert(peer);

	return peer->sent;
}

HDMABUF_API uint64_t
hdmabuf_peer_get_received(const struct hdmabuf_peer *peer)
{
	assert(peer);

	return peer->received;
}

HDMABUF_API uint64_t hdmabuf_peer_get_dropped(const struct hdmabuf_peer *peer)
{
	assert(peer);

	return peer->dropped;
}
