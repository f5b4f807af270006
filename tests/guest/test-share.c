// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hdmabuf-test-share: ALLOC, EXPORT, IMPORT and UNEXPORT of
 * /dev/hyper_dmabuf, called raw (without libhyperdmabuf) against the real
 * module over the loopback transport: every export goes to
 * HYPER_DMABUF_DOMID_SELF and is imported in this same kernel. Run as root
 * inside a VM with the module loaded, and vgem for the checks that involve
 * another driver; see --help for the options.
 *
 * Prints "ok - NAME" or "not ok - NAME: DETAILS" per check, and "# skip:
 * WHAT: WHY" for checks that cannot run here (recorded, see skipped()). Exit status: 0 all passed,
 * 1 a check failed, 2 usage error, 77 no device (skipped).
 */
#define _FILE_OFFSET_BITS 64	/* DRM mmap offsets pass 4 GiB */

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/dma-buf.h>
#include <linux/hyper_dmabuf.h>

#include "guest-test.h"
#include "vgem.h"

#define MAX_ALLOC_PARAM	"/sys/module/hyper_dmabuf/parameters/max_alloc_mb"
#define MAX_ALLOC_MB_DEFAULT 256ULL

#define FOURCC(a, b, c, d) \
	((__u32)(a) | (__u32)(b) << 8 | (__u32)(c) << 16 | (__u32)(d) << 24)
#define FOURCC_XR24	FOURCC('X', 'R', '2', '4')
#define FOURCC_NV12	FOURCC('N', 'V', '1', '2')
#define MOD_X_TILED	(1ULL << 56 | 1)	/* I915_FORMAT_MOD_X_TILED */
#define EXPORT_FLAGS \
	(HYPER_DMABUF_EXPORT_RW | HYPER_DMABUF_EXPORT_PERSISTENT)

/* The metadata the checks export: XR24, 64 pixels of 4 bytes a line. */
#define META_STRIDE	256
#define META_NAME	"hdmabuf-test-share: 31 bytes..."
_Static_assert(sizeof(META_NAME) == HYPER_DMABUF_NAME_LEN,
	       "META_NAME: the longest name, 31 bytes and the NUL");

/* One seed per use: bytes left over from another check never match. */
enum seed {
	SEED_ALLOC = 0x5eed0001,
	SEED_IMPORT,
	SEED_DATA,
	SEED_DATA_LATER,
	SEED_DATA_IMPORTER,
	SEED_PARENT,
	SEED_CHILD,
	SEED_SOURCE,
	SEED_UNEXPORT,
	SEED_DELAY,
	SEED_OWNER,
	SEED_PERSISTENT,
	SEED_XEN_SELF,
	SEED_VGEM_EXPORT,
	SEED_VGEM_IMPORT,
};

struct options {
	const char *device;
	const char *card;	/* NULL: look for vgem */
	bool no_vgem;		/* leave out the vgem checks */
	bool no_counters;
};

/* What the checks need to know; set up once, read-only after that. */
struct ctx {
	const char *device;
	int dev;		/* the device, read-write */
	int card;		/* a vgem DRM node, -1 if none */
	char no_card[160];	/* why card is -1 */
	size_t page;
	unsigned long long max_alloc; /* bytes */
	bool xen;		/* the module runs in a Xen domain */
	bool domid_valid;
	__u32 domid;
	bool root;
	bool vgem;		/* run the vgem checks: no card fails them */
};

/* Close-on-exec, access mode and size (lseek on a dma-buf) of fd */
static void check_fd(const char *what, int fd, int accmode, size_t size)
{
	int fdflags = fcntl(fd, F_GETFD);
	int flflags = fcntl(fd, F_GETFL);
	off_t end = lseek(fd, 0, SEEK_END);
	char name[128];

	lseek(fd, 0, SEEK_SET);
	snprintf(name, sizeof(name), "%s fd is close-on-exec", what);
	check(name, fdflags >= 0 && (fdflags & FD_CLOEXEC),
	      "F_GETFD 0x%x", fdflags);
	snprintf(name, sizeof(name), "%s fd is %s", what,
		 accmode == O_RDWR ? "read-write" : "read-only");
	check(name, flflags >= 0 && (flflags & O_ACCMODE) == accmode,
	      "F_GETFL 0x%x", flflags);
	snprintf(name, sizeof(name), "%s fd is a dma-buf of %zu bytes", what,
		 size);
	check(name, end == (off_t)size, "lseek SEEK_END: %lld (%s)",
	      (long long)end, end < 0 ? strerror(errno) : "no error");
}

/* The try_* calls as expect_zero_fields() takes them */
static int call_alloc(int dev, void *arg) { return try_alloc(dev, arg); }
static int call_export(int dev, void *arg) { return try_export(dev, arg); }
static int call_import(int dev, void *arg) { return try_import(dev, arg); }
static int call_unexport(int dev, void *arg) { return try_unexport(dev, arg); }

/* ---- metadata ------------------------------------------------------------ */

/* Valid metadata whose one XR24 plane fills a buffer of size bytes. */
static void make_meta(struct hyper_dmabuf_meta *m, size_t size)
{
	size_t i;

	memset(m, 0, sizeof(*m));
	m->fourcc = FOURCC_XR24;
	m->width = META_STRIDE / 4;
	m->height = size / META_STRIDE;
	m->num_planes = 1;
	m->modifier = MOD_X_TILED;
	m->planes[0].stride = META_STRIDE;
	memcpy(m->name, META_NAME, sizeof(META_NAME));
	m->blob_len = HYPER_DMABUF_BLOB_MAX;
	for (i = 0; i < HYPER_DMABUF_BLOB_MAX; i++)
		m->blob[i] = (__u8)(0xff - i);
}

/* The first field of two metadata that differs, NULL if none */
static const char *meta_diff(const struct hyper_dmabuf_meta *a,
			     const struct hyper_dmabuf_meta *b)
{
#define DIFFERS(field)						\
	do {								\
		if (memcmp(&a->field, &b->field, sizeof(a->field)))	\
			return #field;					\
	} while (0)
	DIFFERS(fourcc);
	DIFFERS(width);
	DIFFERS(height);
	DIFFERS(num_planes);
	DIFFERS(modifier);
	DIFFERS(planes);
	DIFFERS(name);
	DIFFERS(blob_len);
	DIFFERS(reserved0);
	DIFFERS(blob);
	return NULL;
#undef DIFFERS
}

