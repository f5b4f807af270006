// SPDX-License-Identifier: GPL-2.0
/*
 * The ioctls of /dev/hyper_dmabuf, from one table: each request's argument
 * is copied in and its flags and reserved fields checked here, once for
 * all; its handler calls the core, or the Xen group (xrefs.h), on the
 * kernel's copy, which goes back out for the requests that answer.
 */
#include <linux/dma-buf.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sync_file.h>
#include <linux/uaccess.h>

#include "hdmabuf.h"
#include "ioctl.h"
#include "transport.h"
#include "xrefs.h"

long hdmabuf_install_file(struct file *f, void __user *uarg, void *args,
			  size_t size, __s32 *fd_field)
{
	int fd = get_unused_fd_flags(O_CLOEXEC);

	if (fd < 0) {
		fput(f);
		return fd;
	}
	*fd_field = fd;
	if (copy_to_user(uarg, args, size)) {
		put_unused_fd(fd);
		fput(f);
		return -EFAULT;
	}
	fd_install(fd, f);
	return 0;
}

static long ioctl_get_caps(struct hdmabuf_file *file, void *arg,
			   void __user *uarg)
{
	struct hyper_dmabuf_caps *caps = arg;

	memset(caps, 0, sizeof(*caps));
	caps->api_version = HYPER_DMABUF_API_VERSION;
	strscpy(caps->module_version, HDMABUF_VERSION,
		sizeof(caps->module_version));
	hdmabuf_transport_describe(caps);
	return 0;
}

static long ioctl_alloc(struct hdmabuf_file *file, void *arg,
			void __user *uarg)
{
	struct hyper_dmabuf_alloc *args = arg;
	struct dma_buf *dmabuf;

	if (!hdmabuf_mem_flags_valid(args->flags))
		return -EINVAL;
	dmabuf = hdmabuf_alloc(args);
	if (IS_ERR(dmabuf))
		return PTR_ERR(dmabuf);
	return hdmabuf_install_file(dmabuf->file, uarg, args, sizeof(*args),
				    &args->fd);
}

static long ioctl_export(struct hdmabuf_file *file, void *arg,
			 void __user *uarg)
{
	struct hyper_dmabuf_export *args = arg;
	struct hyper_dmabuf_meta *meta = NULL;
	long ret;

	if (args->meta) {
		meta = memdup_user(u64_to_user_ptr(args->meta), sizeof(*meta));
		if (IS_ERR(meta))
			return PTR_ERR(meta);
	}
	ret = hdmabuf_export(file, args, meta);
	kfree(meta);
	if (ret)
		return ret;
	/* an id the caller never learnt would be offered for nothing */
	if (copy_to_user(uarg, args, sizeof(*args))) {
		struct hyper_dmabuf_unexport undo = { .id = args->id };

		hdmabuf_unexport(file, &undo);
		return -EFAULT;
	}
	return 0;
}

static long ioctl_import(struct hdmabuf_file *file, void *arg,
			 void __user *uarg)
{
	struct hyper_dmabuf_import *args = arg;
	struct hyper_dmabuf_meta *meta;
	struct dma_buf *dmabuf;

	meta = kmalloc(sizeof(*meta), GFP_KERNEL);
	if (!meta)
		return -ENOMEM;
	dmabuf = hdmabuf_import(file, args, meta);
	if (IS_ERR(dmabuf)) {
		kfree(meta);
		return PTR_ERR(dmabuf);
	}
	if (args->meta && copy_to_user(u64_to_user_ptr(args->meta), meta,
				       sizeof(*meta))) {
		kfree(meta);
		dma_buf_put(dmabuf);
		return -EFAULT;
	}
	kfree(meta);
	return hdmabuf_install_file(dmabuf->file, uarg, args, sizeof(*args),
				    &args->fd);
}

static long ioctl_unexport(struct hdmabuf_file *file, void *arg,
			   void __user *uarg)
{
	return hdmabuf_unexport(file, arg);
}

static long ioctl_query(struct hdmabuf_file *file, void *arg,
			void __user *uarg)
{
	struct hyper_dmabuf_query *args = arg;
	int ret;

	ret = hdmabuf_export_query(file, &args->id, &args->info);
	if (ret == -ENOENT)
		ret = hdmabuf_import_query(file, &args->id, &args->info);
	return ret;
}

/* More than any domain holds; bounds the kernel's buffer. */
#define LIST_CAPACITY_MAX	65536
#define PEERS_CAPACITY_MAX	32768	/* Xen has fewer domain ids */

/*
 * LIST and PEERS: @fill writes at most @cap entries of @size bytes into
 * @table, as @file may see them, and returns how many there are; the
 * caller's array at @entries gets min(count, capacity) of them.
 */
