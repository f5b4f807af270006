// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hdmabuf-test-sync: QUERY, LIST (and the argument checks of PEERS), events
 * (read and poll), REVOKE, SIGNAL and WAIT of /dev/hyper_dmabuf, called raw
 * (without libhyperdmabuf) against the real module over the loopback
 * transport: every export goes to HYPER_DMABUF_DOMID_SELF and is imported
 * in this same kernel, by this process or by a child process with a device
 * fd of its own. Run as root inside a VM with the module loaded; see
 * --help for the options.
 *
 * Prints "ok - NAME" or "not ok - NAME: DETAILS" per check, and "# skip:
 * WHAT: WHY" for checks that cannot run here. Exit status: 0 all passed,
 * 1 a check failed, 2 usage error, 77 no device (skipped).
 */
#define _FILE_OFFSET_BITS 64	/* as guest-test.c */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/dma-buf.h>
#include <linux/hyper_dmabuf.h>
#include <linux/sync_file.h>

#include "guest-test.h"

#define EVENT_QUEUE_PARAM "/sys/module/hyper_dmabuf/parameters/event_queue_len"

#define EVENT_SIZE	sizeof(struct hyper_dmabuf_event)
#define MAX_EVENTS	32	/* records read at once */

#define RELEASE_WAIT_MS	2000	/* imports go at their last fput */
#define CHILD_WAIT_MS	10000	/* a child still running then is killed */
#define REPORT_WAIT_MS	6000	/* longer than any wait of a child */
#define BLOCKED_MIN_MS	150	/* a call that really blocked took this */
#define PEER_DELAY_MS	200	/* before the other side acts */
#define REVOKE_HOLD_MS	300	/* REVOKE timeout while the importer holds on */
#define REVOKE_LONG_MS	3000	/* REVOKE timeout the importer's close ends */
#define REVOKE_MAX_MS	60000
#define WAIT_LONG_MS	5000
#define OVERFLOW_LEN	2	/* event_queue_len for the overflow check */
#define OVERFLOW_EVENTS	5

/* Values of the timeline of the SIGNAL/WAIT checks, in the order used */
#define TL_FIRST	5
#define TL_BELOW	3
#define TL_BLOCKED	7
#define TL_FENCE	8
#define TL_IMPORTER	9
#define TL_NEVER	(1ULL << 50)	/* never signalled */
#define TL_CANCEL	100

/* One seed per buffer: bytes left over from another check never match. */
enum seed {
	SEED_QUERY = 0x5eed1001,
	SEED_OWN_DOMID,
	SEED_LIST,
	SEED_EVENTS,
	SEED_EVENTS_TWO,
	SEED_EVENTS_BLOCKED,
	SEED_OVERFLOW,
	SEED_REVOKE,
	SEED_REVOKE_WAIT,
	SEED_REVOKE_UNEXPORTED,
	SEED_TIMELINE,
	SEED_CANCEL,
	SEED_RW,
};

/* Exit status of the child processes */
enum child_result {
	CHILD_OK = 0,
	CHILD_NO_DEVICE = 10,
	CHILD_IMPORT,
	CHILD_MMAP,
	CHILD_DATA,
	CHILD_PIPE,
	CHILD_SIGBUS,		/* what a revoked importer's access ends with */
	CHILD_NO_SIGBUS,
};

struct options {
	const char *device;
	bool no_counters;
};

/* What the checks need to know; set up once, read-only after that. */
struct ctx {
	const char *device;
	int dev;		/* the device, read-write */
	size_t page;
	bool xen;		/* the module runs in a Xen domain */
	bool domid_valid;
	__u32 domid;
	bool root;
};

/* A buffer of the module's own and its export to this domain */
struct shared {
	struct buf b;
	struct hyper_dmabuf_export e;
};

/* A child process and the pipes to it */
struct child {
	pid_t pid;
	int to;			/* parent to child: write end */
	int from;		/* child to parent: read end */
};

/* What a child runs: rfd from the parent, wfd to it; its exit status. */
typedef int (*child_fn)(const struct ctx *ctx, int rfd, int wfd,
			const void *arg);

/* ---- small helpers ------------------------------------------------------- */

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long ms_since(long long start_ns)
{
	return (now_ns() - start_ns) / 1000000;
}

static bool same_id(const struct hyper_dmabuf_id *a,
		    const struct hyper_dmabuf_id *b)
{
	return !memcmp(a, b, sizeof(*a));
}

static const char *id_text(const struct hyper_dmabuf_id *id, char *text,
			   size_t len)
{
	snprintf(text, len, "%u:%u:%016llx%016llx", id->domid, id->serial,
		 (unsigned long long)id->key[0],
		 (unsigned long long)id->key[1]);
	return text;
}

/* true if equal, else why says which field and how */
static bool same_value(const char *field, __u64 got, __u64 want,
		       struct why *why)
{
	if (got == want)
		return true;
	return because(why, "%s %llu, expected %llu", field,
		       (unsigned long long)got, (unsigned long long)want);
}

static bool all_zero(const void *p, size_t len)
{
	const unsigned char *bytes = p;

	while (len--)
		if (*bytes++)
			return false;
	return true;
}

/* Filled with 0xa5 before a call: still so if the call did not write it. */
#define UNTOUCHED	0xa5

static bool untouched(const void *p, size_t len)
{
	const unsigned char *bytes = p;

	while (len--)
		if (*bytes++ != UNTOUCHED)
			return false;
	return true;
}

/* poll() for POLLIN: revents, or -1 */
static int poll_in(int fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int n = poll(&pfd, 1, timeout_ms);

	return n < 0 ? -1 : n ? pfd.revents : 0;
}

/* read(): 0 if it returned data (or nothing), else its errno */
static int read_errno(int fd, void *p, size_t len)
{
	return read(fd, p, len) < 0 ? errno : 0;
}

static bool read_ulong(const char *path, unsigned long *value)
{
	FILE *f = fopen(path, "re");
	int n = f ? fscanf(f, "%lu", value) : 0;

	if (f)
		fclose(f);
	return n == 1;
}

/* 0 or an errno */
static int write_ulong(const char *path, unsigned long value)
{
	char text[32];
	int fd = open(path, O_WRONLY | O_CLOEXEC), len, ret = 0;
	ssize_t n;

	if (fd < 0)
		return errno;
	len = snprintf(text, sizeof(text), "%lu\n", value);
	n = write(fd, text, len);
	if (n < 0)
		ret = errno;
	else if (n != len)
		ret = EIO;
	close(fd);
	return ret;
}

