// SPDX-License-Identifier: GPL-2.0
/*
 * DMA memory from the DMA layer for the module's own device: what ALLOC
 * gives with a HYPER_DMABUF_MEM_* flag, and what a Xen domain puts
 * another domain's pages on for EXP_FROM_REFS with one.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <xen/xen.h>
#ifdef CONFIG_X86
#include <asm/set_memory.h>
#endif

#include "dmamem.h"
#include "hdmabuf.h"

/* Where the DMA layer mapped it for the kernel: linear map or remapped. */
static struct page *page_at(const void *addr)
{
	return is_vmalloc_addr(addr) ? vmalloc_to_page(addr) :
				       virt_to_page(addr);
}

int hdmabuf_dmamem_alloc(struct hdmabuf_dmamem *mem, unsigned long npages,
			 u32 mem_flags)
{
	size_t size = npages << PAGE_SHIFT;
	unsigned long i;

	/*
	 * Xen refuses a PV domain without I/O privileges any cache attribute
	 * in its page tables: write-combining cannot be had there.
	 */
	if (mem_flags & HYPER_DMABUF_MEM_WC && xen_pv_domain() &&
	    !xen_initial_domain())
		return -EOPNOTSUPP;
	mem->npages = npages;
	mem->attrs = mem_flags & HYPER_DMABUF_MEM_WC ? DMA_ATTR_WRITE_COMBINE : 0;
	mem->pages = kvcalloc(npages, sizeof(*mem->pages), GFP_KERNEL);
	if (!mem->pages)
		return -ENOMEM;
	/*
	 * Zeroed: nothing of ours leaks through it to a device or a domain.
	 * Charged to the caller's memory cgroup, as ALLOC's system pages are.
	 */
	mem->vaddr = dma_alloc_attrs(hdmabuf_dma_dev, size, &mem->dma,
				     GFP_KERNEL | __GFP_NOWARN | __GFP_ACCOUNT,
				     mem->attrs);
	if (!mem->vaddr) {
		pr_info_ratelimited("no DMA memory of %zu bytes to be had\n",
				    size);
		kvfree(mem->pages);
		return -ENOMEM;
	}
	for (i = 0; i < npages; i++) {
		mem->pages[i] = page_at(mem->vaddr + (i << PAGE_SHIFT));
		/* memory with no struct page (a device's own) is of no use */
		if (!mem->pages[i]) {
			hdmabuf_dmamem_free(mem);
			return -EOPNOTSUPP;
		}
	}
	/*
	 * Our device is DMA-coherent, so the DMA layer ignores the request
	 * for write-combining. x86 keeps the memory type of RAM in the page
	 * and gives every mapping that one: make it write-combining there.
	 */
#ifdef CONFIG_X86
	if (mem->attrs & DMA_ATTR_WRITE_COMBINE &&
	    set_memory_wc((unsigned long)mem->vaddr, npages)) {
		mem->attrs = 0;
		hdmabuf_dmamem_free(mem);
		return -ENOMEM;
	}
#endif
	return 0;
}

void hdmabuf_dmamem_free(struct hdmabuf_dmamem *mem)
{
#ifdef CONFIG_X86
	if (mem->attrs & DMA_ATTR_WRITE_COMBINE)
		set_memory_wb((unsigned long)mem->vaddr, mem->npages);
#endif
	dma_free_attrs(hdmabuf_dma_dev, mem->npages << PAGE_SHIFT, mem->vaddr,
		       mem->dma, mem->attrs);
	kvfree(mem->pages);
}

int hdmabuf_dmamem_mmap(struct hdmabuf_dmamem *mem, struct vm_area_struct *vma)
{
	/* as above: the DMA layer would map it write-back */
	if (mem->attrs & DMA_ATTR_WRITE_COMBINE)
		vma->vm_page_prot = pgprot_writecombine(vma->vm_page_prot);
	return dma_mmap_attrs(hdmabuf_dma_dev, vma, mem->vaddr, mem->dma,
			      mem->npages << PAGE_SHIFT, mem->attrs);
}
