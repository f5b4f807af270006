// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The helpers the guest test programs share; see guest-test.h.
 */
#define _FILE_OFFSET_BITS 64	/* as in the programs that link this */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/dma-buf.h>

#include "guest-test.h"

#define DEBUGFS_DIR	"/sys/kernel/debug"
#define COUNTERS_FILE	DEBUGFS_DIR "/hyper_dmabuf/counters"
#define COUNTERS_WAIT_MS 2000

/* ---- the command line ---------------------------------------------------- */

/* getopt_long's values: the table's index past these */
enum { OPTION_HELP = 'h', OPTION_DEVICE = 0x100, OPTION_NO_COUNTERS,
       OPTION_TABLE };

static const struct test_command *command;	/* for usage_error() */

static void print_option(FILE *f, const char *name, const char *arg,
			 const char *help, int width)
{
	char head[64];
	const char *end;

	snprintf(head, sizeof(head), "%s%s%s", name, arg ? " " : "",
		 arg ? arg : "");
	fprintf(f, "  %-*s", width, head);
	for (;;) {
		end = strchr(help, '\n');
		if (!end) {
			fprintf(f, "  %s\n", help);
			return;
		}
		fprintf(f, "  %.*s\n  %-*s", (int)(end - help), help, width, "");
		help = end + 1;
	}
}

/* A number's help says its default when that is not 0. */
static const char *help_with_default(const struct test_option *o,
				     char *text, size_t len)
{
	unsigned long long value;

	switch (o->kind) {
	case OPTION_UINT:
		value = *(const unsigned int *)o->value;
		break;
	case OPTION_ULONG:
		value = *(const unsigned long *)o->value;
		break;
	case OPTION_ULLONG:
		value = *(const unsigned long long *)o->value;
		break;
	default:
		return o->help;
	}
	if (!value)
		return o->help;
	snprintf(text, len, "%s (default: %llu)", o->help, value);
	return text;
}

static void print_usage(FILE *f)
{
	const struct test_option *o;
	char name[64], device_help[128], help[256];
	int width = (int)strlen(command->device ? "--device PATH" :
						  "-h, --help");
	int len;

	if (command->synopsis)
		fprintf(f, "Usage: %s\n", command->synopsis);
	else
		fprintf(f, "Usage: %s [OPTIONS]\n",
			program_invocation_short_name);
	if (command->about)
		fprintf(f, "\n%s\n", command->about);
	fprintf(f, "\nOptions:\n");
	for (o = command->options; o && o->name; o++) {
		len = snprintf(name, sizeof(name), "--%s%s%s", o->name,
			       o->arg ? " " : "", o->arg ? o->arg : "");
		if (o->help && len > width)
			width = len;
	}
	for (o = command->options; o && o->name; o++) {
		if (!o->help)
			continue;
		snprintf(name, sizeof(name), "--%s", o->name);
		print_option(f, name, o->arg,
			     help_with_default(o, help, sizeof(help)), width);
	}
	if (command->device) {
		snprintf(device_help, sizeof(device_help),
			 "the device (default: %s)", *command->device);
		print_option(f, "--device", "PATH", device_help, width);
	}
	if (command->no_counters)
		print_option(f, "--no-counters", NULL,
			     "leave out the check that the debugfs counters\n"
			     "return to 0 at the end", width);
	print_option(f, "-h, --help", NULL, "show this help and exit", width);
}

void bad_usage(void)
{
	print_usage(stderr);
	exit(EXIT_USAGE);
}

void usage_error(const char *fmt, ...)
{
	char message[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: %s\n", program_invocation_short_name, message);
	bad_usage();
}

unsigned long long parse_number(const char *option, const char *arg,
				unsigned long long max)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(arg, &end, 0);
	if (errno || end == arg || *end || *arg == '-' || v > max)
		usage_error("--%s: not a number up to %llu: '%s'", option, max,
			    arg);
	return v;
}

static void take_option(const struct test_option *o, const char *arg)
{
	switch (o->kind) {
	case OPTION_STRING:
		*(const char **)o->value = arg;
		break;
	case OPTION_FLAG:
		*(bool *)o->value = true;
		break;
	case OPTION_UINT:
		*(unsigned int *)o->value = parse_number(o->name, arg, o->max);
		break;
	case OPTION_ULONG:
		*(unsigned long *)o->value = parse_number(o->name, arg, o->max);
		break;
	case OPTION_ULLONG:
		*(unsigned long long *)o->value = parse_number(o->name, arg,
							       o->max);
		break;
	case OPTION_CALL:
		o->parse(arg, o->value);
		break;
	}
	if (o->given)
		*o->given = true;
}

