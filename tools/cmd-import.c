// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hyper-dmabuf import: import a buffer by its id, write its bytes to a
 * file or to standard output, and describe it.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/dma-buf.h>

#include <hyperdmabuf.h>

#include "output.h"
#include "tools-common.h"

#define STDOUT_NAME	"standard output"

/* --out FILE is written first as FOLDER/.hyper-dmabuf- + 8 random characters */
#define TEMP_PREFIX	".hyper-dmabuf-"
#define TEMP_RANDOM	8
#define TEMP_TRIES	100

/* "XR24", or 0x-prefixed hex for a code that is not printable */
#define FOURCC_STRLEN	11

struct import_opts {
	const char *out;	/* NULL: standard output, or no data */
	struct hdmabuf_id id;
};

enum {
	OPT_OUT = 0x200,
};

static void parse_import_options(const struct tool_cmd *cmd,
				 struct tool_opts *opts, struct import_opts *io,
				 int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ "out", required_argument, NULL, OPT_OUT },
		{ NULL, 0, NULL, 0 }
	};
	int opt;

	while ((opt = getopt_long(argc, argv, CMD_SHORTOPTS, longopts,
				  NULL)) != -1) {
		switch (opt) {
		case OPT_OUT:
			if (!*optarg)
				die_usage(cmd, "--out needs a file name");
			io->out = optarg;
			break;
		default:
			handle_common_opt(cmd, opts, opt, argv);
		}
	}

	parse_id(cmd, parse_one_argument(cmd, argc, argv, "ID"), &io->id);
}

/* A fourcc as its name, without the spaces that pad short ones. */
static const char *format_fourcc(uint32_t fourcc, char buf[FOURCC_STRLEN])
{
	int i, len = 4;

	for (i = 0; i < 4; i++) {
		buf[i] = (char)(fourcc >> (8 * i));
		if (buf[i] < 0x20 || buf[i] > 0x7e) {
			snprintf(buf, FOURCC_STRLEN, "0x%08" PRIx32, fourcc);
			return buf;
		}
	}
	while (len > 1 && buf[len - 1] == ' ')
		len--;
	buf[len] = '\0';
	return buf;
}

/*
 * The bytes that hold data: what share recorded in the blob, or the whole
 * buffer when the exporter recorded nothing of the kind.
 */
static uint64_t data_length(const struct hdmabuf_import *imp)
{
	const struct hdmabuf_meta *meta = hdmabuf_import_get_meta(imp);
	uint64_t size = hdmabuf_import_get_size(imp), length;
	const void *blob;
	size_t blob_len;

	blob = hdmabuf_meta_get_blob(meta, &blob_len);
	if (parse_length_blob(blob, blob_len, &length) && length <= size)
		return length;
	return size;
}

static bool write_all(int fd, const char *data, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return false;
		data += n;
		len -= (size_t)n;
	}
	return true;
}

/*
 * Copies the first length bytes of the dma-buf to out_fd; false after
 * naming the cause. The mapping is only ever read by write(): a buffer
 * revoked meanwhile makes write() fail with EFAULT where a read of our own
 * would die of SIGBUS.
 */
static bool copy_out(int fd, uint64_t length, int out_fd, const char *name)
{
	size_t len = (size_t)length;
	bool ok = false;
	void *map;

	if (!length)
		return true;
	if (length > SIZE_MAX) {
		print_error("cannot map the buffer: %" PRIu64 " bytes is too large here",
			    length);
		return false;
	}
	map = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		print_error("cannot map the buffer: %s", strerror(errno));
		return false;
	}
	if (dmabuf_sync(fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ)) {
		print_error("cannot start reading the buffer: %s",
			    strerror(errno));
		goto out;
	}
	ok = write_all(out_fd, map, len);
	if (!ok)
		print_error("cannot write %s: %s", name, errno == EFAULT ?
			    "the buffer was revoked during the copy" :
			    strerror(errno));
	if (dmabuf_sync(fd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ) && ok) {
		print_error("cannot finish reading the buffer: %s",
			    strerror(errno));
		ok = false;
	}
out:
	munmap(map, len);
	return ok;
}

/*
 * --out FILE is written as a temporary file beside it, renamed over FILE
 * once whole: FILE is never seen half written, and a failure leaves it as
 * it was. The temporary file is removed on failure, and by a signal that
 * ends the tool meanwhile.
 */
