// SPDX-License-Identifier: GPL-2.0
/*
 * The ioctls of /dev/hyper_dmabuf: copy in, check what only the ABI
 * knows (flags, reserved fields), call the core, copy out.
 */
#include <linux/dma-buf.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sync_file.h>
#include <linux/uaccess.h>

#include "hdmabuf.h"
#include "ioctl.h"
#include "transport.h"

#define EXPORT_FLAGS (HYPER_DMABUF_EXPORT_RW | HYPER_DMABUF_EXPORT_PERSISTENT)

static long ioctl_get_caps(void __user *uarg)
{
	struct hyper_dmabuf_caps caps;

	if (copy_from_user(&caps, uarg, sizeof(caps)))
		return -EFAULT;
	if (caps.flags || caps.reserved0 ||
	    !hdmabuf_zeroed(caps.reserved, sizeof(caps.reserved)))
		return -EINVAL;

	memset(&caps, 0, sizeof(caps));
	caps.api_version = HYPER_DMABUF_API_VERSION;
	strscpy(caps.module_version, HDMABUF_VERSION,
		sizeof(caps.module_version));
	hdmabuf_transport_describe(&caps);

	if (copy_to_user(uarg, &caps, sizeof(caps)))
		return -EFAULT;
	return 0;
}

long hdmabuf_install_dmabuf(struct dma_buf *dmabuf, void __user *uarg,
			    void *args, size_t size, __s32 *fd_field)
{
	int fd = get_unused_fd_flags(O_CLOEXEC);

	if (fd < 0) {
		dma_buf_put(dmabuf);
		return fd;
	}
	*fd_field = fd;
	if (copy_to_user(uarg, args, size)) {
		put_unused_fd(fd);
		dma_buf_put(dmabuf);
		return -EFAULT;
	}
	fd_install(fd, dmabuf->file);
	return 0;
}

static long ioctl_alloc(void __user *uarg)
{
	struct hyper_dmabuf_alloc args;
	struct dma_buf *dmabuf;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (!hdmabuf_mem_flags_valid(args.flags) ||
	    !hdmabuf_zeroed(args.reserved, sizeof(args.reserved)))
		return -EINVAL;
	dmabuf = hdmabuf_alloc(&args);
	if (IS_ERR(dmabuf))
		return PTR_ERR(dmabuf);
	return hdmabuf_install_dmabuf(dmabuf, uarg, &args, sizeof(args), &args.fd);
}

static long ioctl_export(struct hdmabuf_file *file, void __user *uarg)
{
	struct hyper_dmabuf_export args;
	struct hyper_dmabuf_meta *meta = NULL;
	long ret;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.flags & ~EXPORT_FLAGS || args.reserved0 ||
	    !hdmabuf_zeroed(args.reserved, sizeof(args.reserved)))
		return -EINVAL;
	if (args.meta) {
		meta = memdup_user(u64_to_user_ptr(args.meta), sizeof(*meta));
		if (IS_ERR(meta))
			return PTR_ERR(meta);
	}
	ret = hdmabuf_export(file, &args, meta);
	kfree(meta);
	if (ret)
		return ret;
	if (copy_to_user(uarg, &args, sizeof(args))) {
		struct hyper_dmabuf_unexport undo = { .id = args.id };

		hdmabuf_unexport(file, &undo);
		return -EFAULT;
	}
	return 0;
}

static long ioctl_import(struct hdmabuf_file *file, void __user *uarg)
{
	struct hyper_dmabuf_import args;
	struct hyper_dmabuf_meta *meta;
	struct dma_buf *dmabuf;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.flags || args.reserved0 ||
	    !hdmabuf_zeroed(args.reserved, sizeof(args.reserved)))
		return -EINVAL;
	meta = kmalloc(sizeof(*meta), GFP_KERNEL);
	if (!meta)
		return -ENOMEM;
	dmabuf = hdmabuf_import(file, &args, meta);
	if (IS_ERR(dmabuf)) {
		kfree(meta);
		return PTR_ERR(dmabuf);
	}
	if (args.meta && copy_to_user(u64_to_user_ptr(args.meta), meta,
				      sizeof(*meta))) {
		kfree(meta);
		dma_buf_put(dmabuf);
		return -EFAULT;
	}
	kfree(meta);
	return hdmabuf_install_dmabuf(dmabuf, uarg, &args, sizeof(args), &args.fd);
}

static long ioctl_unexport(struct hdmabuf_file *file, void __user *uarg)
{
	struct hyper_dmabuf_unexport args;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.flags || !hdmabuf_zeroed(args.reserved, sizeof(args.reserved)))
		return -EINVAL;
	return hdmabuf_unexport(file, &args);
}

static long ioctl_query(struct hdmabuf_file *file, void __user *uarg)
{
	struct hyper_dmabuf_query args;
	int ret;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.flags || args.reserved0)
		return -EINVAL;
	ret = hdmabuf_export_query(file, &args.id, &args.info);
	if (ret == -ENOENT)
		ret = hdmabuf_import_query(file, &args.id, &args.info);
	if (ret)
		return ret;
	return copy_to_user(uarg, &args, sizeof(args)) ? -EFAULT : 0;
}

/* More than any domain holds; bounds the kernel's buffer. */
#define LIST_CAPACITY_MAX	65536
#define PEERS_CAPACITY_MAX	32768	/* Xen has fewer domain ids */

/*
 * LIST and PEERS: @fill writes at most @cap entries of @size bytes into
 * @table, as @file may see them, and returns how many there are; the
 * caller's array at @entries gets min(count, capacity) of them.
 */
