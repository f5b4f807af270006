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
 *   export-N    one record per live export: offered, or withdrawn (off
 *               offer, unexported or revoked) while still imported; with
 *               its importers and its timeline
 *   import-N    one record per import of this domain, alive until the
 *               importing process closes its dma-buf or is gone
 *   events      the event queue, records as read() returns them: unlike
 *               the module's, one queue for every open of the device,
 *               holding what happened since the directory was made (or
 *               the file removed)
 *   lost        events dropped from a full queue, for the next read()
 *   serial      the last serial handed out
 *   sync.log    the DMA_BUF_IOCTL_SYNC calls made on buffers, one a line
 *   lock        serializes the processes that change the state
 *
 * The environment makes it fail as the module would:
 *   FAKE_HDMABUF_NOT_ADMIN  set: the caller lacks CAP_SYS_ADMIN
 *   FAKE_HDMABUF_PEERS      the peers reachable besides 'self', e.g. "0,3",
 *                           as PEERS lists them after 'self'; an entry
 *                           DOMID:SENT:RECEIVED:DROPPED also gives the
 *                           counts of its channel (self:S:R:D those of the
 *                           loopback, otherwise 0), and a trailing
 *                           ":connecting" says its channel is not up yet
 *   FAKE_HDMABUF_API        the uAPI version GET_CAPS reports (default
 *                           HYPER_DMABUF_API_VERSION); below 3, PEERS
 *                           fails with ENOTTY, as an older module's would,
 *                           and below 4 so does the Xen group (which off
 *                           Xen, as this fake is, fails with ENODEV)
 *   FAKE_HDMABUF_MAX_ALLOC  the largest ALLOC in bytes (default 1 MiB)
 *   FAKE_HDMABUF_QUOTA      exports each peer may have (default 16)
 *   FAKE_HDMABUF_HOLD       set: imports made now outlive the process, as
 *                           if another process still held them
 *   FAKE_HDMABUF_LET_GO     set: a REVOKE sees every importer let go
 *   FAKE_HDMABUF_QUEUE_LEN  events the queue holds (default 256)
 *   FAKE_HDMABUF_REVOKE_AT_READ  set: a buffer is cut to its first page
 *                           when a reader starts (DMA_BUF_SYNC_START of a
 *                           read), so that its mapping faults past it,
 *                           as a revoked import's does mid-copy
 *
 * The sync_files of WAIT are descriptors of /dev/null that poll() reports
 * readable once the timeline reaches the value or the export is gone;
 * only the process that asked for one can poll it.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/dma-buf.h>
#include <linux/hyper_dmabuf.h>

#define PAGE		4096ULL
#define DELAY_MAX	60000
#define LIST_MAX	65536
#define PEERS_MAX	32768
/* how often a blocked call looks at the state again */
#define TICK_US		5000
/* descriptors of imports and sync_files one process may hold */
#define HELD_MAX	64

struct record {
	struct hyper_dmabuf_id id;
	__u32 peer;
	__u32 flags;
	__u64 size;
	char path[PATH_MAX];
	bool has_meta;
	struct hyper_dmabuf_meta meta;
	bool offered;
	bool revoked;
	__u32 importers;
	__u64 timeline;
};

struct import_record {
	struct hyper_dmabuf_id id;
	__u32 flags;
	__u64 size;
	pid_t pid;		/* the importing process; 0: held for good */
};

/* What this process holds: imports to release at close(), sync_files. */
static struct held {
	int fd;			/* 0: a free slot */
	unsigned int token;	/* an import: its import-N */
	__u32 serial;		/* a sync_file: the export */
	__u64 value;		/* and the value it waits for */
} held[HELD_MAX];

static int lock_fd = -1;

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

static void reap_imports(void);
static unsigned int fake_api(void);

/*
 * Every change of the state, by any process, under one lock. The imports
 * of processes gone are released first, as the module releases them when
 * their last reference goes with the process.
 */
static void state_lock(void)
{
	char path[PATH_MAX];

	if (lock_fd < 0) {
		snprintf(path, sizeof(path), "%s/lock", state_dir());
		lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	}
	while (lock_fd >= 0 && flock(lock_fd, LOCK_EX) && errno == EINTR)
		;
	reap_imports();
}