static char temp_path[PATH_MAX];
static volatile sig_atomic_t temp_exists;

static void remove_temp_and_die(int sig)
{
	if (temp_exists)
		unlink(temp_path);
	/* the handler was reset: the signal now ends the process */
	raise(sig);
}

static void catch_ending_signals(void)
{
	static const int sigs[] = { SIGHUP, SIGINT, SIGTERM, SIGPIPE };
	struct sigaction sa = {
		.sa_handler = remove_temp_and_die,
		.sa_flags = SA_RESETHAND | SA_NODEFER,
	};
	size_t i;

	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

static void remove_temp(void)
{
	temp_exists = 0;
	unlink(temp_path);
}

/*
 * A new file in FILE's folder, exclusively ours, with the mode of a new
 * file (0666 less the umask); its descriptor, or -1 after naming the cause.
 */
static int create_temp(const char *file)
{
	static const char letters[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	const char *slash = strrchr(file, '/');
	int dir_len, len, tries, fd, i;
	unsigned char rnd[TEMP_RANDOM];
	char dir[PATH_MAX];

	if (!slash)
		dir_len = snprintf(dir, sizeof(dir), ".");
	else if (slash == file)
		dir_len = snprintf(dir, sizeof(dir), "/");
	else
		dir_len = snprintf(dir, sizeof(dir), "%.*s",
				   (int)(slash - file), file);
	if (dir_len < 0 || (size_t)dir_len + sizeof(TEMP_PREFIX) +
	    TEMP_RANDOM + 1 > sizeof(temp_path)) {
		print_error("cannot create a temporary file beside %s: %s",
			    file, strerror(ENAMETOOLONG));
		return -1;
	}

	catch_ending_signals();
	for (tries = 0; tries < TEMP_TRIES; tries++) {
		if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd)) {
			print_error("cannot name a temporary file: %s",
				    strerror(errno));
			return -1;
		}
		len = snprintf(temp_path, sizeof(temp_path), "%s%s" TEMP_PREFIX,
			       dir, dir[dir_len - 1] == '/' ? "" : "/");
		for (i = 0; i < TEMP_RANDOM; i++)
			temp_path[len++] =
				letters[rnd[i] % (sizeof(letters) - 1)];
		temp_path[len] = '\0';
		fd = open(temp_path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
			  O_CLOEXEC, 0666);
		if (fd >= 0) {
			temp_exists = 1;
			return fd;
		}
		if (errno != EEXIST)
			break;
	}
	print_error("cannot create a temporary file in %s: %s", dir,
		    strerror(errno));
	return -1;
}

/*
 * Where --out FILE is written: a temporary file, when FILE is missing or
 * a regular file (whose permissions the new one takes), or FILE itself in
 * place when it is a device or a fifo (--out /dev/null). Never through a
 * symbolic link. The descriptor, or -1 after naming the cause.
 */
static int open_out(const char *file, bool *in_place)
{
	struct stat st;
	int fd;

	*in_place = false;
	if (lstat(file, &st)) {
		if (errno == ENOENT)
			return create_temp(file);
		print_error("cannot write %s: %s", file, strerror(errno));
		return -1;
	}
	if (S_ISLNK(st.st_mode)) {
		print_error("will not write %s: it is a symbolic link (name the file it points to)",
			    file);
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		print_error("cannot write %s: %s", file, strerror(EISDIR));
		return -1;
	}
	if (S_ISREG(st.st_mode)) {
		fd = create_temp(file);
		if (fd >= 0 && fchmod(fd, st.st_mode & 0777)) {
			print_error("cannot set the mode of %s: %s", temp_path,
				    strerror(errno));
			close(fd);
			remove_temp();
			return -1;
		}
		return fd;
	}

	fd = open(file, O_WRONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		print_error("cannot write %s: %s", file, strerror(errno));
		return -1;
	}
	/* replaced by a regular file since: not ours to overwrite */
	if (fstat(fd, &st) || S_ISREG(st.st_mode)) {
		print_error("will not write %s: it changed while being opened",
			    file);
		close(fd);
		return -1;
	}
	*in_place = true;
	return fd;
}

