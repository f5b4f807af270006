// SPDX-License-Identifier: GPL-2.0
/*
 * Reaching a dma-buf's pages: we attach our own device and map the
 * buffer, which also keeps its pages in place (an exporter may move or
 * swap out pages nobody has mapped).
 */
#include <linux/dma-buf.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "hdmabuf.h"
#include "pin.h"

static int collect_pages(struct hdmabuf_pin *pin, unsigned int flags)
{
	struct sg_page_iter iter;
	unsigned long i = 0;

	pin->npages = pin->dmabuf->size >> PAGE_SHIFT;
	if (!pin->npages || pin->dmabuf->size & ~PAGE_MASK)
		return -EINVAL;
	pin->pages = kvcalloc(pin->npages, sizeof(*pin->pages), GFP_KERNEL);
	if (!pin->pages)
		return -ENOMEM;
	for_each_sgtable_page(pin->sgt, &iter, 0) {
		if (i == pin->npages)
			break;
		pin->pages[i++] = sg_page_iter_page(&iter);
	}
	/* an exporter without struct pages behind its buffer cannot be used */
	if (i != pin->npages)
		return -EINVAL;
	while (i--) {
		if (!pin->pages[i] || !pfn_valid(page_to_pfn(pin->pages[i])))
			return -EINVAL;
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
	pin->attach = dma_buf_attach(pin->dmabuf, hdmabuf_dma_dev);
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
