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
#include <stdint.h>

#define PRINTF(fmt, args)	__attribute__((format(printf, fmt, args)))
#define NORETURN		__attribute__((noreturn))

#define PROGNAME		"hyper-dmabuf"
#define DEFAULT_DEVICE		"/dev/hyper_dmabuf"
#define DEVICE_ENV		"HYPER_DMABUF_DEVICE"

/* EXIT_SUCCESS: done; EXIT_FAILURE: the operation failed. */
#define EXIT_USAGE		2

struct hdmabuf_caps;
struct hdmabuf_ctx;
struct hdmabuf_id;

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
	/* what follows the command name in its usage line; NULL: "[OPTIONS]" */
	const char *usage;
	/* --help lines of the command's own options, or NULL */
	const char *options_help;
	int (*run)(const struct tool_cmd *cmd, struct tool_opts *opts,
		   int argc, char **argv);
};

extern const struct tool_cmd cmd_import;
extern const struct tool_cmd cmd_info;
extern const struct tool_cmd cmd_link;
extern const struct tool_cmd cmd_list;
extern const struct tool_cmd cmd_peers;
extern const struct tool_cmd cmd_revoke;
extern const struct tool_cmd cmd_share;
extern const struct tool_cmd cmd_signal;
extern const struct tool_cmd cmd_status;
extern const struct tool_cmd cmd_unexport;
extern const struct tool_cmd cmd_unlink;
extern const struct tool_cmd cmd_version;
extern const struct tool_cmd cmd_wait;
extern const struct tool_cmd cmd_watch;

/* Options every command takes, also before the command name. */
enum {
	OPT_JSON = 0x100,
	OPT_DEVICE,
};

/* Before the command name, parsing stops at the first argument, the command. */
#define COMMON_SHORTOPTS	"+:h"
/* After it, options and arguments may come in any order; "--" ends options. */
#define CMD_SHORTOPTS		":h"
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
const char *parse_one_argument(const struct tool_cmd *cmd, int argc,
			       char **argv, const char *what);
char **parse_arguments(const struct tool_cmd *cmd, int argc, char **argv,
		       const char *const *names);

/* Parsers of option values and arguments; they exit 2 on a bad value. */
unsigned long long parse_number(const struct tool_cmd *cmd, const char *opt,
				const char *text, unsigned long long min,
				unsigned long long max);
uint32_t parse_domid(const struct tool_cmd *cmd, const char *opt,
		     const char *text);
/* The same without 'self', where only a real domain id will do. */
uint32_t parse_real_domid(const struct tool_cmd *cmd, const char *opt,
			  const char *text);
void parse_id(const struct tool_cmd *cmd, const char *text,
	      struct hdmabuf_id *id);

/* HDMABUF_DOMID_SELF as "self", other domains as their number */
#define DOMID_STRLEN		11
const char *format_domid(uint32_t domid, char buf[DOMID_STRLEN]);

/* What a failed call of the library was doing, for report_error(). */
enum tool_op {
	OP_OPEN,
	OP_CAPS,
	OP_ALLOC,
	OP_EXPORT,
	OP_IMPORT,
	OP_UNEXPORT,
	OP_QUERY,
	OP_LIST,
	OP_REVOKE,
	OP_SIGNAL,
	OP_WAIT,
	OP_EVENTS,
	OP_PEERS,
};

/* What the messages of report_error() may name; unused fields stay 0. */
struct op_subject {
	const char *device;
	const struct hdmabuf_id *id;
	uint32_t peer;
	uint64_t size;
	uint64_t value;		/* a timeline value asked for */
	uint64_t current;	/* the timeline's value */
};

void report_error(enum tool_op op, int err, const struct op_subject *subj);
/*
 * The same for a call the module has since uAPI version api: ENOTTY from a
 * module that says it is older names its version.
 */
void report_new_call_error(struct hdmabuf_ctx *ctx, unsigned int api,
			   enum tool_op op, int err,
			   const struct op_subject *subj);

struct hdmabuf_ctx *open_device(const char *device);
struct hdmabuf_caps *query_caps(const char *device);

/*
 * The fields of one buffer, for info and, as the row of a table, list
 * (cmd-info.c).
 */
struct hdmabuf_info;
void print_buffer(const struct hdmabuf_info *info);

/*
 * The module rounds buffers up to whole pages; share records the length of
 * the data in the blob of the metadata, as "hyper-dmabuf:length=N", and
 * import writes that much.
 */
#define LENGTH_BLOB_PREFIX	"hyper-dmabuf:length="
#define LENGTH_BLOB_MAX		(sizeof(LENGTH_BLOB_PREFIX) - 1 + 20)
size_t format_length_blob(char buf[LENGTH_BLOB_MAX + 1], uint64_t length);
bool parse_length_blob(const void *blob, size_t len, uint64_t *length);

/* DMA_BUF_IOCTL_SYNC on a mapped dma-buf; -1 with errno on failure. */
int dmabuf_sync(int fd, unsigned long long flags);

#endif /* HDMABUF_TOOLS_COMMON_H */
