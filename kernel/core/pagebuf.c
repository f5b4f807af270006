// SPDX-License-Identifier: GPL-2.0
/*
 * The dma-buf exporter for buffers made of an array of pages: mmap, CPU
 * access bracketing (DMA_BUF_IOCTL_SYNC), vmap, and attach/map by other
 * drivers. Nothing here knows where the pages come from.
 */
#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/fcntl.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <xen/xen.h>

#include "pagebuf.h"

struct pagebuf {
	struct page **pages;
	unsigned long npages;
	struct hdmabuf_pagebuf_owner *owner;
	struct mutex lock;		/* protects attachments */
	struct list_head attachments;
	/* a fault installs its entry under it: none comes after a revoke */
	struct rw_semaphore revoke_lock;
	bool revoked;
	bool writable;
};

struct pagebuf_attachment {
	struct list_head node;
	struct device *dev;
	struct sg_table *sgt;		/* while mapped */
	enum dma_data_direction dir;
};

static int pagebuf_attach(struct dma_buf *dmabuf,
			  struct dma_buf_attachment *attach)
{
	struct pagebuf *pb = dmabuf->priv;
	struct pagebuf_attachment *pa = kzalloc(sizeof(*pa), GFP_KERNEL);

	if (!pa)
		return -ENOMEM;
	pa->dev = attach->dev;
	attach->priv = pa;
	mutex_lock(&pb->lock);
	list_add(&pa->node, &pb->attachments);
	mutex_unlock(&pb->lock);
	return 0;
}

static void pagebuf_detach(struct dma_buf *dmabuf,
			   struct dma_buf_attachment *attach)
{
	struct pagebuf *pb = dmabuf->priv;
	struct pagebuf_attachment *pa = attach->priv;

	mutex_lock(&pb->lock);
	list_del(&pa->node);
	mutex_unlock(&pb->lock);
	kfree(pa);
}

/*
 * Devices map the pages one a segment: another domain's, and every page
 * of a Xen PV domain, whose pages next to each other for the kernel may
 * lie apart in the machine (no DMA layer has to bounce such a run, which
 * swiotlb-xen cannot do and refuses).
 */
static bool pagebuf_page_segments(const struct pagebuf *pb)
{
	return pb->owner->page_segments || xen_pv_domain();
}

static struct sg_table *pagebuf_map(struct dma_buf_attachment *attach,
				    enum dma_data_direction dir)
{
	struct pagebuf *pb = attach->dmabuf->priv;
	struct pagebuf_attachment *pa = attach->priv;
	struct sg_table *sgt;
	int ret;

	if (READ_ONCE(pb->revoked))
		return ERR_PTR(-ENODEV);
	/*
	 * A read-only buffer is mapped for devices to read, whatever the
	 * importer asks (PRIME asks for both ways): an IOMMU then refuses
	 * the device's writes, and a bounce buffer is never copied back.
	 */
	if (!pb->writable)
		dir = DMA_TO_DEVICE;
	sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);
	if (!sgt)
		return ERR_PTR(-ENOMEM);
	ret = sg_alloc_table_from_pages_segment(sgt, pb->pages, pb->npages, 0,
						pb->npages << PAGE_SHIFT,
						pagebuf_page_segments(pb) ?
						PAGE_SIZE : UINT_MAX,
						GFP_KERNEL);
	if (ret)
		goto err_free;
	ret = dma_map_sgtable(attach->dev, sgt, dir, 0);
	if (ret)
		goto err_table;
	mutex_lock(&pb->lock);
	pa->sgt = sgt;
	pa->dir = dir;
	mutex_unlock(&pb->lock);
	return sgt;

err_table:
	sg_free_table(sgt);
err_free:
	kfree(sgt);
	return ERR_PTR(ret);
}

static void pagebuf_unmap(struct dma_buf_attachment *attach,
			  struct sg_table *sgt, enum dma_data_direction dir)
{
	struct pagebuf *pb = attach->dmabuf->priv;
	struct pagebuf_attachment *pa = attach->priv;

	mutex_lock(&pb->lock);
	pa->sgt = NULL;
	mutex_unlock(&pb->lock);
	/* as it was mapped, which may not be as the importer asked */
	dma_unmap_sgtable(attach->dev, sgt, pa->dir, 0);
	sg_free_table(sgt);
	kfree(sgt);
}

/*
 * CPU access is bracketed by cache maintenance for every device mapping,
 * which matters where DMA is not coherent (much of arm64).
 */
static int pagebuf_begin_cpu(struct dma_buf *dmabuf,
			     enum dma_data_direction dir)
{
	struct pagebuf *pb = dmabuf->priv;
	struct pagebuf_attachment *pa;

	if (READ_ONCE(pb->revoked))
		return -ENODEV;
	mutex_lock(&pb->lock);
	list_for_each_entry(pa, &pb->attachments, node)
		if (pa->sgt)
			dma_sync_sgtable_for_cpu(pa->dev, pa->sgt, pa->dir);
	mutex_unlock(&pb->lock);
	return 0;
}

static int pagebuf_end_cpu(struct dma_buf *dmabuf,
			   enum dma_data_direction dir)
{
	struct pagebuf *pb = dmabuf->priv;
	struct pagebuf_attachment *pa;

