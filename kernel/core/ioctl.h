/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HDMABUF_IOCTL_H
#define HDMABUF_IOCTL_H

#include <linux/compiler_types.h>
#include <linux/types.h>

struct file;

long hdmabuf_ioctl(struct file *filp, unsigned int cmd, unsigned long arg);

/*
 * Give @f (a dma-buf's, a sync_file's) to the caller as a new fd written
 * at @fd_field of @args, then copy @args (@size bytes) out to @uarg; the
 * fd exists only once the copy succeeded. The reference to @f is the
 * caller's no more.
 */
long hdmabuf_install_file(struct file *f, void __user *uarg, void *args,
			  size_t size, __s32 *fd_field);

#endif /* HDMABUF_IOCTL_H */
