// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hyper-dmabuf revoke: take a buffer back from its importers: it goes off
 * offer and every import of it is cut off. Prints how many importers had
 * not let go when the wait ended.
 */
#include <errno.h>
#include <stdlib.h>

#include <hyperdmabuf.h>

#include "output.h"
#include "tools-common.h"

enum {
	OPT_TIMEOUT = 0x200,
};

static void parse_revoke_options(const struct tool_cmd *cmd,
				 struct tool_opts *opts, struct hdmabuf_id *id,
				 unsigned int *timeout_ms, int argc,
				 char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ NULL, 0, NULL, 0 }
	};
	int opt;

	while ((opt = getopt_long(argc, argv, CMD_SHORTOPTS, longopts,
				  NULL)) != -1) {
		switch (opt) {
		case OPT_TIMEOUT:
			*timeout_ms = parse_number(cmd, "--timeout", optarg, 0,
						   HDMABUF_REVOKE_TIMEOUT_MAX);
			break;
		default:
			handle_common_opt(cmd, opts, opt, argv);
		}
	}

	parse_id(cmd, parse_one_argument(cmd, argc, argv, "ID"), id);
}

static void print_revoke(const struct hdmabuf_id *id, unsigned int timeout_ms,
			 unsigned int remaining)
{
	char text[HDMABUF_ID_STRLEN];

	hdmabuf_id_format(id, text, sizeof(text));
	out_str("id", "id", text);
	out_int("timeout_ms", NULL, timeout_ms);
	out_int("remaining", "remaining", remaining);
}

/*
 * Importers still there are no failure: the revocation stands, they only
 * keep the pages. Said on stderr, so that it is seen but not parsed.
 */
static void note_remaining(unsigned int timeout_ms, unsigned int remaining)
{
	if (remaining == 1)
		print_error("1 importer did not let go within %u ms: it is cut off from the buffer, and the pages return when it lets go",
			    timeout_ms);
	else if (remaining)
		print_error("%u importers did not let go within %u ms: they are cut off from the buffer, and the pages return when they let go",
			    remaining, timeout_ms);
}

static int run_revoke(const struct tool_cmd *cmd, struct tool_opts *opts,
		      int argc, char **argv)
{
	struct hdmabuf_id id;
	struct op_subject subj = { .id = &id };
	unsigned int timeout_ms = 0, remaining = 0;
	struct hdmabuf_ctx *ctx;
	int ret;

	parse_revoke_options(cmd, opts, &id, &timeout_ms, argc, argv);
	subj.device = opts->device;
	subj.peer = id.domid;

	ctx = open_device(opts->device);
	if (!ctx)
		return EXIT_FAILURE;
	ret = hdmabuf_ctx_revoke(ctx, &id, timeout_ms, &remaining);
	if (ret)
		report_error(OP_REVOKE, errno, &subj);
	hdmabuf_ctx_close(ctx);
	if (ret)
		return EXIT_FAILURE;

	out_begin(opts->json);
	print_revoke(&id, timeout_ms, remaining);
	out_end();
	note_remaining(timeout_ms, remaining);
	return EXIT_SUCCESS;
}

const struct tool_cmd cmd_revoke = {
	.name = "revoke",
	.summary = "Take a buffer back from its importers, cutting them off",
	.usage = "[OPTIONS] ID",
	.options_help =
		"      --timeout MS   wait up to MS milliseconds for the importers\n"
		"                     to let go (at most 60000; default 0)\n",
	.run = run_revoke,
};
