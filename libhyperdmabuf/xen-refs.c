// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Xen grant references: HYPER_DMABUF_IOCTL_XEN_EXP_FROM_REFS,
 * _EXP_WAIT_RELEASED, _IMP_TO_REFS and _IMP_RELEASE, the calls of
 * libxengnttab's xengnttab_dmabuf_* on the hyper_dmabuf device. Their
 * results are plain descriptors and references, not objects of this
 * library.
 */
#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "internal.h"

/* The public flags are the uAPI's, so they pass unchanged. */
_Static_assert(HDMABUF_MEM_WC == HYPER_DMABUF_MEM_WC &&
	       HDMABUF_MEM_COHERENT == HYPER_DMABUF_MEM_COHERENT,
	       "enum hdmabuf_mem_flags must match HYPER_DMABUF_MEM_*");
_Static_assert(HDMABUF_XEN_GRANT_RO == HYPER_DMABUF_XEN_GRANT_RO,
	       "enum hdmabuf_xen_grant_flags must match HYPER_DMABUF_XEN_GRANT_*");
_Static_assert(HDMABUF_XEN_REFS_MAX == HYPER_DMABUF_XEN_REFS_MAX,
	       "HDMABUF_XEN_REFS_MAX must match HYPER_DMABUF_XEN_REFS_MAX");

/* The longest EXP_WAIT_RELEASED the module takes; longer waits are split. */
#define WAIT_RELEASED_MAX_MS	60000

HDMABUF_API int hdmabuf_ctx_xen_exp_from_refs(struct hdmabuf_ctx *ctx,
					      uint32_t domid, uint32_t flags,
					      uint32_t count,
					      const uint32_t *refs, int *fd)
{
	/* every other field, reserved included, goes in as zero */
	struct hyper_dmabuf_xen_exp_from_refs req = {
		.flags = flags,
		.count = count,
		.domid = domid,
		.refs = (uintptr_t)refs,
	};

	assert(ctx && fd);

	/* a failed call maps nothing, so asking again after a signal is safe */
	if (hdmabuf_ctx_ioctl(ctx, HYPER_DMABUF_IOCTL_XEN_EXP_FROM_REFS, &req))
		return -1;

	if (req.fd < 0) {
		errno = EPROTO;
		return -1;
	}
	*fd = req.fd;
	return 0;
}

HDMABUF_API int hdmabuf_ctx_xen_exp_wait_released(struct hdmabuf_ctx *ctx,
						  int fd, uint32_t timeout_ms)
{
	int64_t deadline = hdmabuf_deadline(0) + timeout_ms;
	struct hyper_dmabuf_xen_exp_wait_released req;
	bool seen = false;
	int left, ret;

	assert(ctx);

	/*
	 * Asked again after a signal, and in slices the module takes while
	 * more than it takes is left, for what is left of the timeout only.
	 */
	for (;;) {
		left = hdmabuf_ms_left(deadline);
		/* reserved goes in as zero */
		req = (struct hyper_dmabuf_xen_exp_wait_released){
			.fd = fd,
			.timeout_ms = left > WAIT_RELEASED_MAX_MS ?
				      WAIT_RELEASED_MAX_MS : (uint32_t)left,
		};
		ret = hdmabuf_ctx_ioctl_once(ctx,
					     HYPER_DMABUF_IOCTL_XEN_EXP_WAIT_RELEASED,
					     &req);
		if (!ret)
			return 0;
		/*
		 * Once a request found the dma-buf in use (it timed out, or a
		 * signal cut its wait short), the module forgetting it can
		 * only mean it was released in between.
		 */
		if (errno == ENOENT && seen)
			return 0;
		if (errno == EINTR ||
		    (errno == ETIMEDOUT && left > WAIT_RELEASED_MAX_MS)) {
			seen = true;
			continue;
		}
		return -1;
	}
}

HDMABUF_API int hdmabuf_ctx_xen_imp_to_refs(struct hdmabuf_ctx *ctx,
					    uint32_t domid, int fd,
					    uint32_t count, uint32_t flags,
					    uint32_t *refs)
{
	/* reserved goes in as zero */
	struct hyper_dmabuf_xen_imp_to_refs req = {
		.fd = fd,
		.count = count,
		.domid = domid,
		.flags = flags,
		.refs = (uintptr_t)refs,
	};

	assert(ctx);

	/* a failed call grants nothing, so asking again after a signal is safe */
	return hdmabuf_ctx_ioctl(ctx, HYPER_DMABUF_IOCTL_XEN_IMP_TO_REFS, &req);
}

HDMABUF_API int hdmabuf_ctx_xen_imp_release(struct hdmabuf_ctx *ctx, int fd)
{
	/* reserved goes in as zero */
	struct hyper_dmabuf_xen_imp_release req = {
		.fd = fd,
	};

	assert(ctx);

	return hdmabuf_ctx_ioctl(ctx, HYPER_DMABUF_IOCTL_XEN_IMP_RELEASE, &req);
}
