// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hyper-dmabuf info: describe one export or import of this domain by its
 * id: role, state, peer, size, importers, flags and timeline.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include <hyperdmabuf.h>

#include "output.h"
#include "tools-common.h"

static void parse_info_options(const struct tool_cmd *cmd,
			       struct tool_opts *opts, struct hdmabuf_id *id,
			       int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	int opt;

	while ((opt = getopt_long(argc, argv, CMD_SHORTOPTS, longopts,
				  NULL)) != -1)
		handle_common_opt(cmd, opts, opt, argv);

	parse_id(cmd, parse_one_argument(cmd, argc, argv, "ID"), id);
}

/* Also a row of list's table: the labels are its column headers. */
void print_buffer(const struct hdmabuf_info *info)
{
	unsigned int flags = hdmabuf_info_get_flags(info);
	char id[HDMABUF_ID_STRLEN];

	hdmabuf_id_format(hdmabuf_info_get_id(info), id, sizeof(id));
	out_str("id", "id", id);
	out_str("role", "role", hdmabuf_role_name(hdmabuf_info_get_role(info)));
	out_str("state", "state",
		hdmabuf_state_name(hdmabuf_info_get_state(info)));
	out_domid("peer", "peer", hdmabuf_info_get_peer(info));
	out_uint("size", "size", hdmabuf_info_get_size(info));
	/* only an export has importers; the module says 0 for an import */
	if (hdmabuf_info_get_role(info) == HDMABUF_ROLE_EXPORT)
		out_uint("importers", "importers",
			 hdmabuf_info_get_importers(info));
	else
		out_null("importers", "importers");
	out_bool("read_write", "read-write", flags & HDMABUF_EXPORT_RW);
	out_bool("persistent", "persistent", flags & HDMABUF_EXPORT_PERSISTENT);
}

static int run_info(const struct tool_cmd *cmd, struct tool_opts *opts,
		    int argc, char **argv)
{
	struct hdmabuf_id id;
	struct op_subject subj = { .id = &id };
	struct hdmabuf_info *info;
	struct hdmabuf_ctx *ctx;
	uint64_t timeline;

	parse_info_options(cmd, opts, &id, argc, argv);
	subj.device = opts->device;
	subj.peer = id.domid;

	ctx = open_device(opts->device);
	if (!ctx)
		return EXIT_FAILURE;
	info = hdmabuf_ctx_query(ctx, &id);
	if (!info) {
		report_error(OP_QUERY, errno, &subj);
		hdmabuf_ctx_close(ctx);
		return EXIT_FAILURE;
	}

	out_begin(opts->json);
	print_buffer(info);
	/*
	 * Waiting for 0 without a timeout reads the timeline; a module that
	 * keeps no timeline for this id (an import from another domain)
	 * says ENOENT, which is no failure here.
	 */
	if (hdmabuf_ctx_wait(ctx, &id, 0, 0, &timeline) == 0)
		out_uint("timeline", "timeline", timeline);
	else
		out_null("timeline", "timeline");
	out_end();

	hdmabuf_info_free(info);
	hdmabuf_ctx_close(ctx);
	return EXIT_SUCCESS;
}

const struct tool_cmd cmd_info = {
	.name = "info",
	.summary = "Describe one buffer this domain exports or imports",
	.usage = "[OPTIONS] ID",
	.run = run_info,
};
