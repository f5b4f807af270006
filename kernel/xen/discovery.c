// SPDX-License-Identifier: GPL-2.0
/*
 * Finding the peers there are, each to get a channel (channel.c), and
 * removing the channels of those gone. A domU has one with dom0, and one
 * with each domU dom0 linked it to: its peer directory lists them. dom0
 * has one with each domain there is: it looks again whenever a domain is
 * introduced or released, and removes the links of domains gone.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <xen/xen.h>
#include <xen/xenbus.h>

#include "../proto/xenstore-keys.h"
#include "channel.h"
#include "xen.h"

/* The entries of a xenstore directory: domain ids, as text. */
struct entries {
	char **names;
	unsigned int n;
};

static bool listed(const struct entries *e, u32 domid)
{
	unsigned int i, id;

	for (i = 0; i < e->n; i++)
		if (!kstrtouint(e->names[i], 10, &id) && id == domid)
			return true;
	return false;
}

/* ---- a domU's links ------------------------------------------------------ */

/*
 * A domU's channels with other domUs: dom0 links domains A < B by making
 * A's entry peer/B, the channel's directory, and B's entry peer/A, whose
 * value is that directory's path (hyper-dmabuf link). Entries come and go
 * with links; each is checked to have exactly that form.
 */
static struct xenbus_watch links_watch;
static struct work_struct links_work;
static bool links_watching;

static char *peer_dir_of(u32 domid)
{
	return kasprintf(GFP_KERNEL, HDMABUF_XS_PEERS, domid);
}

/* The domain whose home holds our channel with @peer, or -ENOENT. */
static int link_owner(const char *dir, u32 peer)
{
	char *want, *value;
	int ret = -ENOENT;

	if (hdmabuf_xen_domid < peer)
		return hdmabuf_xen_domid;
	value = xenbus_read(XBT_NIL, dir, "", NULL);
	if (IS_ERR(value))
		return PTR_ERR(value);
	want = kasprintf(GFP_KERNEL, HDMABUF_XS_CHANNEL, peer, hdmabuf_xen_domid);
	if (want && !strcmp(value, want))
		ret = peer;
	kfree(want);
	kfree(value);
	return ret;
}

/* For xchan_find(): a linked channel not in the entries @arg. */
static bool unlinked(u32 peer, const void *arg)
{
	return peer && !listed(arg, peer);
}

static void links_changed(struct work_struct *work)
{
	struct entries links = { };
	unsigned int i, peer;
	char *dir, *entry;
	struct xchan *ch;
	int owner;

	dir = peer_dir_of(hdmabuf_xen_domid);
	if (!dir)
		return;
	links.names = xenbus_directory(XBT_NIL, dir, "", &links.n);
	if (IS_ERR(links.names)) {
		links.names = NULL;
		links.n = 0;
	}
	while (!xchan_rogue_holds_links() &&
	       (ch = xchan_find(unlinked, &links))) {
		pr_info("domain %u: unlinked\n", ch->peer);
		xchan_remove(ch, true);
		xchan_put(ch);
	}
	for (i = 0; i < links.n; i++) {
		if (kstrtouint(links.names[i], 10, &peer) || !peer ||
		    peer == hdmabuf_xen_domid || peer >= DOMID_FIRST_RESERVED)
			continue;
		ch = xchan_get(peer);
		if (ch) {
			xchan_put(ch);
			continue;
		}
		entry = kasprintf(GFP_KERNEL, HDMABUF_XS_CHANNEL,
				  hdmabuf_xen_domid, peer);
		owner = entry ? link_owner(entry, peer) : -ENOMEM;
		kfree(entry);
		if (owner < 0) {
			pr_warn("domain %u: malformed link entry ignored\n",
				peer);
			continue;
		}
		xchan_add(peer, owner, owner == peer ? hdmabuf_xen_domid : peer);
	}
	kfree(links.names);
	kfree(dir);
}

/* Only the entries themselves matter, not the channels' keys below them. */
static bool links_will_handle(struct xenbus_watch *watch, const char *path,
			      const char *token)
{
	const char *rest;

	if (!str_has_prefix(path, watch->node))
		return false;
	rest = path + strlen(watch->node);
	return !*rest || (*rest == '/' && !strchr(rest + 1, '/'));
}

static void links_watch_fired(struct xenbus_watch *watch, const char *path,
			      const char *token)
{
	queue_work(system_wq, &links_work);
}

