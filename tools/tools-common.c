// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the commands of hyper-dmabuf share.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include <linux/dma-buf.h>

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
	printf("Usage: " PROGNAME " [OPTIONS] %s %s\n\n", cmd->name,
	       cmd->usage ? cmd->usage : "[OPTIONS]");
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
 * Acts on an option that getopt_long() returned from COMMON_SHORTOPTS (or
 * CMD_SHORTOPTS) and COMMON_LONGOPTS, or on its complaint about an option;
 * cmd is NULL for the options before the command name, where the caller
 * handles -h.
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

	while ((opt = getopt_long(argc, argv, CMD_SHORTOPTS, longopts,
				  NULL)) != -1)
		handle_common_opt(cmd, opts, opt, argv);

	if (optind < argc)
		die_usage(cmd, "unexpected argument '%s'", argv[optind]);
}

/*
 * For commands that take one argument after their options: returns it, or
 * exits with a usage error naming what is missing.
 */
const char *parse_one_argument(const struct tool_cmd *cmd, int argc,
			       char **argv, const char *what)
{
	if (optind >= argc)
		die_usage(cmd, "missing %s", what);
	if (optind + 1 < argc)
		die_usage(cmd, "unexpected argument '%s'", argv[optind + 1]);
	return argv[optind];
}

/*
 * For commands that take a fixed list of arguments after their options,
 * named by names (NULL-terminated): returns where they start in argv, or
 * exits with a usage error naming the first missing one.
 */
char **parse_arguments(const struct tool_cmd *cmd, int argc, char **argv,
		       const char *const *names)
{
	int n = 0;

	while (names[n])
		n++;
	if (optind + n < argc)
		die_usage(cmd, "unexpected argument '%s'", argv[optind + n]);
	if (optind + n > argc)
		die_usage(cmd, "missing %s", names[argc - optind]);
	return argv + optind;
}

/* Decimal digits only: no sign, no space, no 0x, no leading zero. */
static bool parse_decimal(const char *text, unsigned long long max,
			  unsigned long long *val)
{
	unsigned long long v = 0;
	const char *p;

	if (!*text || (text[0] == '0' && text[1]))
		return false;
	for (p = text; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		if (v > (max - (unsigned long long)(*p - '0')) / 10)
			return false;
		v = v * 10 + (unsigned long long)(*p - '0');
	}
	*val = v;
	return true;
}

unsigned long long parse_number(const struct tool_cmd *cmd, const char *opt,
				const char *text, unsigned long long min,
				unsigned long long max)
{
	unsigned long long val;

	if (!parse_decimal(text, max, &val) || val < min)
		die_usage(cmd, "bad value '%s' for %s: a number from %llu to %llu",
			  text, opt, min, max);
	return val;
}

/* Xen's ids of real domains end where its reserved ones begin. */
#define DOMID_MAX	(HDMABUF_DOMID_SELF - 1)

uint32_t parse_domid(const struct tool_cmd *cmd, const char *opt,
		     const char *text)
{
	unsigned long long val;

	if (strcmp(text, "self") == 0)
		return HDMABUF_DOMID_SELF;
	if (!parse_decimal(text, DOMID_MAX, &val))
		die_usage(cmd, "bad domain '%s' for %s: a domain id from 0 to %d, or 'self'",
			  text, opt, DOMID_MAX);
	return (uint32_t)val;
}

uint32_t parse_real_domid(const struct tool_cmd *cmd, const char *opt,
			  const char *text)
{
	unsigned long long val;

	if (!parse_decimal(text, DOMID_MAX, &val))
		die_usage(cmd, "bad domain '%s' for %s: a domain id from 0 to %d",
			  text, opt, DOMID_MAX);
	return (uint32_t)val;
}

void parse_id(const struct tool_cmd *cmd, const char *text,
	      struct hdmabuf_id *id)
{
	if (hdmabuf_id_parse(text, id))
		die_usage(cmd, "bad id '%s': expected DOMID:SERIAL:KEY, KEY being 32 hex digits",
			  text);
}

