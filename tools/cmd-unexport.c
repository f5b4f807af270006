// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hyper-dmabuf unexport: take a shared buffer off offer, now or after a
 * delay. Buffers already imported stay valid.
 */
#include <errno.h>
#include <stdlib.h>

#include <hyperdmabuf.h>

#include "output.h"
#include "tools-common.h"

enum {
	OPT_DELAY = 0x200,
};

static void parse_unexport_options(const struct tool_cmd *cmd,
				   struct tool_opts *opts,
				   struct hdmabuf_id *id,
				   unsigned int *delay_ms, int argc,
				   char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ "delay", required_argument, NULL, OPT_DELAY },
		{ NULL, 0, NULL, 0 }
	};
	int opt;

	while ((opt = getopt_long(argc, argv, CMD_SHORTOPTS, longopts,
				  NULL)) != -1) {
		switch (opt) {
		case OPT_DELAY:
			*delay_ms = parse_number(cmd, "--delay", optarg, 0,
						 HDMABUF_UNEXPORT_DELAY_MAX);
			break;
		default:
			handle_common_opt(cmd, opts, opt, argv);
		}
	}

	parse_id(cmd, parse_one_argument(cmd, argc, argv, "ID"), id);
}

/* Silent in text, like rm; JSON says what was done. */
static void print_unexport(const struct hdmabuf_id *id, unsigned int delay_ms)
{
	char text[HDMABUF_ID_STRLEN];

	hdmabuf_id_format(id, text, sizeof(text));
	out_str("id", NULL, text);
	out_int("delay_ms", NULL, delay_ms);
}

static int run_unexport(const struct tool_cmd *cmd, struct tool_opts *opts,
			int argc, char **argv)
{
	struct hdmabuf_id id;
	struct op_subject subj = { .id = &id };
	struct hdmabuf_ctx *ctx;
	unsigned int delay_ms = 0;
	int ret;

	parse_unexport_options(cmd, opts, &id, &delay_ms, argc, argv);
	subj.device = opts->device;
	subj.peer = id.domid;

	ctx = open_device(opts->device);
	if (!ctx)
		return EXIT_FAILURE;
	ret = hdmabuf_ctx_unexport(ctx, &id, delay_ms);
	if (ret)
		report_error(OP_UNEXPORT, errno, &subj);
	hdmabuf_ctx_close(ctx);
	if (ret)
		return EXIT_FAILURE;

	out_begin(opts->json);
	print_unexport(&id, delay_ms);
	out_end();
	return EXIT_SUCCESS;
}

const struct tool_cmd cmd_unexport = {
	.name = "unexport",
	.summary = "Take a shared buffer off offer; imports stay valid",
	.usage = "[OPTIONS] ID",
	.options_help =
		"      --delay MS     keep offering it MS milliseconds more first\n"
		"                     (at most 60000; default 0)\n",
	.run = run_unexport,
};
