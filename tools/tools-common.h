/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the commands of hyper-dmabuf share: option handling, messages and
 * access to the device. Not a stable interface; it only saves repeating
 * code between the files of this tool.
 */
#ifndef HDMABUF_TOOLS_COMMON_H
#define HDMABUF_TOOLS_COMMON_H

#include <getopt.h>
#include <stdbool.h>

#define PRINTF(fmt, args)	__attribute__((format(printf, fmt, args)))
#define NORETURN		__attribute__((noreturn))

#define PROGNAME		"hyper-dmabuf"
#define DEFAULT_DEVICE		"/dev/hyper_dmabuf"
#define DEVICE_ENV		"HYPER_DMABUF_DEVICE"

/* EXIT_SUCCESS: done; EXIT_FAILURE: the operation failed. */
#define EXIT_USAGE		2

struct hdmabuf_caps;

/* What the global options and the environment chose. */
struct tool_opts {
	const char *device;
	bool json;
};

/* One subcommand: an entry of the command table. */
struct tool_cmd {
	const char *name;
	/* one line, for the command list and the command's --help */
	const char *summary;
	/* --help lines of the command's own options, or NULL */
	const char *options_help;
	int (*run)(const struct tool_cmd *cmd, struct tool_opts *opts,
		   int argc, char **argv);
};

extern const struct tool_cmd cmd_status;
extern const struct tool_cmd cmd_version;

/* Options every command takes, also before the command name. */
enum {
	OPT_JSON = 0x100,
	OPT_DEVICE,
};

#define COMMON_SHORTOPTS	"+:h"
#define COMMON_LONGOPTS \
	{ "help", no_argument, NULL, 'h' }, \
	{ "json", no_argument, NULL, OPT_JSON }, \
	{ "device", required_argument, NULL, OPT_DEVICE }

#define COMMON_OPTIONS_HELP \
	"  -h, --help         show this help and exit\n" \
	"      --json         print JSON instead of text\n" \
	"      --device PATH  use the device at PATH (default: $" DEVICE_ENV \
	",\n" \
	"                     or " DEFAULT_DEVICE ")\n"

void print_error(const char *fmt, ...) PRINTF(1, 2);
void die(const char *fmt, ...) NORETURN PRINTF(1, 2);
void die_usage(const struct tool_cmd *cmd, const char *fmt, ...)
	NORETURN PRINTF(2, 3);

void handle_common_opt(const struct tool_cmd *cmd, struct tool_opts *opts,
		       int opt, char **argv);
void parse_no_options(const struct tool_cmd *cmd, struct tool_opts *opts,
		      int argc, char **argv);

struct hdmabuf_caps *query_caps(const char *device);

#endif /* HDMABUF_TOOLS_COMMON_H */
