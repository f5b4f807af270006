// SPDX-License-Identifier: GPL-2.0
/*
 * Handing the frames behind pages of ours back to Xen, and getting
 * memory for them again: DMA memory that carries another domain's pages
 * (EXP_FROM_REFS with a MEM flag) costs this domain nothing meanwhile.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/slab.h>
#include <xen/mem-reservation.h>
#include <xen/page.h>

#include "xen.h"

static xen_pfn_t *frames_of(struct page **pages, unsigned long n)
{
	xen_pfn_t *frames = kvcalloc(n, sizeof(*frames), GFP_KERNEL);
	unsigned long i;

	if (frames)
		for (i = 0; i < n; i++)
			frames[i] = page_to_xen_pfn(pages[i]);
	return frames;
}

/* Give memory back to the first @n of @pages; false if Xen had none. */
static bool populate(struct page **pages, unsigned long n)
{
	xen_pfn_t *frames = frames_of(pages, n);
	int done;

	if (!frames)
		return false;
	done = xenmem_reservation_increase(n, frames);
	if (done > 0)
		xenmem_reservation_va_mapping_update(done, pages, frames);
	kvfree(frames);
	return done == n;
}

int hdmabuf_xballoon_out(struct page **pages, unsigned long n)
{
	xen_pfn_t *frames;
	unsigned long i;
	int done;

	if (n > INT_MAX)
		return -E2BIG;
	frames = kvcalloc(n, sizeof(*frames), GFP_KERNEL);
	if (!frames)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		frames[i] = xen_page_to_gfn(pages[i]);
	/* the DMA layer zeroed them: nothing of ours goes with them */
	xenmem_reservation_va_mapping_reset(n, pages);
	done = xenmem_reservation_decrease(n, frames);
	kvfree(frames);
	if (done == n)
		return 0;
	pr_warn("Xen took back %d of %lu frames\n", done, n);
	if (done > 0 && !populate(pages, done))
		return -EIO;
	return -ENOMEM;
}

int hdmabuf_xballoon_in(struct page **pages, unsigned long n)
{
	if (populate(pages, n))
		return 0;
	pr_warn("no memory from Xen for %lu pages: they are kept out of use\n",
		n);
	return -ENOMEM;
}
