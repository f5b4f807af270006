// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the commands of hyper-dmabuf share.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hyperdmabuf.h>

#include "tools-common.h"

static void vprint_error(const char *fmt, va_list ap)
{
	fprintf(stderr, PROGNAME ": ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void print_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint_error(fmt, ap);
	va_end(ap);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint_error(fmt, ap);
	va_end(ap);
	exit(EXIT_FAILURE);
}

void die_usage(const struct tool_cmd *cmd, const char *fmt, ...)
{
	const char *name = cmd ? cmd->name : NULL;
	va_list ap;

	fprintf(stderr, PROGNAME ": %s%s", name ? name : "", name ? ": " : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '" PROGNAME " %s%s--help' for more information.\n",
		name ? name : "", name ? " " : "");
	exit(EXIT_USAGE);
}

static void print_cmd_help(const struct tool_cmd *cmd)
{
	printf("Usage: " PROGNAME " [OPTIONS] %s [OPTIONS]\n\n", cmd->name);
	printf("%s.\n\nOptions:\n", cmd->summary);
	if (cmd->options_help)
		fputs(cmd->options_help, stdout);
	fputs(COMMON_OPTIONS_HELP, stdout);
}

/*
 * getopt_long() sets optopt to the unknown short option, or to the known
 * long option that got a value it does not take, or to 0 for an unknown
 * long option; arg is the argument it stopped at.
 */
static void NORETURN report_bad_option(const struct tool_cmd *cmd,
				       const char *arg)
{
	if (optopt && strncmp(arg, "--", 2) == 0 && strchr(arg, '='))
		die_usage(cmd, "option '%.*s' takes no argument",
			  (int)(strchr(arg, '=') - arg), arg);
	if (optopt)
		die_usage(cmd, "unknown option '-%c'", optopt);
	die_usage(cmd, "unknown option '%s'", arg);
}

/*
 * Acts on an option that getopt_long() returned from COMMON_SHORTOPTS and
 * COMMON_LONGOPTS, or on its complaint about an option; cmd is NULL for
 * the options before the command name, where the caller handles -h.
 */
void handle_common_opt(const struct tool_cmd *cmd, struct tool_opts *opts,
		       int opt, char **argv)
{
	switch (opt) {
	case 'h':
		print_cmd_help(cmd);
		exit(EXIT_SUCCESS);
	case OPT_JSON:
		opts->json = true;
		return;
	case OPT_DEVICE:
		opts->device = optarg;
		return;
	case ':':
		die_usage(cmd, "option '%s' needs an argument", argv[optind - 1]);
	default:
		report_bad_option(cmd, argv[optind - 1]);
	}
}

/* For commands that take the common options and nothing else. */
void parse_no_options(const struct tool_cmd *cmd, struct tool_opts *opts,
		      int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	int opt;

	while ((opt = getopt_long(argc, argv, COMMON_SHORTOPTS, longopts,
				  NULL)) != -1)
		handle_common_opt(cmd, opts, opt, argv);

	if (optind < argc)
		die_usage(cmd, "unexpected argument '%s'", argv[optind]);
}

static void report_open_error(const char *device)
{
	switch (errno) {
	case ENOENT:
		print_error("module not loaded: %s does not exist (modprobe hyper_dmabuf)",
			    device);
		break;
	case ENXIO:
	case ENODEV:
		print_error("module not loaded: %s has no driver behind it (modprobe hyper_dmabuf)",
			    device);
		break;
	case EACCES:
	case EPERM:
		print_error("permission denied opening %s (needs root or the hyper-dmabuf group)",
			    device);
		break;
	default:
		print_error("cannot open %s: %s", device, strerror(errno));
	}
}

static void report_caps_error(const char *device)
{
	if (errno == ENOTTY)
		print_error("%s is not a hyper_dmabuf device", device);
	else
		print_error("cannot query the module through %s: %s", device,
			    strerror(errno));
}

/*
 * Asks the module behind device for its capabilities. On failure, names the
 * cause on stderr and returns NULL.
 */
struct hdmabuf_caps *query_caps(const char *device)
{
	struct hdmabuf_caps *caps;
	struct hdmabuf_ctx *ctx;

	ctx = hdmabuf_ctx_open(device);
	if (!ctx) {
		report_open_error(device);
		return NULL;
	}

	caps = hdmabuf_ctx_get_caps(ctx);
	if (!caps)
		report_caps_error(device);

	hdmabuf_ctx_close(ctx);
	return caps;
}