/* ---- ALLOC --------------------------------------------------------------- */

static void test_alloc_errors(const struct ctx *ctx)
{
	static const struct {
		const char *name;
		unsigned long long size;
	} too_big[] = {
		{ "ALLOC size UINT64_MAX -> E2BIG", UINT64_MAX },
		{ "ALLOC size 2^63 -> E2BIG", 1ULL << 63 },
		{ "ALLOC size 4 GiB + 1 page (32-bit wrap) -> E2BIG",
		  (1ULL << 32) + 4096 },
	};
	struct hyper_dmabuf_alloc base = { .size = ctx->page }, a;
	char name[80];
	size_t i;

	a = base;
	a.size = 0;
	expect_errno("ALLOC size 0 -> EINVAL", try_alloc(ctx->dev, &a), EINVAL);
	a.size = ctx->max_alloc + 1;
	snprintf(name, sizeof(name), "ALLOC max_alloc_mb (%llu) MiB + 1 -> E2BIG",
		 ctx->max_alloc / MIB);
	expect_errno(name, try_alloc(ctx->dev, &a), E2BIG);
	for (i = 0; i < ARRAY_SIZE(too_big); i++) {
		if (too_big[i].size <= ctx->max_alloc)
			continue;
		a.size = too_big[i].size;
		expect_errno(too_big[i].name, try_alloc(ctx->dev, &a), E2BIG);
	}

	EXPECT_ZERO_FIELDS("ALLOC", ctx->dev, call_alloc, &base,
			   hyper_dmabuf_alloc,
			   HYPER_DMABUF_MEM_WC | HYPER_DMABUF_MEM_COHERENT,
			   NO_RESERVED0);
	expect_errno("ALLOC NULL argument -> EFAULT",
		     xioctl(ctx->dev, HYPER_DMABUF_IOCTL_ALLOC, NULL), EFAULT);
}

static void test_alloc_rounding(const struct ctx *ctx)
{
	const struct {
		const char *name;
		unsigned long long size, want;
	} sizes[] = {
		{ "ALLOC 1 byte gives one page", 1, ctx->page },
		{ "ALLOC 1 page + 1 byte gives two pages", ctx->page + 1,
		  2 * ctx->page },
		{ "ALLOC two pages gives two pages", 2 * ctx->page,
		  2 * ctx->page },
	};
	struct buf b;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		ret = alloc_buf(ctx->dev, sizes[i].size, &b);
		if (!check(sizes[i].name, !ret && b.size == sizes[i].want,
			   "%s, size %zu, expected %llu", result_name(ret),
			   b.size, sizes[i].want))
			continue;
		if (i == 0)
			check_fd("ALLOC", b.fd, O_RDWR, b.size);
		close(b.fd);
	}
}

static void test_alloc_mapping(const struct ctx *ctx)
{
	size_t size = MIB + ctx->page;
	struct why why = { "" };
	struct buf b;
	void *p;
	int ret;

	ret = alloc_buf(ctx->dev, size, &b);
	if (!expect_errno("ALLOC 1 MiB + 1 page succeeds", ret, 0))
		return;
	p = mmap(NULL, b.size, PROT_READ | PROT_WRITE, MAP_SHARED, b.fd, 0);
	if (!check("ALLOC buffer: mmap read-write shared works", p != MAP_FAILED,
		   "%s", strerror(errno))) {
		close(b.fd);
		return;
	}
	ret = buf_sync(b.fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW);
	expect_errno("ALLOC buffer: DMA_BUF_IOCTL_SYNC start", ret, 0);
	check("ALLOC buffer starts zeroed",
	      check_pattern(p, b.size, SEED_ZERO, &why), "%s", why.text);
	fill_pattern(p, b.size, SEED_ALLOC);
	ret = buf_sync(b.fd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW);
	expect_errno("ALLOC buffer: DMA_BUF_IOCTL_SYNC end", ret, 0);
	munmap(p, b.size);
	check("ALLOC buffer: a new mapping reads what was written",
	      verify_fd(b.fd, b.size, SEED_ALLOC, &why), "%s", why.text);
	close(b.fd);
}

/* ---- EXPORT -------------------------------------------------------------- */

static void test_export_errors(const struct ctx *ctx)
{
	struct hyper_dmabuf_export base, e;
	int ret = EINVAL, closed, null, pipefd[2];
	struct buf b;

	ret = alloc_buf(ctx->dev, ctx->page, &b);
	if (ret) {
		setup_failed("EXPORT errors", "ALLOC: %s", strerror(ret));
		return;
	}
	base = export_args(b.fd, 0, NULL);

	e = base;
	e.fd = -1;
	expect_errno("EXPORT fd -1 -> EBADF", try_export(ctx->dev, &e), EBADF);
	closed = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (closed >= 0) {
		close(closed);
		e.fd = closed;
		expect_errno("EXPORT closed fd -> EBADF",
			     try_export(ctx->dev, &e), EBADF);
	}
	if (!pipe(pipefd)) {
		e.fd = pipefd[0];
		expect_errno("EXPORT a pipe -> EINVAL",
			     try_export(ctx->dev, &e), EINVAL);
		close(pipefd[0]);
		close(pipefd[1]);
	}
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		e.fd = null;
		expect_errno("EXPORT /dev/null -> EINVAL",
			     try_export(ctx->dev, &e), EINVAL);
		close(null);
	}
	e.fd = ctx->dev;
	expect_errno("EXPORT the device's own fd -> EINVAL",
		     try_export(ctx->dev, &e), EINVAL);

	EXPECT_ZERO_FIELDS("EXPORT", ctx->dev, call_export, &base,
			   hyper_dmabuf_export, EXPORT_FLAGS,
			   RESERVED0_OF(hyper_dmabuf_export));

	/* on Xen, a domain without a channel may still come: plain lane only */
	if (!ctx->xen) {
		e = base;
		e.peer = 12345;
		expect_errno("EXPORT to peer 12345 off Xen -> ENOTCONN",
			     try_export(ctx->dev, &e), ENOTCONN);
	}

	e = base;
	e.meta = uptr((void *)1);
	expect_errno("EXPORT meta pointer 1 -> EFAULT",
		     try_export(ctx->dev, &e), EFAULT);
	expect_errno("EXPORT NULL argument -> EFAULT",
		     xioctl(ctx->dev, HYPER_DMABUF_IOCTL_EXPORT, NULL), EFAULT);
	close(b.fd);
}

