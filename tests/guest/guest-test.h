/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the guest test programs share: their command line, the "ok" /
 * "not ok" lines and their count, the raw calls of /dev/hyper_dmabuf they
 * all make, data patterns, pipes to child processes and the module's
 * debugfs counters.
 */
#ifndef HDMABUF_GUEST_TEST_H
#define HDMABUF_GUEST_TEST_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/hyper_dmabuf.h>

#define EXIT_USAGE	2
#define EXIT_SKIP	77

#define DEFAULT_DEVICE	"/dev/hyper_dmabuf"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MIB		(1024ULL * 1024)

#define NUM_RESERVED(type) \
	(sizeof(((struct type *)0)->reserved) / sizeof(__u64))

/* A serial no export of this run has: far past any the module hands out. */
#define SERIAL_OFFSET	0x40000000U

/* The seed of the pattern whose bytes are all zero; others are the tests'. */
enum { SEED_ZERO = 0 };

/* A dma-buf of the module's own */
struct buf {
	int fd;
	size_t size;
};

/* Why a helper failed, for the details of a "not ok" line */
struct why {
	char text[256];
};

/* ---- the command line ---- */

enum option_kind {
	OPTION_STRING,		/* const char ** */
	OPTION_FLAG,		/* bool *, set when given */
	OPTION_UINT,		/* unsigned int * */
	OPTION_ULONG,		/* unsigned long * */
	OPTION_ULLONG,		/* unsigned long long * */
	OPTION_CALL,		/* void parse(const char *arg, void *value) */
};

/* One --option of a program; a table of them ends with { NULL }. */
struct test_option {
	const char *name;
	const char *arg;	/* its argument's name in --help; NULL: none */
	enum option_kind kind;
	void *value;
	unsigned long long max;	/* numbers: the largest taken */
	bool *given;		/* set when on the command line; may be NULL */
	void (*parse)(const char *arg, void *value);	/* OPTION_CALL */
	const char *help;	/* '\n' continues it on the next line */
};

#define NUMBER_KIND(p) _Generic((p),					\
	unsigned int *: OPTION_UINT,					\
	unsigned long *: OPTION_ULONG,					\
	unsigned long long *: OPTION_ULLONG)
#define NUMBER_MAX(p) _Generic((p),					\
	unsigned int *: UINT_MAX,					\
	unsigned long *: ULONG_MAX,					\
	unsigned long long *: ULLONG_MAX)

#define STRING_OPTION(name, arg, value, help)				\
	{ name, arg, OPTION_STRING, 1 ? (value) : (const char **)0, 0,	\
	  NULL, NULL, help }
#define FLAG_OPTION(name, value, help)					\
	{ name, NULL, OPTION_FLAG, 1 ? (value) : (bool *)0, 0, NULL,	\
	  NULL, help }
/* A number up to max (0: all its type holds), in C's notations */
#define NUMBER_OPTION(name, arg, value, max, given, help)		\
	{ name, arg, NUMBER_KIND(value), value,				\
	  (max) ? (max) : NUMBER_MAX(value), given, NULL, help }
/* An argument parse() takes apart itself, calling usage_error() if bad */
#define CALL_OPTION(name, arg, parse, value, help)			\
	{ name, arg, OPTION_CALL, value, 0, NULL, parse, help }

/*
 * A program's command line: its options, --help, and --device and
 * --no-counters where it has them
 */
struct test_command {
	const char *synopsis;	/* after "Usage: "; NULL: "NAME [OPTIONS]" */
	const char *about;	/* a paragraph for --help, or NULL */
	const struct test_option *options;	/* may be NULL */
	const char **device;	/* --device PATH; its value is the default */
	bool *no_counters;	/* --no-counters: no check_counters() */
	int max_operands;	/* arguments past the options; -1: any */
};

/*
 * The options from argv[first] on into their values (getopt moves the
 * operands last); returns the index of the first operand. --help prints
 * the usage and exits 0; a bad command line exits 2.
 */
int parse_command_line(const struct test_command *cmd, int argc,
		       char **argv, int first);
/* The usage of the command line parsed, on stderr; exits 2. */
void bad_usage(void) __attribute__((noreturn));
/* "program: message" before it */
void usage_error(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));
/* arg as a number up to max, in C's notations, or a usage error */
unsigned long long parse_number(const char *option, const char *arg,
				unsigned long long max);

/* ---- results ---- */

