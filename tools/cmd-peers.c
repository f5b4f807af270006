// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hyper-dmabuf peers: the domains this one can share with, one a row: the
 * transport that reaches each, the state of its channel and the messages
 * that went over it.
 */
#include <errno.h>
#include <stdlib.h>

#include <hyperdmabuf.h>

#include "output.h"
#include "tools-common.h"

/* the uAPI version that brought PEERS */
#define PEERS_API	3

/* A row of the table: the labels are its column headers. */
static void print_peer(const struct hdmabuf_peer *peer)
{
	out_domid("domid", "domain", hdmabuf_peer_get_domid(peer));
	out_str("transport", "transport",
		hdmabuf_transport_name(hdmabuf_peer_get_transport(peer)));
	out_str("state", "state",
		hdmabuf_peer_state_name(hdmabuf_peer_get_state(peer)));
	out_uint("sent", "sent", hdmabuf_peer_get_sent(peer));
	out_uint("received", "received", hdmabuf_peer_get_received(peer));
	out_uint("dropped", "dropped", hdmabuf_peer_get_dropped(peer));
}

static int run_peers(const struct tool_cmd *cmd, struct tool_opts *opts,
		     int argc, char **argv)
{
	struct op_subject subj = { 0 };
	struct hdmabuf_peer_list *list;
	struct hdmabuf_ctx *ctx;
	size_t i, n;

	parse_no_options(cmd, opts, argc, argv);
	subj.device = opts->device;

	ctx = open_device(opts->device);
	if (!ctx)
		return EXIT_FAILURE;
	list = hdmabuf_ctx_peers(ctx);
	if (!list)
		report_new_call_error(ctx, PEERS_API, OP_PEERS, errno, &subj);
	hdmabuf_ctx_close(ctx);
	if (!list)
		return EXIT_FAILURE;

	n = hdmabuf_peer_list_get_count(list);
	out_table_begin(opts->json);
	for (i = 0; i < n; i++) {
		out_row_begin();
		print_peer(hdmabuf_peer_list_get(list, i));
		out_row_end();
	}
	out_table_end();

	hdmabuf_peer_list_free(list);
	return EXIT_SUCCESS;
}

const struct tool_cmd cmd_peers = {
	.name = "peers",
	.summary = "List the domains this domain can share with",
	.run = run_peers,
};
