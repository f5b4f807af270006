// SPDX-License-Identifier: GPL-2.0
/*
 * The uAPI's Xen group: grant references to dma-bufs and back, with the
 * meaning of the kernel's gntdev dma-buf calls, for kernels without them
 * and for PV domains, which those refuse.
 *
 * EXP_FROM_REFS maps another domain's grants onto pages of ours (with no
 * memory behind them, or DMA memory whose frames go back to Xen
 * meanwhile) and exports them; EXP_WAIT_RELEASED waits for that dma-buf
 * to end. IMP_TO_REFS grants a dma-buf's pages to a domain; IMP_RELEASE
 * ends the grants. Both are found again by the fd number they were made
 * with, on the open of the device that made them, as gntdev does: each
 * open has lists of its own (struct hdmabuf_xrefs), made at open in a Xen
 * domain. The ioctl table (ioctl.c) copies each argument in and checks its
 * flags and reserved fields.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/completion.h>
#include <linux/dma-buf.h>
#include <linux/kref.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <xen/grant_table.h>
#include <xen/page.h>
#include <xen/xen.h>

#include "dmamem.h"
#include "hdmabuf.h"
#include "ioctl.h"
#include "pagebuf.h"
#include "pin.h"
#include "xen.h"
#include "xrefs.h"

#define WAIT_MAX_MS	60000

/*
 * The grant table is this domain's, shared with its PV frontends (disk,
 * network), which cannot work without entries: one open of the device
 * may hold only so many through IMP_TO_REFS.
 */
static unsigned int max_refs_per_file;
module_param(max_refs_per_file, uint, 0644);
MODULE_PARM_DESC(max_refs_per_file,
		 "Grant references one open file may hold by IMP_TO_REFS (0: a quarter of the grant table)");

/* A dma-buf over another domain's grants (EXP_FROM_REFS). */
struct refs_exp {
	struct hdmabuf_pagebuf_owner owner;
	struct kref ref;
	/* in its file's exps until released or that file is closed */
	struct list_head node;
	int fd;
	struct completion released;
	struct xmap map;
	struct hdmabuf_dmamem mem;	/* with a MEM flag */
	bool dma;
};

/* A dma-buf of ours granted to another domain (IMP_TO_REFS). */
struct refs_imp {
	struct list_head node;		/* in its file's imps until IMP_RELEASE */
	int fd;
	struct hdmabuf_pin pin;
	struct xgrants grants;
};

/* What one open of the device made, found again by fd number. */
struct hdmabuf_xrefs {
	struct list_head exps;
	struct list_head imps;
	unsigned long held;		/* grants of the imps */
};

/*
 * Protects every file's lists: a dma-buf of EXP_FROM_REFS may end after
 * its file, whose lists are gone then.
 */
static DEFINE_MUTEX(refs_lock);

/* Another domain, one that can exist. */
static bool domid_valid(u32 domid)
{
	return domid < DOMID_FIRST_RESERVED && domid != hdmabuf_xen_domid;
}

/* ---- EXP_FROM_REFS -------------------------------------------------------- */

static void exp_free(struct kref *ref)
{
	struct refs_exp *exp = container_of(ref, struct refs_exp, ref);

	kvfree(exp->map.refs);
	kvfree(exp->map.pages);
	kfree(exp);
}

/* Memory for the pages the grants are mapped on. */
static int backing_alloc(struct refs_exp *exp, u32 flags)
{
	struct xmap *map = &exp->map;
	int ret;

	if (!flags)
		return gnttab_alloc_pages(map->npages, map->pages);
	ret = hdmabuf_dmamem_alloc(&exp->mem, map->npages, flags);
	if (ret)
		return ret;
	memcpy(map->pages, exp->mem.pages, map->npages * sizeof(*map->pages));
	ret = gnttab_pages_set_private(map->npages, map->pages);
	if (!ret) {
		ret = hdmabuf_xballoon_out(map->pages, map->npages);
		if (!ret) {
			exp->dma = true;
			return 0;
		}
	}
	gnttab_pages_clear_private(map->npages, map->pages);
	/* pages left without memory must never be used again */
	if (ret != -EIO)
		hdmabuf_dmamem_free(&exp->mem);
	else
		kvfree(exp->mem.pages);
	return ret;
}

