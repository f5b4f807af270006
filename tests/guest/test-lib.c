// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hdmabuf-test-lib: libhyperdmabuf against the real module, over the
 * loopback transport: what the library makes of the module's real answers
 * where the host's tests (tests/unit, with a shim in place of the module)
 * can only hand it answers of their own. Capabilities against the raw
 * GET_CAPS, a share with metadata and its bytes, QUERY and LIST of real
 * entries (LIST read again once it outgrows the first room offered), the
 * loopback peer, the events of a share in order, a timeline waited on
 * while another process signals it and while a signal interrupts the wait,
 * sync_files, and REVOKE made once only. Run as root inside a VM with the
 * module loaded.
 *
 * Prints "ok - NAME" or "not ok - NAME: DETAILS" per check. Exit status:
 * 0 all passed, 1 a check failed, 2 usage error, 77 no device (skipped).
 */
#define _FILE_OFFSET_BITS 64	/* as guest-test.c */

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <hyperdmabuf.h>

#include "guest-test.h"

#define PAGES		2
#define XR24		0x34325258u	/* fourcc_code('X', 'R', '2', '4') */
#define MANY_EXPORTS	40	/* more than the room the first LIST offers */
#define EVENT_WAIT_MS	2000	/* imports go at their last fput */
#define PEER_DELAY_MS	200	/* before the other process signals */
#define WAIT_LONG_MS	5000
#define WAIT_SHORT_MS	600	/* a wait a signal interrupts on the way */
#define ALARM_MS	150
#define TL_FIRST	5
#define TL_CHILD	9
#define TL_UNLIMITED	12
#define TL_NEVER	(1ULL << 50)	/* never signalled */

enum seed { SEED_SHARE = 0x11b0001, SEED_TIMELINE, SEED_REVOKE, SEED_LIST };