/* Exports fd with metadata *m, expects want. */
static void expect_meta(const struct ctx *ctx, const char *name, int fd,
			const struct hyper_dmabuf_meta *m, int want)
{
	struct hyper_dmabuf_export e = export_args(fd, 0, m);

	expect_errno(name, try_export(ctx->dev, &e), want);
}

static void test_export_meta(const struct ctx *ctx)
{
	struct hyper_dmabuf_meta good, m;
	struct buf b;
	size_t size;
	int ret;

	ret = alloc_buf(ctx->dev, 4 * ctx->page, &b);
	if (ret) {
		setup_failed("EXPORT metadata", "ALLOC: %s", strerror(ret));
		return;
	}
	size = b.size;
	make_meta(&good, size);
	expect_meta(ctx, "EXPORT metadata: XR24 plane ending at the buffer's end, 31-byte name, 256-byte blob",
		    b.fd, &good, 0);

	m = good;
	m.num_planes = HYPER_DMABUF_MAX_PLANES + 1;
	expect_meta(ctx, "EXPORT metadata: num_planes 5 -> EINVAL", b.fd, &m,
		    EINVAL);

	m = good;
	m.planes[1].offset = ctx->page;
	expect_meta(ctx, "EXPORT metadata: a plane past num_planes not zero -> EINVAL",
		    b.fd, &m, EINVAL);

	memset(&m, 0, sizeof(m));
	m.num_planes = 1;
	m.planes[0].offset = size - 1;
	expect_meta(ctx, "EXPORT metadata: no format, plane offset size - 1",
		    b.fd, &m, 0);
	m.planes[0].offset = size;
	expect_meta(ctx, "EXPORT metadata: plane offset = size -> EINVAL",
		    b.fd, &m, EINVAL);
	m.planes[0].offset = UINT32_MAX;
	expect_meta(ctx, "EXPORT metadata: plane offset 2^32 - 1 -> EINVAL",
		    b.fd, &m, EINVAL);

	m = good;
	m.planes[0].offset = 1;
	expect_meta(ctx, "EXPORT metadata: XR24 offset + stride * height = size + 1 -> EINVAL",
		    b.fd, &m, EINVAL);
	m = good;
	m.height++;
	expect_meta(ctx, "EXPORT metadata: XR24 one line too many -> EINVAL",
		    b.fd, &m, EINVAL);
	m = good;
	m.width = 0x4000;
	m.height = 0x40000;
	m.planes[0].stride = 0x10000;	/* stride * height = 2^34 */
	expect_meta(ctx, "EXPORT metadata: stride * height wrapping 32 bits -> EINVAL",
		    b.fd, &m, EINVAL);

	/* NV12: the chroma plane has height / 2 lines */
	memset(&m, 0, sizeof(m));
	m.fourcc = FOURCC_NV12;
	m.width = 64;
	m.height = 128;
	m.num_planes = 2;
	m.planes[0].stride = 64;
	m.planes[1].stride = 64;
	m.planes[1].offset = size - 64 * 64;
	if (size >= 64 * 128 + 64 * 64) {
		expect_meta(ctx, "EXPORT metadata: NV12 chroma plane of height / 2 lines ending at the buffer's end",
			    b.fd, &m, 0);
		m.planes[1].offset++;
		expect_meta(ctx, "EXPORT metadata: NV12 chroma plane 1 byte past the end -> EINVAL",
			    b.fd, &m, EINVAL);
	}

	m = good;
	m.blob_len = HYPER_DMABUF_BLOB_MAX + 1;
	expect_meta(ctx, "EXPORT metadata: blob_len 257 -> EINVAL", b.fd, &m,
		    EINVAL);
	m = good;
	memset(m.name, 'x', sizeof(m.name));
	expect_meta(ctx, "EXPORT metadata: name without a NUL in 32 bytes -> EINVAL",
		    b.fd, &m, EINVAL);
	m = good;
	m.reserved0 = 1;
	expect_meta(ctx, "EXPORT metadata: reserved0 non-zero -> EINVAL", b.fd,
		    &m, EINVAL);
	close(b.fd);
}

static bool key_is_zero(const struct hyper_dmabuf_id *id)
{
	return !id->key[0] && !id->key[1];
}

static void test_export_ids(const struct ctx *ctx)
{
	__u32 self = ctx->xen && ctx->domid_valid ? ctx->domid :
		     HYPER_DMABUF_DOMID_SELF;
	struct hyper_dmabuf_export e1, e2;
	struct buf b;
	int ret;

	ret = alloc_buf(ctx->dev, 3 * ctx->page, &b);
	if (ret) {
		setup_failed("EXPORT ids", "ALLOC: %s", strerror(ret));
		return;
	}
	e1 = export_args(b.fd, 0, NULL);
	ret = do_export(ctx->dev, &e1);
	if (!expect_errno("EXPORT of an ALLOC buffer succeeds", ret, 0))
		goto out;
	check("EXPORT reports the buffer's size", e1.size == b.size,
	      "size %llu, buffer %zu", (unsigned long long)e1.size, b.size);
	check("EXPORT id names this domain", e1.id.domid == self,
	      "domid 0x%x, expected 0x%x", e1.id.domid, self);
	check("EXPORT id serial is not zero", e1.id.serial != 0, "serial 0");
	check("EXPORT id key is not zero", !key_is_zero(&e1.id), "key 0");

	e2 = export_args(b.fd, HYPER_DMABUF_EXPORT_RW, NULL);
	ret = do_export(ctx->dev, &e2);
	if (expect_errno("EXPORT read-write of the same buffer again succeeds",
			 ret, 0)) {
		check("two exports have different serials",
		      e1.id.serial != e2.id.serial, "both %u", e1.id.serial);
		check("two exports have different keys",
		      memcmp(e1.id.key, e2.id.key, sizeof(e1.id.key)),
		      "both 0x%016llx%016llx",
		      (unsigned long long)e1.id.key[0],
		      (unsigned long long)e1.id.key[1]);
		unexport_id(ctx->dev, &e2.id, 0);
	}
	expect_errno("UNEXPORT of the first export succeeds",
		     unexport_id(ctx->dev, &e1.id, 0), 0);
out:
	close(b.fd);
}

