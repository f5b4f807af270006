// SPDX-License-Identifier: GPL-2.0
/*
 * Buffers shared by grant references. The exporter grants each page of
 * the buffer to the peer, writes those references into directory pages
 * (1024 to a page, little-endian), lists the directory pages in one top
 * page, and names the buffer by the top page's reference: one number on
 * the wire. The importer reads the directory and maps the pages, in
 * batches, onto pages of its own that have no memory behind them.
 *
 * Every page granted holds a reference of ours until the grant is ended,
 * and the kernel ends it only once the peer has unmapped it: a page the
 * peer may still map is never freed or reused.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <xen/grant_table.h>
#include <xen/page.h>
#include <xen/xen.h>

#include "hdmabuf.h"
#include "xen.h"

#define REFS_PER_PAGE	(XEN_PAGE_SIZE / sizeof(__le32))
/* what one allocation of grant references (a u16 count) can cover */
#define SHARE_MAX_PAGES	64000UL
#define MAP_BATCH	256

struct xshare {
	/* refs: data pages, then dirs, then top; ended as IMP_TO_REFS's are */
	struct xgrants grants;
	struct page **pages;		/* same order; each holds our reference */
	/* every grant has ended: the owner may let the pages go */
	void (*gone)(void *data);
	void *data;
};

/* The kernel address a grant is mapped at (any kind of guest). */
static unsigned long page_kaddr(struct page *page)
{
	return (unsigned long)pfn_to_kaddr(page_to_xen_pfn(page));
}

static unsigned int dirs_for(unsigned long npages)
{
	return DIV_ROUND_UP(npages, REFS_PER_PAGE);
}

static void share_free(struct xshare *share)
{
	kvfree(share->grants.refs);
	kvfree(share->pages);
	kfree(share);
}

/* Every grant of the share has ended: the peer maps none of its pages. */
static void share_done(struct xgrants *g)
{
	struct xshare *share = container_of(g, struct xshare, grants);
	unsigned long i;

	for (i = 0; i < g->n; i++)
		put_page(share->pages[i]);
	atomic_long_sub(g->n, &hdmabuf_stats.xen_share_grants);
	/* hdmabuf_xgrant_end freed the refs */
	share->grants.refs = NULL;
	share->gone(share->data);
	share_free(share);
}

static void fill_dir(struct page *dir, const grant_ref_t *refs,
		     unsigned long n)
{
	__le32 *slot = page_address(dir);
	unsigned long i;

	for (i = 0; i < n; i++)
		slot[i] = cpu_to_le32(refs[i]);
}

int hdmabuf_xgrant_share(u32 domid, struct page **pages,
			 unsigned long npages, bool writable, u64 *handle,
			 void **cookie)
{
	unsigned long i, total, first;
	struct xshare *share;
	grant_ref_t head, *refs;
	unsigned int d, ndirs;
	int ret;

	if (!npages || npages > SHARE_MAX_PAGES)
		return -E2BIG;
	share = kzalloc(sizeof(*share), GFP_KERNEL);
	if (!share)
		return -ENOMEM;
	ndirs = dirs_for(npages);
	total = npages + ndirs + 1;
	refs = kvcalloc(total, sizeof(*refs), GFP_KERNEL);
	share->grants.refs = refs;
	share->pages = kvcalloc(total, sizeof(*share->pages), GFP_KERNEL);
	if (!refs || !share->pages) {
		share_free(share);
		return -ENOMEM;
	}
	/* directory pages first: nothing is granted yet if they fail */
	for (i = npages; i < total; i++) {
		share->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!share->pages[i]) {
			while (i-- > npages)
				__free_page(share->pages[i]);
			share_free(share);
			return -ENOMEM;
		}
	}
	/* the whole table or nothing: ENOSPC when it has no room */
	ret = gnttab_alloc_grant_references(total, &head);
	if (ret) {
		for (i = npages; i < total; i++)
			__free_page(share->pages[i]);
		share_free(share);
		return ret;
	}
	for (i = 0; i < total; i++) {
		refs[i] = gnttab_claim_grant_reference(&head);
		if (i < npages) {
			share->pages[i] = pages[i];
			get_page(pages[i]);
		}
	}
	for (i = 0; i < npages; i++)
		gnttab_grant_foreign_access_ref(refs[i], domid,
						xen_page_to_gfn(pages[i]),
						!writable);
	for (d = 0; d < ndirs; d++) {
		first = (unsigned long)d * REFS_PER_PAGE;
		fill_dir(share->pages[npages + d], refs + first,
			 min(REFS_PER_PAGE, npages - first));
	}
	fill_dir(share->pages[total - 1], refs + npages, ndirs);
	for (i = npages; i < total; i++)
		gnttab_grant_foreign_access_ref(refs[i], domid,
						xen_page_to_gfn(share->pages[i]),
						1);
	share->grants.domid = domid;
	share->grants.n = total;
	share->grants.left = total;
	share->grants.done = share_done;
	atomic_long_add(total, &hdmabuf_stats.xen_share_grants);
	*handle = refs[total - 1];
	*cookie = share;
	return 0;
}

