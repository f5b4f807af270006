// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hyper-dmabuf wait: wait until the timeline of an export reaches a value,
 * blocking in the module or polling a sync_file, and print the value it
 * reached.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <hyperdmabuf.h>

#include "output.h"
#include "tools-common.h"

struct wait_opts {
	struct hdmabuf_id id;
	uint64_t value;
	int timeout_ms;		/* -1: no limit */
	bool sync_file;
};

enum {
	OPT_TIMEOUT = 0x200,
	OPT_SYNC_FILE,
};

static void parse_wait_options(const struct tool_cmd *cmd,
			       struct tool_opts *opts, struct wait_opts *wo,
			       int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "sync-file", no_argument, NULL, OPT_SYNC_FILE },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const names[] = { "ID", "VALUE", NULL };
	char **args;
	int opt;

	while ((opt = getopt_long(argc, argv, CMD_SHORTOPTS, longopts,
				  NULL)) != -1) {
		switch (opt) {
		case OPT_TIMEOUT:
			wo->timeout_ms = (int)parse_number(cmd, "--timeout",
							   optarg, 0, INT_MAX);
			break;
		case OPT_SYNC_FILE:
			wo->sync_file = true;
			break;
		default:
			handle_common_opt(cmd, opts, opt, argv);
		}
	}

	args = parse_arguments(cmd, argc, argv, names);
	parse_id(cmd, args[0], &wo->id);
	wo->value = parse_number(cmd, "VALUE", args[1], 0, UINT64_MAX);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Polls fd until readable or timeout_ms (-1: no limit) passed, a signal
 * or not: 1 readable, 0 timed out, -1 with errno.
 */
static int poll_readable(int fd, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms, left;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int ret;

	for (;;) {
		left = deadline - now_ms();
		ret = poll(&pfd, 1, timeout_ms < 0 ? -1 : left < 0 ? 0 : (int)left);
		if (ret >= 0)
			return ret > 0;
		if (errno != EINTR)
			return -1;
	}
}

/*
 * The sync_file way: poll the fence, then read the timeline, which also
 * tells a fence that signalled because the export went away (ENOENT) from
 * one that reached the value. 0, or -1 with errno as hdmabuf_ctx_wait().
 */
static int wait_sync_file(struct hdmabuf_ctx *ctx, const struct wait_opts *wo,
			  uint64_t *current)
{
	int fd, ready;

	fd = hdmabuf_ctx_wait_sync_file(ctx, &wo->id, wo->value);
	if (fd < 0)
		return -1;
	ready = poll_readable(fd, wo->timeout_ms);
	if (ready < 0) {
		int saved_errno = errno;

		close(fd);
		errno = saved_errno;
		return -1;
	}
	close(fd);
	return hdmabuf_ctx_wait(ctx, &wo->id, wo->value, 0, current);
}

static void print_wait(const struct wait_opts *wo, uint64_t current)
{
	char text[HDMABUF_ID_STRLEN];

	hdmabuf_id_format(&wo->id, text, sizeof(text));
	out_str("id", NULL, text);
	out_uint("value", NULL, wo->value);
	out_value_uint("current_value", current);
}

static int run_wait(const struct tool_cmd *cmd, struct tool_opts *opts,
		    int argc, char **argv)
{
	struct wait_opts wo = { .timeout_ms = -1 };
	struct op_subject subj = { .id = &wo.id };
	struct hdmabuf_ctx *ctx;
	uint64_t current = 0;
	int ret;

	parse_wait_options(cmd, opts, &wo, argc, argv);
	subj.device = opts->device;
	subj.peer = wo.id.domid;
	subj.value = wo.value;

	ctx = open_device(opts->device);
	if (!ctx)
		return EXIT_FAILURE;
	if (wo.sync_file)
		ret = wait_sync_file(ctx, &wo, &current);
	else
		ret = hdmabuf_ctx_wait(ctx, &wo.id, wo.value, wo.timeout_ms,
				       &current);
	if (ret) {
		subj.current = current;
		report_error(OP_WAIT, errno, &subj);
	}
	hdmabuf_ctx_close(ctx);
	if (ret)
		return EXIT_FAILURE;

	out_begin(opts->json);
	print_wait(&wo, current);
	out_end();
	return EXIT_SUCCESS;
}

const struct tool_cmd cmd_wait = {
	.name = "wait",
	.summary = "Wait until the timeline of a buffer reaches a value",
	.usage = "[OPTIONS] ID VALUE",
	.options_help =
		"      --timeout MS   give up after MS milliseconds (default: no\n"
		"                     limit; 0 only looks)\n"
		"      --sync-file    wait on a sync_file of the module instead of\n"
		"                     in it\n",
	.run = run_wait,
};
