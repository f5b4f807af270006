// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hdmabuf-test-privilege: who may do what on /dev/hyper_dmabuf (issue 12,
 * items 5 and 6), over the loopback transport with the raw ioctls. Run as
 * root with --uid and --gid of an unprivileged user whose group may open
 * the device (the scenario makes it the device's group, as the udev rule
 * does). The program takes that user's identity for a while with
 * seteuid()/setegid(), which also drops its effective capabilities, and
 * takes root's back after:
 *
 * - the user's LIST, QUERY and events show its own exports and the
 *   imports its open file holds, never root's exports; SIGNAL and WAIT
 *   of root's exports fail with EPERM;
 * - a key given to the user still imports the export, and through the
 *   file holding that import the user may then QUERY, LIST, SIGNAL and
 *   WAIT it and hears its events; another file of the same user may not;
 * - root sees and may use everything;
 * - the Xen grant-reference calls need CAP_SYS_ADMIN of both the opener
 *   and the caller: EPERM otherwise (off Xen every caller gets ENODEV).
 *
 * With --remote ID (an export another domain offered to this one), only
 * that: the user imports it by its key; through the importing file it may
 * QUERY, LIST, SIGNAL and WAIT it and hears it signalled; through another
 * file of the user it may not; root sees it.
 *
 * Prints "ok - NAME" or "not ok - NAME: DETAILS" per check. Exit status:
 * 0 all passed, 1 a check failed, 2 usage error, 77 no device (skipped).
 */
#define _GNU_SOURCE
#define _FILE_OFFSET_BITS 64	/* as guest-test.c */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <linux/hyper_dmabuf.h>

#include "guest-test.h"

#define BUFFERS_FILE	"/sys/kernel/debug/hyper_dmabuf/buffers"
#define EVENT_WAIT_MS	2000
#define MAX_EVENTS	64
#define MAX_LIST	256

enum {
	SEED_ROOT = 0x5eed4001,
	SEED_USER,
};

struct options {
	const char *device;
	const char *remote;	/* DOMID:SERIAL:KEY, or NULL */
	uid_t uid;
	gid_t gid;
	bool have_uid, have_gid;
};

struct ctx {
	const char *device;
	uid_t uid;
	gid_t gid;
	bool xen;
	size_t page;
};

/* An ALLOC buffer and its export to this domain */
struct shared {
	struct buf b;
	struct hyper_dmabuf_export e;
};

/* ---- identities ---------------------------------------------------------- */

static void fatal(const char *what)
{
	printf("not ok - %s: %s\n", what, strerror(errno));
	exit(EXIT_FAILURE);
}

/* The user's identity: its uid and the device's group, no capabilities. */
static void become_user(const struct ctx *ctx)
{
	if (setegid(ctx->gid))
		fatal("setegid to the user's group");
	if (seteuid(ctx->uid))
		fatal("seteuid to the user");
}

static void become_root(void)
{
	if (seteuid(0))
		fatal("seteuid back to root");
	if (setegid(0))
		fatal("setegid back to root");
}

