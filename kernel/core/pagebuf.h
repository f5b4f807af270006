/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A dma-buf over an array of pages: what ALLOC hands out and what an import
 * becomes. The owner supplies the pages and learns of the release.
 */
#ifndef HDMABUF_PAGEBUF_H
#define HDMABUF_PAGEBUF_H

#include <linux/types.h>

struct dma_buf;
struct page;
struct vm_area_struct;

struct hdmabuf_pagebuf_owner {
	/* the dma-buf is gone: nobody uses the pages any more */
	void (*release)(struct hdmabuf_pagebuf_owner *owner);
	/*
	 * Optional: pages that cannot be put in page tables by fault are
	 * mapped by the owner, which sets the vma's operations; such a
	 * buffer has no vmap.
	 */
	int (*mmap)(struct hdmabuf_pagebuf_owner *owner,
		    struct vm_area_struct *vma);
	/* Optional: the kernel mapping the owner has already; vmap gives it. */
	void *vaddr;
	/*
	 * Devices map the pages one by one: pages next to each other here
	 * may be far apart in the machine (another domain's).
	 */
	bool page_segments;
	/*
	 * Processes map the pages by frame number, taking no reference:
	 * for pages without counts of their own (DMA memory), and for pages
	 * that are not ours to lend (another domain's), which nothing may
	 * pin past the buffer's release (get_user_pages: O_DIRECT,
	 * vmsplice). No private writable mapping of them is allowed.
	 */
	bool pfn_map;
};

/*
 * Export @npages pages as a dma-buf, read-write or read-only. The pages
 * must stay valid until @owner->release runs.
 */
struct dma_buf *hdmabuf_pagebuf_export(struct page **pages,
				       unsigned long npages, bool writable,
				       struct hdmabuf_pagebuf_owner *owner);

/*
 * Refuse all further access: CPU mappings are torn down (later access gets
 * SIGBUS), new mappings, device mappings, vmaps and CPU access fail.
 */
void hdmabuf_pagebuf_revoke(struct dma_buf *dmabuf);

#endif /* HDMABUF_PAGEBUF_H */
