// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tests of libhyperdmabuf that need no module.
 *
 * The tests of the calls answer the module's requests themselves: this
 * program defines ioctl(), which the library's call resolves to (a symbol
 * of the executable comes first), and replies for one chosen descriptor
 * the way the module would: it checks the flags and reserved fields as the
 * module does, keeps a copy of what the library passed (and of the
 * metadata an export points to), fails with a chosen errno or fills in the
 * outputs. Every other descriptor gets the real system call. So the
 * library's side of each call is tested here, and the module's side by
 * tests/guest/test-uapi.c against the real device.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <hyperdmabuf.h>
#include <linux/hyper_dmabuf.h>

#define MISSING_PATH	"/nonexistent/hyper_dmabuf"
#define XR24		0x34325258u	/* fourcc_code('X', 'R', '2', '4') */
/* calls whose details the fake keeps */
#define CALLS_KEPT	16
/* references of EXP_FROM_REFS whose values the fake keeps, from the first */
#define REFS_KEPT	8
/* dma-bufs made by EXP_FROM_REFS, and granted by IMP_TO_REFS, it tracks */
#define XEN_KEPT	8
#define PAGE_SIZE	4096

static struct {
	int fd;				/* the descriptor answered here */
	int eintr_left;			/* fail this many calls with EINTR */
	int result;			/* what a successful call returns */
	int error;			/* fail checked calls with this errno */
	int calls;
	unsigned long request;		/* of the last call */
	union {				/* what the last call passed */
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
	} in;
	bool got_meta;			/* an export passed metadata: */
	struct hyper_dmabuf_meta meta_in;	/* this */
	struct hyper_dmabuf_caps reply;	/* what GET_CAPS returns */
	int out_fd;			/* what ALLOC and IMPORT return */
	__u64 out_size;
	struct hyper_dmabuf_id out_id;
	__u32 out_export_flags;
	struct hyper_dmabuf_meta out_meta;	/* written by IMPORT */
	struct hyper_dmabuf_info out_info;	/* what QUERY returns */
	__u32 list_count;		/* entries LIST has */
	__u32 list_grow;		/* entries added after each LIST */
	__u32 list_capacity[CALLS_KEPT];	/* offered by each LIST */
	__u32 out_remaining;		/* what REVOKE returns */
	__u64 timeline;			/* what WAIT finds */
	int timeouts_left;		/* WAITs that time out anyway */
	__u32 wait_timeout[CALLS_KEPT];	/* asked of each WAIT */
	__u32 peers_count;		/* entries PEERS has */
	__u32 peers_grow;		/* entries added after each PEERS */
	__u32 peers_capacity[CALLS_KEPT];	/* offered by each PEERS */
	__u32 peer_transport;		/* the bit of every peer but self */
	__u32 refs_in[REFS_KEPT];	/* read by EXP_FROM_REFS */
	__u32 last_ref_in;		/* and the last one it read */
	int xen_exports[XEN_KEPT];	/* EXP_FROM_REFS fd numbers + 1, alive */
	int busy_left;			/* EXP_WAIT_RELEASEDs that time out */
	bool released_meanwhile;	/* released after the last of them, or
					   after the last EINTR */
	__u32 xen_wait_timeout[CALLS_KEPT];	/* asked of each of them */
	__u32 out_ref;			/* the first ref IMP_TO_REFS writes */
	int xen_granted[XEN_KEPT];	/* IMP_TO_REFS fd numbers + 1, granted */
} fake = { .fd = -1, .out_fd = -1 };

static bool zeroed(const void *p, size_t len)
{
	const unsigned char *b = p;

	while (len--)
		if (*b++)
			return false;
	return true;
}

#define ZEROED(field)	zeroed(&(field), sizeof(field))

static int fake_caps(struct hyper_dmabuf_caps *caps)
{
	if (caps->flags || caps->reserved0 || !ZEROED(caps->reserved))
		return EINVAL;
	*caps = fake.reply;
	return 0;
}

#define MEM_FLAGS	(HYPER_DMABUF_MEM_WC | HYPER_DMABUF_MEM_COHERENT)

/* At most one HYPER_DMABUF_MEM_* flag, and no other. */
static bool mem_flags_valid(__u32 flags)
{
	return !(flags & ~MEM_FLAGS) && flags != MEM_FLAGS;
}

static int fake_alloc(struct hyper_dmabuf_alloc *alloc)
{
	fake.in.alloc = *alloc;
	if (!mem_flags_valid(alloc->flags) || !ZEROED(alloc->reserved))
		return EINVAL;
	if (fake.error)
		return fake.error;
	alloc->fd = fake.out_fd;
	return 0;
}

static int fake_export(struct hyper_dmabuf_export *exp)
{
	fake.in.export = *exp;
	if (exp->flags & ~(HYPER_DMABUF_EXPORT_RW |
			   HYPER_DMABUF_EXPORT_PERSISTENT) ||
	    exp->reserved0 || !ZEROED(exp->reserved))
		return EINVAL;
	if (exp->meta) {
		memcpy(&fake.meta_in, (const void *)(uintptr_t)exp->meta,
		       sizeof(fake.meta_in));
		fake.got_meta = true;
	}
	if (fake.error)
		return fake.error;
	exp->size = fake.out_size;
	exp->id = fake.out_id;
	return 0;
}

static int fake_import(struct hyper_dmabuf_import *imp)
{
	fake.in.import = *imp;
	if (imp->flags || imp->reserved0 || !ZEROED(imp->reserved))
		return EINVAL;
	if (fake.error)
		return fake.error;
	if (imp->meta)
		memcpy((void *)(uintptr_t)imp->meta, &fake.out_meta,
		       sizeof(fake.out_meta));
	imp->fd = fake.out_fd;
	imp->size = fake.out_size;
	imp->export_flags = fake.out_export_flags;
	return 0;
}

static int fake_unexport(struct hyper_dmabuf_unexport *unexp)
{
	fake.in.unexport = *unexp;
	if (unexp->flags || !ZEROED(unexp->reserved))
		return EINVAL;
	return fake.error;
}

static int fake_query(struct hyper_dmabuf_query *query)
{
	fake.in.query = *query;
	if (query->flags || query->reserved0)
		return EINVAL;
	if (fake.error)
		return fake.error;
	query->info = fake.out_info;
	return 0;
}

/* Entry i of LIST: exports and imports, each field telling i apart. */
static void list_entry(unsigned int i, struct hyper_dmabuf_info *info)
{
	bool exp = i % 2 == 0;

	memset(info, 0, sizeof(*info));
	info->id.domid = exp ? HYPER_DMABUF_DOMID_SELF : 3;
	info->id.serial = i + 1;
	info->id.key[0] = i;
	info->id.key[1] = ~(__u64)i;
	info->role = exp ? HYPER_DMABUF_ROLE_EXPORT : HYPER_DMABUF_ROLE_IMPORT;
	info->state = exp ? HYPER_DMABUF_STATE_OFFERED
			  : HYPER_DMABUF_STATE_IMPORTED;
	info->peer = exp ? 5 : 3;
	info->flags = exp ? HYPER_DMABUF_EXPORT_RW : 0;
	info->size = (__u64)(i + 1) * 4096;
	info->importers = exp ? i : 0;
}

static int fake_list(struct hyper_dmabuf_list *list)
{
	struct hyper_dmabuf_info *entries;
	unsigned int i;

	fake.in.list = *list;
	if (fake.calls <= CALLS_KEPT)
		fake.list_capacity[fake.calls - 1] = list->capacity;
	if (list->flags || list->reserved0 || !ZEROED(list->reserved))
		return EINVAL;
	if (fake.error)
		return fake.error;
	entries = (struct hyper_dmabuf_info *)(uintptr_t)list->entries;
	for (i = 0; i < fake.list_count && i < list->capacity; i++)
		list_entry(i, &entries[i]);
	list->count = fake.list_count;
	fake.list_count += fake.list_grow;
	return 0;
}

static int fake_revoke(struct hyper_dmabuf_revoke *revoke)
{
	fake.in.revoke = *revoke;
	if (revoke->flags || revoke->reserved0 || !ZEROED(revoke->reserved))
		return EINVAL;
	if (fake.error)
		return fake.error;
	revoke->remaining = fake.out_remaining;
	return 0;
}

static int fake_signal(struct hyper_dmabuf_signal *signal)
{
	fake.in.signal = *signal;
	if (signal->flags || signal->reserved0 || !ZEROED(signal->reserved))
		return EINVAL;
	return fake.error;
}

/* Like the module: the value is reported on a time-out too. */
static int fake_wait(struct hyper_dmabuf_wait *wait)
{
	fake.in.wait = *wait;
	if (fake.calls <= CALLS_KEPT)
		fake.wait_timeout[fake.calls - 1] = wait->timeout_ms;
	if (wait->flags & ~HYPER_DMABUF_WAIT_SYNC_FILE || wait->reserved0 ||
	    !ZEROED(wait->reserved))
		return EINVAL;
	if (fake.error)
		return fake.error;
	wait->current_value = fake.timeline;
	wait->fence_fd = -1;
	if (wait->flags & HYPER_DMABUF_WAIT_SYNC_FILE) {
		wait->fence_fd = fake.out_fd;
		return 0;
	}
	if (fake.timeouts_left > 0) {
		fake.timeouts_left--;
		return ETIMEDOUT;
	}
	return wait->value <= fake.timeline ? 0 : ETIMEDOUT;
}

/*
 * Entry i of PEERS: self first, by loopback; then domains i * 2 by the
 * fake's transport, connecting and up in turn, each count telling i apart.
 */
static void peer_entry(unsigned int i, struct hyper_dmabuf_peer *peer)
{
	memset(peer, 0, sizeof(*peer));
	peer->domid = i ? i * 2 : HYPER_DMABUF_DOMID_SELF;
	peer->transport = i ? fake.peer_transport
			    : HYPER_DMABUF_TRANSPORT_LOOPBACK;
	peer->state = i % 2 ? HYPER_DMABUF_PEER_CONNECTING
			    : HYPER_DMABUF_PEER_UP;
	peer->sent = (__u64)i * 1000 + 1;
	peer->received = (__u64)i * 1000 + 2;
	peer->dropped = i;
}

static int fake_peers(struct hyper_dmabuf_peers *peers)
{
	struct hyper_dmabuf_peer *entries;
	unsigned int i;

	fake.in.peers = *peers;
	if (fake.calls <= CALLS_KEPT)
		fake.peers_capacity[fake.calls - 1] = peers->capacity;
	if (peers->flags || peers->reserved0 || !ZEROED(peers->reserved))
		return EINVAL;
	if (fake.error)
		return fake.error;
	entries = (struct hyper_dmabuf_peer *)(uintptr_t)peers->entries;
	for (i = 0; i < fake.peers_count && i < peers->capacity; i++)
		peer_entry(i, &entries[i]);
	peers->count = fake.peers_count;
	fake.peers_count += fake.peers_grow;
	return 0;
}

/*
 * The Xen group. The module's checks of the arguments are made here too;
 * what depends on Xen (references not granted, domains that do not exist,
 * a full grant table) comes from fake.error. The dma-buf of IMP_TO_REFS is
 * played by a regular file of whole pages.
 */

static bool fake_on_xen(void)
{
	return fake.reply.flags & HYPER_DMABUF_CAPS_XEN;
}

/* A domain the calls may name: a real one, and not this one. */
static bool xen_domid_valid(__u32 domid)
{
	return domid < HYPER_DMABUF_DOMID_SELF &&
	       !(fake.reply.flags & HYPER_DMABUF_CAPS_DOMID_VALID &&
		 domid == fake.reply.domid);
}

static bool xen_count_valid(__u32 count)
{
	return count >= 1 && count <= HYPER_DMABUF_XEN_REFS_MAX;
}

/* Sets of descriptor numbers, stored plus one so that 0 is a free slot. */
static bool fd_set_add(int *set, int fd)
{
	int i;

	for (i = 0; i < XEN_KEPT; i++)
		if (!set[i]) {
			set[i] = fd + 1;
			return true;
		}
	return false;
}

static bool fd_set_has(const int *set, int fd)
{
	int i;

	for (i = 0; i < XEN_KEPT; i++)
		if (set[i] == fd + 1)
			return true;
	return false;
}

static bool fd_set_take(int *set, int fd)
{
	int i;

	for (i = 0; i < XEN_KEPT; i++)
		if (set[i] == fd + 1) {
			set[i] = 0;
			return true;
		}
	return false;
}

static int fake_xen_exp_from_refs(struct hyper_dmabuf_xen_exp_from_refs *exp)
{
	const __u32 *refs = (const __u32 *)(uintptr_t)exp->refs;
	__u32 i;

	fake.in.xen_exp = *exp;
	if (!fake_on_xen())
		return ENODEV;
	if (!mem_flags_valid(exp->flags) || !xen_count_valid(exp->count) ||
	    !xen_domid_valid(exp->domid) || !ZEROED(exp->reserved))
		return EINVAL;
	/* a PV domain's DMA memory cannot give its frames back to Xen */
	if (exp->flags && fake.reply.xen_type == HYPER_DMABUF_XEN_PV)
		return EOPNOTSUPP;
	if (!refs)
		return EFAULT;
	for (i = 0; i < exp->count && i < REFS_KEPT; i++)
		fake.refs_in[i] = refs[i];
	fake.last_ref_in = refs[exp->count - 1];
	if (fake.error)
		return fake.error;
	if (fake.out_fd >= 0 && !fd_set_add(fake.xen_exports, fake.out_fd))
		return ENOMEM;
	exp->fd = fake.out_fd;
	return 0;
}

/* Released once fake.busy_left time-outs have passed. */
static int fake_xen_wait_released(struct hyper_dmabuf_xen_exp_wait_released *wait)
{
	fake.in.xen_wait = *wait;
	if (fake.calls <= CALLS_KEPT)
		fake.xen_wait_timeout[fake.calls - 1] = wait->timeout_ms;
	if (!fake_on_xen())
		return ENODEV;
	if (wait->timeout_ms > 60000 || wait->reserved)
		return EINVAL;
	if (fake.error)
		return fake.error;
	if (!fd_set_has(fake.xen_exports, wait->fd))
		return ENOENT;
	if (fake.busy_left > 0) {
		/* the release after the last time-out: forgotten */
		if (!--fake.busy_left && fake.released_meanwhile)
			fd_set_take(fake.xen_exports, wait->fd);
		return ETIMEDOUT;
	}
	fd_set_take(fake.xen_exports, wait->fd);
	return 0;
}

static int fake_xen_imp_to_refs(struct hyper_dmabuf_xen_imp_to_refs *imp)
{
	__u32 *refs = (__u32 *)(uintptr_t)imp->refs;
	struct stat st;
	int mode;
	__u32 i;

	fake.in.xen_imp = *imp;
	if (!fake_on_xen())
		return ENODEV;
	if (imp->flags & ~HYPER_DMABUF_XEN_GRANT_RO ||
	    !xen_count_valid(imp->count) || !xen_domid_valid(imp->domid) ||
	    !ZEROED(imp->reserved))
		return EINVAL;
	mode = fcntl(imp->fd, F_GETFL);
	if (mode < 0 || fstat(imp->fd, &st))
		return EBADF;
	if (!S_ISREG(st.st_mode) || !st.st_size || st.st_size % PAGE_SIZE ||
	    (__u64)st.st_size / PAGE_SIZE != imp->count)
		return EINVAL;
	if (!(imp->flags & HYPER_DMABUF_XEN_GRANT_RO) &&
	    (mode & O_ACCMODE) == O_RDONLY)
		return EACCES;
	if (fake.error)
		return fake.error;
	if (!refs)
		return EFAULT;
	if (!fd_set_add(fake.xen_granted, imp->fd))
		return ENOMEM;
	for (i = 0; i < imp->count; i++)
		refs[i] = fake.out_ref + i;
	return 0;
}

