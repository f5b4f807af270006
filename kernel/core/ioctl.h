/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HDMABUF_IOCTL_H
#define HDMABUF_IOCTL_H

#include <linux/compiler_types.h>
#include <linux/types.h>

struct dma_buf;
struct file;

long hdmabuf_ioctl(struct file *filp, unsigned int cmd, unsigned long arg);

/*
 * Give @dmabuf to the caller as a new fd written at @fd_field of @args,
 * then copy @args (@size bytes) out to @uarg; the fd exists only once the
 * copy succeeded. The reference to @dmabuf is the caller's no more.
 */
long hdmabuf_install_dmabuf(struct dma_buf *dmabuf, void __user *uarg,
			    void *args, size_t size, __s32 *fd_field);

#endif /* HDMABUF_IOCTL_H */
