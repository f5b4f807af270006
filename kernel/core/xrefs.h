/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The uAPI's Xen group (kernel/xen/refs.c): grant references to dma-bufs
 * and back. No transport's, a feature beside them: the ioctl table calls
 * it directly, and an open of the device has its own state of it, made at
 * open, ended at release. Off Xen it is absent: each call fails with
 * ENODEV, and a file has no state of it.
 */
#ifndef HDMABUF_XREFS_H
#define HDMABUF_XREFS_H

#include <linux/compiler_types.h>
#include <linux/errno.h>
#include <linux/types.h>

struct hdmabuf_file;

/* The numbers of the group: 0x20 to 0x2f. */
#define HDMABUF_XREFS_IOC_FIRST	0x20
#define HDMABUF_XREFS_IOC_LAST	0x2f

#if IS_ENABLED(CONFIG_XEN)
/* @file's state of the group, when this is a Xen domain; 0 or -ENOMEM. */
int hdmabuf_xrefs_open(struct hdmabuf_file *file);
/* Its grants end; its dma-bufs live on, waited for by nobody. */
void hdmabuf_xrefs_release(struct hdmabuf_file *file);
/* Whether @file has the group at all; else its calls fail with ENODEV. */
bool hdmabuf_xrefs_present(const struct hdmabuf_file *file);
/* Whether the caller may use it through @file; else EPERM. */
bool hdmabuf_xrefs_permitted(const struct hdmabuf_file *file);
/* The calls, on the kernel's copy @arg of their argument (ioctl.c). */
long hdmabuf_xrefs_exp_from_refs(struct hdmabuf_file *file, void *arg,
				 void __user *uarg);
long hdmabuf_xrefs_exp_wait_released(struct hdmabuf_file *file, void *arg,
				     void __user *uarg);
long hdmabuf_xrefs_imp_to_refs(struct hdmabuf_file *file, void *arg,
			       void __user *uarg);
long hdmabuf_xrefs_imp_release(struct hdmabuf_file *file, void *arg,
			       void __user *uarg);
#else
static inline int hdmabuf_xrefs_open(struct hdmabuf_file *file)
{
	return 0;
}

static inline void hdmabuf_xrefs_release(struct hdmabuf_file *file) { }

static inline bool hdmabuf_xrefs_present(const struct hdmabuf_file *file)
{
	return false;
}

static inline bool hdmabuf_xrefs_permitted(const struct hdmabuf_file *file)
{
	return false;
}

/* its calls are no entries of the ioctl table: ioctl.c answers ENODEV */
#endif

#endif /* HDMABUF_XREFS_H */