static void state_unlock(void)
{
	if (lock_fd >= 0)
		flock(lock_fd, LOCK_UN);
}

static int load(const char *path, void *data, size_t len)
{
	int fd, ok;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -ENOENT;
	ok = read(fd, data, len) == (ssize_t)len;
	close(fd);
	return ok ? 0 : -EIO;
}

static int save(const char *path, const void *data, size_t len)
{
	int fd, ok;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	ok = write(fd, data, len) == (ssize_t)len;
	close(fd);
	return ok ? 0 : -EIO;
}

static void record_path(__u32 serial, char path[PATH_MAX])
{
	snprintf(path, PATH_MAX, "%s/export-%u", state_dir(), serial);
}

static void import_path(unsigned int token, char path[PATH_MAX])
{
	snprintf(path, PATH_MAX, "%s/import-%u", state_dir(), token);
}

static int record_load(__u32 serial, struct record *rec)
{
	char path[PATH_MAX];

	record_path(serial, path);
	return load(path, rec, sizeof(*rec));
}

static int record_save(const struct record *rec)
{
	char path[PATH_MAX];

	record_path(rec->id.serial, path);
	return save(path, rec, sizeof(*rec));
}

/* Saves rec; off offer and no longer imported, the export is gone. */
static int record_keep(const struct record *rec)
{
	char path[PATH_MAX];

	if (rec->offered || rec->importers)
		return record_save(rec);
	record_path(rec->id.serial, path);
	unlink(path);
	return 0;
}

static int cmp_uint(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return x < y ? -1 : x > y;
}

/* The numbers N of the files PREFIX-N, in order, as many as fit. */
static size_t numbered(const char *prefix, unsigned int *nums, size_t max)
{
	char format[32];
	struct dirent *d;
	unsigned int num;
	size_t n = 0;
	int end;
	DIR *dh;

	dh = opendir(state_dir());
	if (!dh)
		return 0;
	snprintf(format, sizeof(format), "%s-%%u%%n", prefix);
	while ((d = readdir(dh)) && n < max)
		if (sscanf(d->d_name, format, &num, &end) == 1 &&
		    !d->d_name[end])
			nums[n++] = num;
	closedir(dh);
	qsort(nums, n, sizeof(*nums), cmp_uint);
	return n;
}

#define NUMBERED_MAX	4096

static unsigned int exports_to(__u32 peer)
{
	unsigned int serials[NUMBERED_MAX], n = 0;
	struct record rec;
	size_t i, count;

	count = numbered("export", serials, NUMBERED_MAX);
	for (i = 0; i < count; i++)
		if (!record_load(serials[i], &rec) && rec.offered &&
		    rec.peer == peer)
			n++;
	return n;
}

/* A peer as FAKE_HDMABUF_PEERS gives it. */
struct fake_peer {
	__u32 domid;
	bool connecting;
	__u64 sent, received, dropped;
};

/* The entry of FAKE_HDMABUF_PEERS at *list, moving past it; false at the end. */
static bool next_peer(const char **list, struct fake_peer *peer)
{
	const char *s = *list;
	char *end;

	if (!s || !*s)
		return false;
	memset(peer, 0, sizeof(*peer));
	if (strncmp(s, "self", 4) == 0) {
		peer->domid = HYPER_DMABUF_DOMID_SELF;
		end = (char *)s + 4;
	} else {
		peer->domid = strtoul(s, &end, 10);
		/* not a number: a peer no domain matches */
		if (end == s)
			peer->domid = UINT32_MAX;
	}
	if (*end == ':' && end[1] >= '0' && end[1] <= '9') {
		peer->sent = strtoull(end + 1, &end, 10);
		if (*end == ':')
			peer->received = strtoull(end + 1, &end, 10);
		if (*end == ':')
			peer->dropped = strtoull(end + 1, &end, 10);
	}
	if (strncmp(end, ":connecting", 11) == 0) {
		peer->connecting = true;
		end += 11;
	}
	end += strcspn(end, ",");
	*list = *end ? end + 1 : end;
	return true;
}

