// SPDX-License-Identifier: GPL-2.0
/*
 * The loopback transport: both ends of a share live in this kernel, so the
 * core can be exercised on any machine, Xen or not. Messages go through
 * the same encoding as between domains and are delivered at once, in the
 * sender's context; shared pages are named by a number in a table, and a
 * mapping holds its own reference on each page, as a foreign mapping
 * would keep a page from its owner.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>
#include <linux/hyper_dmabuf.h>

#include "hdmabuf.h"
#include "../proto/wire.h"
#include "transport.h"

struct lb_share {
	struct page **pages;
	unsigned long npages;
	bool writable;
	u32 handle;
};

struct lb_map {
	struct page **pages;
	unsigned long npages;
};

static DEFINE_XARRAY_ALLOC1(shares);
static atomic64_t msgs, dropped;
static struct dentry *inject_file;

static bool loopback_reaches(u32 domid)
{
	return domid == HYPER_DMABUF_DOMID_SELF;
}

/* Sent and received at once: one count serves for both. */
static void deliver(const void *msg, size_t len)
{
	atomic64_inc(&msgs);
	if (hdmabuf_peer_receive(HYPER_DMABUF_DOMID_SELF, msg, len))
		atomic64_inc(&dropped);
}

static int loopback_send(u32 domid, const void *msg, size_t len)
{
	deliver(msg, len);
	return 0;
}

static unsigned int loopback_peers(struct hyper_dmabuf_peer *peers,
				   unsigned int capacity)
{
	if (capacity) {
		memset(peers, 0, sizeof(*peers));
		peers->domid = HYPER_DMABUF_DOMID_SELF;
		peers->state = HYPER_DMABUF_PEER_UP;
		peers->sent = atomic64_read(&msgs);
		peers->received = peers->sent;
		peers->dropped = atomic64_read(&dropped);
	}
	return 1;
}

static int loopback_share(u32 domid, struct page **pages, unsigned long npages,
			  bool writable, u64 *handle, void **cookie)
{
	struct lb_share *share = kzalloc(sizeof(*share), GFP_KERNEL);
	int ret;

	if (!share)
		return -ENOMEM;
	share->pages = pages;
	share->npages = npages;
	share->writable = writable;
	ret = xa_alloc(&shares, &share->handle, share, xa_limit_32b,
		       GFP_KERNEL);
	if (ret) {
		kfree(share);
		return ret;
	}
	*handle = share->handle;
	*cookie = share;
	return 0;
}

static void loopback_unshare(void *cookie, void (*gone)(void *data),
			     void *data)
{
	struct lb_share *share = cookie;

	/*
	 * An import holds a reference to the export itself, so no import
	 * is left when its share ends: nothing waits here.
	 */
	xa_erase(&shares, share->handle);
	kfree(share);
	gone(data);
}

static int loopback_map(u32 domid, u64 handle, unsigned long npages,
			bool writable, struct page ***pages, void **cookie)
{
	struct lb_share *share;
	struct lb_map *map;
	unsigned long i;
	int ret = 0;

	map = kzalloc(sizeof(*map), GFP_KERNEL);
	if (!map)
		return -ENOMEM;
	map->pages = kvcalloc(npages, sizeof(*map->pages), GFP_KERNEL);
	if (!map->pages) {
		kfree(map);
		return -ENOMEM;
	}
	/* the lock keeps unshare from freeing the entry while we copy */
	xa_lock(&shares);
	share = handle <= U32_MAX ? xa_load(&shares, handle) : NULL;
	if (!share || share->npages != npages)
		ret = -ENOENT;
	else if (writable && !share->writable)
		ret = -EACCES;
	for (i = 0; !ret && i < npages; i++) {
		map->pages[i] = share->pages[i];
		get_page(map->pages[i]);
	}
	xa_unlock(&shares);
	if (ret) {
		kvfree(map->pages);
		kfree(map);
		return ret;
	}
	map->npages = npages;
	*pages = map->pages;
	*cookie = map;
	return 0;
}

static void loopback_unmap(void *cookie)
{
	struct lb_map *map = cookie;
	unsigned long i;

	for (i = 0; i < map->npages; i++)
		put_page(map->pages[i]);
	kvfree(map->pages);
	kfree(map);
}

/*
 * debugfs hyper_dmabuf/loopback_inject: each write is one message, as if
 * the loopback peer had sent it. Tests use it to play a peer that sends
 * what a real one would not; only root can write it.
 */
static ssize_t inject_write(struct file *file, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	u8 *buf;

	if (len > HDMABUF_WIRE_MAX)
		return -EMSGSIZE;
	buf = memdup_user(ubuf, len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	deliver(buf, len);
	kfree(buf);
	return len;
}

static const struct file_operations inject_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = inject_write,
	.llseek = no_llseek,
};

static const struct hdmabuf_transport loopback_transport = {
	.name = "loopback",
	.id = HYPER_DMABUF_TRANSPORT_LOOPBACK,
	.reaches = loopback_reaches,
	.send = loopback_send,
	.share = loopback_share,
	.unshare = loopback_unshare,
	.map = loopback_map,
	.unmap = loopback_unmap,
	.peers = loopback_peers,
};

int hdmabuf_loopback_init(void)
{
	int ret = hdmabuf_transport_register(&loopback_transport,
					     HYPER_DMABUF_DOMID_SELF);

	if (!ret)
		inject_file = debugfs_create_file("loopback_inject", 0200,
						  hdmabuf_debugfs_dir, NULL,
						  &inject_fops);
	return ret;
}

void hdmabuf_loopback_exit(void)
{
	debugfs_remove(inject_file);
	hdmabuf_transport_unregister(&loopback_transport);
	WARN_ON(!xa_empty(&shares));
}