const char *format_domid(uint32_t domid, char buf[DOMID_STRLEN])
{
	if (domid == HDMABUF_DOMID_SELF)
		return "self";
	snprintf(buf, DOMID_STRLEN, "%" PRIu32, domid);
	return buf;
}

/*
 * The messages for the errors of the library's calls: the first entry for
 * the operation (or OP_ANY) and the errno is the one. A message names its
 * subject with {device}, {id}, {peer}, {size}, {value} and {current}.
 * Errors without an entry read "cannot ACTION: strerror".
 */
#define OP_ANY		(-1)

static const struct {
	int op;
	int err;
	const char *text;
} error_messages[] = {
	{ OP_OPEN, ENOENT, "module not loaded: {device} does not exist (modprobe hyper_dmabuf)" },
	{ OP_OPEN, ENXIO, "module not loaded: {device} has no driver behind it (modprobe hyper_dmabuf)" },
	{ OP_OPEN, ENODEV, "module not loaded: {device} has no driver behind it (modprobe hyper_dmabuf)" },
	{ OP_OPEN, EACCES, "permission denied opening {device} (needs root or the hyper-dmabuf group)" },
	{ OP_OPEN, EPERM, "permission denied opening {device} (needs root or the hyper-dmabuf group)" },
	{ OP_CAPS, ENOTTY, "{device} is not a hyper_dmabuf device" },
	{ OP_ANY, ENOTTY, "{device} does not know this request: it is not a hyper_dmabuf device, or its module is older than this tool" },
	{ OP_ALLOC, E2BIG, "{size} bytes is more than the module allows (its max_alloc_mb parameter)" },
	{ OP_EXPORT, EPERM, "sharing beyond this process needs root (CAP_SYS_ADMIN)" },
	{ OP_EXPORT, EINVAL, "the module rejected the metadata: every plane must lie inside the buffer" },
	{ OP_EXPORT, EDQUOT, "quota for peer {peer} exceeded (the module's max_exports_per_peer or max_pages_per_peer parameter)" },
	{ OP_UNEXPORT, EPERM, "{id} was shared by another process: unexporting it needs root (CAP_SYS_ADMIN)" },
	{ OP_UNEXPORT, EINVAL, "the module rejected the delay" },
	{ OP_QUERY, ENOENT, "no such buffer: {id} is neither exported nor imported by this domain (without root, only the user's own exports are shown)" },
	{ OP_LIST, EOVERFLOW, "more buffers than one listing can hold" },
	{ OP_LIST, EAGAIN, "the buffers changed too fast to be listed" },
	{ OP_PEERS, EOVERFLOW, "more peers than one listing can hold" },
	{ OP_PEERS, EAGAIN, "the peers changed too fast to be listed" },
	{ OP_REVOKE, ENOENT, "no such buffer: {id} is not an export of this domain (never shared, or gone)" },
	{ OP_REVOKE, EPERM, "{id} was shared by another process: revoking it needs root (CAP_SYS_ADMIN)" },
	{ OP_REVOKE, EALREADY, "already revoked: {id}" },
	{ OP_REVOKE, EINVAL, "the module rejected the timeout" },
	{ OP_REVOKE, EINTR, "interrupted: {id} is revoked, but the wait for its importers was cut short" },
	{ OP_SIGNAL, ENOENT, "no such buffer: {id} is not an export of this domain (never shared, or gone)" },
	{ OP_SIGNAL, EPERM, "{id} is not yours: only the user who shared it, the holder of an import of it, or root (CAP_SYS_ADMIN) may move its timeline" },
	{ OP_SIGNAL, EINVAL, "the timeline of {id} is at {value} or past it already: a signal must move it forward" },
	{ OP_WAIT, ENOENT, "no such buffer: {id} is not an export of this domain (never shared, or gone)" },
	{ OP_WAIT, EPERM, "{id} is not yours: only the user who shared it, the holder of an import of it, or root (CAP_SYS_ADMIN) may wait on its timeline" },
	{ OP_WAIT, ETIMEDOUT, "timed out: the timeline of {id} is at {current}, short of {value}" },
	{ OP_IMPORT, ENOSPC, "the exporting domain's grant table is full: {id} needs more grants than it has left (release or unexport other buffers there, or raise its max_grant_frames)" },
	{ OP_IMPORT, E2BIG, "{id} is larger than the Xen transport shares (64,000 pages)" },
	{ OP_IMPORT, ETIMEDOUT, "the exporting domain did not answer in time (the module's request_timeout_ms)" },
	{ OP_IMPORT, EPROTO, "the exporting domain answered with sizes or metadata that make no sense" },
	{ OP_IMPORT, EDQUOT, "{id} has as many imports as its exporter takes" },
	{ OP_ANY, ENOENT, "no such buffer: {id} is not offered to this domain (never shared, or unexported)" },
	{ OP_ANY, EKEYREJECTED, "key does not match: {id}" },
	{ OP_ANY, ENOTCONN, "peer {peer} is not connected" },
	{ OP_ANY, ENOMEM, "out of memory" },
};

