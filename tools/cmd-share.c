// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hyper-dmabuf share: copy a file into a buffer of the module's own and
 * offer it to a domain, persistently, so that it outlives this process.
 * Prints the id the other domain imports it by.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/dma-buf.h>

#include <hyperdmabuf.h>

#include "output.h"
#include "tools-common.h"

/* what the input is called in messages */
#define STDIN_NAME	"standard input"
/* read() at least this much at a time */
#define READ_CHUNK	(64 * 1024)
/*
 * The most share reads without --max-size: the largest buffer the module
 * allocates, its max_alloc_mb, or that parameter's default when it cannot
 * be read.
 */
#define MAX_ALLOC_PARAM	"/sys/module/hyper_dmabuf/parameters/max_alloc_mb"
#define MAX_ALLOC_MB	256
#define MAX_SIZE_MAX	(SIZE_MAX / 2)

struct share_opts {
	uint32_t peer;
	bool have_peer;
	const char *name;
	const char *format;	/* as given, for messages */
	uint32_t fourcc;	/* 0: no --format */
	uint32_t width, height, stride;
	bool read_write;
	const char *file;	/* "-": standard input */
	size_t max_size;	/* 0: no --max-size */
};

enum {
	OPT_TO = 0x200,
	OPT_NAME,
	OPT_FORMAT,
	OPT_WIDTH,
	OPT_HEIGHT,
	OPT_STRIDE,
	OPT_READ_WRITE,
	OPT_MAX_SIZE,
};

/* The formats of 4 bytes a pixel, whose stride is width * 4. */
static const char *const formats_32bpp[] = { "XR24", "AR24", "XB24", "AB24" };

static bool fourcc_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9');
}

/*
 * A DRM fourcc as its name: 1 to 4 letters and digits, packed as
 * fourcc_code() does, short names padded with spaces ("R8" is "R8  ").
 */
static uint32_t parse_fourcc(const struct tool_cmd *cmd, const char *text)
{
	char code[4] = { ' ', ' ', ' ', ' ' };
	size_t len = strlen(text), i;

	for (i = 0; i < len && fourcc_char(text[i]); i++)
		;
	if (!len || len > 4 || i < len)
		die_usage(cmd, "bad format '%s' for --format: a DRM fourcc code of 1 to 4 letters and digits, like XR24",
			  text);
	memcpy(code, text, len);
	return (uint32_t)(unsigned char)code[0] |
	       (uint32_t)(unsigned char)code[1] << 8 |
	       (uint32_t)(unsigned char)code[2] << 16 |
	       (uint32_t)(unsigned char)code[3] << 24;
}

static bool is_32bpp(const char *format)
{
	size_t i;

	for (i = 0; i < sizeof(formats_32bpp) / sizeof(formats_32bpp[0]); i++)
		if (strcmp(format, formats_32bpp[i]) == 0)
			return true;
	return false;
}

/* --width, --height and --stride go with --format, which needs W and H. */
static void check_format_options(const struct tool_cmd *cmd,
				 struct share_opts *so, bool have_width,
				 bool have_height, bool have_stride)
{
	const char *without = have_width ? "--width" :
			      have_height ? "--height" :
			      have_stride ? "--stride" : NULL;
	unsigned long long stride;

	if (!so->format) {
		if (without)
			die_usage(cmd, "%s needs --format", without);
		return;
	}
	if (!have_width || !have_height)
		die_usage(cmd, "--format needs --width and --height");
	if (have_stride)
		return;
	if (!is_32bpp(so->format))
		die_usage(cmd, "--format %s needs --stride: the bytes per line are known only for XR24, AR24, XB24 and AB24",
			  so->format);
	stride = (unsigned long long)so->width * 4;
	if (stride > UINT32_MAX)
		die_usage(cmd, "--width %" PRIu32 " is too wide for %s", so->width,
			  so->format);
	so->stride = (uint32_t)stride;
}

