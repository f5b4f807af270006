/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The door between the transport-neutral core and the transports: each
 * transport (loopback, xen) registers one of these at module load. The core
 * never calls into a transport by any other route. The uAPI's Xen group is
 * no transport's: it is a feature beside them (xrefs.h).
 */
#ifndef HDMABUF_TRANSPORT_H
#define HDMABUF_TRANSPORT_H

#include <linux/types.h>

struct hyper_dmabuf_caps;
struct hyper_dmabuf_peer;
struct page;
struct vm_area_struct;

/*
 * What a transport does for the core. Everything else, what the messages
 * mean and who holds what, is the core's: a new transport needs no change
 * to it. Calls may sleep. The table is the transport's, constant: the
 * core keeps its own list of the registered ones.
 */
struct hdmabuf_transport {
	const char *name;
	/* HYPER_DMABUF_TRANSPORT_* bit reported to user space */
	u32 id;
	/* fill in what this transport knows of the local domain (optional) */
	void (*describe)(struct hyper_dmabuf_caps *caps);
	/* whether domain @domid is a peer this transport reaches now */
	bool (*reaches)(u32 domid);
	/*
	 * Deliver one encoded message (proto/wire.h) to @domid, whose core
	 * gets it through hdmabuf_peer_receive(), in order.
	 */
	int (*send)(u32 domid, const void *msg, size_t len);
	/*
	 * Let @domid map @pages, for writing too if @writable. *@handle
	 * names them to the peer; *@cookie is for unshare().
	 */
	int (*share)(u32 domid, struct page **pages, unsigned long npages,
		     bool writable, u64 *handle, void **cookie);
	/*
	 * Stop sharing. The pages, and whatever holds them, must stay until
	 * the peer can no longer reach them: the transport calls
	 * @gone(@data) once that is so, at once or later.
	 */
	void (*unshare)(void *cookie, void (*gone)(void *data), void *data);
	/* Map the @npages pages @domid shared under @handle. */
	int (*map)(u32 domid, u64 handle, unsigned long npages, bool writable,
		   struct page ***pages, void **cookie);
	void (*unmap)(void *cookie);
	/*
	 * Optional: map an import into a process for a transport whose
	 * pages cannot be faulted in like ordinary ones (Xen PV). Imports
	 * of such a transport have no vmap either.
	 */
	int (*mmap)(void *cookie, struct vm_area_struct *vma);
	/*
	 * The peers this transport knows of, up or not: fill at most
	 * @capacity of @peers (transport set), return how many there are.
	 */
	unsigned int (*peers)(struct hyper_dmabuf_peer *peers,
			      unsigned int capacity);
};

/*
 * @self: this domain's number as @t's peers know it, or
 * HYPER_DMABUF_DOMID_SELF for a transport that has none (the loopback):
 * the core names this domain so in ids (hdmabuf_local_domid).
 */
int hdmabuf_transport_register(const struct hdmabuf_transport *t, u32 self);
void hdmabuf_transport_unregister(const struct hdmabuf_transport *t);
void hdmabuf_transport_describe(struct hyper_dmabuf_caps *caps);
/*
 * The transport that reaches @domid, or NULL. Transports stay registered
 * while the module is loaded, so the result stays valid.
 */
const struct hdmabuf_transport *hdmabuf_transport_for(u32 domid);
/* Every transport's peers: fill at most @capacity, return how many. */
unsigned int hdmabuf_transport_peers(struct hyper_dmabuf_peer *peers,
				     unsigned int capacity);

/* What transports call in the core (peer.c). */
/* 0, or an error when the message was dropped (the transport counts it). */
int hdmabuf_peer_receive(u32 domid, const void *msg, size_t len);
/* The channel to @domid works (after HELLO). */
void hdmabuf_peer_up(u32 domid);
/*
 * @domid is gone or restarted: its requests in flight fail, what it
 * imported from us is released, what we imported from it is revoked.
 */
void hdmabuf_peer_down(u32 domid);

int hdmabuf_loopback_init(void);
void hdmabuf_loopback_exit(void);

#if IS_ENABLED(CONFIG_XEN)
int hdmabuf_xen_init(void);
void hdmabuf_xen_exit(void);
#else
static inline int hdmabuf_xen_init(void) { return 0; }
static inline void hdmabuf_xen_exit(void) { }
#endif

#endif /* HDMABUF_TRANSPORT_H */
