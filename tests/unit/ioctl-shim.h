/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A stand-in for the module's side of ioctl(), for the tests of
 * libhyperdmabuf that need no module: it records each request made on one
 * chosen descriptor and answers with what the test queued beforehand. It
 * knows no rule of the module: it checks nothing, keeps no state but the
 * record and the queue, and invents no answer. What the module does with
 * each request is tested against the real module by tests/guest/.
 */
#ifndef HDMABUF_IOCTL_SHIM_H
#define HDMABUF_IOCTL_SHIM_H

#include <stdbool.h>
#include <stddef.h>

#include <hyperdmabuf.h>
#include <linux/hyper_dmabuf.h>

/* Calls recorded, and answers queued, at most; later calls are counted. */
#define SHIM_CALLS_MAX	16

/* The argument of any request, as the library passed it. */
union shim_arg {
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
	struct hyper_dmabuf_xen_exp_from_refs xen_exp;
	struct hyper_dmabuf_xen_exp_wait_released xen_wait;
	struct hyper_dmabuf_xen_imp_to_refs xen_imp;
	struct hyper_dmabuf_xen_imp_release xen_release;
};

struct shim_call {
	unsigned long request;
	union shim_arg arg;
	/* an EXPORT that points to metadata: a copy of what it points to */
	bool has_meta;
	struct hyper_dmabuf_meta meta;
};

/* Forgets every call and answer, and the descriptor. */
void shim_reset(void);
/* A context on /dev/null whose requests the shim answers. */
struct hdmabuf_ctx *shim_ctx_open(void);

/*
 * The answers, one per call, in the order queued. A call with no answer
 * left succeeds (returns 0) and writes nothing.
 */
/* The call fails with errno err (EINTR included). */
void shim_fail(int err);
/* The call returns result, writing nothing: no request of the ABI does. */
void shim_return(int result);
/*
 * The call succeeds and its argument becomes the size bytes at reply (the
 * whole argument, as the module copies it back), which must be the size
 * the request number encodes.
 */
void shim_reply(const void *reply, size_t size);
/* The same, then the call fails with err all the same (WAIT's time-out). */
void shim_reply_fail(const void *reply, size_t size, int err);
/*
 * shim_reply(), and first the out_size bytes at out are written where the
 * pointer at byte ptr_offset of the argument, as the library passed it,
 * points (the entries of LIST and PEERS, the metadata of IMPORT). out must
 * live until the call.
 */
void shim_reply_out(const void *reply, size_t size, size_t ptr_offset,
		    const void *out, size_t out_size);

/* The calls made since the reset, and call i (from 0) of them. */
int shim_calls(void);
const struct shim_call *shim_call(int i);
/* The last call, of at least one. */
const struct shim_call *shim_last(void);

#endif /* HDMABUF_IOCTL_SHIM_H */
