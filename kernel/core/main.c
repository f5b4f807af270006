// SPDX-License-Identifier: GPL-2.0
/*
 * hyper_dmabuf: share dma-bufs between Xen domains.
 *
 * Module entry points, the /dev/hyper_dmabuf misc device and its ioctl
 * dispatch.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/hyper_dmabuf.h>

#include "transport.h"

static long ioctl_get_caps(void __user *uarg)
{
	struct hyper_dmabuf_caps caps;

	if (copy_from_user(&caps, uarg, sizeof(caps)))
		return -EFAULT;
	if (caps.flags || caps.reserved0 ||
	    memchr_inv(caps.reserved, 0, sizeof(caps.reserved)))
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

static long hdmabuf_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case HYPER_DMABUF_IOCTL_GET_CAPS:
		return ioctl_get_caps(uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations hdmabuf_fops = {
	.owner = THIS_MODULE,
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

static int __init hdmabuf_init(void)
{
	int ret;

	ret = hdmabuf_loopback_init();
	if (ret)
		return ret;
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
	return ret;
}

static void __exit hdmabuf_exit(void)
{
	misc_deregister(&hdmabuf_misc);
	hdmabuf_xen_exit();
	hdmabuf_loopback_exit();
}

module_init(hdmabuf_init);
module_exit(hdmabuf_exit);

MODULE_DESCRIPTION("Share dma-bufs between Xen domains");
MODULE_LICENSE("GPL");
MODULE_VERSION(HDMABUF_VERSION);