/* A page Xen did not unmap is NULL in the map: never to be used again. */
static void backing_free(struct refs_exp *exp)
{
	struct xmap *map = &exp->map;
	unsigned long i;

	if (!exp->dma) {
		hdmabuf_xgrant_free_pages(map->npages, map->pages);
		return;
	}
	for (i = 0; i < map->npages; i++) {
		if (!map->pages[i]) {
			/* one allocation: back whole or not at all */
			kvfree(exp->mem.pages);
			return;
		}
	}
	gnttab_pages_clear_private(map->npages, map->pages);
	if (hdmabuf_xballoon_in(map->pages, map->npages)) {
		/* still without memory: kept out of use for good */
		kvfree(exp->mem.pages);
		return;
	}
	hdmabuf_dmamem_free(&exp->mem);
}

static void exp_release(struct hdmabuf_pagebuf_owner *owner)
{
	struct refs_exp *exp = container_of(owner, struct refs_exp, owner);

	hdmabuf_xgrant_unmap_refs(&exp->map);
	backing_free(exp);
	atomic_long_sub(exp->map.npages, &hdmabuf_stats.pages);
	atomic_long_dec(&hdmabuf_stats.xen_maps);
	mutex_lock(&refs_lock);
	list_del_init(&exp->node);
	mutex_unlock(&refs_lock);
	complete_all(&exp->released);
	kref_put(&exp->ref, exp_free);
}

#ifdef CONFIG_XEN_PV
static int exp_pv_mmap(struct hdmabuf_pagebuf_owner *owner,
		       struct vm_area_struct *vma)
{
	struct refs_exp *exp = container_of(owner, struct refs_exp, owner);

	return hdmabuf_xgrant_pv_mmap(&exp->map, vma);
}
#endif

/* Map the grants and export them; *@dmabuf holds @exp then. */
static int exp_make(struct refs_exp *exp, u32 flags, struct dma_buf **dmabuf)
{
	struct xmap *map = &exp->map;
	int ret;

	ret = backing_alloc(exp, flags);
	if (ret)
		return ret;
	ret = hdmabuf_xgrant_map_refs(map);
	if (ret)
		goto err_backing;
	exp->owner.release = exp_release;
	/* another domain's pages: far apart in the machine */
	exp->owner.page_segments = true;
	/* by frame number: no process can pin another domain's pages */
	exp->owner.pfn_map = true;
#ifdef CONFIG_XEN_PV
	if (xen_pv_domain())
		exp->owner.mmap = exp_pv_mmap;
#endif
	*dmabuf = hdmabuf_pagebuf_export(map->pages, map->npages, true,
					 &exp->owner);
	if (IS_ERR(*dmabuf)) {
		ret = PTR_ERR(*dmabuf);
		goto err_unmap;
	}
	atomic_long_inc(&hdmabuf_stats.xen_maps);
	atomic_long_add(map->npages, &hdmabuf_stats.pages);
	return 0;

err_unmap:
	hdmabuf_xgrant_unmap_refs(map);
err_backing:
	backing_free(exp);
	return ret;
}

long hdmabuf_xrefs_exp_from_refs(struct hdmabuf_file *file, void *arg,
				 void __user *uarg)
{
	struct hyper_dmabuf_xen_exp_from_refs *args = arg;
	struct dma_buf *dmabuf;
	struct refs_exp *exp;
	long ret;

	if (!hdmabuf_mem_flags_valid(args->flags) || !args->count ||
	    args->count > HYPER_DMABUF_XEN_REFS_MAX || !domid_valid(args->domid))
		return -EINVAL;
	/*
	 * The DMA layer of a PV domain hands out machine-contiguous memory
	 * and wants it back so: its frames cannot go to Xen and come back.
	 */
	if (args->flags && xen_pv_domain())
		return -EOPNOTSUPP;
	exp = kzalloc(sizeof(*exp), GFP_KERNEL);
	if (!exp)
		return -ENOMEM;
	kref_init(&exp->ref);
	init_completion(&exp->released);
	INIT_LIST_HEAD(&exp->node);
	exp->map.domid = args->domid;
	exp->map.writable = true;
	exp->map.npages = args->count;
	exp->map.refs = kvcalloc(args->count, sizeof(*exp->map.refs),
				 GFP_KERNEL);
	exp->map.pages = kvcalloc(args->count, sizeof(*exp->map.pages),
				  GFP_KERNEL);
	if (!exp->map.refs || !exp->map.pages) {
		ret = -ENOMEM;
		goto err_free;
	}
	if (copy_from_user(exp->map.refs, u64_to_user_ptr(args->refs),
			   args->count * sizeof(*exp->map.refs))) {
		ret = -EFAULT;
		goto err_free;
	}
	ret = exp_make(exp, args->flags, &dmabuf);
	if (ret)
		goto err_free;
	/* listed before its fd exists: the release may come at once */
	exp->fd = -1;
	mutex_lock(&refs_lock);
	list_add(&exp->node, &file->xrefs->exps);
	mutex_unlock(&refs_lock);
	kref_get(&exp->ref);
	ret = hdmabuf_install_file(dmabuf->file, uarg, args, sizeof(*args),
				   &args->fd);
	mutex_lock(&refs_lock);
	if (!ret)
		exp->fd = args->fd;
	else	/* an fd nobody learnt: nothing to wait for by */
		list_del_init(&exp->node);
	mutex_unlock(&refs_lock);
	kref_put(&exp->ref, exp_free);
	return ret;

err_free:
	kref_put(&exp->ref, exp_free);
	return ret;
}

