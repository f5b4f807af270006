// SPDX-License-Identifier: GPL-2.0
/*
 * Which open file holds which import. An import is for the file it was
 * made through, and so are the events about it: event.c and export.c ask
 * here, and import.c holds and unholds.
 */
#include <linux/list.h>
#include <linux/spinlock.h>

#include "hdmabuf.h"

/* Taken inside import.c's lock and inside the events' lock, never around. */
static DEFINE_SPINLOCK(holds_lock);

void hdmabuf_hold(struct hdmabuf_hold *hold, struct hdmabuf_file *file,
		  const struct hyper_dmabuf_id *id)
{
	hold->id = id;
	spin_lock(&holds_lock);
	hold->file = file;
	list_add_tail(&hold->node, &file->holds);
	spin_unlock(&holds_lock);
}

void hdmabuf_unhold(struct hdmabuf_hold *hold)
{
	spin_lock(&holds_lock);
	if (hold->file) {
		list_del(&hold->node);
		hold->file = NULL;
	}
	spin_unlock(&holds_lock);
}

void hdmabuf_holds_release(struct hdmabuf_file *file)
{
	struct hdmabuf_hold *hold, *next;

	spin_lock(&holds_lock);
	list_for_each_entry_safe(hold, next, &file->holds, node) {
		list_del(&hold->node);
		hold->file = NULL;
	}
	spin_unlock(&holds_lock);
}

bool hdmabuf_file_holds(const struct hdmabuf_file *file,
			const struct hyper_dmabuf_id *id,
			const struct hdmabuf_hold *hold)
{
	const struct hdmabuf_hold *h;
	bool holds = false;

	if (!id && !hold)
		return false;
	spin_lock(&holds_lock);
	list_for_each_entry(h, &file->holds, node) {
		if (h == hold || (id && !hdmabuf_id_match(h->id, id))) {
			holds = true;
			break;
		}
	}
	spin_unlock(&holds_lock);
	return holds;
}