/* 0, or the errno of a library call that returned -1 or NULL */
static int lib_err(bool failed)
{
	return failed ? errno : 0;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static bool id_is(const struct hdmabuf_id *a, const struct hdmabuf_id *b)
{
	return hdmabuf_id_equal(a, b);
}

/* An ALLOC buffer of PAGES pages holding the pattern of seed, or -1. */
static int filled_buf(struct hdmabuf_ctx *ctx, const char *group,
		      uint32_t seed, size_t *size)
{
	struct why why = { "" };
	int fd;

	*size = PAGES * page_size();
	fd = hdmabuf_ctx_alloc(ctx, *size, 0);
	if (fd < 0) {
		setup_failed(group, "hdmabuf_ctx_alloc: %s", strerror(errno));
		return -1;
	}
	if (!fill_fd(fd, *size, seed, &why)) {
		setup_failed(group, "fill: %s", why.text);
		close(fd);
		return -1;
	}
	return fd;
}

/* A new buffer (*buf) exported to this domain, or NULL after a "not ok". */
static struct hdmabuf_export *new_export(struct hdmabuf_ctx *ctx,
					 const char *group, uint32_t seed,
					 int *buf)
{
	struct hdmabuf_export *exp;
	size_t size;

	*buf = filled_buf(ctx, group, seed, &size);
	if (*buf < 0)
		return NULL;
	exp = hdmabuf_ctx_export(ctx, *buf, HDMABUF_DOMID_SELF, 0, NULL);
	if (!exp) {
		setup_failed(group, "export: %s", strerror(errno));
		close(*buf);
	}
	return exp;
}

/* The library's capabilities are the module's own, field by field. */
static void test_caps(struct hdmabuf_ctx *ctx)
{
	struct hyper_dmabuf_caps raw;
	struct hdmabuf_caps *caps;
	bool same;

	get_caps(hdmabuf_ctx_get_fd(ctx), &raw);
	caps = hdmabuf_ctx_get_caps(ctx);
	if (!check("hdmabuf_ctx_get_caps succeeds", caps, "%s",
		   strerror(errno)))
		return;
	same = hdmabuf_caps_get_api_version(caps) == raw.api_version &&
	       !strcmp(hdmabuf_caps_get_module_version(caps),
		       raw.module_version) &&
	       hdmabuf_caps_is_xen(caps) ==
	       !!(raw.flags & HYPER_DMABUF_CAPS_XEN) &&
	       (int)hdmabuf_caps_get_xen_type(caps) == (int)raw.xen_type &&
	       hdmabuf_caps_has_transport(caps, HDMABUF_TRANSPORT_LOOPBACK);
	check("capabilities: API and module version, Xen or not, loopback, as GET_CAPS says",
	      same, "library: api %u, module \"%s\", xen %d; GET_CAPS: api %u, module \"%s\", flags 0x%x",
	      hdmabuf_caps_get_api_version(caps),
	      hdmabuf_caps_get_module_version(caps), hdmabuf_caps_is_xen(caps),
	      raw.api_version, raw.module_version, raw.flags);
	hdmabuf_caps_free(caps);
}

static struct hdmabuf_meta *sample_meta(void)
{
	struct hdmabuf_meta *meta = hdmabuf_meta_new();

	if (!meta)
		return NULL;
	hdmabuf_meta_set_format(meta, XR24, 0x0100000000000002ULL, 64, 32);
	if (hdmabuf_meta_set_plane(meta, 0, 0, 256) ||
	    hdmabuf_meta_set_name(meta, "test-lib") ||
	    hdmabuf_meta_set_blob(meta, "\x01\x02\x03", 3)) {
		hdmabuf_meta_free(meta);
		return NULL;
	}
	return meta;
}

/* The import's metadata is sample_meta()'s, as the module carried it. */
static bool meta_arrived(const struct hdmabuf_meta *m, struct why *why)
{
	uint32_t offset = 1, stride = 0;
	const void *blob;
	size_t len = 0;

	blob = hdmabuf_meta_get_blob(m, &len);
	if (hdmabuf_meta_get_fourcc(m) != XR24 ||
	    hdmabuf_meta_get_modifier(m) != 0x0100000000000002ULL ||
	    hdmabuf_meta_get_width(m) != 64 || hdmabuf_meta_get_height(m) != 32)
		return because(why, "format 0x%x %ux%u",
			       hdmabuf_meta_get_fourcc(m),
			       hdmabuf_meta_get_width(m),
			       hdmabuf_meta_get_height(m));
	if (hdmabuf_meta_get_num_planes(m) != 1 ||
	    hdmabuf_meta_get_plane(m, 0, &offset, &stride) || offset ||
	    stride != 256)
		return because(why, "%u planes, the first at %u stride %u",
			       hdmabuf_meta_get_num_planes(m), offset, stride);
	if (strcmp(hdmabuf_meta_get_name(m), "test-lib"))
		return because(why, "name \"%s\"", hdmabuf_meta_get_name(m));
	if (len != 3 || memcmp(blob, "\x01\x02\x03", 3))
		return because(why, "blob of %zu bytes", len);
	return true;
}

/* Whether the list has id with role; its entry in *found. */
static bool list_has(const struct hdmabuf_info_list *list,
		     const struct hdmabuf_id *id, enum hdmabuf_role role,
		     const struct hdmabuf_info **found)
{
	const struct hdmabuf_info *info;
	size_t i;

	for (i = 0; i < hdmabuf_info_list_get_count(list); i++) {
		info = hdmabuf_info_list_get(list, i);
		if (id_is(hdmabuf_info_get_id(info), id) &&
		    hdmabuf_info_get_role(info) == role) {
			*found = info;
			return true;
		}
	}
	return false;
}

/* The export of a share, described by QUERY and by LIST, while imported. */
static void check_described(struct hdmabuf_ctx *ctx,
			    const struct hdmabuf_export *exp, size_t size)
{
	const struct hdmabuf_id *id = hdmabuf_export_get_id(exp);
	const struct hdmabuf_info *entry;
	struct hdmabuf_info_list *list;
	struct hdmabuf_info *info;

	info = hdmabuf_ctx_query(ctx, id);
	if (check("hdmabuf_ctx_query of the export succeeds", info, "%s",
		  strerror(errno)))
		check("query: role export, state offered, peer self, read-write, its size, 1 importer",
		      hdmabuf_info_get_role(info) == HDMABUF_ROLE_EXPORT &&
		      hdmabuf_info_get_state(info) == HDMABUF_STATE_OFFERED &&
		      hdmabuf_info_get_peer(info) == HDMABUF_DOMID_SELF &&
		      hdmabuf_info_get_flags(info) == HDMABUF_EXPORT_RW &&
		      hdmabuf_info_get_size(info) == size &&
		      hdmabuf_info_get_importers(info) == 1,
		      "role %d, state %d, peer %u, flags 0x%x, size %llu, %u importers",
		      hdmabuf_info_get_role(info), hdmabuf_info_get_state(info),
		      hdmabuf_info_get_peer(info), hdmabuf_info_get_flags(info),
		      (unsigned long long)hdmabuf_info_get_size(info),
		      hdmabuf_info_get_importers(info));
	hdmabuf_info_free(info);

	list = hdmabuf_ctx_list(ctx);
	if (!check("hdmabuf_ctx_list succeeds", list, "%s", strerror(errno)))
		return;
	check("list: the export, offered, with 1 importer",
	      list_has(list, id, HDMABUF_ROLE_EXPORT, &entry) &&
	      hdmabuf_info_get_state(entry) == HDMABUF_STATE_OFFERED &&
	      hdmabuf_info_get_importers(entry) == 1,
	      "not among %zu entries", hdmabuf_info_list_get_count(list));
	check("list: the import of it, imported",
	      list_has(list, id, HDMABUF_ROLE_IMPORT, &entry) &&
	      hdmabuf_info_get_state(entry) == HDMABUF_STATE_IMPORTED,
	      "not among %zu entries", hdmabuf_info_list_get_count(list));
	hdmabuf_info_list_free(list);
}

/* Every event queued on ctx now, dropped. */
static void drain_events(struct hdmabuf_ctx *ctx)
{
	struct hdmabuf_event *ev;

	while ((ev = hdmabuf_ctx_read_event(ctx, 0)))
		hdmabuf_event_free(ev);
}

/* The events of id on ctx until RELEASED (or EVENT_WAIT_MS): their types. */
static size_t events_of(struct hdmabuf_ctx *ctx, const struct hdmabuf_id *id,
			enum hdmabuf_event_type *types, size_t max)
{
	long long end = now_ms() + EVENT_WAIT_MS;
	struct hdmabuf_event *ev;
	size_t n = 0;
	bool last = false;

	while (n < max && !last) {
		ev = hdmabuf_ctx_read_event(ctx, (int)(end - now_ms()));
		if (!ev)
			break;
		if (id_is(hdmabuf_event_get_id(ev), id) &&
		    hdmabuf_event_get_peer(ev) == HDMABUF_DOMID_SELF) {
			types[n] = hdmabuf_event_get_type(ev);
			last = types[n++] == HDMABUF_EVENT_RELEASED;
		}
		hdmabuf_event_free(ev);
	}
	return n;
}

static const char *type_name(enum hdmabuf_event_type type)
{
	const char *name = hdmabuf_event_type_name(type);

	return name ? name : "unknown";
}

static void check_events(struct hdmabuf_ctx *ctx, const struct hdmabuf_id *id)
{
	static const enum hdmabuf_event_type want[] = {
		HDMABUF_EVENT_OFFERED, HDMABUF_EVENT_IMPORTED,
		HDMABUF_EVENT_UNEXPORTED, HDMABUF_EVENT_RELEASED,
	};
	enum hdmabuf_event_type got[8];
	char text[128] = "";
	size_t n, i, len = 0;
	bool same;

	n = events_of(ctx, id, got, ARRAY_SIZE(got));
	same = n == ARRAY_SIZE(want);
	for (i = 0; i < n; i++) {
		same = same && got[i] == want[i];
		len += snprintf(text + len, sizeof(text) - len, " %s",
				type_name(got[i]));
		if (len >= sizeof(text))
			break;
	}
	check("events read by the library: offered, imported, unexported, released, with the id and peer self",
	      same, "got%s", n ? text : " none");
}

/*
 * ALLOC, EXPORT with metadata to this domain, IMPORT by the id: the bytes
 * and the metadata arrive; QUERY and LIST describe both; UNEXPORT and the
 * import's release; the events of it all, in order.
 */
static void test_share(struct hdmabuf_ctx *ctx)
{
	struct hdmabuf_meta *meta = sample_meta();
	struct hdmabuf_export *exp = NULL;
	struct hdmabuf_import *imp = NULL;
	struct why why = { "" };
	size_t size;
	int buf;

	if (!meta) {
		setup_failed("share", "metadata: %s", strerror(errno));
		return;
	}
	buf = filled_buf(ctx, "share", SEED_SHARE, &size);
	if (buf < 0)
		goto out;
	drain_events(ctx);
	exp = hdmabuf_ctx_export(ctx, buf, HDMABUF_DOMID_SELF,
				 HDMABUF_EXPORT_RW, meta);
	if (!check("hdmabuf_ctx_export with metadata to this domain succeeds",
		   exp, "%s", strerror(errno)))
		goto out;
	check("export: the size of the buffer, the peer and flags asked for",
	      hdmabuf_export_get_size(exp) == size &&
	      hdmabuf_export_get_peer(exp) == HDMABUF_DOMID_SELF &&
	      hdmabuf_export_get_flags(exp) == HDMABUF_EXPORT_RW,
	      "size %llu of %zu", (unsigned long long)hdmabuf_export_get_size(exp),
	      size);
	imp = hdmabuf_ctx_import(ctx, hdmabuf_export_get_id(exp));
	if (!check("hdmabuf_ctx_import of its id succeeds", imp, "%s",
		   strerror(errno)))
		goto unexport;
	check("import: the export's id and size, writable",
	      id_is(hdmabuf_import_get_id(imp), hdmabuf_export_get_id(exp)) &&
	      hdmabuf_import_get_size(imp) == size &&
	      hdmabuf_import_is_writable(imp), "size %llu",
	      (unsigned long long)hdmabuf_import_get_size(imp));
	check("import: the metadata the export carried",
	      meta_arrived(hdmabuf_import_get_meta(imp), &why), "%s", why.text);
	check("import: the buffer's bytes",
	      verify_fd(hdmabuf_import_get_fd(imp), size, SEED_SHARE, &why),
	      "%s", why.text);
	check_described(ctx, exp, size);
unexport:
	expect_errno("hdmabuf_ctx_unexport succeeds",
		     lib_err(hdmabuf_ctx_unexport(ctx, hdmabuf_export_get_id(exp),
						  0)), 0);
	hdmabuf_import_release(imp);
	check_events(ctx, hdmabuf_export_get_id(exp));
out:
	hdmabuf_export_free(exp);
	hdmabuf_meta_free(meta);
	if (buf >= 0)
		close(buf);
}

/* LIST with more entries than the library's first call has room for. */
static void test_list_grows(struct hdmabuf_ctx *ctx)
{
	struct hdmabuf_export *exp[MANY_EXPORTS] = { NULL };
	const struct hdmabuf_info *entry;
	struct hdmabuf_info_list *list;
	size_t size, i, found = 0;
	int buf;

	buf = filled_buf(ctx, "list", SEED_LIST, &size);
	if (buf < 0)
		return;
	for (i = 0; i < MANY_EXPORTS; i++) {
		exp[i] = hdmabuf_ctx_export(ctx, buf, HDMABUF_DOMID_SELF, 0,
					    NULL);
		if (!exp[i]) {
			setup_failed("list", "export %zu: %s", i,
				     strerror(errno));
			goto out;
		}
	}
	list = hdmabuf_ctx_list(ctx);
	if (check("hdmabuf_ctx_list of 40 exports and more succeeds", list,
		  "%s", strerror(errno))) {
		for (i = 0; i < MANY_EXPORTS; i++)
			found += list_has(list, hdmabuf_export_get_id(exp[i]),
					  HDMABUF_ROLE_EXPORT, &entry);
		check("list: every one of the 40 exports", found == MANY_EXPORTS,
		      "%zu of them among %zu entries", found,
		      hdmabuf_info_list_get_count(list));
	}
	hdmabuf_info_list_free(list);
out:
	for (i = 0; i < MANY_EXPORTS && exp[i]; i++) {
		hdmabuf_ctx_unexport(ctx, hdmabuf_export_get_id(exp[i]), 0);
		hdmabuf_export_free(exp[i]);
	}
	close(buf);
}

/* Off Xen, the one peer: this domain over loopback, up. */
static void test_peers(struct hdmabuf_ctx *ctx)
{
	struct hdmabuf_peer_list *list = hdmabuf_ctx_peers(ctx);
	const struct hdmabuf_peer *self = NULL, *peer;
	size_t i;

	if (!check("hdmabuf_ctx_peers succeeds", list, "%s", strerror(errno)))
		return;
	for (i = 0; i < hdmabuf_peer_list_get_count(list); i++) {
		peer = hdmabuf_peer_list_get(list, i);
		if (hdmabuf_peer_get_domid(peer) == HDMABUF_DOMID_SELF)
			self = peer;
	}
	check("peers: this domain, by loopback, up, its messages counted",
	      self && hdmabuf_peer_get_transport(self) ==
	      HDMABUF_TRANSPORT_LOOPBACK &&
	      hdmabuf_peer_get_state(self) == HDMABUF_PEER_UP &&
	      hdmabuf_peer_get_sent(self) > 0 &&
	      hdmabuf_peer_get_dropped(self) == 0,
	      "%s among %zu peers", self ? "not as such" : "not",
	      hdmabuf_peer_list_get_count(list));
	hdmabuf_peer_list_free(list);
}

/* A child process signals value after PEER_DELAY_MS; its pid, or -1. */
static pid_t signal_later(struct hdmabuf_ctx *ctx, const struct hdmabuf_id *id,
			  uint64_t value)
{
	pid_t pid = fork();

	if (pid == 0) {
		sleep_ms(PEER_DELAY_MS);
		_exit(hdmabuf_ctx_signal(ctx, id, value) ? EXIT_FAILURE
							  : EXIT_SUCCESS);
	}
	if (pid < 0)
		setup_failed("timeline", "fork: %s", strerror(errno));
	return pid;
}

static bool child_succeeded(pid_t pid)
{
	int status;

	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       !WEXITSTATUS(status);
}

/* A wait for what the child signals: returns once it does. */
static void wait_for_child(struct hdmabuf_ctx *ctx, const struct hdmabuf_id *id,
			   uint64_t value, int timeout_ms, const char *name)
{
	uint64_t current = 0;
	long long start = now_ms(), took;
	pid_t pid;
	int ret;

	pid = signal_later(ctx, id, value);
	if (pid < 0)
		return;
	ret = lib_err(hdmabuf_ctx_wait(ctx, id, value, timeout_ms, &current));
	took = now_ms() - start;
	check(name, !ret && current == value && took >= PEER_DELAY_MS / 2,
	      "%s, current %llu, after %lld ms", result_name(ret),
	      (unsigned long long)current, took);
	check("the process that signalled succeeded", child_succeeded(pid),
	      "it failed");
}

static int alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

/* A signal on the way does not end the wait before its time. */
static void wait_through_signal(struct hdmabuf_ctx *ctx,
				const struct hdmabuf_id *id)
{
	struct sigaction sa = { .sa_handler = on_alarm }, old;
	struct itimerval timer = {
		.it_value = { .tv_usec = ALARM_MS * 1000 },
	};
	uint64_t current = 0;
	long long start, took;
	int ret;

	/* no SA_RESTART: the module's WAIT returns EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, &old);
	alarms = 0;
	start = now_ms();
	setitimer(ITIMER_REAL, &timer, NULL);
	ret = lib_err(hdmabuf_ctx_wait(ctx, id, TL_NEVER, WAIT_SHORT_MS,
				       &current));
	took = now_ms() - start;
	sigaction(SIGALRM, &old, NULL);
	check("a wait of 600 ms, SIGALRM at 150 ms: ETIMEDOUT at 600 ms, the timeline's value",
	      alarms == 1 && ret == ETIMEDOUT && took >= WAIT_SHORT_MS - 50 &&
	      took < WAIT_SHORT_MS + 1000 && current == TL_UNLIMITED,
	      "%d alarms, %s after %lld ms, current %llu", alarms,
	      result_name(ret), took, (unsigned long long)current);
}

/* A sync_file for value: ready now (or not), and once signalled. */
static void check_sync_file(struct hdmabuf_ctx *ctx, const struct hdmabuf_id *id)
{
	struct pollfd pfd = { .events = POLLIN };
	int ready;

	pfd.fd = hdmabuf_ctx_wait_sync_file(ctx, id, TL_UNLIMITED);
	if (check("hdmabuf_ctx_wait_sync_file for a value reached: a sync_file, ready",
		  pfd.fd >= 0 && poll(&pfd, 1, 0) == 1, "%s",
		  pfd.fd < 0 ? strerror(errno) : "not ready"))
		close(pfd.fd);
	pfd.fd = hdmabuf_ctx_wait_sync_file(ctx, id, TL_UNLIMITED + 1);
	if (!check("hdmabuf_ctx_wait_sync_file for the next value: a sync_file",
		   pfd.fd >= 0, "%s", strerror(errno)))
		return;
	ready = poll(&pfd, 1, 0);
	expect_errno("that next value signalled",
		     lib_err(hdmabuf_ctx_signal(ctx, id, TL_UNLIMITED + 1)),
		     0);
	check("that sync_file: not ready before, ready after",
	      ready == 0 && poll(&pfd, 1, WAIT_LONG_MS) == 1,
	      "ready before: %d", ready);
	close(pfd.fd);
}

static void test_timeline(struct hdmabuf_ctx *ctx)
{
	const struct hdmabuf_id *id;
	struct hdmabuf_export *exp;
	uint64_t current = 99;
	int buf, ret;

	exp = new_export(ctx, "timeline", SEED_TIMELINE, &buf);
	if (!exp)
		return;
	id = hdmabuf_export_get_id(exp);
	ret = lib_err(hdmabuf_ctx_wait(ctx, id, 0, 0, &current));
	check("wait for 0 on a new export: 0 at once, the value 0",
	      !ret && current == 0, "%s, current %llu", result_name(ret),
	      (unsigned long long)current);
	expect_errno("hdmabuf_ctx_signal 5",
		     lib_err(hdmabuf_ctx_signal(ctx, id, TL_FIRST)), 0);
	ret = lib_err(hdmabuf_ctx_wait(ctx, id, TL_CHILD, 100, &current));
	check("wait for 9, 100 ms, the timeline at 5: ETIMEDOUT with the value 5",
	      ret == ETIMEDOUT && current == TL_FIRST, "%s, current %llu",
	      result_name(ret), (unsigned long long)current);
	wait_for_child(ctx, id, TL_CHILD, WAIT_LONG_MS,
		       "wait for 9 (5000 ms) while another process signals 9: 0, the value 9");
	wait_for_child(ctx, id, TL_UNLIMITED, -1,
		       "wait for 12 without a limit while another process signals 12: 0");
	wait_through_signal(ctx, id);
	check_sync_file(ctx, id);
	hdmabuf_ctx_unexport(ctx, id, 0);
	hdmabuf_export_free(exp);
	close(buf);
}

/* REVOKE of an unexported export still imported: once, not again. */
static void test_revoke(struct hdmabuf_ctx *ctx)
{
	struct hdmabuf_import *imp;
	struct hdmabuf_export *exp;
	unsigned int remaining = 99;
	int buf, ret;

	exp = new_export(ctx, "revoke", SEED_REVOKE, &buf);
	if (!exp)
		return;
	imp = hdmabuf_ctx_import(ctx, hdmabuf_export_get_id(exp));
	if (!imp || hdmabuf_ctx_unexport(ctx, hdmabuf_export_get_id(exp), 0)) {
		setup_failed("revoke", "import, unexport: %s", strerror(errno));
		goto out;
	}
	ret = lib_err(hdmabuf_ctx_revoke(ctx, hdmabuf_export_get_id(exp), 0,
					 &remaining));
	check("hdmabuf_ctx_revoke of it: 0, 1 importer remaining",
	      !ret && remaining == 1, "%s, remaining %u", result_name(ret),
	      remaining);
	expect_errno("hdmabuf_ctx_revoke again -> EALREADY",
		     lib_err(hdmabuf_ctx_revoke(ctx, hdmabuf_export_get_id(exp),
						0, NULL)), EALREADY);
out:
	hdmabuf_import_release(imp);
	hdmabuf_export_free(exp);
	close(buf);
}

int main(int argc, char **argv)
{
	const char *device = argc > 1 ? argv[1] : DEFAULT_DEVICE;
	struct hdmabuf_ctx *ctx;

	if (argc > 2 || (argc > 1 && argv[1][0] != '/')) {
		fprintf(stderr, "usage: %s [DEVICE]\n", argv[0]);
		return EXIT_USAGE;
	}
	test_start(device);
	ctx = hdmabuf_ctx_open(device);
	if (!ctx) {
		printf("not ok - hdmabuf_ctx_open %s: %s\n", device,
		       strerror(errno));
		return EXIT_FAILURE;
	}
	print_counters();

	test_caps(ctx);
	test_share(ctx);
	test_list_grows(ctx);
	test_peers(ctx);
	test_timeline(ctx);
	test_revoke(ctx);

	hdmabuf_ctx_close(ctx);
	check_counters();
	return test_summary();
}
