// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Finding vgem and the DRM calls the guest tests make of it.
 */
#define _FILE_OFFSET_BITS 64	/* DRM mmap offsets, as guest-test.c */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "guest-test.h"
#include "vgem.h"

#define MAX_CARDS	16

bool is_vgem(int fd)
{
	char name[16] = "";
	struct tdrm_version v = { .name_len = sizeof(name) - 1, .name = name };

	return !xioctl(fd, TDRM_IOCTL_VERSION, &v) && v.name_len == 4 &&
	       !memcmp(name, "vgem", 4);
}

int open_vgem(const char *forced, char *why, size_t len)
{
	char path[32];
	int i, fd;

	if (forced) {
		fd = open(forced, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			snprintf(why, len, "%s: %s", forced, strerror(errno));
		return fd;
	}
	for (i = 0; i < MAX_CARDS; i++) {
		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (is_vgem(fd))
			return fd;
		close(fd);
	}
	snprintf(why, len, "no /dev/dri/card* of driver vgem (modprobe vgem)");
	return -1;
}

int gem_close(int card, __u32 handle)
{
	struct tdrm_gem_close c = { .handle = handle };

	return xioctl(card, TDRM_IOCTL_GEM_CLOSE, &c);
}


int vgem_filled_dumb(int card, __u32 width, __u32 height, __u32 prime_flags,
		     uint32_t seed, struct vgem_buf *b, char *why, size_t len)
{
	struct tdrm_mode_create_dumb dumb = {
		.width = width, .height = height, .bpp = 32
	};
	struct tdrm_mode_map_dumb map = { 0 };
	struct tdrm_prime_handle prime = { .flags = prime_flags, .fd = -1 };
	const char *step = "CREATE_DUMB";
	void *p;
	int ret;

	b->fd = -1;
	ret = xioctl(card, TDRM_IOCTL_MODE_CREATE_DUMB, &dumb);
	if (ret) {
		snprintf(why, len, "CREATE_DUMB %ux%u: %s", width, height,
			 strerror(ret));
		return ret;
	}
	map.handle = prime.handle = dumb.handle;
	step = "MAP_DUMB";
	ret = xioctl(card, TDRM_IOCTL_MODE_MAP_DUMB, &map);
	if (!ret) {
		step = "mmap of the dumb buffer";
		p = mmap(NULL, dumb.size, PROT_READ | PROT_WRITE, MAP_SHARED,
			 card, (off_t)map.offset);
		ret = p == MAP_FAILED ? errno : 0;
	}
	if (!ret) {
		fill_pattern(p, dumb.size, seed);
		munmap(p, dumb.size);
		step = "PRIME_HANDLE_TO_FD";
		ret = xioctl(card, TDRM_IOCTL_PRIME_HANDLE_TO_FD, &prime);
	}
	/* the dma-buf, if made, holds the object now */
	gem_close(card, dumb.handle);
	if (ret) {
		snprintf(why, len, "%s: %s", step, strerror(ret));
		return ret;
	}
	b->fd = prime.fd;
	b->size = dumb.size;
	b->pitch = dumb.pitch;
	return 0;
}