	mutex_lock(&pb->lock);
	list_for_each_entry(pa, &pb->attachments, node)
		if (pa->sgt)
			dma_sync_sgtable_for_device(pa->dev, pa->sgt, pa->dir);
	mutex_unlock(&pb->lock);
	return 0;
}

/*
 * Pages are mapped on fault, not up front, so that a mapping can later be
 * torn down and further access refused (revoke). The entry is made here,
 * under the revoke lock, not by the caller once the lock is gone: else a
 * fault that saw the buffer alive could map a page after the revoke tore
 * the mappings down.
 */
static vm_fault_t pagebuf_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct pagebuf *pb = vma->vm_private_data;
	struct page *page;
	vm_fault_t ret;
	int err;

	if (vmf->pgoff >= pb->npages)
		return VM_FAULT_SIGBUS;
	page = pb->pages[vmf->pgoff];
	down_read(&pb->revoke_lock);
	if (pb->revoked) {
		ret = VM_FAULT_SIGBUS;
	} else if (pb->owner->pfn_map) {
		ret = vmf_insert_pfn(vma, vmf->address, page_to_pfn(page));
	} else {
		err = vm_insert_page(vma, vmf->address, page);
		/* EBUSY: another thread's fault mapped it first */
		ret = !err || err == -EBUSY ? VM_FAULT_NOPAGE : vmf_error(err);
	}
	up_read(&pb->revoke_lock);
	return ret;
}

static const struct vm_operations_struct pagebuf_vm_ops = {
	.fault = pagebuf_fault,
};

static int pagebuf_mmap(struct dma_buf *dmabuf, struct vm_area_struct *vma)
{
	struct pagebuf *pb = dmabuf->priv;

	if (READ_ONCE(pb->revoked))
		return -ENODEV;
	if (pb->owner->mmap)
		return pb->owner->mmap(pb->owner, vma);
	if (pb->owner->pfn_map) {
		/* no copy-on-write page could be taken from such memory */
		if (is_cow_mapping(vma->vm_flags))
			return -EINVAL;
		vma->vm_flags |= VM_PFNMAP;
	} else {
		vma->vm_flags |= VM_MIXEDMAP;
	}
	vma->vm_ops = &pagebuf_vm_ops;
	vma->vm_private_data = dmabuf->priv;
	vma->vm_flags |= VM_DONTEXPAND | VM_DONTDUMP;
	return 0;
}

static int pagebuf_vmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
	struct pagebuf *pb = dmabuf->priv;
	void *vaddr;

	if (READ_ONCE(pb->revoked))
		return -ENODEV;
	if (pb->owner->vaddr) {
		iosys_map_set_vaddr(map, pb->owner->vaddr);
		return 0;
	}
	if (pb->owner->mmap)
		return -EOPNOTSUPP;
	vaddr = vm_map_ram(pb->pages, pb->npages, NUMA_NO_NODE);
	if (!vaddr)
		return -ENOMEM;
	iosys_map_set_vaddr(map, vaddr);
	return 0;
}

static void pagebuf_vunmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
	struct pagebuf *pb = dmabuf->priv;

	if (map->vaddr != pb->owner->vaddr)
		vm_unmap_ram(map->vaddr, pb->npages);
	iosys_map_clear(map);
}

static void pagebuf_release(struct dma_buf *dmabuf)
{
	struct pagebuf *pb = dmabuf->priv;

	pb->owner->release(pb->owner);
	kfree(pb);
}

void hdmabuf_pagebuf_revoke(struct dma_buf *dmabuf)
{
	struct pagebuf *pb = dmabuf->priv;

	down_write(&pb->revoke_lock);
	WRITE_ONCE(pb->revoked, true);
	up_write(&pb->revoke_lock);
	/* every mapping of the buffer is a mapping of its file */
	unmap_mapping_range(dmabuf->file->f_mapping, 0, 0, 1);
}

static const struct dma_buf_ops pagebuf_ops = {
	.attach = pagebuf_attach,
	.detach = pagebuf_detach,
	.map_dma_buf = pagebuf_map,
	.unmap_dma_buf = pagebuf_unmap,
	.begin_cpu_access = pagebuf_begin_cpu,
	.end_cpu_access = pagebuf_end_cpu,
	.mmap = pagebuf_mmap,
	.vmap = pagebuf_vmap,
	.vunmap = pagebuf_vunmap,
	.release = pagebuf_release,
};

struct dma_buf *hdmabuf_pagebuf_export(struct page **pages,
				       unsigned long npages, bool writable,
				       struct hdmabuf_pagebuf_owner *owner)
{
	DEFINE_DMA_BUF_EXPORT_INFO(info);
	struct dma_buf *dmabuf;
	struct pagebuf *pb;

	pb = kzalloc(sizeof(*pb), GFP_KERNEL);
	if (!pb)
		return ERR_PTR(-ENOMEM);
	pb->pages = pages;
	pb->npages = npages;
	pb->owner = owner;
	pb->writable = writable;
	mutex_init(&pb->lock);
	INIT_LIST_HEAD(&pb->attachments);
	init_rwsem(&pb->revoke_lock);

	info.ops = &pagebuf_ops;
	info.size = npages << PAGE_SHIFT;
	/* a read-only file: the VFS then refuses writable shared mappings */
	info.flags = writable ? O_RDWR : O_RDONLY;
	info.priv = pb;
	dmabuf = dma_buf_export(&info);
	if (IS_ERR(dmabuf))
		kfree(pb);
	return dmabuf;
}