/* On Xen this domain's own id is a name of the loopback peer too. */
static void test_export_xen_self(const struct ctx *ctx)
{
	struct hyper_dmabuf_export e;
	struct hyper_dmabuf_import im;
	struct why why = { "" };
	struct buf b;

	/* off Xen the own id is the loopback's: that is the plain lane's */
	if (!ctx->xen)
		return;
	if (!check("EXPORT to this domain's own id: CAPS know it on Xen",
		   ctx->domid_valid, "no DOMID_VALID in GET_CAPS"))
		return;
	if (!new_filled_buf(ctx->dev, "EXPORT to own domid", ctx->page,
			    SEED_XEN_SELF, &b))
		return;
	e = export_args(b.fd, 0, NULL);
	e.peer = ctx->domid;
	if (expect_errno("EXPORT to this domain's own id succeeds",
			 do_export(ctx->dev, &e), 0)) {
		if (expect_errno("IMPORT of an export to this domain's own id succeeds",
				 import_id(ctx->dev, &e.id, NULL, &im), 0)) {
			check("an import of the export to this domain's own id reads the data",
			      verify_fd(im.fd, b.size, SEED_XEN_SELF, &why),
			      "%s", why.text);
			close(im.fd);
		}
		unexport_id(ctx->dev, &e.id, 0);
	}
	close(b.fd);
}

/* ---- IMPORT -------------------------------------------------------------- */

static void test_import_errors(const struct ctx *ctx,
			       const struct hyper_dmabuf_id *id)
{
	struct hyper_dmabuf_import base = { .id = *id }, im;

	EXPECT_ID_CHECKED("IMPORT", ctx->dev, call_import, &base,
			  hyper_dmabuf_import, WRONG_KEY0 | WRONG_KEY1);
	EXPECT_ZERO_FIELDS("IMPORT", ctx->dev, call_import, &base,
			   hyper_dmabuf_import, 0,
			   RESERVED0_OF(hyper_dmabuf_import));
	im = base;
	im.meta = uptr((void *)1);
	expect_errno("IMPORT meta pointer 1 -> EFAULT",
		     try_import(ctx->dev, &im), EFAULT);
	expect_errno("IMPORT NULL argument -> EFAULT",
		     xioctl(ctx->dev, HYPER_DMABUF_IOCTL_IMPORT, NULL), EFAULT);
}

/* Imports id with a metadata pointer; checks what comes back. */
static void check_import_result(const struct ctx *ctx, const char *what,
				const struct hyper_dmabuf_export *e,
				const struct hyper_dmabuf_meta *want_meta,
				uint32_t seed)
{
	int accmode = e->flags & HYPER_DMABUF_EXPORT_RW ? O_RDWR : O_RDONLY;
	struct hyper_dmabuf_meta got;
	struct hyper_dmabuf_import im;
	struct why why = { "" };
	const char *diff;
	char name[128];
	int ret;

	memset(&got, 0xa5, sizeof(got));
	ret = import_id(ctx->dev, &e->id, &got, &im);
	snprintf(name, sizeof(name), "IMPORT of %s succeeds", what);
	if (!expect_errno(name, ret, 0))
		return;
	snprintf(name, sizeof(name), "IMPORT of %s", what);
	check_fd(name, im.fd, accmode, e->size);
	snprintf(name, sizeof(name), "IMPORT of %s: size equals the export's", what);
	check(name, im.size == e->size, "size %llu, export %llu",
	      (unsigned long long)im.size, (unsigned long long)e->size);
	snprintf(name, sizeof(name), "IMPORT of %s: export_flags 0x%x", what,
		 e->flags);
	check(name, im.export_flags == e->flags, "got 0x%x", im.export_flags);
	diff = meta_diff(want_meta, &got);
	snprintf(name, sizeof(name), "IMPORT of %s: metadata written out, every field", what);
	check(name, !diff, "%s differs", diff);
	snprintf(name, sizeof(name), "IMPORT of %s: reads the data", what);
	check(name, verify_fd(im.fd, e->size, seed, &why), "%s", why.text);
	close(im.fd);
}

static void test_import(const struct ctx *ctx)
{
	static const struct hyper_dmabuf_meta zero_meta;
	struct hyper_dmabuf_export e;
	struct hyper_dmabuf_import im;
	struct hyper_dmabuf_meta meta;
	struct buf b;

	if (!new_filled_buf(ctx->dev, "IMPORT", 4 * ctx->page, SEED_IMPORT, &b))
		return;
	make_meta(&meta, b.size);
	e = export_args(b.fd, 0, &meta);
	if (!expect_errno("EXPORT read-only with metadata succeeds",
			  do_export(ctx->dev, &e), 0))
		goto out;
	check_import_result(ctx, "a read-only export with metadata", &e, &meta,
			    SEED_IMPORT);
	if (expect_errno("IMPORT with meta 0 succeeds",
			 import_id(ctx->dev, &e.id, NULL, &im), 0))
		close(im.fd);
	test_import_errors(ctx, &e.id);
	expect_errno("UNEXPORT with delay 0 succeeds",
		     unexport_id(ctx->dev, &e.id, 0), 0);
	expect_errno("IMPORT after UNEXPORT -> ENOENT",
		     import_id(ctx->dev, &e.id, NULL, &im), ENOENT);
	if (im.fd >= 0)
		close(im.fd);

	e = export_args(b.fd, HYPER_DMABUF_EXPORT_RW, NULL);
	if (expect_errno("EXPORT read-write without metadata succeeds",
			 do_export(ctx->dev, &e), 0)) {
		check_import_result(ctx, "a read-write export without metadata",
				    &e, &zero_meta, SEED_IMPORT);
		unexport_id(ctx->dev, &e.id, 0);
	}

	if (!ctx->root) {
		skipped("IMPORT of a PERSISTENT export: not root");
		goto out;
	}
	e = export_args(b.fd, HYPER_DMABUF_EXPORT_RW |
			HYPER_DMABUF_EXPORT_PERSISTENT, &meta);
	if (expect_errno("EXPORT PERSISTENT read-write as root succeeds",
			 do_export(ctx->dev, &e), 0)) {
		check_import_result(ctx, "a PERSISTENT read-write export", &e,
				    &meta, SEED_IMPORT);
		expect_errno("UNEXPORT of a PERSISTENT export succeeds",
			     unexport_id(ctx->dev, &e.id, 0), 0);
	}
out:
	close(b.fd);
}