static int fake_xen_imp_release(struct hyper_dmabuf_xen_imp_release *rel)
{
	fake.in.xen_release = *rel;
	if (!fake_on_xen())
		return ENODEV;
	if (rel->reserved)
		return EINVAL;
	if (fake.error)
		return fake.error;
	return fd_set_take(fake.xen_granted, rel->fd) ? 0 : ENOENT;
}

/*
 * The module's EXP_WAIT_RELEASED is cut short by a signal only while it
 * waits: for a dma-buf it found. One released meanwhile is forgotten.
 */
static bool xen_wait_unknown(unsigned long request, void *arg)
{
	const struct hyper_dmabuf_xen_exp_wait_released *wait = arg;

	return request == HYPER_DMABUF_IOCTL_XEN_EXP_WAIT_RELEASED &&
	       !fd_set_has(fake.xen_exports, wait->fd);
}

static void xen_wait_interrupted(const struct hyper_dmabuf_xen_exp_wait_released *wait)
{
	if (fake.calls <= CALLS_KEPT)
		fake.xen_wait_timeout[fake.calls - 1] = wait->timeout_ms;
	if (!fake.eintr_left && fake.released_meanwhile)
		fd_set_take(fake.xen_exports, wait->fd);
}

static int fake_ioctl(unsigned long request, void *arg)
{
	int err;

	fake.calls++;
	fake.request = request;
	if (fake.eintr_left > 0 && !xen_wait_unknown(request, arg)) {
		fake.eintr_left--;
		if (fake.calls <= CALLS_KEPT &&
		    request == HYPER_DMABUF_IOCTL_WAIT)
			fake.wait_timeout[fake.calls - 1] =
				((struct hyper_dmabuf_wait *)arg)->timeout_ms;
		if (request == HYPER_DMABUF_IOCTL_XEN_EXP_WAIT_RELEASED)
			xen_wait_interrupted(arg);
		errno = EINTR;
		return -1;
	}
	switch (request) {
	case HYPER_DMABUF_IOCTL_GET_CAPS:
		err = fake_caps(arg);
		break;
	case HYPER_DMABUF_IOCTL_ALLOC:
		err = fake_alloc(arg);
		break;
	case HYPER_DMABUF_IOCTL_EXPORT:
		err = fake_export(arg);
		break;
	case HYPER_DMABUF_IOCTL_IMPORT:
		err = fake_import(arg);
		break;
	case HYPER_DMABUF_IOCTL_UNEXPORT:
		err = fake_unexport(arg);
		break;
	case HYPER_DMABUF_IOCTL_QUERY:
		err = fake_query(arg);
		break;
	case HYPER_DMABUF_IOCTL_LIST:
		err = fake_list(arg);
		break;
	case HYPER_DMABUF_IOCTL_REVOKE:
		err = fake_revoke(arg);
		break;
	case HYPER_DMABUF_IOCTL_SIGNAL:
		err = fake_signal(arg);
		break;
	case HYPER_DMABUF_IOCTL_WAIT:
		err = fake_wait(arg);
		break;
	case HYPER_DMABUF_IOCTL_PEERS:
		err = fake_peers(arg);
		break;
	case HYPER_DMABUF_IOCTL_XEN_EXP_FROM_REFS:
		err = fake_xen_exp_from_refs(arg);
		break;
	case HYPER_DMABUF_IOCTL_XEN_EXP_WAIT_RELEASED:
		err = fake_xen_wait_released(arg);
		break;
	case HYPER_DMABUF_IOCTL_XEN_IMP_TO_REFS:
		err = fake_xen_imp_to_refs(arg);
		break;
	case HYPER_DMABUF_IOCTL_XEN_IMP_RELEASE:
		err = fake_xen_imp_release(arg);
		break;
	default:
		err = ENOTTY;
	}
	if (err) {
		errno = err;
		return -1;
	}
	return fake.result;
}

int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);

	if (fd == fake.fd)
		return fake_ioctl(request, arg);
	return syscall(SYS_ioctl, fd, request, arg);
}

/* A context on /dev/null whose GET_CAPS returns reply. */
static struct hdmabuf_ctx *fake_ctx_open(const struct hyper_dmabuf_caps *reply)
{
	struct hdmabuf_ctx *ctx = hdmabuf_ctx_open("/dev/null");

	ck_assert_ptr_nonnull(ctx);
	fake.fd = hdmabuf_ctx_get_fd(ctx);
	fake.reply = *reply;
	return ctx;
}

static struct hdmabuf_caps *fake_get_caps(const struct hyper_dmabuf_caps *reply)
{
	struct hdmabuf_ctx *ctx = fake_ctx_open(reply);
	struct hdmabuf_caps *caps = hdmabuf_ctx_get_caps(ctx);

	hdmabuf_ctx_close(ctx);
	ck_assert_ptr_nonnull(caps);
	return caps;
}

static const struct hyper_dmabuf_caps reply_plain = {
	.api_version = 1,
	.transports = HYPER_DMABUF_TRANSPORT_LOOPBACK,
	.module_version = "1.2.3",
};

static const struct hyper_dmabuf_caps reply_domu = {
	.api_version = 1,
	.flags = HYPER_DMABUF_CAPS_XEN | HYPER_DMABUF_CAPS_DOMID_VALID,
	.transports = HYPER_DMABUF_TRANSPORT_LOOPBACK |
		      HYPER_DMABUF_TRANSPORT_XEN,
	.domid = 3,
	.xen_type = HYPER_DMABUF_XEN_PVH,
	.module_version = "1.2.3",
};

