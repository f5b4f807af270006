/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the parts of the core share: the exports registry, imports, ALLOC,
 * metadata checks and the module's counters.
 */
#ifndef HDMABUF_CORE_H
#define HDMABUF_CORE_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/wait.h>
#include <crypto/algapi.h>
#include <linux/hyper_dmabuf.h>

struct dentry;
struct device;
struct dma_buf;
struct dma_fence;
struct page;

/* The device DMA memory is allocated for (ALLOC with a MEM flag). */
extern struct device *hdmabuf_dma_dev;
/*
 * This domain's number, as ids name it: HYPER_DMABUF_DOMID_SELF when no
 * transport gives it one (off Xen). Set at a transport's registration.
 */
extern u32 hdmabuf_local_domid;

/* event.c: one queue of events per open of the device */
struct hdmabuf_events {
	spinlock_t lock;		/* protects the ring, count, lost */
	struct hyper_dmabuf_event *ring;
	unsigned int len, head, count;
	u64 lost;
	wait_queue_head_t wait;
	struct list_head node;
};

struct hdmabuf_import;

/*
 * Who hears of an event: every opener of the device (@all), or the
 * openers of user @owner, those holding an import of @held, the one
 * holding @import; openers with CAP_SYS_ADMIN hear of everything.
 */
struct hdmabuf_audience {
	bool all;
	const kuid_t *owner;
	const struct hyper_dmabuf_id *held;
	const struct hdmabuf_hold *hold;
};

int hdmabuf_events_open(struct hdmabuf_events *ev);
void hdmabuf_events_close(struct hdmabuf_events *ev);
void hdmabuf_event_post(const struct hdmabuf_audience *to, u32 type, u32 peer,
			const struct hyper_dmabuf_id *id, u64 value);
ssize_t hdmabuf_events_read(struct hdmabuf_events *ev, char __user *buf,
			    size_t len, bool nonblock);
__poll_t hdmabuf_events_poll(struct hdmabuf_events *ev, struct file *filp,
			     poll_table *wait);

/* 0 if @have is the id @want names; else -ENOENT, or -EKEYREJECTED. */
static inline int hdmabuf_id_match(const struct hyper_dmabuf_id *have,
				   const struct hyper_dmabuf_id *want)
{
	if (have->domid != want->domid || have->serial != want->serial)
		return -ENOENT;
	return crypto_memneq(have->key, want->key, sizeof(want->key)) ?
	       -EKEYREJECTED : 0;
}

struct hdmabuf_xrefs;

/*
 * One open of /dev/hyper_dmabuf: what it exported, the imports made
 * through it, its events, what it made in the Xen group (xrefs.h), and
 * who opened it. @uid and @admin come from the opener's credentials at
 * open (what f_cred holds): handing the file to another process hands it
 * the opener's view, nothing more.
 */
struct hdmabuf_file {
	struct list_head exports;	/* under the registry's lock */
	struct list_head holds;		/* its imports: holds.c */
	struct hdmabuf_events events;
	struct hdmabuf_xrefs *xrefs;	/* NULL off Xen */
	kuid_t uid;			/* the opener's effective uid */
	bool admin;			/* the opener had CAP_SYS_ADMIN */
};

/* export.c */
int hdmabuf_export(struct hdmabuf_file *file, struct hyper_dmabuf_export *args,
		   const struct hyper_dmabuf_meta *meta);
int hdmabuf_unexport(struct hdmabuf_file *file,
		     const struct hyper_dmabuf_unexport *args);
void hdmabuf_file_release(struct hdmabuf_file *file);
void hdmabuf_exports_exit(void);

/*
 * The peer that exported @id, as its transport names it. An id names its
 * exporter by number, as every domain knows it (ioctl.c makes it so); a
 * peer is SELF when it is this domain, the loopback's.
 */
