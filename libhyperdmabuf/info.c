// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Describing buffers: HYPER_DMABUF_IOCTL_QUERY for one, _LIST for all.
 * Both make snapshots of struct hyper_dmabuf_info.
 */
#include <assert.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "internal.h"

/* The public enums mirror the uAPI numbering, so values pass unchanged. */
_Static_assert(HDMABUF_ROLE_EXPORT == HYPER_DMABUF_ROLE_EXPORT &&
	       HDMABUF_ROLE_IMPORT == HYPER_DMABUF_ROLE_IMPORT,
	       "enum hdmabuf_role must match HYPER_DMABUF_ROLE_*");
_Static_assert(HDMABUF_STATE_OFFERED == HYPER_DMABUF_STATE_OFFERED &&
	       HDMABUF_STATE_WITHDRAWN == HYPER_DMABUF_STATE_WITHDRAWN &&
	       HDMABUF_STATE_IMPORTED == HYPER_DMABUF_STATE_IMPORTED,
	       "enum hdmabuf_state must match HYPER_DMABUF_STATE_*");

/* The most entries the module writes in one LIST. */
#define LIST_MAX	65536

struct hdmabuf_info {
	struct hdmabuf_id id;
	uint32_t role;
	uint32_t state;
	uint32_t peer;
	uint32_t flags;
	uint64_t size;
	uint32_t importers;
};

struct hdmabuf_info_list {
	size_t count;
	struct hdmabuf_info entries[];
};

/* made by hdmabuf_read_list(), which writes the count first */
_Static_assert(offsetof(struct hdmabuf_info_list, count) == 0, "count first");

static void info_from_uapi(const struct hyper_dmabuf_info *uapi,
			   struct hdmabuf_info *info)
{
	hdmabuf_id_from_uapi(&uapi->id, &info->id);
	info->role = uapi->role;
	info->state = uapi->state;
	info->peer = uapi->peer;
	info->flags = uapi->flags;
	info->size = uapi->size;
	info->importers = uapi->importers;
}

HDMABUF_API struct hdmabuf_info *
hdmabuf_ctx_query(struct hdmabuf_ctx *ctx, const struct hdmabuf_id *id)
{
	/* flags and reserved0 go in as zero */
	struct hyper_dmabuf_query req = { 0 };
	struct hdmabuf_info *info;

	assert(ctx && id);

	info = malloc(sizeof(*info));
	if (!info)
		return NULL;

	hdmabuf_id_to_uapi(id, &req.id);
	if (hdmabuf_ctx_ioctl(ctx, HYPER_DMABUF_IOCTL_QUERY, &req)) {
		int saved_errno = errno;

		free(info);
		errno = saved_errno;
		return NULL;
	}

	info_from_uapi(&req.info, info);
	return info;
}

HDMABUF_API void hdmabuf_info_free(struct hdmabuf_info *info)
{
	free(info);
}

HDMABUF_API const struct hdmabuf_id *
hdmabuf_info_get_id(const struct hdmabuf_info *info)
{
	assert(info);

	return &info->id;
}

HDMABUF_API enum hdmabuf_role
hdmabuf_info_get_role(const struct hdmabuf_info *info)
{
	assert(info);

	return (enum hdmabuf_role)info->role;
}

HDMABUF_API enum hdmabuf_state
hdmabuf_info_get_state(const struct hdmabuf_info *info)
{
	assert(info);

	return (enum hdmabuf_state)info->state;
}

HDMABUF_API uint32_t hdmabuf_info_get_peer(const struct hdmabuf_info *info)
{
	assert(info);

	return info->peer;
}

HDMABUF_API unsigned int hdmabuf_info_get_flags(const struct hdmabuf_info *info)
{
	assert(info);

	return info->flags;
}

HDMABUF_API uint64_t hdmabuf_info_get_size(const struct hdmabuf_info *info)
{
	assert(info);

	return info->size;
}

HDMABUF_API unsigned int
hdmabuf_info_get_importers(const struct hdmabuf_info *info)
{
	assert(info);

	return info->importers;
}

/* One LIST, into entries. */
static int list_call(struct hdmabuf_ctx *ctx, void *entries, uint32_t capacity,
		     uint32_t *count)
{
	/* flags and every reserved field go in as zero */
	struct hyper_dmabuf_list req = {
		.entries = (uintptr_t)entries,
		.capacity = capacity,
	};

	if (hdmabuf_ctx_ioctl(ctx, HYPER_DMABUF_IOCTL_LIST, &req))
		return -1;
	*count = req.count;
	return 0;
}

static void info_entry(const void *uapi, void *info)
{
	info_from_uapi(uapi, info);
}

HDMABUF_API struct hdmabuf_info_list *hdmabuf_ctx_list(struct hdmabuf_ctx *ctx)
{
	assert(ctx);

	return hdmabuf_read_list(ctx, list_call,
				 sizeof(struct hyper_dmabuf_info), LIST_MAX,
				 offsetof(struct hdmabuf_info_list, entries),
				 sizeof(struct hdmabuf_info), info_entry);
}

HDMABUF_API void hdmabuf_info_list_free(struct hdmabuf_info_list *list)
{
	free(list);
}

HDMABUF_API size_t
hdmabuf_info_list_get_count(const struct hdmabuf_info_list *list)
{
	assert(list);

	return list->count;
}

HDMABUF_API const struct hdmabuf_info *
hdmabuf_info_list_get(const struct hdmabuf_info_list *list, size_t index)
{
	assert(list);

	return hdmabuf_list_at(list->entries, list->count,
			       sizeof(list->entries[0]), index);
}