/* The "name:" line of fd's /proc fdinfo into @name; false if none. */
static bool fdinfo_name(int fd, char *name, size_t len)
{
	char path[64], line[128];
	bool found = false;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "name:\t", 6))
			continue;
		n = strcspn(line + 6, "\n");
		if (n >= len)
			n = len - 1;
		memcpy(name, line + 6, n);
		name[n] = 0;
		found = true;
	}
	fclose(f);
	return found;
}

/* An imported dma-buf takes a name like any other (DMA_BUF_SET_NAME). */
static void test_import_name(const struct ctx *ctx)
{
	char long_name[] = "a-name-longer-than-the-32-bytes-allowed";
	char short_name[] = "camera-frame";
	struct hyper_dmabuf_export e;
	struct hyper_dmabuf_import im;
	char name[64] = "";
	struct buf b;

	if (!new_filled_buf(ctx->dev, "SET_NAME", ctx->page, SEED_IMPORT, &b))
		return;
	e = export_args(b.fd, 0, NULL);
	if (!expect_errno("SET_NAME: EXPORT succeeds", do_export(ctx->dev, &e), 0))
		goto out;
	if (!expect_errno("SET_NAME: IMPORT succeeds",
			  import_id(ctx->dev, &e.id, NULL, &im), 0))
		goto unexport;
	expect_errno("DMA_BUF_SET_NAME on an imported buffer succeeds",
		     xioctl(im.fd, DMA_BUF_SET_NAME_B, short_name), 0);
	check("its fdinfo shows the name",
	      fdinfo_name(im.fd, name, sizeof(name)) &&
	      !strcmp(name, short_name), "name '%s'", name);
	expect_errno("DMA_BUF_SET_NAME longer than DMA_BUF_NAME_LEN -> EINVAL",
		     xioctl(im.fd, DMA_BUF_SET_NAME_B, long_name), EINVAL);
	close(im.fd);
unexport:
	unexport_id(ctx->dev, &e.id, 0);
out:
	close(b.fd);
}

/* ---- data ---------------------------------------------------------------- */

static void test_data_read_only(const struct ctx *ctx, const struct buf *b)
{
	struct hyper_dmabuf_export e = export_args(b->fd, 0, NULL);
	struct hyper_dmabuf_import im;
	struct why why = { "" };
	void *p;

	if (!expect_errno("EXPORT read-only of 1 MiB + 1 page succeeds",
			  do_export(ctx->dev, &e), 0))
		return;
	if (expect_errno("IMPORT of the read-only 1 MiB + 1 page export succeeds",
			 import_id(ctx->dev, &e.id, NULL, &im), 0)) {
		check("the importer reads the exporter's bytes, 1 MiB + 1 page",
		      verify_fd(im.fd, b->size, SEED_DATA, &why), "%s",
		      why.text);
		p = mmap(NULL, b->size, PROT_READ | PROT_WRITE, MAP_SHARED,
			 im.fd, 0);
		check("read-only import: mmap PROT_WRITE, MAP_SHARED -> EACCES",
		      p == MAP_FAILED && errno == EACCES, "%s",
		      p == MAP_FAILED ? strerror(errno) : "mapped");
		if (p != MAP_FAILED)
			munmap(p, b->size);
		if (fill_fd(b->fd, b->size, SEED_DATA_LATER, &why))
			check("the importer sees later writes of the exporter (same pages)",
			      verify_fd(im.fd, b->size, SEED_DATA_LATER, &why),
			      "%s", why.text);
		else
			setup_failed("data", "refill: %s", why.text);
		close(im.fd);
	}
	unexport_id(ctx->dev, &e.id, 0);
}

static void test_data_read_write(const struct ctx *ctx, const struct buf *b)
{
	struct hyper_dmabuf_export e = export_args(b->fd, HYPER_DMABUF_EXPORT_RW,
						   NULL);
	struct hyper_dmabuf_import im;
	struct why why = { "" };

	if (!expect_errno("EXPORT read-write of 1 MiB + 1 page succeeds",
			  do_export(ctx->dev, &e), 0))
		return;
	if (expect_errno("IMPORT of the read-write 1 MiB + 1 page export succeeds",
			 import_id(ctx->dev, &e.id, NULL, &im), 0)) {
		if (check("read-write import: the importer writes through mmap",
			  fill_fd(im.fd, b->size, SEED_DATA_IMPORTER, &why),
			  "%s", why.text))
			check("the exporter sees the importer's writes byte for byte",
			      verify_fd(b->fd, b->size, SEED_DATA_IMPORTER,
					&why), "%s", why.text);
		close(im.fd);
	}
	unexport_id(ctx->dev, &e.id, 0);
}

static void test_data(const struct ctx *ctx)
{
	struct buf b;

	if (!new_filled_buf(ctx->dev, "data", MIB + ctx->page, SEED_DATA, &b))
		return;
	test_data_read_only(ctx, &b);
	test_data_read_write(ctx, &b);
	close(b.fd);
}

/* ---- two processes ------------------------------------------------------- */

enum child_result {
	CHILD_OK = 0,
	CHILD_NO_ID = 10,
	CHILD_NO_DEVICE,
	CHILD_IMPORT,
	CHILD_DATA,
	CHILD_WRITE,
};

/* The child: reads an id from rfd, imports it on a device fd of its own. */
static int child_import(const char *device, int rfd, size_t size)
{
	struct hyper_dmabuf_import im;
	struct hyper_dmabuf_id id;
	struct why why = { "" };
	int dev, ret, result = CHILD_OK;

	if (!read_full(rfd, &id, sizeof(id))) {
		printf("# child: no id from the parent\n");
		return CHILD_NO_ID;
	}
	dev = open(device, O_RDWR | O_CLOEXEC);
	if (dev < 0) {
		printf("# child: open %s: %s\n", device, strerror(errno));
		return CHILD_NO_DEVICE;
	}
	ret = import_id(dev, &id, NULL, &im);
	if (ret) {
		printf("# child: IMPORT: %s\n", strerror(ret));
		result = CHILD_IMPORT;
	} else if (im.size != size || !verify_fd(im.fd, size, SEED_PARENT, &why)) {
		printf("# child: size %llu, expected %zu; %s\n",
		       (unsigned long long)im.size, size, why.text);
		result = CHILD_DATA;
	} else if (!fill_fd(im.fd, size, SEED_CHILD, &why)) {
		printf("# child: write: %s\n", why.text);
		result = CHILD_WRITE;
	}
	if (im.fd >= 0)
		close(im.fd);
	close(dev);
	return result;
}

