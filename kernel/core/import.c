// SPDX-License-Identifier: GPL-2.0
/*
 * Imports: a dma-buf of this domain on the pages of an export, wherever
 * the export lives. The exporter is asked with an IMPORT message and says
 * where the pages are; the transport that reaches it maps them. When the
 * last user of the dma-buf is gone they are unmapped and the exporter is
 * told with a RELEASE.
 */
#include <linux/dma-buf.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "hdmabuf.h"
#include "pagebuf.h"
#include "peer.h"
#include "timeline.h"
#include "transport.h"

struct hdmabuf_import {
	struct kref ref;		/* the dma-buf's, and each waiter's */
	struct hdmabuf_pagebuf_owner owner;
	struct list_head node;
	/* the open device file it was made through, until that is closed */
	struct hdmabuf_hold hold;
	struct hyper_dmabuf_id id;
	u32 domid;			/* the exporter, as transports name it */
	u64 token;			/* this import, to the exporter */
	const struct hdmabuf_transport *transport;
	void *map;			/* the transport's mapping */
	u32 export_flags;
	u64 size;
	struct mutex lock;		/* protects dmabuf, revoked */
	struct dma_buf *dmabuf;		/* once made */
	bool revoked;
	bool orphan;			/* the exporter is gone: no RELEASE */
	/* the exporter's timeline as it tells us (SIGNALLED) */
	struct hdmabuf_timeline timeline;
};

/* Every import of this domain, those still being made included. */
static LIST_HEAD(imports);
static DEFINE_MUTEX(imports_lock);
static atomic64_t next_token = ATOMIC64_INIT(0);
static void import_unlist(struct hdmabuf_import *imp)
{
	mutex_lock(&imports_lock);
	list_del(&imp->node);
	mutex_unlock(&imports_lock);
	hdmabuf_unhold(&imp->hold);
}

/* Whether @file may see @imp: its holder, or an administrator. */
static bool import_visible(struct hdmabuf_import *imp,
			   const struct hdmabuf_file *file)
{
	return file->admin || hdmabuf_file_holds(file, NULL, &imp->hold);
}

/* The exporter may let go of what it lent this import. */
static void release_notice(struct hdmabuf_import *imp)
{
	struct hdmabuf_msg msg = {
		.type = HDMABUF_MSG_RELEASE,
		.id = imp->id,
		.token = imp->token,
	};

	hdmabuf_peer_notify(imp->domid, &msg);
}

static void import_free(struct kref *ref)
{
	struct hdmabuf_import *imp = container_of(ref, struct hdmabuf_import, ref);

	hdmabuf_timeline_fini(&imp->timeline);
	kfree(imp);
}

static void import_release(struct hdmabuf_pagebuf_owner *owner)
{
	struct hdmabuf_import *imp = container_of(owner, struct hdmabuf_import, owner);

	import_unlist(imp);
	imp->transport->unmap(imp->map);
	if (!READ_ONCE(imp->orphan))
		release_notice(imp);
	atomic_long_dec(&hdmabuf_stats.imports);
	kref_put(&imp->ref, import_free);
}

static int import_mmap(struct hdmabuf_pagebuf_owner *owner,
		       struct vm_area_struct *vma)
{
	struct hdmabuf_import *imp = container_of(owner, struct hdmabuf_import, owner);

	return imp->transport->mmap(imp->map, vma);
}

/*
 * The exporter's answer, checked: it is another domain's word. The pages
 * must cover the size exactly, and the metadata must fit them.
 */
static int check_reply(const struct hdmabuf_import *imp,
		       const struct hdmabuf_msg *reply)
{
	if (hdmabuf_id_match(&reply->id, &imp->id) ||
	    reply->size != reply->npages << PAGE_SHIFT ||
	    reply->npages > totalram_pages() ||
	    (reply->has_meta && hdmabuf_meta_check(&reply->meta, reply->size)))
		return -EPROTO;
	return 0;
}

/* Ask the exporter for the pages and map them; nothing held on error. */
static int import_map(struct hdmabuf_import *imp, struct hdmabuf_msg *reply,
		      struct page ***pages)
{
	struct hdmabuf_msg msg = {
		.type = HDMABUF_MSG_IMPORT,
		.id = imp->id,
		.token = imp->token,
	};
	int ret;

	ret = hdmabuf_peer_call(imp->domid, &msg, reply);
	/*
	 * No answer in time: the exporter may lend it all the same. RELEASE
	 * follows the request on the same channel, so it lets go of that
	 * lend (or of nothing).
	 */
	if (ret == -ETIMEDOUT || ret == -EINTR)
		release_notice(imp);
	if (ret)
		return ret;
	ret = check_reply(imp, reply);
	if (!ret)
		ret = imp->transport->map(imp->domid, reply->handle,
					  reply->npages,
					  reply->export_flags &
					  HYPER_DMABUF_EXPORT_RW,
					  pages, &imp->map);
	/* the exporter named pages it did not grant, or not as it said */
	if (ret == -EPROTO)
		hdmabuf_refused(HDMABUF_REFUSED_BUFFER);
	if (ret)
		release_notice(imp);
	return ret;
}

