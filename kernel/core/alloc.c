// SPDX-License-Identifier: GPL-2.0
/*
 * ALLOC: a dma-buf of the module's own, so that a domain with no other
 * exporter can share memory: system pages, or DMA memory (write-combined
 * or coherent) for hardware that needs it.
 */
#include <linux/dma-buf.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "dmamem.h"
#include "hdmabuf.h"
#include "pagebuf.h"

static unsigned int max_alloc_mb = 256;
module_param(max_alloc_mb, uint, 0644);
MODULE_PARM_DESC(max_alloc_mb, "Largest buffer ALLOC makes, in MiB");

struct alloc {
	struct hdmabuf_pagebuf_owner owner;
	struct page **pages;
	unsigned long npages;
	struct hdmabuf_dmamem mem;	/* with a MEM flag */
	bool dma;
};

static void alloc_free_pages(struct alloc *a, unsigned long n)
{
	while (n--)
		__free_page(a->pages[n]);
	kvfree(a->pages);
}

static void alloc_free(struct alloc *a)
{
	if (a->dma)
		hdmabuf_dmamem_free(&a->mem);
	else
		alloc_free_pages(a, a->npages);
	kfree(a);
}

static void alloc_release(struct hdmabuf_pagebuf_owner *owner)
{
	struct alloc *a = container_of(owner, struct alloc, owner);

	atomic_long_sub(a->npages, &hdmabuf_stats.pages);
	atomic_long_dec(&hdmabuf_stats.allocs);
	alloc_free(a);
}

static int alloc_mmap(struct hdmabuf_pagebuf_owner *owner,
		      struct vm_area_struct *vma)
{
	struct alloc *a = container_of(owner, struct alloc, owner);

	return hdmabuf_dmamem_mmap(&a->mem, vma);
}

/*
 * The pages are charged to the caller's memory cgroup: a user cannot take
 * more through the device than its limits allow.
 */
static int alloc_system(struct alloc *a)
{
	unsigned long i;

	a->pages = kvcalloc(a->npages, sizeof(*a->pages), GFP_KERNEL_ACCOUNT);
	if (!a->pages)
		return -ENOMEM;
	for (i = 0; i < a->npages; i++) {
		a->pages[i] = alloc_page(GFP_HIGHUSER | __GFP_ZERO |
					 __GFP_ACCOUNT);
		if (!a->pages[i] || fatal_signal_pending(current)) {
			alloc_free_pages(a, i + !!a->pages[i]);
			return -ENOMEM;
		}
		cond_resched();
	}
	return 0;
}

/* The DMA layer maps it for processes and for the kernel: we do not. */
static int alloc_dma(struct alloc *a, u32 flags)
{
	int ret = hdmabuf_dmamem_alloc(&a->mem, a->npages, flags);

	if (ret)
		return ret;
	a->dma = true;
	a->pages = a->mem.pages;
	a->owner.mmap = alloc_mmap;
	a->owner.vaddr = a->mem.vaddr;
	return 0;
}

struct dma_buf *hdmabuf_alloc(struct hyper_dmabuf_alloc *args)
{
	struct dma_buf *dmabuf;
	struct alloc *a;
	int ret;

	if (!args->size)
		return ERR_PTR(-EINVAL);
	if (args->size > (u64)max_alloc_mb << 20)
		return ERR_PTR(-E2BIG);
	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return ERR_PTR(-ENOMEM);
	a->npages = PAGE_ALIGN(args->size) >> PAGE_SHIFT;
	a->owner.release = alloc_release;
	ret = args->flags ? alloc_dma(a, args->flags) : alloc_system(a);
	if (ret) {
		kfree(a);
		return ERR_PTR(ret);
	}
	dmabuf = hdmabuf_pagebuf_export(a->pages, a->npages, true, &a->owner);
	if (IS_ERR(dmabuf)) {
		alloc_free(a);
		return dmabuf;
	}
	atomic_long_inc(&hdmabuf_stats.allocs);
	atomic_long_add(a->npages, &hdmabuf_stats.pages);
	args->size = dmabuf->size;
	return dmabuf;
}