static inline u32 hdmabuf_id_exporter(const struct hyper_dmabuf_id *id)
{
	return id->domid == hdmabuf_local_domid ? HYPER_DMABUF_DOMID_SELF :
						  id->domid;
}

/*
 * Describe the exports @file may see; list: fill at most @capacity, return
 * how many there are.
 */
int hdmabuf_export_query(const struct hdmabuf_file *file,
			 const struct hyper_dmabuf_id *id,
			 struct hyper_dmabuf_info *info);
unsigned int hdmabuf_exports_list(const struct hdmabuf_file *file,
				  struct hyper_dmabuf_info *infos,
				  unsigned int capacity);
/* The user who made the export @id (a live one): 0, or -ENOENT. */
int hdmabuf_export_owner(const struct hyper_dmabuf_id *id, kuid_t *uid);

/*
 * What peers ask of this domain's exports (peer.c dispatches): an IMPORT
 * request from @domid answered in @reply, a RELEASE, a SIGNAL.
 */
struct hdmabuf_msg;
int hdmabuf_export_serve(u32 domid, const struct hdmabuf_msg *req,
			 struct hdmabuf_msg *reply);
int hdmabuf_export_release(u32 domid, const struct hyper_dmabuf_id *id,
			   u64 token);
int hdmabuf_export_peer_signal(u32 domid, const struct hyper_dmabuf_id *id,
			       u64 value);
/* Every import of ours by @domid is released: the peer is gone. */
void hdmabuf_exports_peer_down(u32 domid);
int hdmabuf_revoke(struct hdmabuf_file *file,
		   struct hyper_dmabuf_revoke *args);
/* SIGNAL and WAIT on this domain's exports (ioctl.c sends the others') */
int hdmabuf_signal(struct hdmabuf_file *file,
		   const struct hyper_dmabuf_signal *args);
int hdmabuf_wait(struct hdmabuf_file *file, struct hyper_dmabuf_wait *args,
		 struct dma_fence **fence);

/* What exporters tell this domain's imports: REVOKE, SIGNALLED. */
int hdmabuf_imports_revoke(u32 domid, const struct hyper_dmabuf_id *id);
int hdmabuf_imports_signalled(u32 domid, const struct hyper_dmabuf_id *id,
			      u64 value);
/* SIGNAL the timeline of an export of another domain @file imported. */
int hdmabuf_import_signal(struct hdmabuf_file *file,
			  const struct hyper_dmabuf_id *id, u64 value);
/* WAIT on it: on the copy of the timeline an import of @file keeps. */
int hdmabuf_import_wait(struct hdmabuf_file *file,
			struct hyper_dmabuf_wait *args,
			struct dma_fence **fence);
/* Every import of ours from @domid is revoked: the exporter is gone. */
void hdmabuf_imports_peer_down(u32 domid);

/*
 * import.c: a dma-buf on export args->id, held by @file; fills the rest
 * of @args
 */
struct dma_buf *hdmabuf_import(struct hdmabuf_file *file,
			       struct hyper_dmabuf_import *args,
			       struct hyper_dmabuf_meta *meta);

/* The imports @file holds (all of them for an administrator). */
int hdmabuf_import_query(const struct hdmabuf_file *file,
			 const struct hyper_dmabuf_id *id,
			 struct hyper_dmabuf_info *info);
unsigned int hdmabuf_imports_list(const struct hdmabuf_file *file,
				  struct hyper_dmabuf_info *infos,
				  unsigned int capacity);

/*
 * holds.c: which open file holds which import. An import, and the events
 * about it, are for the file it was made through (and administrators).
 */
struct hdmabuf_hold {
	struct hdmabuf_file *file;	/* NULL once unheld */
	struct list_head node;		/* in file->holds */
	const struct hyper_dmabuf_id *id;
};

void hdmabuf_hold(struct hdmabuf_hold *hold, struct hdmabuf_file *file,
		  const struct hyper_dmabuf_id *id);
