// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Metadata: what a buffer holds, carried with its export. The object is
 * the uAPI structure itself, so export and import pass it as it is.
 */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

_Static_assert(HDMABUF_META_MAX_PLANES == HYPER_DMABUF_MAX_PLANES &&
	       HDMABUF_META_NAME_MAX + 1 == HYPER_DMABUF_NAME_LEN &&
	       HDMABUF_META_BLOB_MAX == HYPER_DMABUF_BLOB_MAX,
	       "the metadata limits must match the uAPI");

struct hdmabuf_meta {
	struct hyper_dmabuf_meta uapi;
};

HDMABUF_API struct hdmabuf_meta *hdmabuf_meta_new(void)
{
	/* calloc: unused bytes go to the peer, and reserved0 must be zero */
	return calloc(1, sizeof(struct hdmabuf_meta));
}

HDMABUF_API void hdmabuf_meta_free(struct hdmabuf_meta *meta)
{
	free(meta);
}

HDMABUF_API void hdmabuf_meta_set_format(struct hdmabuf_meta *meta,
					 uint32_t fourcc, uint64_t modifier,
					 uint32_t width, uint32_t height)
{
	assert(meta);

	meta->uapi.fourcc = fourcc;
	meta->uapi.modifier = modifier;
	meta->uapi.width = width;
	meta->uapi.height = height;
}

HDMABUF_API int hdmabuf_meta_set_plane(struct hdmabuf_meta *meta,
				       unsigned int index, uint32_t offset,
				       uint32_t stride)
{
	assert(meta);

	/* planes are set in order: no holes in the list */
	if (index >= HYPER_DMABUF_MAX_PLANES || index > meta->uapi.num_planes) {
		errno = EINVAL;
		return -1;
	}

	meta->uapi.planes[index].offset = offset;
	meta->uapi.planes[index].stride = stride;
	if (index == meta->uapi.num_planes)
		meta->uapi.num_planes++;
	return 0;
}

HDMABUF_API int hdmabuf_meta_set_name(struct hdmabuf_meta *meta,
				      const char *name)
{
	size_t len;

	assert(meta && name);

	len = strlen(name);
	if (len >= sizeof(meta->uapi.name)) {
		errno = EINVAL;
		return -1;
	}

	/* also clears what a longer name left behind */
	memset(meta->uapi.name, 0, sizeof(meta->uapi.name));
	memcpy(meta->uapi.name, name, len);
	return 0;
}

HDMABUF_API int hdmabuf_meta_set_blob(struct hdmabuf_meta *meta,
				      const void *data, size_t len)
{
	assert(meta);

	if (len > sizeof(meta->uapi.blob) || (!data && len)) {
		errno = EINVAL;
		return -1;
	}

	memset(meta->uapi.blob, 0, sizeof(meta->uapi.blob));
	if (len)
		memcpy(meta->uapi.blob, data, len);
	meta->uapi.blob_len = (uint32_t)len;
	return 0;
}

HDMABUF_API uint32_t hdmabuf_meta_get_fourcc(const struct hdmabuf_meta *meta)
{
	assert(meta);

	return meta->uapi.fourcc;
}

HDMABUF_API uint64_t hdmabuf_meta_get_modifier(const struct hdmabuf_meta *meta)
{
	assert(meta);

	return meta->uapi.modifier;
}

HDMABUF_API uint32_t hdmabuf_meta_get_width(const struct hdmabuf_meta *meta)
{
	assert(meta);

	return meta->uapi.width;
}

HDMABUF_API uint32_t hdmabuf_meta_get_height(const struct hdmabuf_meta *meta)
{
	assert(meta);

	return meta->uapi.height;
}

HDMABUF_API unsigned int
hdmabuf_meta_get_num_planes(const struct hdmabuf_meta *meta)
{
	assert(meta);

	return meta->uapi.num_planes;
}

HDMABUF_API int hdmabuf_meta_get_plane(const struct hdmabuf_meta *meta,
				       unsigned int index, uint32_t *offset,
				       uint32_t *stride)
{
	assert(meta);

	if (index >= meta->uapi.num_planes) {
		errno = EINVAL;
		return -1;
	}

	if (offset)
		*offset = meta->uapi.planes[index].offset;
	if (stride)
		*stride = meta->uapi.planes[index].stride;
	return 0;
}

HDMABUF_API const char *hdmabuf_meta_get_name(const struct hdmabuf_meta *meta)
{
	assert(meta);

	return meta->uapi.name;
}

HDMABUF_API const void *hdmabuf_meta_get_blob(const struct hdmabuf_meta *meta,
					      size_t *len)
{
	assert(meta && len);

	*len = meta->uapi.blob_len;
	return meta->uapi.blob;
}

const struct hyper_dmabuf_meta *
hdmabuf_meta_uapi(const struct hdmabuf_meta *meta)
{
	return &meta->uapi;
}

struct hyper_dmabuf_meta *hdmabuf_meta_uapi_mut(struct hdmabuf_meta *meta)
{
	return &meta->uapi;
}

/*
 * The getters promise a terminated name and counts within the arrays;
 * make sure of it whatever the module wrote.
 */
int hdmabuf_meta_check_uapi(struct hdmabuf_meta *meta)
{
	if (meta->uapi.num_planes > HYPER_DMABUF_MAX_PLANES ||
	    meta->uapi.blob_len > HYPER_DMABUF_BLOB_MAX) {
		errno = EPROTO;
		return -1;
	}
	meta->uapi.name[sizeof(meta->uapi.name) - 1] = '\0';
	return 0;
}
