// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fake-module.so: the hyper_dmabuf module's calls, faked in user space for
 * the tool's tests (test-cli-sharing.sh). Preloaded into hyper-dmabuf, it
 * defines ioctl() and answers, the way the module would, the requests made
 * on the descriptors of one regular file, $FAKE_HDMABUF_DIR/device; every
 * other descriptor gets the real system call. The tool's side of sharing
 * (reading, mapping, copying, metadata, messages) is tested this way; the
 * module's side is tested in the lab, against the real device.
 *
 * The state lives in $FAKE_HDMABUF_DIR, so that one process can share and
 * another import:
 *   buf-N       the buffers ALLOC makes: regular files of whole pages, which
 *               mmap like a dma-buf
 *   export-N    one record per export on offer
 *   serial      the last serial handed out
 *   sync.log    the DMA_BUF_IOCTL_SYNC calls made on buffers, one a line
 *
 * The environment makes it fail as the module would:
 *   FAKE_HDMABUF_NOT_ADMIN  set: the caller lacks CAP_SYS_ADMIN
 *   FAKE_HDMABUF_PEERS      the peers reachable besides 'self', e.g. "0,3"
 *   FAKE_HDMABUF_MAX_ALLOC  the largest ALLOC in bytes (default 1 MiB)
 *   FAKE_HDMABUF_QUOTA      exports each peer may have (default 16)
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/dma-buf.h>
#include <linux/hyper_dmabuf.h>

#define PAGE		4096ULL
#define DELAY_MAX	60000

struct record {
	struct hyper_dmabuf_id id;
	__u32 peer;
	__u32 flags;
	__u64 size;
	char path[PATH_MAX];
	bool has_meta;
	struct hyper_dmabuf_meta meta;
};

/* The directory as /proc/self/fd names its files: without symlinks. */
static const char *state_dir(void)
{
	static char *dir;
	const char *env;

	if (!dir) {
		env = getenv("FAKE_HDMABUF_DIR");
		dir = env ? realpath(env, NULL) : NULL;
	}
	return dir;
}

/* The path an open descriptor names, or false. */
static bool fd_path(int fd, char path[PATH_MAX])
{
	char link[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, PATH_MAX - 1);
	if (n < 0)
		return false;
	path[n] = '\0';
	return true;
}

static bool fd_is_state_file(int fd, const char *name)
{
	char path[PATH_MAX], want[PATH_MAX];
	const char *dir = state_dir();

	if (!dir || !fd_path(fd, path))
		return false;
	snprintf(want, sizeof(want), "%s/%s", dir, name);
	return strncmp(path, want, strlen(want)) == 0;
}

static unsigned long long env_number(const char *name,
				     unsigned long long def)
{
	const char *val = getenv(name);

	return val && *val ? strtoull(val, NULL, 10) : def;
}

static bool zeroed(const void *p, size_t len)
{
	const unsigned char *b = p;

	while (len--)
		if (*b++)
			return false;
	return true;
}

static unsigned int next_serial(void)
{
	char path[PATH_MAX];
	unsigned int serial = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/serial", state_dir());
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%u", &serial) != 1)
			serial = 0;
		fclose(f);
	}
	serial++;
	f = fopen(path, "w");
	if (f) {
		fprintf(f, "%u\n", serial);
		fclose(f);
	}
	return serial;
}

static void record_path(__u32 serial, char path[PATH_MAX])
{
	snprintf(path, PATH_MAX, "%s/export-%u", state_dir(), serial);
}

static int record_load(__u32 serial, struct record *rec)
{
	char path[PATH_MAX];
	int fd, ok;

	record_path(serial, path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -ENOENT;
	ok = read(fd, rec, sizeof(*rec)) == (ssize_t)sizeof(*rec);
	close(fd);
	return ok ? 0 : -EIO;
}

static int record_save(const struct record *rec)
{
	char path[PATH_MAX];
	int fd, ok;

	record_path(rec->id.serial, path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	ok = write(fd, rec, sizeof(*rec)) == (ssize_t)sizeof(*rec);
	close(fd);
	return ok ? 0 : -EIO;
}

static unsigned int exports_to(__u32 peer)
{
	const char *dir = state_dir();
	struct record rec;
	unsigned int n = 0, serial;
	struct dirent *d;
	DIR *dh;

	dh = opendir(dir);
	if (!dh)
		return 0;
	while ((d = readdir(dh)))
		if (sscanf(d->d_name, "export-%u", &serial) == 1 &&
		    !record_load(serial, &rec) && rec.peer == peer)
			n++;
	closedir(dh);
	return n;
}

static bool peer_reachable(__u32 peer)
{
	const char *peers = getenv("FAKE_HDMABUF_PEERS");
	char *end;

	if (peer == HYPER_DMABUF_DOMID_SELF)
		return true;
	while (peers && *peers) {
		if (strtoul(peers, &end, 10) == peer && end != peers)
			return true;
		peers = *end ? end + 1 : end;
	}
	return false;
}

static int fake_alloc(struct hyper_dmabuf_alloc *args)
{
	char path[PATH_MAX];
	int fd;

	if (args->flags || !zeroed(args->reserved, sizeof(args->reserved)) ||
	    !args->size)
		return -EINVAL;
	if (args->size > env_number("FAKE_HDMABUF_MAX_ALLOC", 1 << 20))
		return -E2BIG;
	args->size = (args->size + PAGE - 1) / PAGE * PAGE;

	snprintf(path, sizeof(path), "%s/buf-%u", state_dir(), next_serial());
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)args->size)) {
		close(fd);
		return -EIO;
	}
	args->fd = fd;
	return 0;
}

