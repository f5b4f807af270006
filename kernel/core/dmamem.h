/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DMA memory of the module's device, write-combined or coherent: for
 * hardware that needs its buffers contiguous and mapped a certain way.
 */
#ifndef HDMABUF_DMAMEM_H
#define HDMABUF_DMAMEM_H

#include <linux/types.h>

struct page;
struct vm_area_struct;

struct hdmabuf_dmamem {
	void *vaddr;			/* the kernel's mapping */
	dma_addr_t dma;
	unsigned long attrs;
	unsigned long npages;
	/*
	 * Each page of it. They have no reference counts of their own:
	 * never get_page() them, map them by frame number.
	 */
	struct page **pages;
};

/* @mem_flags: one HYPER_DMABUF_MEM_* flag. Zeroed memory. */
int hdmabuf_dmamem_alloc(struct hdmabuf_dmamem *mem, unsigned long npages,
			 u32 mem_flags);
void hdmabuf_dmamem_free(struct hdmabuf_dmamem *mem);
/* Map it into a process the way the DMA layer says this memory wants. */
int hdmabuf_dmamem_mmap(struct hdmabuf_dmamem *mem, struct vm_area_struct *vma);

#endif /* HDMABUF_DMAMEM_H */
