// SPDX-License-Identifier: GPL-2.0
/*
 * Exports: a local dma-buf offered to a peer domain under an id. The
 * registry holds one reference to each export while it is offered; every
 * import holds another, so an export's pages stay pinned until the last
 * importer lets go, whatever the exporter does meanwhile.
 */
#include <linux/capability.h>
#include <linux/dma-buf.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "hdmabuf.h"
#include "peer.h"
#include "pin.h"
#include "timeline.h"
#include "transport.h"

#define UNEXPORT_DELAY_MAX_MS	60000
#define REVOKE_TIMEOUT_MAX_MS	60000

static unsigned int max_exports_per_peer = 4096;
module_param(max_exports_per_peer, uint, 0644);
MODULE_PARM_DESC(max_exports_per_peer, "Exports offered to one peer at most");

static unsigned long max_pages_per_peer = 1UL << 20;
module_param(max_pages_per_peer, ulong, 0644);
MODULE_PARM_DESC(max_pages_per_peer, "Pages offered to one peer at most");

/* Imports of one export at once: a peer cannot make us hold more. */
#define LENDS_MAX	4096

struct hdmabuf_exp {
	struct kref ref;
	struct hyper_dmabuf_id id;
	u32 peer;
	u32 flags;
	struct hdmabuf_pin pin;		/* the buffer and its pages */
	struct hyper_dmabuf_meta *meta;
	const struct hdmabuf_transport *transport; /* the one reaching peer */
	void *share;			/* the transport's, once shared */
	u64 handle;			/* what the peer maps the pages by */
	struct hdmabuf_file *owner;	/* NULL when persistent */
	kuid_t uid;			/* who made it: its opener's user */
	struct list_head owner_node;
	bool offered;
	struct delayed_work unexport_work;
	struct list_head peer_down_node;	/* for hdmabuf_exports_peer_down */
	atomic_t importers;
	struct mutex lends_lock;	/* protects lends, revoked, share */
	struct list_head lends;
	unsigned int nlends;
	bool revoked;
	wait_queue_head_t released;	/* woken as imports go away */
	struct hdmabuf_timeline timeline;
};

/*
 * One import of an export by its peer, named by the peer's token; it
 * holds a reference to the export until the peer releases it.
 */
struct lend {
	u32 domid;
	u64 token;
	struct list_head node;
};

/*
 * Every live export by serial, offered or not: the serial is allocated
 * there, so it names no other export while this one lives. The registry
 * holds the offered ones under the same serial. The lock covers both,
 * owner lists, offered and the loads.
 */
static DEFINE_XARRAY_ALLOC1(exports);
static DEFINE_XARRAY(registry);
static DEFINE_MUTEX(registry_lock);
static u32 next_serial;

/* What is on offer to one peer, for its quotas; by domid in loads. */
struct peer_load {
	unsigned int exports;
	unsigned long pages;
};

static DEFINE_XARRAY(loads);

/* No peer reaches the pages any more: the source dma-buf goes. */
static void exp_unpin(void *data)
{
	struct hdmabuf_exp *exp = data;

	atomic_long_sub(exp->pin.npages, &hdmabuf_stats.pages);
	hdmabuf_unpin(&exp->pin);
	atomic_long_dec(&hdmabuf_stats.exports);
	kfree(exp->meta);
	kfree(exp);
}

static void exp_free(struct kref *ref)
{
	struct hdmabuf_exp *exp = container_of(ref, struct hdmabuf_exp, ref);

	mutex_lock(&registry_lock);
	xa_erase(&exports, exp->id.serial);
	mutex_unlock(&registry_lock);
	hdmabuf_timeline_fini(&exp->timeline);
	/*
	 * A peer may still map the pages (a grant not ended yet): the
	 * buffer stays attached until it cannot, since its exporter may
	 * reuse the pages as soon as it is let go, whatever their count.
	 */
	if (exp->share)
		exp->transport->unshare(exp->share, exp_unpin, exp);
	else
		exp_unpin(exp);
}

static void exp_put(struct hdmabuf_exp *exp)
{
	kref_put(&exp->ref, exp_free);
}

static int exp_attach(struct hdmabuf_exp *exp, int fd)
{
	unsigned int flags = HDMABUF_PIN_COUNTED;
	int ret;

	/* a buffer we may only read cannot be offered for writing */
	if (exp->flags & HYPER_DMABUF_EXPORT_RW)
		flags |= HDMABUF_PIN_WRITE;
	ret = hdmabuf_pin(&exp->pin, fd, flags);
	if (ret)
		return ret;
	/* from here on exp_free() undoes it all, counters included */
	atomic_long_inc(&hdmabuf_stats.exports);
	atomic_long_add(exp->pin.npages, &hdmabuf_stats.pages);
	return 0;
}

