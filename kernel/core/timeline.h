/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A 64-bit timeline that only moves forward, with sleeping waits and
 * dma-fences that signal when it reaches a value.
 */
#ifndef HDMABUF_TIMELINE_H
#define HDMABUF_TIMELINE_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

struct dma_fence;

struct hdmabuf_timeline {
	spinlock_t lock;		/* protects value, fences */
	u64 value;
	int error;			/* cancelled: what waits fails so */
	u64 context;
	struct list_head fences;	/* unsignalled, by no order */
	wait_queue_head_t wait;
};

void hdmabuf_timeline_init(struct hdmabuf_timeline *tl);
/*
 * What waits and what will wait fails with @error (the first one given):
 * the buffer was revoked, or its peer is gone.
 */
void hdmabuf_timeline_cancel(struct hdmabuf_timeline *tl, int error);
/* Cancel what still waits: the timeline is going away. */
void hdmabuf_timeline_fini(struct hdmabuf_timeline *tl);
int hdmabuf_timeline_signal(struct hdmabuf_timeline *tl, u64 value);
u64 hdmabuf_timeline_value(struct hdmabuf_timeline *tl);
int hdmabuf_timeline_wait(struct hdmabuf_timeline *tl, u64 value,
			  unsigned int timeout_ms);
/*
 * A fence that signals when @tl reaches @value, or with ETIMEDOUT after
 * @timeout_ms (0: the module's default; at most 60 s), or with the
 * timeline's error.
 */
struct dma_fence *hdmabuf_timeline_fence(struct hdmabuf_timeline *tl,
					 u64 value, unsigned int timeout_ms);
struct hyper_dmabuf_wait;
/* WAIT on @tl: block, or with WAIT_SYNC_FILE return a fence in *@fence. */
int hdmabuf_timeline_await(struct hdmabuf_timeline *tl,
			   struct hyper_dmabuf_wait *args,
			   struct dma_fence **fence);

#endif /* HDMABUF_TIMELINE_H */
