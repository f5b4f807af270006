// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hdmabuf-test-names: one name for this domain. Whatever its number (its
 * Xen domain id, or none off Xen), wherever the uAPI reports the peer of
 * a loopback share it says HYPER_DMABUF_DOMID_SELF: LIST of the export
 * and of the import, QUERY, and every event of the share (OFFERED,
 * IMPORTED, SIGNALLED, REVOKED, UNEXPORTED, RELEASED). An id names the
 * exporting domain by its number (GET_CAPS' domid, where valid). Asked
 * for as a peer, the number is this domain too.
 *
 * Off Xen the number is HYPER_DMABUF_DOMID_SELF itself: only a Xen
 * domain can tell the two names apart (the xen lane runs this in each).
 *
 * Usage: hdmabuf-test-names [DEVICE]   (root, module loaded)
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "guest-test.h"

#define SELF		HYPER_DMABUF_DOMID_SELF
#define EVENT_WAIT_MS	5000
#define LIST_MAX	64


static bool same_id(const struct hyper_dmabuf_id *a,
		    const struct hyper_dmabuf_id *b)
{
	return !memcmp(a, b, sizeof(*a));
}

/* What this open file was told so far, drained without blocking. */
static void drain(int dev)
{
	struct hyper_dmabuf_event e;

	while (read(dev, &e, sizeof(e)) == sizeof(e))
		;
}

/* LIST's entry for @id in @role, or false. */
static bool listed(int dev, const struct hyper_dmabuf_id *id, __u32 role,
		   struct hyper_dmabuf_info *out)
{
	struct hyper_dmabuf_info infos[LIST_MAX];
	struct hyper_dmabuf_list l = { .capacity = LIST_MAX };
	unsigned int i;

	memset(infos, 0, sizeof(infos));
	l.entries = uptr(infos);
	if (xioctl(dev, HYPER_DMABUF_IOCTL_LIST, &l))
		return false;
	for (i = 0; i < l.count && i < LIST_MAX; i++) {
		if (infos[i].role == role && same_id(&infos[i].id, id)) {
			*out = infos[i];
			return true;
		}
	}
	return false;
}

static void expect_listed_as_self(int dev, const struct hyper_dmabuf_id *id,
				  __u32 role, const char *what)
{
	struct hyper_dmabuf_info info;
	char name[96];

	snprintf(name, sizeof(name), "LIST: the %s's peer is SELF", what);
	if (!listed(dev, id, role, &info))
		check(name, false, "the %s is not listed", what);
	else
		check(name, info.peer == SELF, "peer %u", info.peer);
}

/*
 * The events about @id until each kind in @want came (at most
 * EVENT_WAIT_MS in all): each must name the peer SELF.
 */
static void expect_events_as_self(int dev, const struct hyper_dmabuf_id *id,
				  const int *want, size_t n)
{
	bool seen[HYPER_DMABUF_EVENT_PEER_DOWN + 1] = { false };
	struct pollfd pfd = { .fd = dev, .events = POLLIN };
	struct hyper_dmabuf_event e;
	unsigned int waited = 0;
	char name[96];
	size_t i, left = n;

	while (left && waited < EVENT_WAIT_MS) {
		if (read(dev, &e, sizeof(e)) != sizeof(e)) {
			poll(&pfd, 1, 100);
			waited += 100;
			continue;
		}
		if (!same_id(&e.id, id) || e.type >= ARRAY_SIZE(seen) ||
		    seen[e.type])
			continue;
		seen[e.type] = true;
		for (i = 0; i < n; i++)
			left -= want[i] == (int)e.type;
		snprintf(name, sizeof(name), "event %s: the peer is SELF",
			 event_name(e.type));
		check(name, e.peer == SELF, "peer %u", e.peer);
	}
	for (i = 0; i < n; i++) {
		if (seen[want[i]])
			continue;
		snprintf(name, sizeof(name), "event %s came",
			 event_name(want[i]));
		check(name, false, "none within %d ms", EVENT_WAIT_MS);
	}
}

/* A page of ALLOC exported to @peer, as check @name; false after "not ok". */
static bool export_page(int dev, __u32 peer, const char *name,
			struct hyper_dmabuf_export *e)
{
	struct buf buf;
	int ret = alloc_buf(dev, 4096, &buf);

	if (ret)
		return setup_failed(name, "ALLOC: %s", strerror(ret));
	*e = export_args(buf.fd, 0, NULL);
	e->peer = peer;
	ret = do_export(dev, e);
	close(buf.fd);
	return check(name, !ret, "%s", strerror(ret));
}

/* A share to this domain by its number is a loopback share, peer SELF. */
static void test_number_as_peer(int dev, __u32 local)
{
	struct hyper_dmabuf_export e;
	struct hyper_dmabuf_info info;
	int ret;

	if (!export_page(dev, local, "EXPORT to this domain's number", &e))
		return;
	ret = query_id(dev, &e.id, &info);
	check("QUERY: its peer is SELF", !ret && info.peer == SELF,
	      "%s, peer %u", strerror(ret), info.peer);
	check("UNEXPORT", !unexport_id(dev, &e.id, 0), "failed");
}

static void test_loopback_share(int dev, __u32 local)
{
	static const int want[] = {
		HYPER_DMABUF_EVENT_OFFERED, HYPER_DMABUF_EVENT_IMPORTED,
		HYPER_DMABUF_EVENT_SIGNALLED, HYPER_DMABUF_EVENT_REVOKED,
		HYPER_DMABUF_EVENT_UNEXPORTED, HYPER_DMABUF_EVENT_RELEASED,
	};
	struct hyper_dmabuf_revoke r = { .timeout_ms = 0 };
	struct hyper_dmabuf_export e;
	struct hyper_dmabuf_import im;
	struct hyper_dmabuf_info info;
	int ret;

	if (!export_page(dev, SELF, "EXPORT to SELF", &e))
		return;
	check("the id names this domain by its number", e.id.domid == local,
	      "id's domid %u, GET_CAPS' %u", e.id.domid, local);
	ret = import_id(dev, &e.id, NULL, &im);
	if (!check("IMPORT", !ret, "%s", strerror(ret))) {
		unexport_id(dev, &e.id, 0);
		return;
	}
	expect_listed_as_self(dev, &e.id, HYPER_DMABUF_ROLE_EXPORT, "export");
	expect_listed_as_self(dev, &e.id, HYPER_DMABUF_ROLE_IMPORT, "import");
	ret = query_id(dev, &e.id, &info);
	check("QUERY: the peer is SELF", !ret && info.peer == SELF,
	      "%s, peer %u", strerror(ret), info.peer);
	check("SIGNAL", !signal_id(dev, &e.id, 1), "failed");
	r.id = e.id;
	ret = xioctl(dev, HYPER_DMABUF_IOCTL_REVOKE, &r);
	check("REVOKE", !ret, "%s", strerror(ret));
	close(im.fd);
	expect_events_as_self(dev, &e.id, want, ARRAY_SIZE(want));
}

int main(int argc, char **argv)
{
	const char *device = argc > 1 ? argv[1] : DEFAULT_DEVICE;
	struct hyper_dmabuf_caps caps;
	__u32 local = SELF;
	int dev;

	test_start(device);
	dev = open_device(device);
	get_caps(dev, &caps);
	/* off Xen it has no number but SELF */
	if (caps.flags & HYPER_DMABUF_CAPS_DOMID_VALID)
		local = caps.domid;
	printf("# this domain: %u (SELF is %u)\n", local, SELF);
	print_counters();
	fcntl(dev, F_SETFL, fcntl(dev, F_GETFL) | O_NONBLOCK);
	drain(dev);
	test_loopback_share(dev, local);
	test_number_as_peer(dev, local);
	close(dev);
	check_counters();
	return test_summary();
}