/* Whether offering @new to its peer stays within the peer's quotas. */
static bool within_quota(struct hdmabuf_exp *new)
{
	struct peer_load *load = xa_load(&loads, new->peer);
	unsigned long pages = new->pin.npages;
	unsigned int n = 1;

	if (load) {
		n += load->exports;
		pages += load->pages;
	}
	return n <= max_exports_per_peer && pages <= max_pages_per_peer;
}

/* @exp goes on offer: its peer's load grows. registry_lock held. */
static int load_add(struct hdmabuf_exp *exp)
{
	struct peer_load *load = xa_load(&loads, exp->peer);
	int ret;

	if (!load) {
		load = kzalloc(sizeof(*load), GFP_KERNEL);
		if (!load)
			return -ENOMEM;
		ret = xa_err(xa_store(&loads, exp->peer, load, GFP_KERNEL));
		if (ret) {
			kfree(load);
			return ret;
		}
	}
	load->exports++;
	load->pages += exp->pin.npages;
	return 0;
}

/* @exp goes off offer. registry_lock held. */
static void load_sub(struct hdmabuf_exp *exp)
{
	struct peer_load *load = xa_load(&loads, exp->peer);

	if (WARN_ON_ONCE(!load))
		return;
	load->pages -= exp->pin.npages;
	if (!--load->exports)
		kfree(xa_erase(&loads, exp->peer));
}

/*
 * Put @exp on offer under a fresh id; the registry takes the reference.
 * @args learns the id under the lock: once offered, @exp may go any time.
 */
static int exp_offer(struct hdmabuf_exp *exp, struct hdmabuf_file *file,
		     struct hyper_dmabuf_export *args)
{
	int ret;

	mutex_lock(&registry_lock);
	if (!within_quota(exp)) {
		ret = -EDQUOT;
		goto out;
	}
	ret = xa_alloc_cyclic(&exports, &exp->id.serial, exp, xa_limit_32b,
			      &next_serial, GFP_KERNEL);
	if (ret < 0)
		goto out;
	ret = xa_err(xa_store(&registry, exp->id.serial, exp, GFP_KERNEL));
	if (!ret)
		ret = load_add(exp);
	if (ret) {
		xa_erase(&registry, exp->id.serial);
		xa_erase(&exports, exp->id.serial);
		/* no longer ours: exp_free() must not erase it again */
		exp->id.serial = 0;
		goto out;
	}
	exp->offered = true;
	if (exp->owner)
		list_add(&exp->owner_node, &file->exports);
	args->id = exp->id;
	args->size = exp->pin.dmabuf->size;
out:
	mutex_unlock(&registry_lock);
	return ret;
}

/*
 * Events about @exp: for the openers of the user who made it, those
 * holding an import of it here, and administrators.
 */
static void exp_event(struct hdmabuf_exp *exp, u32 type, u32 peer, u64 value)
{
	struct hdmabuf_audience to = { .owner = &exp->uid, .held = &exp->id };

	hdmabuf_event_post(&to, type, peer, &exp->id, value);
}

/* Take @exp off offer; the caller holds registry_lock. */
static void exp_withdraw_locked(struct hdmabuf_exp *exp)
{
	exp->offered = false;
	xa_erase(&registry, exp->id.serial);
	load_sub(exp);
	if (exp->owner)
		list_del(&exp->owner_node);
	exp_event(exp, HYPER_DMABUF_EVENT_UNEXPORTED, exp->peer, 0);
}

/*
 * Take @exp off offer and drop the registry's reference, unless someone
 * did already; never from the unexport work itself.
 */
static bool exp_withdraw(struct hdmabuf_exp *exp)
{
	bool offered;

	mutex_lock(&registry_lock);
	offered = exp->offered;
	if (offered)
		exp_withdraw_locked(exp);
	mutex_unlock(&registry_lock);
	if (!offered)
		return false;
	/* a delayed unexport may only be scheduled while offered */
	cancel_delayed_work_sync(&exp->unexport_work);
	exp_put(exp);
	return true;
}

