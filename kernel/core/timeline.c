// SPDX-License-Identifier: GPL-2.0
/*
 * Timelines: the "frame ready" / "frame released" counter of an export.
 */
#include <linux/dma-fence.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include <linux/hyper_dmabuf.h>

#include "timeline.h"

/*
 * A fence has a lock of its own: a sync_file may outlive the export, and
 * with it the timeline.
 */
struct tl_fence {
	struct dma_fence base;		/* first: freed as a dma_fence */
	spinlock_t lock;
	struct list_head node;
};

static const char *tl_driver_name(struct dma_fence *fence)
{
	return KBUILD_MODNAME;
}

static const char *tl_timeline_name(struct dma_fence *fence)
{
	return "export";
}

/* A fence may outlive every file of ours: it holds the module. */
static void tl_release(struct dma_fence *fence)
{
	dma_fence_free(fence);
	module_put(THIS_MODULE);
}

static const struct dma_fence_ops tl_fence_ops = {
	.get_driver_name = tl_driver_name,
	.get_timeline_name = tl_timeline_name,
	.release = tl_release,
};

void hdmabuf_timeline_init(struct hdmabuf_timeline *tl)
{
	spin_lock_init(&tl->lock);
	tl->value = 0;
	tl->context = dma_fence_context_alloc(1);
	INIT_LIST_HEAD(&tl->fences);
	init_waitqueue_head(&tl->wait);
}

/* Signal (with @error, if not 0) the fences the timeline has reached. */
static void signal_fences_locked(struct hdmabuf_timeline *tl, int error)
{
	struct tl_fence *f, *tmp;

	list_for_each_entry_safe(f, tmp, &tl->fences, node) {
		if (!error && f->base.seqno > tl->value)
			continue;
		list_del(&f->node);
		if (error)
			dma_fence_set_error(&f->base, error);
		dma_fence_signal(&f->base);
		dma_fence_put(&f->base);
	}
}

void hdmabuf_timeline_fini(struct hdmabuf_timeline *tl)
{
	spin_lock_irq(&tl->lock);
	signal_fences_locked(tl, -ECANCELED);
	spin_unlock_irq(&tl->lock);
}

int hdmabuf_timeline_signal(struct hdmabuf_timeline *tl, u64 value)
{
	spin_lock_irq(&tl->lock);
	if (value <= tl->value) {
		spin_unlock_irq(&tl->lock);
		return -EINVAL;
	}
	tl->value = value;
	signal_fences_locked(tl, 0);
	spin_unlock_irq(&tl->lock);
	wake_up_all(&tl->wait);
	return 0;
}

u64 hdmabuf_timeline_value(struct hdmabuf_timeline *tl)
{
	u64 value;

	spin_lock_irq(&tl->lock);
	value = tl->value;
	spin_unlock_irq(&tl->lock);
	return value;
}

int hdmabuf_timeline_wait(struct hdmabuf_timeline *tl, u64 value,
			  unsigned int timeout_ms)
{
	long left;

	left = wait_event_interruptible_timeout(tl->wait,
						hdmabuf_timeline_value(tl) >= value,
						msecs_to_jiffies(timeout_ms));
	/* not restarted: a restart would wait the whole timeout again */
	if (left < 0)
		return -EINTR;
	return left || hdmabuf_timeline_value(tl) >= value ? 0 : -ETIMEDOUT;
}

struct dma_fence *hdmabuf_timeline_fence(struct hdmabuf_timeline *tl,
					 u64 value)
{
	struct tl_fence *f;

	if (!try_module_get(THIS_MODULE))
		return ERR_PTR(-ENODEV);
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f) {
		module_put(THIS_MODULE);
		return ERR_PTR(-ENOMEM);
	}
	spin_lock_init(&f->lock);
	dma_fence_init(&f->base, &tl_fence_ops, &f->lock, tl->context, value);
	spin_lock_irq(&tl->lock);
	if (tl->value >= value) {
		dma_fence_signal(&f->base);
	} else {
		/* the list's reference, dropped when signalled */
		dma_fence_get(&f->base);
		list_add(&f->node, &tl->fences);
	}
	spin_unlock_irq(&tl->lock);
	return &f->base;
}

int hdmabuf_timeline_await(struct hdmabuf_timeline *tl,
			   struct hyper_dmabuf_wait *args,
			   struct dma_fence **fence)
{
	int ret = 0;

	if (args->flags & HYPER_DMABUF_WAIT_SYNC_FILE) {
		*fence = hdmabuf_timeline_fence(tl, args->value);
		if (IS_ERR(*fence))
			ret = PTR_ERR(*fence);
	} else {
		ret = hdmabuf_timeline_wait(tl, args->value, args->timeout_ms);
	}
	args->current_value = hdmabuf_timeline_value(tl);
	return ret;
}