/* "ok - name" or "not ok - name: details"; returns passed. */
bool check(const char *name, bool passed, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A step a group of checks needs failed: the rest of the group is off. */
bool setup_failed(const char *group, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * A check that cannot run here: "# skip: ..." on stdout, and a line in the
 * file $HDMABUF_TEST_SKIPS names when set (the lab's record of skips).
 */
void skipped(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Fills why; returns false. */
bool because(struct why *why, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const char *result_name(int err);
/* HYPER_DMABUF_EVENT_* by name, "unknown" past them */
const char *event_name(__u32 type);
/* ret: 0 or an errno, as from xioctl() */
bool expect_errno(const char *name, int ret, int want);
/* The errno a scenario names on a command line; exits 2 if unknown. */
int errno_by_name(const char *name);

/* Before any check: line-buffered output; exits 77 without the device. */
void test_start(const char *device);
/* GET_CAPS into *caps, or exit: every check needs API 2 and loopback. */
void get_caps(int dev, struct hyper_dmabuf_caps *caps);
/* Prints the closing "# N passed, M failed"; returns the exit status. */
int test_summary(void);

/* sysconf's page size; 4096 should it fail */
size_t page_size(void);
int xioctl(int fd, unsigned long request, void *arg);
__u64 uptr(const void *p);
void sleep_ms(unsigned int ms);

uint32_t hash32(uint32_t x);
uint32_t pattern_word(size_t index, uint32_t seed);
void fill_pattern(void *p, size_t size, uint32_t seed);
bool check_pattern(const void *p, size_t size, uint32_t seed,
		   struct why *why);
int buf_sync(int fd, __u64 flags);
/* Maps fd shared, read-write, and fills it between SYNC start and end. */
bool fill_fd(int fd, size_t size, uint32_t seed, struct why *why);
/* Maps fd shared, read-only, and checks it between SYNC start and end. */
bool verify_fd(int fd, size_t size, uint32_t seed, struct why *why);

int alloc_buf(int dev, __u64 size, struct buf *buf);
/* An ALLOC buffer holding the pattern of seed; false after a "not ok". */
bool new_filled_buf(int dev, const char *group, __u64 size, uint32_t seed,
		    struct buf *buf);
/* EXPORT arguments for fd to HYPER_DMABUF_DOMID_SELF */
struct hyper_dmabuf_export export_args(int fd, __u32 flags,
				       const struct hyper_dmabuf_meta *meta);
int do_export(int dev, struct hyper_dmabuf_export *e);
/* im->fd is -1 unless it succeeded */
int import_id(int dev, const struct hyper_dmabuf_id *id,
	      struct hyper_dmabuf_meta *meta, struct hyper_dmabuf_import *im);
int unexport_id(int dev, const struct hyper_dmabuf_id *id, __u32 delay_ms);
/* QUERY of @id: 0 and *@info, or the errno */
int query_id(int dev, const struct hyper_dmabuf_id *id,
	     struct hyper_dmabuf_info *info);
int signal_id(int dev, const struct hyper_dmabuf_id *id, __u64 value);
/*
 * The try_* calls run a request that should fail on a copy of *in and undo
 * what it made if it did not, so a wrong answer leaves nothing behind.
 */
int try_alloc(int dev, const struct hyper_dmabuf_alloc *in);
int try_export(int dev, const struct hyper_dmabuf_export *in);
int try_import(int dev, const struct hyper_dmabuf_import *in);
int try_unexport(int dev, const struct hyper_dmabuf_unexport *in);
/*
 * The "must be zero" fields of a request, on copies of *base: each bit of
 * flags not in allowed ("<what> each [unknown] flag bit -> EINVAL", one
 * check naming the first bit not refused), reserved0 = 1 unless its offset
 * is -1 ("<what> reserved0 non-zero -> EINVAL") and each reserved[i] =
 * 1 << 63 ("<what> reserved[i] non-zero -> EINVAL"). call runs the request
 * on a copy it may change, like the try_* calls.
 */
typedef int zero_call_fn(int dev, void *arg);
void expect_zero_fields(const char *what, int dev, zero_call_fn *call,
			const void *base, size_t size, size_t flags_off,
			uint32_t allowed_flags, ssize_t reserved0_off,
			size_t reserved_off, size_t n_reserved);
#define RESERVED0_OF(type)	((ssize_t)offsetof(struct type, reserved0))
#define NO_RESERVED0		((ssize_t)-1)
/* For a struct type with flags and reserved[]; base: const struct type * */
#define EXPECT_ZERO_FIELDS(what, dev, call, base, type, allowed, reserved0_off) \
	expect_zero_fields(what, dev, call,				\
			   1 ? (base) : (const struct type *)0,		\
			   sizeof(struct type), offsetof(struct type, flags), \
			   allowed, reserved0_off,			\
			   offsetof(struct type, reserved), NUM_RESERVED(type))
/*
 * The id of a request naming an export, wrong on copies of *base: "<what>
 * unknown serial -> ENOENT", then for the key words in wrong_keys (flipped)
 * "<what> right serial, wrong key -> EKEYREJECTED", or with both words
 * "..., key[i] wrong -> ...". call runs it, as for expect_zero_fields().
 */
enum { WRONG_KEY0 = 1, WRONG_KEY1 = 2 };
void expect_id_checked(const char *what, int dev, zero_call_fn *call,
		       const void *base, size_t size, size_t id_off,
		       unsigned int wrong_keys);
/* For a struct type with an id; base: const struct type * */
#define EXPECT_ID_CHECKED(what, dev, call, base, type, wrong_keys)	\
	expect_id_checked(what, dev, call,				\
			  1 ? (base) : (const struct type *)0,		\
			  sizeof(struct type), offsetof(struct type, id), \
			  wrong_keys)
/* Opened read-write, or "not ok" and exit. */
int open_device(const char *device);

bool read_full(int fd, void *p, size_t len);
bool write_full(int fd, const void *p, size_t len);
const char *wait_status_text(int status, char *text, size_t len);

/* debugfs hyper_dmabuf/counters: shown at the start, all 0 at the end */
void print_counters(void);
void check_counters(void);

#endif /* HDMABUF_GUEST_TEST_H */