static long copy_table(struct hdmabuf_file *file, u64 entries, u32 capacity,
		       u32 *count, size_t size, unsigned int cap_max,
		       unsigned int (*fill)(struct hdmabuf_file *file,
					    void *table, unsigned int cap))
{
	unsigned int cap = min_t(u32, capacity, cap_max), n;
	void *table = NULL;
	long ret = 0;

	if (cap) {
		table = kvcalloc(cap, size, GFP_KERNEL);
		if (!table)
			return -ENOMEM;
	}
	n = fill(file, table, cap);
	*count = n;
	if (copy_to_user(u64_to_user_ptr(entries), table, min(n, cap) * size))
		ret = -EFAULT;
	kvfree(table);
	return ret;
}

/* Every export, then every import @file may see. */
static unsigned int fill_buffers(struct hdmabuf_file *file, void *table,
				 unsigned int cap)
{
	struct hyper_dmabuf_info *infos = table;
	unsigned int n = hdmabuf_exports_list(file, infos, cap);

	return n + hdmabuf_imports_list(file,
					infos ? infos + min(n, cap) : NULL,
					cap - min(n, cap));
}

/* Every peer, for any opener: peers are no secret of a buffer's. */
static unsigned int fill_peers(struct hdmabuf_file *file, void *table,
			       unsigned int cap)
{
	return hdmabuf_transport_peers(table, cap);
}

static long ioctl_list(struct hdmabuf_file *file, void *arg,
		       void __user *uarg)
{
	struct hyper_dmabuf_list *args = arg;

	return copy_table(file, args->entries, args->capacity, &args->count,
			  sizeof(struct hyper_dmabuf_info), LIST_CAPACITY_MAX,
			  fill_buffers);
}

static long ioctl_peers(struct hdmabuf_file *file, void *arg,
			void __user *uarg)
{
	struct hyper_dmabuf_peers *args = arg;

	return copy_table(file, args->entries, args->capacity, &args->count,
			  sizeof(struct hyper_dmabuf_peer), PEERS_CAPACITY_MAX,
			  fill_peers);
}

static long ioctl_revoke(struct hdmabuf_file *file, void *arg,
			 void __user *uarg)
{
	return hdmabuf_revoke(file, arg);
}

/* Whether @id names an export of another domain: its imports here answer. */
static bool foreign(const struct hyper_dmabuf_id *id)
{
	return id->domid != hdmabuf_local_domid;
}

/* Another domain's export: its exporter moves the timeline. */
static long ioctl_signal(struct hdmabuf_file *file, void *arg,
			 void __user *uarg)
{
	struct hyper_dmabuf_signal *args = arg;

	if (foreign(&args->id))
		return hdmabuf_import_signal(file, &args->id, args->value);
	return hdmabuf_signal(file, args);
}

/*
 * Answers even on a timeout: the caller learns the value it reached. On
 * another domain's export it waits on the copy its imports here keep.
 */
static long ioctl_wait(struct hdmabuf_file *file, void *arg,
		       void __user *uarg)
{
	struct hyper_dmabuf_wait *args = arg;
	struct dma_fence *fence = NULL;
	struct sync_file *sync;
	int ret;

	args->fence_fd = -1;
	if (foreign(&args->id))
		ret = hdmabuf_import_wait(file, args, &fence);
	else
		ret = hdmabuf_wait(file, args, &fence);
	if (ret && ret != -ETIMEDOUT)
		return ret;
	if (!fence)
		return copy_to_user(uarg, args, sizeof(*args)) ? -EFAULT : ret;
	sync = sync_file_create(fence);
	dma_fence_put(fence);
	if (!sync)
		return -ENOMEM;
	return hdmabuf_install_file(sync->file, uarg, args, sizeof(*args),
				    &args->fence_fd);
}

/*
 * A request: the size of its argument, the flags it takes and where its
 * flags and must-be-zero fields lie (-1: it has none), where it names a
 * peer or an id, its handler, and whether the argument goes back out once
 * the handler succeeded (else the handler answers itself, as those that
 * hand out a file must). Those of the Xen group are for root only, which
 * is asked before their argument is read (@xen).
 */
struct request {
	unsigned int cmd;
	unsigned int size;
	u32 flags;
	int flags_off, reserved0_off, reserved_off;
	unsigned int reserved_size;
	bool has_peer, has_id;
	unsigned int peer_off, id_off;
	bool answers;
	bool xen;
	long (*fn)(struct hdmabuf_file *file, void *arg, void __user *uarg);
};