static bool peer_reachable(__u32 domid)
{
	const char *list = getenv("FAKE_HDMABUF_PEERS");
	struct fake_peer peer;

	if (domid == HYPER_DMABUF_DOMID_SELF)
		return true;
	while (next_peer(&list, &peer))
		if (peer.domid == domid)
			return true;
	return false;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000 + (__u64)ts.tv_nsec;
}

static unsigned long long lost_load(void)
{
	unsigned long long lost = 0;
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/lost", state_dir());
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%llu", &lost) != 1)
			lost = 0;
		fclose(f);
	}
	return lost;
}

static void lost_save(unsigned long long lost)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/lost", state_dir());
	f = fopen(path, "w");
	if (f) {
		fprintf(f, "%llu\n", lost);
		fclose(f);
	}
}

static size_t events_queued(void)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/events", state_dir());
	if (stat(path, &st))
		return 0;
	return (size_t)st.st_size / sizeof(struct hyper_dmabuf_event);
}

/* Queues an event, or counts it lost when the queue is full. Locked. */
static void post_event(__u32 type, __u32 peer,
		       const struct hyper_dmabuf_id *id, __u64 value)
{
	struct hyper_dmabuf_event e = {
		.type = type,
		.peer = peer,
		.id = *id,
		.value = value,
		.timestamp_ns = now_ns(),
	};
	char path[PATH_MAX];
	int fd;

	if (events_queued() >= env_number("FAKE_HDMABUF_QUEUE_LEN", 256)) {
		lost_save(lost_load() + 1);
		return;
	}
	snprintf(path, sizeof(path), "%s/events", state_dir());
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	if (write(fd, &e, sizeof(e)) != (ssize_t)sizeof(e))
		fprintf(stderr, "fake-module: an event was not queued\n");
	close(fd);
}

static bool queue_ready(void)
{
	return events_queued() || lost_load();
}

/*
 * Moves whole events from the queue to buf, a report of those lost
 * first, as the module does; returns the bytes. Locked.
 */
static size_t pop_events(char *buf, size_t len)
{
	const size_t size = sizeof(struct hyper_dmabuf_event);
	struct hyper_dmabuf_event over = {
		.type = HYPER_DMABUF_EVENT_OVERFLOW,
	};
	size_t done = 0, queued, take;
	char path[PATH_MAX], *queue;
	int fd;

	over.value = lost_load();
	if (over.value) {
		over.timestamp_ns = now_ns();
		memcpy(buf, &over, size);
		done = size;
		lost_save(0);
	}
	queued = events_queued();
	take = (len - done) / size < queued ? (len - done) / size : queued;
	if (!take)
		return done;
	queue = malloc(queued * size);
	snprintf(path, sizeof(path), "%s/events", state_dir());
	if (!queue || load(path, queue, queued * size)) {
		free(queue);
		return done;
	}
	memcpy(buf + done, queue, take * size);
	done += take * size;
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, queue + take * size, (queued - take) * size) < 0)
			fprintf(stderr, "fake-module: the queue was lost\n");
		close(fd);
	}
	free(queue);
	return done;
}

static struct held *held_find(int fd)
{
	size_t i;

	for (i = 0; i < HELD_MAX; i++)
		if (held[i].fd == fd + 1)
			return &held[i];
	return NULL;
}

static bool held_add(int fd, unsigned int token, __u32 serial, __u64 value)
{
	struct held *h = held_find(-1);	/* a free slot: fd + 1 == 0 */

	if (!h)
		return false;
	h->fd = fd + 1;
	h->token = token;
	h->serial = serial;
	h->value = value;
	return true;
}

/* The export named by id, offered or withdrawn. */
static int find_export(const struct hyper_dmabuf_id *id, struct record *rec)
{
	if (record_load(id->serial, rec) || rec->id.domid != id->domid)
		return -ENOENT;
	if (memcmp(rec->id.key, id->key, sizeof(id->key)))
		return -EKEYREJECTED;
	return 0;
}