static void parse_share_options(const struct tool_cmd *cmd,
				struct tool_opts *opts, struct share_opts *so,
				int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ "to", required_argument, NULL, OPT_TO },
		{ "name", required_argument, NULL, OPT_NAME },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "width", required_argument, NULL, OPT_WIDTH },
		{ "height", required_argument, NULL, OPT_HEIGHT },
		{ "stride", required_argument, NULL, OPT_STRIDE },
		{ "read-write", no_argument, NULL, OPT_READ_WRITE },
		{ "max-size", required_argument, NULL, OPT_MAX_SIZE },
		{ NULL, 0, NULL, 0 }
	};
	bool have_width = false, have_height = false, have_stride = false;
	int opt;

	while ((opt = getopt_long(argc, argv, CMD_SHORTOPTS, longopts,
				  NULL)) != -1) {
		switch (opt) {
		case OPT_TO:
			so->peer = parse_domid(cmd, "--to", optarg);
			so->have_peer = true;
			break;
		case OPT_NAME:
			if (strlen(optarg) > HDMABUF_META_NAME_MAX)
				die_usage(cmd, "--name is longer than %d bytes",
					  HDMABUF_META_NAME_MAX);
			so->name = optarg;
			break;
		case OPT_FORMAT:
			so->fourcc = parse_fourcc(cmd, optarg);
			so->format = optarg;
			break;
		case OPT_WIDTH:
			so->width = parse_number(cmd, "--width", optarg, 1,
						 UINT32_MAX);
			have_width = true;
			break;
		case OPT_HEIGHT:
			so->height = parse_number(cmd, "--height", optarg, 1,
						  UINT32_MAX);
			have_height = true;
			break;
		case OPT_STRIDE:
			so->stride = parse_number(cmd, "--stride", optarg, 1,
						  UINT32_MAX);
			have_stride = true;
			break;
		case OPT_READ_WRITE:
			so->read_write = true;
			break;
		case OPT_MAX_SIZE:
			so->max_size = parse_number(cmd, "--max-size", optarg,
						    1, MAX_SIZE_MAX);
			break;
		default:
			handle_common_opt(cmd, opts, opt, argv);
		}
	}

	if (!so->have_peer)
		die_usage(cmd, "missing --to DOM: the domain to share with");
	check_format_options(cmd, so, have_width, have_height, have_stride);
	so->file = parse_one_argument(cmd, argc, argv,
				      "FILE (or - for standard input)");
}

static const char *input_name(const struct share_opts *so)
{
	return strcmp(so->file, "-") == 0 ? STDIN_NAME : so->file;
}