static const char *const op_actions[] = {
	[OP_OPEN] = "open {device}",
	[OP_CAPS] = "query the module through {device}",
	[OP_ALLOC] = "allocate {size} bytes",
	[OP_EXPORT] = "share with peer {peer}",
	[OP_IMPORT] = "import {id}",
	[OP_UNEXPORT] = "unexport {id}",
	[OP_QUERY] = "describe {id}",
	[OP_LIST] = "list the buffers",
	[OP_REVOKE] = "revoke {id}",
	[OP_SIGNAL] = "signal {id}",
	[OP_WAIT] = "wait on {id}",
	[OP_EVENTS] = "read the events of {device}",
	[OP_PEERS] = "list the peers",
};

/* Appends s to buf[len] at *pos, cutting what does not fit. */
static void append(char *buf, size_t len, size_t *pos, const char *s)
{
	size_t n = strlen(s);

	if (*pos + n >= len)
		n = len - *pos - 1;
	memcpy(buf + *pos, s, n);
	*pos += n;
	buf[*pos] = '\0';
}

/* The subject's value for the name between braces at name, or NULL. */
static const char *subject_value(const char *name, size_t name_len,
				 const struct op_subject *subj,
				 char value[HDMABUF_ID_STRLEN])
{
	if (name_len == 6 && !strncmp(name, "device", 6))
		return subj->device ? subj->device : DEFAULT_DEVICE;
	if (name_len == 2 && !strncmp(name, "id", 2) && subj->id &&
	    hdmabuf_id_format(subj->id, value, HDMABUF_ID_STRLEN) > 0)
		return value;
	if (name_len == 4 && !strncmp(name, "peer", 4))
		return format_domid(subj->peer, value);
	if (name_len == 4 && !strncmp(name, "size", 4)) {
		snprintf(value, HDMABUF_ID_STRLEN, "%" PRIu64, subj->size);
		return value;
	}
	if (name_len == 5 && !strncmp(name, "value", 5)) {
		snprintf(value, HDMABUF_ID_STRLEN, "%" PRIu64, subj->value);
		return value;
	}
	if (name_len == 7 && !strncmp(name, "current", 7)) {
		snprintf(value, HDMABUF_ID_STRLEN, "%" PRIu64, subj->current);
		return value;
	}
	return NULL;
}

/* Writes text to buf[len], its {names} replaced by the subject's values. */
static void expand(char *buf, size_t len, const char *text,
		   const struct op_subject *subj)
{
	char value[HDMABUF_ID_STRLEN];
	const char *end, *val;
	char one[2] = "";
	size_t pos = 0;

	buf[0] = '\0';
	for (; *text; text++) {
		end = *text == '{' ? strchr(text, '}') : NULL;
		val = end ? subject_value(text + 1, end - text - 1, subj, value)
			  : NULL;
		if (val) {
			append(buf, len, &pos, val);
			text = end;
		} else {
			one[0] = *text;
			append(buf, len, &pos, one);
		}
	}
}

