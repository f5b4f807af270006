// SPDX-License-Identifier: GPL-2.0
/*
 * hyper_dmabuf: share dma-bufs between Xen domains.
 *
 * Module entry points and the /dev/hyper_dmabuf misc device.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/dma-mapping.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>

#include "hdmabuf.h"
#include "ioctl.h"
#include "peer.h"
#include "pin.h"
#include "rogue.h"
#include "transport.h"
#include "xrefs.h"

struct device *hdmabuf_dma_dev;
u32 hdmabuf_local_domid = HYPER_DMABUF_DOMID_SELF;
static struct platform_device *dma_pdev;

static int hdmabuf_open(struct inode *inode, struct file *filp)
{
	struct hdmabuf_file *file = kzalloc(sizeof(*file), GFP_KERNEL);
	int ret;

	if (!file)
		return -ENOMEM;
	INIT_LIST_HEAD(&file->exports);
	INIT_LIST_HEAD(&file->holds);
	/*
	 * Who opened it, as f_cred says: current's credentials are those
	 * now. Not audited: a user without the capability is no failure.
	 */
	file->uid = filp->f_cred->euid;
	file->admin = ns_capable_noaudit(&init_user_ns, CAP_SYS_ADMIN);
	ret = hdmabuf_events_open(&file->events);
	if (ret)
		goto err_free;
	ret = hdmabuf_xrefs_open(file);
	if (ret)
		goto err_events;
	filp->private_data = file;
	return 0;

err_events:
	hdmabuf_events_close(&file->events);
err_free:
	kfree(file);
	return ret;
}

static int hdmabuf_release(struct inode *inode, struct file *filp)
{
	struct hdmabuf_file *file = filp->private_data;

	hdmabuf_xrefs_release(file);
	hdmabuf_file_release(file);
	hdmabuf_holds_release(file);
	hdmabuf_events_close(&file->events);
	kfree(file);
	return 0;
}

static ssize_t hdmabuf_read(struct file *filp, char __user *buf, size_t len,
			    loff_t *off)
{
	struct hdmabuf_file *file = filp->private_data;

	return hdmabuf_events_read(&file->events, buf, len,
				   filp->f_flags & O_NONBLOCK);
}

static __poll_t hdmabuf_poll(struct file *filp, poll_table *wait)
{
	struct hdmabuf_file *file = filp->private_data;

	return hdmabuf_events_poll(&file->events, filp, wait);
}

static const struct file_operations hdmabuf_fops = {
	.owner = THIS_MODULE,
	.open = hdmabuf_open,
	.release = hdmabuf_release,
	.read = hdmabuf_read,
	.poll = hdmabuf_poll,
	.unlocked_ioctl = hdmabuf_ioctl,
	/* every argument is fixed-width: 32-bit callers need no translation */
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice hdmabuf_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "hyper_dmabuf",
	.fops = &hdmabuf_fops,
	.mode = 0600,
};

/* DMA memory (ALLOC with a MEM flag) is this device's. */
static int dma_dev_init(void)
{
	int ret;

	dma_pdev = platform_device_register_simple(KBUILD_MODNAME,
						   PLATFORM_DEVID_NONE,
						   NULL, 0);
	if (IS_ERR(dma_pdev))
		return PTR_ERR(dma_pdev);
	ret = dma_coerce_mask_and_coherent(&dma_pdev->dev, DMA_BIT_MASK(64));
	if (ret) {
		platform_device_unregister(dma_pdev);
		return ret;
	}
	hdmabuf_dma_dev = &dma_pdev->dev;
	return 0;
}

static int __init hdmabuf_init(void)
{
	int ret;

	ret = hdmabuf_rogue_init();
	if (ret)
		return ret;
	ret = dma_dev_init();
	if (ret)
		goto err_rogue;
	ret = hdmabuf_pin_init();
	if (ret)
		goto err_dma;
	/* first: the transports add files of their own to debugfs */
	hdmabuf_stats_init();
	ret = hdmabuf_loopback_init();
	if (ret)
		goto err_stats;
	ret = hdmabuf_xen_init();
	if (ret)
		goto err_loopback;
	ret = misc_register(&hdmabuf_misc);
	if (ret)
		goto err_xen;
	pr_info("version %s loaded\n", HDMABUF_VERSION);
	return 0;

err_xen:
	hdmabuf_xen_exit();
err_loopback:
	hdmabuf_loopback_exit();
err_stats:
	hdmabuf_stats_exit();
	hdmabuf_pin_exit();
err_dma:
	platform_device_unregister(dma_pdev);
err_rogue:
	hdmabuf_rogue_exit();
	return ret;
}

static void __exit hdmabuf_exit(void)
{
	misc_deregister(&hdmabuf_misc);
	hdmabuf_exports_exit();
	hdmabuf_xen_exit();
	hdmabuf_loopback_exit();
	hdmabuf_receive_exit();
	hdmabuf_rogue_exit();
	hdmabuf_stats_exit();
	hdmabuf_pin_exit();
	platform_device_unregister(dma_pdev);
}

module_init(hdmabuf_init);
module_exit(hdmabuf_exit);

MODULE_DESCRIPTION("Share dma-bufs between Xen domains");
MODULE_LICENSE("GPL");
MODULE_VERSION(HDMABUF_VERSION);
MODULE_IMPORT_NS(DMA_BUF);
