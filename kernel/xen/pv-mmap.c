// SPDX-License-Identifier: GPL-2.0
/*
 * mmap of an import in a PV domain. A PV guest writes its own page tables,
 * and Xen refuses an ordinary entry for another domain's page: the entries
 * of a process's mapping are made by Xen itself, one grant mapping per
 * page, at the machine address of each entry. Xen also refuses to see such
 * an entry cleared behind its back, so the grants are unmapped from an
 * interval notifier, before the kernel tears the range down (munmap, exit,
 * revoke).
 *
 * A process may split the mapping (munmap or madvise of a part) or move
 * it: all its pieces share one record of the grants, which goes with the
 * last piece. The entries cannot be written by anyone but Xen, so changing
 * their protection or moving them is refused, and a child of fork gets no
 * copy.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <xen/features.h>
#include <xen/grant_table.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/page.h>

#include "xen.h"

#define USER_FLAGS (GNTMAP_host_map | GNTMAP_application_map | \
		    GNTMAP_contains_pte)
#define BATCH	32
/*
 * Xen writes the entries, so Xen must mark them special: the first bit
 * x86 leaves to the guest is the kernel's _PAGE_SPECIAL. The lockless
 * get_user_pages (vmsplice, O_DIRECT) then leaves them alone instead of
 * taking a reference on a page that is another domain's and has no
 * struct page here.
 */
#define SPECIAL_PTE	BIT(_GNTMAP_guest_avail0)
#define PTE_AVAIL0	9

/* One process's mapping of an import, shared by all its pieces. */
struct xuser {
	refcount_t pieces;		/* areas that map part of it */
	struct mmu_interval_notifier notifier;
	struct xmap *map;
	unsigned long start;		/* first address */
	unsigned long first;		/* first page of the import */
	unsigned long npages;
	u64 *ptes;			/* machine address of each entry */
	grant_handle_t *handles;	/* INVALID_GRANT_HANDLE: not mapped */
	struct mutex lock;		/* protects handles */
};

/* Unmap @n user mappings; say how many Xen refused. */
static void unmap_batch(struct gnttab_unmap_grant_ref *ops, unsigned int n)
{
	unsigned int i, failed = 0;

	if (HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, ops, n)) {
		failed = n;
	} else {
		for (i = 0; i < n; i++)
			failed += ops[i].status != GNTST_okay;
	}
	if (failed)
		pr_warn_ratelimited("Xen did not unmap %u of %u process mappings\n",
				    failed, n);
}

/* Unmap the grants of pages [@from, @to) of @u; u->lock held. */
static void unmap_range(struct xuser *u, unsigned long from, unsigned long to)
{
	struct gnttab_unmap_grant_ref ops[BATCH];
	unsigned long i;
	unsigned int n = 0;

	for (i = from; i < to; i++) {
		if (u->handles[i] == INVALID_GRANT_HANDLE)
			continue;
		gnttab_set_unmap_op(&ops[n], u->ptes[i], USER_FLAGS,
				    u->handles[i]);
		u->handles[i] = INVALID_GRANT_HANDLE;
		if (++n == BATCH) {
			unmap_batch(ops, n);
			n = 0;
		}
	}
	if (n)
		unmap_batch(ops, n);
}

static bool user_invalidate(struct mmu_interval_notifier *mn,
			    const struct mmu_notifier_range *range,
			    unsigned long cur_seq)
{
	struct xuser *u = container_of(mn, struct xuser, notifier);
	unsigned long start = max(range->start, u->start);
	unsigned long end = min(range->end, u->start + (u->npages << PAGE_SHIFT));

	if (!mmu_notifier_range_blockable(range))
		return false;
	mutex_lock(&u->lock);
	mmu_interval_set_seq(mn, cur_seq);
	if (start < end)
		unmap_range(u, (start - u->start) >> PAGE_SHIFT,
			    (end - u->start + PAGE_SIZE - 1) >> PAGE_SHIFT);
	mutex_unlock(&u->lock);
	return true;
}

static const struct mmu_interval_notifier_ops user_notifier_ops = {
	.invalidate = user_invalidate,
};

/* Entries taken away (revoke, madvise) do not come back. */
static vm_fault_t user_fault(struct vm_fault *vmf)
{
	return VM_FAULT_SIGBUS;
}

/* A new piece: the mapping was split. */
static void user_open(struct vm_area_struct *vma)
{
	struct xuser *u = vma->vm_private_data;

	refcount_inc(&u->pieces);
}

static void user_close(struct vm_area_struct *vma)
{
	struct xuser *u = vma->vm_private_data;

	if (!refcount_dec_and_test(&u->pieces))
		return;
	mmu_interval_notifier_remove(&u->notifier);
	mutex_lock(&u->lock);
	unmap_range(u, 0, u->npages);
	mutex_unlock(&u->lock);
	kvfree(u->ptes);
	kvfree(u->handles);
	kfree(u);
}

