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

#define FENCE_TIMEOUT_MAX_MS	60000

static unsigned int fence_timeout_ms = 10000;
module_param(fence_timeout_ms, uint, 0644);
MODULE_PARM_DESC(fence_timeout_ms,
		 "How long a sync_file of WAIT waits by default before it signals ETIMEDOUT");

/*
 * A fence has a lock of its own: a sync_file may outlive the export, and
 * with it the timeline. A fence may wait for another domain, which may
 * never answer: it has a deadline, and signals with ETIMEDOUT then.
 */
struct tl_fence {
	struct dma_fence base;		/* first: freed as a dma_fence */
	spinlock_t lock;
	struct list_head node;		/* on its timeline; fence_list_lock */
	struct timer_list deadline;	/* holds a reference while pending */
};

/*
 * Guards every fence's place on its timeline, so that the deadline can
 * take a fence off without its timeline, which may be gone by then.
 * Taken inside a timeline's lock.
 */
static DEFINE_SPINLOCK(fence_list_lock);

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
	tl->error = 0;
	tl->context = dma_fence_context_alloc(1);
	INIT_LIST_HEAD(&tl->fences);
	init_waitqueue_head(&tl->wait);
}

/* Off its timeline, signalled (with @error, if not 0); fence_list_lock held. */
static void fence_end_locked(struct tl_fence *f, int error)
{
	list_del_init(&f->node);
	if (error)
		dma_fence_set_error(&f->base, error);
	dma_fence_signal(&f->base);
	/* the deadline's reference, unless it is running: it drops its own */
	if (del_timer(&f->deadline))
		dma_fence_put(&f->base);
	/* the list's */
	dma_fence_put(&f->base);
}

static void fence_deadline(struct timer_list *t)
{
	struct tl_fence *f = from_timer(f, t, deadline);
	unsigned long flags;

	spin_lock_irqsave(&fence_list_lock, flags);
	if (!list_empty(&f->node))
		fence_end_locked(f, -ETIMEDOUT);
	spin_unlock_irqrestore(&fence_list_lock, flags);
	dma_fence_put(&f->base);
}

/* Signal (with tl->error, if set) the fences the timeline has reached. */
static void signal_fences_locked(struct hdmabuf_timeline *tl)
{
	struct tl_fence *f, *tmp;

	spin_lock(&fence_list_lock);
	list_for_each_entry_safe(f, tmp, &tl->fences, node)
		if (tl->error || f->base.seqno <= tl->value)
			fence_end_locked(f, tl->error);
	spin_unlock(&fence_list_lock);
}

void hdmabuf_timeline_cancel(struct hdmabuf_timeline *tl, int error)
{
	spin_lock_irq(&tl->lock);
	if (!tl->error)
		tl->error = error;
	signal_fences_locked(tl);
	spin_unlock_irq(&tl->lock);
	wake_up_all(&tl->wait);
}

void hdmabuf_timeline_fini(struct hdmabuf_timeline *tl)
{
	hdmabuf_timeline_cancel(tl, -ECANCELED);
}

int hdmabuf_timeline_signal(struct hdmabuf_timeline *tl, u64 value)
{
	spin_lock_irq(&tl->lock);
	if (value <= tl->value) {
		spin_unlock_irq(&tl->lock);
		return -EINVAL;
	}
	tl->value = value;
	signal_fences_locked(tl);
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

/* 0 once @tl reached @value, its error once cancelled, else 1. */
static int reached(struct hdmabuf_timeline *tl, u64 value)
{
	int ret;

	spin_lock_irq(&tl->lock);
	ret = tl->value >= value ? 0 : tl->error ?: 1;
	spin_unlock_irq(&tl->lock);
	return ret;
}

int hdmabuf_timeline_wait(struct hdmabuf_timeline *tl, u64 value,
			  unsigned int timeout_ms)
{
	long left;
	int ret;

	left = wait_event_interruptible_timeout(tl->wait,
						reached(tl, value) <= 0,
						msecs_to_jiffies(timeout_ms));
	/* not restarted: a restart would wait the whole timeout again */
	if (left < 0)
		return -EINTR;
	ret = reached(tl, value);
	return ret > 0 ? -ETIMEDOUT : ret;
}

struct dma_fence *hdmabuf_timeline_fence(struct hdmabuf_timeline *tl,
					 u64 value, unsigned int timeout_ms)
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
	INIT_LIST_HEAD(&f->node);
	timer_setup(&f->deadline, fence_deadline, 0);
	dma_fence_init(&f->base, &tl_fence_ops, &f->lock, tl->context, value);
	if (!timeout_ms || timeout_ms > FENCE_TIMEOUT_MAX_MS)
		timeout_ms = min(READ_ONCE(fence_timeout_ms),
				 FENCE_TIMEOUT_MAX_MS);
	spin_lock_irq(&tl->lock);
	if (tl->value >= value || tl->error) {
		if (tl->value < value)
			dma_fence_set_error(&f->base, tl->error);
		dma_fence_signal(&f->base);
	} else {
		/* the list's reference and the deadline's, dropped when done */
		dma_fence_get(&f->base);
		dma_fence_get(&f->base);
		spin_lock(&fence_list_lock);
		list_add(&f->node, &tl->fences);
		mod_timer(&f->deadline,
			  jiffies + msecs_to_jiffies(timeout_ms));
		spin_unlock(&fence_list_lock);
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
		*fence = hdmabuf_timeline_fence(tl, args->value,
						args->timeout_ms);
		if (IS_ERR(*fence))
			ret = PTR_ERR(*fence);
	} else {
		ret = hdmabuf_timeline_wait(tl, args->value, args->timeout_ms);
	}
	args->current_value = hdmabuf_timeline_value(tl);
	return ret;
}