static void export_info(const struct record *rec,
			struct hyper_dmabuf_info *info)
{
	memset(info, 0, sizeof(*info));
	info->id = rec->id;
	info->role = HYPER_DMABUF_ROLE_EXPORT;
	info->state = rec->offered ? HYPER_DMABUF_STATE_OFFERED
				   : HYPER_DMABUF_STATE_WITHDRAWN;
	info->peer = rec->peer;
	info->flags = rec->flags;
	info->size = rec->size;
	info->importers = rec->importers;
}

static void import_info(const struct import_record *imp,
			struct hyper_dmabuf_info *info)
{
	memset(info, 0, sizeof(*info));
	info->id = imp->id;
	info->role = HYPER_DMABUF_ROLE_IMPORT;
	info->state = HYPER_DMABUF_STATE_IMPORTED;
	info->peer = imp->id.domid;
	info->flags = imp->flags;
	info->size = imp->size;
}

/*
 * The imports of this domain: calls fn on each (of id only, unless NULL),
 * with its number; returns how many.
 */
static unsigned int for_each_import(const struct hyper_dmabuf_id *id,
				    void (*fn)(unsigned int token,
					       const struct import_record *imp,
					       void *arg),
				    void *arg)
{
	unsigned int tokens[NUMBERED_MAX], n = 0;
	struct import_record imp;
	char path[PATH_MAX];
	size_t i, count;

	count = numbered("import", tokens, NUMBERED_MAX);
	for (i = 0; i < count; i++) {
		import_path(tokens[i], path);
		if (load(path, &imp, sizeof(imp)) ||
		    (id && (imp.id.domid != id->domid ||
			    imp.id.serial != id->serial)))
			continue;
		if (fn)
			fn(tokens[i], &imp, arg);
		n++;
	}
	return n;
}

/* One import of rec's export is gone. Locked. */
static void export_released(struct record *rec)
{
	if (rec->importers)
		rec->importers--;
	post_event(HYPER_DMABUF_EVENT_RELEASED, HYPER_DMABUF_DOMID_SELF,
		   &rec->id, 0);
}

static void reap_import(unsigned int token, const struct import_record *imp,
			void *arg)
{
	char path[PATH_MAX];
	struct record rec;

	(void)arg;
	if (!imp->pid || kill(imp->pid, 0) == 0 || errno != ESRCH)
		return;
	import_path(token, path);
	unlink(path);
	if (!record_load(imp->id.serial, &rec)) {
		export_released(&rec);
		record_keep(&rec);
	}
}

static void reap_imports(void)
{
	for_each_import(NULL, reap_import, NULL);
}

/* The dma-buf of an import was closed: the exporter hears of it. */
static void release_import(unsigned int token)
{
	struct import_record imp;
	char path[PATH_MAX];
	struct record rec;

	state_lock();
	import_path(token, path);
	if (!load(path, &imp, sizeof(imp))) {
		unlink(path);
		if (!record_load(imp.id.serial, &rec)) {
			export_released(&rec);
			record_keep(&rec);
		}
	}
	state_unlock();
}

#define MEM_FLAGS	(HYPER_DMABUF_MEM_WC | HYPER_DMABUF_MEM_COHERENT)

/*
 * At most one kind of memory; the fake's buffers are files whatever the
 * kind, which the tool cannot tell from DMA memory.
 */
static int fake_alloc(struct hyper_dmabuf_alloc *args)
{
	char path[PATH_MAX];
	int fd;

	if (args->flags & ~MEM_FLAGS || args->flags == MEM_FLAGS ||
	    (args->flags && fake_api() < 4) ||
	    !zeroed(args->reserved, sizeof(args->reserved)) || !args->size)
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
	rec.offered = true;
	ret = record_save(&rec);
	if (ret)
		return ret;
	/* offered to this very domain: its own listeners hear of it */
	if (rec.peer == HYPER_DMABUF_DOMID_SELF)
		post_event(HYPER_DMABUF_EVENT_OFFERED, HYPER_DMABUF_DOMID_SELF,
			   &rec.id, 0);
	args->size = rec.size;
	args->id = rec.id;
	return 0;
}

