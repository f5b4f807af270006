/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HDMABUF_IOCTL_H
#define HDMABUF_IOCTL_H

struct file;

long hdmabuf_ioctl(struct file *filp, unsigned int cmd, unsigned long arg);

#endif /* HDMABUF_IOCTL_H */