static void test_two_processes(const struct ctx *ctx)
{
	struct hyper_dmabuf_export e;
	struct why why = { "" };
	char text[64];
	int pipefd[2], status = 0, ret;
	struct buf b;
	pid_t pid;

	if (!new_filled_buf(ctx->dev, "two processes", MIB + ctx->page,
			    SEED_PARENT, &b))
		return;
	if (pipe(pipefd)) {
		setup_failed("two processes", "pipe: %s", strerror(errno));
		close(b.fd);
		return;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		setup_failed("two processes", "fork: %s", strerror(errno));
		close(pipefd[0]);
		close(pipefd[1]);
		close(b.fd);
		return;
	}
	if (pid == 0) {
		close(pipefd[1]);
		status = child_import(ctx->device, pipefd[0], b.size);
		fflush(stdout);
		_exit(status);
	}
	close(pipefd[0]);

	/* Exported only now: the child learns the id from the pipe alone. */
	e = export_args(b.fd, HYPER_DMABUF_EXPORT_RW, NULL);
	ret = do_export(ctx->dev, &e);
	if (expect_errno("EXPORT read-write for another process succeeds", ret, 0) &&
	    !write_full(pipefd[1], &e.id, sizeof(e.id)))
		setup_failed("two processes", "write the id: %s", strerror(errno));
	close(pipefd[1]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!ret) {
		if (check("another process imports the id from a pipe and reads the data",
			  WIFEXITED(status) && WEXITSTATUS(status) == CHILD_OK,
			  "%s", wait_status_text(status, text, sizeof(text))))
			check("the exporter sees the other process's writes",
			      verify_fd(b.fd, b.size, SEED_CHILD, &why), "%s",
			      why.text);
		unexport_id(ctx->dev, &e.id, 0);
	}
	close(b.fd);
}

/* ---- lifetime ------------------------------------------------------------ */

static void test_source_closed(const struct ctx *ctx)
{
	struct hyper_dmabuf_import before, after;
	struct hyper_dmabuf_export e;
	struct why why = { "" };
	struct buf b;

	if (!new_filled_buf(ctx->dev, "source closed", MIB + ctx->page,
			    SEED_SOURCE, &b))
		return;
	e = export_args(b.fd, 0, NULL);
	if (!expect_errno("source closed: EXPORT succeeds", do_export(ctx->dev, &e), 0)) {
		close(b.fd);
		return;
	}
	expect_errno("IMPORT before the source fd is closed succeeds",
		     import_id(ctx->dev, &e.id, NULL, &before), 0);
	close(b.fd);
	expect_errno("IMPORT after the exporter closed its source fd succeeds",
		     import_id(ctx->dev, &e.id, NULL, &after), 0);
	if (before.fd >= 0) {
		check("an import made before the source fd was closed still reads the data",
		      verify_fd(before.fd, e.size, SEED_SOURCE, &why), "%s",
		      why.text);
		close(before.fd);
	}
	if (after.fd >= 0) {
		check("an import made after the source fd was closed reads the data",
		      verify_fd(after.fd, e.size, SEED_SOURCE, &why), "%s",
		      why.text);
		close(after.fd);
	}
	unexport_id(ctx->dev, &e.id, 0);
}

static void test_unexport_errors(const struct ctx *ctx,
				 const struct hyper_dmabuf_id *id)
{
	struct hyper_dmabuf_unexport base = { .id = *id }, u;

	EXPECT_ID_CHECKED("UNEXPORT", ctx->dev, call_unexport, &base,
			  hyper_dmabuf_unexport, WRONG_KEY0);
	u = base;
	u.delay_ms = 60001;
	expect_errno("UNEXPORT delay_ms 60001 -> EINVAL",
		     try_unexport(ctx->dev, &u), EINVAL);
	EXPECT_ZERO_FIELDS("UNEXPORT", ctx->dev, call_unexport, &base,
			   hyper_dmabuf_unexport, 0, NO_RESERVED0);
	expect_errno("UNEXPORT NULL argument -> EFAULT",
		     xioctl(ctx->dev, HYPER_DMABUF_IOCTL_UNEXPORT, NULL), EFAULT);
}

static void test_unexport(const struct ctx *ctx)
{
	struct hyper_dmabuf_import before, im;
	struct hyper_dmabuf_export e;
	struct why why = { "" };
	struct buf b;

	if (!new_filled_buf(ctx->dev, "UNEXPORT", MIB + ctx->page, SEED_UNEXPORT,
			    &b))
		return;
	e = export_args(b.fd, 0, NULL);
	if (!expect_errno("UNEXPORT checks: EXPORT succeeds", do_export(ctx->dev, &e), 0))
		goto out;
	if (!expect_errno("IMPORT before UNEXPORT succeeds",
			  import_id(ctx->dev, &e.id, NULL, &before), 0)) {
		unexport_id(ctx->dev, &e.id, 0);
		goto out;
	}
	test_unexport_errors(ctx, &e.id);
	if (expect_errno("the export is still offered after the rejected UNEXPORTs",
			 import_id(ctx->dev, &e.id, NULL, &im), 0))
		close(im.fd);

	expect_errno("UNEXPORT delay 0 succeeds", unexport_id(ctx->dev, &e.id, 0), 0);
	expect_errno("IMPORT after UNEXPORT (import still open) -> ENOENT",
		     import_id(ctx->dev, &e.id, NULL, &im), ENOENT);
	if (im.fd >= 0)
		close(im.fd);
	close(b.fd);
	b.fd = -1;
	check("an import made before UNEXPORT (and the source fd closed) still reads the data",
	      verify_fd(before.fd, e.size, SEED_UNEXPORT, &why), "%s", why.text);
	close(before.fd);
	expect_errno("UNEXPORT a second time -> ENOENT",
		     unexport_id(ctx->dev, &e.id, 0), ENOENT);
out:
	if (b.fd >= 0)
		close(b.fd);
}