/*
 * Names on stderr why a call of the library failed: err is its errno, op
 * what it was doing, subj what the message may name.
 */
void report_error(enum tool_op op, int err, const struct op_subject *subj)
{
	char msg[512];
	size_t i;

	for (i = 0; i < sizeof(error_messages) / sizeof(error_messages[0]); i++) {
		if (error_messages[i].err != err ||
		    (error_messages[i].op != OP_ANY &&
		     error_messages[i].op != (int)op))
			continue;
		expand(msg, sizeof(msg), error_messages[i].text, subj);
		print_error("%s", msg);
		return;
	}
	expand(msg, sizeof(msg), op_actions[op], subj);
	print_error("cannot %s: %s", msg, strerror(err));
}

void report_new_call_error(struct hdmabuf_ctx *ctx, unsigned int api,
			   enum tool_op op, int err,
			   const struct op_subject *subj)
{
	struct hdmabuf_caps *caps = NULL;
	unsigned int has = api;

	if (err == ENOTTY)
		caps = hdmabuf_ctx_get_caps(ctx);
	/* without caps, not a hyper_dmabuf device: report_error() says so */
	if (caps) {
		has = hdmabuf_caps_get_api_version(caps);
		hdmabuf_caps_free(caps);
	}
	if (has < api) {
		print_error("the module is too old for this command (API %u; it needs API %u)",
			    has, api);
		return;
	}
	report_error(op, err, subj);
}

/* Opens device; on failure names the cause on stderr and returns NULL. */
struct hdmabuf_ctx *open_device(const char *device)
{
	struct op_subject subj = { .device = device };
	struct hdmabuf_ctx *ctx;

	ctx = hdmabuf_ctx_open(device);
	if (!ctx)
		report_error(OP_OPEN, errno, &subj);
	return ctx;
}

/*
 * Asks the module behind device for its capabilities. On failure, names the
 * cause on stderr and returns NULL.
 */
struct hdmabuf_caps *query_caps(const char *device)
{
	struct op_subject subj = { .device = device };
	struct hdmabuf_caps *caps;
	struct hdmabuf_ctx *ctx;

	ctx = open_device(device);
	if (!ctx)
		return NULL;

	caps = hdmabuf_ctx_get_caps(ctx);
	if (!caps)
		report_error(OP_CAPS, errno, &subj);

	hdmabuf_ctx_close(ctx);
	return caps;
}

/* The blob's text, without a NUL (the blob has a length); returns it. */
size_t format_length_blob(char buf[LENGTH_BLOB_MAX + 1], uint64_t length)
{
	return (size_t)snprintf(buf, LENGTH_BLOB_MAX + 1,
				LENGTH_BLOB_PREFIX "%" PRIu64, length);
}

/* Exactly the text format_length_blob() writes, or false. */
bool parse_length_blob(const void *blob, size_t len, uint64_t *length)
{
	const size_t prefix_len = sizeof(LENGTH_BLOB_PREFIX) - 1;
	char text[LENGTH_BLOB_MAX + 1];
	unsigned long long val;

	if (len <= prefix_len || len > LENGTH_BLOB_MAX ||
	    memcmp(blob, LENGTH_BLOB_PREFIX, prefix_len))
		return false;
	memcpy(text, (const char *)blob + prefix_len, len - prefix_len);
	text[len - prefix_len] = '\0';
	if (!parse_decimal(text, UINT64_MAX, &val))
		return false;
	*length = val;
	return true;
}

/* The exporter may ask to be asked again while it is busy. */
int dmabuf_sync(int fd, unsigned long long flags)
{
	struct dma_buf_sync sync = { .flags = flags };
	int ret;

	do
		ret = ioctl(fd, DMA_BUF_IOCTL_SYNC, &sync);
	while (ret < 0 && (errno == EINTR || errno == EAGAIN));
	return ret;
}