static void exp_unexport_work(struct work_struct *work)
{
	struct hdmabuf_exp *exp = container_of(to_delayed_work(work),
					       struct hdmabuf_exp,
					       unexport_work);

	mutex_lock(&registry_lock);
	if (exp->offered) {
		exp_withdraw_locked(exp);
		mutex_unlock(&registry_lock);
		exp_put(exp);
		return;
	}
	mutex_unlock(&registry_lock);
}

/*
 * Tell the peer of the new export (it learns the id this way). @exp may be
 * gone already: only @args is used.
 */
static void offer_notice(const struct hyper_dmabuf_export *args, u32 peer)
{
	struct hdmabuf_msg msg = {
		.type = HDMABUF_MSG_OFFER,
		.id = args->id,
		.size = args->size,
		.export_flags = args->flags & HYPER_DMABUF_EXPORT_RW,
	};

	/* undelivered, the export is still there for whoever knows its id */
	hdmabuf_peer_notify(peer, &msg);
}

int hdmabuf_export(struct hdmabuf_file *file, struct hyper_dmabuf_export *args,
		   const struct hyper_dmabuf_meta *meta)
{
	struct hdmabuf_exp *exp;
	int ret;

	if (args->flags & HYPER_DMABUF_EXPORT_PERSISTENT &&
	    !capable(CAP_SYS_ADMIN))
		return -EPERM;

	exp = kzalloc(sizeof(*exp), GFP_KERNEL);
	if (!exp)
		return -ENOMEM;
	kref_init(&exp->ref);
	INIT_LIST_HEAD(&exp->lends);
	mutex_init(&exp->lends_lock);
	init_waitqueue_head(&exp->released);
	hdmabuf_timeline_init(&exp->timeline);
	INIT_DELAYED_WORK(&exp->unexport_work, exp_unexport_work);
	exp->peer = args->peer;
	exp->transport = hdmabuf_transport_for(exp->peer);
	if (!exp->transport) {
		ret = -ENOTCONN;
		goto err_free;
	}
	exp->flags = args->flags;
	exp->owner = args->flags & HYPER_DMABUF_EXPORT_PERSISTENT ? NULL : file;
	exp->uid = file->uid;
	ret = exp_attach(exp, args->fd);
	if (ret)
		goto err_free;
	if (meta) {
		ret = hdmabuf_meta_check(meta, exp->pin.dmabuf->size);
		if (ret)
			goto err_release;
		exp->meta = kmemdup(meta, sizeof(*meta), GFP_KERNEL);
		if (!exp->meta) {
			ret = -ENOMEM;
			goto err_release;
		}
	}
	exp->id.domid = hdmabuf_local_domid;
	get_random_bytes(exp->id.key, sizeof(exp->id.key));
	ret = exp_offer(exp, file, args);
	if (ret)
		goto err_release;
	offer_notice(args, exp->peer);
	return 0;

err_release:
	exp_put(exp);
	return ret;
err_free:
	kfree(exp);
	return ret;
}

/* The export @id names in @xa, with a reference, or an error. */
static struct hdmabuf_exp *exp_lookup(struct xarray *xa,
				      const struct hyper_dmabuf_id *id)
{
	struct hdmabuf_exp *exp;
	int ret;

	mutex_lock(&registry_lock);
	exp = xa_load(xa, id->serial);
	ret = exp ? hdmabuf_id_match(&exp->id, id) : -ENOENT;
	/* its last reference gone, it is on its way out: as if none */
	if (!ret && !kref_get_unless_zero(&exp->ref))
		ret = -ENOENT;
	mutex_unlock(&registry_lock);
	return ret ? ERR_PTR(ret) : exp;
}

/* The offered export named by @id. */
static struct hdmabuf_exp *exp_find(const struct hyper_dmabuf_id *id)
{
	return exp_lookup(&registry, id);
}

/* A live export of this domain, offered or not. */
static struct hdmabuf_exp *exp_find_any(const struct hyper_dmabuf_id *id)
{
	return exp_lookup(&exports, id);
}

/*
 * Unexport and revoke belong to the device file that made the export, or,
 * for a persistent one, to the administrator: @exp, as found (a reference
 * or an error), if @file may; else its reference goes, and -EPERM.
 */
static struct hdmabuf_exp *exp_controlled(struct hdmabuf_exp *exp,
					  struct hdmabuf_file *file)
{
	if (IS_ERR(exp))
		return exp;
	if (exp->owner ? exp->owner != file : !capable(CAP_SYS_ADMIN)) {
		exp_put(exp);
		return ERR_PTR(-EPERM);
	}
	return exp;
}