struct dma_buf *hdmabuf_import(struct hdmabuf_file *file,
			       struct hyper_dmabuf_import *args,
			       struct hyper_dmabuf_meta *meta)
{
	struct hdmabuf_msg *reply;
	struct hdmabuf_import *imp;
	struct dma_buf *dmabuf;
	struct page **pages;
	int ret;

	imp = kzalloc(sizeof(*imp), GFP_KERNEL);
	if (!imp)
		return ERR_PTR(-ENOMEM);
	kref_init(&imp->ref);
	mutex_init(&imp->lock);
	hdmabuf_timeline_init(&imp->timeline);
	reply = kzalloc(sizeof(*reply), GFP_KERNEL);
	if (!reply) {
		ret = -ENOMEM;
		goto err_free;
	}
	imp->id = args->id;
	imp->domid = hdmabuf_id_exporter(&args->id);
	imp->token = atomic64_inc_return(&next_token);
	imp->transport = hdmabuf_transport_for(imp->domid);
	if (!imp->transport) {
		ret = -ENOTCONN;
		goto err_free;
	}
	/*
	 * Held, then listed, before asking: a REVOKE racing the reply finds
	 * it, and its holder hears of it.
	 */
	hdmabuf_hold(&imp->hold, file, &imp->id);
	mutex_lock(&imports_lock);
	list_add_tail(&imp->node, &imports);
	mutex_unlock(&imports_lock);
	ret = import_map(imp, reply, &pages);
	if (ret)
		goto err_unlist;
	imp->export_flags = reply->export_flags;
	imp->size = reply->size;
	/* a SIGNALLED may have come first: the timeline only moves forward */
	if (reply->value)
		hdmabuf_timeline_signal(&imp->timeline, reply->value);
	imp->owner.release = import_release;
	imp->owner.page_segments = true;
	/* a peer's pages: no process may pin them past the release */
	imp->owner.pfn_map = true;
	if (imp->transport->mmap)
		imp->owner.mmap = import_mmap;
	dmabuf = hdmabuf_pagebuf_export(pages, reply->npages,
					reply->export_flags & HYPER_DMABUF_EXPORT_RW,
					&imp->owner);
	if (IS_ERR(dmabuf)) {
		ret = PTR_ERR(dmabuf);
		imp->transport->unmap(imp->map);
		release_notice(imp);
		goto err_unlist;
	}
	atomic_long_inc(&hdmabuf_stats.imports);
	/* a revocation may have come while the dma-buf was being made */
	mutex_lock(&imp->lock);
	imp->dmabuf = dmabuf;
	if (imp->revoked)
		hdmabuf_pagebuf_revoke(dmabuf);
	mutex_unlock(&imp->lock);
	args->size = imp->size;
	args->export_flags = imp->export_flags;
	if (reply->has_meta)
		*meta = reply->meta;
	else
		memset(meta, 0, sizeof(*meta));
	kfree(reply);
	return dmabuf;

err_unlist:
	import_unlist(imp);
err_free:
	kfree(reply);
	kref_put(&imp->ref, import_free);
	return ERR_PTR(ret);
}

static void import_info(struct hdmabuf_import *imp, struct hyper_dmabuf_info *info)
{
	memset(info, 0, sizeof(*info));
	info->id = imp->id;
	info->role = HYPER_DMABUF_ROLE_IMPORT;
	info->state = HYPER_DMABUF_STATE_IMPORTED;
	/* the exporter as a peer: SELF for this domain, not its number */
	info->peer = imp->domid;
	info->flags = imp->export_flags;
	info->size = imp->size;
}

/* Imports still being made are not shown: they may yet fail. */
static bool import_made(struct hdmabuf_import *imp)
{
	return READ_ONCE(imp->dmabuf);
}

int hdmabuf_import_query(const struct hdmabuf_file *file,
			 const struct hyper_dmabuf_id *id,
			 struct hyper_dmabuf_info *info)
{
	struct hdmabuf_import *imp;
	int ret = -ENOENT;

	mutex_lock(&imports_lock);
	list_for_each_entry(imp, &imports, node) {
		if (!import_made(imp) || !import_visible(imp, file))
			continue;
		ret = hdmabuf_id_match(&imp->id, id);
		if (ret == -ENOENT)
			continue;
		if (!ret)
			import_info(imp, info);
		break;
	}
	mutex_unlock(&imports_lock);
	return ret;
}

unsigned int hdmabuf_imports_list(const struct hdmabuf_file *file,
				  struct hyper_dmabuf_info *infos,
				  unsigned int capacity)
{
	struct hdmabuf_import *imp;
	unsigned int n = 0;

	mutex_lock(&imports_lock);
	list_for_each_entry(imp, &imports, node) {
		if (!import_made(imp) || !import_visible(imp, file))
			continue;
		if (n < capacity)
			import_info(imp, &infos[n]);
		n++;
	}
	mutex_unlock(&imports_lock);
	return n;
}

