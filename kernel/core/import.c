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

struct import {
	struct hdmabuf_pagebuf_owner owner;
	struct hdmabuf_remote *remote;
};

static void import_release(struct hdmabuf_pagebuf_owner *owner)
{
	struct import *imp = container_of(owner, struct import, owner);

	imp->remote->release(imp->remote);
	atomic_long_dec(&hdmabuf_stats.imports);
	kfree(imp);
}

struct dma_buf *hdmabuf_import(struct hyper_dmabuf_import *args,
			       struct hyper_dmabuf_meta *meta)
{
	struct hdmabuf_remote *remote;
	struct dma_buf *dmabuf;
	struct import *imp;
	int ret;

	ret = hdmabuf_transport_import(&args->id, &remote);
	if (ret)
		return ERR_PTR(ret);
	imp = kzalloc(sizeof(*imp), GFP_KERNEL);
	if (!imp) {
		remote->release(remote);
		return ERR_PTR(-ENOMEM);
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
	args->size = dmabuf->size;
	args->export_flags = remote->flags;
	if (remote->meta)
		*meta = *remote->meta;
	else
		memset(meta, 0, sizeof(*meta));
	return dmabuf;
}