START_TEST(open_missing_path)
{
	errno = 0;
	ck_assert_ptr_null(hdmabuf_ctx_open(MISSING_PATH));
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

/* The default device exists only where the module is loaded. */
START_TEST(open_default_path)
{
	struct hdmabuf_ctx *ctx;

	errno = 0;
	ctx = hdmabuf_ctx_open(NULL);
	if (access("/dev/hyper_dmabuf", F_OK) == 0)
		ck_assert(ctx || errno == EACCES);
	else
		ck_assert(!ctx && errno == ENOENT);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(open_read_write_cloexec)
{
	struct hdmabuf_ctx *ctx = hdmabuf_ctx_open("/dev/null");
	int fd;

	ck_assert_ptr_nonnull(ctx);
	fd = hdmabuf_ctx_get_fd(ctx);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDWR);
	ck_assert(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(caps_from_other_device)
{
	struct hdmabuf_ctx *ctx = hdmabuf_ctx_open("/dev/null");

	ck_assert_ptr_nonnull(ctx);
	errno = 0;
	ck_assert_ptr_null(hdmabuf_ctx_get_caps(ctx));
	ck_assert_int_eq(errno, ENOTTY);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(free_null)
{
	hdmabuf_ctx_close(NULL);
	hdmabuf_caps_free(NULL);
}
END_TEST

START_TEST(caps_plain_kernel)
{
	struct hdmabuf_caps *caps = fake_get_caps(&reply_plain);

	ck_assert_uint_eq(hdmabuf_caps_get_api_version(caps), 1);
	ck_assert_str_eq(hdmabuf_caps_get_module_version(caps), "1.2.3");
	ck_assert(!hdmabuf_caps_is_xen(caps));
	ck_assert_int_eq(hdmabuf_caps_get_xen_type(caps), HDMABUF_XEN_NONE);
	errno = 0;
	ck_assert_int_eq(hdmabuf_caps_get_domid(caps), -1);
	ck_assert_int_eq(errno, ENODATA);
	ck_assert(hdmabuf_caps_has_transport(caps, HDMABUF_TRANSPORT_LOOPBACK));
	ck_assert(!hdmabuf_caps_has_transport(caps, HDMABUF_TRANSPORT_XEN));
	ck_assert(!hdmabuf_caps_has_transport(caps, (enum hdmabuf_transport)99));
	hdmabuf_caps_free(caps);
}
END_TEST

START_TEST(caps_xen_domu)
{
	struct hdmabuf_caps *caps = fake_get_caps(&reply_domu);

	ck_assert(hdmabuf_caps_is_xen(caps));
	ck_assert_int_eq(hdmabuf_caps_get_xen_type(caps), HDMABUF_XEN_PVH);
	ck_assert_int_eq(hdmabuf_caps_get_domid(caps), 3);
	ck_assert(hdmabuf_caps_has_transport(caps, HDMABUF_TRANSPORT_LOOPBACK));
	ck_assert(hdmabuf_caps_has_transport(caps, HDMABUF_TRANSPORT_XEN));
	hdmabuf_caps_free(caps);
}
END_TEST

/* Domain 0 is a valid id, not a missing one. */
START_TEST(caps_dom0)
{
	struct hyper_dmabuf_caps reply = reply_domu;
	struct hdmabuf_caps *caps;

	reply.domid = 0;
	reply.xen_type = HYPER_DMABUF_XEN_PV;
	caps = fake_get_caps(&reply);
	ck_assert_int_eq(hdmabuf_caps_get_domid(caps), 0);
	ck_assert_int_eq(hdmabuf_caps_get_xen_type(caps), HDMABUF_XEN_PV);
	hdmabuf_caps_free(caps);
}
END_TEST

START_TEST(caps_xen_without_domid)
{
	struct hyper_dmabuf_caps reply = reply_domu;
	struct hdmabuf_caps *caps;

	reply.flags = HYPER_DMABUF_CAPS_XEN;
	caps = fake_get_caps(&reply);
	ck_assert(hdmabuf_caps_is_xen(caps));
	errno = 0;
	ck_assert_int_eq(hdmabuf_caps_get_domid(caps), -1);
	ck_assert_int_eq(errno, ENODATA);
	hdmabuf_caps_free(caps);
}
END_TEST

/* A newer module may name a guest type this library does not know. */
START_TEST(caps_unknown_xen_type)
{
	struct hyper_dmabuf_caps reply = reply_domu;
	struct hdmabuf_caps *caps;

	reply.xen_type = 7;
	caps = fake_get_caps(&reply);
	ck_assert_int_eq(hdmabuf_caps_get_xen_type(caps), 7);
	ck_assert_ptr_null(hdmabuf_xen_type_name(hdmabuf_caps_get_xen_type(caps)));
	hdmabuf_caps_free(caps);
}
END_TEST

START_TEST(caps_version_always_terminated)
{
	struct hyper_dmabuf_caps reply = reply_plain;
	struct hdmabuf_caps *caps;

	memset(reply.module_version, 'x', sizeof(reply.module_version));
	caps = fake_get_caps(&reply);
	ck_assert_uint_eq(strlen(hdmabuf_caps_get_module_version(caps)),
			  sizeof(reply.module_version) - 1);
	hdmabuf_caps_free(caps);
}
END_TEST

START_TEST(caps_retried_after_signal)
{
	struct hdmabuf_caps *caps;

	fake.eintr_left = 2;
	caps = fake_get_caps(&reply_plain);
	ck_assert_int_eq(fake.calls, 3);
	hdmabuf_caps_free(caps);
}
END_TEST

/* No call of the ABI returns a positive value. */
START_TEST(caps_positive_result_is_error)
{
	struct hdmabuf_ctx *ctx = fake_ctx_open(&reply_plain);

	fake.result = 1;
	errno = 0;
	ck_assert_ptr_null(hdmabuf_ctx_get_caps(ctx));
	ck_assert_int_eq(errno, EPROTO);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(version_string)
{
	ck_assert_str_eq(hdmabuf_version_string(), PACKAGE_VERSION);
}
END_TEST

START_TEST(transport_names)
{
	ck_assert_str_eq(hdmabuf_transport_name(HDMABUF_TRANSPORT_LOOPBACK),
			 "loopback");
	ck_assert_str_eq(hdmabuf_transport_name(HDMABUF_TRANSPORT_XEN), "xen");
	ck_assert_ptr_null(hdmabuf_transport_name((enum hdmabuf_transport)0));
	ck_assert_ptr_null(hdmabuf_transport_name((enum hdmabuf_transport)99));
}
END_TEST

START_TEST(xen_type_names)
{
	ck_assert_str_eq(hdmabuf_xen_type_name(HDMABUF_XEN_PV), "pv");
	ck_assert_str_eq(hdmabuf_xen_type_name(HDMABUF_XEN_PVH), "pvh");
	ck_assert_str_eq(hdmabuf_xen_type_name(HDMABUF_XEN_HVM), "hvm");
	ck_assert_ptr_null(hdmabuf_xen_type_name(HDMABUF_XEN_NONE));
	ck_assert_ptr_null(hdmabuf_xen_type_name((enum hdmabuf_xen_type)99));
}
END_TEST

/*
 * The calls of uAPI version 2: what the library passes, and what it makes
 * of the answers.
 */

static const struct hyper_dmabuf_id sample_id = {
	.domid = 3,
	.serial = 17,
	.key = { 0x0123456789abcdefULL, 0xfedcba9876543210ULL },
};

static const struct hdmabuf_id sample_hid = {
	.domid = 3,
	.serial = 17,
	.key = { 0x0123456789abcdefULL, 0xfedcba9876543210ULL },
};

/* A context on /dev/null whose requests are answered by the fake. */
static struct hdmabuf_ctx *fake_ctx(void)
{
	struct hdmabuf_ctx *ctx = hdmabuf_ctx_open("/dev/null");

	ck_assert_ptr_nonnull(ctx);
	fake.fd = hdmabuf_ctx_get_fd(ctx);
	return ctx;
}

/* A descriptor for the fake to hand out as a new dma-buf. */
static int fake_new_fd(void)
{
	fake.out_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fake.out_fd, 0);
	return fake.out_fd;
}

static bool fd_is_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

static struct hdmabuf_meta *sample_meta(void)
{
	struct hdmabuf_meta *meta = hdmabuf_meta_new();

	ck_assert_ptr_nonnull(meta);
	hdmabuf_meta_set_format(meta, XR24, 0x0100000000000002ULL, 640, 480);
	ck_assert_int_eq(hdmabuf_meta_set_plane(meta, 0, 0, 2560), 0);
	ck_assert_int_eq(hdmabuf_meta_set_plane(meta, 1, 1228800, 1280), 0);
	ck_assert_int_eq(hdmabuf_meta_set_name(meta, "frame"), 0);
	ck_assert_int_eq(hdmabuf_meta_set_blob(meta, "\x01\x02\x03", 3), 0);
	return meta;
}

START_TEST(alloc_marshalling)
{
	struct hdmabuf_ctx *ctx = fake_ctx();
	int fd = fake_new_fd();

	ck_assert_int_eq(hdmabuf_ctx_alloc(ctx, 5000, 0), fd);
	ck_assert(fake.request == HYPER_DMABUF_IOCTL_ALLOC);
	ck_assert(fake.in.alloc.size == 5000);
	ck_assert_uint_eq(fake.in.alloc.flags, 0);
	ck_assert(ZEROED(fake.in.alloc.reserved));
	/* the descriptor is the caller's: closing the context keeps it */
	hdmabuf_ctx_close(ctx);
	ck_assert(fd_is_open(fd));
	close(fd);
}
END_TEST

/* The module, not the library, decides which sizes and flags are valid. */
START_TEST(alloc_passes_flags)
{
	struct hdmabuf_ctx *ctx = fake_ctx();

	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_alloc(ctx, 4096, 0x80), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_uint_eq(fake.in.alloc.flags, 0x80);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* One kind of DMA memory passes; both, or an unknown flag, do not. */
START_TEST(alloc_mem_flags)
{
	static const unsigned int kinds[] = { HDMABUF_MEM_WC,
					      HDMABUF_MEM_COHERENT };
	struct hdmabuf_ctx *ctx = fake_ctx();
	int fd = fake_new_fd();
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		ck_assert_int_eq(hdmabuf_ctx_alloc(ctx, 8192, kinds[i]), fd);
		ck_assert_uint_eq(fake.in.alloc.flags, kinds[i]);
		ck_assert(fake.in.alloc.size == 8192);
		ck_assert(ZEROED(fake.in.alloc.reserved));
	}
	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_alloc(ctx, 8192, HDMABUF_MEM_WC |
					   HDMABUF_MEM_COHERENT), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_uint_eq(fake.in.alloc.flags, HYPER_DMABUF_MEM_WC |
			  HYPER_DMABUF_MEM_COHERENT);
	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_alloc(ctx, 8192, 1u << 2), -1);
	ck_assert_int_eq(errno, EINVAL);
	hdmabuf_ctx_close(ctx);
	close(fd);
}
END_TEST

START_TEST(alloc_errors)
{
	static const int errors[] = { EINVAL, E2BIG, ENOMEM, EMFILE };
	struct hdmabuf_ctx *ctx = fake_ctx();
	size_t i;

	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		fake.error = errors[i];
		errno = 0;
		ck_assert_int_eq(hdmabuf_ctx_alloc(ctx, 1, 0), -1);
		ck_assert_int_eq(errno, errors[i]);
	}
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(alloc_negative_fd_is_error)
{
	struct hdmabuf_ctx *ctx = fake_ctx();

	fake.out_fd = -1;
	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_alloc(ctx, 1, 0), -1);
	ck_assert_int_eq(errno, EPROTO);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* A module older than the call does not know it. */
START_TEST(calls_on_other_device)
{
	struct hdmabuf_ctx *ctx = hdmabuf_ctx_open("/dev/null");

	ck_assert_ptr_nonnull(ctx);
	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_alloc(ctx, 1, 0), -1);
	ck_assert_int_eq(errno, ENOTTY);
	errno = 0;
	ck_assert_ptr_null(hdmabuf_ctx_export(ctx, 0, 0, 0, NULL));
	ck_assert_int_eq(errno, ENOTTY);
	errno = 0;
	ck_assert_ptr_null(hdmabuf_ctx_import(ctx, &sample_hid));
	ck_assert_int_eq(errno, ENOTTY);
	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_unexport(ctx, &sample_hid, 0), -1);
	ck_assert_int_eq(errno, ENOTTY);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(export_marshalling)
{
	struct hdmabuf_ctx *ctx = fake_ctx();
	struct hdmabuf_meta *meta = sample_meta();
	struct hdmabuf_export *exp;
	const struct hdmabuf_id *id;

	fake.out_size = 8192;
	fake.out_id = sample_id;
	exp = hdmabuf_ctx_export(ctx, 42, 5, HDMABUF_EXPORT_RW |
				 HDMABUF_EXPORT_PERSISTENT, meta);
	ck_assert_ptr_nonnull(exp);

	ck_assert(fake.request == HYPER_DMABUF_IOCTL_EXPORT);
	ck_assert_int_eq(fake.in.export.fd, 42);
	ck_assert_uint_eq(fake.in.export.peer, 5);
	ck_assert_uint_eq(fake.in.export.flags, HYPER_DMABUF_EXPORT_RW |
			  HYPER_DMABUF_EXPORT_PERSISTENT);
	ck_assert_uint_eq(fake.in.export.reserved0, 0);
	ck_assert(ZEROED(fake.in.export.reserved));
	ck_assert(fake.in.export.size == 0);
	ck_assert(ZEROED(fake.in.export.id));

	/* the metadata, as the module reads it */
	ck_assert(fake.got_meta);
	ck_assert_uint_eq(fake.meta_in.fourcc, XR24);
	ck_assert(fake.meta_in.modifier == 0x0100000000000002ULL);
	ck_assert_uint_eq(fake.meta_in.width, 640);
	ck_assert_uint_eq(fake.meta_in.height, 480);
	ck_assert_uint_eq(fake.meta_in.num_planes, 2);
	ck_assert_uint_eq(fake.meta_in.planes[0].offset, 0);
	ck_assert_uint_eq(fake.meta_in.planes[0].stride, 2560);
	ck_assert_uint_eq(fake.meta_in.planes[1].offset, 1228800);
	ck_assert_uint_eq(fake.meta_in.planes[1].stride, 1280);
	ck_assert(ZEROED(fake.meta_in.planes[2]));
	ck_assert(ZEROED(fake.meta_in.planes[3]));
	ck_assert_str_eq(fake.meta_in.name, "frame");
	ck_assert(zeroed(fake.meta_in.name + 5, sizeof(fake.meta_in.name) - 5));
	ck_assert_uint_eq(fake.meta_in.blob_len, 3);
	ck_assert(memcmp(fake.meta_in.blob, "\x01\x02\x03", 3) == 0);
	ck_assert(zeroed(fake.meta_in.blob + 3, sizeof(fake.meta_in.blob) - 3));
	ck_assert_uint_eq(fake.meta_in.reserved0, 0);

	/* the answer */
	id = hdmabuf_export_get_id(exp);
	ck_assert(hdmabuf_id_equal(id, &sample_hid));
	ck_assert(hdmabuf_export_get_size(exp) == 8192);
	ck_assert_uint_eq(hdmabuf_export_get_peer(exp), 5);
	ck_assert_uint_eq(hdmabuf_export_get_flags(exp), HDMABUF_EXPORT_RW |
			  HDMABUF_EXPORT_PERSISTENT);

	/* the record does not depend on the context or the metadata */
	hdmabuf_meta_free(meta);
	hdmabuf_ctx_close(ctx);
	ck_assert(hdmabuf_id_equal(hdmabuf_export_get_id(exp), &sample_hid));
	hdmabuf_export_free(exp);
}
END_TEST

START_TEST(export_without_meta)
{
	struct hdmabuf_ctx *ctx = fake_ctx();
	struct hdmabuf_export *exp;

	exp = hdmabuf_ctx_export(ctx, 7, HDMABUF_DOMID_SELF, 0, NULL);
	ck_assert_ptr_nonnull(exp);
	ck_assert(fake.in.export.meta == 0);
	ck_assert(!fake.got_meta);
	ck_assert_uint_eq(fake.in.export.peer, HYPER_DMABUF_DOMID_SELF);
	ck_assert_uint_eq(fake.in.export.flags, 0);
	ck_assert_uint_eq(hdmabuf_export_get_flags(exp), 0);
	hdmabuf_export_free(exp);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(export_unknown_flags)
{
	struct hdmabuf_ctx *ctx = fake_ctx();

	errno = 0;
	ck_assert_ptr_null(hdmabuf_ctx_export(ctx, 7, 0, 1U << 2, NULL));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(fake.calls, 0);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(export_errors)
{
	static const int errors[] = { EBADF, EINVAL, EPERM, ENOTCONN, EDQUOT,
				      ENOMEM };
	struct hdmabuf_ctx *ctx = fake_ctx();
	size_t i;

	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		fake.error = errors[i];
		errno = 0;
		ck_assert_ptr_null(hdmabuf_ctx_export(ctx, 7, 0,
						      HDMABUF_EXPORT_PERSISTENT,
						      NULL));
		ck_assert_int_eq(errno, errors[i]);
	}
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(export_retried_after_signal)
{
	struct hdmabuf_ctx *ctx = fake_ctx();
	struct hdmabuf_export *exp;

	fake.eintr_left = 1;
	exp = hdmabuf_ctx_export(ctx, 7, 0, 0, NULL);
	ck_assert_ptr_nonnull(exp);
	ck_assert_int_eq(fake.calls, 2);
	hdmabuf_export_free(exp);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(import_marshalling)
{
	struct hdmabuf_ctx *ctx = fake_ctx();
	const struct hdmabuf_meta *meta;
	struct hdmabuf_import *imp;
	uint32_t offset, stride;
	const void *blob;
	size_t blob_len;
	int fd = fake_new_fd();

	fake.out_size = 1228800 + 614400;
	fake.out_export_flags = HYPER_DMABUF_EXPORT_RW |
				HYPER_DMABUF_EXPORT_PERSISTENT;
	fake.out_meta.fourcc = XR24;
	fake.out_meta.modifier = 0x0100000000000002ULL;
	fake.out_meta.width = 640;
	fake.out_meta.height = 480;
	fake.out_meta.num_planes = 2;
	fake.out_meta.planes[0].stride = 2560;
	fake.out_meta.planes[1].offset = 1228800;
	fake.out_meta.planes[1].stride = 1280;
	strcpy(fake.out_meta.name, "frame");
	fake.out_meta.blob_len = 2;
	memcpy(fake.out_meta.blob, "hi", 2);

	imp = hdmabuf_ctx_import(ctx, &sample_hid);
	ck_assert_ptr_nonnull(imp);

	ck_assert(fake.request == HYPER_DMABUF_IOCTL_IMPORT);
	ck_assert(memcmp(&fake.in.import.id, &sample_id, sizeof(sample_id)) == 0);
	ck_assert_uint_eq(fake.in.import.flags, 0);
	ck_assert_uint_eq(fake.in.import.reserved0, 0);
	ck_assert(ZEROED(fake.in.import.reserved));
	ck_assert(fake.in.import.meta != 0);

	ck_assert(hdmabuf_id_equal(hdmabuf_import_get_id(imp), &sample_hid));
	ck_assert_int_eq(hdmabuf_import_get_fd(imp), fd);
	ck_assert(hdmabuf_import_get_size(imp) == 1228800 + 614400);
	ck_assert(hdmabuf_import_is_writable(imp));

	meta = hdmabuf_import_get_meta(imp);
	ck_assert_ptr_nonnull(meta);
	ck_assert_uint_eq(hdmabuf_meta_get_fourcc(meta), XR24);
	ck_assert(hdmabuf_meta_get_modifier(meta) == 0x0100000000000002ULL);
	ck_assert_uint_eq(hdmabuf_meta_get_width(meta), 640);
	ck_assert_uint_eq(hdmabuf_meta_get_height(meta), 480);
	ck_assert_uint_eq(hdmabuf_meta_get_num_planes(meta), 2);
	ck_assert_int_eq(hdmabuf_meta_get_plane(meta, 1, &offset, &stride), 0);
	ck_assert_uint_eq(offset, 1228800);
	ck_assert_uint_eq(stride, 1280);
	ck_assert_str_eq(hdmabuf_meta_get_name(meta), "frame");
	blob = hdmabuf_meta_get_blob(meta, &blob_len);
	ck_assert_uint_eq(blob_len, 2);
	ck_assert(memcmp(blob, "hi", 2) == 0);

	/* the import outlives its context */
	hdmabuf_ctx_close(ctx);
	ck_assert(fd_is_open(fd));
	hdmabuf_import_release(imp);
	ck_assert(!fd_is_open(fd));
}
END_TEST

START_TEST(import_read_only_without_meta)
{
	struct hdmabuf_ctx *ctx = fake_ctx();
	const struct hdmabuf_meta *meta;
	struct hdmabuf_import *imp;
	size_t blob_len;

	fake_new_fd();
	fake.out_export_flags = HYPER_DMABUF_EXPORT_PERSISTENT;
	imp = hdmabuf_ctx_import(ctx, &sample_hid);
	ck_assert_ptr_nonnull(imp);
	ck_assert(!hdmabuf_import_is_writable(imp));
	meta = hdmabuf_import_get_meta(imp);
	ck_assert_uint_eq(hdmabuf_meta_get_fourcc(meta), 0);
	ck_assert_uint_eq(hdmabuf_meta_get_num_planes(meta), 0);
	ck_assert_str_eq(hdmabuf_meta_get_name(meta), "");
	hdmabuf_meta_get_blob(meta, &blob_len);
	ck_assert_uint_eq(blob_len, 0);
	hdmabuf_import_release(imp);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(import_take_fd)
{
	struct hdmabuf_ctx *ctx = fake_ctx();
	struct hdmabuf_import *imp;
	int fd = fake_new_fd();

	imp = hdmabuf_ctx_import(ctx, &sample_hid);
	ck_assert_ptr_nonnull(imp);
	ck_assert_int_eq(hdmabuf_import_take_fd(imp), fd);
	errno = 0;
	ck_assert_int_eq(hdmabuf_import_get_fd(imp), -1);
	ck_assert_int_eq(errno, EBADF);
	errno = 0;
	ck_assert_int_eq(hdmabuf_import_take_fd(imp), -1);
	ck_assert_int_eq(errno, EBADF);
	/* the metadata stays with the import */
	ck_assert_ptr_nonnull(hdmabuf_import_get_meta(imp));
	hdmabuf_import_release(imp);
	ck_assert(fd_is_open(fd));
	close(fd);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* The getters promise a terminated name, whatever the module wrote. */
START_TEST(import_name_always_terminated)
{
	struct hdmabuf_ctx *ctx = fake_ctx();
	struct hdmabuf_import *imp;

	fake_new_fd();
	memset(fake.out_meta.name, 'x', sizeof(fake.out_meta.name));
	imp = hdmabuf_ctx_import(ctx, &sample_hid);
	ck_assert_ptr_nonnull(imp);
	ck_assert_uint_eq(strlen(hdmabuf_meta_get_name(
				  hdmabuf_import_get_meta(imp))),
			  HDMABUF_META_NAME_MAX);
	hdmabuf_import_release(imp);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* Counts past the arrays are the module's fault; the new fd is not leaked. */
START_TEST(import_bad_meta_is_error)
{
	struct hdmabuf_ctx *ctx = fake_ctx();
	int fd;

	fd = fake_new_fd();
	fake.out_meta.num_planes = HYPER_DMABUF_MAX_PLANES + 1;
	errno = 0;
	ck_assert_ptr_null(hdmabuf_ctx_import(ctx, &sample_hid));
	ck_assert_int_eq(errno, EPROTO);
	ck_assert(!fd_is_open(fd));

	fd = fake_new_fd();
	fake.out_meta.num_planes = 0;
	fake.out_meta.blob_len = HYPER_DMABUF_BLOB_MAX + 1;
	errno = 0;
	ck_assert_ptr_null(hdmabuf_ctx_import(ctx, &sample_hid));
	ck_assert_int_eq(errno, EPROTO);
	ck_assert(!fd_is_open(fd));
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(import_negative_fd_is_error)
{
	struct hdmabuf_ctx *ctx = fake_ctx();

	fake.out_fd = -1;
	errno = 0;
	ck_assert_ptr_null(hdmabuf_ctx_import(ctx, &sample_hid));
	ck_assert_int_eq(errno, EPROTO);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(import_errors)
{
	static const int errors[] = { ENOENT, EKEYREJECTED, ENOTCONN, EINVAL,
				      ENOMEM, EMFILE };
	struct hdmabuf_ctx *ctx = fake_ctx();
	size_t i;

	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		fake.error = errors[i];
		errno = 0;
		ck_assert_ptr_null(hdmabuf_ctx_import(ctx, &sample_hid));
		ck_assert_int_eq(errno, errors[i]);
	}
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(unexport_marshalling)
{
	struct hdmabuf_ctx *ctx = fake_ctx();

	ck_assert_int_eq(hdmabuf_ctx_unexport(ctx, &sample_hid, 1500), 0);
	ck_assert(fake.request == HYPER_DMABUF_IOCTL_UNEXPORT);
	ck_assert(memcmp(&fake.in.unexport.id, &sample_id,
			 sizeof(sample_id)) == 0);
	ck_assert_uint_eq(fake.in.unexport.delay_ms, 1500);
	ck_assert_uint_eq(fake.in.unexport.flags, 0);
	ck_assert(ZEROED(fake.in.unexport.reserved));
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* The module enforces the longest delay; the library passes it on. */
START_TEST(unexport_passes_delay)
{
	struct hdmabuf_ctx *ctx = fake_ctx();

	ck_assert_int_eq(hdmabuf_ctx_unexport(ctx, &sample_hid,
					      HDMABUF_UNEXPORT_DELAY_MAX + 1), 0);
	ck_assert_uint_eq(fake.in.unexport.delay_ms,
			  HDMABUF_UNEXPORT_DELAY_MAX + 1);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(unexport_errors)
{
	static const int errors[] = { ENOENT, EPERM, EINVAL, EKEYREJECTED };
	struct hdmabuf_ctx *ctx = fake_ctx();
	size_t i;

	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		fake.error = errors[i];
		errno = 0;
		ck_assert_int_eq(hdmabuf_ctx_unexport(ctx, &sample_hid, 0), -1);
		ck_assert_int_eq(errno, errors[i]);
	}
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(free_null_v2)
{
	hdmabuf_export_free(NULL);
	hdmabuf_import_release(NULL);
}
END_TEST

/*
 * The calls of uAPI version 2 that describe, revoke, signal and wait, and
 * the events.
 */

static const struct hyper_dmabuf_info sample_info = {
	.id = {
		.domid = 3,
		.serial = 17,
		.key = { 0x0123456789abcdefULL, 0xfedcba9876543210ULL },
	},
	.role = HYPER_DMABUF_ROLE_EXPORT,
	.state = HYPER_DMABUF_STATE_WITHDRAWN,
	.peer = 5,
	.flags = HYPER_DMABUF_EXPORT_RW | HYPER_DMABUF_EXPORT_PERSISTENT,
	.size = 3 * 4096,
	.importers = 2,
};

START_TEST(calls_v3_on_other_device)
{
	struct hdmabuf_ctx *ctx = hdmabuf_ctx_open("/dev/null");
	uint64_t current = 99;

	ck_assert_ptr_nonnull(ctx);
	errno = 0;
	ck_assert_ptr_null(hdmabuf_ctx_query(ctx, &sample_hid));
	ck_assert_int_eq(errno, ENOTTY);
	errno = 0;
	ck_assert_ptr_null(hdmabuf_ctx_list(ctx));
	ck_assert_int_eq(errno, ENOTTY);
	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_revoke(ctx, &sample_hid, 0, NULL), -1);
	ck_assert_int_eq(errno, ENOTTY);
	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_signal(ctx, &sample_hid, 1), -1);
	ck_assert_int_eq(errno, ENOTTY);
	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_wait(ctx, &sample_hid, 1, 0, &current), -1);
	ck_assert_int_eq(errno, ENOTTY);
	ck_assert(current == 99);
	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_wait_sync_file(ctx, &sample_hid, 1), -1);
	ck_assert_int_eq(errno, ENOTTY);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(query_marshalling)
{
	struct hdmabuf_ctx *ctx = fake_ctx();
	struct hdmabuf_info *info;

	fake.out_info = sample_info;
	info = hdmabuf_ctx_query(ctx, &sample_hid);
	ck_assert_ptr_nonnull(info);

	ck_assert(fake.request == HYPER_DMABUF_IOCTL_QUERY);
	ck_assert(memcmp(&fake.in.query.id, &sample_id, sizeof(sample_id)) == 0);
	ck_assert_uint_eq(fake.in.query.flags, 0);
	ck_assert_uint_eq(fake.in.query.reserved0, 0);

	/* the snapshot does not depend on the context */
	hdmabuf_ctx_close(ctx);
	ck_assert(hdmabuf_id_equal(hdmabuf_info_get_id(info), &sample_hid));
	ck_assert_int_eq(hdmabuf_info_get_role(info), HDMABUF_ROLE_EXPORT);
	ck_assert_int_eq(hdmabuf_info_get_state(info), HDMABUF_STATE_WITHDRAWN);
	ck_assert_uint_eq(hdmabuf_info_get_peer(info), 5);
	ck_assert_uint_eq(hdmabuf_info_get_flags(info), HDMABUF_EXPORT_RW |
			  HDMABUF_EXPORT_PERSISTENT);
	ck_assert(hdmabuf_info_get_size(info) == 3 * 4096);
	ck_assert_uint_eq(hdmabuf_info_get_importers(info), 2);
	hdmabuf_info_free(info);
}
END_TEST

START_TEST(query_import)
{
	struct hdmabuf_ctx *ctx = fake_ctx();
	struct hdmabuf_info *info;

	fake.out_info = sample_info;
	fake.out_info.role = HYPER_DMABUF_ROLE_IMPORT;
	fake.out_info.state = HYPER_DMABUF_STATE_IMPORTED;
	fake.out_info.peer = 3;
	fake.out_info.flags = 0;
	fake.out_info.importers = 0;
	info = hdmabuf_ctx_query(ctx, &sample_hid);
	ck_assert_ptr_nonnull(info);
	ck_assert_int_eq(hdmabuf_info_get_role(info), HDMABUF_ROLE_IMPORT);
	ck_assert_int_eq(hdmabuf_info_get_state(info), HDMABUF_STATE_IMPORTED);
	ck_assert_uint_eq(hdmabuf_info_get_peer(info), 3);
	ck_assert_uint_eq(hdmabuf_info_get_flags(info), 0);
	ck_assert_uint_eq(hdmabuf_info_get_importers(info), 0);
	hdmabuf_info_free(info);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* A newer module may name roles and states this library does not know. */
START_TEST(query_unknown_role_and_state)
{
	struct hdmabuf_ctx *ctx = fake_ctx();
	struct hdmabuf_info *info;

	fake.out_info = sample_info;
	fake.out_info.role = 9;
	fake.out_info.state = 8;
	info = hdmabuf_ctx_query(ctx, &sample_hid);
	ck_assert_ptr_nonnull(info);
	ck_assert_int_eq(hdmabuf_info_get_role(info), 9);
	ck_assert_int_eq(hdmabuf_info_get_state(info), 8);
	ck_assert_ptr_null(hdmabuf_role_name(hdmabuf_info_get_role(info)));
	ck_assert_ptr_null(hdmabuf_state_name(hdmabuf_info_get_state(info)));
	hdmabuf_info_free(info);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(query_errors)
{
	static const int errors[] = { ENOENT, EKEYREJECTED, EINVAL, EFAULT };
	struct hdmabuf_ctx *ctx = fake_ctx();
	size_t i;

	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		fake.error = errors[i];
		errno = 0;
		ck_assert_ptr_null(hdmabuf_ctx_query(ctx, &sample_hid));
		ck_assert_int_eq(errno, errors[i]);
	}
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(query_retried_after_signal)
{
	struct hdmabuf_ctx *ctx = fake_ctx();
	struct hdmabuf_info *info;

	fake.eintr_left = 1;
	fake.out_info = sample_info;
	info = hdmabuf_ctx_query(ctx, &sample_hid);
	ck_assert_ptr_nonnull(info);
	ck_assert_int_eq(fake.calls, 2);
	ck_assert_uint_eq(hdmabuf_info_get_importers(info), 2);
	hdmabuf_info_free(info);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* Entry i of a list is what list_entry(i) made. */
static void check_list_entry(const struct hdmabuf_info_list *list,
			     unsigned int i)
{
	const struct hdmabuf_info *info = hdmabuf_info_list_get(list, i);
	struct hyper_dmabuf_info want;
	struct hdmabuf_id want_id;

	ck_assert_ptr_nonnull(info);
	list_entry(i, &want);
	want_id.domid = want.id.domid;
	want_id.serial = want.id.serial;
	want_id.key[0] = want.id.key[0];
	want_id.key[1] = want.id.key[1];
	ck_assert(hdmabuf_id_equal(hdmabuf_info_get_id(info), &want_id));
	ck_assert_int_eq(hdmabuf_info_get_role(info), want.role);
	ck_assert_int_eq(hdmabuf_info_get_state(info), want.state);
	ck_assert_uint_eq(hdmabuf_info_get_peer(info), want.peer);
	ck_assert_uint_eq(hdmabuf_info_get_flags(info), want.flags);
	ck_assert(hdmabuf_info_get_size(info) == want.size);
	ck_assert_uint_eq(hdmabuf_info_get_importers(info), want.importers);
}

START_TEST(list_empty)
{
	struct hdmabuf_ctx *ctx = fake_ctx();
	struct hdmabuf_info_list *list;

	list = hdmabuf_ctx_list(ctx);
	ck_assert_ptr_nonnull(list);
	ck_assert_int_eq(fake.calls, 1);
	ck_assert(fake.request == HYPER_DMABUF_IOCTL_LIST);
	ck_assert_uint_eq(fake.in.list.flags, 0);
	ck_assert_uint_eq(fake.in.list.reserved0, 0);
	ck_assert(ZEROED(fake.in.list.reserved));
	ck_assert_uint_eq(hdmabuf_info_list_get_count(list), 0);
	errno = 0;
	ck_assert_ptr_null(hdmabuf_info_list_get(list, 0));
	ck_assert_int_eq(errno, EINVAL);
	hdmabuf_info_list_free(list);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(list_entries)
{
	struct hdmabuf_ctx *ctx = fake_ctx();
	struct hdmabuf_info_list *list;
	unsigned int i;

	fake.list_count = 5;
	list = hdmabuf_ctx_list(ctx);
	ck_assert_ptr_nonnull(list);
	ck_assert_int_eq(fake.calls, 1);
	ck_assert_uint_ge(fake.list_capacity[0], 5);
	/* the list does not depend on the context */
	hdmabuf_ctx_close(ctx);
	ck_assert_uint_eq(hdmabuf_info_list_get_count(list), 5);
	for (i = 0; i < 5; i++)
		check_list_entry(list, i);
	errno = 0;
	ck_assert_ptr_null(hdmabuf_info_list_get(list, 5));
	ck_assert_int_eq(errno, EINVAL);
	hdmabuf_info_list_free(list);
}
END_TEST

/* More than the first call had room for, and more again before the next. */
START_TEST(list_retried_while_it_grows)
{
	struct hdmabuf_ctx *ctx = fake_ctx();
	struct hdmabuf_info_list *list;
	unsigned int i, first;

	fake.list_count = 100;
	fake.list_grow = 3;
	list = hdmabuf_ctx_list(ctx);
	ck_assert_ptr_nonnull(list);
	first = fake.list_capacity[0];
	ck_assert_uint_lt(first, 100);
	ck_assert_int_eq(fake.calls, 2);
	ck_assert_uint_ge(fake.list_capacity[1], 103);
	ck_assert_uint_eq(hdmabuf_info_list_get_count(list), 103);
	for (i = 0; i < 103; i++)
		check_list_entry(list, i);
	hdmabuf_info_list_free(list);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(list_that_keeps_growing)
{
	struct hdmabuf_ctx *ctx = fake_ctx();

	fake.list_count = 100;
	fake.list_grow = 1000;
	errno = 0;
	ck_assert_ptr_null(hdmabuf_ctx_list(ctx));
	ck_assert_int_eq(errno, EAGAIN);
	ck_assert_int_eq(fake.calls, 8);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* The module writes 65536 entries at most: a longer list cannot be read. */
START_TEST(list_too_long)
{
	struct hdmabuf_ctx *ctx = fake_ctx();

	fake.list_count = 65537;
	errno = 0;
	ck_assert_ptr_null(hdmabuf_ctx_list(ctx));
	ck_assert_int_eq(errno, EOVERFLOW);
	ck_assert_int_eq(fake.calls, 1);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(list_errors)
{
	static const int errors[] = { EINVAL, EFAULT, ENOMEM };
	struct hdmabuf_ctx *ctx = fake_ctx();
	size_t i;

	fake.list_count = 3;
	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		fake.error = errors[i];
		errno = 0;
		ck_assert_ptr_null(hdmabuf_ctx_list(ctx));
		ck_assert_int_eq(errno, errors[i]);
	}
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(revoke_marshalling)
{
	struct hdmabuf_ctx *ctx = fake_ctx();
	unsigned int remaining = 99;

	fake.out_remaining = 2;
	ck_assert_int_eq(hdmabuf_ctx_revoke(ctx, &sample_hid, 1500,
					    &remaining), 0);
	ck_assert(fake.request == HYPER_DMABUF_IOCTL_REVOKE);
	ck_assert(memcmp(&fake.in.revoke.id, &sample_id, sizeof(sample_id)) == 0);
	ck_assert_uint_eq(fake.in.revoke.timeout_ms, 1500);
	ck_assert_uint_eq(fake.in.revoke.flags, 0);
	ck_assert_uint_eq(fake.in.revoke.remaining, 0);
	ck_assert_uint_eq(fake.in.revoke.reserved0, 0);
	ck_assert(ZEROED(fake.in.revoke.reserved));
	ck_assert_uint_eq(remaining, 2);

	fake.out_remaining = 0;
	ck_assert_int_eq(hdmabuf_ctx_revoke(ctx, &sample_hid, 0, &remaining), 0);
	ck_assert_uint_eq(remaining, 0);
	ck_assert_int_eq(hdmabuf_ctx_revoke(ctx, &sample_hid, 0, NULL), 0);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* The module enforces the longest timeout; the library passes it on. */
START_TEST(revoke_passes_timeout)
{
	struct hdmabuf_ctx *ctx = fake_ctx();

	ck_assert_int_eq(hdmabuf_ctx_revoke(ctx, &sample_hid,
					    HDMABUF_REVOKE_TIMEOUT_MAX + 1,
					    NULL), 0);
	ck_assert_uint_eq(fake.in.revoke.timeout_ms,
			  HDMABUF_REVOKE_TIMEOUT_MAX + 1);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(revoke_errors)
{
	static const int errors[] = { ENOENT, EKEYREJECTED, EPERM, EALREADY,
				      EINVAL };
	struct hdmabuf_ctx *ctx = fake_ctx();
	unsigned int remaining;
	size_t i;

	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		fake.error = errors[i];
		remaining = 77;
		errno = 0;
		ck_assert_int_eq(hdmabuf_ctx_revoke(ctx, &sample_hid, 0,
						    &remaining), -1);
		ck_assert_int_eq(errno, errors[i]);
		ck_assert_uint_eq(remaining, 77);
	}
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* Asked again, the module would say EALREADY: the signal is reported. */
START_TEST(revoke_not_repeated_after_signal)
{
	struct hdmabuf_ctx *ctx = fake_ctx();
	unsigned int remaining = 77;

	fake.eintr_left = 1;
	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_revoke(ctx, &sample_hid, 500, &remaining),
			 -1);
	ck_assert_int_eq(errno, EINTR);
	ck_assert_int_eq(fake.calls, 1);
	ck_assert_uint_eq(remaining, 77);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(signal_marshalling)
{
	struct hdmabuf_ctx *ctx = fake_ctx();

	ck_assert_int_eq(hdmabuf_ctx_signal(ctx, &sample_hid,
					    0x100000005ULL), 0);
	ck_assert(fake.request == HYPER_DMABUF_IOCTL_SIGNAL);
	ck_assert(memcmp(&fake.in.signal.id, &sample_id, sizeof(sample_id)) == 0);
	ck_assert(fake.in.signal.value == 0x100000005ULL);
	ck_assert_uint_eq(fake.in.signal.flags, 0);
	ck_assert_uint_eq(fake.in.signal.reserved0, 0);
	ck_assert(ZEROED(fake.in.signal.reserved));
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(signal_errors)
{
	static const int errors[] = { ENOENT, EKEYREJECTED, EINVAL };
	struct hdmabuf_ctx *ctx = fake_ctx();
	size_t i;

	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		fake.error = errors[i];
		errno = 0;
		ck_assert_int_eq(hdmabuf_ctx_signal(ctx, &sample_hid, 1), -1);
		ck_assert_int_eq(errno, errors[i]);
	}
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(signal_retried_after_signal)
{
	struct hdmabuf_ctx *ctx = fake_ctx();

	fake.eintr_left = 1;
	ck_assert_int_eq(hdmabuf_ctx_signal(ctx, &sample_hid, 3), 0);
	ck_assert_int_eq(fake.calls, 2);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(wait_reached)
{
	struct hdmabuf_ctx *ctx = fake_ctx();
	uint64_t current = 0;

	fake.timeline = 7;
	ck_assert_int_eq(hdmabuf_ctx_wait(ctx, &sample_hid, 5, 100, &current),
			 0);
	ck_assert(current == 7);
	ck_assert_int_eq(fake.calls, 1);
	ck_assert(fake.request == HYPER_DMABUF_IOCTL_WAIT);
	ck_assert(memcmp(&fake.in.wait.id, &sample_id, sizeof(sample_id)) == 0);
	ck_assert(fake.in.wait.value == 5);
	/* what is left of 100 ms, a moment later */
	ck_assert_uint_le(fake.in.wait.timeout_ms, 100);
	ck_assert_uint_ge(fake.in.wait.timeout_ms, 50);
	ck_assert_uint_eq(fake.in.wait.flags, 0);
	ck_assert_uint_eq(fake.in.wait.reserved0, 0);
	ck_assert(ZEROED(fake.in.wait.reserved));
	ck_assert(fake.in.wait.current_value == 0);
	ck_assert(hdmabuf_ctx_wait(ctx, &sample_hid, 7, 0, NULL) == 0);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* Value 0 is reached at once: the way to read the timeline. */
START_TEST(wait_zero_reads_the_value)
{
	struct hdmabuf_ctx *ctx = fake_ctx();
	uint64_t current = 0;

	fake.timeline = 0xfffffffffULL;
	ck_assert_int_eq(hdmabuf_ctx_wait(ctx, &sample_hid, 0, 0, &current), 0);
	ck_assert(current == 0xfffffffffULL);
	ck_assert_uint_eq(fake.in.wait.timeout_ms, 0);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(wait_times_out)
{
	struct hdmabuf_ctx *ctx = fake_ctx();
	uint64_t current = 0;

	fake.timeline = 3;
	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_wait(ctx, &sample_hid, 9, 0, &current), -1);
	ck_assert_int_eq(errno, ETIMEDOUT);
	/* the value is reported with the time-out */
	ck_assert(current == 3);
	ck_assert_int_eq(fake.calls, 1);
	ck_assert_uint_eq(fake.in.wait.timeout_ms, 0);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* Without a limit, the module's time-outs are not the caller's. */
START_TEST(wait_without_limit)
{
	struct hdmabuf_ctx *ctx = fake_ctx();
	uint64_t current = 0;
	int i;

	fake.timeline = 4;
	fake.timeouts_left = 2;
	ck_assert_int_eq(hdmabuf_ctx_wait(ctx, &sample_hid, 4, -1, &current),
			 0);
	ck_assert(current == 4);
	ck_assert_int_eq(fake.calls, 3);
	for (i = 0; i < 3; i++)
		ck_assert_uint_eq(fake.wait_timeout[i], UINT32_MAX);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* After a signal the wait goes on, for what is left of the timeout only. */
START_TEST(wait_goes_on_after_signal)
{
	struct hdmabuf_ctx *ctx = fake_ctx();
	uint64_t current = 0;

	fake.timeline = 2;
	fake.eintr_left = 2;
	ck_assert_int_eq(hdmabuf_ctx_wait(ctx, &sample_hid, 2, 1000, &current),
			 0);
	ck_assert(current == 2);
	ck_assert_int_eq(fake.calls, 3);
	ck_assert_uint_le(fake.wait_timeout[0], 1000);
	ck_assert_uint_le(fake.wait_timeout[1], fake.wait_timeout[0]);
	ck_assert_uint_le(fake.wait_timeout[2], fake.wait_timeout[1]);
	ck_assert_uint_gt(fake.wait_timeout[2], 0);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(wait_errors)
{
	static const int errors[] = { ENOENT, EKEYREJECTED, EINVAL };
	struct hdmabuf_ctx *ctx = fake_ctx();
	uint64_t current;
	size_t i;

	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		fake.error = errors[i];
		current = 77;
		errno = 0;
		ck_assert_int_eq(hdmabuf_ctx_wait(ctx, &sample_hid, 1, 10,
						  &current), -1);
		ck_assert_int_eq(errno, errors[i]);
		ck_assert(current == 77);
	}
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(wait_sync_file_marshalling)
{
	struct hdmabuf_ctx *ctx = fake_ctx();
	int fd = fake_new_fd();

	ck_assert_int_eq(hdmabuf_ctx_wait_sync_file(ctx, &sample_hid, 12), fd);
	ck_assert(fake.request == HYPER_DMABUF_IOCTL_WAIT);
	ck_assert(memcmp(&fake.in.wait.id, &sample_id, sizeof(sample_id)) == 0);
	ck_assert(fake.in.wait.value == 12);
	ck_assert_uint_eq(fake.in.wait.flags, HYPER_DMABUF_WAIT_SYNC_FILE);
	ck_assert_uint_eq(fake.in.wait.reserved0, 0);
	ck_assert(ZEROED(fake.in.wait.reserved));
	/* the descriptor is the caller's */
	hdmabuf_ctx_close(ctx);
	ck_assert(fd_is_open(fd));
	close(fd);
}
END_TEST

START_TEST(wait_sync_file_errors)
{
	static const int errors[] = { ENOENT, EKEYREJECTED, ENOMEM, EMFILE };
	struct hdmabuf_ctx *ctx = fake_ctx();
	size_t i;

	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		fake.error = errors[i];
		errno = 0;
		ck_assert_int_eq(hdmabuf_ctx_wait_sync_file(ctx, &sample_hid, 1),
				 -1);
		ck_assert_int_eq(errno, errors[i]);
	}
	fake.error = 0;
	fake.out_fd = -1;
	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_wait_sync_file(ctx, &sample_hid, 1), -1);
	ck_assert_int_eq(errno, EPROTO);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(free_null_v3)
{
	hdmabuf_info_free(NULL);
	hdmabuf_info_list_free(NULL);
	hdmabuf_event_free(NULL);
}
END_TEST

START_TEST(role_and_state_names)
{
	ck_assert_str_eq(hdmabuf_role_name(HDMABUF_ROLE_EXPORT), "export");
	ck_assert_str_eq(hdmabuf_role_name(HDMABUF_ROLE_IMPORT), "import");
	ck_assert_ptr_null(hdmabuf_role_name((enum hdmabuf_role)0));
	ck_assert_str_eq(hdmabuf_state_name(HDMABUF_STATE_OFFERED), "offered");
	ck_assert_str_eq(hdmabuf_state_name(HDMABUF_STATE_WITHDRAWN),
			 "withdrawn");
	ck_assert_str_eq(hdmabuf_state_name(HDMABUF_STATE_IMPORTED),
			 "imported");
	ck_assert_ptr_null(hdmabuf_state_name((enum hdmabuf_state)0));
	ck_assert_ptr_null(hdmabuf_state_name((enum hdmabuf_state)4));
}
END_TEST

START_TEST(event_type_names)
{
	static const char *const names[] = {
		NULL, "overflow", "offered", "imported", "released",
		"unexported", "revoked", "signalled", "peer-up", "peer-down",
		NULL,
	};
	int i;

	for (i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++) {
		const char *name =
			hdmabuf_event_type_name((enum hdmabuf_event_type)i);

		if (names[i])
			ck_assert_str_eq(name, names[i]);
		else
			ck_assert_ptr_null(name);
	}
}
END_TEST

/*
 * Events are read from a fifo standing in for the device: what the test
 * writes into it is what the module's read() would return.
 */
static struct hdmabuf_ctx *fifo_ctx(void)
{
	char dir[] = "/tmp/test-lib-XXXXXX", path[sizeof(dir) + 5];
	struct hdmabuf_ctx *ctx;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/fifo", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	/* read-write: the open does not wait for a writer */
	ctx = hdmabuf_ctx_open(path);
	unlink(path);
	rmdir(dir);
	ck_assert_ptr_nonnull(ctx);
	return ctx;
}

static void put_event(int fd, __u32 type, __u32 peer,
		      const struct hyper_dmabuf_id *id, __u64 value, __u64 ts)
{
	struct hyper_dmabuf_event ev = {
		.type = type,
		.peer = peer,
		.value = value,
		.timestamp_ns = ts,
	};

	if (id)
		ev.id = *id;
	ck_assert_int_eq(write(fd, &ev, sizeof(ev)), sizeof(ev));
}

static long long elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000LL +
	       (now.tv_nsec - start->tv_nsec) / 1000000;
}

START_TEST(event_fields)
{
	struct hdmabuf_ctx *ctx = fifo_ctx();
	struct hdmabuf_event *ev;

	put_event(hdmabuf_ctx_get_fd(ctx), HYPER_DMABUF_EVENT_SIGNALLED, 3,
		  &sample_id, 42, 123456789);
	ev = hdmabuf_ctx_read_event(ctx, 0);
	ck_assert_ptr_nonnull(ev);
	/* the event does not depend on the context */
	hdmabuf_ctx_close(ctx);
	ck_assert_int_eq(hdmabuf_event_get_type(ev), HDMABUF_EVENT_SIGNALLED);
	ck_assert_uint_eq(hdmabuf_event_get_peer(ev), 3);
	ck_assert(hdmabuf_id_equal(hdmabuf_event_get_id(ev), &sample_hid));
	ck_assert(hdmabuf_event_get_value(ev) == 42);
	ck_assert(hdmabuf_event_get_timestamp_ns(ev) == 123456789);
	hdmabuf_event_free(ev);
}
END_TEST

START_TEST(event_overflow)
{
	static const struct hdmabuf_id zero_id = { 0 };
	struct hdmabuf_ctx *ctx = fifo_ctx();
	struct hdmabuf_event *ev;

	put_event(hdmabuf_ctx_get_fd(ctx), HYPER_DMABUF_EVENT_OVERFLOW, 0,
		  NULL, 17, 5);
	ev = hdmabuf_ctx_read_event(ctx, -1);
	ck_assert_ptr_nonnull(ev);
	ck_assert_int_eq(hdmabuf_event_get_type(ev), HDMABUF_EVENT_OVERFLOW);
	ck_assert(hdmabuf_event_get_value(ev) == 17);
	ck_assert_uint_eq(hdmabuf_event_get_peer(ev), 0);
	ck_assert(hdmabuf_id_equal(hdmabuf_event_get_id(ev), &zero_id));
	hdmabuf_event_free(ev);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* One event at a time, in order; then the queue is empty. */
START_TEST(event_order)
{
	struct hdmabuf_ctx *ctx = fifo_ctx();
	int fd = hdmabuf_ctx_get_fd(ctx);
	struct hdmabuf_event *ev;
	__u32 type;

	put_event(fd, HYPER_DMABUF_EVENT_OFFERED, 3, &sample_id, 0, 1);
	put_event(fd, HYPER_DMABUF_EVENT_IMPORTED, 4, &sample_id, 0, 2);
	put_event(fd, HYPER_DMABUF_EVENT_RELEASED, 5, &sample_id, 0, 3);
	for (type = HYPER_DMABUF_EVENT_OFFERED;
	     type <= HYPER_DMABUF_EVENT_RELEASED; type++) {
		ev = hdmabuf_ctx_read_event(ctx, 1000);
		ck_assert_ptr_nonnull(ev);
		ck_assert_int_eq(hdmabuf_event_get_type(ev), type);
		ck_assert_uint_eq(hdmabuf_event_get_peer(ev), type + 1);
		ck_assert(hdmabuf_event_get_timestamp_ns(ev) == type - 1);
		hdmabuf_event_free(ev);
	}
	errno = 0;
	ck_assert_ptr_null(hdmabuf_ctx_read_event(ctx, 0));
	ck_assert_int_eq(errno, ETIMEDOUT);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(event_timeout)
{
	struct hdmabuf_ctx *ctx = fifo_ctx();
	struct timespec start;

	clock_gettime(CLOCK_MONOTONIC, &start);
	errno = 0;
	ck_assert_ptr_null(hdmabuf_ctx_read_event(ctx, 0));
	ck_assert_int_eq(errno, ETIMEDOUT);
	ck_assert_int_lt(elapsed_ms(&start), 100);

	clock_gettime(CLOCK_MONOTONIC, &start);
	errno = 0;
	ck_assert_ptr_null(hdmabuf_ctx_read_event(ctx, 150));
	ck_assert_int_eq(errno, ETIMEDOUT);
	ck_assert_int_ge(elapsed_ms(&start), 140);
	hdmabuf_ctx_close(ctx);
}
END_TEST

static int alarm_fd = -1;
static volatile sig_atomic_t alarms;

/* The event comes while the reader is in poll(), with a signal. */
static void on_alarm(int sig)
{
	struct hyper_dmabuf_event ev = {
		.type = HYPER_DMABUF_EVENT_UNEXPORTED,
		.peer = 9,
	};
	ssize_t n;

	(void)sig;
	alarms++;
	n = write(alarm_fd, &ev, sizeof(ev));
	(void)n;
}

START_TEST(event_after_signal)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval timer = { .it_value = { .tv_usec = 50000 } };
	struct hdmabuf_ctx *ctx = fifo_ctx();
	struct hdmabuf_event *ev;

	/* no SA_RESTART: poll() returns EINTR, as it would anyway */
	sigemptyset(&sa.sa_mask);
	ck_assert_int_eq(sigaction(SIGALRM, &sa, NULL), 0);
	alarm_fd = hdmabuf_ctx_get_fd(ctx);
	ck_assert_int_eq(setitimer(ITIMER_REAL, &timer, NULL), 0);
	ev = hdmabuf_ctx_read_event(ctx, 5000);
	ck_assert_int_eq(alarms, 1);
	ck_assert_ptr_nonnull(ev);
	ck_assert_int_eq(hdmabuf_event_get_type(ev), HDMABUF_EVENT_UNEXPORTED);
	ck_assert_uint_eq(hdmabuf_event_get_peer(ev), 9);
	hdmabuf_event_free(ev);
	signal(SIGALRM, SIG_DFL);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* A newer module may report types this library does not know. */
START_TEST(event_unknown_type)
{
	struct hdmabuf_ctx *ctx = fifo_ctx();
	struct hdmabuf_event *ev;

	put_event(hdmabuf_ctx_get_fd(ctx), 99, 3, &sample_id, 6, 7);
	ev = hdmabuf_ctx_read_event(ctx, 0);
	ck_assert_ptr_nonnull(ev);
	ck_assert_int_eq(hdmabuf_event_get_type(ev), 99);
	ck_assert_ptr_null(hdmabuf_event_type_name(hdmabuf_event_get_type(ev)));
	ck_assert(hdmabuf_event_get_value(ev) == 6);
	hdmabuf_event_free(ev);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* The module returns whole events only; anything else is its fault. */
START_TEST(event_short_record)
{
	struct hdmabuf_ctx *ctx = fifo_ctx();

	ck_assert_int_eq(write(hdmabuf_ctx_get_fd(ctx), "0123456789", 10), 10);
	errno = 0;
	ck_assert_ptr_null(hdmabuf_ctx_read_event(ctx, 0));
	ck_assert_int_eq(errno, EPROTO);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* /dev/null is always readable, and reads nothing. */
START_TEST(event_from_other_device)
{
	struct hdmabuf_ctx *ctx = hdmabuf_ctx_open("/dev/null");

	ck_assert_ptr_nonnull(ctx);
	errno = 0;
	ck_assert_ptr_null(hdmabuf_ctx_read_event(ctx, 0));
	ck_assert_int_eq(errno, EPROTO);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* A peer coming up: the other domain, and no id. */
START_TEST(event_peer_up_and_down)
{
	static const struct hdmabuf_id zero_id = { 0 };
	struct hdmabuf_ctx *ctx = fifo_ctx();
	int fd = hdmabuf_ctx_get_fd(ctx);
	struct hdmabuf_event *ev;

	put_event(fd, HYPER_DMABUF_EVENT_PEER_UP, 3, NULL, 0, 11);
	put_event(fd, HYPER_DMABUF_EVENT_PEER_DOWN, 3, NULL, 0, 12);
	ev = hdmabuf_ctx_read_event(ctx, 0);
	ck_assert_ptr_nonnull(ev);
	ck_assert_int_eq(hdmabuf_event_get_type(ev), HDMABUF_EVENT_PEER_UP);
	ck_assert_str_eq(hdmabuf_event_type_name(hdmabuf_event_get_type(ev)),
			 "peer-up");
	ck_assert_uint_eq(hdmabuf_event_get_peer(ev), 3);
	ck_assert(hdmabuf_id_equal(hdmabuf_event_get_id(ev), &zero_id));
	ck_assert(hdmabuf_event_get_timestamp_ns(ev) == 11);
	hdmabuf_event_free(ev);
	ev = hdmabuf_ctx_read_event(ctx, 0);
	ck_assert_ptr_nonnull(ev);
	ck_assert_int_eq(hdmabuf_event_get_type(ev), HDMABUF_EVENT_PEER_DOWN);
	ck_assert_uint_eq(hdmabuf_event_get_peer(ev), 3);
	hdmabuf_event_free(ev);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* The calls of uAPI version 3: the peers. */

START_TEST(peers_on_other_device)
{
	struct hdmabuf_ctx *ctx = hdmabuf_ctx_open("/dev/null");

	ck_assert_ptr_nonnull(ctx);
	errno = 0;
	ck_assert_ptr_null(hdmabuf_ctx_peers(ctx));
	ck_assert_int_eq(errno, ENOTTY);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* Entry i of a peer list is what peer_entry(i) made. */
static void check_peer_entry(const struct hdmabuf_peer_list *list,
			     unsigned int i)
{
	const struct hdmabuf_peer *peer = hdmabuf_peer_list_get(list, i);
	struct hyper_dmabuf_peer want;

	ck_assert_ptr_nonnull(peer);
	peer_entry(i, &want);
	ck_assert_uint_eq(hdmabuf_peer_get_domid(peer), want.domid);
	ck_assert_int_eq(hdmabuf_peer_get_state(peer), want.state);
	ck_assert(hdmabuf_peer_get_sent(peer) == want.sent);
	ck_assert(hdmabuf_peer_get_received(peer) == want.received);
	ck_assert(hdmabuf_peer_get_dropped(peer) == want.dropped);
}

START_TEST(peers_marshalling)
{
	struct hdmabuf_ctx *ctx = fake_ctx();
	const struct hdmabuf_peer *peer;
	struct hdmabuf_peer_list *list;
	unsigned int i;

	fake.peers_count = 4;
	fake.peer_transport = HYPER_DMABUF_TRANSPORT_XEN;
	list = hdmabuf_ctx_peers(ctx);
	ck_assert_ptr_nonnull(list);
	ck_assert_int_eq(fake.calls, 1);
	ck_assert(fake.request == HYPER_DMABUF_IOCTL_PEERS);
	ck_assert_uint_ge(fake.peers_capacity[0], 4);
	ck_assert_uint_eq(fake.in.peers.flags, 0);
	ck_assert_uint_eq(fake.in.peers.reserved0, 0);
	ck_assert(ZEROED(fake.in.peers.reserved));
	/* the list does not depend on the context */
	hdmabuf_ctx_close(ctx);
	ck_assert_uint_eq(hdmabuf_peer_list_get_count(list), 4);
	for (i = 0; i < 4; i++)
		check_peer_entry(list, i);

	peer = hdmabuf_peer_list_get(list, 0);
	ck_assert_uint_eq(hdmabuf_peer_get_domid(peer), HDMABUF_DOMID_SELF);
	ck_assert_int_eq(hdmabuf_peer_get_transport(peer),
			 HDMABUF_TRANSPORT_LOOPBACK);
	ck_assert_int_eq(hdmabuf_peer_get_state(peer), HDMABUF_PEER_UP);
	peer = hdmabuf_peer_list_get(list, 1);
	ck_assert_uint_eq(hdmabuf_peer_get_domid(peer), 2);
	/* the module's transport bit becomes the library's enum */
	ck_assert_int_eq(hdmabuf_peer_get_transport(peer),
			 HDMABUF_TRANSPORT_XEN);
	ck_assert_int_eq(hdmabuf_peer_get_state(peer), HDMABUF_PEER_CONNECTING);
	ck_assert(hdmabuf_peer_get_sent(peer) == 1001);
	ck_assert(hdmabuf_peer_get_received(peer) == 1002);
	ck_assert(hdmabuf_peer_get_dropped(peer) == 1);

	errno = 0;
	ck_assert_ptr_null(hdmabuf_peer_list_get(list, 4));
	ck_assert_int_eq(errno, EINVAL);
	hdmabuf_peer_list_free(list);
}
END_TEST

/* A newer module may name transports and states this library does not know. */
START_TEST(peers_unknown_transport_and_state)
{
	struct hdmabuf_ctx *ctx = fake_ctx();
	const struct hdmabuf_peer *peer;
	struct hdmabuf_peer_list *list;

	fake.peers_count = 2;
	fake.peer_transport = 1U << 5;
	list = hdmabuf_ctx_peers(ctx);
	ck_assert_ptr_nonnull(list);
	peer = hdmabuf_peer_list_get(list, 1);
	ck_assert_int_eq(hdmabuf_peer_get_transport(peer), 0);
	ck_assert_ptr_null(hdmabuf_transport_name(
		hdmabuf_peer_get_transport(peer)));
	ck_assert_ptr_null(hdmabuf_peer_state_name(
		(enum hdmabuf_peer_state)7));
	hdmabuf_peer_list_free(list);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(peers_none)
{
	struct hdmabuf_ctx *ctx = fake_ctx();
	struct hdmabuf_peer_list *list;

	list = hdmabuf_ctx_peers(ctx);
	ck_assert_ptr_nonnull(list);
	ck_assert_uint_eq(hdmabuf_peer_list_get_count(list), 0);
	errno = 0;
	ck_assert_ptr_null(hdmabuf_peer_list_get(list, 0));
	ck_assert_int_eq(errno, EINVAL);
	hdmabuf_peer_list_free(list);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* More than the first call had room for, and more again before the next. */
START_TEST(peers_retried_while_they_grow)
{
	struct hdmabuf_ctx *ctx = fake_ctx();
	struct hdmabuf_peer_list *list;
	unsigned int i;

	fake.peers_count = 100;
	fake.peers_grow = 3;
	fake.peer_transport = HYPER_DMABUF_TRANSPORT_XEN;
	list = hdmabuf_ctx_peers(ctx);
	ck_assert_ptr_nonnull(list);
	ck_assert_uint_lt(fake.peers_capacity[0], 100);
	ck_assert_int_eq(fake.calls, 2);
	ck_assert_uint_ge(fake.peers_capacity[1], 103);
	ck_assert_uint_eq(hdmabuf_peer_list_get_count(list), 103);
	for (i = 0; i < 103; i++)
		check_peer_entry(list, i);
	hdmabuf_peer_list_free(list);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(peers_that_keep_growing)
{
	struct hdmabuf_ctx *ctx = fake_ctx();

	fake.peers_count = 100;
	fake.peers_grow = 1000;
	errno = 0;
	ck_assert_ptr_null(hdmabuf_ctx_peers(ctx));
	ck_assert_int_eq(errno, EAGAIN);
	ck_assert_int_eq(fake.calls, 8);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* The module writes 32768 peers at most: more cannot be read. */
START_TEST(peers_too_many)
{
	struct hdmabuf_ctx *ctx = fake_ctx();
	struct hdmabuf_peer_list *list;

	fake.peers_count = 32769;
	errno = 0;
	ck_assert_ptr_null(hdmabuf_ctx_peers(ctx));
	ck_assert_int_eq(errno, EOVERFLOW);
	ck_assert_int_eq(fake.calls, 1);

	fake.calls = 0;
	fake.peers_count = 32768;
	list = hdmabuf_ctx_peers(ctx);
	ck_assert_ptr_nonnull(list);
	ck_assert_int_eq(fake.calls, 2);
	ck_assert_uint_eq(fake.peers_capacity[1], 32768);
	ck_assert_uint_eq(hdmabuf_peer_list_get_count(list), 32768);
	check_peer_entry(list, 32767);
	hdmabuf_peer_list_free(list);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(peers_errors)
{
	static const int errors[] = { EINVAL, EFAULT, ENOMEM, ENOTTY };
	struct hdmabuf_ctx *ctx = fake_ctx();
	size_t i;

	fake.peers_count = 3;
	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		fake.error = errors[i];
		errno = 0;
		ck_assert_ptr_null(hdmabuf_ctx_peers(ctx));
		ck_assert_int_eq(errno, errors[i]);
	}
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(peers_retried_after_signal)
{
	struct hdmabuf_ctx *ctx = fake_ctx();
	struct hdmabuf_peer_list *list;

	fake.eintr_left = 1;
	fake.peers_count = 2;
	list = hdmabuf_ctx_peers(ctx);
	ck_assert_ptr_nonnull(list);
	ck_assert_int_eq(fake.calls, 2);
	ck_assert_uint_eq(hdmabuf_peer_list_get_count(list), 2);
	hdmabuf_peer_list_free(list);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(free_null_v4)
{
	hdmabuf_peer_list_free(NULL);
}
END_TEST

START_TEST(peer_state_names)
{
	ck_assert_str_eq(hdmabuf_peer_state_name(HDMABUF_PEER_CONNECTING),
			 "connecting");
	ck_assert_str_eq(hdmabuf_peer_state_name(HDMABUF_PEER_UP), "up");
	ck_assert_ptr_null(hdmabuf_peer_state_name((enum hdmabuf_peer_state)0));
	ck_assert_ptr_null(hdmabuf_peer_state_name((enum hdmabuf_peer_state)3));
}
END_TEST

/*
 * The Xen group (uAPI 4): what the library passes, what it makes of the
 * answers, and that the fake's checks, the module's, reach the caller.
 */

/* A context on a domU (3) whose requests are answered by the fake. */
static struct hdmabuf_ctx *xen_ctx(void)
{
	return fake_ctx_open(&reply_domu);
}

/* A stand-in for a dma-buf of pages: a regular file, opened with mode. */
static int page_file(unsigned int pages, int mode)
{
	char path[] = "/tmp/test-lib-XXXXXX", link[64];
	int fd, ro;

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	unlink(path);
	ck_assert_int_eq(ftruncate(fd, (off_t)pages * PAGE_SIZE), 0);
	if (mode == O_RDWR)
		return fd;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ro = open(link, mode | O_CLOEXEC);
	close(fd);
	ck_assert_int_ge(ro, 0);
	return ro;
}

static const uint32_t sample_refs[] = { 8, 9, 1000, 0x7fffffff };
#define SAMPLE_COUNT	(sizeof(sample_refs) / sizeof(sample_refs[0]))

/* A module older than the calls does not know them. */
START_TEST(xen_calls_on_other_device)
{
	struct hdmabuf_ctx *ctx = hdmabuf_ctx_open("/dev/null");
	uint32_t refs[1] = { 0 };
	int fd = 77;

	ck_assert_ptr_nonnull(ctx);
	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_xen_exp_from_refs(ctx, 0, 0, 1,
						       sample_refs, &fd), -1);
	ck_assert_int_eq(errno, ENOTTY);
	ck_assert_int_eq(fd, 77);
	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_xen_exp_wait_released(ctx, 5, 0), -1);
	ck_assert_int_eq(errno, ENOTTY);
	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_xen_imp_to_refs(ctx, 0, 5, 1, 0, refs),
			 -1);
	ck_assert_int_eq(errno, ENOTTY);
	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_xen_imp_release(ctx, 5), -1);
	ck_assert_int_eq(errno, ENOTTY);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* Off Xen, every call of the group fails with ENODEV. */
START_TEST(xen_calls_off_xen)
{
	struct hdmabuf_ctx *ctx = fake_ctx_open(&reply_plain);
	int buf = page_file(1, O_RDWR), fd = 77;
	uint32_t refs[1] = { 55 };

	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_xen_exp_from_refs(ctx, 0, 0, 1,
						       sample_refs, &fd), -1);
	ck_assert_int_eq(errno, ENODEV);
	ck_assert_int_eq(fd, 77);
	ck_assert(fake.request == HYPER_DMABUF_IOCTL_XEN_EXP_FROM_REFS);
	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_xen_exp_wait_released(ctx, 5, 10), -1);
	ck_assert_int_eq(errno, ENODEV);
	ck_assert(fake.request == HYPER_DMABUF_IOCTL_XEN_EXP_WAIT_RELEASED);
	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_xen_imp_to_refs(ctx, 0, buf, 1, 0, refs),
			 -1);
	ck_assert_int_eq(errno, ENODEV);
	ck_assert(fake.request == HYPER_DMABUF_IOCTL_XEN_IMP_TO_REFS);
	ck_assert_uint_eq(refs[0], 55);
	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_xen_imp_release(ctx, buf), -1);
	ck_assert_int_eq(errno, ENODEV);
	ck_assert(fake.request == HYPER_DMABUF_IOCTL_XEN_IMP_RELEASE);
	ck_assert_int_eq(fake.calls, 4);
	hdmabuf_ctx_close(ctx);
	close(buf);
}
END_TEST

START_TEST(exp_from_refs_marshalling)
{
	struct hdmabuf_ctx *ctx = xen_ctx();
	int out = fake_new_fd(), fd = 77;
	size_t i;

	ck_assert_int_eq(hdmabuf_ctx_xen_exp_from_refs(ctx, 0, HDMABUF_MEM_WC,
						       SAMPLE_COUNT,
						       sample_refs, &fd), 0);
	ck_assert_int_eq(fd, out);
	ck_assert_int_eq(fake.calls, 1);
	ck_assert(fake.request == HYPER_DMABUF_IOCTL_XEN_EXP_FROM_REFS);
	ck_assert_uint_eq(fake.in.xen_exp.flags, HYPER_DMABUF_MEM_WC);
	ck_assert_uint_eq(fake.in.xen_exp.count, SAMPLE_COUNT);
	ck_assert_uint_eq(fake.in.xen_exp.domid, 0);
	ck_assert(fake.in.xen_exp.refs == (uintptr_t)sample_refs);
	ck_assert(ZEROED(fake.in.xen_exp.reserved));
	for (i = 0; i < SAMPLE_COUNT; i++)
		ck_assert_uint_eq(fake.refs_in[i], sample_refs[i]);
	/* the descriptor is the caller's: closing the context keeps it */
	hdmabuf_ctx_close(ctx);
	ck_assert(fd_is_open(fd));
	close(fd);
}
END_TEST

/* The largest count goes through whole, to the last reference. */
START_TEST(exp_from_refs_most_refs)
{
	struct hdmabuf_ctx *ctx = xen_ctx();
	uint32_t *refs = calloc(HDMABUF_XEN_REFS_MAX + 1, sizeof(*refs));
	int out = fake_new_fd(), fd = 77;
	uint32_t i;

	ck_assert_ptr_nonnull(refs);
	for (i = 0; i <= HDMABUF_XEN_REFS_MAX; i++)
		refs[i] = i + 100;
	ck_assert_int_eq(hdmabuf_ctx_xen_exp_from_refs(ctx, 7, 0,
						       HDMABUF_XEN_REFS_MAX,
						       refs, &fd), 0);
	ck_assert_int_eq(fd, out);
	ck_assert_uint_eq(fake.in.xen_exp.count, 65535);
	ck_assert_uint_eq(fake.in.xen_exp.domid, 7);
	ck_assert_uint_eq(fake.in.xen_exp.flags, 0);
	ck_assert_uint_eq(fake.refs_in[0], 100);
	ck_assert_uint_eq(fake.last_ref_in, 65534 + 100);
	close(fd);
	/* one more is refused, and nothing is made */
	fd = 77;
	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_xen_exp_from_refs(ctx, 7, 0,
						       HDMABUF_XEN_REFS_MAX + 1,
						       refs, &fd), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_uint_eq(fake.in.xen_exp.count, 65536);
	ck_assert_int_eq(fd, 77);
	free(refs);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* The module, not the library, decides which arguments are valid. */
START_TEST(exp_from_refs_passes_arguments)
{
	static const struct {
		uint32_t domid, flags, count;
	} bad[] = {
		{ 0, HDMABUF_MEM_WC | HDMABUF_MEM_COHERENT, 1 },
		{ 0, 1u << 5, 1 },
		{ 0, 0, 0 },
		{ 3, 0, 1 },		/* this domain */
		{ HDMABUF_DOMID_SELF, 0, 1 },
		{ 0x7FF4, 0, 1 },	/* DOMID_IO: not a real domain */
	};
	struct hdmabuf_ctx *ctx = xen_ctx();
	int out = fake_new_fd(), fd;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fd = 77;
		errno = 0;
		ck_assert_int_eq(hdmabuf_ctx_xen_exp_from_refs(ctx, bad[i].domid,
							       bad[i].flags,
							       bad[i].count,
							       sample_refs,
							       &fd), -1);
		ck_assert_int_eq(errno, EINVAL);
		ck_assert_int_eq(fd, 77);
		ck_assert_uint_eq(fake.in.xen_exp.domid, bad[i].domid);
		ck_assert_uint_eq(fake.in.xen_exp.flags, bad[i].flags);
		ck_assert_uint_eq(fake.in.xen_exp.count, bad[i].count);
	}
	ck_assert_int_eq(fake.calls, (int)i);
	/* coherent memory, from another domU */
	ck_assert_int_eq(hdmabuf_ctx_xen_exp_from_refs(ctx, 4,
						       HDMABUF_MEM_COHERENT, 1,
						       sample_refs, &fd), 0);
	ck_assert_int_eq(fd, out);
	ck_assert_uint_eq(fake.in.xen_exp.flags, HYPER_DMABUF_MEM_COHERENT);
	/* no references to read */
	fd = 77;
	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_xen_exp_from_refs(ctx, 4, 0, 1, NULL,
						       &fd), -1);
	ck_assert_int_eq(errno, EFAULT);
	ck_assert_int_eq(fd, 77);
	hdmabuf_ctx_close(ctx);
	close(out);
}
END_TEST

/* A PV domain maps grants over system pages only. */
START_TEST(exp_from_refs_mem_flags_in_pv)
{
	struct hyper_dmabuf_caps reply_pv = reply_domu;
	struct hdmabuf_ctx *ctx;
	int out, fd = 77;

	reply_pv.xen_type = HYPER_DMABUF_XEN_PV;
	ctx = fake_ctx_open(&reply_pv);
	out = fake_new_fd();
	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_xen_exp_from_refs(ctx, 0, HDMABUF_MEM_WC,
						       1, sample_refs, &fd), -1);
	ck_assert_int_eq(errno, EOPNOTSUPP);
	ck_assert_int_eq(fd, 77);
	ck_assert_uint_eq(fake.in.xen_exp.flags, HYPER_DMABUF_MEM_WC);
	ck_assert_int_eq(hdmabuf_ctx_xen_exp_from_refs(ctx, 0, 0, 1,
						       sample_refs, &fd), 0);
	ck_assert_int_eq(fd, out);
	hdmabuf_ctx_close(ctx);
	close(out);
}
END_TEST

START_TEST(exp_from_refs_errors)
{
	static const int errors[] = { ENOENT, ESRCH, EACCES, ENOSPC, EIO,
				      ENOMEM, EMFILE };
	struct hdmabuf_ctx *ctx = xen_ctx();
	size_t i;
	int fd;

	fake_new_fd();
	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		fake.error = errors[i];
		fd = 77;
		errno = 0;
		ck_assert_int_eq(hdmabuf_ctx_xen_exp_from_refs(ctx, 0, 0,
							       SAMPLE_COUNT,
							       sample_refs,
							       &fd), -1);
		ck_assert_int_eq(errno, errors[i]);
		ck_assert_int_eq(fd, 77);
	}
	hdmabuf_ctx_close(ctx);
	close(fake.out_fd);
}
END_TEST

START_TEST(exp_from_refs_negative_fd_is_error)
{
	struct hdmabuf_ctx *ctx = xen_ctx();
	int fd = 77;

	fake.out_fd = -1;
	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_xen_exp_from_refs(ctx, 0, 0, 1,
						       sample_refs, &fd), -1);
	ck_assert_int_eq(errno, EPROTO);
	ck_assert_int_eq(fd, 77);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(exp_from_refs_retried_after_signal)
{
	struct hdmabuf_ctx *ctx = xen_ctx();
	int out = fake_new_fd(), fd = 77;

	fake.eintr_left = 1;
	ck_assert_int_eq(hdmabuf_ctx_xen_exp_from_refs(ctx, 0, 0, 1,
						       sample_refs, &fd), 0);
	ck_assert_int_eq(fake.calls, 2);
	ck_assert_int_eq(fd, out);
	hdmabuf_ctx_close(ctx);
	close(fd);
}
END_TEST

/* Made by EXP_FROM_REFS, closed, waited for: then forgotten. */
START_TEST(exp_wait_released_marshalling)
{
	struct hdmabuf_ctx *ctx = xen_ctx();
	int fd = 77;

	fake_new_fd();
	ck_assert_int_eq(hdmabuf_ctx_xen_exp_from_refs(ctx, 0, 0, 1,
						       sample_refs, &fd), 0);
	close(fd);
	ck_assert_int_eq(hdmabuf_ctx_xen_exp_wait_released(ctx, fd, 1000), 0);
	ck_assert_int_eq(fake.calls, 2);
	ck_assert(fake.request == HYPER_DMABUF_IOCTL_XEN_EXP_WAIT_RELEASED);
	ck_assert_int_eq(fake.in.xen_wait.fd, fd);
	/* what is left of 1000 ms, a moment later */
	ck_assert_uint_le(fake.in.xen_wait.timeout_ms, 1000);
	ck_assert_uint_ge(fake.in.xen_wait.timeout_ms, 500);
	ck_assert(fake.in.xen_wait.reserved == 0);
	/* released: the module no longer knows it, as mainline's gntdev */
	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_xen_exp_wait_released(ctx, fd, 0), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(fake.calls, 3);
	ck_assert_uint_eq(fake.in.xen_wait.timeout_ms, 0);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* A number EXP_FROM_REFS never returned: ENOENT at once. */
START_TEST(exp_wait_released_unknown_fd)
{
	struct hdmabuf_ctx *ctx = xen_ctx();

	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_xen_exp_wait_released(ctx, 42, 100000),
			 -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(fake.calls, 1);
	ck_assert_int_eq(fake.in.xen_wait.fd, 42);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(exp_wait_released_times_out)
{
	struct hdmabuf_ctx *ctx = xen_ctx();
	int fd = 77;

	fake_new_fd();
	ck_assert_int_eq(hdmabuf_ctx_xen_exp_from_refs(ctx, 0, 0, 1,
						       sample_refs, &fd), 0);
	fake.busy_left = 100;
	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_xen_exp_wait_released(ctx, fd, 100), -1);
	ck_assert_int_eq(errno, ETIMEDOUT);
	ck_assert_int_eq(fake.calls, 2);
	ck_assert_uint_le(fake.in.xen_wait.timeout_ms, 100);
	/* 0: a look, without waiting */
	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_xen_exp_wait_released(ctx, fd, 0), -1);
	ck_assert_int_eq(errno, ETIMEDOUT);
	ck_assert_int_eq(fake.calls, 3);
	ck_assert_uint_eq(fake.in.xen_wait.timeout_ms, 0);
	hdmabuf_ctx_close(ctx);
	close(fd);
}
END_TEST

/* More than the module takes is asked for in slices of 60 s. */
START_TEST(exp_wait_released_long_timeout_in_slices)
{
	struct hdmabuf_ctx *ctx = xen_ctx();
	int fd = 77, i;

	fake_new_fd();
	ck_assert_int_eq(hdmabuf_ctx_xen_exp_from_refs(ctx, 0, 0, 1,
						       sample_refs, &fd), 0);
	close(fd);
	fake.busy_left = 2;
	ck_assert_int_eq(hdmabuf_ctx_xen_exp_wait_released(ctx, fd, 150000),
			 0);
	ck_assert_int_eq(fake.calls, 4);
	for (i = 1; i < 4; i++)
		ck_assert_uint_eq(fake.xen_wait_timeout[i], 60000);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* Released between two slices: the next one finds it gone, a success. */
START_TEST(exp_wait_released_between_slices)
{
	struct hdmabuf_ctx *ctx = xen_ctx();
	int fd = 77;

	fake_new_fd();
	ck_assert_int_eq(hdmabuf_ctx_xen_exp_from_refs(ctx, 0, 0, 1,
						       sample_refs, &fd), 0);
	close(fd);
	fake.busy_left = 1;
	fake.released_meanwhile = true;
	ck_assert_int_eq(hdmabuf_ctx_xen_exp_wait_released(ctx, fd,
							   UINT32_MAX), 0);
	ck_assert_int_eq(fake.calls, 3);
	ck_assert_uint_eq(fake.xen_wait_timeout[1], 60000);
	ck_assert_uint_eq(fake.xen_wait_timeout[2], 60000);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* Released while a signal cut the wait short: a success too. */
START_TEST(exp_wait_released_during_signal)
{
	struct hdmabuf_ctx *ctx = xen_ctx();
	int fd = 77;

	fake_new_fd();
	ck_assert_int_eq(hdmabuf_ctx_xen_exp_from_refs(ctx, 0, 0, 1,
						       sample_refs, &fd), 0);
	close(fd);
	fake.eintr_left = 1;
	fake.released_meanwhile = true;
	ck_assert_int_eq(hdmabuf_ctx_xen_exp_wait_released(ctx, fd, 1000), 0);
	ck_assert_int_eq(fake.calls, 3);
	/* the module has forgotten it: the next wait says so */
	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_xen_exp_wait_released(ctx, fd, 1000), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(fake.calls, 4);
	hdmabuf_ctx_close(ctx);
}
END_TEST

/* After a signal the wait goes on, for what is left of the timeout only. */
START_TEST(exp_wait_released_goes_on_after_signal)
{
	struct hdmabuf_ctx *ctx = xen_ctx();
	int fd = 77;

	fake_new_fd();
	ck_assert_int_eq(hdmabuf_ctx_xen_exp_from_refs(ctx, 0, 0, 1,
						       sample_refs, &fd), 0);
	close(fd);
	fake.eintr_left = 2;
	ck_assert_int_eq(hdmabuf_ctx_xen_exp_wait_released(ctx, fd, 1000), 0);
	ck_assert_int_eq(fake.calls, 4);
	ck_assert_uint_le(fake.xen_wait_timeout[1], 1000);
	ck_assert_uint_le(fake.xen_wait_timeout[2], fake.xen_wait_timeout[1]);
	ck_assert_uint_le(fake.xen_wait_timeout[3], fake.xen_wait_timeout[2]);
	ck_assert_uint_gt(fake.xen_wait_timeout[3], 0);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(exp_wait_released_errors)
{
	struct hdmabuf_ctx *ctx = xen_ctx();

	fake.error = EINVAL;
	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_xen_exp_wait_released(ctx, 5, 10), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(fake.calls, 1);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(imp_to_refs_marshalling)
{
	struct hdmabuf_ctx *ctx = xen_ctx();
	int buf = page_file(3, O_RDWR);
	uint32_t refs[4] = { 0, 0, 0, 0xdead };

	fake.out_ref = 512;
	ck_assert_int_eq(hdmabuf_ctx_xen_imp_to_refs(ctx, 0, buf, 3, 0, refs),
			 0);
	ck_assert_int_eq(fake.calls, 1);
	ck_assert(fake.request == HYPER_DMABUF_IOCTL_XEN_IMP_TO_REFS);
	ck_assert_int_eq(fake.in.xen_imp.fd, buf);
	ck_assert_uint_eq(fake.in.xen_imp.count, 3);
	ck_assert_uint_eq(fake.in.xen_imp.domid, 0);
	ck_assert_uint_eq(fake.in.xen_imp.flags, 0);
	ck_assert(fake.in.xen_imp.refs == (uintptr_t)refs);
	ck_assert(ZEROED(fake.in.xen_imp.reserved));
	/* the references, in page order, and nothing past count */
	ck_assert_uint_eq(refs[0], 512);
	ck_assert_uint_eq(refs[1], 513);
	ck_assert_uint_eq(refs[2], 514);
	ck_assert_uint_eq(refs[3], 0xdead);
	/* the dma-buf stays the caller's */
	hdmabuf_ctx_close(ctx);
	ck_assert(fd_is_open(buf));
	close(buf);
}
END_TEST

/* Read-write grants need a dma-buf open for writing; read-only ones not. */
START_TEST(imp_to_refs_read_only)
{
	struct hdmabuf_ctx *ctx = xen_ctx();
	int buf = page_file(2, O_RDONLY);
	uint32_t refs[2] = { 0, 0 };

	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_xen_imp_to_refs(ctx, 4, buf, 2, 0, refs),
			 -1);
	ck_assert_int_eq(errno, EACCES);
	ck_assert_uint_eq(refs[0], 0);
	fake.out_ref = 9;
	ck_assert_int_eq(hdmabuf_ctx_xen_imp_to_refs(ctx, 4, buf, 2,
						     HDMABUF_XEN_GRANT_RO,
						     refs), 0);
	ck_assert_uint_eq(fake.in.xen_imp.flags, HYPER_DMABUF_XEN_GRANT_RO);
	ck_assert_uint_eq(fake.in.xen_imp.domid, 4);
	ck_assert_uint_eq(refs[0], 9);
	ck_assert_uint_eq(refs[1], 10);
	hdmabuf_ctx_close(ctx);
	close(buf);
}
END_TEST

/* The module, not the library, decides which arguments are valid. */
START_TEST(imp_to_refs_passes_arguments)
{
	static const struct {
		uint32_t domid, count, flags;
	} bad[] = {
		{ 0, 3, 1u << 1 },	/* unknown flag */
		{ 0, 2, 0 },		/* not the buffer's size */
		{ 0, 4, 0 },
		{ 0, 0, 0 },
		{ 3, 3, 0 },		/* this domain */
		{ HDMABUF_DOMID_SELF, 3, 0 },
	};
	struct hdmabuf_ctx *ctx = xen_ctx();
	int buf = page_file(3, O_RDWR);
	uint32_t refs[4] = { 0, 0, 0, 0 };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		ck_assert_int_eq(hdmabuf_ctx_xen_imp_to_refs(ctx, bad[i].domid,
							     buf, bad[i].count,
							     bad[i].flags,
							     refs), -1);
		ck_assert_int_eq(errno, EINVAL);
		ck_assert_uint_eq(fake.in.xen_imp.domid, bad[i].domid);
		ck_assert_uint_eq(fake.in.xen_imp.count, bad[i].count);
		ck_assert_uint_eq(fake.in.xen_imp.flags, bad[i].flags);
	}
	ck_assert(ZEROED(refs));
	hdmabuf_ctx_close(ctx);
	close(buf);
}
END_TEST

/* Only a dma-buf of pages can be granted. */
START_TEST(imp_to_refs_not_a_dmabuf)
{
	struct hdmabuf_ctx *ctx = xen_ctx();
	int dev = open("/dev/null", O_RDWR | O_CLOEXEC);
	int buf = page_file(1, O_RDWR);
	uint32_t refs[1] = { 0 };

	ck_assert_int_ge(dev, 0);
	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_xen_imp_to_refs(ctx, 0, dev, 1, 0, refs),
			 -1);
	ck_assert_int_eq(errno, EINVAL);
	close(dev);
	/* a closed descriptor is not a descriptor */
	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_xen_imp_to_refs(ctx, 0, dev, 1, 0, refs),
			 -1);
	ck_assert_int_eq(errno, EBADF);
	ck_assert_int_eq(fake.in.xen_imp.fd, dev);
	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_xen_imp_to_refs(ctx, 0, -1, 1, 0, refs),
			 -1);
	ck_assert_int_eq(errno, EBADF);
	/* no room for the references */
	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_xen_imp_to_refs(ctx, 0, buf, 1, 0, NULL),
			 -1);
	ck_assert_int_eq(errno, EFAULT);
	ck_assert_uint_eq(refs[0], 0);
	/* and none of these granted anything */
	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_xen_imp_release(ctx, buf), -1);
	ck_assert_int_eq(errno, ENOENT);
	hdmabuf_ctx_close(ctx);
	close(buf);
}
END_TEST

START_TEST(imp_to_refs_errors)
{
	static const int errors[] = { ENOSPC, ENOMEM };
	struct hdmabuf_ctx *ctx = xen_ctx();
	int buf = page_file(1, O_RDWR);
	uint32_t refs[1];
	size_t i;

	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		fake.error = errors[i];
		refs[0] = 77;
		errno = 0;
		ck_assert_int_eq(hdmabuf_ctx_xen_imp_to_refs(ctx, 0, buf, 1, 0,
							     refs), -1);
		ck_assert_int_eq(errno, errors[i]);
		ck_assert_uint_eq(refs[0], 77);
	}
	hdmabuf_ctx_close(ctx);
	close(buf);
}
END_TEST

/* Granted, the descriptor closed: the number still names the grants. */
START_TEST(imp_release_marshalling)
{
	struct hdmabuf_ctx *ctx = xen_ctx();
	int buf = page_file(2, O_RDWR);
	uint32_t refs[2];

	ck_assert_int_eq(hdmabuf_ctx_xen_imp_to_refs(ctx, 0, buf, 2, 0, refs),
			 0);
	close(buf);
	ck_assert_int_eq(hdmabuf_ctx_xen_imp_release(ctx, buf), 0);
	ck_assert_int_eq(fake.calls, 2);
	ck_assert(fake.request == HYPER_DMABUF_IOCTL_XEN_IMP_RELEASE);
	ck_assert_int_eq(fake.in.xen_release.fd, buf);
	ck_assert_uint_eq(fake.in.xen_release.reserved, 0);
	/* once only */
	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_xen_imp_release(ctx, buf), -1);
	ck_assert_int_eq(errno, ENOENT);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(imp_release_errors)
{
	struct hdmabuf_ctx *ctx = xen_ctx();

	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_xen_imp_release(ctx, 42), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(fake.in.xen_release.fd, 42);
	fake.error = EINVAL;
	errno = 0;
	ck_assert_int_eq(hdmabuf_ctx_xen_imp_release(ctx, 42), -1);
	ck_assert_int_eq(errno, EINVAL);
	hdmabuf_ctx_close(ctx);
}
END_TEST

START_TEST(imp_retried_after_signal)
{
	struct hdmabuf_ctx *ctx = xen_ctx();
	int buf = page_file(1, O_RDWR);
	uint32_t refs[1] = { 0 };

	fake.out_ref = 33;
	fake.eintr_left = 1;
	ck_assert_int_eq(hdmabuf_ctx_xen_imp_to_refs(ctx, 0, buf, 1, 0, refs),
			 0);
	ck_assert_int_eq(fake.calls, 2);
	ck_assert_uint_eq(refs[0], 33);
	fake.eintr_left = 1;
	ck_assert_int_eq(hdmabuf_ctx_xen_imp_release(ctx, buf), 0);
	ck_assert_int_eq(fake.calls, 4);
	hdmabuf_ctx_close(ctx);
	close(buf);
}
END_TEST

/* Each test starts with a fake that has not been called, also with CK_FORK=no. */
static void fake_reset(void)
{
	memset(&fake, 0, sizeof(fake));
	fake.fd = -1;
	fake.out_fd = -1;
}

static TCase *ctx_tcase(void)
{
	TCase *tc = tcase_create("ctx");

	tcase_add_test(tc, open_missing_path);
	tcase_add_test(tc, open_default_path);
	tcase_add_test(tc, open_read_write_cloexec);
	tcase_add_test(tc, caps_from_other_device);
	tcase_add_test(tc, free_null);
	return tc;
}

static TCase *caps_tcase(void)
{
	TCase *tc = tcase_create("caps");

	tcase_add_checked_fixture(tc, fake_reset, NULL);
	tcase_add_test(tc, caps_plain_kernel);
	tcase_add_test(tc, caps_xen_domu);
	tcase_add_test(tc, caps_dom0);
	tcase_add_test(tc, caps_xen_without_domid);
	tcase_add_test(tc, caps_unknown_xen_type);
	tcase_add_test(tc, caps_version_always_terminated);
	tcase_add_test(tc, caps_retried_after_signal);
	tcase_add_test(tc, caps_positive_result_is_error);
	return tc;
}

static TCase *sharing_tcase(void)
{
	TCase *tc = tcase_create("sharing");

	tcase_add_checked_fixture(tc, fake_reset, NULL);
	tcase_add_test(tc, alloc_marshalling);
	tcase_add_test(tc, alloc_passes_flags);
	tcase_add_test(tc, alloc_mem_flags);
	tcase_add_test(tc, alloc_errors);
	tcase_add_test(tc, alloc_negative_fd_is_error);
	tcase_add_test(tc, calls_on_other_device);
	tcase_add_test(tc, export_marshalling);
	tcase_add_test(tc, export_without_meta);
	tcase_add_test(tc, export_unknown_flags);
	tcase_add_test(tc, export_errors);
	tcase_add_test(tc, export_retried_after_signal);
	tcase_add_test(tc, import_marshalling);
	tcase_add_test(tc, import_read_only_without_meta);
	tcase_add_test(tc, import_take_fd);
	tcase_add_test(tc, import_name_always_terminated);
	tcase_add_test(tc, import_bad_meta_is_error);
	tcase_add_test(tc, import_negative_fd_is_error);
	tcase_add_test(tc, import_errors);
	tcase_add_test(tc, unexport_marshalling);
	tcase_add_test(tc, unexport_passes_delay);
	tcase_add_test(tc, unexport_errors);
	tcase_add_test(tc, free_null_v2);
	return tc;
}

static TCase *managing_tcase(void)
{
	TCase *tc = tcase_create("managing");

	tcase_add_checked_fixture(tc, fake_reset, NULL);
	tcase_add_test(tc, calls_v3_on_other_device);
	tcase_add_test(tc, query_marshalling);
	tcase_add_test(tc, query_import);
	tcase_add_test(tc, query_unknown_role_and_state);
	tcase_add_test(tc, query_errors);
	tcase_add_test(tc, query_retried_after_signal);
	tcase_add_test(tc, list_empty);
	tcase_add_test(tc, list_entries);
	tcase_add_test(tc, list_retried_while_it_grows);
	tcase_add_test(tc, list_that_keeps_growing);
	tcase_add_test(tc, list_too_long);
	tcase_add_test(tc, list_errors);
	tcase_add_test(tc, revoke_marshalling);
	tcase_add_test(tc, revoke_passes_timeout);
	tcase_add_test(tc, revoke_errors);
	tcase_add_test(tc, revoke_not_repeated_after_signal);
	tcase_add_test(tc, signal_marshalling);
	tcase_add_test(tc, signal_errors);
	tcase_add_test(tc, signal_retried_after_signal);
	tcase_add_test(tc, wait_reached);
	tcase_add_test(tc, wait_zero_reads_the_value);
	tcase_add_test(tc, wait_times_out);
	tcase_add_test(tc, wait_without_limit);
	tcase_add_test(tc, wait_goes_on_after_signal);
	tcase_add_test(tc, wait_errors);
	tcase_add_test(tc, wait_sync_file_marshalling);
	tcase_add_test(tc, wait_sync_file_errors);
	tcase_add_test(tc, free_null_v3);
	return tc;
}

static TCase *event_tcase(void)
{
	TCase *tc = tcase_create("events");

	tcase_add_test(tc, event_fields);
	tcase_add_test(tc, event_overflow);
	tcase_add_test(tc, event_order);
	tcase_add_test(tc, event_timeout);
	tcase_add_test(tc, event_after_signal);
	tcase_add_test(tc, event_unknown_type);
	tcase_add_test(tc, event_short_record);
	tcase_add_test(tc, event_from_other_device);
	tcase_add_test(tc, event_peer_up_and_down);
	return tc;
}

static TCase *peers_tcase(void)
{
	TCase *tc = tcase_create("peers");

	tcase_add_checked_fixture(tc, fake_reset, NULL);
	tcase_add_test(tc, peers_on_other_device);
	tcase_add_test(tc, peers_marshalling);
	tcase_add_test(tc, peers_unknown_transport_and_state);
	tcase_add_test(tc, peers_none);
	tcase_add_test(tc, peers_retried_while_they_grow);
	tcase_add_test(tc, peers_that_keep_growing);
	tcase_add_test(tc, peers_too_many);
	tcase_add_test(tc, peers_errors);
	tcase_add_test(tc, peers_retried_after_signal);
	tcase_add_test(tc, free_null_v4);
	return tc;
}

static TCase *xen_tcase(void)
{
	TCase *tc = tcase_create("xen");

	tcase_add_checked_fixture(tc, fake_reset, NULL);
	tcase_add_test(tc, xen_calls_on_other_device);
	tcase_add_test(tc, xen_calls_off_xen);
	tcase_add_test(tc, exp_from_refs_marshalling);
	tcase_add_test(tc, exp_from_refs_most_refs);
	tcase_add_test(tc, exp_from_refs_passes_arguments);
	tcase_add_test(tc, exp_from_refs_mem_flags_in_pv);
	tcase_add_test(tc, exp_from_refs_errors);
	tcase_add_test(tc, exp_from_refs_negative_fd_is_error);
	tcase_add_test(tc, exp_from_refs_retried_after_signal);
	tcase_add_test(tc, exp_wait_released_marshalling);
	tcase_add_test(tc, exp_wait_released_unknown_fd);
	tcase_add_test(tc, exp_wait_released_times_out);
	tcase_add_test(tc, exp_wait_released_long_timeout_in_slices);
	tcase_add_test(tc, exp_wait_released_between_slices);
	tcase_add_test(tc, exp_wait_released_during_signal);
	tcase_add_test(tc, exp_wait_released_goes_on_after_signal);
	tcase_add_test(tc, exp_wait_released_errors);
	tcase_add_test(tc, imp_to_refs_marshalling);
	tcase_add_test(tc, imp_to_refs_read_only);
	tcase_add_test(tc, imp_to_refs_passes_arguments);
	tcase_add_test(tc, imp_to_refs_not_a_dmabuf);
	tcase_add_test(tc, imp_to_refs_errors);
	tcase_add_test(tc, imp_release_marshalling);
	tcase_add_test(tc, imp_release_errors);
	tcase_add_test(tc, imp_retried_after_signal);
	return tc;
}

static TCase *misc_tcase(void)
{
	TCase *tc = tcase_create("misc");

	tcase_add_test(tc, version_string);
	tcase_add_test(tc, transport_names);
	tcase_add_test(tc, xen_type_names);
	tcase_add_test(tc, role_and_state_names);
	tcase_add_test(tc, event_type_names);
	tcase_add_test(tc, peer_state_names);
	return tc;
}

int main(void)
{
	Suite *suite = suite_create("libhyperdmabuf");
	SRunner *runner;
	int failed;

	suite_add_tcase(suite, ctx_tcase());
	suite_add_tcase(suite, caps_tcase());
	suite_add_tcase(suite, sharing_tcase());
	suite_add_tcase(suite, managing_tcase());
	suite_add_tcase(suite, event_tcase());
	suite_add_tcase(suite, peers_tcase());
	suite_add_tcase(suite, xen_tcase());
	suite_add_tcase(suite, misc_tcase());

	runner = srunner_create(suite);
	srunner_run_all(runner, CK_VERBOSE);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);

	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
