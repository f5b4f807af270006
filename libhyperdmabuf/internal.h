/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * What the object files of libhyperdmabuf share. Not installed.
 */
#ifndef HDMABUF_INTERNAL_H
#define HDMABUF_INTERNAL_H

#include <hyperdmabuf.h>
#include <linux/hyper_dmabuf.h>

/* Marks a definition as part of the ABI; everything else stays hidden. */
#define HDMABUF_API __attribute__((visibility("default")))

int hdmabuf_ctx_ioctl(struct hdmabuf_ctx *ctx, unsigned long request,
		      void *arg);

/* Between the public id and the uAPI's, which have the same fields. */
void hdmabuf_id_to_uapi(const struct hdmabuf_id *id,
			struct hyper_dmabuf_id *uapi);
void hdmabuf_id_from_uapi(const struct hyper_dmabuf_id *uapi,
			  struct hdmabuf_id *id);

/* The uAPI structure inside a metadata object, for the calls carrying it. */
const struct hyper_dmabuf_meta *
hdmabuf_meta_uapi(const struct hdmabuf_meta *meta);
struct hyper_dmabuf_meta *hdmabuf_meta_uapi_mut(struct hdmabuf_meta *meta);
/* Checks metadata written by the module: 0, or -1 with EPROTO. */
int hdmabuf_meta_check_uapi(struct hdmabuf_meta *meta);

#endif /* HDMABUF_INTERNAL_H */