/*
 * Moving the entries would need Xen to map the grants again at the new
 * place; the kernel has by now unmapped them at the old one (the notifier
 * ran), so the pages are lost either way: say so instead of moving.
 */
static int user_mremap(struct vm_area_struct *vma)
{
	return -EINVAL;
}

/* Xen refuses a guest's write of an entry that maps a grant. */
static int user_mprotect(struct vm_area_struct *vma, unsigned long start,
			 unsigned long end, unsigned long newflags)
{
	if ((newflags ^ vma->vm_flags) & (VM_READ | VM_WRITE | VM_EXEC))
		return -EINVAL;
	return 0;
}

static const struct vm_operations_struct user_vm_ops = {
	.open = user_open,
	.close = user_close,
	.fault = user_fault,
	.mremap = user_mremap,
	.mprotect = user_mprotect,
};

static int collect_pte(pte_t *pte, unsigned long addr, void *data)
{
	struct xuser *u = data;

	u->ptes[(addr - u->start) >> PAGE_SHIFT] =
		arbitrary_virt_to_machine(pte).maddr;
	return 0;
}

/* Map every page of @u, or none. */
static int map_all(struct xuser *u)
{
	u32 flags = USER_FLAGS | SPECIAL_PTE |
		    (u->map->writable ? 0 : GNTMAP_readonly);
	struct gnttab_map_grant_ref ops[BATCH];
	unsigned long i, done;
	unsigned int n;
	int ret = 0;

	for (done = 0; done < u->npages && !ret; done += n) {
		n = min_t(unsigned long, BATCH, u->npages - done);
		for (i = 0; i < n; i++)
			gnttab_set_map_op(&ops[i], u->ptes[done + i], flags,
					  u->map->refs[u->first + done + i],
					  u->map->domid);
		ret = HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, ops, n);
		for (i = 0; i < n; i++) {
			if (!ret && ops[i].status == GNTST_okay) {
				u->handles[done + i] = ops[i].handle;
			} else {
				u->handles[done + i] = INVALID_GRANT_HANDLE;
				ret = ret ?: -EIO;
			}
		}
	}
	if (ret)
		unmap_range(u, 0, u->npages);
	return ret;
}

int hdmabuf_xgrant_pv_mmap(void *cookie, struct vm_area_struct *vma)
{
	unsigned long npages = vma_pages(vma), i;
	struct xmap *map = cookie;
	struct xuser *u;
	int ret;

	BUILD_BUG_ON(_PAGE_BIT_SPECIAL != PTE_AVAIL0);
	if (!xen_feature(XENFEAT_gnttab_map_avail_bits)) {
		pr_warn_once("Xen cannot mark grant entries special: no process mappings of imports\n");
		return -EOPNOTSUPP;
	}
	if (vma->vm_pgoff > map->npages || npages > map->npages - vma->vm_pgoff)
		return -EINVAL;
	u = kzalloc(sizeof(*u), GFP_KERNEL);
	if (!u)
		return -ENOMEM;
	refcount_set(&u->pieces, 1);
	u->map = map;
	u->start = vma->vm_start;
	u->first = vma->vm_pgoff;
	u->npages = npages;
	mutex_init(&u->lock);
	u->ptes = kvcalloc(npages, sizeof(*u->ptes), GFP_KERNEL);
	u->handles = kvcalloc(npages, sizeof(*u->handles), GFP_KERNEL);
	if (!u->ptes || !u->handles) {
		ret = -ENOMEM;
		goto err_free;
	}
	for (i = 0; i < npages; i++)
		u->handles[i] = INVALID_GRANT_HANDLE;
	/* no copy at fork, no growth: the entries are Xen's, not ours */
	vma->vm_flags |= VM_DONTCOPY | VM_DONTEXPAND | VM_DONTDUMP | VM_IO;
	ret = mmu_interval_notifier_insert_locked(&u->notifier, vma->vm_mm,
						  u->start,
						  npages << PAGE_SHIFT,
						  &user_notifier_ops);
	if (ret)
		goto err_free;
	/* allocates the page tables the grants are written into */
	ret = apply_to_page_range(vma->vm_mm, u->start, npages << PAGE_SHIFT,
				  collect_pte, u);
	if (!ret) {
		mutex_lock(&u->lock);
		ret = map_all(u);
		mutex_unlock(&u->lock);
	}
	if (ret) {
		mmu_interval_notifier_remove(&u->notifier);
		goto err_free;
	}
	vma->vm_ops = &user_vm_ops;
	vma->vm_private_data = u;
	return 0;

err_free:
	kvfree(u->ptes);
	kvfree(u->handles);
	kfree(u);
	return ret;
}
