// SPDX-License-Identifier: GPL-2.0
/*
 * Imports: a dma-buf of this domain on the pages of an export, wherever
 * the export lives. The transport that reaches the exporter provides the
 * pages; they go back to it when the last user of the dma-buf is gone.
 */
#include <linux/dma-buf.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "hdmabuf.h"
#include "pagebuf.h"
#include "transport.h"

struct hdmabuf_import {
	struct hdmabuf_pagebuf_owner owner;
	struct hdmabuf_remote *remote;
	struct list_head node;
	struct hyper_dmabuf_id id;
	u64 size;
	struct mutex lock;		/* protects dmabuf, revoked */
	struct dma_buf *dmabuf;		/* once made */
	bool revoked;
};

/* Every live import of this domain. */
static LIST_HEAD(imports);
static DEFINE_MUTEX(imports_lock);

static void import_release(struct hdmabuf_pagebuf_owner *owner)
{
	struct hdmabuf_import *imp = container_of(owner, struct hdmabuf_import, owner);

	mutex_lock(&imports_lock);
	list_del(&imp->node);
	mutex_unlock(&imports_lock);
	imp->remote->release(imp->remote);
	atomic_long_dec(&hdmabuf_stats.imports);
	kfree(imp);
}

struct dma_buf *hdmabuf_import(struct hyper_dmabuf_import *args,
			       struct hyper_dmabuf_meta *meta)
{
	struct hdmabuf_remote *remote;
	struct dma_buf *dmabuf;
	struct hdmabuf_import *imp;
	int ret;

	imp = kzalloc(sizeof(*imp), GFP_KERNEL);
	if (!imp)
		return ERR_PTR(-ENOMEM);
	mutex_init(&imp->lock);
	imp->id = args->id;
	ret = hdmabuf_transport_import(&args->id, imp, &remote);
	if (ret) {
		kfree(imp);
		return ERR_PTR(ret);
	}
	imp->remote = remote;
	imp->owner.release = import_release;
	dmabuf = hdmabuf_pagebuf_export(remote->pages, remote->npages,
					remote->flags & HYPER_DMABUF_EXPORT_RW,
					&imp->owner);
	if (IS_ERR(dmabuf)) {
		remote->release(remote);
		kfree(imp);
		return dmabuf;
	}
	atomic_long_inc(&hdmabuf_stats.imports);
	/* a revocation may have come while the dma-buf was being made */
	mutex_lock(&imp->lock);
	imp->dmabuf = dmabuf;
	if (imp->revoked)
		hdmabuf_pagebuf_revoke(dmabuf);
	mutex_unlock(&imp->lock);
	imp->size = dmabuf->size;
	mutex_lock(&imports_lock);
	list_add_tail(&imp->node, &imports);
	mutex_unlock(&imports_lock);
	args->size = dmabuf->size;
	args->export_flags = remote->flags;
	if (remote->meta)
		*meta = *remote->meta;
	else
		memset(meta, 0, sizeof(*meta));
	return dmabuf;
}

static void import_info(struct hdmabuf_import *imp, struct hyper_dmabuf_info *info)
{
	memset(info, 0, sizeof(*info));
	info->id = imp->id;
	info->role = HYPER_DMABUF_ROLE_IMPORT;
	info->state = HYPER_DMABUF_STATE_IMPORTED;
	info->peer = imp->id.domid;
	info->flags = imp->remote->flags;
	info->size = imp->size;
}

int hdmabuf_import_query(const struct hyper_dmabuf_id *id,
			 struct hyper_dmabuf_info *info)
{
	struct hdmabuf_import *imp;
	int ret = -ENOENT;

	mutex_lock(&imports_lock);
	list_for_each_entry(imp, &imports, node) {
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

unsigned int hdmabuf_imports_list(struct hyper_dmabuf_info *infos,
				  unsigned int capacity)
{
	struct hdmabuf_import *imp;
	unsigned int n = 0;

	mutex_lock(&imports_lock);
	list_for_each_entry(imp, &imports, node) {
		if (n < capacity)
			import_info(imp, &infos[n]);
		n++;
	}
	mutex_unlock(&imports_lock);
	return n;
}

/* The exporter took the buffer back: no further access through this import. */
void hdmabuf_import_revoke(struct hdmabuf_import *imp)
{
	mutex_lock(&imp->lock);
	imp->revoked = true;
	if (imp->dmabuf)
		hdmabuf_pagebuf_revoke(imp->dmabuf);
	mutex_unlock(&imp->lock);
	hdmabuf_event_post(HYPER_DMABUF_EVENT_REVOKED, imp->id.domid, &imp->id,
			   0);
}