static int watch_links(void)
{
	int ret;

	INIT_WORK(&links_work, links_changed);
	links_watch.node = peer_dir_of(hdmabuf_xen_domid);
	if (!links_watch.node)
		return -ENOMEM;
	links_watch.will_handle = links_will_handle;
	links_watch.callback = links_watch_fired;
	ret = register_xenbus_watch(&links_watch);
	if (ret) {
		kfree(links_watch.node);
		return ret;
	}
	links_watching = true;
	return 0;
}

#ifdef HDMABUF_ROGUE
void xchan_links_recheck(void)
{
	if (links_watching)
		queue_work(system_wq, &links_work);
}
#endif

/* ---- dom0: the domains there are ----------------------------------------- */

/* domains appear and go */
static struct xenbus_watch introduce_watch, release_watch;
static struct work_struct rescan_work;
static bool dom0_watching;

/* dom0: links naming a domain that is gone go with it. */
static void unlink_dead(const struct entries *doms)
{
	unsigned int i, j, m, peer;
	char **names, *dir;

	for (i = 0; i < doms->n; i++) {
		if (kstrtouint(doms->names[i], 10, &peer) || !peer)
			continue;
		dir = peer_dir_of(peer);
		names = dir ? xenbus_directory(XBT_NIL, dir, "", &m) : NULL;
		if (IS_ERR_OR_NULL(names)) {
			kfree(dir);
			continue;
		}
		for (j = 0; j < m; j++) {
			if (!kstrtouint(names[j], 10, &peer) && peer &&
			    !listed(doms, peer))
				xenbus_rm(XBT_NIL, dir, names[j]);
		}
		kfree(names);
		kfree(dir);
	}
}

/* For xchan_find(): a channel whose domain is not in the entries @arg. */
static bool gone(u32 peer, const void *arg)
{
	return !listed(arg, peer);
}

/* dom0: a channel for each domain there is, none for those gone. */
static void rescan(struct work_struct *work)
{
	struct entries doms;
	unsigned int i, domid;
	struct xchan *ch;

	doms.names = xenbus_directory(XBT_NIL, "/local/domain", "", &doms.n);
	if (IS_ERR(doms.names))
		return;
	while ((ch = xchan_find(gone, &doms))) {
		pr_info("domain %u is gone\n", ch->peer);
		xchan_remove(ch, false);
		xchan_put(ch);
	}
	unlink_dead(&doms);
	for (i = 0; i < doms.n; i++) {
		if (kstrtouint(doms.names[i], 10, &domid) || !domid ||
		    domid >= DOMID_FIRST_RESERVED)
			continue;
		ch = xchan_get(domid);
		if (ch)
			xchan_put(ch);
		else
			xchan_add(domid, domid, 0);
	}
	kfree(doms.names);
}

static void domains_changed(struct xenbus_watch *watch, const char *path,
			    const char *token)
{
	queue_work(system_wq, &rescan_work);
}

/* ---- load and unload ----------------------------------------------------- */

/* For xchan_find(): any channel. */
static bool any(u32 peer, const void *arg)
{
	return true;
}

int hdmabuf_xchan_init(void)
{
	int ret;

	ret = xchan_ring_init();
	if (ret)
		return ret;
	INIT_WORK(&rescan_work, rescan);
	if (!xen_initial_domain())
		return xchan_add(0, hdmabuf_xen_domid, 0) ?:
		       watch_links();
	introduce_watch.node = "@introduceDomain";
	introduce_watch.callback = domains_changed;
	release_watch.node = "@releaseDomain";
	release_watch.callback = domains_changed;
	ret = register_xenbus_watch(&introduce_watch);
	if (ret)
		return ret;
	ret = register_xenbus_watch(&release_watch);
	if (ret) {
		unregister_xenbus_watch(&introduce_watch);
		return ret;
	}
	dom0_watching = true;
	queue_work(system_wq, &rescan_work);
	return 0;
}

void hdmabuf_xchan_exit(void)
{
	struct xchan *ch;

	if (dom0_watching) {
		unregister_xenbus_watch(&introduce_watch);
		unregister_xenbus_watch(&release_watch);
		cancel_work_sync(&rescan_work);
	}
	if (links_watching) {
		unregister_xenbus_watch(&links_watch);
		cancel_work_sync(&links_work);
		kfree(links_watch.node);
		links_watching = false;
	}
	while ((ch = xchan_find(any, NULL))) {
		xchan_remove(ch, true);
		xchan_put(ch);
	}
	xchan_ring_exit();
}
