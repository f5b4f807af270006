// SPDX-License-Identifier: GPL-2.0
/*
 * Checks of the metadata an exporter attaches to a buffer.
 */
#include <linux/string.h>
#include <drm/drm_fourcc.h>

#include "hdmabuf.h"

/* Lines in plane @plane of a @height-line image: chroma may be halved. */
static u64 plane_lines(u32 fourcc, unsigned int plane, u32 height)
{
	if (plane == 0)
		return height;
	switch (fourcc) {
	case DRM_FORMAT_NV12:
	case DRM_FORMAT_NV21:
	case DRM_FORMAT_YUV420:
	case DRM_FORMAT_YVU420:
	case DRM_FORMAT_P010:
		return DIV_ROUND_UP(height, 2);
	default:
		return height;
	}
}

int hdmabuf_meta_check(const struct hyper_dmabuf_meta *meta, u64 size)
{
	const struct hyper_dmabuf_plane *p;
	unsigned int i;

	if (meta->reserved0 || meta->num_planes > HYPER_DMABUF_MAX_PLANES ||
	    meta->blob_len > HYPER_DMABUF_BLOB_MAX ||
	    !memchr(meta->name, 0, sizeof(meta->name)))
		return -EINVAL;
	for (i = 0; i < HYPER_DMABUF_MAX_PLANES; i++) {
		p = &meta->planes[i];
		if (i >= meta->num_planes) {
			/* unused planes stay zero, so they can gain a meaning */
			if (p->offset || p->stride)
				return -EINVAL;
			continue;
		}
		if (p->offset >= size ||
		    p->offset + (u64)p->stride *
		    max_t(u64, plane_lines(meta->fourcc, i, meta->height), 1) > size)
			return -EINVAL;
	}
	return 0;
}