long hdmabuf_xrefs_exp_wait_released(struct hdmabuf_file *file, void *arg,
				     void __user *uarg)
{
	struct hyper_dmabuf_xen_exp_wait_released *args = arg;
	struct refs_exp *exp, *found = NULL;
	long left;

	if (args->timeout_ms > WAIT_MAX_MS)
		return -EINVAL;
	mutex_lock(&refs_lock);
	list_for_each_entry(exp, &file->xrefs->exps, node) {
		if (exp->fd == args->fd) {
			found = exp;
			kref_get(&found->ref);
			break;
		}
	}
	mutex_unlock(&refs_lock);
	/* released already, or never made: as gntdev says */
	if (!found)
		return -ENOENT;
	left = wait_for_completion_interruptible_timeout(&found->released,
							 msecs_to_jiffies(args->timeout_ms));
	kref_put(&found->ref, exp_free);
	if (left < 0)
		return -EINTR;
	return left || completion_done(&found->released) ? 0 : -ETIMEDOUT;
}

/* ---- IMP_TO_REFS ---------------------------------------------------------- */

static void imp_done(struct xgrants *g)
{
	struct refs_imp *imp = container_of(g, struct refs_imp, grants);

	atomic_long_sub(imp->pin.npages, &hdmabuf_stats.pages);
	hdmabuf_unpin(&imp->pin);
	atomic_long_dec(&hdmabuf_stats.xen_grants);
	kfree(imp);
}

static unsigned long refs_limit(void)
{
	unsigned int max = READ_ONCE(max_refs_per_file);

	return max ?: gnttab_max_grant_frames() *
		      (XEN_PAGE_SIZE / sizeof(struct grant_entry_v1)) / 4;
}

long hdmabuf_xrefs_imp_to_refs(struct hdmabuf_file *file, void *arg,
			       void __user *uarg)
{
	struct hyper_dmabuf_xen_imp_to_refs *args = arg;
	struct hdmabuf_xrefs *refs = file->xrefs;
	struct refs_imp *imp;
	bool writable;
	long ret;

	if (!args->count || args->count > HYPER_DMABUF_XEN_REFS_MAX ||
	    !domid_valid(args->domid))
		return -EINVAL;
	writable = !(args->flags & HYPER_DMABUF_XEN_GRANT_RO);
	imp = kzalloc(sizeof(*imp), GFP_KERNEL);
	if (!imp)
		return -ENOMEM;
	ret = hdmabuf_pin(&imp->pin, args->fd, writable ? HDMABUF_PIN_WRITE : 0);
	if (ret)
		goto err_free;
	if (imp->pin.npages != args->count) {
		ret = -EINVAL;
		goto err_unpin;
	}
	imp->fd = args->fd;
	imp->grants.domid = args->domid;
	imp->grants.n = args->count;
	imp->grants.done = imp_done;
	/* held from the check to the list: no other call slips in between */
	mutex_lock(&refs_lock);
	if (refs->held + args->count > refs_limit()) {
		mutex_unlock(&refs_lock);
		ret = -EDQUOT;
		goto err_unpin;
	}
	ret = hdmabuf_xgrant_grant(&imp->grants, imp->pin.pages, writable);
	if (ret) {
		mutex_unlock(&refs_lock);
		goto err_unpin;
	}
	atomic_long_inc(&hdmabuf_stats.xen_grants);
	atomic_long_add(imp->pin.npages, &hdmabuf_stats.pages);
	/*
	 * A fault here takes the grants back; the domain cannot know them.
	 * Copied under the lock: once listed, IMP_RELEASE may end them.
	 */
	if (copy_to_user(u64_to_user_ptr(args->refs), imp->grants.refs,
			 args->count * sizeof(*imp->grants.refs))) {
		mutex_unlock(&refs_lock);
		hdmabuf_xgrant_end(&imp->grants);
		return -EFAULT;
	}
	list_add(&imp->node, &refs->imps);
	refs->held += imp->grants.n;
	mutex_unlock(&refs_lock);
	return 0;

err_unpin:
	hdmabuf_unpin(&imp->pin);
err_free:
	kfree(imp);
	return ret;
}

