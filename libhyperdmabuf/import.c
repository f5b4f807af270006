// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Imports: HYPER_DMABUF_IOCTL_IMPORT. The object owns the new dma-buf's
 * descriptor until the caller takes it, and the export's metadata.
 */
#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"

struct hdmabuf_import {
	struct hdmabuf_id id;
	int fd;			/* -1 once taken */
	uint64_t size;
	uint32_t export_flags;
	struct hdmabuf_meta *meta;
};

static void import_free(struct hdmabuf_import *imp)
{
	hdmabuf_meta_free(imp->meta);
	free(imp);
}

HDMABUF_API struct hdmabuf_import *
hdmabuf_ctx_import(struct hdmabuf_ctx *ctx, const struct hdmabuf_id *id)
{
	/* flags and reserved go in as zero */
	struct hyper_dmabuf_import req = { 0 };
	struct hdmabuf_import *imp;
	int saved_errno;

	assert(ctx && id);

	/* all of it before the call: failing afterwards would leak the fd */
	imp = calloc(1, sizeof(*imp));
	if (!imp)
		return NULL;
	imp->meta = hdmabuf_meta_new();
	if (!imp->meta) {
		free(imp);
		return NULL;
	}

	hdmabuf_id_to_uapi(id, &req.id);
	/* the module writes the export's metadata straight into the object */
	req.meta = (uintptr_t)hdmabuf_meta_uapi_mut(imp->meta);

	if (hdmabuf_ctx_ioctl(ctx, HYPER_DMABUF_IOCTL_IMPORT, &req))
		goto err;

	if (req.fd < 0) {
		errno = EPROTO;
		goto err;
	}
	if (hdmabuf_meta_check_uapi(imp->meta)) {
		close(req.fd);
		goto err;
	}

	imp->id = *id;
	imp->fd = req.fd;
	imp->size = req.size;
	imp->export_flags = req.export_flags;
	return imp;

err:
	saved_errno = errno;
	import_free(imp);
	errno = saved_errno;
	return NULL;
}

HDMABUF_API void hdmabuf_import_release(struct hdmabuf_import *imp)
{
	if (!imp)
		return;

	if (imp->fd >= 0)
		close(imp->fd);
	import_free(imp);
}

HDMABUF_API const struct hdmabuf_id *
hdmabuf_import_get_id(const struct hdmabuf_import *imp)
{
	assert(imp);

	return &imp->id;
}

HDMABUF_API int hdmabuf_import_get_fd(const struct hdmabuf_import *imp)
{
	assert(imp);

	if (imp->fd < 0)
		errno = EBADF;
	return imp->fd;
}

HDMABUF_API int hdmabuf_import_take_fd(struct hdmabuf_import *imp)
{
	int fd;

	assert(imp);

	fd = imp->fd;
	if (fd < 0)
		errno = EBADF;
	imp->fd = -1;
	return fd;
}

HDMABUF_API uint64_t hdmabuf_import_get_size(const struct hdmabuf_import *imp)
{
	assert(imp);

	return imp->size;
}

HDMABUF_API const struct hdmabuf_meta *
hdmabuf_import_get_meta(const struct hdmabuf_import *imp)
{
	assert(imp);

	return imp->meta;
}

HDMABUF_API bool hdmabuf_import_is_writable(const struct hdmabuf_import *imp)
{
	assert(imp);

	return imp->export_flags & HYPER_DMABUF_EXPORT_RW;
}