int hdmabuf_unexport(struct hdmabuf_file *file,
		     const struct hyper_dmabuf_unexport *args)
{
	struct hdmabuf_exp *exp;
	int ret = 0;

	if (args->delay_ms > UNEXPORT_DELAY_MAX_MS)
		return -EINVAL;
	exp = exp_controlled(exp_find(&args->id), file);
	if (IS_ERR(exp))
		return PTR_ERR(exp);
	if (!args->delay_ms) {
		if (!exp_withdraw(exp))
			ret = -ENOENT;
		goto out;
	}
	mutex_lock(&registry_lock);
	if (exp->offered)
		mod_delayed_work(system_wq, &exp->unexport_work,
				 msecs_to_jiffies(args->delay_ms));
	else
		ret = -ENOENT;
	mutex_unlock(&registry_lock);
out:
	exp_put(exp);
	return ret;
}

/* Whether @domid holds an import of @exp under @token; lends_lock held. */
static struct lend *lend_find(struct hdmabuf_exp *exp, u32 domid, u64 token)
{
	struct lend *lend;

	list_for_each_entry(lend, &exp->lends, node)
		if (lend->domid == domid && lend->token == token)
			return lend;
	return NULL;
}

/* Record @lend on @exp, sharing the pages with the peer the first time. */
static int lend_add(struct hdmabuf_exp *exp, struct lend *lend)
{
	int ret = 0;

	mutex_lock(&exp->lends_lock);
	if (exp->revoked)
		ret = -ENOENT;
	else if (lend_find(exp, lend->domid, lend->token))
		ret = -EEXIST;
	else if (exp->nlends >= LENDS_MAX)
		ret = -EDQUOT;
	else if (!exp->share)
		ret = exp->transport->share(lend->domid, exp->pin.pages,
					    exp->pin.npages,
					    exp->flags & HYPER_DMABUF_EXPORT_RW,
					    &exp->handle, &exp->share);
	if (!ret) {
		list_add(&lend->node, &exp->lends);
		exp->nlends++;
		kref_get(&exp->ref);
		atomic_inc(&exp->importers);
	}
	mutex_unlock(&exp->lends_lock);
	return ret;
}

int hdmabuf_export_serve(u32 domid, const struct hdmabuf_msg *req,
			 struct hdmabuf_msg *reply)
{
	struct hdmabuf_exp *exp = exp_find(&req->id);
	struct lend *lend;
	int ret;

	if (IS_ERR(exp))
		return PTR_ERR(exp);
	/* offered to someone else: for this peer it does not exist */
	if (exp->peer != domid) {
		ret = -ENOENT;
		goto out;
	}
	lend = kzalloc(sizeof(*lend), GFP_KERNEL);
	if (!lend) {
		ret = -ENOMEM;
		goto out;
	}
	lend->domid = domid;
	lend->token = req->token;
	ret = lend_add(exp, lend);
	if (ret) {
		kfree(lend);
		goto out;
	}
	exp_event(exp, HYPER_DMABUF_EVENT_IMPORTED, domid, 0);
	reply->id = exp->id;
	reply->export_flags = exp->flags;
	reply->size = exp->pin.dmabuf->size;
	reply->npages = exp->pin.npages;
	reply->handle = exp->handle;
	reply->value = hdmabuf_timeline_value(&exp->timeline);
	if (exp->meta) {
		reply->has_meta = true;
		reply->meta = *exp->meta;
	}
out:
	exp_put(exp);
	return ret;
}

int hdmabuf_export_release(u32 domid, const struct hyper_dmabuf_id *id,
			   u64 token)
{
	struct hdmabuf_exp *exp = exp_find_any(id);
	struct lend *lend;

	if (IS_ERR(exp))
		return PTR_ERR(exp);
	mutex_lock(&exp->lends_lock);
	lend = lend_find(exp, domid, token);
	if (lend) {
		list_del(&lend->node);
		exp->nlends--;
	}
	mutex_unlock(&exp->lends_lock);
	if (!lend) {
		exp_put(exp);
		return -ENOENT;
	}
	kfree(lend);
	atomic_dec(&exp->importers);
	wake_up(&exp->released);
	exp_event(exp, HYPER_DMABUF_EVENT_RELEASED, domid, 0);
	exp_put(exp);	/* the lend's */
	exp_put(exp);
	return 0;
}