/* No further access; imports_lock held. */
static void import_revoke(struct hdmabuf_import *imp)
{
	struct hdmabuf_audience holder = { .hold = &imp->hold };

	mutex_lock(&imp->lock);
	imp->revoked = true;
	if (imp->dmabuf)
		hdmabuf_pagebuf_revoke(imp->dmabuf);
	mutex_unlock(&imp->lock);
	/* nobody will signal this copy of the timeline any more */
	hdmabuf_timeline_cancel(&imp->timeline, -ENODEV);
	hdmabuf_event_post(&holder, HYPER_DMABUF_EVENT_REVOKED, imp->domid,
			   &imp->id, 0);
}

/* Whether @imp is an import from @domid of exactly @id. */
static bool import_of(struct hdmabuf_import *imp, u32 domid,
		      const struct hyper_dmabuf_id *id)
{
	return imp->domid == domid && !hdmabuf_id_match(&imp->id, id);
}

/* The exporter took the buffer back: no further access through its imports. */
int hdmabuf_imports_revoke(u32 domid, const struct hyper_dmabuf_id *id)
{
	struct hdmabuf_import *imp;
	int ret = -ENOENT;

	mutex_lock(&imports_lock);
	list_for_each_entry(imp, &imports, node) {
		if (!import_of(imp, domid, id))
			continue;
		import_revoke(imp);
		ret = 0;
	}
	mutex_unlock(&imports_lock);
	return ret;
}

void hdmabuf_imports_peer_down(u32 domid)
{
	struct hdmabuf_import *imp;

	mutex_lock(&imports_lock);
	list_for_each_entry(imp, &imports, node) {
		if (imp->domid != domid)
			continue;
		import_revoke(imp);
		/* nobody is left to tell at the end */
		imp->orphan = true;
	}
	mutex_unlock(&imports_lock);
}

/*
 * Whether @file may move or wait on the timeline of export @id of another
 * domain: it holds an import of it, or is an administrator. 0, -EPERM
 * (imported here, by others only), -ENOENT or -EKEYREJECTED.
 */
static int import_may_use(const struct hdmabuf_file *file,
			  const struct hyper_dmabuf_id *id)
{
	struct hdmabuf_import *imp;
	int ret = -ENOENT, match;

	if (file->admin || hdmabuf_file_holds(file, id, NULL))
		return 0;
	mutex_lock(&imports_lock);
	list_for_each_entry(imp, &imports, node) {
		match = hdmabuf_id_match(&imp->id, id);
		if (match == -ENOENT)
			continue;
		ret = match ? match : -EPERM;
		break;
	}
	mutex_unlock(&imports_lock);
	return ret;
}

int hdmabuf_import_signal(struct hdmabuf_file *file,
			  const struct hyper_dmabuf_id *id, u64 value)
{
	struct hdmabuf_msg msg = {
		.type = HDMABUF_MSG_SIGNAL,
		.id = *id,
		.value = value,
	};
	struct hdmabuf_msg *reply;
	int ret;

	ret = import_may_use(file, id);
	if (ret)
		return ret;
	reply = kzalloc(sizeof(*reply), GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	ret = hdmabuf_peer_call(hdmabuf_id_exporter(id), &msg, reply);
	kfree(reply);
	return ret;
}

/* The exporter's timeline moved: listeners here hear of it once. */
int hdmabuf_imports_signalled(u32 domid, const struct hyper_dmabuf_id *id,
			      u64 value)
{
	struct hdmabuf_audience holders = { .held = id };
	struct hdmabuf_import *imp;
	bool found = false;

	mutex_lock(&imports_lock);
	list_for_each_entry(imp, &imports, node) {
		if (!import_of(imp, domid, id))
			continue;
		found = true;
		/* not forward: an older value overtaken by the import's reply */
		hdmabuf_timeline_signal(&imp->timeline, value);
	}
	mutex_unlock(&imports_lock);
	if (!found)
		return -ENOENT;
	hdmabuf_event_post(&holders, HYPER_DMABUF_EVENT_SIGNALLED, domid, id,
			   value);
	return 0;
}

int hdmabuf_import_wait(struct hdmabuf_file *file,
			struct hyper_dmabuf_wait *args,
			struct dma_fence **fence)
{
	struct hdmabuf_import *imp, *found = NULL;
	int ret;

	ret = import_may_use(file, &args->id);
	if (ret)
		return ret;
	ret = -ENOENT;
	mutex_lock(&imports_lock);
	list_for_each_entry(imp, &imports, node) {
		if (!import_made(imp) || !import_visible(imp, file))
			continue;
		ret = hdmabuf_id_match(&imp->id, &args->id);
		if (ret == -ENOENT)
			continue;
		if (!ret) {
			found = imp;
			kref_get(&found->ref);
		}
		break;
	}
	mutex_unlock(&imports_lock);
	if (!found)
		return ret;
	ret = hdmabuf_timeline_await(&found->timeline, args, fence);
	kref_put(&found->ref, import_free);
	return ret;
}