#define HAS_RESERVED(type)						\
	.reserved_off = offsetof(struct type, reserved),		\
	.reserved_size = sizeof_field(struct type, reserved)
#define NO_RESERVED		.reserved_off = -1
#define HAS_RESERVED0(type)	.reserved0_off = offsetof(struct type, reserved0)
#define NO_RESERVED0		.reserved0_off = -1
#define PEER_IN(type)	.has_peer = true, .peer_off = offsetof(struct type, peer)
#define ID_IN(type)	.has_id = true, .id_off = offsetof(struct type, id)
#define REQUEST(c, type, allowed, answer, handler)			\
	.cmd = HYPER_DMABUF_IOCTL_##c, .size = sizeof(struct type),	\
	.flags = (allowed), .flags_off = offsetof(struct type, flags),	\
	.answers = (answer), .fn = (handler)
/* One of the Xen group: no answer by the table, maybe no flags field. */
#define XEN_REQUEST(c, type, handler)					\
	.cmd = HYPER_DMABUF_IOCTL_XEN_##c, .size = sizeof(struct type),	\
	.xen = true, .fn = (handler), NO_RESERVED0, HAS_RESERVED(type)
#define HAS_FLAGS(type, allowed)					\
	.flags = (allowed), .flags_off = offsetof(struct type, flags)
#define NO_FLAGS		.flags_off = -1

static const struct request requests[] = {
	{ REQUEST(GET_CAPS, hyper_dmabuf_caps, 0, true, ioctl_get_caps),
	  HAS_RESERVED0(hyper_dmabuf_caps), HAS_RESERVED(hyper_dmabuf_caps) },
	/* ALLOC's flags are checked whole by its handler: they combine */
	{ REQUEST(ALLOC, hyper_dmabuf_alloc, U32_MAX, false, ioctl_alloc),
	  NO_RESERVED0, HAS_RESERVED(hyper_dmabuf_alloc) },
	{ REQUEST(EXPORT, hyper_dmabuf_export,
		  HYPER_DMABUF_EXPORT_RW | HYPER_DMABUF_EXPORT_PERSISTENT,
		  false, ioctl_export),
	  HAS_RESERVED0(hyper_dmabuf_export), HAS_RESERVED(hyper_dmabuf_export),
	  PEER_IN(hyper_dmabuf_export) },
	{ REQUEST(IMPORT, hyper_dmabuf_import, 0, false, ioctl_import),
	  HAS_RESERVED0(hyper_dmabuf_import), HAS_RESERVED(hyper_dmabuf_import),
	  ID_IN(hyper_dmabuf_import) },
	{ REQUEST(UNEXPORT, hyper_dmabuf_unexport, 0, false, ioctl_unexport),
	  NO_RESERVED0, HAS_RESERVED(hyper_dmabuf_unexport),
	  ID_IN(hyper_dmabuf_unexport) },
	{ REQUEST(QUERY, hyper_dmabuf_query, 0, true, ioctl_query),
	  HAS_RESERVED0(hyper_dmabuf_query), NO_RESERVED,
	  ID_IN(hyper_dmabuf_query) },
	{ REQUEST(LIST, hyper_dmabuf_list, 0, true, ioctl_list),
	  HAS_RESERVED0(hyper_dmabuf_list), HAS_RESERVED(hyper_dmabuf_list) },
	{ REQUEST(REVOKE, hyper_dmabuf_revoke, 0, true, ioctl_revoke),
	  HAS_RESERVED0(hyper_dmabuf_revoke), HAS_RESERVED(hyper_dmabuf_revoke),
	  ID_IN(hyper_dmabuf_revoke) },
	{ REQUEST(SIGNAL, hyper_dmabuf_signal, 0, false, ioctl_signal),
	  HAS_RESERVED0(hyper_dmabuf_signal), HAS_RESERVED(hyper_dmabuf_signal),
	  ID_IN(hyper_dmabuf_signal) },
	{ REQUEST(WAIT, hyper_dmabuf_wait, HYPER_DMABUF_WAIT_SYNC_FILE, false,
		  ioctl_wait),
	  HAS_RESERVED0(hyper_dmabuf_wait), HAS_RESERVED(hyper_dmabuf_wait),
	  ID_IN(hyper_dmabuf_wait) },
	{ REQUEST(PEERS, hyper_dmabuf_peers, 0, true, ioctl_peers),
	  HAS_RESERVED0(hyper_dmabuf_peers), HAS_RESERVED(hyper_dmabuf_peers) },
#if IS_ENABLED(CONFIG_XEN)
	/* as ALLOC's, these flags are checked whole by the handler */
	{ XEN_REQUEST(EXP_FROM_REFS, hyper_dmabuf_xen_exp_from_refs,
		      hdmabuf_xrefs_exp_from_refs),
	  HAS_FLAGS(hyper_dmabuf_xen_exp_from_refs, U32_MAX) },
	{ XEN_REQUEST(EXP_WAIT_RELEASED, hyper_dmabuf_xen_exp_wait_released,
		      hdmabuf_xrefs_exp_wait_released),
	  NO_FLAGS },
	{ XEN_REQUEST(IMP_TO_REFS, hyper_dmabuf_xen_imp_to_refs,
		      hdmabuf_xrefs_imp_to_refs),
	  HAS_FLAGS(hyper_dmabuf_xen_imp_to_refs, HYPER_DMABUF_XEN_GRANT_RO) },
	{ XEN_REQUEST(IMP_RELEASE, hyper_dmabuf_xen_imp_release,
		      hdmabuf_xrefs_imp_release),
	  NO_FLAGS },
#endif
};

