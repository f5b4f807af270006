/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vgem, the DRM driver the guest tests use as another exporter and
 * importer of dma-bufs: the few DRM calls, declared here so that no libdrm
 * headers are needed, and finding its node.
 */
#ifndef HDMABUF_GUEST_VGEM_H
#define HDMABUF_GUEST_VGEM_H

#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <linux/types.h>

/*
 * The few DRM calls used with vgem, copied from the kernel's stable
 * include/uapi/drm/drm.h and drm_mode.h so that the test needs no libdrm
 * headers (Debian's linux-libc-dev ships none). When libdrm's copy is on
 * the include path, the build checks these against it.
 */
struct tdrm_version {
	int version_major;
	int version_minor;
	int version_patchlevel;
	size_t name_len;
	char *name;
	size_t date_len;
	char *date;
	size_t desc_len;
	char *desc;
};

struct tdrm_gem_close {
	__u32 handle;
	__u32 pad;
};

struct tdrm_prime_handle {
	__u32 handle;
	__u32 flags;
	__s32 fd;
};

struct tdrm_mode_create_dumb {
	__u32 height;
	__u32 width;
	__u32 bpp;
	__u32 flags;
	__u32 handle;
	__u32 pitch;
	__u64 size;
};

struct tdrm_mode_map_dumb {
	__u32 handle;
	__u32 pad;
	__u64 offset;
};

#define TDRM_IOCTL_VERSION	_IOWR('d', 0x00, struct tdrm_version)
#define TDRM_IOCTL_GEM_CLOSE	_IOW('d', 0x09, struct tdrm_gem_close)
#define TDRM_IOCTL_PRIME_HANDLE_TO_FD \
	_IOWR('d', 0x2d, struct tdrm_prime_handle)
#define TDRM_IOCTL_PRIME_FD_TO_HANDLE \
	_IOWR('d', 0x2e, struct tdrm_prime_handle)
#define TDRM_IOCTL_MODE_CREATE_DUMB \
	_IOWR('d', 0xB2, struct tdrm_mode_create_dumb)
#define TDRM_IOCTL_MODE_MAP_DUMB _IOWR('d', 0xB3, struct tdrm_mode_map_dumb)
#define TDRM_CLOEXEC		O_CLOEXEC
#define TDRM_RDWR		O_RDWR

#if defined(__has_include)
#if __has_include(<drm.h>) && __has_include(<drm_mode.h>)
#include <drm.h>
#include <drm_mode.h>
_Static_assert(TDRM_IOCTL_VERSION == DRM_IOCTL_VERSION, "DRM_IOCTL_VERSION");
_Static_assert(TDRM_IOCTL_GEM_CLOSE == DRM_IOCTL_GEM_CLOSE, "GEM_CLOSE");
_Static_assert(TDRM_IOCTL_PRIME_HANDLE_TO_FD == DRM_IOCTL_PRIME_HANDLE_TO_FD,
	       "PRIME_HANDLE_TO_FD");
_Static_assert(TDRM_IOCTL_PRIME_FD_TO_HANDLE == DRM_IOCTL_PRIME_FD_TO_HANDLE,
	       "PRIME_FD_TO_HANDLE");
_Static_assert(TDRM_IOCTL_MODE_CREATE_DUMB == DRM_IOCTL_MODE_CREATE_DUMB,
	       "MODE_CREATE_DUMB");
_Static_assert(TDRM_IOCTL_MODE_MAP_DUMB == DRM_IOCTL_MODE_MAP_DUMB,
	       "MODE_MAP_DUMB");
_Static_assert(TDRM_CLOEXEC == DRM_CLOEXEC && TDRM_RDWR == DRM_RDWR,
	       "DRM_CLOEXEC, DRM_RDWR");
#endif
#endif

bool is_vgem(int fd);
/* A DRM node of vgem: forced, or the first /dev/dri/cardN that is vgem. */
int open_vgem(const char *forced, char *why, size_t len);
int gem_close(int card, __u32 handle);

/* A vgem dumb buffer as a dma-buf */
struct vgem_buf {
	int fd;		/* the dma-buf; it holds the object */
	size_t size;	/* vgem's size of it, pitch * height */
	__u32 pitch;
};

/*
 * A dumb buffer of width x height pixels of 32 bits, filled with the
 * pattern of seed through vgem's own CPU mapping (MAP_DUMB and mmap of the
 * DRM node), then exported by PRIME with prime_flags (TDRM_CLOEXEC,
 * TDRM_RDWR). Only the dma-buf is kept. Returns 0, or an errno with why
 * naming the step that failed.
 */
int vgem_filled_dumb(int card, __u32 width, __u32 height, __u32 prime_flags,
		     uint32_t seed, struct vgem_buf *b, char *why, size_t len);

#endif /* HDMABUF_GUEST_VGEM_H */