/* Imports are of exports offered to this domain, through 'self'. */
static int fake_import(struct hyper_dmabuf_import *args)
{
	struct import_record imp = { 0 };
	char path[PATH_MAX];
	struct record rec;
	unsigned int token;
	int fd;

	if (args->flags || args->reserved0 ||
	    !zeroed(args->reserved, sizeof(args->reserved)))
		return -EINVAL;
	if (record_load(args->id.serial, &rec) ||
	    rec.id.domid != args->id.domid || !rec.offered ||
	    rec.peer != HYPER_DMABUF_DOMID_SELF)
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

	token = next_serial();
	imp.id = rec.id;
	imp.flags = rec.flags;
	imp.size = rec.size;
	/* untracked, the import outlives this process */
	if (!getenv("FAKE_HDMABUF_HOLD"))
		imp.pid = getpid();
	import_path(token, path);
	save(path, &imp, sizeof(imp));
	rec.importers++;
	record_save(&rec);
	post_event(HYPER_DMABUF_EVENT_IMPORTED, HYPER_DMABUF_DOMID_SELF,
		   &rec.id, 0);
	if (imp.pid)
		held_add(fd, token, 0, 0);

	args->fd = fd;
	args->size = rec.size;
	args->export_flags = rec.flags;
	return 0;
}

/* This fake's device files never made an export: only root may end one. */
static int may_control(const struct record *rec)
{
	if (!(rec->flags & HYPER_DMABUF_EXPORT_PERSISTENT) ||
	    getenv("FAKE_HDMABUF_NOT_ADMIN"))
		return -EPERM;
	return 0;
}

/* Unexported: off offer, kept while imported. The delay is not waited. */
static int fake_unexport(struct hyper_dmabuf_unexport *args)
{
	struct record rec;
	int ret;

	if (args->flags || !zeroed(args->reserved, sizeof(args->reserved)) ||
	    args->delay_ms > DELAY_MAX)
		return -EINVAL;
	if (record_load(args->id.serial, &rec) ||
	    rec.id.domid != args->id.domid || !rec.offered)
		return -ENOENT;
	if (memcmp(rec.id.key, args->id.key, sizeof(rec.id.key)))
		return -EKEYREJECTED;
	ret = may_control(&rec);
	if (ret)
		return ret;
	rec.offered = false;
	post_event(HYPER_DMABUF_EVENT_UNEXPORTED, rec.peer, &rec.id, 0);
	return record_keep(&rec);
}

/* An export of this domain first, then an import. */
static void query_import(unsigned int token, const struct import_record *imp,
			 void *arg)
{
	(void)token;
	import_info(imp, arg);
}

static int fake_query(struct hyper_dmabuf_query *args)
{
	struct record rec;
	int ret;

	if (args->flags || args->reserved0)
		return -EINVAL;
	ret = find_export(&args->id, &rec);
	if (!ret) {
		export_info(&rec, &args->info);
		return 0;
	}
	if (ret != -ENOENT)
		return ret;
	if (!for_each_import(&args->id, query_import, &args->info))
		return -ENOENT;
	if (memcmp(args->info.id.key, args->id.key, sizeof(args->id.key))) {
		memset(&args->info, 0, sizeof(args->info));
		return -EKEYREJECTED;
	}
	return 0;
}

struct list_fill {
	struct hyper_dmabuf_info *entries;
	unsigned int capacity;
	unsigned int n;
};

static void list_import(unsigned int token, const struct import_record *imp,
			void *arg)
{
	struct list_fill *fill = arg;

	(void)token;
	if (fill->n < fill->capacity)
		import_info(imp, &fill->entries[fill->n]);
	fill->n++;
}

