/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where the lab's rogue peer (tests/rogue/) reaches into the module. The
 * product is built without HDMABUF_ROGUE: then these do nothing and are
 * compiled away. Only the lab builds the rogue, for its tests, and never
 * installs it.
 */
#ifndef HDMABUF_ROGUE_H
#define HDMABUF_ROGUE_H

#include <linux/types.h>

struct hdmabuf_msg;

#ifdef HDMABUF_ROGUE
/* Refuse to load unless the test asked for the rogue. */
int hdmabuf_rogue_init(void);
void hdmabuf_rogue_exit(void);
/* A message the rogue answers its own way: true when it took it. */
bool hdmabuf_rogue_takes(u32 domid, const struct hdmabuf_msg *msg);
/* xen/rogue.c: the rogue's ways with a channel; see tests/rogue/rogue.c */
int hdmabuf_xchan_rogue(u32 domid, const char *how, unsigned int arg);
#else
static inline int hdmabuf_rogue_init(void)
{
	return 0;
}

static inline void hdmabuf_rogue_exit(void)
{
}

static inline bool hdmabuf_rogue_takes(u32 domid,
				       const struct hdmabuf_msg *msg)
{
	return false;
}
#endif

#endif /* HDMABUF_ROGUE_H */