/* The grants IMP_TO_REFS made of @fd, off the list; refs_lock held. */
static struct refs_imp *imp_take(struct hdmabuf_xrefs *refs, int fd)
{
	struct refs_imp *imp;

	list_for_each_entry(imp, &refs->imps, node) {
		if (imp->fd == fd) {
			list_del(&imp->node);
			refs->held -= imp->grants.n;
			return imp;
		}
	}
	return NULL;
}

long hdmabuf_xrefs_imp_release(struct hdmabuf_file *file, void *arg,
			       void __user *uarg)
{
	struct hyper_dmabuf_xen_imp_release *args = arg;
	struct refs_imp *imp;

	mutex_lock(&refs_lock);
	imp = imp_take(file->xrefs, args->fd);
	mutex_unlock(&refs_lock);
	if (!imp)
		return -ENOENT;
	hdmabuf_xgrant_end(&imp->grants);
	return 0;
}

/* ---- the device's side ---------------------------------------------------- */

int hdmabuf_xrefs_open(struct hdmabuf_file *file)
{
	struct hdmabuf_xrefs *refs;

	/* the group is there while the transport is: a Xen domain's */
	if (!hdmabuf_xen_running())
		return 0;
	refs = kzalloc(sizeof(*refs), GFP_KERNEL);
	if (!refs)
		return -ENOMEM;
	INIT_LIST_HEAD(&refs->exps);
	INIT_LIST_HEAD(&refs->imps);
	file->xrefs = refs;
	return 0;
}

bool hdmabuf_xrefs_present(const struct hdmabuf_file *file)
{
	return file->xrefs;
}

/*
 * These calls reach below ids and keys: EXP_FROM_REFS maps, writable, any
 * grant any domain made to this one (in dom0, other guests' network and
 * block buffers), IMP_TO_REFS hands pages to any domain. gntdev keeps them
 * to root by its node's mode; here the node is a group's, so each call
 * needs CAP_SYS_ADMIN, of the caller and of the opener both. The caller's,
 * so that a descriptor a privileged process opened and passed on (or let
 * leak, across exec or by SCM_RIGHTS) gives an unprivileged one nothing;
 * the opener's, so that a privileged process handed an unprivileged
 * user's descriptor does not make grants that user then holds through it.
 * Asked before anything of the request is read.
 */
bool hdmabuf_xrefs_permitted(const struct hdmabuf_file *file)
{
	return file->admin && capable(CAP_SYS_ADMIN);
}

/*
 * The file's grants end with it; its dma-bufs live on with their users,
 * but nobody can wait for them by this file any more.
 */
void hdmabuf_xrefs_release(struct hdmabuf_file *file)
{
	struct hdmabuf_xrefs *refs = file->xrefs;
	struct refs_exp *exp, *next_exp;
	struct refs_imp *imp, *next;
	LIST_HEAD(mine);

	if (!refs)
		return;
	mutex_lock(&refs_lock);
	list_for_each_entry_safe(exp, next_exp, &refs->exps, node)
		list_del_init(&exp->node);
	list_splice_init(&refs->imps, &mine);
	mutex_unlock(&refs_lock);
	list_for_each_entry_safe(imp, next, &mine, node) {
		list_del(&imp->node);
		hdmabuf_xgrant_end(&imp->grants);
	}
	file->xrefs = NULL;
	kfree(refs);
}
