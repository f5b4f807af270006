/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The door between the transport-neutral core and the transports: each
 * transport (loopback, xen) registers one of these at module load. The core
 * never calls into a transport by any other route.
 */
#ifndef HDMABUF_TRANSPORT_H
#define HDMABUF_TRANSPORT_H

#include <linux/list.h>
#include <linux/types.h>

struct hyper_dmabuf_caps;
struct hyper_dmabuf_id;
struct hdmabuf_remote;
struct hdmabuf_import;

struct hdmabuf_transport {
	const char *name;
	/* HYPER_DMABUF_TRANSPORT_* bit reported to user space */
	u32 id;
	/* fill in what this transport knows of the local domain (optional) */
	void (*describe)(struct hyper_dmabuf_caps *caps);
	/* whether domain @domid is a peer this transport reaches now */
	bool (*reaches)(u32 domid);
	/*
	 * The pages of export @id, made by a domain this transport reaches,
	 * for import @imp, to be told if the exporter revokes them.
	 */
	int (*import)(const struct hyper_dmabuf_id *id,
		      struct hdmabuf_import *imp, struct hdmabuf_remote **out);
	struct list_head node;
};

int hdmabuf_transport_register(struct hdmabuf_transport *t);
void hdmabuf_transport_unregister(struct hdmabuf_transport *t);
void hdmabuf_transport_describe(struct hyper_dmabuf_caps *caps);
bool hdmabuf_transport_reaches(u32 domid);
int hdmabuf_transport_import(const struct hyper_dmabuf_id *id,
			     struct hdmabuf_import *imp,
			     struct hdmabuf_remote **out);

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