/* Checks the pattern through mapping p of fd, between SYNC start and end. */
static bool mapping_holds(int fd, const void *p, size_t size, uint32_t seed,
			  struct why *why)
{
	int ret = buf_sync(fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
	bool same;

	if (ret)
		return because(why, "DMA_BUF_IOCTL_SYNC start: %s",
			       strerror(ret));
	same = check_pattern(p, size, seed, why);
	ret = buf_sync(fd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);
	if (ret && same)
		return because(why, "DMA_BUF_IOCTL_SYNC end: %s", strerror(ret));
	return same;
}

/* A device fd of its own that reads events without blocking, or -1. */
static int open_events(const struct ctx *ctx, const char *group)
{
	int fd = open(ctx->device, O_RDWR | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		setup_failed(group, "open %s O_NONBLOCK: %s", ctx->device,
			     strerror(errno));
	return fd;
}

/* ---- exports, QUERY, REVOKE, SIGNAL, WAIT -------------------------------- */

/* A filled buffer of two pages exported with flags; false after "not ok". */
static bool new_export(const struct ctx *ctx, const char *group,
		       uint32_t seed, __u32 flags, struct shared *s)
{
	int ret;

	if (!new_filled_buf(ctx->dev, group, 2 * ctx->page, seed, &s->b))
		return false;
	s->e = export_args(s->b.fd, flags, NULL);
	ret = do_export(ctx->dev, &s->e);
	if (ret) {
		close(s->b.fd);
		return setup_failed(group, "EXPORT: %s", strerror(ret));
	}
	return true;
}

/* Unexports s (if it still is offered) and closes its buffer. */
static void end_export(const struct ctx *ctx, struct shared *s)
{
	unexport_id(ctx->dev, &s->e.id, 0);
	close(s->b.fd);
}

/* What QUERY or LIST should show of export e */
static struct hyper_dmabuf_info export_info(const struct hyper_dmabuf_export *e,
					    __u32 state, __u32 importers)
{
	struct hyper_dmabuf_info info = {
		.id = e->id,
		.role = HYPER_DMABUF_ROLE_EXPORT,
		.state = state,
		.peer = HYPER_DMABUF_DOMID_SELF,
		.flags = e->flags,
		.size = e->size,
		.importers = importers,
	};

	return info;
}

/* What LIST should show of an import of export e */
static struct hyper_dmabuf_info import_info(const struct hyper_dmabuf_export *e)
{
	struct hyper_dmabuf_info info = {
		.id = e->id,
		.role = HYPER_DMABUF_ROLE_IMPORT,
		.state = HYPER_DMABUF_STATE_IMPORTED,
		/* this domain, as a peer, by one name */
		.peer = HYPER_DMABUF_DOMID_SELF,
		.flags = e->flags,
		.size = e->size,
	};

	return info;
}

static bool info_matches(const struct hyper_dmabuf_info *got,
			 const struct hyper_dmabuf_info *want, struct why *why)
{
	char a[64], b[64];

	if (!same_id(&got->id, &want->id))
		return because(why, "id %s, expected %s",
			       id_text(&got->id, a, sizeof(a)),
			       id_text(&want->id, b, sizeof(b)));
	if (!all_zero(got->reserved, sizeof(got->reserved)))
		return because(why, "reserved not zero");
	return same_value("role", got->role, want->role, why) &&
	       same_value("state", got->state, want->state, why) &&
	       same_value("peer", got->peer, want->peer, why) &&
	       same_value("flags", got->flags, want->flags, why) &&
	       same_value("size", got->size, want->size, why) &&
	       same_value("importers", got->importers, want->importers, why) &&
	       same_value("reserved0", got->reserved0, want->reserved0, why);
}

/*
 * QUERY id until it fails with want_err or, for want_err 0, shows *want;
 * imports go at their last fput, so this waits up to RELEASE_WAIT_MS.
 */
static bool query_until(int dev, const struct hyper_dmabuf_id *id,
			int want_err, const struct hyper_dmabuf_info *want,
			struct why *why)
{
	struct hyper_dmabuf_info info;
	unsigned int waited;
	size_t len;
	int ret;

	for (waited = 0;; waited += 20) {
		ret = query_id(dev, id, &info);
		if (want_err ? ret == want_err :
		    !ret && info_matches(&info, want, why))
			return true;
		if (waited >= RELEASE_WAIT_MS)
			break;
		sleep_ms(20);
	}
	if (want_err || ret)
		return because(why, "QUERY: got %s, expected %s, after %u ms",
			       result_name(ret), result_name(want_err), waited);
	len = strlen(why->text);
	snprintf(why->text + len, sizeof(why->text) - len, ", after %u ms",
		 waited);
	return false;
}

static int revoke_id(int dev, const struct hyper_dmabuf_id *id,
		     __u32 timeout_ms, __u32 *remaining)
{
	struct hyper_dmabuf_revoke r = { .id = *id, .timeout_ms = timeout_ms };
	int ret = xioctl(dev, HYPER_DMABUF_IOCTL_REVOKE, &r);

	*remaining = r.remaining;
	return ret;
}

/* WAIT; *w holds the answer: current_value, fence_fd. */
static int wait_id(int dev, const struct hyper_dmabuf_id *id, __u64 value,
		   __u32 timeout_ms, __u32 flags, struct hyper_dmabuf_wait *w)
{
	memset(w, 0, sizeof(*w));
	w->id = *id;
	w->value = value;
	w->timeout_ms = timeout_ms;
	w->flags = flags;
	return xioctl(dev, HYPER_DMABUF_IOCTL_WAIT, w);
}

/* As the try_* calls of guest-test.h: a fence made by mistake is closed. */
static int try_wait(int dev, const struct hyper_dmabuf_wait *in)
{
	struct hyper_dmabuf_wait w = *in;
	int ret = xioctl(dev, HYPER_DMABUF_IOCTL_WAIT, &w);

	if (!ret && w.fence_fd >= 0)
		close(w.fence_fd);
	return ret;
}

/* Requests as expect_zero_fields() takes them */
static int call_wait(int dev, void *arg) { return try_wait(dev, arg); }

static int call_query(int dev, void *arg)
{
	return xioctl(dev, HYPER_DMABUF_IOCTL_QUERY, arg);
}

static int call_list(int dev, void *arg)
{
	return xioctl(dev, HYPER_DMABUF_IOCTL_LIST, arg);
}

static int call_peers(int dev, void *arg)
{
	return xioctl(dev, HYPER_DMABUF_IOCTL_PEERS, arg);
}

static int call_revoke(int dev, void *arg)
{
	return xioctl(dev, HYPER_DMABUF_IOCTL_REVOKE, arg);
}

static int call_signal(int dev, void *arg)
{
	return xioctl(dev, HYPER_DMABUF_IOCTL_SIGNAL, arg);
}

/* 0 and *status (0 pending, 1 signalled, -errno: failed), or an errno */
static int fence_status(int fd, int *status)
{
	struct sync_file_info info;

	memset(&info, 0, sizeof(info));
	if (ioctl(fd, SYNC_IOC_FILE_INFO, &info))
		return errno;
	*status = info.status;
	return 0;
}

/* ---- events -------------------------------------------------------------- */

/* One read() of at most max records: how many, or -errno. */
static int read_events(int fd, struct hyper_dmabuf_event *ev, size_t max)
{
	ssize_t n = read(fd, ev, max * EVENT_SIZE);

	return n < 0 ? -errno : (int)(n / EVENT_SIZE);
}

/*
 * Reads the records of fd (O_NONBLOCK) about id into ev, at most max, until
 * one of type last comes or wait_ms pass; records about other ids are only
 * counted, in *others. Returns how many were kept.
 */
static size_t collect_events(int fd, const struct hyper_dmabuf_id *id,
			     __u32 last, struct hyper_dmabuf_event *ev,
			     size_t max, unsigned int wait_ms,
			     unsigned int *others)
{
	struct hyper_dmabuf_event chunk[MAX_EVENTS];
	long long deadline = now_ns() + wait_ms * 1000000LL, left;
	size_t kept = 0;
	bool done = false;
	int i, n;

	*others = 0;
	while (!done) {
		n = read_events(fd, chunk, ARRAY_SIZE(chunk));
		if (n == -EAGAIN) {
			left = deadline - now_ns();
			if (left <= 0)
				break;
			poll_in(fd, (int)(left / 1000000) + 1);
			continue;
		}
		if (n <= 0)
			break;
		for (i = 0; i < n; i++) {
			if (!same_id(&chunk[i].id, id)) {
				(*others)++;
				continue;
			}
			if (kept < max)
				ev[kept++] = chunk[i];
			if (chunk[i].type == last)
				done = true;
		}
	}
	return kept;
}

/* "OFFERED, IMPORTED, ..." */
static const char *events_text(const struct hyper_dmabuf_event *ev, size_t n,
			       char *text, size_t len)
{
	size_t i, used = 0;

	snprintf(text, len, "%s", n ? "" : "none");
	for (i = 0; i < n && used < len; i++)
		used += snprintf(text + used, len - used, "%s%s", i ? ", " : "",
				 event_name(ev[i].type));
	return text;
}

static bool event_matches(const struct hyper_dmabuf_event *got, __u32 type,
			  const struct hyper_dmabuf_id *id, __u64 value,
			  struct why *why)
{
	char a[64], b[64];

	if (got->type != type)
		return because(why, "type %s (%u), expected %s",
			       event_name(got->type), got->type,
			       event_name(type));
	if (!same_id(&got->id, id))
		return because(why, "%s: id %s, expected %s", event_name(type),
			       id_text(&got->id, a, sizeof(a)),
			       id_text(id, b, sizeof(b)));
	if (!all_zero(got->reserved, sizeof(got->reserved)))
		return because(why, "%s: reserved not zero", event_name(type));
	return same_value("peer", got->peer, HYPER_DMABUF_DOMID_SELF, why) &&
	       same_value("value", got->value, value, why);
}

/* ---- children ------------------------------------------------------------ */

static bool start_child(const struct ctx *ctx, const char *group,
			child_fn fn, const void *arg, struct child *c)
{
	int down[2], up[2];

	if (pipe(down))
		return setup_failed(group, "pipe: %s", strerror(errno));
	if (pipe(up)) {
		setup_failed(group, "pipe: %s", strerror(errno));
		close(down[0]);
		close(down[1]);
		return false;
	}
	fflush(stdout);
	c->pid = fork();
	if (c->pid < 0) {
		setup_failed(group, "fork: %s", strerror(errno));
		close(down[0]);
		close(down[1]);
		close(up[0]);
		close(up[1]);
		return false;
	}
	if (c->pid == 0) {
		int status;

		close(down[1]);
		close(up[0]);
		status = fn(ctx, down[0], up[1], arg);
		fflush(stdout);
		_exit(status);
	}
	close(down[0]);
	close(up[1]);
	c->to = down[1];
	c->from = up[0];
	return true;
}

/* len bytes from the child, if they come within wait_ms */
static bool child_read(const struct child *c, void *p, size_t len,
		       unsigned int wait_ms)
{
	return poll_in(c->from, (int)wait_ms) > 0 && read_full(c->from, p, len);
}

static bool child_send(const struct child *c)
{
	return write_full(c->to, "g", 1);
}

/*
 * Closes the pipes (EOF for a child reading them), waits up to
 * CHILD_WAIT_MS for the child and kills it after that; its wait status.
 */
static int end_child(struct child *c)
{
	unsigned int waited;
	int status = 0;
	pid_t pid;

	close(c->to);
	close(c->from);
	for (waited = 0;; waited += 10) {
		pid = waitpid(c->pid, &status, WNOHANG);
		if (pid == c->pid)
			return status;
		if (pid < 0 && errno != EINTR) {
			printf("# waitpid %d: %s\n", (int)c->pid, strerror(errno));
			return -1;
		}
		if (waited >= CHILD_WAIT_MS)
			break;
		sleep_ms(10);
	}
	printf("# child %d still running after %u ms: killed\n", (int)c->pid,
	       waited);
	kill(c->pid, SIGKILL);
	while (waitpid(c->pid, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}

static bool exited_with(int status, int code)
{
	return WIFEXITED(status) && WEXITSTATUS(status) == code;
}

/* In a child: a device fd of its own, or -1 after a "# child:" line. */
static int child_open(const struct ctx *ctx, int flags)
{
	int fd = open(ctx->device, O_RDWR | O_CLOEXEC | flags);

	if (fd < 0)
		printf("# child: open %s: %s\n", ctx->device, strerror(errno));
	return fd;
}

/* ---- QUERY --------------------------------------------------------------- */

static void test_query_errors(const struct ctx *ctx,
			      const struct hyper_dmabuf_id *id)
{
	struct hyper_dmabuf_query base = { .id = *id };

	EXPECT_ID_CHECKED("QUERY", ctx->dev, call_query, &base,
			  hyper_dmabuf_query, WRONG_KEY0 | WRONG_KEY1);
	/* no reserved[] of its own: info is out only */
	expect_zero_fields("QUERY", ctx->dev, call_query, &base, sizeof(base),
			   offsetof(struct hyper_dmabuf_query, flags), 0,
			   RESERVED0_OF(hyper_dmabuf_query), 0, 0);
	expect_errno("QUERY NULL argument -> EFAULT",
		     xioctl(ctx->dev, HYPER_DMABUF_IOCTL_QUERY, NULL), EFAULT);
}

/* The kernel stores an export to this domain's own id as DOMID_SELF. */
static void test_query_own_domid(const struct ctx *ctx)
{
	struct hyper_dmabuf_info want;
	struct why why = { "" };
	struct shared s;
	char name[128];
	int ret;

	/* off Xen the own id is the loopback's: that is the plain lane's */
	if (!ctx->xen)
		return;
	if (!check("QUERY own domid: CAPS know this domain's id on Xen",
		   ctx->domid_valid, "no DOMID_VALID in GET_CAPS"))
		return;
	if (!new_filled_buf(ctx->dev, "QUERY own domid", 2 * ctx->page,
			    SEED_OWN_DOMID, &s.b))
		return;
	s.e = export_args(s.b.fd, 0, NULL);
	s.e.peer = ctx->domid;
	ret = do_export(ctx->dev, &s.e);
	snprintf(name, sizeof(name), "EXPORT to this domain's own id %u succeeds",
		 ctx->domid);
	if (expect_errno(name, ret, 0)) {
		want = export_info(&s.e, HYPER_DMABUF_STATE_OFFERED, 0);
		check("QUERY of an export to this domain's own id shows peer DOMID_SELF",
		      query_until(ctx->dev, &s.e.id, 0, &want, &why), "%s",
		      why.text);
	}
	end_export(ctx, &s);
}

static void test_query(const struct ctx *ctx)
{
	struct hyper_dmabuf_import im;
	struct hyper_dmabuf_info want;
	struct why why = { "" };
	struct shared s;

	if (!new_export(ctx, "QUERY", SEED_QUERY, HYPER_DMABUF_EXPORT_RW, &s))
		return;
	want = export_info(&s.e, HYPER_DMABUF_STATE_OFFERED, 0);
	check("QUERY of a new export: role EXPORT, state OFFERED, peer DOMID_SELF, its flags and size, 0 importers",
	      query_until(ctx->dev, &s.e.id, 0, &want, &why), "%s", why.text);
	test_query_errors(ctx, &s.e.id);

	if (!expect_errno("QUERY: IMPORT succeeds",
			  import_id(ctx->dev, &s.e.id, NULL, &im), 0))
		goto out;
	want.importers = 1;
	check("QUERY after an IMPORT: 1 importer",
	      query_until(ctx->dev, &s.e.id, 0, &want, &why), "%s", why.text);
	close(im.fd);
	want.importers = 0;
	check("QUERY once the import fd is closed: 0 importers",
	      query_until(ctx->dev, &s.e.id, 0, &want, &why), "%s", why.text);

	if (!expect_errno("QUERY: a second IMPORT succeeds",
			  import_id(ctx->dev, &s.e.id, NULL, &im), 0))
		goto out;
	if (expect_errno("QUERY: UNEXPORT while imported succeeds",
			 unexport_id(ctx->dev, &s.e.id, 0), 0)) {
		want = export_info(&s.e, HYPER_DMABUF_STATE_WITHDRAWN, 1);
		check("QUERY after UNEXPORT while imported: state WITHDRAWN, 1 importer",
		      query_until(ctx->dev, &s.e.id, 0, &want, &why), "%s",
		      why.text);
	}
	close(im.fd);
	check("QUERY once the last import of an unexported export is closed -> ENOENT",
	      query_until(ctx->dev, &s.e.id, ENOENT, NULL, &why), "%s",
	      why.text);
out:
	end_export(ctx, &s);
	test_query_own_domid(ctx);
}

/* ---- LIST ---------------------------------------------------------------- */

static int list_infos(int dev, struct hyper_dmabuf_info *entries,
		      __u32 capacity, __u32 *count)
{
	struct hyper_dmabuf_list l = {
		.entries = uptr(entries),
		.capacity = capacity,
	};
	int ret = xioctl(dev, HYPER_DMABUF_IOCTL_LIST, &l);

	*count = ret ? 0 : l.count;
	return ret;
}

static void test_list_errors(const struct ctx *ctx)
{
	struct hyper_dmabuf_list base = { 0 }, l;
	struct hyper_dmabuf_peers peers = { 0 };

	EXPECT_ZERO_FIELDS("LIST", ctx->dev, call_list, &base,
			   hyper_dmabuf_list, 0,
			   RESERVED0_OF(hyper_dmabuf_list));
	l = base;
	l.entries = uptr((void *)1);
	l.capacity = 1;
	expect_errno("LIST entries pointer 1, an entry to write -> EFAULT",
		     xioctl(ctx->dev, HYPER_DMABUF_IOCTL_LIST, &l), EFAULT);
	expect_errno("LIST NULL argument -> EFAULT",
		     xioctl(ctx->dev, HYPER_DMABUF_IOCTL_LIST, NULL), EFAULT);
	/* PEERS writes its table as LIST does; its own "must be zero" fields */
	EXPECT_ZERO_FIELDS("PEERS", ctx->dev, call_peers, &peers,
			   hyper_dmabuf_peers, 0,
			   RESERVED0_OF(hyper_dmabuf_peers));
}

/* Our export's and import's entries among the n of all, and their order */
static void check_list_entries(const struct hyper_dmabuf_info *all, __u32 n,
			       const struct hyper_dmabuf_export *e)
{
	struct hyper_dmabuf_info want_export, want_import;
	__u32 i, exp = n, imp = n, last_export = 0, first_import = n;
	struct why why = { "" };
	bool any_export = false;

	for (i = 0; i < n; i++) {
		if (all[i].role == HYPER_DMABUF_ROLE_EXPORT) {
			any_export = true;
			last_export = i;
			if (same_id(&all[i].id, &e->id))
				exp = i;
		} else if (all[i].role == HYPER_DMABUF_ROLE_IMPORT) {
			if (first_import == n)
				first_import = i;
			if (same_id(&all[i].id, &e->id))
				imp = i;
		}
	}
	want_export = export_info(e, HYPER_DMABUF_STATE_OFFERED, 1);
	want_import = import_info(e);
	check("LIST: the export's entry: role EXPORT, state OFFERED, peer DOMID_SELF, 1 importer",
	      exp < n && info_matches(&all[exp], &want_export, &why), "%s",
	      exp < n ? why.text : "not listed");
	check("LIST: the import's entry: role IMPORT, state IMPORTED, peer DOMID_SELF",
	      imp < n && info_matches(&all[imp], &want_import, &why), "%s",
	      imp < n ? why.text : "not listed");
	check("LIST: every export comes before every import",
	      !any_export || first_import == n || last_export < first_import,
	      "export at entry %u, import at entry %u", last_export,
	      first_import);
}

/* capacity count - 1: count - 1 entries written, the next one not */
static void check_list_short(const struct ctx *ctx,
			     struct hyper_dmabuf_info *all, __u32 n)
{
	__u32 i, count, capacity = n - 1;
	int ret;

	memset(all, UNTOUCHED, (n + 1) * sizeof(*all));
	ret = list_infos(ctx->dev, all, capacity, &count);
	if (!check("LIST capacity count - 1 still reports the full count",
		   !ret && count == n, "%s, count %u, expected %u",
		   result_name(ret), count, n))
		return;
	for (i = 0; i < capacity; i++)
		if (all[i].role != HYPER_DMABUF_ROLE_EXPORT &&
		    all[i].role != HYPER_DMABUF_ROLE_IMPORT)
			break;
	check("LIST capacity count - 1 writes that many entries", i == capacity,
	      "entry %u has role 0x%x", i, i < capacity ? all[i].role : 0);
	check("LIST capacity count - 1 leaves the entry after them untouched",
	      untouched(&all[capacity], sizeof(all[capacity])),
	      "entry %u was written", capacity);
}

static void test_list(const struct ctx *ctx)
{
	struct hyper_dmabuf_info *all = NULL, spare;
	struct hyper_dmabuf_import im;
	__u32 before, count, n;
	struct shared s;
	int ret;

	ret = list_infos(ctx->dev, NULL, 0, &before);
	if (!expect_errno("LIST capacity 0, entries 0 succeeds", ret, 0))
		return;
	if (!new_export(ctx, "LIST", SEED_LIST, 0, &s))
		return;
	ret = import_id(ctx->dev, &s.e.id, NULL, &im);
	if (ret) {
		setup_failed("LIST", "IMPORT: %s", strerror(ret));
		goto out;
	}
	memset(&spare, UNTOUCHED, sizeof(spare));
	ret = list_infos(ctx->dev, &spare, 0, &n);
	check("LIST capacity 0 counts one export and one import more",
	      !ret && n == before + 2, "%s, count %u, %u before",
	      result_name(ret), n, before);
	check("LIST capacity 0 writes no entry", untouched(&spare, sizeof(spare)),
	      "the entry was written");
	if (ret || n < 2)
		goto out_import;

	all = malloc((n + 1) * sizeof(*all));
	if (!all) {
		setup_failed("LIST", "malloc: %s", strerror(errno));
		goto out_import;
	}
	memset(all, UNTOUCHED, (n + 1) * sizeof(*all));
	ret = list_infos(ctx->dev, all, n + 1, &count);
	if (check("LIST with room for one entry more than count",
		  !ret && count == n, "%s, count %u, expected %u",
		  result_name(ret), count, n)) {
		check("LIST writes count entries only",
		      untouched(&all[n], sizeof(all[n])), "entry %u was written",
		      n);
		check_list_entries(all, n, &s.e);
	}
	check_list_short(ctx, all, n);
	test_list_errors(ctx);
	free(all);
out_import:
	close(im.fd);
out:
	end_export(ctx, &s);
}

/* ---- events -------------------------------------------------------------- */

/* The records of export, import, unexport and the import's close */
static void check_event_sequence(int evfd, const struct hyper_dmabuf_id *id,
				 long long start_ns)
{
	static const __u32 want[] = {
		HYPER_DMABUF_EVENT_OFFERED, HYPER_DMABUF_EVENT_IMPORTED,
		HYPER_DMABUF_EVENT_UNEXPORTED, HYPER_DMABUF_EVENT_RELEASED,
	};
	struct hyper_dmabuf_event ev[8];
	struct why why = { "" };
	unsigned int others;
	char text[128];
	long long end_ns;
	size_t n, i;
	bool match;

	n = collect_events(evfd, id, HYPER_DMABUF_EVENT_RELEASED, ev,
			   ARRAY_SIZE(ev), RELEASE_WAIT_MS, &others);
	end_ns = now_ns();
	if (others)
		printf("# events: %u records about other ids\n", others);
	match = n == ARRAY_SIZE(want);
	for (i = 0; match && i < n; i++)
		match = ev[i].type == want[i];
	if (!check("events: OFFERED, IMPORTED, UNEXPORTED, RELEASED in that order",
		   match, "got %s", events_text(ev, n, text, sizeof(text))))
		return;
	for (i = 0; i < n && event_matches(&ev[i], want[i], id, 0, &why); i++)
		;
	check("events: each record has the id, peer DOMID_SELF, value 0, reserved 0",
	      i == n, "%s", why.text);
	for (i = 1; i < n && ev[i].timestamp_ns >= ev[i - 1].timestamp_ns; i++)
		;
	check("events: timestamps do not decrease", i == n,
	      "record %zu at %llu ns, the one before at %llu ns", i,
	      (unsigned long long)ev[i < n ? i : 0].timestamp_ns,
	      (unsigned long long)ev[i < n ? i - 1 : 0].timestamp_ns);
	check("events: timestamps are CLOCK_MONOTONIC times of the actions",
	      (long long)ev[0].timestamp_ns >= start_ns &&
	      (long long)ev[n - 1].timestamp_ns <= end_ns,
	      "%llu to %llu ns, actions from %lld to %lld ns",
	      (unsigned long long)ev[0].timestamp_ns,
	      (unsigned long long)ev[n - 1].timestamp_ns, start_ns, end_ns);
}

static void test_events_sequence(const struct ctx *ctx)
{
	struct hyper_dmabuf_event one;
	struct hyper_dmabuf_import im;
	struct shared s;
	long long start_ns;
	int evfd, revents, ret;

	evfd = open_events(ctx, "events");
	if (evfd < 0)
		return;
	expect_errno("events: read with nothing queued (O_NONBLOCK) -> EAGAIN",
		     read_errno(evfd, &one, sizeof(one)), EAGAIN);
	revents = poll_in(evfd, 0);
	check("events: poll() gives no POLLIN with nothing queued", revents == 0,
	      "revents 0x%x", revents);
	start_ns = now_ns();
	if (!new_export(ctx, "events", SEED_EVENTS, 0, &s))
		goto out;
	revents = poll_in(evfd, 0);
	check("events: poll() gives POLLIN once a record is queued (EXPORT to self)",
	      revents > 0 && (revents & POLLIN), "revents 0x%x", revents);
	expect_errno("events: read with a buffer one byte smaller than a record -> EINVAL",
		     read_errno(evfd, &one, sizeof(one) - 1), EINVAL);
	ret = import_id(ctx->dev, &s.e.id, NULL, &im);
	if (ret) {
		setup_failed("events", "IMPORT: %s", strerror(ret));
		end_export(ctx, &s);
		goto out;
	}
	ret = unexport_id(ctx->dev, &s.e.id, 0);
	if (ret)
		setup_failed("events", "UNEXPORT: %s", strerror(ret));
	close(im.fd);
	check_event_sequence(evfd, &s.e.id, start_ns);
	revents = poll_in(evfd, 0);
	check("events: poll() gives no POLLIN once every record is read",
	      revents == 0, "revents 0x%x", revents);
	expect_errno("events: read once every record is read -> EAGAIN",
		     read_errno(evfd, &one, sizeof(one)), EAGAIN);
	end_export(ctx, &s);
out:
	close(evfd);
}

static void test_events_two_fds(const struct ctx *ctx)
{
	struct hyper_dmabuf_event two[2], ev[4];
	struct why why = { "" };
	unsigned int others;
	struct shared s;
	int fd1, fd2;
	ssize_t got;
	size_t n;

	fd1 = open_events(ctx, "events: two fds");
	if (fd1 < 0)
		return;
	fd2 = open_events(ctx, "events: two fds");
	if (fd2 < 0)
		goto out_fd1;
	if (!new_export(ctx, "events: two fds", SEED_EVENTS_TWO, 0, &s))
		goto out_fd2;
	got = read(fd1, two, EVENT_SIZE + EVENT_SIZE / 2);
	check("events: read with room for one and a half records returns one whole record",
	      got == (ssize_t)EVENT_SIZE, "%zd bytes (%s)", got,
	      got < 0 ? strerror(errno) : "no error");
	check("events: that record is OFFERED with the export's id",
	      got == (ssize_t)EVENT_SIZE &&
	      event_matches(&two[0], HYPER_DMABUF_EVENT_OFFERED, &s.e.id, 0,
			    &why), "%s", got == (ssize_t)EVENT_SIZE ?
	      why.text : "no record");
	n = collect_events(fd2, &s.e.id, HYPER_DMABUF_EVENT_OFFERED, ev,
			   ARRAY_SIZE(ev), RELEASE_WAIT_MS, &others);
	check("events: a second device fd has its own copy of that record",
	      n == 1 && event_matches(&ev[0], HYPER_DMABUF_EVENT_OFFERED,
				      &s.e.id, 0, &why),
	      "%zu records about the id, %u others; %s", n, others, why.text);
	end_export(ctx, &s);
out_fd2:
	close(fd2);
out_fd1:
	close(fd1);
}

/* What the child blocked in read() on the device tells the parent */
struct read_report {
	long long ms;		/* how long read() took */
	ssize_t n;
	int err;
	struct hyper_dmabuf_event ev;
};

static int child_read_event(const struct ctx *ctx, int rfd, int wfd,
			    const void *arg)
{
	struct read_report r;
	long long start_ns;
	int dev = child_open(ctx, 0);	/* blocking */

	(void)rfd;
	(void)arg;
	if (dev < 0)
		return CHILD_NO_DEVICE;
	memset(&r, 0, sizeof(r));
	start_ns = now_ns();
	if (!write_full(wfd, "r", 1))
		return CHILD_PIPE;
	r.n = read(dev, &r.ev, sizeof(r.ev));
	r.err = r.n < 0 ? errno : 0;
	r.ms = ms_since(start_ns);
	close(dev);
	return write_full(wfd, &r, sizeof(r)) ? CHILD_OK : CHILD_PIPE;
}

static void test_events_blocking(const struct ctx *ctx)
{
	struct hyper_dmabuf_export e;
	struct read_report r;
	struct why why = { "" };
	char ready, text[64];
	struct child c;
	struct buf b;
	int ret, status;
	bool got;

	if (!new_filled_buf(ctx->dev, "events: blocking read", 2 * ctx->page,
			    SEED_EVENTS_BLOCKED, &b))
		return;
	if (!start_child(ctx, "events: blocking read", child_read_event, NULL,
			 &c))
		goto out;
	if (!child_read(&c, &ready, 1, CHILD_WAIT_MS)) {
		setup_failed("events: blocking read", "the child did not start");
		end_child(&c);
		goto out;
	}
	sleep_ms(PEER_DELAY_MS);
	e = export_args(b.fd, 0, NULL);
	ret = do_export(ctx->dev, &e);
	if (!expect_errno("events: EXPORT while another process blocks in read()",
			  ret, 0)) {
		end_child(&c);
		goto out;
	}
	got = child_read(&c, &r, sizeof(r), REPORT_WAIT_MS);
	status = end_child(&c);
	if (!got) {
		check("events: a blocking read() in another process wakes when an export is offered",
		      false, "no answer (%s)",
		      wait_status_text(status, text, sizeof(text)));
	} else if (check("events: a blocking read() in another process wakes when an export is offered",
			 r.n == (ssize_t)EVENT_SIZE &&
			 event_matches(&r.ev, HYPER_DMABUF_EVENT_OFFERED,
				       &e.id, 0, &why),
			 "read: %zd (%s); %s", r.n, result_name(r.err),
			 why.text)) {
		check("events: that read() had blocked until then",
		      r.ms >= BLOCKED_MIN_MS, "returned after %lld ms, the EXPORT came after %d ms",
		      r.ms, PEER_DELAY_MS);
	}
	unexport_id(ctx->dev, &e.id, 0);
out:
	close(b.fd);
}

/* A queue of OVERFLOW_LEN records, 5 events: OVERFLOW 3, then 2 records. */
static void check_overflow(int small, const struct hyper_dmabuf_id *id)
{
	struct hyper_dmabuf_event ev[8], one;
	struct why why = { "" };
	int n;

	n = read_events(small, ev, ARRAY_SIZE(ev));
	check("events: a queue of 2 after 5 events: read gives 3 records",
	      n == 3, "%d records%s%s", n < 0 ? 0 : n, n < 0 ? ": " : "",
	      n < 0 ? strerror(-n) : "");
	check("events: the first is OVERFLOW, value 3 (events lost), id zero",
	      n >= 1 && ev[0].type == HYPER_DMABUF_EVENT_OVERFLOW &&
	      ev[0].value == 3 && all_zero(&ev[0].id, sizeof(ev[0].id)),
	      "%s, value %llu", n >= 1 ? event_name(ev[0].type) : "none",
	      n >= 1 ? (unsigned long long)ev[0].value : 0ULL);
	check("events: then the two that fit: OFFERED, SIGNALLED value 1",
	      n >= 3 &&
	      event_matches(&ev[1], HYPER_DMABUF_EVENT_OFFERED, id, 0, &why) &&
	      event_matches(&ev[2], HYPER_DMABUF_EVENT_SIGNALLED, id, 1, &why),
	      "%s", n >= 3 ? why.text : "too few records");
	expect_errno("events: nothing more after them -> EAGAIN",
		     read_errno(small, &one, sizeof(one)), EAGAIN);
}

/* 5 events: OFFERED, SIGNALLED 1, 2, 3, UNEXPORTED; false after "not ok" */
static bool five_events(const struct ctx *ctx, struct shared *s)
{
	__u64 value;
	int ret;

	if (!new_export(ctx, "events: overflow", SEED_OVERFLOW, 0, s))
		return false;
	for (value = 1; value <= 3; value++) {
		ret = signal_id(ctx->dev, &s->e.id, value);
		if (ret) {
			end_export(ctx, s);
			return setup_failed("events: overflow", "SIGNAL %llu: %s",
					    (unsigned long long)value,
					    strerror(ret));
		}
	}
	ret = unexport_id(ctx->dev, &s->e.id, 0);
	if (ret) {
		close(s->b.fd);
		return setup_failed("events: overflow", "UNEXPORT: %s",
				    strerror(ret));
	}
	return true;
}

static void test_events_overflow(const struct ctx *ctx)
{
	struct hyper_dmabuf_event ev[OVERFLOW_EVENTS + 1];
	unsigned long old, now = 0;
	unsigned int others;
	int before, small, ret, err;
	char text[128];
	struct shared s;
	size_t n;

	if (!ctx->root) {
		skipped("event queue overflow: not root (%s)",
		       EVENT_QUEUE_PARAM);
		return;
	}
	if (!read_ulong(EVENT_QUEUE_PARAM, &old)) {
		skipped("event queue overflow: %s unreadable",
		       EVENT_QUEUE_PARAM);
		return;
	}
	before = open_events(ctx, "events: overflow");
	if (before < 0)
		return;
	ret = write_ulong(EVENT_QUEUE_PARAM, OVERFLOW_LEN);
	if (ret) {
		setup_failed("events: overflow", "write %d to %s: %s",
			     OVERFLOW_LEN, EVENT_QUEUE_PARAM, strerror(ret));
		close(before);
		return;
	}
	/* the length is taken at open: restored at once */
	small = open(ctx->device, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	err = errno;
	ret = write_ulong(EVENT_QUEUE_PARAM, old);
	check("events: event_queue_len restored to its value",
	      !ret && read_ulong(EVENT_QUEUE_PARAM, &now) && now == old,
	      "%s; now %lu, was %lu", result_name(ret), now, old);
	if (small < 0) {
		setup_failed("events: overflow", "open %s: %s", ctx->device,
			     strerror(err));
		goto out;
	}
	if (five_events(ctx, &s)) {
		check_overflow(small, &s.e.id);
		n = collect_events(before, &s.e.id,
				   HYPER_DMABUF_EVENT_UNEXPORTED, ev,
				   ARRAY_SIZE(ev), RELEASE_WAIT_MS, &others);
		if (old >= OVERFLOW_EVENTS)
			check("events: a device fd opened before the change keeps all 5 records",
			      n == OVERFLOW_EVENTS && !others,
			      "%s; %u other records", events_text(ev, n, text,
							       sizeof(text)),
			      others);
		close(s.b.fd);
	}
	close(small);
out:
	close(before);
}

static void test_events(const struct ctx *ctx)
{
	test_events_sequence(ctx);
	test_events_two_fds(ctx);
	test_events_blocking(ctx);
	test_events_overflow(ctx);
}

/* ---- REVOKE -------------------------------------------------------------- */

static void test_revoke_errors(const struct ctx *ctx,
			       const struct hyper_dmabuf_id *id)
{
	struct hyper_dmabuf_revoke base = { .id = *id }, r;
	int dev2;

	EXPECT_ID_CHECKED("REVOKE", ctx->dev, call_revoke, &base,
			  hyper_dmabuf_revoke, WRONG_KEY0);
	r = base;
	r.timeout_ms = REVOKE_MAX_MS + 1;
	expect_errno("REVOKE timeout_ms 60001 -> EINVAL",
		     xioctl(ctx->dev, HYPER_DMABUF_IOCTL_REVOKE, &r), EINVAL);
	EXPECT_ZERO_FIELDS("REVOKE", ctx->dev, call_revoke, &base,
			   hyper_dmabuf_revoke, 0,
			   RESERVED0_OF(hyper_dmabuf_revoke));
	dev2 = open_device(ctx->device);
	r = base;
	expect_errno("REVOKE from another device fd (not persistent) -> EPERM",
		     xioctl(dev2, HYPER_DMABUF_IOCTL_REVOKE, &r), EPERM);
	close(dev2);
	expect_errno("REVOKE NULL argument -> EFAULT",
		     xioctl(ctx->dev, HYPER_DMABUF_IOCTL_REVOKE, NULL), EFAULT);
}

/* What the importer of a revoked export tells the parent */
struct revoke_report {
	int mmap_err;		/* a new mmap of the import: 0 if it worked */
	int sync_err;		/* DMA_BUF_IOCTL_SYNC start on it */
	unsigned int revoked;	/* REVOKED records about the id */
};

static void on_sigbus(int sig)
{
	(void)sig;
	_exit(CHILD_SIGBUS);
}

/* After the revocation: what the import still allows, then SIGBUS. */
static int child_after_revoke(int dev, const struct hyper_dmabuf_import *im,
			      const volatile unsigned char *map, int wfd)
{
	struct hyper_dmabuf_event ev[8];
	struct revoke_report r;
	struct sigaction sa;
	unsigned int others;
	unsigned char byte;
	size_t i, n;
	void *p;

	memset(&r, 0, sizeof(r));
	p = mmap(NULL, im->size, PROT_READ, MAP_SHARED, im->fd, 0);
	r.mmap_err = p == MAP_FAILED ? errno : 0;
	if (p != MAP_FAILED)
		munmap(p, im->size);
	r.sync_err = buf_sync(im->fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
	if (!r.sync_err)
		buf_sync(im->fd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);
	n = collect_events(dev, &im->id, HYPER_DMABUF_EVENT_REVOKED, ev,
			   ARRAY_SIZE(ev), RELEASE_WAIT_MS, &others);
	for (i = 0; i < n; i++)
		r.revoked += ev[i].type == HYPER_DMABUF_EVENT_REVOKED;
	if (!write_full(wfd, &r, sizeof(r)))
		return CHILD_PIPE;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigbus;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	byte = map[0];
	printf("# child: read 0x%02x through the revoked mapping, no SIGBUS\n",
	       byte);
	return CHILD_NO_SIGBUS;
}

/* The importer: maps and reads the export, then waits for the parent. */
static int child_revoked_importer(const struct ctx *ctx, int rfd, int wfd,
				  const void *arg)
{
	const struct shared *s = arg;
	struct hyper_dmabuf_import im;
	struct why why = { "" };
	int dev, ret;
	char go;
	void *p;

	dev = child_open(ctx, O_NONBLOCK);
	if (dev < 0)
		return CHILD_NO_DEVICE;
	ret = import_id(dev, &s->e.id, NULL, &im);
	if (ret) {
		printf("# child: IMPORT: %s\n", strerror(ret));
		return CHILD_IMPORT;
	}
	p = mmap(NULL, im.size, PROT_READ, MAP_SHARED, im.fd, 0);
	if (p == MAP_FAILED) {
		printf("# child: mmap of the import: %s\n", strerror(errno));
		return CHILD_MMAP;
	}
	if (!mapping_holds(im.fd, p, im.size, SEED_REVOKE, &why)) {
		printf("# child: reading the import: %s\n", why.text);
		return CHILD_DATA;
	}
	if (!write_full(wfd, "r", 1) || !read_full(rfd, &go, 1))
		return CHILD_PIPE;
	return child_after_revoke(dev, &im, p, wfd);
}

/* What the parent sees between its REVOKE and the importer's end */
static void check_revoked(const struct ctx *ctx, const struct shared *s,
			  const void *src)
{
	struct hyper_dmabuf_import again = { .id = s->e.id };
	struct hyper_dmabuf_info want;
	struct why why = { "" };
	__u32 remaining;

	expect_errno("REVOKE a second time -> EALREADY",
		     revoke_id(ctx->dev, &s->e.id, 0, &remaining), EALREADY);
	want = export_info(&s->e, HYPER_DMABUF_STATE_WITHDRAWN, 1);
	check("QUERY after REVOKE: state WITHDRAWN, the importer still counted",
	      query_until(ctx->dev, &s->e.id, 0, &want, &why), "%s", why.text);
	expect_errno("IMPORT after REVOKE -> ENOENT",
		     try_import(ctx->dev, &again), ENOENT);
	check("REVOKE leaves the exporter's own mapping of its buffer intact",
	      mapping_holds(s->b.fd, src, s->b.size, SEED_REVOKE, &why), "%s",
	      why.text);
}

static void check_importer_report(const struct revoke_report *r, bool got,
				  int status)
{
	char text[64];

	if (!check("REVOKE: the importer answers after it", got, "%s",
		   wait_status_text(status, text, sizeof(text))))
		return;
	expect_errno("REVOKE: the importer's new mmap of the import -> ENODEV",
		     r->mmap_err, ENODEV);
	expect_errno("REVOKE: the importer's DMA_BUF_IOCTL_SYNC -> ENODEV",
		     r->sync_err, ENODEV);
	check("REVOKE: the importer's device fd has a REVOKED record with the id",
	      r->revoked == 1, "%u such records", r->revoked);
}

static void test_revoke_importer(const struct ctx *ctx)
{
	struct revoke_report r;
	struct why why = { "" };
	char ready, text[64];
	long long start_ns, ms;
	__u32 remaining;
	int ret, status;
	struct shared s;
	struct child c;
	bool got;
	void *src;

	if (!new_export(ctx, "REVOKE", SEED_REVOKE, 0, &s))
		return;
	src = mmap(NULL, s.b.size, PROT_READ, MAP_SHARED, s.b.fd, 0);
	if (src == MAP_FAILED) {
		setup_failed("REVOKE", "mmap of the source: %s", strerror(errno));
		goto out;
	}
	if (!mapping_holds(s.b.fd, src, s.b.size, SEED_REVOKE, &why)) {
		setup_failed("REVOKE", "the source: %s", why.text);
		goto unmap;
	}
	test_revoke_errors(ctx, &s.e.id);
	if (!start_child(ctx, "REVOKE", child_revoked_importer, &s, &c))
		goto unmap;
	if (!child_read(&c, &ready, 1, CHILD_WAIT_MS)) {
		status = end_child(&c);
		setup_failed("REVOKE", "the importer did not map the export (%s)",
			     wait_status_text(status, text, sizeof(text)));
		goto unmap;
	}
	start_ns = now_ns();
	ret = revoke_id(ctx->dev, &s.e.id, REVOKE_HOLD_MS, &remaining);
	ms = ms_since(start_ns);
	if (check("REVOKE while another process maps the import: 0, remaining 1",
		  !ret && remaining == 1, "%s, remaining %u", result_name(ret),
		  remaining))
		check("REVOKE waited its timeout of 300 ms for that importer",
		      ms >= REVOKE_HOLD_MS - 50, "returned after %lld ms", ms);
	check_revoked(ctx, &s, src);

	got = child_send(&c) && child_read(&c, &r, sizeof(r), REPORT_WAIT_MS);
	status = end_child(&c);
	check_importer_report(&r, got, status);
	check("REVOKE: the importer's next access to its old mapping gets SIGBUS",
	      exited_with(status, CHILD_SIGBUS), "%s",
	      wait_status_text(status, text, sizeof(text)));
	check("a revoked export is gone once its importer has exited (QUERY -> ENOENT)",
	      query_until(ctx->dev, &s.e.id, ENOENT, NULL, &why), "%s",
	      why.text);
unmap:
	munmap(src, s.b.size);
out:
	end_export(ctx, &s);
}

/* An importer that closes its import PEER_DELAY_MS after the parent's go */
static int child_late_closer(const struct ctx *ctx, int rfd, int wfd,
			     const void *arg)
{
	const struct shared *s = arg;
	struct hyper_dmabuf_import im;
	int dev, ret;
	char go;

	dev = child_open(ctx, 0);
	if (dev < 0)
		return CHILD_NO_DEVICE;
	ret = import_id(dev, &s->e.id, NULL, &im);
	if (ret) {
		printf("# child: IMPORT: %s\n", strerror(ret));
		return CHILD_IMPORT;
	}
	if (!write_full(wfd, "r", 1) || !read_full(rfd, &go, 1))
		return CHILD_PIPE;
	sleep_ms(PEER_DELAY_MS);
	close(im.fd);
	/* alive until the parent is done: only that close may end its wait */
	read_full(rfd, &go, 1);
	close(dev);
	return CHILD_OK;
}

static void test_revoke_wait_ends(const struct ctx *ctx)
{
	long long start_ns, ms;
	char ready, text[64];
	__u32 remaining;
	int ret, status;
	struct shared s;
	struct child c;

	if (!new_export(ctx, "REVOKE wait", SEED_REVOKE_WAIT, 0, &s))
		return;
	if (!start_child(ctx, "REVOKE wait", child_late_closer, &s, &c))
		goto out;
	if (!child_read(&c, &ready, 1, CHILD_WAIT_MS) || !child_send(&c)) {
		status = end_child(&c);
		setup_failed("REVOKE wait", "the importer did not start (%s)",
			     wait_status_text(status, text, sizeof(text)));
		goto out;
	}
	start_ns = now_ns();
	ret = revoke_id(ctx->dev, &s.e.id, REVOKE_LONG_MS, &remaining);
	ms = ms_since(start_ns);
	status = end_child(&c);
	if (check("REVOKE with timeout 3000 ms, importer closing its fd at 200 ms: 0, remaining 0",
		  !ret && remaining == 0, "%s, remaining %u", result_name(ret),
		  remaining))
		check("that REVOKE returned once the importer closed, well before its timeout",
		      ms >= BLOCKED_MIN_MS && ms < REVOKE_LONG_MS / 2,
		      "returned after %lld ms", ms);
	check("REVOKE wait: the importer closed its fd and exited",
	      exited_with(status, CHILD_OK), "%s",
	      wait_status_text(status, text, sizeof(text)));
out:
	end_export(ctx, &s);
}

static void test_revoke_unexported(const struct ctx *ctx)
{
	struct hyper_dmabuf_import im;
	__u32 remaining;
	struct shared s;
	int ret;
	void *p;

	if (!new_export(ctx, "REVOKE after UNEXPORT", SEED_REVOKE_UNEXPORTED, 0,
			&s))
		return;
	ret = import_id(ctx->dev, &s.e.id, NULL, &im);
	if (ret) {
		setup_failed("REVOKE after UNEXPORT", "IMPORT: %s", strerror(ret));
		goto out;
	}
	ret = unexport_id(ctx->dev, &s.e.id, 0);
	if (!ret) {
		ret = revoke_id(ctx->dev, &s.e.id, 0, &remaining);
		check("REVOKE of an unexported export still imported: 0, remaining 1",
		      !ret && remaining == 1, "%s, remaining %u",
		      result_name(ret), remaining);
		p = mmap(NULL, im.size, PROT_READ, MAP_SHARED, im.fd, 0);
		check("after that REVOKE, a new mmap of the import -> ENODEV",
		      p == MAP_FAILED && errno == ENODEV, "%s",
		      p == MAP_FAILED ? strerror(errno) : "mapped");
		if (p != MAP_FAILED)
			munmap(p, im.size);
	} else {
		setup_failed("REVOKE after UNEXPORT", "UNEXPORT: %s",
			     strerror(ret));
	}
	close(im.fd);
out:
	end_export(ctx, &s);
}

static void test_revoke(const struct ctx *ctx)
{
	test_revoke_importer(ctx);
	test_revoke_wait_ends(ctx);
	test_revoke_unexported(ctx);
}

/* ---- SIGNAL and WAIT ----------------------------------------------------- */

static void test_timeline_basic(const struct ctx *ctx,
				const struct hyper_dmabuf_id *id, int evfd)
{
	struct hyper_dmabuf_event ev[4];
	struct hyper_dmabuf_wait w;
	struct why why = { "" };
	unsigned int others;
	size_t n;
	int ret;

	ret = wait_id(ctx->dev, id, 1, 0, 0, &w);
	check("WAIT 1, timeout 0, on a new export -> ETIMEDOUT, current_value 0, fence_fd -1",
	      ret == ETIMEDOUT && w.current_value == 0 && w.fence_fd == -1,
	      "%s, current_value %llu, fence_fd %d", result_name(ret),
	      (unsigned long long)w.current_value, w.fence_fd);
	expect_errno("SIGNAL 5 succeeds", signal_id(ctx->dev, id, TL_FIRST), 0);
	ret = wait_id(ctx->dev, id, TL_FIRST, 0, 0, &w);
	check("WAIT 5 after SIGNAL 5: 0, current_value 5",
	      !ret && w.current_value == TL_FIRST, "%s, current_value %llu",
	      result_name(ret), (unsigned long long)w.current_value);
	n = collect_events(evfd, id, HYPER_DMABUF_EVENT_SIGNALLED, ev,
			   ARRAY_SIZE(ev), RELEASE_WAIT_MS, &others);
	check("SIGNAL 5 posts a SIGNALLED record with the id and value 5",
	      n == 1 && event_matches(&ev[0], HYPER_DMABUF_EVENT_SIGNALLED, id,
				      TL_FIRST, &why),
	      "%zu records about the id; %s", n, why.text);
	expect_errno("SIGNAL 5 again -> EINVAL",
		     signal_id(ctx->dev, id, TL_FIRST), EINVAL);
	expect_errno("SIGNAL 3, below the timeline -> EINVAL",
		     signal_id(ctx->dev, id, TL_BELOW), EINVAL);
	ret = wait_id(ctx->dev, id, TL_BELOW, 0, 0, &w);
	check("WAIT 3 with the timeline at 5: 0 at once, current_value 5",
	      !ret && w.current_value == TL_FIRST, "%s, current_value %llu",
	      result_name(ret), (unsigned long long)w.current_value);
}

/* What the child blocked in WAIT tells the parent */
struct wait_report {
	long long ms;		/* how long WAIT took */
	__u64 current_value;
	int ret;
};

static int child_wait(const struct ctx *ctx, int rfd, int wfd,
		      const void *arg)
{
	const struct shared *s = arg;
	struct hyper_dmabuf_wait w;
	struct wait_report r;
	long long start_ns;
	int dev = child_open(ctx, 0);

	(void)rfd;
	if (dev < 0)
		return CHILD_NO_DEVICE;
	memset(&r, 0, sizeof(r));
	start_ns = now_ns();
	if (!write_full(wfd, "r", 1))
		return CHILD_PIPE;
	r.ret = wait_id(dev, &s->e.id, TL_BLOCKED, WAIT_LONG_MS, 0, &w);
	r.current_value = w.current_value;
	r.ms = ms_since(start_ns);
	close(dev);
	return write_full(wfd, &r, sizeof(r)) ? CHILD_OK : CHILD_PIPE;
}

static void test_timeline_blocking(const struct ctx *ctx,
				   const struct shared *s)
{
	struct wait_report r;
	char ready, text[64];
	struct child c;
	int status;
	bool got;

	if (!start_child(ctx, "WAIT blocking", child_wait, s, &c))
		return;
	if (!child_read(&c, &ready, 1, CHILD_WAIT_MS)) {
		status = end_child(&c);
		setup_failed("WAIT blocking", "the child did not start (%s)",
			     wait_status_text(status, text, sizeof(text)));
		return;
	}
	sleep_ms(PEER_DELAY_MS);
	expect_errno("SIGNAL 7 while another process blocks in WAIT 7",
		     signal_id(ctx->dev, &s->e.id, TL_BLOCKED), 0);
	got = child_read(&c, &r, sizeof(r), REPORT_WAIT_MS);
	status = end_child(&c);
	if (!check("a WAIT 7 (timeout 5000 ms) blocked in another process returns 0, current_value 7, on SIGNAL 7",
		   got && !r.ret && r.current_value == TL_BLOCKED,
		   "%s", !got ? wait_status_text(status, text, sizeof(text)) :
		   r.ret ? result_name(r.ret) : "current_value not 7"))
		return;
	check("that WAIT had blocked until the SIGNAL", r.ms >= BLOCKED_MIN_MS,
	      "returned after %lld ms, the SIGNAL came after %d ms", r.ms,
	      PEER_DELAY_MS);
}

/* A sync_file for a value the timeline (at 7) has not reached, then has */
static void test_timeline_fence(const struct ctx *ctx,
				const struct hyper_dmabuf_id *id)
{
	struct hyper_dmabuf_wait w;
	long long start_ns, ms;
	int ret, fdflags, revents, status = 0;

	start_ns = now_ns();
	ret = wait_id(ctx->dev, id, TL_FENCE, WAIT_LONG_MS,
		      HYPER_DMABUF_WAIT_SYNC_FILE, &w);
	ms = ms_since(start_ns);
	if (!check("WAIT_SYNC_FILE for 8 (timeline at 7, timeout 5000 ms): a fence_fd at once",
		   !ret && w.fence_fd >= 0 && ms < WAIT_LONG_MS / 5,
		   "%s, fence_fd %d, after %lld ms", result_name(ret),
		   w.fence_fd, ms)) {
		if (!ret && w.fence_fd >= 0)
			close(w.fence_fd);
		return;
	}
	fdflags = fcntl(w.fence_fd, F_GETFD);
	check("the fence_fd is close-on-exec", fdflags >= 0 && (fdflags & FD_CLOEXEC),
	      "F_GETFD 0x%x", fdflags);
	check("WAIT_SYNC_FILE reports current_value 7",
	      w.current_value == TL_BLOCKED, "current_value %llu",
	      (unsigned long long)w.current_value);
	revents = poll_in(w.fence_fd, 0);
	check("poll(): that sync_file is not ready before SIGNAL 8", revents == 0,
	      "revents 0x%x", revents);
	expect_errno("SIGNAL 8 succeeds", signal_id(ctx->dev, id, TL_FENCE), 0);
	revents = poll_in(w.fence_fd, 0);
	check("poll(): that sync_file is ready right after SIGNAL 8",
	      revents > 0 && (revents & POLLIN), "revents 0x%x", revents);
	ret = fence_status(w.fence_fd, &status);
	check("SYNC_IOC_FILE_INFO: its fence is signalled without error (status 1)",
	      !ret && status == 1, "%s, status %d", result_name(ret), status);
	close(w.fence_fd);

	ret = wait_id(ctx->dev, id, TL_FENCE, 0, HYPER_DMABUF_WAIT_SYNC_FILE,
		      &w);
	revents = !ret && w.fence_fd >= 0 ? poll_in(w.fence_fd, 0) : 0;
	check("WAIT_SYNC_FILE for a value already reached: a sync_file ready at once",
	      revents > 0 && (revents & POLLIN), "%s, fence_fd %d, revents 0x%x",
	      result_name(ret), w.fence_fd, revents);
	if (!ret && w.fence_fd >= 0)
		close(w.fence_fd);
}

/*
 * A sync_file for a value nobody signals has a deadline: its timeout_ms
 * (300 ms here); it then signals with ETIMEDOUT, never waits for good.
 */
static void test_timeline_fence_deadline(const struct ctx *ctx,
					 const struct hyper_dmabuf_id *id)
{
	struct hyper_dmabuf_wait w;
	long long start_ns, ms;
	int ret, revents, status = 0;

	ret = wait_id(ctx->dev, id, TL_NEVER, 300, HYPER_DMABUF_WAIT_SYNC_FILE,
		      &w);
	if (!check("WAIT_SYNC_FILE for a value nobody signals, timeout 300 ms: a fence_fd",
		   !ret && w.fence_fd >= 0, "%s, fence_fd %d",
		   result_name(ret), w.fence_fd))
		return;
	start_ns = now_ns();
	revents = poll_in(w.fence_fd, WAIT_LONG_MS);
	ms = ms_since(start_ns);
	check("its sync_file signals after its timeout, well before 5 s",
	      revents > 0 && (revents & POLLIN), "revents 0x%x after %lld ms",
	      revents, ms);
	ret = fence_status(w.fence_fd, &status);
	check("SYNC_IOC_FILE_INFO: the fence ended with ETIMEDOUT",
	      !ret && status == -ETIMEDOUT, "%s, status %d", result_name(ret),
	      status);
	close(w.fence_fd);
}

/* What the importer that signals tells the parent */
struct signal_report {
	int import_ret;
	int signal_ret;
};

static int child_signaller(const struct ctx *ctx, int rfd, int wfd,
			   const void *arg)
{
	const struct shared *s = arg;
	struct hyper_dmabuf_import im;
	struct signal_report r;
	int dev = child_open(ctx, 0);
	char go;

	if (dev < 0)
		return CHILD_NO_DEVICE;
	memset(&r, 0, sizeof(r));
	r.import_ret = import_id(dev, &s->e.id, NULL, &im);
	if (!write_full(wfd, "r", 1) || !read_full(rfd, &go, 1))
		return CHILD_PIPE;
	r.signal_ret = signal_id(dev, &s->e.id, TL_IMPORTER);
	if (im.fd >= 0)
		close(im.fd);
	close(dev);
	return write_full(wfd, &r, sizeof(r)) ? CHILD_OK : CHILD_PIPE;
}

static void test_timeline_importer(const struct ctx *ctx,
				   const struct shared *s)
{
	struct signal_report r;
	struct hyper_dmabuf_wait w;
	char ready, text[64];
	int ret, status;
	struct child c;
	bool got;

	if (!start_child(ctx, "SIGNAL by an importer", child_signaller, s, &c))
		return;
	if (!child_read(&c, &ready, 1, CHILD_WAIT_MS) || !child_send(&c)) {
		status = end_child(&c);
		setup_failed("SIGNAL by an importer", "the child did not start (%s)",
			     wait_status_text(status, text, sizeof(text)));
		return;
	}
	/* blocks until the importer's SIGNAL */
	ret = wait_id(ctx->dev, &s->e.id, TL_IMPORTER, WAIT_LONG_MS, 0, &w);
	got = child_read(&c, &r, sizeof(r), REPORT_WAIT_MS);
	status = end_child(&c);
	if (!check("SIGNAL by an importer: the other process answers", got,
		   "%s", wait_status_text(status, text, sizeof(text))))
		return;
	expect_errno("SIGNAL by an importer: its IMPORT on a device fd of its own",
		     r.import_ret, 0);
	expect_errno("SIGNAL 9 by the importer succeeds", r.signal_ret, 0);
	check("the exporter's WAIT 9 sees the importer's SIGNAL: 0, current_value 9",
	      !ret && w.current_value == TL_IMPORTER, "%s, current_value %llu",
	      result_name(ret), (unsigned long long)w.current_value);
}

static void test_signal_errors(const struct ctx *ctx,
			       const struct hyper_dmabuf_id *id)
{
	/* a value SIGNAL would take: only the error checked can refuse it */
	struct hyper_dmabuf_signal base = { .id = *id, .value = TL_NEVER - 1 };

	EXPECT_ID_CHECKED("SIGNAL", ctx->dev, call_signal, &base,
			  hyper_dmabuf_signal, WRONG_KEY0);
	EXPECT_ZERO_FIELDS("SIGNAL", ctx->dev, call_signal, &base,
			   hyper_dmabuf_signal, 0,
			   RESERVED0_OF(hyper_dmabuf_signal));
	expect_errno("SIGNAL NULL argument -> EFAULT",
		     xioctl(ctx->dev, HYPER_DMABUF_IOCTL_SIGNAL, NULL), EFAULT);
}

static void test_wait_errors(const struct ctx *ctx,
			     const struct hyper_dmabuf_id *id)
{
	/* without the error checked: ETIMEDOUT at once */
	struct hyper_dmabuf_wait base = { .id = *id, .value = TL_NEVER };

	EXPECT_ID_CHECKED("WAIT", ctx->dev, call_wait, &base,
			  hyper_dmabuf_wait, WRONG_KEY1);
	EXPECT_ZERO_FIELDS("WAIT", ctx->dev, call_wait, &base,
			   hyper_dmabuf_wait, HYPER_DMABUF_WAIT_SYNC_FILE,
			   RESERVED0_OF(hyper_dmabuf_wait));
	expect_errno("WAIT NULL argument -> EFAULT",
		     xioctl(ctx->dev, HYPER_DMABUF_IOCTL_WAIT, NULL), EFAULT);
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void test_wait_eintr(const struct ctx *ctx,
			    const struct hyper_dmabuf_id *id)
{
	struct sigaction sa, old;
	struct hyper_dmabuf_wait w;
	long long start_ns, ms;
	int ret;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: the call ends with EINTR */
	sigaction(SIGALRM, &sa, &old);
	start_ns = now_ns();
	alarm(1);
	ret = wait_id(ctx->dev, id, TL_NEVER, WAIT_LONG_MS, 0, &w);
	alarm(0);
	ms = ms_since(start_ns);
	sigaction(SIGALRM, &old, NULL);
	check("a blocking WAIT (timeout 5000 ms) ended by SIGALRM after 1 s, no SA_RESTART -> EINTR",
	      ret == EINTR && ms < WAIT_LONG_MS, "%s after %lld ms",
	      result_name(ret), ms);
}

/* A sync_file for a value never reached, when its export goes away */
static void test_fence_cancelled(const struct ctx *ctx)
{
	struct hyper_dmabuf_import im;
	struct hyper_dmabuf_wait w;
	int ret, revents, status = 0;
	struct shared s;

	if (!new_export(ctx, "sync_file cancelled", SEED_CANCEL, 0, &s))
		return;
	w.fence_fd = -1;
	ret = import_id(ctx->dev, &s.e.id, NULL, &im);
	if (!ret)
		ret = wait_id(ctx->dev, &s.e.id, TL_CANCEL, 0,
			      HYPER_DMABUF_WAIT_SYNC_FILE, &w);
	if (!ret)
		ret = unexport_id(ctx->dev, &s.e.id, 0);
	if (ret) {
		setup_failed("sync_file cancelled",
			     "IMPORT, WAIT_SYNC_FILE 100, UNEXPORT: %s",
			     strerror(ret));
		if (w.fence_fd >= 0)
			close(w.fence_fd);
		if (im.fd >= 0)
			close(im.fd);
		end_export(ctx, &s);
		return;
	}
	revents = poll_in(w.fence_fd, 0);
	check("a pending sync_file stays pending while an import keeps its unexported export",
	      revents == 0, "revents 0x%x", revents);
	close(im.fd);
	close(s.b.fd);
	revents = poll_in(w.fence_fd, RELEASE_WAIT_MS);
	check("a sync_file for a value never reached signals once the export is gone (POLLIN)",
	      revents > 0 && (revents & POLLIN), "revents 0x%x after %d ms",
	      revents, RELEASE_WAIT_MS);
	ret = fence_status(w.fence_fd, &status);
	check("SYNC_IOC_FILE_INFO: that fence's status is -ECANCELED",
	      !ret && status == -ECANCELED, "%s, status %d", result_name(ret),
	      status);
	close(w.fence_fd);
}

static void test_timeline(const struct ctx *ctx)
{
	struct shared s;
	int evfd;

	if (!new_export(ctx, "SIGNAL/WAIT", SEED_TIMELINE, 0, &s))
		return;
	/* opened after the EXPORT: only the SIGNAL's record comes */
	evfd = open_events(ctx, "SIGNAL/WAIT");
	if (evfd >= 0) {
		test_timeline_basic(ctx, &s.e.id, evfd);
		close(evfd);
	}
	test_timeline_blocking(ctx, &s);
	test_timeline_fence(ctx, &s.e.id);
	test_timeline_fence_deadline(ctx, &s.e.id);
	test_timeline_importer(ctx, &s);
	test_signal_errors(ctx, &s.e.id);
	test_wait_errors(ctx, &s.e.id);
	test_wait_eintr(ctx, &s.e.id);
	end_export(ctx, &s);
	/* test_fence_cancelled() comes last of all: see main() */
}

/* ---- EXPORT of an import ------------------------------------------------- */

static void test_export_of_import(const struct ctx *ctx)
{
	struct hyper_dmabuf_export again;
	struct hyper_dmabuf_import im;
	struct shared s;
	int ret;

	if (!new_export(ctx, "EXPORT of an import", SEED_RW, 0, &s))
		return;
	ret = import_id(ctx->dev, &s.e.id, NULL, &im);
	if (ret) {
		setup_failed("EXPORT of an import", "IMPORT: %s", strerror(ret));
		goto out;
	}
	again = export_args(im.fd, HYPER_DMABUF_EXPORT_RW, NULL);
	expect_errno("EXPORT RW of a read-only import's fd -> EACCES",
		     try_export(ctx->dev, &again), EACCES);
	again.flags = 0;
	expect_errno("EXPORT read-only of a read-only import's fd succeeds",
		     try_export(ctx->dev, &again), 0);
	close(im.fd);
out:
	end_export(ctx, &s);
}

/* ---- main ---------------------------------------------------------------- */

static void setup(struct ctx *ctx, const struct options *opts)
{
	struct hyper_dmabuf_caps caps;

	memset(ctx, 0, sizeof(*ctx));
	ctx->device = opts->device;
	ctx->root = geteuid() == 0;
	ctx->page = page_size();
	ctx->dev = open_device(opts->device);
	get_caps(ctx->dev, &caps);
	ctx->xen = caps.flags & HYPER_DMABUF_CAPS_XEN;
	ctx->domid_valid = caps.flags & HYPER_DMABUF_CAPS_DOMID_VALID;
	ctx->domid = caps.domid;

	printf("# module %.*s, %s, page %zu\n",
	       (int)sizeof(caps.module_version), caps.module_version,
	       ctx->xen ? "on Xen" : "not on Xen", ctx->page);
}

int main(int argc, char **argv)
{
	struct options opts = { .device = DEFAULT_DEVICE };
	const struct test_command command = {
		.about = "Check QUERY, LIST, events, REVOKE, SIGNAL and WAIT of the\n"
			 "hyper_dmabuf module over the loopback transport (needs root).",
		.device = &opts.device,
		.no_counters = &opts.no_counters,
	};
	struct ctx ctx;

	parse_command_line(&command, argc, argv, 1);
	test_start(opts.device);
	setup(&ctx, &opts);
	if (!opts.no_counters)
		print_counters();

	test_query(&ctx);
	test_list(&ctx);
	test_events(&ctx);
	test_revoke(&ctx);
	test_timeline(&ctx);
	test_export_of_import(&ctx);
	/*
	 * Last: it polls and closes a sync_file that outlived its export,
	 * the path most likely to upset the kernel; the other results are
	 * out by then.
	 */
	test_fence_cancelled(&ctx);

	close(ctx.dev);
	if (!opts.no_counters)
		check_counters();
	return test_summary();
}