/* Every export, in the order made, then every import. */
static int fake_list(struct hyper_dmabuf_list *args)
{
	struct list_fill fill = {
		.entries = (struct hyper_dmabuf_info *)(uintptr_t)args->entries,
		.capacity = args->capacity < LIST_MAX ? args->capacity : LIST_MAX,
	};
	unsigned int serials[NUMBERED_MAX];
	struct record rec;
	size_t i, count;

	if (args->flags || args->reserved0 ||
	    !zeroed(args->reserved, sizeof(args->reserved)))
		return -EINVAL;
	count = numbered("export", serials, NUMBERED_MAX);
	for (i = 0; i < count; i++) {
		if (record_load(serials[i], &rec))
			continue;
		if (fill.n < fill.capacity)
			export_info(&rec, &fill.entries[fill.n]);
		fill.n++;
	}
	for_each_import(NULL, list_import, &fill);
	args->count = fill.n;
	return 0;
}

static void revoke_import(unsigned int token, const struct import_record *imp,
			  void *arg)
{
	(void)token;
	(void)arg;
	post_event(HYPER_DMABUF_EVENT_REVOKED, imp->id.domid, &imp->id, 0);
}

/* FAKE_HDMABUF_LET_GO: the importer releases the revoked buffer. */
static void let_go(unsigned int token, const struct import_record *imp,
		   void *arg)
{
	char path[PATH_MAX];

	(void)imp;
	import_path(token, path);
	unlink(path);
	export_released(arg);
}

/*
 * The imports are told, the export goes off offer; the wait is not
 * waited: the importers let go at once (FAKE_HDMABUF_LET_GO) or not at
 * all.
 */
static int fake_revoke(struct hyper_dmabuf_revoke *args)
{
	struct record rec;
	int ret;

	if (args->flags || args->reserved0 ||
	    !zeroed(args->reserved, sizeof(args->reserved)) ||
	    args->timeout_ms > DELAY_MAX)
		return -EINVAL;
	ret = find_export(&args->id, &rec);
	if (!ret)
		ret = may_control(&rec);
	if (ret)
		return ret;
	if (rec.revoked)
		return -EALREADY;
	rec.revoked = true;
	for_each_import(&rec.id, revoke_import, NULL);
	if (rec.offered) {
		rec.offered = false;
		post_event(HYPER_DMABUF_EVENT_UNEXPORTED, rec.peer, &rec.id, 0);
	}
	if (getenv("FAKE_HDMABUF_LET_GO"))
		for_each_import(&rec.id, let_go, &rec);
	args->remaining = rec.importers;
	return record_keep(&rec);
}

static int fake_signal(struct hyper_dmabuf_signal *args)
{
	struct record rec;
	int ret;

	if (args->flags || args->reserved0 ||
	    !zeroed(args->reserved, sizeof(args->reserved)))
		return -EINVAL;
	ret = find_export(&args->id, &rec);
	if (ret)
		return ret;
	if (args->value <= rec.timeline)
		return -EINVAL;
	rec.timeline = args->value;
	ret = record_save(&rec);
	if (ret)
		return ret;
	post_event(HYPER_DMABUF_EVENT_SIGNALLED, rec.peer, &rec.id,
		   args->value);
	return 0;
}

/* Blocks looking at the timeline now and then, the lock let go meanwhile. */
static int fake_wait(struct hyper_dmabuf_wait *args)
{
	long long deadline = now_ms() + args->timeout_ms;
	struct record rec;
	int ret, fd;

	if (args->flags & ~HYPER_DMABUF_WAIT_SYNC_FILE || args->reserved0 ||
	    !zeroed(args->reserved, sizeof(args->reserved)))
		return -EINVAL;
	args->fence_fd = -1;
	ret = find_export(&args->id, &rec);
	if (ret)
		return ret;
	if (args->flags & HYPER_DMABUF_WAIT_SYNC_FILE) {
		fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		if (!held_add(fd, 0, rec.id.serial, args->value)) {
			close(fd);
			return -EMFILE;
		}
		args->fence_fd = fd;
		args->current_value = rec.timeline;
		return 0;
	}
	while (rec.timeline < args->value && now_ms() < deadline) {
		state_unlock();
		usleep(TICK_US);
		state_lock();
		/* gone meanwhile: the module's waiter keeps the last value */
		record_load(args->id.serial, &rec);
	}
	args->current_value = rec.timeline;
	return rec.timeline >= args->value ? 0 : -ETIMEDOUT;
}