int parse_command_line(const struct test_command *cmd, int argc,
		       char **argv, int first)
{
	struct option longopts[64];
	size_t n = 0, i;
	int opt;

	command = cmd;
	for (i = 0; cmd->options && cmd->options[i].name; i++) {
		if (n + 4 > ARRAY_SIZE(longopts)) {
			fprintf(stderr, "parse_command_line: too many options\n");
			abort();
		}
		longopts[n++] = (struct option){
			cmd->options[i].name,
			cmd->options[i].arg ? required_argument : no_argument,
			NULL, OPTION_TABLE + (int)i };
	}
	longopts[n++] = (struct option){ "help", no_argument, NULL,
					 OPTION_HELP };
	if (cmd->device)
		longopts[n++] = (struct option){ "device", required_argument,
						 NULL, OPTION_DEVICE };
	if (cmd->no_counters)
		longopts[n++] = (struct option){ "no-counters", no_argument,
						 NULL, OPTION_NO_COUNTERS };
	longopts[n] = (struct option){ NULL, 0, NULL, 0 };

	optind = first;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (opt == OPTION_HELP) {
			print_usage(stdout);
			exit(EXIT_SUCCESS);
		} else if (opt == OPTION_DEVICE) {
			*cmd->device = optarg;
		} else if (opt == OPTION_NO_COUNTERS) {
			*cmd->no_counters = true;
		} else if (opt >= OPTION_TABLE) {
			take_option(&cmd->options[opt - OPTION_TABLE], optarg);
		} else {
			usage_error("unknown option");
		}
	}
	if (cmd->max_operands >= 0 && argc - optind > cmd->max_operands)
		usage_error("unexpected argument");
	return optind;
}

/* ---- results ------------------------------------------------------------- */

static unsigned int passes, failures;

bool check(const char *name, bool passed, const char *fmt, ...)
{
	va_list ap;

	if (passed) {
		passes++;
		printf("ok - %s\n", name);
		return true;
	}
	failures++;
	printf("not ok - %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	return false;
}

/* A step a group of checks needs failed: the rest of the group is off. */
void skipped(const char *fmt, ...)
{
	const char *record = getenv("HDMABUF_TEST_SKIPS");
	char text[512];
	va_list ap;
	FILE *f;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	printf("# skip: %s\n", text);
	f = record ? fopen(record, "ae") : NULL;
	if (f) {
		fprintf(f, "%s: %s\n", program_invocation_short_name, text);
		fclose(f);
	}
}

bool setup_failed(const char *group, const char *fmt, ...)
{
	va_list ap;

	failures++;
	printf("not ok - %s: setup: ", group);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	return false;
}

bool because(struct why *why, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why->text, sizeof(why->text), fmt, ap);
	va_end(ap);
	return false;
}

const char *event_name(__u32 type)
{
	static const char *const names[] = {
		[HYPER_DMABUF_EVENT_OVERFLOW] = "OVERFLOW",
		[HYPER_DMABUF_EVENT_OFFERED] = "OFFERED",
		[HYPER_DMABUF_EVENT_IMPORTED] = "IMPORTED",
		[HYPER_DMABUF_EVENT_RELEASED] = "RELEASED",
		[HYPER_DMABUF_EVENT_UNEXPORTED] = "UNEXPORTED",
		[HYPER_DMABUF_EVENT_REVOKED] = "REVOKED",
		[HYPER_DMABUF_EVENT_SIGNALLED] = "SIGNALLED",
		[HYPER_DMABUF_EVENT_PEER_UP] = "PEER_UP",
		[HYPER_DMABUF_EVENT_PEER_DOWN] = "PEER_DOWN",
	};

	return type < ARRAY_SIZE(names) && names[type] ? names[type] : "unknown";
}

const char *result_name(int err)
{
	return err ? strerror(err) : "success";
}

/* ret: 0 or an errno, as from xioctl() */
bool expect_errno(const char *name, int ret, int want)
{
	return check(name, ret == want, "got %s, expected %s",
		     result_name(ret), result_name(want));
}