void hdmabuf_exports_peer_down(u32 domid)
{
	struct hdmabuf_exp *exp, *next;
	struct lend *lend, *tmp;
	unsigned long serial;
	LIST_HEAD(held);
	LIST_HEAD(gone);
	unsigned int n;

	/* every live export with a reference, so the lock can be let go */
	mutex_lock(&registry_lock);
	xa_for_each(&exports, serial, exp) {
		if (exp->peer != domid || !kref_get_unless_zero(&exp->ref))
			continue;
		list_add_tail(&exp->peer_down_node, &held);
	}
	mutex_unlock(&registry_lock);
	list_for_each_entry_safe(exp, next, &held, peer_down_node) {
		n = 0;
		mutex_lock(&exp->lends_lock);
		list_for_each_entry_safe(lend, tmp, &exp->lends, node) {
			if (lend->domid != domid)
				continue;
			list_move(&lend->node, &gone);
			exp->nlends--;
			n++;
		}
		mutex_unlock(&exp->lends_lock);
		list_for_each_entry_safe(lend, tmp, &gone, node) {
			list_del(&lend->node);
			kfree(lend);
			atomic_dec(&exp->importers);
			exp_event(exp, HYPER_DMABUF_EVENT_RELEASED, domid, 0);
		}
		wake_up(&exp->released);
		/* the lends' references, then ours */
		while (n--)
			exp_put(exp);
		exp_put(exp);
	}
}

/*
 * Take an export back: off offer, every import told (their mappings torn
 * down), then wait a while for the importers to let go.
 */
int hdmabuf_revoke(struct hdmabuf_file *file, struct hyper_dmabuf_revoke *args)
{
	struct hdmabuf_msg msg = { .type = HDMABUF_MSG_REVOKE };
	struct hdmabuf_exp *exp;
	bool imported;
	int ret = 0;

	if (args->timeout_ms > REVOKE_TIMEOUT_MAX_MS)
		return -EINVAL;
	exp = exp_controlled(exp_find_any(&args->id), file);
	if (IS_ERR(exp))
		return PTR_ERR(exp);
	mutex_lock(&exp->lends_lock);
	if (exp->revoked) {
		mutex_unlock(&exp->lends_lock);
		ret = -EALREADY;
		goto out;
	}
	exp->revoked = true;
	imported = !list_empty(&exp->lends);
	mutex_unlock(&exp->lends_lock);
	/* importers first: the buffer is gone before it is off the list */
	if (imported) {
		msg.id = exp->id;
		hdmabuf_peer_notify(exp->peer, &msg);
	}
	exp_withdraw(exp);

	/*
	 * The export is revoked whatever comes now: a signal only ends the
	 * wait early, and the importers left are reported as for a timeout.
	 */
	wait_event_interruptible_timeout(exp->released,
					 !atomic_read(&exp->importers),
					 msecs_to_jiffies(args->timeout_ms));
	args->remaining = atomic_read(&exp->importers);
out:
	exp_put(exp);
	return ret;
}

/* Move @exp's timeline; its peer, if another domain, follows. */
static int exp_signal(struct hdmabuf_exp *exp, u32 from, u64 value)
{
	struct hdmabuf_msg msg = {
		.type = HDMABUF_MSG_SIGNALLED,
		.id = exp->id,
		.value = value,
	};
	int ret = hdmabuf_timeline_signal(&exp->timeline, value);

	if (ret)
		return ret;
	exp_event(exp, HYPER_DMABUF_EVENT_SIGNALLED, from, value);
	if (exp->peer != HYPER_DMABUF_DOMID_SELF)
		hdmabuf_peer_notify(exp->peer, &msg);
	return 0;
}

/*
 * Whether @file may see @exp in LIST and QUERY: made by its user, or an
 * administrator's.
 */
static bool exp_visible(struct hdmabuf_exp *exp,
			const struct hdmabuf_file *file)
{
	return file->admin || uid_eq(exp->uid, file->uid);
}

/*
 * This domain's export @id names, live, if @file may move or wait on its
 * timeline: as for LIST, or it holds an import of it. The key alone is no
 * longer enough: whoever learns an id could jam its timeline at U64_MAX.
 */
static struct hdmabuf_exp *exp_find_usable(const struct hyper_dmabuf_id *id,
					   const struct hdmabuf_file *file)
{
	struct hdmabuf_exp *exp = exp_find_any(id);

	if (IS_ERR(exp) || exp_visible(exp, file) ||
	    hdmabuf_file_holds(file, &exp->id, NULL))
		return exp;
	exp_put(exp);
	return ERR_PTR(-EPERM);
}

