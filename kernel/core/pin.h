/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A dma-buf held through an attachment of our own, its pages in reach:
 * what an export shares and what IMP_TO_REFS grants.
 */
#ifndef HDMABUF_PIN_H
#define HDMABUF_PIN_H

#include <linux/bits.h>
#include <linux/types.h>

struct dma_buf;
struct dma_buf_attachment;
struct page;
struct sg_table;

struct hdmabuf_pin {
	struct dma_buf *dmabuf;
	struct dma_buf_attachment *attach;
	struct sg_table *sgt;
	struct page **pages;
	unsigned long npages;
};

/* hdmabuf_pin() flags */
#define HDMABUF_PIN_WRITE	BIT(0) /* the fd must be open for writing */
#define HDMABUF_PIN_COUNTED	BIT(1) /* pages that can be lent one by one */

/*
 * Take the dma-buf @fd names, attach and map it, collect its pages: all
 * or nothing. EACCES: read-only fd and PIN_WRITE; EINVAL: no pages of a
 * whole page each; EOPNOTSUPP: pages without a count of their own (DMA
 * memory) and PIN_COUNTED.
 */
int hdmabuf_pin(struct hdmabuf_pin *pin, int fd, unsigned int flags);
void hdmabuf_unpin(struct hdmabuf_pin *pin);

/* The device pins attach: at module load and unload. */
int hdmabuf_pin_init(void);
void hdmabuf_pin_exit(void);

#endif /* HDMABUF_PIN_H */