int errno_by_name(const char *name)
{
	static const struct { const char *name; int err; } known[] = {
		{ "EOPNOTSUPP", EOPNOTSUPP }, { "ENOENT", ENOENT },
		{ "ENOTCONN", ENOTCONN }, { "EKEYREJECTED", EKEYREJECTED },
		{ "ENODEV", ENODEV }, { "ENOSPC", ENOSPC },
		{ "EINVAL", EINVAL }, { "EACCES", EACCES }, { "ESRCH", ESRCH },
		{ "EPERM", EPERM }, { "ENOMEM", ENOMEM },
		{ "ETIMEDOUT", ETIMEDOUT }, { "EDQUOT", EDQUOT },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(known); i++)
		if (!strcmp(known[i].name, name))
			return known[i].err;
	fprintf(stderr, "unknown errno name '%s'\n", name);
	exit(EXIT_USAGE);
}

size_t page_size(void)
{
	long page = sysconf(_SC_PAGESIZE);

	return page > 0 ? (size_t)page : 4096;
}

int xioctl(int fd, unsigned long request, void *arg)
{
	return ioctl(fd, request, arg) ? errno : 0;
}

__u64 uptr(const void *p)
{
	return (__u64)(uintptr_t)p;
}

void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* ---- patterns ------------------------------------------------------------ */

/* A 32-bit integer hash: every bit of x moves about half of the result. */
uint32_t hash32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	x ^= x >> 16;
	return x;
}

/* Word index of the pattern of seed: a hash, so no two pages look alike. */
uint32_t pattern_word(size_t index, uint32_t seed)
{
	if (seed == SEED_ZERO)
		return 0;
	return hash32((uint32_t)index * 0x9e3779b9U ^ seed);
}

void fill_pattern(void *p, size_t size, uint32_t seed)
{
	unsigned char *bytes = p;
	size_t i;

	for (i = 0; i < size; i += 4) {
		uint32_t word = pattern_word(i / 4, seed);

		memcpy(bytes + i, &word, size - i < 4 ? size - i : 4);
	}
}

bool check_pattern(const void *p, size_t size, uint32_t seed,
		   struct why *why)
{
	const unsigned char *bytes = p;
	size_t i, j, n;

	for (i = 0; i < size; i += 4) {
		uint32_t word = pattern_word(i / 4, seed);
		const unsigned char *want = (const unsigned char *)&word;

		n = size - i < 4 ? size - i : 4;
		if (!memcmp(bytes + i, want, n))
			continue;
		for (j = 0; j < n && bytes[i + j] == want[j]; j++)
			;
		return because(why, "byte %zu of %zu is 0x%02x, expected 0x%02x",
			       i + j, size, bytes[i + j], want[j]);
	}
	return true;
}

int buf_sync(int fd, __u64 flags)
{
	struct dma_buf_sync sync = { .flags = flags };

	return xioctl(fd, DMA_BUF_IOCTL_SYNC, &sync);
}

/* Maps fd shared, read-write, and fills it between SYNC start and end. */
bool fill_fd(int fd, size_t size, uint32_t seed, struct why *why)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	int ret;

	if (p == MAP_FAILED)
		return because(why, "mmap read-write: %s", strerror(errno));
	ret = buf_sync(fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE);
	if (!ret) {
		fill_pattern(p, size, seed);
		ret = buf_sync(fd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE);
	}
	munmap(p, size);
	if (ret)
		return because(why, "DMA_BUF_IOCTL_SYNC: %s", strerror(ret));
	return true;
}