static long copy_table(struct hdmabuf_file *file, u64 entries, u32 capacity,
		       u32 *count, size_t size, unsigned int cap_max,
		       unsigned int (*fill)(struct hdmabuf_file *file,
					    void *table, unsigned int cap))
{
	unsigned int cap = min_t(u32, capacity, cap_max), n;
	void *table = NULL;
	long ret = 0;

	if (cap) {
		table = kvcalloc(cap, size, GFP_KERNEL);
		if (!table)
			return -ENOMEM;
	}
	n = fill(file, table, cap);
	*count = n;
	if (copy_to_user(u64_to_user_ptr(entries), table, min(n, cap) * size))
		ret = -EFAULT;
	kvfree(table);
	return ret;
}

/* Every export, then every import @file may see. */
static unsigned int fill_buffers(struct hdmabuf_file *file, void *table,
				 unsigned int cap)
{
	struct hyper_dmabuf_info *infos = table;
	unsigned int n = hdmabuf_exports_list(file, infos, cap);

	return n + hdmabuf_imports_list(file,
					infos ? infos + min(n, cap) : NULL,
					cap - min(n, cap));
}

/* Every peer, for any opener: peers are no secret of a buffer's. */
static unsigned int fill_peers(struct hdmabuf_file *file, void *table,
			       unsigned int cap)
{
	return hdmabuf_transport_peers(table, cap);
}

static long ioctl_list(struct hdmabuf_file *file, void __user *uarg)
{
	struct hyper_dmabuf_list args;
	long ret;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.flags || args.reserved0 ||
	    !hdmabuf_zeroed(args.reserved, sizeof(args.reserved)))
		return -EINVAL;
	ret = copy_table(file, args.entries, args.capacity, &args.count,
			 sizeof(struct hyper_dmabuf_info), LIST_CAPACITY_MAX,
			 fill_buffers);
	if (!ret && copy_to_user(uarg, &args, sizeof(args)))
		ret = -EFAULT;
	return ret;
}

static long ioctl_peers(struct hdmabuf_file *file, void __user *uarg)
{
	struct hyper_dmabuf_peers args;
	long ret;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.flags || args.reserved0 ||
	    !hdmabuf_zeroed(args.reserved, sizeof(args.reserved)))
		return -EINVAL;
	ret = copy_table(file, args.entries, args.capacity, &args.count,
			 sizeof(struct hyper_dmabuf_peer), PEERS_CAPACITY_MAX,
			 fill_peers);
	if (!ret && copy_to_user(uarg, &args, sizeof(args)))
		ret = -EFAULT;
	return ret;
}

static long ioctl_revoke(struct hdmabuf_file *file, void __user *uarg)
{
	struct hyper_dmabuf_revoke args;
	int ret;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.flags || args.reserved0 ||
	    !hdmabuf_zeroed(args.reserved, sizeof(args.reserved)))
		return -EINVAL;
	ret = hdmabuf_revoke(file, &args);
	if (ret)
		return ret;
	return copy_to_user(uarg, &args, sizeof(args)) ? -EFAULT : 0;
}

static long ioctl_signal(struct hdmabuf_file *file, void __user *uarg)
{
	struct hyper_dmabuf_signal args;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.flags || args.reserved0 ||
	    !hdmabuf_zeroed(args.reserved, sizeof(args.reserved)))
		return -EINVAL;
	return hdmabuf_signal(file, &args);
}

static long ioctl_wait(struct hdmabuf_file *file, void __user *uarg)
{
	struct hyper_dmabuf_wait args;
	struct dma_fence *fence = NULL;
	struct sync_file *sync;
	int fd, ret;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.flags & ~HYPER_DMABUF_WAIT_SYNC_FILE || args.reserved0 ||
	    !hdmabuf_zeroed(args.reserved, sizeof(args.reserved)))
		return -EINVAL;
	args.fence_fd = -1;
	ret = hdmabuf_wait(file, &args, &fence);
	if (ret && ret != -ETIMEDOUT)
		return ret;
	if (!fence)
		return copy_to_user(uarg, &args, sizeof(args)) ? -EFAULT : ret;

	sync = sync_file_create(fence);
	dma_fence_put(fence);
	if (!sync)
		return -ENOMEM;
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		fput(sync->file);
		return fd;
	}
	args.fence_fd = fd;
	if (copy_to_user(uarg, &args, sizeof(args))) {
		put_unused_fd(fd);
		fput(sync->file);
		return -EFAULT;
	}
	fd_install(fd, sync->file);
	return 0;
}

long hdmabuf_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct hdmabuf_file *file = filp->private_data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case HYPER_DMABUF_IOCTL_GET_CAPS:
		return ioctl_get_caps(uarg);
	case HYPER_DMABUF_IOCTL_ALLOC:
		return ioctl_alloc(uarg);
	case HYPER_DMABUF_IOCTL_EXPORT:
		return ioctl_export(file, uarg);
	case HYPER_DMABUF_IOCTL_IMPORT:
		return ioctl_import(file, uarg);
	case HYPER_DMABUF_IOCTL_UNEXPORT:
		return ioctl_unexport(file, uarg);
	case HYPER_DMABUF_IOCTL_QUERY:
		return ioctl_query(file, uarg);
	case HYPER_DMABUF_IOCTL_LIST:
		return ioctl_list(file, uarg);
	case HYPER_DMABUF_IOCTL_REVOKE:
		return ioctl_revoke(file, uarg);
	case HYPER_DMABUF_IOCTL_SIGNAL:
		return ioctl_signal(file, uarg);
	case HYPER_DMABUF_IOCTL_WAIT:
		return ioctl_wait(file, uarg);
	case HYPER_DMABUF_IOCTL_PEERS:
		return ioctl_peers(file, uarg);
	default:
		return hdmabuf_transport_ioctl(file, cmd, uarg);
	}
}