static unsigned int fake_api(void)
{
	return (unsigned int)env_number("FAKE_HDMABUF_API",
					HYPER_DMABUF_API_VERSION);
}

/* Off Xen: the loopback alone. */
static int fake_caps(struct hyper_dmabuf_caps *caps)
{
	if (caps->flags || caps->reserved0 ||
	    !zeroed(caps->reserved, sizeof(caps->reserved)))
		return -EINVAL;
	memset(caps, 0, sizeof(*caps));
	caps->api_version = fake_api();
	caps->transports = HYPER_DMABUF_TRANSPORT_LOOPBACK;
	snprintf(caps->module_version, sizeof(caps->module_version), "fake");
	return 0;
}

static void peer_entry(const struct fake_peer *from, __u32 transport,
		       struct hyper_dmabuf_peer *peer)
{
	memset(peer, 0, sizeof(*peer));
	peer->domid = from->domid;
	peer->transport = transport;
	peer->state = from->connecting ? HYPER_DMABUF_PEER_CONNECTING
				       : HYPER_DMABUF_PEER_UP;
	peer->sent = from->sent;
	peer->received = from->received;
	peer->dropped = from->dropped;
}

/* 'self' by loopback first, then FAKE_HDMABUF_PEERS by Xen, in order. */
static int fake_peers(struct hyper_dmabuf_peers *args)
{
	struct hyper_dmabuf_peer *entries =
		(struct hyper_dmabuf_peer *)(uintptr_t)args->entries;
	unsigned int capacity = args->capacity < PEERS_MAX ? args->capacity
							    : PEERS_MAX;
	struct fake_peer self = { .domid = HYPER_DMABUF_DOMID_SELF }, peer;
	const char *list = getenv("FAKE_HDMABUF_PEERS");
	unsigned int n = 1;

	if (fake_api() < 3)
		return -ENOTTY;
	if (args->flags || args->reserved0 ||
	    !zeroed(args->reserved, sizeof(args->reserved)))
		return -EINVAL;
	while (next_peer(&list, &peer)) {
		if (peer.domid == HYPER_DMABUF_DOMID_SELF) {
			self = peer;
			continue;
		}
		if (n < capacity)
			peer_entry(&peer, HYPER_DMABUF_TRANSPORT_XEN,
				   &entries[n]);
		n++;
	}
	if (capacity)
		peer_entry(&self, HYPER_DMABUF_TRANSPORT_LOOPBACK, &entries[0]);
	args->count = n;
	return 0;
}

static int fake_device(unsigned long request, void *arg)
{
	switch (request) {
	case HYPER_DMABUF_IOCTL_GET_CAPS:
		return fake_caps(arg);
	case HYPER_DMABUF_IOCTL_ALLOC:
		return fake_alloc(arg);
	case HYPER_DMABUF_IOCTL_EXPORT:
		return fake_export(arg);
	case HYPER_DMABUF_IOCTL_IMPORT:
		return fake_import(arg);
	case HYPER_DMABUF_IOCTL_UNEXPORT:
		return fake_unexport(arg);
	case HYPER_DMABUF_IOCTL_QUERY:
		return fake_query(arg);
	case HYPER_DMABUF_IOCTL_LIST:
		return fake_list(arg);
	case HYPER_DMABUF_IOCTL_REVOKE:
		return fake_revoke(arg);
	case HYPER_DMABUF_IOCTL_SIGNAL:
		return fake_signal(arg);
	case HYPER_DMABUF_IOCTL_WAIT:
		return fake_wait(arg);
	case HYPER_DMABUF_IOCTL_PEERS:
		return fake_peers(arg);
	/* the Xen group, off Xen as GET_CAPS says (test-lib fakes it on Xen) */
	case HYPER_DMABUF_IOCTL_XEN_EXP_FROM_REFS:
	case HYPER_DMABUF_IOCTL_XEN_EXP_WAIT_RELEASED:
	case HYPER_DMABUF_IOCTL_XEN_IMP_TO_REFS:
	case HYPER_DMABUF_IOCTL_XEN_IMP_RELEASE:
		return fake_api() < 4 ? -ENOTTY : -ENODEV;
	default:
		return -ENOTTY;
	}
}