/*
 * The pages, directories included, stay ours until the peer maps none of
 * them: a grant still mapped is ended later, and only then do they go,
 * and the owner hears it.
 */
void hdmabuf_xgrant_unshare(void *cookie, void (*gone)(void *data),
			    void *data)
{
	struct xshare *share = cookie;

	share->gone = gone;
	share->data = data;
	hdmabuf_xgrant_end(&share->grants);
}

/* ---- the importer's side ------------------------------------------------- */

/*
 * Unmap the grants mapped on @pages. This waits until nobody else holds a
 * page, so that none goes back to the pool, where the next grant lands,
 * while something still reads it. A page Xen did not unmap becomes NULL
 * in @pages: it must never be used again (hdmabuf_xgrant_free_pages()
 * skips it).
 */
static void unmap_pages(struct page **pages, grant_handle_t *handles,
			unsigned long n)
{
	struct gntab_unmap_queue_data q = { };
	struct gnttab_unmap_grant_ref *ops;
	unsigned long i, done, batch, lost = 0;
	int ret;

	ops = kcalloc(MAP_BATCH, sizeof(*ops), GFP_KERNEL | __GFP_NOFAIL);
	for (done = 0; done < n; done += batch) {
		batch = min_t(unsigned long, MAP_BATCH, n - done);
		for (i = 0; i < batch; i++)
			gnttab_set_unmap_op(&ops[i], page_kaddr(pages[done + i]),
					    GNTMAP_host_map, handles[done + i]);
		q.unmap_ops = ops;
		q.kunmap_ops = NULL;
		q.pages = pages + done;
		q.count = batch;
		ret = gnttab_unmap_refs_sync(&q);
		for (i = 0; i < batch; i++) {
			if (!ret && ops[i].status == GNTST_okay)
				continue;
			pages[done + i] = NULL;
			lost++;
		}
	}
	kfree(ops);
	if (lost)
		pr_warn("Xen did not unmap %lu grants: their pages stay out of use\n",
			lost);
}

void hdmabuf_xgrant_free_pages(unsigned long n, struct page **pages)
{
	unsigned long i, kept = 0;

	for (i = 0; i < n; i++)
		if (pages[i])
			pages[kept++] = pages[i];
	if (kept)
		gnttab_free_pages(kept, pages);
}

/* Why Xen refused to map a grant, as an errno. */
static int status_errno(int status)
{
	switch (status) {
	case GNTST_bad_domain:
		return -ESRCH;
	case GNTST_bad_gntref:
	case GNTST_general_error:	/* an entry not granted, or not to us */
		return -ENOENT;
	case GNTST_permission_denied:
		return -EACCES;
	case GNTST_no_device_space:
		return -ENOSPC;
	default:
		return -EIO;
	}
}

