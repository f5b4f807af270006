// SPDX-License-Identifier: GPL-2.0
/*
 * ALLOC: a dma-buf of the module's own, of system pages, so that a domain
 * with no other exporter can share memory.
 */
#include <linux/dma-buf.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "hdmabuf.h"
#include "pagebuf.h"

static unsigned int max_alloc_mb = 256;
module_param(max_alloc_mb, uint, 0644);
MODULE_PARM_DESC(max_alloc_mb, "Largest buffer ALLOC makes, in MiB");

struct alloc {
	struct hdmabuf_pagebuf_owner owner;
	struct page **pages;
	unsigned long npages;
};

static void alloc_free_pages(struct alloc *a, unsigned long n)
{
	while (n--)
		__free_page(a->pages[n]);
	kvfree(a->pages);
}

static void alloc_release(struct hdmabuf_pagebuf_owner *owner)
{
	struct alloc *a = container_of(owner, struct alloc, owner);

	alloc_free_pages(a, a->npages);
	atomic_long_sub(a->npages, &hdmabuf_stats.pages);
	atomic_long_dec(&hdmabuf_stats.allocs);
	kfree(a);
}

struct dma_buf *hdmabuf_alloc(struct hyper_dmabuf_alloc *args)
{
	struct dma_buf *dmabuf;
	struct alloc *a;
	unsigned long i;

	if (!args->size)
		return ERR_PTR(-EINVAL);
	if (args->size > (u64)max_alloc_mb << 20)
		return ERR_PTR(-E2BIG);
	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return ERR_PTR(-ENOMEM);
	a->npages = PAGE_ALIGN(args->size) >> PAGE_SHIFT;
	a->owner.release = alloc_release;
	a->pages = kvcalloc(a->npages, sizeof(*a->pages), GFP_KERNEL);
	if (!a->pages)
		goto err_free;
	for (i = 0; i < a->npages; i++) {
		a->pages[i] = alloc_page(GFP_HIGHUSER | __GFP_ZERO);
		if (!a->pages[i])
			goto err_pages;
	}
	dmabuf = hdmabuf_pagebuf_export(a->pages, a->npages, true, &a->owner);
	if (IS_ERR(dmabuf)) {
		alloc_free_pages(a, a->npages);
		kfree(a);
		return dmabuf;
	}
	atomic_long_inc(&hdmabuf_stats.allocs);
	atomic_long_add(a->npages, &hdmabuf_stats.pages);
	args->size = dmabuf->size;
	return dmabuf;

err_pages:
	alloc_free_pages(a, i);
	kfree(a);
	return ERR_PTR(-ENOMEM);
err_free:
	kfree(a);
	return ERR_PTR(-ENOMEM);
}
