// SPDX-License-Identifier: GPL-2.0
/*
 * Reaching a dma-buf's pages: we attach a device of our own and map the
 * buffer, which also keeps its pages in place (an exporter may move or
 * swap out pages nobody has mapped).
 *
 * That device is no hardware: it never does DMA. Mapping for it only
 * records where each page is, without the translation or bouncing the
 * platform's DMA layer does for real devices; swiotlb-xen in a PV domain
 * would refuse a segment of pages that are next to each other for the
 * kernel but not in the machine, and a buffer would fail for it.
 *
 * The pages are found from the DMA addresses of that mapping, which for
 * this device are physical addresses, never from sg_page(): the pages of
 * an importer's table are the exporter's business, and kernels built with
 * CONFIG_DMABUF_DEBUG scramble them to catch importers that look.
 */
#include <linux/dma-buf.h>
#include <linux/dma-map-ops.h>
#include <linux/mm.h>
#include <linux/platform_device.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include "hdmabuf.h"
#include "pin.h"

static struct platform_device *pin_pdev;

static dma_addr_t pin_map_page(struct device *dev, struct page *page,
			       unsigned long offset, size_t size,
			       enum dma_data_direction dir, unsigned long attrs)
{
	return page_to_phys(page) + offset;
}

static int pin_map_sg(struct device *dev, struct scatterlist *sgl, int nents,
		      enum dma_data_direction dir, unsigned long attrs)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i) {
		sg_dma_address(sg) = sg_phys(sg);
		sg_dma_len(sg) = sg->length;
	}
	return nents;
}

static const struct dma_map_ops pin_dma_ops = {
	.map_page = pin_map_page,
	.map_sg = pin_map_sg,
};

int hdmabuf_pin_init(void)
{
	int ret;

	pin_pdev = platform_device_register_simple(KBUILD_MODNAME "-pin",
						   PLATFORM_DEVID_NONE,
						   NULL, 0);
	if (IS_ERR(pin_pdev))
		return PTR_ERR(pin_pdev);
	set_dma_ops(&pin_pdev->dev, &pin_dma_ops);
	ret = dma_coerce_mask_and_coherent(&pin_pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		platform_device_unregister(pin_pdev);
	return ret;
}

void hdmabuf_pin_exit(void)
{
	platform_device_unregister(pin_pdev);
}

static int collect_pages(struct hdmabuf_pin *pin, unsigned int flags)
{
	struct sg_dma_page_iter iter;
	unsigned long i = 0;
	dma_addr_t addr;

	pin->npages = pin->dmabuf->size >> PAGE_SHIFT;
	if (!pin->npages || pin->dmabuf->size & ~PAGE_MASK)
		return -EINVAL;
	pin->pages = kvcalloc(pin->npages, sizeof(*pin->pages), GFP_KERNEL);
	if (!pin->pages)
		return -ENOMEM;
	for_each_sgtable_dma_page(pin->sgt, &iter, 0) {
		if (i == pin->npages)
			break;
		addr = sg_page_iter_dma_address(&iter);
		/* an exporter without struct pages behind its buffer */
		if (offset_in_page(addr) || !pfn_valid(PHYS_PFN(addr)))
			return -EINVAL;
		pin->pages[i++] = pfn_to_page(PHYS_PFN(addr));
	}
	if (i != pin->npages)
		return -EINVAL;
	while (i--) {
		/* the tail of a DMA allocation: a reference would free it */
		if (flags & HDMABUF_PIN_COUNTED && !page_count(pin->pages[i]))
			return -EOPNOTSUPP;
	}
	return 0;
}

int hdmabuf_pin(struct hdmabuf_pin *pin, int fd, unsigned int flags)
{
	int ret;

	pin->dmabuf = dma_buf_get(fd);
	if (IS_ERR(pin->dmabuf))
		return PTR_ERR(pin->dmabuf);
	if (flags & HDMABUF_PIN_WRITE &&
	    !(pin->dmabuf->file->f_mode & FMODE_WRITE)) {
		ret = -EACCES;
		goto err_put;
	}
	pin->attach = dma_buf_attach(pin->dmabuf, &pin_pdev->dev);
	if (IS_ERR(pin->attach)) {
		ret = PTR_ERR(pin->attach);
		goto err_put;
	}
	pin->sgt = dma_buf_map_attachment_unlocked(pin->attach,
						   DMA_BIDIRECTIONAL);
	if (IS_ERR(pin->sgt)) {
		ret = PTR_ERR(pin->sgt);
		goto err_detach;
	}
	ret = collect_pages(pin, flags);
	if (ret)
		goto err_unmap;
	return 0;

err_unmap:
	kvfree(pin->pages);
	dma_buf_unmap_attachment_unlocked(pin->attach, pin->sgt,
					  DMA_BIDIRECTIONAL);
err_detach:
	dma_buf_detach(pin->dmabuf, pin->attach);
err_put:
	dma_buf_put(pin->dmabuf);
	return ret;
}

void hdmabuf_unpin(struct hdmabuf_pin *pin)
{
	dma_buf_unmap_attachment_unlocked(pin->attach, pin->sgt,
					  DMA_BIDIRECTIONAL);
	dma_buf_detach(pin->dmabuf, pin->attach);
	dma_buf_put(pin->dmabuf);
	kvfree(pin->pages);
}
