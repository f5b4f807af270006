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

/* Room for the argument of any request */
#define SHIM_ARG_MAX	256

struct shim_call {
	unsigned long request;
	/* as the library passed it: the size the request number encodes */
	_Alignas(8) unsigned char arg[SHIM_ARG_MAX];
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
/* The argument of call i, and of the last call, as a const struct type * */
const void *shim_arg(int i);
const void *shim_last_arg(void);
#define SHIM_ARG(i, type)	((const struct type *)shim_arg(i))
#define SHIM_LAST_ARG(type)	((const struct type *)shim_last_arg())

#endif /* HDMABUF_IOCTL_SHIM_H */