/* The input's descriptor, or -1 after naming the cause. */
static int open_input(const struct share_opts *so)
{
	int fd;

	if (strcmp(so->file, "-") == 0)
		return STDIN_FILENO;
	fd = open(so->file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		print_error("cannot open %s: %s", so->file, strerror(errno));
	return fd;
}

/* The module's max_alloc_mb in bytes, or its default's. */
static size_t module_max_size(void)
{
	unsigned long long mb = MAX_ALLOC_MB;
	FILE *f = fopen(MAX_ALLOC_PARAM, "re");

	if (f) {
		if (fscanf(f, "%llu", &mb) != 1 || !mb ||
		    mb > MAX_SIZE_MAX >> 20)
			mb = MAX_ALLOC_MB;
		fclose(f);
	}
	return (size_t)mb << 20;
}

/*
 * All of fd, at most max bytes, into a new buffer; NULL after naming the
 * cause. An endless input, or one too large for any buffer, is refused
 * without being kept in memory whole.
 */
static char *read_all(int fd, const char *name, size_t max, bool max_given,
		      size_t *len)
{
	/* a byte more than max tells a larger input */
	size_t size = 0, cap = 0, limit = max + 1;
	char *buf = NULL, *bigger;
	ssize_t n;

	for (;;) {
		if (cap - size < READ_CHUNK && cap < limit) {
			if (limit > READ_CHUNK &&
			    cap < (limit - READ_CHUNK) / 2)
				cap = cap * 2 + READ_CHUNK;
			else
				cap = limit;
			bigger = realloc(buf, cap);
			if (!bigger) {
				print_error("cannot read %s: out of memory",
					    name);
				goto err;
			}
			buf = bigger;
		}
		if (size == limit)
			break;
		n = read(fd, buf + size, cap - size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			print_error("cannot read %s: %s", name, strerror(errno));
			goto err;
		}
		if (n == 0)
			break;
		size += (size_t)n;
	}
	if (size > max) {
		if (max_given)
			print_error("%s holds more than %zu bytes, the most --max-size allows",
				    name, max);
		else
			print_error("%s holds more than %zu bytes, the most a buffer of the module holds (its max_alloc_mb; see --max-size)",
				    name, max);
		goto err;
	}

	*len = size;
	return buf;

err:
	free(buf);
	return NULL;
}

/* The image described by the options lies inside the data. */
static bool image_fits(const struct share_opts *so, size_t len)
{
	uint64_t need = (uint64_t)so->stride * so->height;

	if (need <= len)
		return true;
	print_error("the image does not fit: %s holds %zu bytes, %" PRIu32
		    " lines of %" PRIu32 " bytes need %" PRIu64,
		    input_name(so), len, so->height, so->stride, need);
	return false;
}

/* The metadata of the options, or NULL after naming the cause. */
static struct hdmabuf_meta *make_meta(const struct share_opts *so, size_t len)
{
	char blob[LENGTH_BLOB_MAX + 1];
	struct hdmabuf_meta *meta;
	size_t blob_len;

	meta = hdmabuf_meta_new();
	if (!meta) {
		print_error("out of memory");
		return NULL;
	}

	/* the options were checked, so the setters cannot fail */
	blob_len = format_length_blob(blob, len);
	if (hdmabuf_meta_set_blob(meta, blob, blob_len) ||
	    (so->name && hdmabuf_meta_set_name(meta, so->name)))
		goto err;
	if (so->fourcc) {
		/* linear: no --modifier yet */
		hdmabuf_meta_set_format(meta, so->fourcc, 0, so->width,
					so->height);
		if (hdmabuf_meta_set_plane(meta, 0, 0, so->stride))
			goto err;
	}
	return meta;

err:
	print_error("cannot describe the buffer: %s", strerror(errno));
	hdmabuf_meta_free(meta);
	return NULL;
}

/* Copies data into the dma-buf; false after naming the cause. */
static bool fill_dmabuf(int fd, const char *data, size_t len)
{
	bool ok = true;
	void *map;

	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		print_error("cannot map the buffer: %s", strerror(errno));
		return false;
	}
	if (dmabuf_sync(fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE)) {
		print_error("cannot start writing the buffer: %s",
			    strerror(errno));
		ok = false;
	} else {
		memcpy(map, data, len);
		if (dmabuf_sync(fd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE)) {
			print_error("cannot finish writing the buffer: %s",
				    strerror(errno));
			ok = false;
		}
	}
	munmap(map, len);
	return ok;
}

/* Prints the id; false after naming the cause when it could not be written. */
static bool print_share(const struct tool_opts *opts,
			const struct hdmabuf_export *exp)
{
	char id[HDMABUF_ID_STRLEN];

	hdmabuf_id_format(hdmabuf_export_get_id(exp), id, sizeof(id));
	out_begin(opts->json);
	out_value("id", id);
	out_int("size", NULL, (long long)hdmabuf_export_get_size(exp));
	out_int("peer", NULL, hdmabuf_export_get_peer(exp));
	out_bool("read_write", NULL,
		 hdmabuf_export_get_flags(exp) & HDMABUF_EXPORT_RW);
	out_end();

	if (fflush(stdout) == 0 && !ferror(stdout))
		return true;
	print_error("cannot write the output: %s; the buffer is not shared",
		    strerror(errno));
	/* said once, here, rather than again by main() */
	clearerr(stdout);
	return false;
}