/* Unhold, if its file did not already. */
void hdmabuf_unhold(struct hdmabuf_hold *hold);
/* @file is closed: its imports live on, held by no opener. */
void hdmabuf_holds_release(struct hdmabuf_file *file);
/*
 * Whether @file holds an import of @id, or @hold itself (either may be
 * NULL); takes a spinlock, never sleeps.
 */
bool hdmabuf_file_holds(const struct hdmabuf_file *file,
			const struct hyper_dmabuf_id *id,
			const struct hdmabuf_hold *hold);

/* Reserved fields of the uAPI: all zero. */
static inline bool hdmabuf_zeroed(const void *p, size_t len)
{
	return !memchr_inv(p, 0, len);
}

/* At most one HYPER_DMABUF_MEM_* flag, and nothing else. */
static inline bool hdmabuf_mem_flags_valid(u32 flags)
{
	return !(flags & ~(HYPER_DMABUF_MEM_WC | HYPER_DMABUF_MEM_COHERENT)) &&
	       flags != (HYPER_DMABUF_MEM_WC | HYPER_DMABUF_MEM_COHERENT);
}

/* alloc.c */
struct dma_buf *hdmabuf_alloc(struct hyper_dmabuf_alloc *args);

/* meta.c */
int hdmabuf_meta_check(const struct hyper_dmabuf_meta *meta, u64 size);

/*
 * What another domain did wrong: refused, never acted on, and counted by
 * kind in debugfs hyper_dmabuf/refused, so that tests can tell each kind
 * of misbehaviour was seen for what it is.
 */
enum hdmabuf_refusal {
	HDMABUF_REFUSED_MALFORMED,	/* a message that does not decode */
	HDMABUF_REFUSED_VERSION,	/* HELLO with no version we speak */
	HDMABUF_REFUSED_UNSOLICITED,	/* a reply no request waits for */
	HDMABUF_REFUSED_NOT_OWNER,	/* a notice about another's export */
	HDMABUF_REFUSED_UNKNOWN,	/* a request for what it cannot reach */
	HDMABUF_REFUSED_REPLAY,		/* an import it holds already */
	HDMABUF_REFUSED_QUOTA,		/* more imports than an export lends */
	HDMABUF_REFUSED_BUFFER,		/* pages of an import it did not grant */
	HDMABUF_REFUSED_FLOOD,		/* offers faster than it may make them */
	HDMABUF_REFUSED_STALE,		/* sent before it restarted or left */
	HDMABUF_REFUSED_RING,		/* ring indexes or lengths out of range */
	HDMABUF_REFUSED_XENSTORE,	/* channel keys that mean nothing */
	HDMABUF_REFUSED_END
};

/* stats.c: what the module holds, for leak checks (debugfs counters) */
struct hdmabuf_stats {
	atomic_long_t exports;
	atomic_long_t imports;
	atomic_long_t allocs;
	atomic_long_t pages;
	/* Xen: dma-bufs on another domain's grants, buffers granted by refs */
	atomic_long_t xen_maps;
	atomic_long_t xen_grants;
	/* Xen: grant references of shared buffers not ended yet */
	atomic_long_t xen_share_grants;
	/* messages between peers; dropped: malformed or out of place */
	atomic_long_t msgs_sent;
	atomic_long_t msgs_received;
	atomic_long_t msgs_dropped;
	atomic_long_t refused[HDMABUF_REFUSED_END];
};

extern struct hdmabuf_stats hdmabuf_stats;

/* Count a peer's message refused, by what was wrong with it. */
static inline void hdmabuf_refused(enum hdmabuf_refusal why)
{
	atomic_long_inc(&hdmabuf_stats.refused[why]);
}

/* hyper_dmabuf/ in debugfs, for the parts that add files (may be an error) */
extern struct dentry *hdmabuf_debugfs_dir;
void hdmabuf_stats_init(void);
void hdmabuf_stats_exit(void);

#endif /* HDMABUF_CORE_H */