/* The device opened as the user, events without blocking. */
static int user_open(const struct ctx *ctx)
{
	int fd;

	become_user(ctx);
	fd = open(ctx->device, O_RDWR | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		printf("not ok - open %s as uid %u gid %u: %s\n", ctx->device,
		       (unsigned int)ctx->uid, (unsigned int)ctx->gid,
		       strerror(errno));
	become_root();
	if (fd < 0)
		exit(EXIT_FAILURE);
	return fd;
}

/* ---- helpers ------------------------------------------------------------- */

static bool same_id(const struct hyper_dmabuf_id *a,
		    const struct hyper_dmabuf_id *b)
{
	return !memcmp(a, b, sizeof(*a));
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static bool share_new(int dev, const char *group, __u64 size, uint32_t seed,
		      struct shared *s)
{
	int ret;

	if (!new_filled_buf(dev, group, size, seed, &s->b))
		return false;
	s->e = export_args(s->b.fd, 0, NULL);
	ret = do_export(dev, &s->e);
	if (ret) {
		close(s->b.fd);
		return setup_failed(group, "EXPORT: %s", strerror(ret));
	}
	return true;
}

/* LIST into infos[MAX_LIST]; the count, or -errno. */
static int list_of(int dev, struct hyper_dmabuf_info *infos)
{
	struct hyper_dmabuf_list l = {
		.entries = uptr(infos),
		.capacity = MAX_LIST,
	};
	int ret = xioctl(dev, HYPER_DMABUF_IOCTL_LIST, &l);

	return ret ? -ret : (int)(l.count < MAX_LIST ? l.count : MAX_LIST);
}

/* Whether LIST through dev shows id in role (0: any role). */
static bool listed(int dev, const struct hyper_dmabuf_id *id, __u32 role,
		   int *err)
{
	static struct hyper_dmabuf_info infos[MAX_LIST];
	int n = list_of(dev, infos), i;

	*err = n < 0 ? -n : 0;
	for (i = 0; i < n; i++)
		if (same_id(&infos[i].id, id) && (!role || infos[i].role == role))
			return true;
	return false;
}

/* WAIT for value without blocking; with sync, a sync_file (closed). */
static int wait_of(int dev, const struct hyper_dmabuf_id *id, __u64 value,
		   bool sync)
{
	struct hyper_dmabuf_wait w = {
		.id = *id,
		.value = value,
		.flags = sync ? HYPER_DMABUF_WAIT_SYNC_FILE : 0,
	};
	int ret = xioctl(dev, HYPER_DMABUF_IOCTL_WAIT, &w);

	if (!ret && sync && w.fence_fd >= 0)
		close(w.fence_fd);
	return ret;
}

/*
 * The events queued on fd (O_NONBLOCK) in ev[MAX_EVENTS]; waits up to
 * wait_ms for one of type about id first when type is not 0.
 */
static size_t drain_events(int fd, struct hyper_dmabuf_event *ev, __u32 type,
			   const struct hyper_dmabuf_id *id,
			   unsigned int wait_ms)
{
	long long deadline = now_ms() + wait_ms;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t n = 0, i;
	bool seen = !type;
	ssize_t got;

	for (;;) {
		got = read(fd, ev + n, (MAX_EVENTS - n) * sizeof(*ev));
		if (got > 0) {
			for (i = n; i < n + got / sizeof(*ev); i++)
				if (ev[i].type == type && same_id(&ev[i].id, id))
					seen = true;
			n += got / sizeof(*ev);
			if (n < MAX_EVENTS)
				continue;
			break;
		}
		if (got < 0 && errno != EAGAIN)
			break;
		if (seen || now_ms() >= deadline)
			break;
		poll(&p, 1, (int)(deadline - now_ms()) + 1);
	}
	return n;
}

/* How many of ev[n] name id; types: a bit per type seen. */
static unsigned int events_about(const struct hyper_dmabuf_event *ev,
				 size_t n, const struct hyper_dmabuf_id *id,
				 unsigned int *types)
{
	unsigned int count = 0;
	size_t i;

	*types = 0;
	for (i = 0; i < n; i++) {
		if (!same_id(&ev[i].id, id))
			continue;
		count++;
		if (ev[i].type < 32)
			*types |= 1U << ev[i].type;
	}
	return count;
}

#define TYPE_BIT(t)	(1U << HYPER_DMABUF_EVENT_##t)

/* ---- LIST, QUERY, SIGNAL, WAIT, events ----------------------------------- */

static void test_user_view(const struct ctx *ctx, int root_dev, int root_ev)
{
	static const char group[] = "user view";
	struct hyper_dmabuf_event ev[MAX_EVENTS];
	struct hyper_dmabuf_info info;
	struct hyper_dmabuf_import im;
	struct shared mine, theirs;
	unsigned int types, n_about;
	int user, other, ret, err;
	size_t n;
	bool seen;

	/* before the exports: their events would be queued here */
	user = user_open(ctx);
	other = user_open(ctx);
	if (!share_new(root_dev, group, ctx->page, SEED_ROOT, &theirs))
		goto out_close;
	drain_events(root_ev, ev, HYPER_DMABUF_EVENT_OFFERED, &theirs.e.id,
		     EVENT_WAIT_MS);

	become_user(ctx);
	ret = share_new(user, group, ctx->page, SEED_USER, &mine) ? 0 : 1;
	become_root();
	if (ret)
		goto out_theirs;

	/* LIST */
	become_user(ctx);
	seen = listed(user, &theirs.e.id, 0, &err);
	become_root();
	check("user: LIST does not show root's export", !err && !seen,
	      "%s", err ? strerror(err) : "it is listed");
	become_user(ctx);
	seen = listed(user, &mine.e.id, HYPER_DMABUF_ROLE_EXPORT, &err);
	become_root();
	check("user: LIST shows the user's own export", !err && seen,
	      "%s", err ? strerror(err) : "it is not listed");
	become_user(ctx);
	seen = listed(other, &mine.e.id, HYPER_DMABUF_ROLE_EXPORT, &err);
	become_root();
	check("user: LIST through another file of the user shows its export too",
	      !err && seen, "%s", err ? strerror(err) : "it is not listed");
	seen = listed(root_dev, &theirs.e.id, HYPER_DMABUF_ROLE_EXPORT, &err) &&
	       listed(root_dev, &mine.e.id, HYPER_DMABUF_ROLE_EXPORT, &err);
	check("root: LIST shows root's export and the user's", !err && seen,
	      "%s", err ? strerror(err) : "one is missing");

	/* QUERY */
	become_user(ctx);
	ret = query_id(user, &theirs.e.id, &info);
	become_root();
	expect_errno("user: QUERY of root's export, right key -> ENOENT", ret,
		     ENOENT);
	become_user(ctx);
	ret = query_id(user, &mine.e.id, &info);
	become_root();
	check("user: QUERY of its own export succeeds",
	      !ret && info.role == HYPER_DMABUF_ROLE_EXPORT, "%s, role %u",
	      result_name(ret), info.role);
	ret = query_id(root_dev, &mine.e.id, &info);
	check("root: QUERY of the user's export succeeds",
	      !ret && info.role == HYPER_DMABUF_ROLE_EXPORT, "%s, role %u",
	      result_name(ret), info.role);

	/* SIGNAL and WAIT */
	become_user(ctx);
	ret = signal_id(user, &theirs.e.id, UINT64_MAX);
	become_root();
	expect_errno("user: SIGNAL of root's export to U64_MAX -> EPERM", ret,
		     EPERM);
	become_user(ctx);
	ret = wait_of(user, &theirs.e.id, 0, false);
	become_root();
	expect_errno("user: WAIT on root's export -> EPERM", ret, EPERM);
	become_user(ctx);
	ret = wait_of(user, &theirs.e.id, 1, true);
	become_root();
	expect_errno("user: WAIT_SYNC_FILE on root's export -> EPERM", ret,
		     EPERM);
	expect_errno("root: WAIT on root's export, still at 0",
		     wait_of(root_dev, &theirs.e.id, 0, false), 0);
	become_user(ctx);
	ret = signal_id(user, &mine.e.id, 1);
	if (!ret)
		ret = wait_of(user, &mine.e.id, 1, false);
	become_root();
	expect_errno("user: SIGNAL and WAIT of its own export succeed", ret, 0);
	expect_errno("root: SIGNAL of the user's export succeeds",
		     signal_id(root_dev, &mine.e.id, 2), 0);
	expect_errno("root: SIGNAL of root's export succeeds",
		     signal_id(root_dev, &theirs.e.id, 1), 0);

	/* events so far: root hears of the user's export */
	n = drain_events(root_ev, ev, HYPER_DMABUF_EVENT_SIGNALLED,
			 &theirs.e.id, EVENT_WAIT_MS);
	events_about(ev, n, &mine.e.id, &types);
	check("root: events of the user's export (OFFERED, SIGNALLED)",
	      (types & (TYPE_BIT(OFFERED) | TYPE_BIT(SIGNALLED))) ==
	      (TYPE_BIT(OFFERED) | TYPE_BIT(SIGNALLED)),
	      "types 0x%x of %zu events", types, n);
	n = drain_events(user, ev, HYPER_DMABUF_EVENT_SIGNALLED, &mine.e.id,
			 EVENT_WAIT_MS);
	n_about = events_about(ev, n, &theirs.e.id, &types);
	check("user: no event names root's export (OFFERED, SIGNALLED)",
	      !n_about, "%u of %zu events do (types 0x%x)", n_about, n, types);
	events_about(ev, n, &mine.e.id, &types);
	check("user: events of its own export (OFFERED, SIGNALLED)",
	      (types & (TYPE_BIT(OFFERED) | TYPE_BIT(SIGNALLED))) ==
	      (TYPE_BIT(OFFERED) | TYPE_BIT(SIGNALLED)),
	      "types 0x%x of %zu events", types, n);

	/* a key is the capability to import: the user imports root's export */
	become_user(ctx);
	ret = import_id(user, &theirs.e.id, NULL, &im);
	become_root();
	if (!expect_errno("user: IMPORT of root's export by its key succeeds",
			  ret, 0))
		goto out_mine;
	become_user(ctx);
	ret = query_id(user, &theirs.e.id, &info);
	become_root();
	check("user: QUERY of root's export through the importing file: the import",
	      !ret && info.role == HYPER_DMABUF_ROLE_IMPORT, "%s, role %u",
	      result_name(ret), info.role);
	become_user(ctx);
	seen = listed(user, &theirs.e.id, HYPER_DMABUF_ROLE_IMPORT, &err) &&
	       !err && !listed(user, &theirs.e.id, HYPER_DMABUF_ROLE_EXPORT,
			       &err);
	become_root();
	check("user: LIST through the importing file shows the import only",
	      !err && seen, "%s", err ? strerror(err) : "not as an import only");
	become_user(ctx);
	ret = signal_id(user, &theirs.e.id, 2);
	if (!ret)
		ret = wait_of(user, &theirs.e.id, 2, false);
	become_root();
	expect_errno("user: SIGNAL and WAIT of root's export through the importing file",
		     ret, 0);

	/* another file of the same user holds no import */
	become_user(ctx);
	seen = listed(other, &theirs.e.id, 0, &err);
	become_root();
	check("user: LIST through another file does not show the import",
	      !err && !seen, "%s", err ? strerror(err) : "it is listed");
	become_user(ctx);
	ret = query_id(other, &theirs.e.id, &info);
	become_root();
	expect_errno("user: QUERY through another file -> ENOENT", ret, ENOENT);
	become_user(ctx);
	ret = signal_id(other, &theirs.e.id, UINT64_MAX);
	become_root();
	expect_errno("user: SIGNAL through another file -> EPERM", ret, EPERM);

	/* the holder hears of the export it imported */
	expect_errno("root: SIGNAL of root's export after the user's",
		     signal_id(root_dev, &theirs.e.id, 3), 0);
	n = drain_events(user, ev, HYPER_DMABUF_EVENT_SIGNALLED, &theirs.e.id,
			 EVENT_WAIT_MS);
	events_about(ev, n, &theirs.e.id, &types);
	check("user: the importing file hears root's export signalled",
	      types & TYPE_BIT(SIGNALLED), "types 0x%x of %zu events", types,
	      n);
	n = drain_events(other, ev, 0, NULL, 200);
	n_about = events_about(ev, n, &theirs.e.id, &types);
	check("user: another file hears nothing of root's export", !n_about,
	      "%u of %zu events do (types 0x%x)", n_about, n, types);
	close(im.fd);

out_mine:
	become_user(ctx);
	ret = unexport_id(user, &mine.e.id, 0);
	become_root();
	expect_errno("user: UNEXPORT of its own export", ret, 0);
	close(mine.b.fd);
out_theirs:
	expect_errno("root: UNEXPORT of root's export",
		     unexport_id(root_dev, &theirs.e.id, 0), 0);
	close(theirs.b.fd);
out_close:
	close(other);
	close(user);
}

/* ---- an export of another domain ----------------------------------------- */

/* DOMID:SERIAL:KEY (KEY: 32 hex digits), as the library writes it */
static bool parse_id(const char *s, struct hyper_dmabuf_id *id)
{
	char key[33], hi[17], lo[17], end;
	unsigned int domid, serial;

	if (sscanf(s, "%u:%u:%32[0-9a-fA-F]%c", &domid, &serial, key,
		   &end) != 3 || strlen(key) != 32)
		return false;
	memcpy(hi, key, 16);
	memcpy(lo, key + 16, 16);
	hi[16] = lo[16] = '\0';
	id->domid = domid;
	id->serial = serial;
	id->key[0] = strtoull(hi, NULL, 16);
	id->key[1] = strtoull(lo, NULL, 16);
	return true;
}

static void test_remote(const struct ctx *ctx, int root_dev,
			const struct hyper_dmabuf_id *id)
{
	struct hyper_dmabuf_event ev[MAX_EVENTS];
	struct hyper_dmabuf_info info;
	struct hyper_dmabuf_import im;
	int user, other, ret, err;
	unsigned int types, n_about;
	size_t n;
	bool seen;

	user = user_open(ctx);
	other = user_open(ctx);
	become_user(ctx);
	ret = import_id(user, id, NULL, &im);
	become_root();
	if (!expect_errno("user: IMPORT of the other domain's export by its key",
			  ret, 0))
		goto out;

	become_user(ctx);
	ret = query_id(user, id, &info);
	become_root();
	check("user: QUERY through the importing file: the import",
	      !ret && info.role == HYPER_DMABUF_ROLE_IMPORT, "%s, role %u",
	      result_name(ret), info.role);
	become_user(ctx);
	seen = listed(user, id, HYPER_DMABUF_ROLE_IMPORT, &err);
	become_root();
	check("user: LIST through the importing file shows the import",
	      !err && seen, "%s", err ? strerror(err) : "it is not listed");
	become_user(ctx);
	ret = signal_id(user, id, 1);
	become_root();
	expect_errno("user: SIGNAL through the importing file (to the exporter)",
		     ret, 0);
	n = drain_events(user, ev, HYPER_DMABUF_EVENT_SIGNALLED, id,
			 EVENT_WAIT_MS);
	events_about(ev, n, id, &types);
	check("user: the importing file hears it signalled",
	      types & TYPE_BIT(SIGNALLED), "types 0x%x of %zu events", types,
	      n);
	become_user(ctx);
	ret = wait_of(user, id, 1, false);
	become_root();
	expect_errno("user: WAIT through the importing file", ret, 0);

	become_user(ctx);
	seen = listed(other, id, 0, &err);
	become_root();
	check("user: LIST through another file does not show the import",
	      !err && !seen, "%s", err ? strerror(err) : "it is listed");
	become_user(ctx);
	ret = query_id(other, id, &info);
	become_root();
	expect_errno("user: QUERY through another file -> ENOENT", ret, ENOENT);
	become_user(ctx);
	ret = signal_id(other, id, UINT64_MAX);
	become_root();
	expect_errno("user: SIGNAL through another file to U64_MAX -> EPERM",
		     ret, EPERM);
	become_user(ctx);
	ret = wait_of(other, id, 0, false);
	become_root();
	expect_errno("user: WAIT through another file -> EPERM", ret, EPERM);
	n = drain_events(other, ev, 0, NULL, 200);
	n_about = events_about(ev, n, id, &types);
	check("user: another file hears nothing of it", !n_about,
	      "%u of %zu events do (types 0x%x)", n_about, n, types);

	seen = listed(root_dev, id, HYPER_DMABUF_ROLE_IMPORT, &err);
	check("root: LIST shows the user's import", !err && seen, "%s",
	      err ? strerror(err) : "it is not listed");
	expect_errno("root: WAIT on it", wait_of(root_dev, id, 1, false), 0);
	close(im.fd);
out:
	close(other);
	close(user);
}

/* ---- the Xen group ------------------------------------------------------- */

/*
 * Each call of the group with arguments it refuses (EINVAL, ENOENT) or,
 * without the privilege, EPERM before it looks at them; off Xen ENODEV.
 */
static void xen_calls(int dev, const char *who, int want)
{
	struct hyper_dmabuf_xen_exp_from_refs from = { .count = 0 };
	struct hyper_dmabuf_xen_exp_wait_released wr = { .fd = -1 };
	struct hyper_dmabuf_xen_imp_to_refs to = { .fd = -1, .count = 0 };
	struct hyper_dmabuf_xen_imp_release rel = { .fd = -1 };
	struct { const char *name; unsigned long req; void *arg; int ok; } c[] = {
		{ "XEN_EXP_FROM_REFS", HYPER_DMABUF_IOCTL_XEN_EXP_FROM_REFS,
		  &from, EINVAL },
		{ "XEN_EXP_WAIT_RELEASED",
		  HYPER_DMABUF_IOCTL_XEN_EXP_WAIT_RELEASED, &wr, ENOENT },
		{ "XEN_IMP_TO_REFS", HYPER_DMABUF_IOCTL_XEN_IMP_TO_REFS, &to,
		  EINVAL },
		{ "XEN_IMP_RELEASE", HYPER_DMABUF_IOCTL_XEN_IMP_RELEASE, &rel,
		  ENOENT },
	};
	char name[160];
	size_t i;
	int w;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		w = want < 0 ? c[i].ok : want;
		snprintf(name, sizeof(name), "%s: %s -> %s", who, c[i].name,
			 strerrorname_np(w) ? strerrorname_np(w) : "?");
		expect_errno(name, xioctl(dev, c[i].req, c[i].arg), w);
	}
}

static void test_xen_group(const struct ctx *ctx, int root_dev)
{
	int user = user_open(ctx);

	if (!ctx->xen) {
		printf("# not on Xen: every caller gets ENODEV\n");
		xen_calls(root_dev, "root", ENODEV);
		become_user(ctx);
		xen_calls(user, "user", ENODEV);
		become_root();
		close(user);
		return;
	}
	xen_calls(root_dev, "root", -1);
	become_user(ctx);
	xen_calls(user, "user", EPERM);
	/* a descriptor root opened, in the user's hands */
	xen_calls(root_dev, "user, root's file", EPERM);
	become_root();
	/* the user's descriptor, in root's hands */
	xen_calls(user, "root, the user's file", EPERM);
	close(user);
}

/* ---- debugfs ------------------------------------------------------------- */

static void test_debugfs(const struct ctx *ctx)
{
	int fd;

	if (access(BUFFERS_FILE, R_OK)) {
		skipped("debugfs buffers: %s: %s", BUFFERS_FILE,
			strerror(errno));
		return;
	}
	become_user(ctx);
	fd = open(BUFFERS_FILE, O_RDONLY | O_CLOEXEC);
	become_root();
	if (fd >= 0)
		close(fd);
	check("user: debugfs buffers cannot be opened", fd < 0,
	      "it opened");
}

/* ---- main ---------------------------------------------------------------- */

int main(int argc, char **argv)
{
	struct options opts = { .device = DEFAULT_DEVICE };
	const struct test_command command = {
		.synopsis = "hdmabuf-test-privilege --uid UID --gid GID [OPTIONS]",
		.about = "Check who may do what on the hyper_dmabuf device: run as root;\n"
			 "UID and GID are an unprivileged user and a group that may open\n"
			 "the device.",
		.device = &opts.device,
		.options = (const struct test_option[]){
			NUMBER_OPTION("uid", "UID", &opts.uid, 65535, &opts.have_uid,
				      "an unprivileged user"),
			NUMBER_OPTION("gid", "GID", &opts.gid, 65535, &opts.have_gid,
				      "a group that may open the device"),
			STRING_OPTION("remote", "ID", &opts.remote,
				      "only the checks of an import of ID, an\n"
				      "export another domain offered to this one"),
			{ NULL }
		},
	};
	struct hyper_dmabuf_id remote;
	struct hyper_dmabuf_caps caps;
	struct ctx ctx;
	int root_dev, root_ev;

	parse_command_line(&command, argc, argv, 1);
	if (!opts.have_uid || !opts.have_gid)
		usage_error("--uid and --gid are needed");
	if (!opts.uid || !opts.gid)
		usage_error("--uid and --gid take a number from 1 to 65535");
	if (opts.remote && !parse_id(opts.remote, &remote))
		usage_error("--remote takes DOMID:SERIAL:KEY");
	test_start(opts.device);
	if (geteuid() != 0) {
		skipped("all: not root");
		return EXIT_SKIP;
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.device = opts.device;
	ctx.uid = opts.uid;
	ctx.gid = opts.gid;
	ctx.page = page_size();
	root_dev = open_device(opts.device);
	get_caps(root_dev, &caps);
	ctx.xen = caps.flags & HYPER_DMABUF_CAPS_XEN;
	root_ev = open(opts.device, O_RDWR | O_CLOEXEC | O_NONBLOCK);
	if (root_ev < 0)
		fatal("open the device for root's events");
	printf("# module %.*s, %s; user %u, group %u\n",
	       (int)sizeof(caps.module_version), caps.module_version,
	       ctx.xen ? "on Xen" : "not on Xen", (unsigned int)ctx.uid,
	       (unsigned int)ctx.gid);
	if (opts.remote) {
		test_remote(&ctx, root_dev, &remote);
		close(root_ev);
		close(root_dev);
		return test_summary();
	}
	print_counters();

	test_user_view(&ctx, root_dev, root_ev);
	test_xen_group(&ctx, root_dev);
	test_debugfs(&ctx);

	close(root_ev);
	close(root_dev);
	check_counters();
	return test_summary();
}
