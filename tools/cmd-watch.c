// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hyper-dmabuf watch: print the events of this domain's exports, imports
 * and peers as they come, one line each, until a count or a quiet spell
 * ends the watch.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include <hyperdmabuf.h>

#include "output.h"
#include "tools-common.h"

/* the number of a type this tool does not name */
#define TYPE_STRLEN	11

struct watch_opts {
	unsigned int count;	/* 0: no limit */
	int timeout_ms;		/* -1: no limit */
};

enum {
	OPT_COUNT = 0x200,
	OPT_TIMEOUT,
};

static void parse_watch_options(const struct tool_cmd *cmd,
				struct tool_opts *opts, struct watch_opts *wo,
				int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ "count", required_argument, NULL, OPT_COUNT },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ NULL, 0, NULL, 0 }
	};
	int opt;

	while ((opt = getopt_long(argc, argv, CMD_SHORTOPTS, longopts,
				  NULL)) != -1) {
		switch (opt) {
		case OPT_COUNT:
			wo->count = (unsigned int)parse_number(cmd, "--count",
							       optarg, 1,
							       UINT_MAX);
			break;
		case OPT_TIMEOUT:
			wo->timeout_ms = (int)parse_number(cmd, "--timeout",
							   optarg, 0, INT_MAX);
			break;
		default:
			handle_common_opt(cmd, opts, opt, argv);
		}
	}

	if (optind < argc)
		die_usage(cmd, "unexpected argument '%s'", argv[optind]);
}

/*
 * One line: the type, then what it concerns. The value is printed in text
 * where it means something: lost events, a timeline's new value.
 */
static void print_event(const struct hdmabuf_event *ev, bool json)
{
	enum hdmabuf_event_type type = hdmabuf_event_get_type(ev);
	const char *name = hdmabuf_event_type_name(type);
	char id[HDMABUF_ID_STRLEN], number[TYPE_STRLEN];

	if (!name) {
		snprintf(number, sizeof(number), "%u", (unsigned int)type);
		name = number;
	}
	out_begin_line(json);
	out_value("type", name);
	if (type == HDMABUF_EVENT_OVERFLOW) {
		out_null("id", NULL);
		out_null("peer", NULL);
		out_uint("value", "lost", hdmabuf_event_get_value(ev));
	} else {
		/* a peer that comes or goes concerns no export */
		if (type == HDMABUF_EVENT_PEER_UP ||
		    type == HDMABUF_EVENT_PEER_DOWN) {
			out_null("id", NULL);
		} else {
			hdmabuf_id_format(hdmabuf_event_get_id(ev), id,
					  sizeof(id));
			out_str("id", "id", id);
		}
		out_domid("peer", "peer", hdmabuf_event_get_peer(ev));
		out_uint("value", type == HDMABUF_EVENT_SIGNALLED ||
			 name == number ? "value" : NULL,
			 hdmabuf_event_get_value(ev));
	}
	out_uint("timestamp_ns", NULL, hdmabuf_event_get_timestamp_ns(ev));
	out_end();
}

static int run_watch(const struct tool_cmd *cmd, struct tool_opts *opts,
		     int argc, char **argv)
{
	struct watch_opts wo = { .timeout_ms = -1 };
	struct op_subject subj = { 0 };
	struct hdmabuf_event *ev;
	struct hdmabuf_ctx *ctx;
	int ret = EXIT_SUCCESS;
	unsigned int seen;

	parse_watch_options(cmd, opts, &wo, argc, argv);
	subj.device = opts->device;

	ctx = open_device(opts->device);
	if (!ctx)
		return EXIT_FAILURE;
	for (seen = 0; !wo.count || seen < wo.count; seen++) {
		ev = hdmabuf_ctx_read_event(ctx, wo.timeout_ms);
		if (!ev && errno == ETIMEDOUT)
			break;
		if (!ev) {
			report_error(OP_EVENTS, errno, &subj);
			ret = EXIT_FAILURE;
			goto out;
		}
		print_event(ev, opts->json);
		hdmabuf_event_free(ev);
		/* nobody reads on: main() says so */
		if (ferror(stdout))
			goto out;
	}
	/* a quiet spell ends a watch; before the count, the watch failed */
	if (wo.count && seen < wo.count) {
		print_error("timed out after %u of %u events", seen, wo.count);
		ret = EXIT_FAILURE;
	}

out:
	hdmabuf_ctx_close(ctx);
	return ret;
}

const struct tool_cmd cmd_watch = {
	.name = "watch",
	.summary = "Print the events of this domain's buffers and peers as they come",
	.usage = "[OPTIONS]",
	.options_help =
		"      --count N      stop after N events\n"
		"      --timeout MS   stop when MS milliseconds pass without an\n"
		"                     event\n",
	.run = run_watch,
};