/* Map @n grants of @domid onto @pages; all or none. */
static int map_batch(u32 domid, const grant_ref_t *refs, struct page **pages,
		     grant_handle_t *handles, unsigned int n, bool writable)
{
	u32 flags = GNTMAP_host_map | (writable ? 0 : GNTMAP_readonly);
	struct gnttab_map_grant_ref *ops;
	int ret, status = GNTST_okay;
	unsigned int i;

	ops = kcalloc(n, sizeof(*ops), GFP_KERNEL);
	if (!ops)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		gnttab_set_map_op(&ops[i], page_kaddr(pages[i]), flags,
				  refs[i], domid);
	ret = gnttab_map_refs(ops, NULL, pages, n);
	for (i = 0; i < n; i++) {
		handles[i] = ops[i].status == GNTST_okay ? ops[i].handle
							 : INVALID_GRANT_HANDLE;
		if (ops[i].status != GNTST_okay && !status)
			status = ops[i].status;
	}
	kfree(ops);
	if (!ret && !status)
		return 0;
	/* grants the domain does not have, or not for us: undo the others */
	for (i = 0; i < n; i++)
		if (handles[i] != INVALID_GRANT_HANDLE)
			unmap_pages(&pages[i], &handles[i], 1);
	return ret ? ret : status_errno(status);
}

/* The @n references listed in the page @domid granted as @ref. */
static int read_refs(u32 domid, grant_ref_t ref, grant_ref_t *out,
		     unsigned long n)
{
	grant_handle_t handle;
	struct page *page;
	const __le32 *slot;
	unsigned long i;
	int ret;

	ret = gnttab_alloc_pages(1, &page);
	if (ret)
		return ret;
	ret = map_batch(domid, &ref, &page, &handle, 1, false);
	if (!ret) {
		slot = (const __le32 *)page_kaddr(page);
		for (i = 0; i < n; i++)
			out[i] = le32_to_cpu(READ_ONCE(slot[i]));
		unmap_pages(&page, &handle, 1);
	}
	hdmabuf_xgrant_free_pages(1, &page);
	return ret;
}

/* The data references of a buffer named by the top page @top. */
static int read_directory(u32 domid, grant_ref_t top, grant_ref_t *refs,
			  unsigned long npages)
{
	unsigned int d, ndirs = dirs_for(npages);
	unsigned long first;
	grant_ref_t *dirs;
	int ret;

	dirs = kcalloc(ndirs, sizeof(*dirs), GFP_KERNEL);
	if (!dirs)
		return -ENOMEM;
	ret = read_refs(domid, top, dirs, ndirs);
	for (d = 0; !ret && d < ndirs; d++) {
		first = (unsigned long)d * REFS_PER_PAGE;
		ret = read_refs(domid, dirs[d], refs + first,
				min(REFS_PER_PAGE, npages - first));
	}
	kfree(dirs);
	return ret;
}

int hdmabuf_xgrant_map_refs(struct xmap *map)
{
	unsigned long done, batch;
	int ret = 0;

	map->handles = kvcalloc(map->npages, sizeof(*map->handles), GFP_KERNEL);
	if (!map->handles)
		return -ENOMEM;
	for (done = 0; done < map->npages; done += batch) {
		batch = min_t(unsigned long, MAP_BATCH, map->npages - done);
		ret = map_batch(map->domid, map->refs + done, map->pages + done,
				map->handles + done, batch, map->writable);
		if (ret)
			break;
	}
	if (ret) {
		unmap_pages(map->pages, map->handles, done);
		kvfree(map->handles);
		map->handles = NULL;
	}
	return ret;
}

void hdmabuf_xgrant_unmap_refs(struct xmap *map)
{
	unmap_pages(map->pages, map->handles, map->npages);
	kvfree(map->handles);
	map->handles = NULL;
}

int hdmabuf_xgrant_map(u32 domid, u64 handle, unsigned long npages,
		       bool writable, struct page ***pages, void **cookie)
{
	struct xmap *map;
	int ret;

	if (!npages || npages > SHARE_MAX_PAGES || handle > U32_MAX)
		return -EPROTO;
	map = kzalloc(sizeof(*map), GFP_KERNEL);
	if (!map)
		return -ENOMEM;
	map->domid = domid;
	map->writable = writable;
	map->npages = npages;
	map->refs = kvcalloc(npages, sizeof(*map->refs), GFP_KERNEL);
	map->pages = kvcalloc(npages, sizeof(*map->pages), GFP_KERNEL);
	if (!map->refs || !map->pages) {
		ret = -ENOMEM;
		goto err_free;
	}
	ret = read_directory(domid, handle, map->refs, npages);
	if (!ret) {
		ret = gnttab_alloc_pages(npages, map->pages);
		if (ret)
			goto err_free;
		ret = hdmabuf_xgrant_map_refs(map);
		if (ret)
			hdmabuf_xgrant_free_pages(npages, map->pages);
	}
	/* whatever Xen said, the peer named what it did not grant */
	if (ret) {
		if (ret != -ENOMEM)
			ret = -EPROTO;
		goto err_free;
	}
	/* refs are kept: a PV domain maps them again for each process */
	*pages = map->pages;
	*cookie = map;
	return 0;

err_free:
	kvfree(map->refs);
	kvfree(map->pages);
	kfree(map);
	return ret;
}

