/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Where two domains' modules meet in xenstore, defined once for the module
 * (kernel/xen/channel.c and discovery.c) and the link tool (tools/xenlink.c);
 * docs/protocol.md tells the whole handshake.
 *
 * Each domain's peer directory, HDMABUF_XS_PEERS(domid), has one entry per
 * peer. The channel between dom0 and a domU is the domU's entry for 0;
 * after `link A B` (A < B) it is A's entry for B, and B's entry for A
 * holds that entry's path. In the channel each side, lo (the lower domain
 * id) and hi, writes its ring's grant, a generation new at each start of
 * its side and its XenbusState; lo also writes the event channel.
 */
#ifndef HDMABUF_XENSTORE_KEYS_H
#define HDMABUF_XENSTORE_KEYS_H

/*
 * printf formats: a domain id, then (CHANNEL) the peer's. DATA is the
 * domain's own data directory, where its peer directory lives.
 */
#define HDMABUF_XS_DATA		"/local/domain/%u/data"
#define HDMABUF_XS_PEERS	HDMABUF_XS_DATA "/hyper_dmabuf/peer"
#define HDMABUF_XS_CHANNEL	HDMABUF_XS_PEERS "/%u"

/* the sides, and each side's keys: side name + key suffix */
#define HDMABUF_XS_LO		"lo"
#define HDMABUF_XS_HI		"hi"
#define HDMABUF_XS_RING_REF	"-ring-ref"
#define HDMABUF_XS_GEN		"-gen"
#define HDMABUF_XS_STATE	"-state"

/* lo's alone: the port it allocated for hi to bind */
#define HDMABUF_XS_EVTCHN	"event-channel"

#endif /* HDMABUF_XENSTORE_KEYS_H */
