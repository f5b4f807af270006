// SPDX-License-Identifier: GPL-2.0
/*
 * Events: every open of the device has a bounded queue of records about
 * this domain's exports and imports, read with read() and poll(). A full
 * queue counts what it drops and says so first at the next read. Each
 * event goes to the openers of its audience only (struct hdmabuf_audience).
 */
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#include "hdmabuf.h"

static unsigned int event_queue_len = 256;
module_param(event_queue_len, uint, 0644);
MODULE_PARM_DESC(event_queue_len, "Events queued per open device at most");

/* Every open queue; posting walks it. */
static LIST_HEAD(queues);
static DEFINE_SPINLOCK(queues_lock);

int hdmabuf_events_open(struct hdmabuf_events *ev)
{
	ev->len = clamp(event_queue_len, 1U, 65536U);
	/* charged to the opener's memory cgroup, as the queue is its */
	ev->ring = kvcalloc(ev->len, sizeof(*ev->ring), GFP_KERNEL_ACCOUNT);
	if (!ev->ring)
		return -ENOMEM;
	spin_lock_init(&ev->lock);
	init_waitqueue_head(&ev->wait);
	spin_lock(&queues_lock);
	list_add(&ev->node, &queues);
	spin_unlock(&queues_lock);
	return 0;
}

void hdmabuf_events_close(struct hdmabuf_events *ev)
{
	spin_lock(&queues_lock);
	list_del(&ev->node);
	spin_unlock(&queues_lock);
	kvfree(ev->ring);
}

static void queue_push(struct hdmabuf_events *ev,
		       const struct hyper_dmabuf_event *e)
{
	spin_lock(&ev->lock);
	if (ev->count == ev->len) {
		ev->lost++;
	} else {
		ev->ring[(ev->head + ev->count) % ev->len] = *e;
		ev->count++;
	}
	spin_unlock(&ev->lock);
	wake_up_interruptible(&ev->wait);
}

/*
 * Whether the opener of @ev is in @to. A key is the capability to a
 * buffer: an event naming one goes only to those who may use it.
 */
static bool hears(struct hdmabuf_events *ev, const struct hdmabuf_audience *to)
{
	struct hdmabuf_file *file = container_of(ev, struct hdmabuf_file,
						 events);

	if (to->all || file->admin)
		return true;
	if (to->owner && uid_eq(file->uid, *to->owner))
		return true;
	return hdmabuf_file_holds(file, to->held, to->hold);
}

void hdmabuf_event_post(const struct hdmabuf_audience *to, u32 type, u32 peer,
			const struct hyper_dmabuf_id *id, u64 value)
{
	struct hyper_dmabuf_event e = {
		.type = type,
		.peer = peer,
		.id = *id,
		.value = value,
		.timestamp_ns = ktime_get_ns(),
	};
	struct hdmabuf_events *ev;

	spin_lock(&queues_lock);
	list_for_each_entry(ev, &queues, node)
		if (hears(ev, to))
			queue_push(ev, &e);
	spin_unlock(&queues_lock);
}

/* The next record: an overflow report first, if events were lost. */
static bool queue_pop(struct hdmabuf_events *ev, struct hyper_dmabuf_event *e)
{
	bool got = true;

	spin_lock(&ev->lock);
	if (ev->lost) {
		memset(e, 0, sizeof(*e));
		e->type = HYPER_DMABUF_EVENT_OVERFLOW;
		e->value = ev->lost;
		e->timestamp_ns = ktime_get_ns();
		ev->lost = 0;
	} else if (ev->count) {
		*e = ev->ring[ev->head];
		ev->head = (ev->head + 1) % ev->len;
		ev->count--;
	} else {
		got = false;
	}
	spin_unlock(&ev->lock);
	return got;
}

static bool queue_ready(struct hdmabuf_events *ev)
{
	return READ_ONCE(ev->count) || READ_ONCE(ev->lost);
}

ssize_t hdmabuf_events_read(struct hdmabuf_events *ev, char __user *buf,
			    size_t len, bool nonblock)
{
	struct hyper_dmabuf_event e;
	size_t done = 0;
	int ret;

	if (len < sizeof(e))
		return -EINVAL;
	while (!queue_ready(ev)) {
		if (nonblock)
			return -EAGAIN;
		ret = wait_event_interruptible(ev->wait, queue_ready(ev));
		if (ret)
			return ret;
	}
	while (done + sizeof(e) <= len && queue_pop(ev, &e)) {
		if (copy_to_user(buf + done, &e, sizeof(e)))
			return done ? done : -EFAULT;
		done += sizeof(e);
	}
	return done;
}

__poll_t hdmabuf_events_poll(struct hdmabuf_events *ev, struct file *filp,
			     poll_table *wait)
{
	poll_wait(filp, &ev->wait, wait);
	return queue_ready(ev) ? EPOLLIN | EPOLLRDNORM : 0;
}