static int fake_export(struct hyper_dmabuf_export *args)
{
	struct record rec = { 0 };
	struct stat st;
	int ret;

	if (args->flags & ~(HYPER_DMABUF_EXPORT_RW |
			    HYPER_DMABUF_EXPORT_PERSISTENT) ||
	    args->reserved0 || !zeroed(args->reserved, sizeof(args->reserved)))
		return -EINVAL;
	if (fcntl(args->fd, F_GETFD) < 0)
		return -EBADF;
	if (!fd_is_state_file(args->fd, "buf-") || !fd_path(args->fd, rec.path) ||
	    fstat(args->fd, &st))
		return -EINVAL;
	rec.size = (__u64)st.st_size;
	if (args->meta) {
		memcpy(&rec.meta, (const void *)(uintptr_t)args->meta,
		       sizeof(rec.meta));
		if (rec.meta.reserved0 || rec.meta.num_planes > 4 ||
		    rec.meta.blob_len > 256 ||
		    !memchr(rec.meta.name, 0, sizeof(rec.meta.name)) ||
		    (rec.meta.num_planes &&
		     rec.meta.planes[0].offset + (__u64)rec.meta.planes[0].stride *
		     rec.meta.height > rec.size))
			return -EINVAL;
		rec.has_meta = true;
	}
	if ((args->flags & HYPER_DMABUF_EXPORT_PERSISTENT) &&
	    getenv("FAKE_HDMABUF_NOT_ADMIN"))
		return -EPERM;
	if (!peer_reachable(args->peer))
		return -ENOTCONN;
	if (exports_to(args->peer) >= env_number("FAKE_HDMABUF_QUOTA", 16))
		return -EDQUOT;

	rec.id.domid = HYPER_DMABUF_DOMID_SELF;
	rec.id.serial = next_serial();
	rec.id.key[0] = 0x0123456789abcdefULL ^ rec.id.serial;
	rec.id.key[1] = 0xfedcba9876543210ULL * rec.id.serial;
	rec.peer = args->peer;
	rec.flags = args->flags;
	ret = record_save(&rec);
	if (ret)
		return ret;
	args->size = rec.size;
	args->id = rec.id;
	return 0;
}

static int fake_import(struct hyper_dmabuf_import *args)
{
	struct record rec;
	int fd;

	if (args->flags || args->reserved0 ||
	    !zeroed(args->reserved, sizeof(args->reserved)))
		return -EINVAL;
	if (record_load(args->id.serial, &rec) ||
	    rec.id.domid != args->id.domid)
		return -ENOENT;
	if (memcmp(rec.id.key, args->id.key, sizeof(rec.id.key)))
		return -EKEYREJECTED;
	fd = open(rec.path, (rec.flags & HYPER_DMABUF_EXPORT_RW ? O_RDWR :
			     O_RDONLY) | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (args->meta) {
		if (!rec.has_meta)
			memset(&rec.meta, 0, sizeof(rec.meta));
		memcpy((void *)(uintptr_t)args->meta, &rec.meta,
		       sizeof(rec.meta));
	}
	args->fd = fd;
	args->size = rec.size;
	args->export_flags = rec.flags;
	return 0;
}

/* This fake's device files never made an export: only root may end one. */
static int fake_unexport(struct hyper_dmabuf_unexport *args)
{
	char path[PATH_MAX];
	struct record rec;

	if (args->flags || !zeroed(args->reserved, sizeof(args->reserved)) ||
	    args->delay_ms > DELAY_MAX)
		return -EINVAL;
	if (record_load(args->id.serial, &rec) ||
	    rec.id.domid != args->id.domid)
		return -ENOENT;
	if (memcmp(rec.id.key, args->id.key, sizeof(rec.id.key)))
		return -EKEYREJECTED;
	if (!(rec.flags & HYPER_DMABUF_EXPORT_PERSISTENT) ||
	    getenv("FAKE_HDMABUF_NOT_ADMIN"))
		return -EPERM;
	record_path(args->id.serial, path);
	unlink(path);
	return 0;
}

static int fake_device(unsigned long request, void *arg)
{
	switch (request) {
	case HYPER_DMABUF_IOCTL_ALLOC:
		return fake_alloc(arg);
	case HYPER_DMABUF_IOCTL_EXPORT:
		return fake_export(arg);
	case HYPER_DMABUF_IOCTL_IMPORT:
		return fake_import(arg);
	case HYPER_DMABUF_IOCTL_UNEXPORT:
		return fake_unexport(arg);
	default:
		return -ENOTTY;
	}
}

/* Logs the call as "start write", "end read" and so on. */
static int fake_sync(const struct dma_buf_sync *sync)
{
	char path[PATH_MAX];
	FILE *log;

	if (sync->flags & ~DMA_BUF_SYNC_VALID_FLAGS_MASK ||
	    !(sync->flags & DMA_BUF_SYNC_RW))
		return -EINVAL;
	snprintf(path, sizeof(path), "%s/sync.log", state_dir());
	log = fopen(path, "a");
	if (!log)
		return -EIO;
	fprintf(log, "%s %s\n", sync->flags & DMA_BUF_SYNC_END ? "end" : "start",
		(sync->flags & DMA_BUF_SYNC_RW) == DMA_BUF_SYNC_RW ? "read-write" :
		sync->flags & DMA_BUF_SYNC_WRITE ? "write" : "read");
	fclose(log);
	return 0;
}

int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;
	int ret;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);

	if (_IOC_TYPE(request) == HYPER_DMABUF_IOC_MAGIC &&
	    fd_is_state_file(fd, "device"))
		ret = fake_device(request, arg);
	else if (request == DMA_BUF_IOCTL_SYNC && fd_is_state_file(fd, "buf-"))
		ret = fake_sync(arg);
	else
		return syscall(SYS_ioctl, fd, request, arg);

	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return 0;
}
