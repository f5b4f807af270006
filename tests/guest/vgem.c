// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Finding vgem and the DRM calls the guest tests make of it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
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

