// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hyper-dmabuf list: every export and import of this domain, one a row.
 */
#include <errno.h>
#include <stdlib.h>

#include <hyperdmabuf.h>

#include "output.h"
#include "tools-common.h"

static int run_list(const struct tool_cmd *cmd, struct tool_opts *opts,
		    int argc, char **argv)
{
	struct op_subject subj = { 0 };
	struct hdmabuf_info_list *list;
	struct hdmabuf_ctx *ctx;
	size_t i, n;

	parse_no_options(cmd, opts, argc, argv);
	subj.device = opts->device;

	ctx = open_device(opts->device);
	if (!ctx)
		return EXIT_FAILURE;
	list = hdmabuf_ctx_list(ctx);
	if (!list)
		report_error(OP_LIST, errno, &subj);
	hdmabuf_ctx_close(ctx);
	if (!list)
		return EXIT_FAILURE;

	n = hdmabuf_info_list_get_count(list);
	out_table_begin(opts->json);
	for (i = 0; i < n; i++) {
		out_row_begin();
		print_buffer(hdmabuf_info_list_get(list, i));
		out_row_end();
	}
	out_table_end();

	hdmabuf_info_list_free(list);
	return EXIT_SUCCESS;
}

const struct tool_cmd cmd_list = {
	.name = "list",
	.summary = "List the buffers this domain exports and imports",
	.run = run_list,
};