/* Room for the argument of any request. */
union request_arg {
	struct hyper_dmabuf_caps caps;
	struct hyper_dmabuf_alloc alloc;
	struct hyper_dmabuf_export export;
	struct hyper_dmabuf_import import;
	struct hyper_dmabuf_unexport unexport;
	struct hyper_dmabuf_query query;
	struct hyper_dmabuf_list list;
	struct hyper_dmabuf_revoke revoke;
	struct hyper_dmabuf_signal signal;
	struct hyper_dmabuf_wait wait;
	struct hyper_dmabuf_peers peers;
	struct hyper_dmabuf_xen_exp_from_refs xen_exp_from_refs;
	struct hyper_dmabuf_xen_exp_wait_released xen_exp_wait_released;
	struct hyper_dmabuf_xen_imp_to_refs xen_imp_to_refs;
	struct hyper_dmabuf_xen_imp_release xen_imp_release;
};

/* Only the flags it takes, and its reserved fields zero. */
static bool arg_valid(const struct request *req, const void *arg)
{
	u32 flags = 0, reserved0 = 0;

	if (req->flags_off >= 0)
		memcpy(&flags, arg + req->flags_off, sizeof(flags));
	if (req->reserved0_off >= 0)
		memcpy(&reserved0, arg + req->reserved0_off, sizeof(reserved0));
	return !(flags & ~req->flags) && !reserved0 &&
	       (req->reserved_off < 0 ||
		hdmabuf_zeroed(arg + req->reserved_off, req->reserved_size));
}

/*
 * One name for this domain, from here on: user space may give its number or
 * SELF. A peer is named as its transport names it (SELF, the loopback's,
 * for this domain) and an id by its exporter's number, as every domain
 * knows it. The core keeps them so, and so answers: its peers in LIST,
 * QUERY, PEERS and events are SELF for this domain already.
 */
static void names_in(const struct request *req, void *arg)
{
	u32 *peer = arg + req->peer_off;
	struct hyper_dmabuf_id *id = arg + req->id_off;

	if (req->has_peer && *peer == hdmabuf_local_domid)
		*peer = HYPER_DMABUF_DOMID_SELF;
	if (req->has_id && id->domid == HYPER_DMABUF_DOMID_SELF)
		id->domid = hdmabuf_local_domid;
}

/* A number of the Xen group, known or not. */
static bool xen_group(unsigned int cmd)
{
	return _IOC_TYPE(cmd) == HYPER_DMABUF_IOC_MAGIC &&
	       _IOC_NR(cmd) >= HDMABUF_XREFS_IOC_FIRST &&
	       _IOC_NR(cmd) <= HDMABUF_XREFS_IOC_LAST;
}

long hdmabuf_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct hdmabuf_file *file = filp->private_data;
	void __user *uarg = (void __user *)arg;
	const struct request *req = NULL;
	union request_arg buf;
	unsigned int i;
	long ret;

	/* off Xen, the whole group: before anything else */
	if (xen_group(cmd) && !hdmabuf_xrefs_present(file))
		return -ENODEV;
	for (i = 0; i < ARRAY_SIZE(requests); i++) {
		if (requests[i].cmd == cmd) {
			req = &requests[i];
			break;
		}
	}
	if (!req)
		return -ENOTTY;
	if (req->xen && !hdmabuf_xrefs_permitted(file))
		return -EPERM;
	if (copy_from_user(&buf, uarg, req->size))
		return -EFAULT;
	if (!arg_valid(req, &buf))
		return -EINVAL;
	names_in(req, &buf);
	ret = req->fn(file, &buf, uarg);
	if (ret || !req->answers)
		return ret;
	return copy_to_user(uarg, &buf, req->size) ? -EFAULT : 0;
}