/*
 * The timeline of an export of this domain: its exporter and importers
 * here name it by id.
 */
int hdmabuf_signal(struct hdmabuf_file *file,
		   const struct hyper_dmabuf_signal *args)
{
	struct hdmabuf_exp *exp;
	int ret;

	exp = exp_find_usable(&args->id, file);
	if (IS_ERR(exp))
		return PTR_ERR(exp);
	ret = exp_signal(exp, exp->peer, args->value);
	exp_put(exp);
	return ret;
}

/* A SIGNAL from the peer the export is offered to, and to no one else. */
int hdmabuf_export_peer_signal(u32 domid, const struct hyper_dmabuf_id *id,
			       u64 value)
{
	struct hdmabuf_exp *exp = exp_find_any(id);
	int ret;

	if (IS_ERR(exp))
		return PTR_ERR(exp);
	ret = exp->peer == domid ? exp_signal(exp, domid, value) : -ENOENT;
	exp_put(exp);
	return ret;
}

/* Block, or with WAIT_SYNC_FILE return a fence in *@fence. */
int hdmabuf_wait(struct hdmabuf_file *file, struct hyper_dmabuf_wait *args,
		 struct dma_fence **fence)
{
	struct hdmabuf_exp *exp;
	int ret;

	exp = exp_find_usable(&args->id, file);
	if (IS_ERR(exp))
		return PTR_ERR(exp);
	ret = hdmabuf_timeline_await(&exp->timeline, args, fence);
	exp_put(exp);
	return ret;
}

static void exp_info(struct hdmabuf_exp *exp, struct hyper_dmabuf_info *info)
{
	memset(info, 0, sizeof(*info));
	info->id = exp->id;
	info->role = HYPER_DMABUF_ROLE_EXPORT;
	info->state = exp->offered ? HYPER_DMABUF_STATE_OFFERED
				   : HYPER_DMABUF_STATE_WITHDRAWN;
	info->peer = exp->peer;
	info->flags = exp->flags;
	info->size = exp->pin.dmabuf->size;
	info->importers = atomic_read(&exp->importers);
}

/*
 * An export of this domain, offered or not, if the key matches and @file
 * may see it; -ENOENT for one it may not, as if there were none.
 */
int hdmabuf_export_query(const struct hdmabuf_file *file,
			 const struct hyper_dmabuf_id *id,
			 struct hyper_dmabuf_info *info)
{
	struct hdmabuf_exp *exp = exp_find_any(id);
	int ret = 0;

	if (IS_ERR(exp))
		return PTR_ERR(exp);
	mutex_lock(&registry_lock);
	if (exp_visible(exp, file))
		exp_info(exp, info);
	else
		ret = -ENOENT;
	mutex_unlock(&registry_lock);
	exp_put(exp);
	return ret;
}

int hdmabuf_export_owner(const struct hyper_dmabuf_id *id, kuid_t *uid)
{
	struct hdmabuf_exp *exp = exp_find_any(id);

	if (IS_ERR(exp))
		return PTR_ERR(exp);
	*uid = exp->uid;
	exp_put(exp);
	return 0;
}

unsigned int hdmabuf_exports_list(const struct hdmabuf_file *file,
				  struct hyper_dmabuf_info *infos,
				  unsigned int capacity)
{
	struct hdmabuf_exp *exp;
	unsigned long serial;
	unsigned int n = 0;

	mutex_lock(&registry_lock);
	xa_for_each(&exports, serial, exp) {
		if (!exp_visible(exp, file))
			continue;
		if (n < capacity)
			exp_info(exp, &infos[n]);
		n++;
	}
	mutex_unlock(&registry_lock);
	return n;
}

/* The device file is closed: what it exported goes off offer. */
void hdmabuf_file_release(struct hdmabuf_file *file)
{
	struct hdmabuf_exp *exp;

	for (;;) {
		mutex_lock(&registry_lock);
		exp = list_first_entry_or_null(&file->exports,
					       struct hdmabuf_exp, owner_node);
		if (exp)
			kref_get(&exp->ref);
		mutex_unlock(&registry_lock);
		if (!exp)
			return;
		exp_withdraw(exp);
		exp_put(exp);
	}
}

/* Module unload: only persistent exports can be left. */
void hdmabuf_exports_exit(void)
{
	struct hdmabuf_exp *exp;
	unsigned long serial;

	xa_for_each(&registry, serial, exp)
		exp_withdraw(exp);
}