/* Maps fd shared, read-only, and checks it between SYNC start and end. */
bool verify_fd(int fd, size_t size, uint32_t seed, struct why *why)
{
	void *p = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	bool same = false;
	int ret;

	if (p == MAP_FAILED)
		return because(why, "mmap read-only: %s", strerror(errno));
	ret = buf_sync(fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
	if (ret) {
		because(why, "DMA_BUF_IOCTL_SYNC start: %s", strerror(ret));
	} else {
		same = check_pattern(p, size, seed, why);
		ret = buf_sync(fd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);
		if (ret && same)
			same = because(why, "DMA_BUF_IOCTL_SYNC end: %s",
				       strerror(ret));
	}
	munmap(p, size);
	return same;
}

/* ---- the calls ----------------------------------------------------------- */

int alloc_buf(int dev, __u64 size, struct buf *buf)
{
	struct hyper_dmabuf_alloc alloc = { .size = size };
	int ret = xioctl(dev, HYPER_DMABUF_IOCTL_ALLOC, &alloc);

	buf->fd = ret ? -1 : alloc.fd;
	buf->size = ret ? 0 : alloc.size;
	return ret;
}

/* An ALLOC buffer holding the pattern of seed; false after a "not ok". */
bool new_filled_buf(int dev, const char *group, __u64 size, uint32_t seed,
		    struct buf *buf)
{
	struct why why = { "" };
	int ret = alloc_buf(dev, size, buf);

	if (ret)
		return setup_failed(group, "ALLOC %llu bytes: %s",
				    (unsigned long long)size, strerror(ret));
	if (!fill_fd(buf->fd, buf->size, seed, &why)) {
		close(buf->fd);
		return setup_failed(group, "fill the ALLOC buffer: %s",
				    why.text);
	}
	return true;
}

struct hyper_dmabuf_export export_args(int fd, __u32 flags,
				       const struct hyper_dmabuf_meta *meta)
{
	struct hyper_dmabuf_export e = {
		.fd = fd,
		.peer = HYPER_DMABUF_DOMID_SELF,
		.flags = flags,
		.meta = uptr(meta),
	};

	return e;
}

int do_export(int dev, struct hyper_dmabuf_export *e)
{
	return xioctl(dev, HYPER_DMABUF_IOCTL_EXPORT, e);
}

int import_id(int dev, const struct hyper_dmabuf_id *id,
	      struct hyper_dmabuf_meta *meta, struct hyper_dmabuf_import *im)
{
	int ret;

	memset(im, 0, sizeof(*im));
	im->id = *id;
	im->meta = uptr(meta);
	ret = xioctl(dev, HYPER_DMABUF_IOCTL_IMPORT, im);
	if (ret)
		im->fd = -1;
	return ret;
}

int unexport_id(int dev, const struct hyper_dmabuf_id *id, __u32 delay_ms)
{
	struct hyper_dmabuf_unexport u = { .id = *id, .delay_ms = delay_ms };

	return xioctl(dev, HYPER_DMABUF_IOCTL_UNEXPORT, &u);
}

int query_id(int dev, const struct hyper_dmabuf_id *id,
	     struct hyper_dmabuf_info *info)
{
	struct hyper_dmabuf_query q = { .id = *id };
	int ret = xioctl(dev, HYPER_DMABUF_IOCTL_QUERY, &q);

	*info = q.info;
	return ret;
}

int signal_id(int dev, const struct hyper_dmabuf_id *id, __u64 value)
{
	struct hyper_dmabuf_signal sig = { .id = *id, .value = value };

	return xioctl(dev, HYPER_DMABUF_IOCTL_SIGNAL, &sig);
}

/*
 * The try_* calls run a request that should fail on a copy of *in and undo
 * what it made if it did not, so a wrong answer leaves nothing behind.
 */
int try_alloc(int dev, const struct hyper_dmabuf_alloc *in)
{
	struct hyper_dmabuf_alloc a = *in;
	int ret = xioctl(dev, HYPER_DMABUF_IOCTL_ALLOC, &a);

	if (!ret)
		close(a.fd);
	return ret;
}

int try_export(int dev, const struct hyper_dmabuf_export *in)
{
	struct hyper_dmabuf_export e = *in;
	int ret = do_export(dev, &e);

	if (!ret)
		unexport_id(dev, &e.id, 0);
	return ret;
}

int try_import(int dev, const struct hyper_dmabuf_import *in)
{
	struct hyper_dmabuf_import im = *in;
	int ret = xioctl(dev, HYPER_DMABUF_IOCTL_IMPORT, &im);

	if (!ret)
		close(im.fd);
	return ret;
}

int try_unexport(int dev, const struct hyper_dmabuf_unexport *in)
{
	struct hyper_dmabuf_unexport u = *in;

	return xioctl(dev, HYPER_DMABUF_IOCTL_UNEXPORT, &u);
}

void expect_zero_fields(const char *what, int dev, zero_call_fn *call,
			const void *base, size_t size, size_t flags_off,
			uint32_t allowed_flags, ssize_t reserved0_off,
			size_t reserved_off, size_t n_reserved)
{
	uint64_t words[64];	/* aligned for any request */
	unsigned char *arg = (unsigned char *)words;
	const uint32_t one32 = 1;
	const uint64_t top64 = 1ULL << 63;
	uint32_t flags = 0;
	char name[128];
	unsigned int bit;
	int ret = EINVAL;
	size_t i;

	if (size > sizeof(words) || flags_off + sizeof(flags) > size ||
	    (reserved0_off >= 0 &&
	     (size_t)reserved0_off + sizeof(one32) > size) ||
	    (n_reserved && reserved_off + n_reserved * sizeof(top64) > size)) {
		fprintf(stderr, "expect_zero_fields(%s): bad layout\n", what);
		abort();
	}

	for (bit = 0; bit < 32 && ret == EINVAL; bit++) {
		if (allowed_flags & 1U << bit)
			continue;
		flags = 1U << bit;
		memcpy(arg, base, size);
		memcpy(arg + flags_off, &flags, sizeof(flags));
		ret = call(dev, arg);
	}
	snprintf(name, sizeof(name), "%s each %sflag bit -> EINVAL", what,
		 allowed_flags ? "unknown " : "");
	check(name, ret == EINVAL, "flags 0x%x: got %s", flags,
	      result_name(ret));

	if (reserved0_off >= 0) {
		memcpy(arg, base, size);
		memcpy(arg + reserved0_off, &one32, sizeof(one32));
		snprintf(name, sizeof(name), "%s reserved0 non-zero -> EINVAL",
			 what);
		expect_errno(name, call(dev, arg), EINVAL);
	}

	for (i = 0; i < n_reserved; i++) {
		memcpy(arg, base, size);
		memcpy(arg + reserved_off + i * sizeof(top64), &top64,
		       sizeof(top64));
		snprintf(name, sizeof(name), "%s reserved[%zu] non-zero -> EINVAL",
			 what, i);
		expect_errno(name, call(dev, arg), EINVAL);
	}
}

/* *base into arg, with a wrong serial or key[key] flipped */
static void copy_with_id(unsigned char *arg, const void *base, size_t size,
			 size_t id_off, unsigned int key, bool wrong_serial)
{
	struct hyper_dmabuf_id id;

	memcpy(arg, base, size);
	memcpy(&id, arg + id_off, sizeof(id));
	if (wrong_serial)
		id.serial += SERIAL_OFFSET;
	else
		id.key[key] ^= key ? 1ULL << 63 : 1;
	memcpy(arg + id_off, &id, sizeof(id));
}

void expect_id_checked(const char *what, int dev, zero_call_fn *call,
		       const void *base, size_t size, size_t id_off,
		       unsigned int wrong_keys)
{
	uint64_t words[64];	/* aligned for any request */
	unsigned char *arg = (unsigned char *)words;
	char name[128];
	unsigned int key;

	if (size > sizeof(words) ||
	    id_off + sizeof(struct hyper_dmabuf_id) > size) {
		fprintf(stderr, "expect_id_checked(%s): bad layout\n", what);
		abort();
	}
	copy_with_id(arg, base, size, id_off, 0, true);
	snprintf(name, sizeof(name), "%s unknown serial -> ENOENT", what);
	expect_errno(name, call(dev, arg), ENOENT);
	for (key = 0; key < 2; key++) {
		if (!(wrong_keys & 1U << key))
			continue;
		copy_with_id(arg, base, size, id_off, key, false);
		if (wrong_keys == (WRONG_KEY0 | WRONG_KEY1))
			snprintf(name, sizeof(name),
				 "%s right serial, key[%u] wrong -> EKEYREJECTED",
				 what, key);
		else
			snprintf(name, sizeof(name),
				 "%s right serial, wrong key -> EKEYREJECTED",
				 what);
		expect_errno(name, call(dev, arg), EKEYREJECTED);
	}
}

int open_device(const char *device)
{
	int fd = open(device, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		printf("not ok - open %s: %s\n", device, strerror(errno));
		exit(EXIT_FAILURE);
	}
	return fd;
}

/* ---- children ------------------------------------------------------------ */

/* All len bytes read into p, or written from it; false at EOF or error */
static bool transfer_full(int fd, unsigned char *p, size_t len, bool write_it)
{
	ssize_t n;

	while (len) {
		n = write_it ? write(fd, p, len) : read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= n;
	}
	return true;
}

bool read_full(int fd, void *p, size_t len)
{
	return transfer_full(fd, p, len, false);
}

bool write_full(int fd, const void *p, size_t len)
{
	/* only written from: the cast lets one loop serve both */
	return transfer_full(fd, (unsigned char *)p, len, true);
}

const char *wait_status_text(int status, char *text, size_t len)
{
	if (WIFEXITED(status))
		snprintf(text, len, "child exited with %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(text, len, "child killed by signal %d", WTERMSIG(status));
	else
		snprintf(text, len, "child status 0x%x", status);
	return text;
}

/* ---- counters ------------------------------------------------------------ */

static const char *const counter_names[] = { "exports", "imports", "allocs",
					     "pages" };

static bool read_counters(long long *values, struct why *why)
{
	bool found[ARRAY_SIZE(counter_names)] = { false };
	long long value;
	char line[128], key[32];
	FILE *f = fopen(COUNTERS_FILE, "re");
	size_t i;

	if (!f)
		return because(why, "%s: %s", COUNTERS_FILE, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%31s %lld", key, &value) != 2)
			continue;
		for (i = 0; i < ARRAY_SIZE(counter_names); i++) {
			if (!strcmp(key, counter_names[i])) {
				values[i] = value;
				found[i] = true;
			}
		}
	}
	fclose(f);
	for (i = 0; i < ARRAY_SIZE(counter_names); i++)
		if (!found[i])
			return because(why, "%s has no line \"%s N\"",
				       COUNTERS_FILE, counter_names[i]);
	return true;
}

static const char *counters_text(const long long *values, char *text,
				 size_t len)
{
	snprintf(text, len, "exports %lld, imports %lld, allocs %lld, pages %lld",
		 values[0], values[1], values[2], values[3]);
	return text;
}

static void mount_debugfs(void)
{
	if (!access(COUNTERS_FILE, F_OK))
		return;
	if (mount("debugfs", DEBUGFS_DIR, "debugfs", 0, NULL) && errno != EBUSY)
		printf("# mount debugfs on %s: %s\n", DEBUGFS_DIR, strerror(errno));
}

void print_counters(void)
{
	long long values[ARRAY_SIZE(counter_names)];
	struct why why = { "" };
	char text[128];

	mount_debugfs();
	if (read_counters(values, &why))
		printf("# counters at the start: %s\n",
		       counters_text(values, text, sizeof(text)));
	else
		printf("# counters at the start: %s\n", why.text);
}

/* Releases are asynchronous (the last fput): wait a little for them. */
void check_counters(void)
{
	long long values[ARRAY_SIZE(counter_names)];
	struct why why = { "" };
	unsigned int waited;
	char text[128];
	size_t i;

	for (waited = 0;; waited += 50) {
		if (!read_counters(values, &why)) {
			check("counters all back to 0 once everything is released",
			      false, "%s", why.text);
			return;
		}
		for (i = 0; i < ARRAY_SIZE(values) && !values[i]; i++)
			;
		if (i == ARRAY_SIZE(values) || waited >= COUNTERS_WAIT_MS)
			break;
		sleep_ms(50);
	}
	check("counters all back to 0 once everything is released",
	      i == ARRAY_SIZE(values), "%s after %u ms",
	      counters_text(values, text, sizeof(text)), waited);
}

/* ---- start and end ------------------------------------------------------- */

void test_start(const char *device)
{
	setvbuf(stdout, NULL, _IOLBF, 0);	/* lines survive a crash */
	signal(SIGPIPE, SIG_IGN);		/* a dead child: EPIPE instead */
	if (access(device, F_OK) && errno == ENOENT) {
		skipped("all: %s does not exist (module not loaded)", device);
		exit(EXIT_SKIP);
	}
}

void get_caps(int dev, struct hyper_dmabuf_caps *caps)
{
	int ret;

	memset(caps, 0, sizeof(*caps));
	ret = xioctl(dev, HYPER_DMABUF_IOCTL_GET_CAPS, caps);
	if (!expect_errno("GET_CAPS succeeds", ret, 0) ||
	    !check("module API version is at least 2", caps->api_version >= 2,
		   "api_version %u", caps->api_version) ||
	    !check("loopback transport offered",
		   caps->transports & HYPER_DMABUF_TRANSPORT_LOOPBACK,
		   "transports 0x%x", caps->transports))
		exit(EXIT_FAILURE);
}

int test_summary(void)
{
	printf("# %u passed, %u failed\n", passes, failures);
	return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