/* Writes the data to --out, or to stdout; false after naming the cause. */
static bool write_data(const struct import_opts *io,
		       const struct hdmabuf_import *imp)
{
	int fd = hdmabuf_import_get_fd(imp), out_fd;
	uint64_t length = data_length(imp);
	bool ok, in_place;

	if (!io->out)
		return copy_out(fd, length, STDOUT_FILENO, STDOUT_NAME);

	out_fd = open_out(io->out, &in_place);
	if (out_fd < 0)
		return false;
	ok = copy_out(fd, length, out_fd, io->out);
	if (ok && !in_place && fsync(out_fd)) {
		print_error("cannot write %s: %s", io->out, strerror(errno));
		ok = false;
	}
	if (close(out_fd) && ok) {
		print_error("cannot write %s: %s", io->out, strerror(errno));
		ok = false;
	}
	if (in_place)
		return ok;
	if (ok && rename(temp_path, io->out)) {
		print_error("cannot replace %s: %s", io->out, strerror(errno));
		ok = false;
	}
	/* half a file would pass for the whole: only the temporary one goes */
	if (ok)
		temp_exists = 0;
	else
		remove_temp();
	return ok;
}

static void print_planes(const struct hdmabuf_meta *meta)
{
	unsigned int i, n = hdmabuf_meta_get_num_planes(meta);
	uint32_t offset, stride;

	out_list_begin("planes", "planes");
	for (i = 0; i < n; i++) {
		if (hdmabuf_meta_get_plane(meta, i, &offset, &stride))
			continue;
		out_item_begin();
		out_int("offset", NULL, offset);
		out_int("stride", NULL, stride);
		out_item_end();
	}
	out_list_end();
}

static void print_import(const struct hdmabuf_import *imp)
{
	const struct hdmabuf_meta *meta = hdmabuf_import_get_meta(imp);
	uint32_t fourcc = hdmabuf_meta_get_fourcc(meta);
	const char *name = hdmabuf_meta_get_name(meta);
	char id[HDMABUF_ID_STRLEN], code[FOURCC_STRLEN];

	hdmabuf_id_format(hdmabuf_import_get_id(imp), id, sizeof(id));
	out_str("id", "id", id);
	out_int("size", "size", (long long)hdmabuf_import_get_size(imp));
	out_int("length", "length", (long long)data_length(imp));
	out_bool("read_write", "read-write", hdmabuf_import_is_writable(imp));
	out_str("name", "name", *name ? name : NULL);
	if (fourcc) {
		out_str("fourcc", "format", format_fourcc(fourcc, code));
		out_int("width", "width", hdmabuf_meta_get_width(meta));
		out_int("height", "height", hdmabuf_meta_get_height(meta));
		out_hex("modifier", "modifier",
			hdmabuf_meta_get_modifier(meta));
	} else {
		out_null("fourcc", "format");
		out_null("width", "width");
		out_null("height", "height");
		out_null("modifier", "modifier");
	}
	print_planes(meta);
}

static int run_import(const struct tool_cmd *cmd, struct tool_opts *opts,
		      int argc, char **argv)
{
	struct import_opts io = { 0 };
	struct op_subject subj = { .id = &io.id };
	struct hdmabuf_import *imp;
	struct hdmabuf_ctx *ctx;
	bool data_to_stdout;
	int ret = EXIT_FAILURE;

	parse_import_options(cmd, opts, &io, argc, argv);
	subj.device = opts->device;
	subj.peer = io.id.domid;
	/* with --json, standard output is for the JSON alone */
	data_to_stdout = !io.out && !opts->json;

	ctx = open_device(opts->device);
	if (!ctx)
		return EXIT_FAILURE;
	imp = hdmabuf_ctx_import(ctx, &io.id);
	if (!imp) {
		report_error(OP_IMPORT, errno, &subj);
		goto out;
	}

	if ((io.out || data_to_stdout) && !write_data(&io, imp))
		goto out;

	out_begin_to(opts->json, data_to_stdout ? stderr : stdout);
	print_import(imp);
	out_end();
	ret = EXIT_SUCCESS;

out:
	hdmabuf_import_release(imp);
	hdmabuf_ctx_close(ctx);
	return ret;
}

const struct tool_cmd cmd_import = {
	.name = "import",
	.summary = "Import a buffer by its id and write out its bytes",
	.usage = "[OPTIONS] ID",
	.options_help =
		"      --out FILE     write the bytes to FILE, replaced whole once\n"
		"                     written, never through a symbolic link\n"
		"                     (default: standard output, then the\n"
		"                     description goes to standard error; with\n"
		"                     --json, no bytes)\n",
	.run = run_import,
};