static void test_unexport_delay(const struct ctx *ctx)
{
	struct hyper_dmabuf_import im;
	struct hyper_dmabuf_export e;
	struct why why = { "" };
	struct buf b;

	if (!new_filled_buf(ctx->dev, "UNEXPORT delay", ctx->page, SEED_DELAY,
			    &b))
		return;
	e = export_args(b.fd, 0, NULL);
	if (!expect_errno("delayed UNEXPORT: EXPORT succeeds", do_export(ctx->dev, &e), 0))
		goto out;
	if (!expect_errno("UNEXPORT delay_ms 300 succeeds",
			  unexport_id(ctx->dev, &e.id, 300), 0)) {
		unexport_id(ctx->dev, &e.id, 0);
		goto out;
	}
	if (expect_errno("IMPORT right after UNEXPORT with delay 300 ms succeeds",
			 import_id(ctx->dev, &e.id, NULL, &im), 0)) {
		check("delayed UNEXPORT: that import reads the data",
		      verify_fd(im.fd, e.size, SEED_DELAY, &why), "%s", why.text);
		close(im.fd);
	}
	sleep_ms(1000);
	expect_errno("IMPORT 1 s after UNEXPORT with delay 300 ms -> ENOENT",
		     import_id(ctx->dev, &e.id, NULL, &im), ENOENT);
	if (im.fd >= 0)
		close(im.fd);
out:
	close(b.fd);
}

/* ---- ownership ----------------------------------------------------------- */

static void test_ownership(const struct ctx *ctx)
{
	struct hyper_dmabuf_import before, im;
	struct hyper_dmabuf_export e;
	struct why why = { "" };
	struct buf b;
	int dev2;

	if (!new_filled_buf(ctx->dev, "ownership", MIB + ctx->page, SEED_OWNER,
			    &b))
		return;
	dev2 = open_device(ctx->device);
	e = export_args(b.fd, 0, NULL);
	if (!expect_errno("EXPORT through a second device fd succeeds",
			  do_export(dev2, &e), 0)) {
		close(dev2);
		goto out;
	}
	expect_errno("UNEXPORT from another device fd (not persistent) -> EPERM",
		     unexport_id(ctx->dev, &e.id, 0), EPERM);
	expect_errno("IMPORT through the first device fd succeeds",
		     import_id(ctx->dev, &e.id, NULL, &before), 0);
	close(dev2);
	expect_errno("IMPORT after the exporting device fd was closed -> ENOENT",
		     import_id(ctx->dev, &e.id, NULL, &im), ENOENT);
	if (im.fd >= 0)
		close(im.fd);
	if (before.fd >= 0) {
		check("an import made before that close still reads the data",
		      verify_fd(before.fd, e.size, SEED_OWNER, &why), "%s",
		      why.text);
		close(before.fd);
	}
out:
	close(b.fd);
}

static void test_persistent(const struct ctx *ctx)
{
	struct hyper_dmabuf_export e;
	struct hyper_dmabuf_import im;
	struct why why = { "" };
	struct buf b;
	int dev2;

	if (!ctx->root) {
		skipped("PERSISTENT exports: not root");
		return;
	}
	if (!new_filled_buf(ctx->dev, "persistent", MIB + ctx->page,
			    SEED_PERSISTENT, &b))
		return;
	dev2 = open_device(ctx->device);
	e = export_args(b.fd, HYPER_DMABUF_EXPORT_PERSISTENT, NULL);
	if (!expect_errno("EXPORT PERSISTENT through a second device fd succeeds",
			  do_export(dev2, &e), 0)) {
		close(dev2);
		close(b.fd);
		return;
	}
	close(dev2);
	close(b.fd);
	if (expect_errno("a PERSISTENT export survives closing its device fd and source fd",
			 import_id(ctx->dev, &e.id, NULL, &im), 0)) {
		check("an import of the surviving PERSISTENT export reads the data",
		      verify_fd(im.fd, e.size, SEED_PERSISTENT, &why), "%s",
		      why.text);
		close(im.fd);
	}
	expect_errno("UNEXPORT of a PERSISTENT export from another device fd as root succeeds",
		     unexport_id(ctx->dev, &e.id, 0), 0);
	expect_errno("IMPORT after that UNEXPORT -> ENOENT",
		     import_id(ctx->dev, &e.id, NULL, &im), ENOENT);
	if (im.fd >= 0)
		close(im.fd);
}

/* ---- vgem ---------------------------------------------------------------- */

/* A vgem dumb buffer as exporter: hyper_dmabuf takes its pages. */
static void test_vgem_export(const struct ctx *ctx)
{
	struct tdrm_mode_create_dumb dumb = { .height = 1080, .width = 1920,
					      .bpp = 32 };
	struct tdrm_prime_handle prime = { .fd = -1 };
	struct hyper_dmabuf_export e;
	struct hyper_dmabuf_import im;
	struct why why = { "" };
	int ret;

	if (!ctx->vgem)
		return;
	if (ctx->card < 0) {
		setup_failed("vgem", "%s", ctx->no_card);
		return;
	}
	ret = xioctl(ctx->card, TDRM_IOCTL_MODE_CREATE_DUMB, &dumb);
	if (ret) {
		setup_failed("vgem export", "CREATE_DUMB 1920x1080x32: %s",
			     strerror(ret));
		return;
	}
	prime.handle = dumb.handle;
	prime.flags = TDRM_CLOEXEC | TDRM_RDWR;
	ret = xioctl(ctx->card, TDRM_IOCTL_PRIME_HANDLE_TO_FD, &prime);
	if (ret) {
		setup_failed("vgem export", "PRIME_HANDLE_TO_FD: %s", strerror(ret));
		goto close_handle;
	}
	if (!fill_fd(prime.fd, dumb.size, SEED_VGEM_EXPORT, &why)) {
		setup_failed("vgem export", "fill through the dma-buf: %s", why.text);
		goto close_fd;
	}
	e = export_args(prime.fd, 0, NULL);
	if (!expect_errno("EXPORT of a vgem dumb buffer's dma-buf succeeds",
			  do_export(ctx->dev, &e), 0))
		goto close_fd;
	check("EXPORT of the vgem buffer reports its size", e.size == dumb.size,
	      "size %llu, vgem %llu", (unsigned long long)e.size,
	      (unsigned long long)dumb.size);
	if (expect_errno("IMPORT of the vgem export succeeds",
			 import_id(ctx->dev, &e.id, NULL, &im), 0)) {
		check("the import reads the vgem buffer byte for byte",
		      verify_fd(im.fd, dumb.size, SEED_VGEM_EXPORT, &why), "%s",
		      why.text);
		close(im.fd);
	}
	unexport_id(ctx->dev, &e.id, 0);
close_fd:
	close(prime.fd);
close_handle:
	gem_close(ctx->card, dumb.handle);
}