void hdmabuf_xgrant_unmap(void *cookie)
{
	struct xmap *map = cookie;

	hdmabuf_xgrant_unmap_refs(map);
	hdmabuf_xgrant_free_pages(map->npages, map->pages);
	kvfree(map->refs);
	kvfree(map->pages);
	kfree(map);
}

/* ---- ending grants: IMP_TO_REFS's pages and the shares' ------------------ */

/*
 * Grants the domain still maps when they are ended wait here; they are
 * tried again each second. The module stays loaded while any wait.
 */
static LIST_HEAD(ending);
static DEFINE_MUTEX(ending_lock);
static void end_pending(struct work_struct *work);
static DECLARE_DELAYED_WORK(end_work, end_pending);

int hdmabuf_xgrant_grant(struct xgrants *g, struct page **pages,
			 bool writable)
{
	grant_ref_t head;
	unsigned long i;
	int ret;

	if (!g->n || g->n > U16_MAX)
		return -EINVAL;
	g->refs = kvcalloc(g->n, sizeof(*g->refs), GFP_KERNEL);
	if (!g->refs)
		return -ENOMEM;
	/* the whole table or nothing: ENOSPC when it has no room */
	ret = gnttab_alloc_grant_references(g->n, &head);
	if (ret) {
		kvfree(g->refs);
		return ret;
	}
	for (i = 0; i < g->n; i++) {
		g->refs[i] = gnttab_claim_grant_reference(&head);
		gnttab_grant_foreign_access_ref(g->refs[i], g->domid,
						xen_page_to_gfn(pages[i]),
						!writable);
	}
	g->left = g->n;
	return 0;
}

/* End what the domain no longer maps; true once all are ended. */
static bool end_some(struct xgrants *g)
{
	unsigned long i, kept = 0;

	for (i = 0; i < g->left; i++)
		if (!gnttab_try_end_foreign_access(g->refs[i]))
			g->refs[kept++] = g->refs[i];
	g->left = kept;
	return !kept;
}

static void end_pending(struct work_struct *work)
{
	struct xgrants *g, *next;
	LIST_HEAD(done);
	bool more;

	mutex_lock(&ending_lock);
	list_for_each_entry_safe(g, next, &ending, node)
		if (end_some(g))
			list_move(&g->node, &done);
	more = !list_empty(&ending);
	if (more)
		schedule_delayed_work(&end_work, HZ);
	mutex_unlock(&ending_lock);
	list_for_each_entry_safe(g, next, &done, node) {
		kvfree(g->refs);
		g->done(g);
	}
	/* the last one gone: the reference taken for the first goes */
	if (!more && !list_empty(&done))
		module_put(THIS_MODULE);
}

void hdmabuf_xgrant_end(struct xgrants *g)
{
	if (end_some(g)) {
		kvfree(g->refs);
		g->done(g);
		return;
	}
	pr_info("domain %u still maps %lu of %lu pages: ending later\n",
		g->domid, g->left, g->n);
	mutex_lock(&ending_lock);
	if (list_empty(&ending))
		__module_get(THIS_MODULE);
	list_add_tail(&g->node, &ending);
	schedule_delayed_work(&end_work, HZ);
	mutex_unlock(&ending_lock);
}

/* Nothing waits at unload: every wait holds the module. */
void hdmabuf_xgrants_exit(void)
{
	cancel_delayed_work_sync(&end_work);
}