/* The data, copied into a new buffer and exported; NULL on failure. */
static struct hdmabuf_export *share(struct hdmabuf_ctx *ctx,
				    const struct tool_opts *opts,
				    const struct share_opts *so,
				    const char *data, size_t len)
{
	struct op_subject subj = {
		.device = opts->device,
		.peer = so->peer,
		.size = len,
	};
	struct hdmabuf_export *exp = NULL;
	struct hdmabuf_meta *meta;
	unsigned int flags;
	int fd;

	meta = make_meta(so, len);
	if (!meta)
		return NULL;

	fd = hdmabuf_ctx_alloc(ctx, len, 0);
	if (fd < 0) {
		report_error(OP_ALLOC, errno, &subj);
		goto out;
	}
	if (!fill_dmabuf(fd, data, len))
		goto out;

	/* persistent: the share outlives this process, until unexported */
	flags = HDMABUF_EXPORT_PERSISTENT;
	if (so->read_write)
		flags |= HDMABUF_EXPORT_RW;
	exp = hdmabuf_ctx_export(ctx, fd, so->peer, flags, meta);
	if (!exp)
		report_error(OP_EXPORT, errno, &subj);

out:
	/* the export holds the buffer; this descriptor is no longer needed */
	if (fd >= 0)
		close(fd);
	hdmabuf_meta_free(meta);
	return exp;
}

static int run_share(const struct tool_cmd *cmd, struct tool_opts *opts,
		     int argc, char **argv)
{
	struct share_opts so = { 0 };
	struct hdmabuf_export *exp = NULL;
	struct hdmabuf_ctx *ctx = NULL;
	char *data = NULL;
	size_t len;
	int in_fd;

	parse_share_options(cmd, opts, &so, argc, argv);

	/* the input first: a wrong name is the likelier mistake */
	in_fd = open_input(&so);
	if (in_fd < 0)
		return EXIT_FAILURE;
	ctx = open_device(opts->device);
	if (!ctx)
		goto out;

	data = read_all(in_fd, input_name(&so),
			so.max_size ? so.max_size : module_max_size(),
			so.max_size != 0, &len);
	if (!data)
		goto out;
	if (!len) {
		print_error("nothing to share: %s is empty", input_name(&so));
		goto out;
	}
	if (so.fourcc && !image_fits(&so, len))
		goto out;

	exp = share(ctx, opts, &so, data, len);
	if (exp && !print_share(opts, exp)) {
		/* nobody could name it, so nobody could end it: withdraw it */
		hdmabuf_ctx_unexport(ctx, hdmabuf_export_get_id(exp), 0);
		hdmabuf_export_free(exp);
		exp = NULL;
	}

out:
	if (in_fd != STDIN_FILENO)
		close(in_fd);
	free(data);
	hdmabuf_ctx_close(ctx);
	if (!exp)
		return EXIT_FAILURE;
	hdmabuf_export_free(exp);
	return EXIT_SUCCESS;
}

const struct tool_cmd cmd_share = {
	.name = "share",
	.summary = "Copy a file into a new buffer and offer it to a domain",
	.usage = "--to DOM [OPTIONS] FILE|-",
	.options_help =
		"      --to DOM       the domain that may import the buffer: its\n"
		"                     id, or 'self' for this domain (required)\n"
		"      --name NAME    a name for the importer, up to 31 bytes\n"
		"      --format FOURCC\n"
		"                     the DRM pixel format, like XR24; needs\n"
		"                     --width and --height\n"
		"      --width W      pixels per line\n"
		"      --height H     lines\n"
		"      --stride S     bytes per line (default: W * 4 for XR24,\n"
		"                     AR24, XB24 and AB24; required otherwise)\n"
		"      --read-write   let the importer write to the buffer\n"
		"      --max-size N   read at most N bytes; a larger input is\n"
		"                     refused (default: the module's largest\n"
		"                     buffer, its max_alloc_mb, or 256 MiB)\n",
	.run = run_share,
};