/*
 * Logs the call as "start write", "end read" and so on; with
 * FAKE_HDMABUF_REVOKE_AT_READ, a start of a read revokes the buffer past
 * its first page.
 */
static int fake_sync(int fd, const struct dma_buf_sync *sync)
{
	char path[PATH_MAX];
	FILE *log;

	if (sync->flags & ~DMA_BUF_SYNC_VALID_FLAGS_MASK ||
	    !(sync->flags & DMA_BUF_SYNC_RW))
		return -EINVAL;
	if (getenv("FAKE_HDMABUF_REVOKE_AT_READ") &&
	    !(sync->flags & DMA_BUF_SYNC_END) &&
	    (sync->flags & DMA_BUF_SYNC_READ) &&
	    (!fd_path(fd, path) || truncate(path, (off_t)PAGE)))
		return -EIO;
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
	    fd_is_state_file(fd, "device")) {
		state_lock();
		ret = fake_device(request, arg);
		state_unlock();
	} else if (request == DMA_BUF_IOCTL_SYNC &&
		   fd_is_state_file(fd, "buf-")) {
		ret = fake_sync(fd, arg);
	} else {
		return syscall(SYS_ioctl, fd, request, arg);
	}

	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return 0;
}

/* The device's read(): whole events, blocking unless O_NONBLOCK. */
ssize_t read(int fd, void *buf, size_t count)
{
	size_t n;

	if (!fd_is_state_file(fd, "device"))
		return syscall(SYS_read, fd, buf, count);
	if (count < sizeof(struct hyper_dmabuf_event)) {
		errno = EINVAL;
		return -1;
	}
	for (;;) {
		state_lock();
		n = pop_events(buf, count);
		state_unlock();
		if (n)
			return (ssize_t)n;
		if (fcntl(fd, F_GETFL) & O_NONBLOCK) {
			errno = EAGAIN;
			return -1;
		}
		if (usleep(TICK_US))
			return -1;
	}
}

/* Whether poll() is the fake's to answer for fd, and what it says. */
static bool fake_revents(const struct pollfd *pfd, short *revents)
{
	struct held *h = held_find(pfd->fd);
	struct record rec;
	bool ready;

	if (h && !h->token) {
		/* a sync_file signals when reached, or when the export goes */
		state_lock();
		ready = record_load(h->serial, &rec) || rec.timeline >= h->value;
		state_unlock();
	} else if (fd_is_state_file(pfd->fd, "device")) {
		state_lock();
		ready = queue_ready();
		state_unlock();
	} else {
		return false;
	}
	*revents = ready ? pfd->events & (POLLIN | POLLRDNORM) : 0;
	return true;
}

int poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
	long long deadline = now_ms() + timeout;
	struct timespec zero = { 0 }, ts;
	short revents;
	bool fake = false;
	nfds_t i;
	int ready;

	for (i = 0; i < nfds; i++)
		fake |= fake_revents(&fds[i], &revents);
	if (!fake) {
		ts.tv_sec = timeout / 1000;
		ts.tv_nsec = timeout % 1000 * 1000000L;
		return ppoll(fds, nfds, timeout < 0 ? NULL : &ts, NULL);
	}
	for (;;) {
		ready = ppoll(fds, nfds, &zero, NULL);
		if (ready < 0)
			return ready;
		ready = 0;
		for (i = 0; i < nfds; i++) {
			if (fake_revents(&fds[i], &revents))
				fds[i].revents = revents;
			if (fds[i].revents)
				ready++;
		}
		if (ready || (timeout >= 0 && now_ms() >= deadline))
			return ready;
		if (usleep(TICK_US))
			return -1;
	}
}

/* Closing an import's dma-buf releases it; a sync_file is forgotten. */
int close(int fd)
{
	struct held *h = held_find(fd);

	if (h) {
		h->fd = 0;
		if (h->token)
			release_import(h->token);
	}
	return syscall(SYS_close, fd);
}
