/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the check tests of libhyperdmabuf share: a sample id, descriptors
 * to hand out as the module's, the checks every call of the library gets
 * (errors reach the caller, a signal makes it ask again) and main()'s
 * running of a suite.
 */
#ifndef HDMABUF_LIB_TEST_H
#define HDMABUF_LIB_TEST_H

#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <hyperdmabuf.h>
#include <linux/hyper_dmabuf.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define XR24		0x34325258u	/* fourcc_code('X', 'R', '2', '4') */

/* One id in both forms: the library's and the uAPI's */
extern const struct hdmabuf_id sample_hid;
extern const struct hyper_dmabuf_id sample_id;
#define IS_SAMPLE_ID(uapi_id) \
	(memcmp(&(uapi_id), &sample_id, sizeof(sample_id)) == 0)

bool zeroed(const void *p, size_t len);
#define ZEROED(field)	zeroed(&(field), sizeof(field))

/* failed, the result of a call, says it failed, and errno is err. */
#define ASSERT_FAILS_WITH(failed, err) do {				\
	errno = 0;							\
	ck_assert(failed);						\
	ck_assert_int_eq(errno, err);					\
} while (0)

/* A new descriptor (on /dev/null) for a reply to hand out as a dma-buf. */
int new_fd(void);
bool fd_is_open(int fd);

/* A call of the library on ctx; true if it failed (-1 or NULL). */
typedef bool lib_call(struct hdmabuf_ctx *ctx);
/* Each of errors, as the shim's answer, reaches the caller as errno. */
void assert_errors_pass(lib_call *call, const int *errors, size_t n);
#define ASSERT_ERRORS_PASS(call, ...) do {				\
	static const int errors_[] = { __VA_ARGS__ };			\
	assert_errors_pass(call, errors_, ARRAY_SIZE(errors_));		\
} while (0)
/* After eintrs answers EINTR, the call is made again and succeeds. */
void assert_retried_after_eintr(lib_call *call, int eintrs);

/* A test case whose tests each start with a shim that has seen nothing. */
TCase *shim_tcase(const char *name);

/* Runs the test cases (a NULL-terminated list) as one suite: main's status. */
int run_suite(const char *name, ...);

#endif /* HDMABUF_LIB_TEST_H */
