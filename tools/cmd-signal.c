// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hyper-dmabuf signal: move the timeline of an export forward, waking
 * whoever waits for the value.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include <hyperdmabuf.h>

#include "output.h"
#include "tools-common.h"

static void parse_signal_options(const struct tool_cmd *cmd,
				 struct tool_opts *opts, struct hdmabuf_id *id,
				 uint64_t *value, int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	static const char *const names[] = { "ID", "VALUE", NULL };
	char **args;
	int opt;

	while ((opt = getopt_long(argc, argv, CMD_SHORTOPTS, longopts,
				  NULL)) != -1)
		handle_common_opt(cmd, opts, opt, argv);

	args = parse_arguments(cmd, argc, argv, names);
	parse_id(cmd, args[0], id);
	/* 0 is never above a timeline, which starts at 0 */
	*value = parse_number(cmd, "VALUE", args[1], 1, UINT64_MAX);
}

/* Silent in text, like unexport; JSON says what was done. */
static void print_signal(const struct hdmabuf_id *id, uint64_t value)
{
	char text[HDMABUF_ID_STRLEN];

	hdmabuf_id_format(id, text, sizeof(text));
	out_str("id", NULL, text);
	out_uint("value", NULL, value);
}

static int run_signal(const struct tool_cmd *cmd, struct tool_opts *opts,
		      int argc, char **argv)
{
	struct hdmabuf_id id;
	struct op_subject subj = { .id = &id };
	struct hdmabuf_ctx *ctx;
	uint64_t value;
	int ret;

	parse_signal_options(cmd, opts, &id, &value, argc, argv);
	subj.device = opts->device;
	subj.peer = id.domid;
	subj.value = value;

	ctx = open_device(opts->device);
	if (!ctx)
		return EXIT_FAILURE;
	ret = hdmabuf_ctx_signal(ctx, &id, value);
	if (ret)
		report_error(OP_SIGNAL, errno, &subj);
	hdmabuf_ctx_close(ctx);
	if (ret)
		return EXIT_FAILURE;

	out_begin(opts->json);
	print_signal(&id, value);
	out_end();
	return EXIT_SUCCESS;
}

const struct tool_cmd cmd_signal = {
	.name = "signal",
	.summary = "Move the timeline of a buffer forward to a value",
	.usage = "[OPTIONS] ID VALUE",
	.run = run_signal,
};
