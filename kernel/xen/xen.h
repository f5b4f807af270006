/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The parts of the Xen transport: channels to peers (channel.c and the
 * files of channel.h) and buffers shared by grant references (grants.c),
 * tied together in xen.c.
 */
#ifndef HDMABUF_XEN_H
#define HDMABUF_XEN_H

#include <linux/types.h>
#include <xen/grant_table.h>

struct page;

/* This domain's id, once read from xenstore. */
extern u32 hdmabuf_xen_domid;
/* Whether the transport runs: a Xen domain that knows its id. */
bool hdmabuf_xen_running(void);

/*
 * The channels, one per peer domain, found through xenstore: started and
 * stopped with the module (discovery.c), sending (ring.c), and what PEERS
 * and debugfs show of them (channel-list.c).
 */
int hdmabuf_xchan_init(void);
void hdmabuf_xchan_exit(void);
bool hdmabuf_xchan_reaches(u32 domid);
int hdmabuf_xchan_send(u32 domid, const void *msg, size_t len);
struct hyper_dmabuf_peer;
unsigned int hdmabuf_xchan_peers(struct hyper_dmabuf_peer *peers,
				 unsigned int capacity);
/* "peer state" lines for debugfs */
struct seq_file;
void hdmabuf_xchan_show(struct seq_file *m);

/* grants.c: pages of an export granted to a peer, and their mapping */
struct xmap {
	u32 domid;
	bool writable;
	unsigned long npages;
	grant_ref_t *refs;		/* the exporter's grants, page by page */
	struct page **pages;		/* mapped here, for the kernel */
	grant_handle_t *handles;
};

int hdmabuf_xgrant_share(u32 domid, struct page **pages,
			 unsigned long npages, bool writable, u64 *handle,
			 void **cookie);
void hdmabuf_xgrant_unshare(void *cookie, void (*gone)(void *data),
			    void *data);
int hdmabuf_xgrant_map(u32 domid, u64 handle, unsigned long npages,
		       bool writable, struct page ***pages, void **cookie);
void hdmabuf_xgrant_unmap(void *cookie);
/*
 * Map the @map->npages grants @map->refs of @map->domid onto @map->pages,
 * pages of ours with no memory behind them; all or none. Errors say why
 * Xen refused: ESRCH no such domain, ENOENT no such grant (or not one
 * to us), EACCES not allowed.
 */
int hdmabuf_xgrant_map_refs(struct xmap *map);
/*
 * Unmap them, waiting until nothing holds a page; a page Xen did not unmap
 * becomes NULL in @map->pages, never to be used again.
 */
void hdmabuf_xgrant_unmap_refs(struct xmap *map);
/* Give back pages grants were mapped on, skipping NULL ones. */
void hdmabuf_xgrant_free_pages(unsigned long n, struct page **pages);

/* Pages granted to @domid one reference each (IMP_TO_REFS, shares). */
struct xgrants {
	u32 domid;
	unsigned long n;
	grant_ref_t *refs;
	unsigned long left;		/* refs[0..left) are not ended yet */
	/* every grant has ended: the pages may go */
	void (*done)(struct xgrants *g);
	struct list_head node;
};

/* Grant @g->n @pages to @g->domid: all or none (ENOSPC: table full). */
int hdmabuf_xgrant_grant(struct xgrants *g, struct page **pages,
			 bool writable);
/* End them; @g->done runs once the domain maps none: now or later. */
void hdmabuf_xgrant_end(struct xgrants *g);
void hdmabuf_xgrants_exit(void);

/*
 * balloon.c: the frames behind @pages go back to Xen (out), and pages get
 * memory again (in). out: 0, -ENOMEM with nothing changed, or -EIO; after
 * -EIO from either, some pages have no memory: never touch or free them.
 */
int hdmabuf_xballoon_out(struct page **pages, unsigned long n);
int hdmabuf_xballoon_in(struct page **pages, unsigned long n);

/*
 * pv-mmap.c: a PV domain maps foreign pages into a process only through
 * grant operations on the page table entries themselves.
 */
struct vm_area_struct;
int hdmabuf_xgrant_pv_mmap(void *cookie, struct vm_area_struct *vma);

#endif /* HDMABUF_XEN_H */
