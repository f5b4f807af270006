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

#endif /* HDMABUF_INTERNAL_H */
