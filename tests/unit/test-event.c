// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tests of the events in libhyperdmabuf: hdmabuf_ctx_read_event() on a
 * pipe opened in place of the device, what the test writes into it being
 * what the module's read() would return: the fields, the order, the
 * timeout, a signal while it waits, records it does not know or cannot be.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "lib-test.h"

/*
 * Events are read from a pipe opened in place of the device: what the test
 * writes into it is what the module's read() would return.
 */
static struct hdmabuf_ctx *fifo_ctx(void)
{
	struct hdmabuf_ctx *ctx;
	char path[32];
	int ends[2];

	ck_assert_int_eq(pipe(ends), 0);
	/* the pipe opened again read-write, by path, as the device would be */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", ends[0]);
	ctx = hdmabuf_ctx_open(path);
	close(ends[0]);
	close(ends[1]);
	ck_assert_ptr_nonnull(ctx);
	return ctx;
}

static void put_event(int fd, __u32 type, __u32 peer,
		      const struct hyper_dmabuf_id *id, __u64 value, __u64 ts)
{
	struct hyper_dmabuf_event ev = {
		.type = type,
		.peer = peer,
		.value = value,
		.timestamp_ns = ts,
	};

	if (id)
		ev.id = *id;
	ck_assert_int_eq(write(fd, &ev, sizeof(ev)), sizeof(ev));
}

static long long elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000LL +
	       (now.tv_nsec - start->tv_nsec) / 1000000;
}

START_TEST(event_fields)
{
	struct hdmabuf_ctx *ctx = fifo_ctx();
	struct hdmabuf_event *ev;

	put_event(hdmabuf_ctx_get_fd(ctx), HYPER_DMABUF_EVENT_SIGNALLED, 3,
		  &sample_id, 42, 123456789);
	ev = hdmabuf_ctx_read_event(ctx, 0);
	ck_assert_ptr_nonnull(ev);
	/* the event does not depend on the context */
	hdmabuf_ctx_close(ctx);
	ck_assert_int_eq(hdmabuf_event_get_type(ev), HDMABUF_EVENT_SIGNALLED);
	ck_assert_uint_eq(hdmabuf_event_get_peer(ev), 3);
	ck_assert(hdmabuf_id_equal(hdmabuf_event_get_id(ev), &sample_hid));
	ck_assert(hdmabuf_event_get_value(ev) == 42);
	ck_assert(hdmabuf_event_get_timestamp_ns(ev) == 123456789);
	hdmabuf_event_free(ev);
}
END_TEST