/*
 * vgem as importer: it attaches and maps an imported dma-buf for DMA. It
 * cannot read it for us: DRM on 6.1 maps no imported object for the CPU
 * (MAP_DUMB says EINVAL), so the bytes are checked through the import.
 */
static void test_vgem_import(const struct ctx *ctx)
{
	struct tdrm_prime_handle prime = { 0 };
	struct hyper_dmabuf_export e;
	struct hyper_dmabuf_import im;
	struct why why = { "" };
	struct buf b;
	int ret;

	if (!ctx->vgem)
		return;
	if (ctx->card < 0) {
		setup_failed("vgem", "%s", ctx->no_card);
		return;
	}
	if (!new_filled_buf(ctx->dev, "vgem import", MIB + ctx->page,
			    SEED_VGEM_IMPORT, &b))
		return;
	e = export_args(b.fd, 0, NULL);
	if (!expect_errno("vgem import: EXPORT succeeds", do_export(ctx->dev, &e), 0))
		goto out;
	if (!expect_errno("vgem import: IMPORT succeeds",
			  import_id(ctx->dev, &e.id, NULL, &im), 0))
		goto unexport;
	prime.fd = im.fd;
	ret = xioctl(ctx->card, TDRM_IOCTL_PRIME_FD_TO_HANDLE, &prime);
	if (!expect_errno("vgem attaches and maps the imported dma-buf (PRIME_FD_TO_HANDLE)",
			  ret, 0))
		goto close_import;
	check("the import still reads the data while vgem holds it",
	      verify_fd(im.fd, b.size, SEED_VGEM_IMPORT, &why), "%s", why.text);
	expect_errno("vgem lets go of the imported buffer (GEM_CLOSE)",
		     gem_close(ctx->card, prime.handle), 0);
close_import:
	close(im.fd);
unexport:
	unexport_id(ctx->dev, &e.id, 0);
out:
	close(b.fd);
}

/* ---- main ---------------------------------------------------------------- */

static unsigned long long read_max_alloc_mb(void)
{
	unsigned long long mb = 0;
	FILE *f = fopen(MAX_ALLOC_PARAM, "re");
	int n = f ? fscanf(f, "%llu", &mb) : 0;

	if (f)
		fclose(f);
	if (n != 1) {
		printf("# %s unreadable, assuming %llu\n", MAX_ALLOC_PARAM,
		       MAX_ALLOC_MB_DEFAULT);
		return MAX_ALLOC_MB_DEFAULT;
	}
	return mb;
}

static void setup(struct ctx *ctx, const struct options *opts)
{
	struct hyper_dmabuf_caps caps;

	memset(ctx, 0, sizeof(*ctx));
	ctx->device = opts->device;
	ctx->vgem = !opts->no_vgem;
	ctx->root = geteuid() == 0;
	ctx->page = page_size();
	ctx->dev = open_device(opts->device);

	get_caps(ctx->dev, &caps);
	ctx->xen = caps.flags & HYPER_DMABUF_CAPS_XEN;
	ctx->domid_valid = caps.flags & HYPER_DMABUF_CAPS_DOMID_VALID;
	ctx->domid = caps.domid;
	ctx->max_alloc = read_max_alloc_mb() * MIB;
	if (ctx->vgem)
		ctx->card = open_vgem(opts->card, ctx->no_card,
				      sizeof(ctx->no_card));
	else
		ctx->card = -1;

	printf("# module %.*s, %s, page %zu, max_alloc_mb %llu, vgem %s\n",
	       (int)sizeof(caps.module_version), caps.module_version,
	       ctx->xen ? "on Xen" : "not on Xen", ctx->page,
	       ctx->max_alloc / MIB,
	       !ctx->vgem ? "not wanted" : ctx->card >= 0 ? "found" : "absent");
}

int main(int argc, char **argv)
{
	struct options opts = { .device = DEFAULT_DEVICE };
	const struct test_command command = {
		.about = "Check ALLOC, EXPORT, IMPORT and UNEXPORT of the hyper_dmabuf module\n"
			 "over the loopback transport (needs root, and vgem unless --no-vgem).",
		.device = &opts.device,
		.no_counters = &opts.no_counters,
		.options = (const struct test_option[]){
			STRING_OPTION("card", "PATH", &opts.card,
				      "the vgem DRM node (default: the first\n"
				      "/dev/dri/cardN whose driver is vgem)"),
			FLAG_OPTION("no-vgem", &opts.no_vgem,
				    "leave out the checks with vgem as exporter and\n"
				    "as importer"),
			{ NULL }
		},
	};
	struct ctx ctx;

	parse_command_line(&command, argc, argv, 1);
	test_start(opts.device);

	setup(&ctx, &opts);
	if (!opts.no_counters)
		print_counters();

	test_alloc_errors(&ctx);
	test_alloc_rounding(&ctx);
	test_alloc_mapping(&ctx);
	test_export_errors(&ctx);
	test_export_meta(&ctx);
	test_export_ids(&ctx);
	test_export_xen_self(&ctx);
	test_import(&ctx);
	test_import_name(&ctx);
	test_data(&ctx);
	test_two_processes(&ctx);
	test_source_closed(&ctx);
	test_unexport(&ctx);
	test_unexport_delay(&ctx);
	test_ownership(&ctx);
	test_persistent(&ctx);
	test_vgem_export(&ctx);
	test_vgem_import(&ctx);

	if (ctx.card >= 0)
		close(ctx.card);
	close(ctx.dev);
	if (!opts.no_counters)
		check_counters();

	return test_summary();
}