START_TEST(event_overflow)
{
	static const struct hdmabuf_id zero_id = { 0 };
	struct hdmabuf_ctx *ctx = fifo_ctx();
	struct hdmabuf_event *ev;

	put_event(hdmabuf_ctx_get_fd(ctx), HYPER_DMABUF_EVENT_OVERFLOW, 0,
		  NULL, 17, 5);
	ev = hdmabuf_ctx_read_event(ctx, -1);
	ck_assert_ptr_nonnull(ev);
	ck_assert_int_eq(hdmabuf_event_get_type(ev), HDMABUF_EVENT_OVERFLOW);
	ck_assert(hdmabuf_event_get_value(ev) == 17);
	ck_assert_uint_eq(hdmabuf_event_get_peer(ev), 0);
	ck_assert(hdmabuf_id_equal(hdmabuf_event_get_id(ev), &zero_id));
	hdmabuf_event_free(ev);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* One event at a time, in order; then the queue is empty. */
START_TEST(event_order)
{
	struct hdmabuf_ctx *ctx = fifo_ctx();
	int fd = hdmabuf_ctx_get_fd(ctx);
	struct hdmabuf_event *ev;
	__u32 type;

	put_event(fd, HYPER_DMABUF_EVENT_OFFERED, 3, &sample_id, 0, 1);
	put_event(fd, HYPER_DMABUF_EVENT_IMPORTED, 4, &sample_id, 0, 2);
	put_event(fd, HYPER_DMABUF_EVENT_RELEASED, 5, &sample_id, 0, 3);
	for (type = HYPER_DMABUF_EVENT_OFFERED;
	     type <= HYPER_DMABUF_EVENT_RELEASED; type++) {
		ev = hdmabuf_ctx_read_event(ctx, 1000);
		ck_assert_ptr_nonnull(ev);
		ck_assert_int_eq(hdmabuf_event_get_type(ev), type);
		ck_assert_uint_eq(hdmabuf_event_get_peer(ev), type + 1);
		ck_assert(hdmabuf_event_get_timestamp_ns(ev) == type - 1);
		hdmabuf_event_free(ev);
	}
	ASSERT_FAILS_WITH(!hdmabuf_ctx_read_event(ctx, 0), ETIMEDOUT);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(event_timeout)
{
	struct hdmabuf_ctx *ctx = fifo_ctx();
	struct timespec start;

	clock_gettime(CLOCK_MONOTONIC, &start);
	ASSERT_FAILS_WITH(!hdmabuf_ctx_read_event(ctx, 0), ETIMEDOUT);
	ck_assert_int_lt(elapsed_ms(&start), 100);

	clock_gettime(CLOCK_MONOTONIC, &start);
	ASSERT_FAILS_WITH(!hdmabuf_ctx_read_event(ctx, 150), ETIMEDOUT);
	ck_assert_int_ge(elapsed_ms(&start), 140);
	hdmabuf_ctx_close(ctx);
}
END_TEST

static int alarm_fd = -1;
static volatile sig_atomic_t alarms;

/* The event comes while the reader is in poll(), with a signal. */
static void on_alarm(int sig)
{
	struct hyper_dmabuf_event ev = {
		.type = HYPER_DMABUF_EVENT_UNEXPORTED,
		.peer = 9,
	};
	ssize_t n;

	(void)sig;
	alarms++;
	n = write(alarm_fd, &ev, sizeof(ev));
	(void)n;
}

START_TEST(event_after_signal)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval timer = { .it_value = { .tv_usec = 50000 } };
	struct hdmabuf_ctx *ctx = fifo_ctx();
	struct hdmabuf_event *ev;

	/* no SA_RESTART: poll() returns EINTR, as it would anyway */
	sigemptyset(&sa.sa_mask);
	ck_assert_int_eq(sigaction(SIGALRM, &sa, NULL), 0);
	alarm_fd = hdmabuf_ctx_get_fd(ctx);
	ck_assert_int_eq(setitimer(ITIMER_REAL, &timer, NULL), 0);
	ev = hdmabuf_ctx_read_event(ctx, 5000);
	ck_assert_int_eq(alarms, 1);
	ck_assert_ptr_nonnull(ev);
	ck_assert_int_eq(hdmabuf_event_get_type(ev), HDMABUF_EVENT_UNEXPORTED);
	ck_assert_uint_eq(hdmabuf_event_get_peer(ev), 9);
	hdmabuf_event_free(ev);
	signal(SIGALRM, SIG_DFL);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* A newer module may report types this library does not know. */
START_TEST(event_unknown_type)
{
	struct hdmabuf_ctx *ctx = fifo_ctx();
	struct hdmabuf_event *ev;

	put_event(hdmabuf_ctx_get_fd(ctx), 99, 3, &sample_id, 6, 7);
	ev = hdmabuf_ctx_read_event(ctx, 0);
	ck_assert_ptr_nonnull(ev);
	ck_assert_int_eq(hdmabuf_event_get_type(ev), 99);
	ck_assert_ptr_null(hdmabuf_event_type_name(hdmabuf_event_get_type(ev)));
	ck_assert(hdmabuf_event_get_value(ev) == 6);
	hdmabuf_event_free(ev);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* The module returns whole events only; anything else is its fault. */
START_TEST(event_short_record)
{
	struct hdmabuf_ctx *ctx = fifo_ctx();

	ck_assert_int_eq(write(hdmabuf_ctx_get_fd(ctx), "0123456789", 10), 10);
	ASSERT_FAILS_WITH(!hdmabuf_ctx_read_event(ctx, 0), EPROTO);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* /dev/null is always readable, and reads nothing. */
START_TEST(event_from_other_device)
{
	struct hdmabuf_ctx *ctx = hdmabuf_ctx_open("/dev/null");

	ck_assert_ptr_nonnull(ctx);
	ASSERT_FAILS_WITH(!hdmabuf_ctx_read_event(ctx, 0), EPROTO);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* A peer coming up: the other domain, and no id. */
START_TEST(event_peer_up_and_down)
{
	static const struct hdmabuf_id zero_id = { 0 };
	struct hdmabuf_ctx *ctx = fifo_ctx();
	int fd = hdmabuf_ctx_get_fd(ctx);
	struct hdmabuf_event *ev;

	put_event(fd, HYPER_DMABUF_EVENT_PEER_UP, 3, NULL, 0, 11);
	put_event(fd, HYPER_DMABUF_EVENT_PEER_DOWN, 3, NULL, 0, 12);
	ev = hdmabuf_ctx_read_event(ctx, 0);
	ck_assert_ptr_nonnull(ev);
	ck_assert_int_eq(hdmabuf_event_get_type(ev), HDMABUF_EVENT_PEER_UP);
	ck_assert_str_eq(hdmabuf_event_type_name(hdmabuf_event_get_type(ev)),
			 "peer-up");
	ck_assert_uint_eq(hdmabuf_event_get_peer(ev), 3);
	ck_assert(hdmabuf_id_equal(hdmabuf_event_get_id(ev), &zero_id));
	ck_assert(hdmabuf_event_get_timestamp_ns(ev) == 11);
	hdmabuf_event_free(ev);
	ev = hdmabuf_ctx_read_event(ctx, 0);
	ck_assert_ptr_nonnull(ev);
	ck_assert_int_eq(hdmabuf_event_get_type(ev), HDMABUF_EVENT_PEER_DOWN);
	ck_assert_uint_eq(hdmabuf_event_get_peer(ev), 3);
	hdmabuf_event_free(ev);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(free_null)
{
	hdmabuf_event_free(NULL);
}
END_TEST

static TCase *event_tcase(void)
{
	TCase *tc = tcase_create("events");

	tcase_add_test(tc, event_fields);
	tcase_add_test(tc, event_overflow);
	tcase_add_test(tc, event_order);
	tcase_add_test(tc, event_timeout);
	tcase_add_test(tc, event_after_signal);
	tcase_add_test(tc, event_unknown_type);
	tcase_add_test(tc, event_short_record);
	tcase_add_test(tc, event_from_other_device);
	tcase_add_test(tc, event_peer_up_and_down);
	tcase_add_test(tc, free_null);
	return tc;
}

int main(void)
{
	return run_suite("libhyperdmabuf events", event_tcase(), NULL);
}
