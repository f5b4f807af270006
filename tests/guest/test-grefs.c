// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hdmabuf-test-grefs: the Xen grant-reference calls of /dev/hyper_dmabuf
 * (EXP_FROM_REFS, EXP_WAIT_RELEASED, IMP_TO_REFS, IMP_RELEASE) and the
 * DMA-memory flags of ALLOC. The other domain is played by Xen's own
 * libxengnttab (its gntshr half shares pages, its gnttab half maps them),
 * so the module is checked against the grants everyone else makes. Each
 * mode runs in its own domain, started by a lab scenario; they meet through
 * the lines they print and the signals they are sent.
 *
 * The calls are made through libhyperdmabuf, as a backend ported from
 * xengnttab_dmabuf_* makes them: hdmabuf_ctx_xen_exp_from_refs,
 * _exp_wait_released, _imp_to_refs, _imp_release and hdmabuf_ctx_alloc.
 * Raw ioctls on the context's descriptor remain only for requests the
 * library cannot make (see "the calls" below).
 *
 *   gntshr-serve --to DOMID --pages N --seed S [--expect-seed S2]
 *     Share N writable pages with DOMID (xengntshr), fill them with the
 *     pattern of S and print "refs R1,R2,...". Each SIGUSR1 refills them
 *     with the next seed (S+1, S+2, ...) and prints "rewritten"; SIGTERM or
 *     SIGUSR2 ends the share (with --expect-seed, once the pages are
 *     checked to hold the pattern of S2). Gives up after 10 minutes.
 *
 *   map --from DOMID --refs R1,... --seed S [--mem wc|coherent]
 *       [--then CMD --expect-seed S2] [--hold] [--write S3]
 *       [--expect-errno NAME]
 *     EXP_FROM_REFS, check the size and the pattern of S through a
 *     read-write mmap. --then runs CMD (to have the other domain rewrite)
 *     and checks the pattern of S2 through the same mapping; --hold prints
 *     "mapped" and waits for SIGUSR1; --write fills it with S3. Then the
 *     EXP_WAIT_RELEASED checks: fd closed, mapping live: ETIMEDOUT; a
 *     waiter wakes with 0 when the mapping goes; then ENOENT. With
 *     --expect-errno, EXP_FROM_REFS must fail with that errno instead.
 *
 *   bad-refs --from DOMID --ref R [--other DOMID2 --other-ref R2]
 *     The errors of the four calls; R is one ref DOMID granted to this
 *     domain. R2 is a ref DOMID2 granted to a third domain, not to this
 *     one: EXP_FROM_REFS of R2 from DOMID2 must be refused.
 *
 *   imp-to-refs --to DOMID --pages N --seed S [--vgem] [--ro]
 *       [--then CMD] [--expect-seed S2]
 *     A buffer of N pages (ALLOC, or with --vgem a vgem dumb buffer)
 *     holding the pattern of S, granted to DOMID by IMP_TO_REFS (read-only
 *     with --ro); print "refs R1,...". --then runs CMD, each @REFS@ in it
 *     replaced by the refs, which must exit 0; --expect-seed then checks
 *     the buffer holds S2. Then IMP_RELEASE, twice (ENOENT). With --vgem,
 *     then a read-only vgem dma-buf: writable grants EACCES, GRANT_RO 0.
 *
 *   refs-quota --to DOMID --pages N
 *     With the module's max_refs_per_file at 3 * N (the scenario sets
 *     it): one open of the device grants three buffers of N pages by
 *     IMP_TO_REFS, a fourth is EDQUOT, another open may still grant it,
 *     and after an IMP_RELEASE the first may again.
 *
 *   gnttab-check --from DOMID --refs R1,... --seed S [--write S2] [--hold]
 *     Map the refs with xengnttab (read-only unless --write), check the
 *     pattern of S, with --write fill them with S2; with --hold print
 *     "mapped", wait for SIGUSR1 and check the pages again (the granting
 *     domain may have ended its grants meanwhile: the pages must stay).
 *     Then unmap.
 *
 *   alloc-mem --mem wc|coherent|system --size BYTES --seed S [--vgem]
 *       [--memtype] [--expect-errno NAME]
 *     ALLOC with that memory (with --expect-errno it must fail so, and
 *     only the check of both flags follows), check its size,
 *     fill and read it back; with
 *     --vgem, vgem imports it; EXPORT of DMA memory: EOPNOTSUPP; ALLOC
 *     with both MEM flags: EINVAL. With --memtype (x86, as root, debugfs
 *     mounted), the memory type of the CPU mapping while it is mapped, as
 *     x86's PAT tracks it: shown, and for wc it must be write-combining.
 *
 *   not-xen
 *     Off Xen, each of the four grant-reference calls: ENODEV.
 *
 * Output: "ok" / "not ok" lines and a summary; exit 0 when all passed, 1
 * when a check failed, 2 on bad usage, 77 without the device.
 */
#define _FILE_OFFSET_BITS 64	/* as guest-test.c, and DRM mmap offsets */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/dma-buf.h>
#include <hyperdmabuf.h>
#include <xengnttab.h>

#include "guest-test.h"
#include "vgem.h"

/* No scenario waits longer: a broken one must not hang the lab. */
#define WAIT_LIMIT_S		600
/* EXP_WAIT_RELEASED: the longest timeout the module takes */
#define WAIT_RELEASED_MAX_MS	60000
/*
 * Refs a Linux domain never grants: past any grant table, and one inside
 * it that Linux keeps free (0 and 1 carry the console and xenstore, 2 to
 * 7 are reserved and unused)
 */
#define REF_PAST_TABLE		0x7fffffffU
#define REF_RESERVED		7U
/* A domain id below the reserved ones that no domain of the lab has */
#define DOMID_ABSENT		0x7000U
/* A descriptor number no call of this run was given */
#define FD_NEVER_GIVEN		999
#define MEM_BOTH	(HYPER_DMABUF_MEM_WC | HYPER_DMABUF_MEM_COHERENT)
#define REFS_TOKEN	"@REFS@"

struct opts {
	const char *device;
	const char *refs;	/* --refs, as given */
	const char *then;
	const char *expect_errno;
	const char *mem_name;
	unsigned long domid, other, other_ref, pages, ref;
	unsigned long long size;
	uint32_t seed, expect_seed, write_seed, mem;
	bool has_domid, has_other, has_other_ref, has_ref, has_expect;
	bool has_write;
	bool hold, vgem, ro, memtype;
};

/* A list of grant references */
struct refs {
	uint32_t *v;
	uint32_t n;
};

/* --mem NAME: its MEM flag, and the name for messages */
static void parse_mem(const char *name, void *value)
{
	struct opts *o = value;

	if (!strcmp(name, "wc"))
		o->mem = HYPER_DMABUF_MEM_WC;
	else if (!strcmp(name, "coherent"))
		o->mem = HYPER_DMABUF_MEM_COHERENT;
	else if (!strcmp(name, "system"))
		o->mem = 0;
	else
		usage_error("--mem: wc, coherent or system, not '%s'", name);
	o->mem_name = name;
}

/* ---- small helpers ------------------------------------------------------- */

/* "R1,R2,..." into r->v; false when it is not such a list. */
static bool parse_refs(const char *text, struct refs *r)
{
	unsigned long long v;
	const char *s;
	char *end;
	uint32_t n = 1;

	for (s = text; *s; s++)
		n += *s == ',';
	r->n = 0;
	r->v = n <= HYPER_DMABUF_XEN_REFS_MAX ? calloc(n, sizeof(*r->v)) : NULL;
	for (s = text; r->v && r->n < n; s = end + 1) {
		errno = 0;
		v = strtoull(s, &end, 10);
		if (errno || end == s || *s == '-' || v > UINT32_MAX ||
		    (*end && *end != ','))
			return false;
		r->v[r->n++] = v;
	}
	return r->v;
}

/* The refs comma-separated, in a buffer of the caller's to free. */
static char *join_refs(const uint32_t *refs, uint32_t n)
{
	char *text = malloc((size_t)n * 11 + 1), *at = text;
	uint32_t i;

	if (!text)
		return NULL;
	*at = '\0';
	for (i = 0; i < n; i++)
		at += sprintf(at, "%s%u", i ? "," : "", refs[i]);
	return text;
}

/* "refs R1,..." for the scenario, flushed: it reads this line at once. */
static void print_refs(const uint32_t *refs, uint32_t n)
{
	char *text = join_refs(refs, n);

	printf("refs %s\n", text ? text : "(out of memory)");
	fflush(stdout);
	free(text);
}

/* cmd with each @REFS@ replaced by refs, to free; NULL without memory. */
static char *substitute_refs(const char *cmd, const char *refs)
{
	size_t token = strlen(REFS_TOKEN), n = 0;
	const char *s, *hit;
	char *out, *at;

	for (s = cmd; (hit = strstr(s, REFS_TOKEN)); s = hit + token)
		n++;
	out = malloc(strlen(cmd) + n * strlen(refs) + 1);
	if (!out)
		return NULL;
	at = out;
	for (s = cmd; (hit = strstr(s, REFS_TOKEN)); s = hit + token) {
		memcpy(at, s, hit - s);
		at = stpcpy(at + (hit - s), refs);
	}
	strcpy(at, s);
	return out;
}

/* CMD through sh, whose output joins ours; it must exit 0. */
static bool run_then(const char *what, const char *cmd)
{
	char text[64];
	int status;

	fflush(stdout);
	status = system(cmd);
	if (status == -1)
		return check(what, false, "'%s': %s", cmd, strerror(errno));
	return check(what, WIFEXITED(status) && !WEXITSTATUS(status),
		     "'%s': %s", cmd, wait_status_text(status, text,
						      sizeof(text)));
}

/*
 * The signals the scenario sends are held back from the moment a mode says
 * it is ready, so none arrives before it waits and kills it.
 */
static void waited_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGUSR1);
	sigaddset(set, SIGUSR2);
	sigaddset(set, SIGTERM);
}

static void hold_signals(void)
{
	sigset_t set;

	waited_signals(&set);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

static time_t monotonic_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* The next signal held back, or 0 once deadline (monotonic s) passed. */
static int next_signal(time_t deadline)
{
	struct timespec left = { 0, 0 };
	sigset_t set;
	int sig;

	waited_signals(&set);
	do {
		left.tv_sec = deadline - monotonic_s();
		if (left.tv_sec <= 0)
			return 0;
		sig = sigtimedwait(&set, NULL, &left);
	} while (sig < 0 && errno == EINTR);
	return sig < 0 ? 0 : sig;
}

/* The pattern of seed at p, read between SYNC start and end on fd. */
static bool check_mapping(const char *what, int fd, const void *p,
			  size_t size, uint32_t seed)
{
	struct why why = { "" };
	int ret = buf_sync(fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
	bool same;

	if (ret)
		return check(what, false, "DMA_BUF_IOCTL_SYNC start: %s",
			     strerror(ret));
	same = check_pattern(p, size, seed, &why);
	ret = buf_sync(fd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);
	if (ret && same)
		because(&why, "DMA_BUF_IOCTL_SYNC end: %s", strerror(ret));
	return check(what, same && !ret, "%s", why.text);
}

/* ---- the calls ----------------------------------------------------------- */

/*
 * Each call goes through libhyperdmabuf and gives 0 or the errno, as
 * xioctl() does. The raw ioctls further down, on hdmabuf_ctx_get_fd(), are
 * the requests the library cannot make: non-zero reserved fields and
 * unknown flag bits (expect_zero_fields), and one EXP_WAIT_RELEASED with a
 * timeout above the module's limit (the library splits such a wait into
 * several it takes).
 */
static int lib_result(int ret)
{
	return ret ? errno : 0;
}

/* *fd is -1 unless it succeeded */
static int exp_from_refs(struct hdmabuf_ctx *ctx, uint32_t domid,
			 uint32_t flags, uint32_t count, const uint32_t *refs,
			 int *fd)
{
	*fd = -1;
	return lib_result(hdmabuf_ctx_xen_exp_from_refs(ctx, domid, flags,
							count, refs, fd));
}

static int wait_released(struct hdmabuf_ctx *ctx, int fd, uint32_t timeout_ms)
{
	return lib_result(hdmabuf_ctx_xen_exp_wait_released(ctx, fd,
							    timeout_ms));
}

static int imp_to_refs_call(struct hdmabuf_ctx *ctx, uint32_t domid, int fd,
			    uint32_t count, uint32_t flags, uint32_t *refs)
{
	return lib_result(hdmabuf_ctx_xen_imp_to_refs(ctx, domid, fd, count,
						      flags, refs));
}

static int imp_release(struct hdmabuf_ctx *ctx, int fd)
{
	return lib_result(hdmabuf_ctx_xen_imp_release(ctx, fd));
}

/* ALLOC of size bytes of memory mem; b->size is the size lseek tells. */
static int alloc_mem_buf(struct hdmabuf_ctx *ctx, size_t size, uint32_t mem,
			 struct buf *b)
{
	off_t end;
	int err;

	b->fd = hdmabuf_ctx_alloc(ctx, size, mem);
	b->size = 0;
	if (b->fd < 0)
		return errno;
	end = lseek(b->fd, 0, SEEK_END);
	if (end < 0) {
		err = errno;
		close(b->fd);
		b->fd = -1;
		return err;
	}
	b->size = end;
	return 0;
}

/* The try_ calls undo a success, so that a wrong answer leaves nothing. */
static int try_exp_from_refs(struct hdmabuf_ctx *ctx, uint32_t domid,
			     uint32_t flags, uint32_t count,
			     const uint32_t *refs)
{
	int fd, ret = exp_from_refs(ctx, domid, flags, count, refs, &fd);

	if (!ret)
		close(fd);
	return ret;
}

static int try_imp_to_refs(struct hdmabuf_ctx *ctx, uint32_t domid, int fd,
			   uint32_t count, uint32_t flags, uint32_t *refs)
{
	int ret = imp_to_refs_call(ctx, domid, fd, count, flags, refs);

	if (!ret)
		imp_release(ctx, fd);
	return ret;
}

static int try_alloc_mem(struct hdmabuf_ctx *ctx, size_t size, uint32_t mem)
{
	struct buf b;
	int ret = alloc_mem_buf(ctx, size, mem, &b);

	if (!ret)
		close(b.fd);
	return ret;
}

/* Raw, for expect_zero_fields: requests with fields the library zeroes */
static int raw_try_exp_from_refs(int dev, void *arg)
{
	struct hyper_dmabuf_xen_exp_from_refs *x = arg;
	int ret = xioctl(dev, HYPER_DMABUF_IOCTL_XEN_EXP_FROM_REFS, x);

	if (!ret)
		close(x->fd);
	return ret;
}

static int raw_try_imp_to_refs(int dev, void *arg)
{
	struct hyper_dmabuf_xen_imp_to_refs *x = arg;
	struct hyper_dmabuf_xen_imp_release r = { .fd = x->fd };
	int ret = xioctl(dev, HYPER_DMABUF_IOCTL_XEN_IMP_TO_REFS, x);

	if (!ret)
		xioctl(dev, HYPER_DMABUF_IOCTL_XEN_IMP_RELEASE, &r);
	return ret;
}

/* The context, or "not ok" and exit, as open_device() */
static struct hdmabuf_ctx *open_ctx(const char *device)
{
	struct hdmabuf_ctx *ctx = hdmabuf_ctx_open(device);

	if (!ctx) {
		printf("not ok - hdmabuf_ctx_open %s: %s\n", device,
		       strerror(errno));
		exit(EXIT_FAILURE);
	}
	return ctx;
}

/* ---- gntshr-serve -------------------------------------------------------- */

/* SIGUSR1: the next seed and "rewritten"; SIGTERM or SIGUSR2: the end. */
static void serve_until_told(void *p, size_t size, uint32_t seed)
{
	time_t deadline = monotonic_s() + WAIT_LIMIT_S;
	int sig;

	while ((sig = next_signal(deadline)) == SIGUSR1) {
		fill_pattern(p, size, ++seed);
		printf("rewritten\n");
		fflush(stdout);
	}
	check("told to stop (SIGTERM or SIGUSR2) in time", sig != 0,
	      "nothing for %d s", WAIT_LIMIT_S);
}

static int gntshr_serve(const struct opts *o)
{
	size_t size = o->pages * page_size();
	uint32_t *refs = calloc(o->pages, sizeof(*refs));
	struct why why = { "" };
	xengntshr_handle *xgs;
	void *p;
	int ret;

	hold_signals();
	xgs = xengntshr_open(NULL, 0);
	if (!refs || !check("xengntshr_open (/dev/xen/gntalloc)", xgs,
			    "%s (modprobe xen-gntalloc?)", strerror(errno)))
		goto out;
	p = xengntshr_share_pages(xgs, o->domid, o->pages, refs, 1);
	if (!check("share the pages writable with the domain", p,
		   "%lu pages to domain %lu: %s", o->pages, o->domid,
		   strerror(errno)))
		goto out;
	fill_pattern(p, size, o->seed);
	print_refs(refs, o->pages);
	serve_until_told(p, size, o->seed);
	if (o->has_expect)
		check("the pages hold what the other domain wrote",
		      check_pattern(p, size, o->expect_seed, &why), "%s",
		      why.text);
	/* the call first: an argument's order of evaluation is unspecified */
	ret = xengntshr_unshare(xgs, p, o->pages);
	check("xengntshr_unshare", !ret, "%s", strerror(errno));
out:
	if (xgs)
		xengntshr_close(xgs);
	free(refs);
	return test_summary();
}

/* ---- map ----------------------------------------------------------------- */

struct waiter {
	struct hdmabuf_ctx *ctx;
	int fd, ret;
	atomic_bool done;
};

static void *wait_released_thread(void *arg)
{
	struct waiter *w = arg;

	w->ret = wait_released(w->ctx, w->fd, 5000);
	atomic_store(&w->done, true);
	return NULL;
}

/*
 * EXP_WAIT_RELEASED: a dma-buf lives while a mapping does, its fd closed
 * or not; a waiter wakes once the last user let go, and after that the
 * export is gone (ENOENT), as with the kernel's gntdev.
 */
static void wait_released_checks(struct hdmabuf_ctx *ctx, int fd, void *p,
				 size_t size)
{
	struct waiter w = { .ctx = ctx, .fd = fd };
	pthread_t thread;
	int ret;

	close(fd);
	expect_errno("EXP_WAIT_RELEASED 300 ms, fd closed, mapping live -> ETIMEDOUT",
		     wait_released(ctx, fd, 300), ETIMEDOUT);
	ret = pthread_create(&thread, NULL, wait_released_thread, &w);
	if (ret) {
		munmap(p, size);
		setup_failed("EXP_WAIT_RELEASED", "pthread_create: %s",
			     strerror(ret));
		return;
	}
	sleep_ms(200);
	check("a waiter still waits while the mapping lives",
	      !atomic_load(&w.done), "it returned %s", result_name(w.ret));
	munmap(p, size);
	pthread_join(thread, NULL);
	expect_errno("the waiter gets 0 once the mapping goes", w.ret, 0);
	expect_errno("EXP_WAIT_RELEASED after the release -> ENOENT",
		     wait_released(ctx, fd, 100), ENOENT);
}

/* --hold: "mapped", then wait for SIGUSR1 (bounded). */
static void hold_until_usr1(void)
{
	int sig;

	hold_signals();
	printf("mapped\n");
	fflush(stdout);
	sig = next_signal(monotonic_s() + WAIT_LIMIT_S);
	check("SIGUSR1 ends the hold in time", sig == SIGUSR1,
	      sig ? "signal %d" : "nothing for %d s",
	      sig ? sig : WAIT_LIMIT_S);
}

/* --hold of map: the mapping unchanged meanwhile. */
static void hold_mapping(int fd, const void *p, size_t size, uint32_t seed)
{
	hold_until_usr1();
	check_mapping("the mapping still holds the pattern after the hold",
		      fd, p, size, seed);
}

/* What map does with the dma-buf it made; closes it. */
static void use_mapped(const struct opts *o, struct hdmabuf_ctx *ctx, int fd,
		       size_t size)
{
	/* what the mapping holds after --then (which needs --expect-seed) */
	uint32_t seed = o->then ? o->expect_seed : o->seed;
	off_t end = lseek(fd, 0, SEEK_END);
	void *p;

	check("the dma-buf has count pages (lseek SEEK_END)",
	      end == (off_t)size, "%lld bytes, expected %zu",
	      (long long)end, size);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (!check("mmap read-write of the dma-buf", p != MAP_FAILED, "%s",
		   strerror(errno))) {
		close(fd);
		return;
	}
	check_mapping("the mapping holds the granting domain's pattern", fd, p,
		      size, o->seed);
	if (o->then &&
	    run_then("--then: the granting domain rewrites", o->then))
		check_mapping("the same mapping shows the rewrite", fd, p,
			      size, seed);
	if (o->hold)
		hold_mapping(fd, p, size, seed);
	if (o->has_write) {
		fill_pattern(p, size, o->write_seed);
		printf("# wrote the pattern of %u through the mapping\n",
		       o->write_seed);
	}
	wait_released_checks(ctx, fd, p, size);
}

static int map(const struct opts *o)
{
	struct hdmabuf_ctx *ctx;
	struct refs r = { NULL, 0 };
	char name[128];
	int fd, ret;

	if (!parse_refs(o->refs, &r)) {
		fprintf(stderr, "--refs: not a list of refs: '%s'\n", o->refs);
		exit(EXIT_USAGE);
	}
	ctx = open_ctx(o->device);
	ret = exp_from_refs(ctx, o->domid, o->mem, r.n, r.v, &fd);
	snprintf(name, sizeof(name),
		 "EXP_FROM_REFS of %u refs of domain %lu%s%s", r.n, o->domid,
		 o->mem_name ? ", memory " : "", o->mem_name ? o->mem_name : "");
	if (o->expect_errno) {
		snprintf(name + strlen(name), sizeof(name) - strlen(name),
			 " -> %s", o->expect_errno);
		expect_errno(name, ret, errno_by_name(o->expect_errno));
		if (!ret)
			close(fd);
	} else if (expect_errno(name, ret, 0)) {
		use_mapped(o, ctx, fd, (size_t)r.n * page_size());
	}
	hdmabuf_ctx_close(ctx);
	free(r.v);
	return test_summary();
}

/* ---- bad-refs ------------------------------------------------------------ */

struct exp_case {
	const char *name;
	__u32 flags, count, domid;
	const uint32_t *refs;
	int want;
};

/*
 * The domain that does not exist, and a ref that exists in another
 * domain's table but was granted to a third domain, not to this one (the
 * scenario makes it so): Xen must refuse to map it here.
 */
static void exp_domain_errors(struct hdmabuf_ctx *ctx, const struct opts *o,
			      uint32_t ref)
{
	uint32_t other_ref = o->other_ref;
	int ret;

	expect_errno("EXP_FROM_REFS from a domain that does not exist -> ESRCH",
		     try_exp_from_refs(ctx, DOMID_ABSENT, 0, 1, &ref), ESRCH);
	/* asked for by --other and --other-ref */
	if (!o->has_other || !o->has_other_ref)
		return;
	ret = try_exp_from_refs(ctx, o->other, 0, 1, &other_ref);
	check("EXP_FROM_REFS of a ref the domain granted to a third domain, not to this one -> ENOENT",
	      ret == ENOENT, "ref %u of domain %lu: got %s", other_ref,
	      o->other, result_name(ret));
}

static void exp_from_refs_errors(struct hdmabuf_ctx *ctx,
				 const struct opts *o,
				 const struct hyper_dmabuf_caps *caps,
				 const uint32_t *many)
{
	const uint32_t ref = o->ref, past = REF_PAST_TABLE;
	const uint32_t reserved = REF_RESERVED, pair[2] = { ref, past };
	const __u32 from = o->domid;
	const struct exp_case cases[] = {
		{ "count 0 -> EINVAL", 0, 0, from, &ref, EINVAL },
		{ "count REFS_MAX + 1 -> EINVAL", 0,
		  HYPER_DMABUF_XEN_REFS_MAX + 1, from, many, EINVAL },
		{ "flags WC | COHERENT -> EINVAL", MEM_BOTH, 1, from, &ref,
		  EINVAL },
		{ "refs at a bad address -> EFAULT", 0, 1, from,
		  (const uint32_t *)(uintptr_t)1, EFAULT },
		{ "a ref past the grant table -> ENOENT", 0, 1, from, &past,
		  ENOENT },
		{ "a ref inside the table never granted (7) -> ENOENT", 0, 1,
		  from, &reserved, ENOENT },
		{ "a good ref, then one past the table -> ENOENT", 0, 2, from,
		  pair, ENOENT },
		{ "domid 0x7FF0 (reserved) -> EINVAL", 0, 1,
		  HYPER_DMABUF_DOMID_SELF, &ref, EINVAL },
		{ "this domain's own id -> EINVAL", 0, 1, caps->domid, &ref,
		  EINVAL },
	};
	/* raw: the reserved fields and unknown flag bits the library zeroes */
	struct hyper_dmabuf_xen_exp_from_refs x = {
		.count = 1, .domid = from, .fd = -1, .refs = uptr(&ref),
	};
	char name[160];
	size_t i;

	if (!expect_errno("EXP_FROM_REFS of the one good ref succeeds (the control)",
			  try_exp_from_refs(ctx, from, 0, 1, &ref), 0))
		printf("# the checks below may fail for this reason\n");
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		snprintf(name, sizeof(name), "EXP_FROM_REFS %s", cases[i].name);
		expect_errno(name, try_exp_from_refs(ctx, cases[i].domid,
						     cases[i].flags,
						     cases[i].count,
						     cases[i].refs),
			     cases[i].want);
	}
	EXPECT_ZERO_FIELDS("EXP_FROM_REFS", hdmabuf_ctx_get_fd(ctx),
			   raw_try_exp_from_refs, &x,
			   hyper_dmabuf_xen_exp_from_refs, MEM_BOTH,
			   NO_RESERVED0);
	if (caps->xen_type == HYPER_DMABUF_XEN_PV)
		expect_errno("EXP_FROM_REFS flags WC in a PV domain -> EOPNOTSUPP",
			     try_exp_from_refs(ctx, from, HDMABUF_MEM_WC, 1,
					       &ref), EOPNOTSUPP);
	exp_domain_errors(ctx, o, ref);
}

struct imp_case {
	const char *name;
	int fd;
	__u32 count, domid;
	uint32_t *refs;
	int want;
};

/* Descriptors that are no dma-buf: a pipe, /dev/null, a closed number */
struct not_bufs {
	int pipe[2], null, closed;
};

static bool open_not_bufs(struct not_bufs *nb, int any_fd)
{
	if (pipe(nb->pipe))
		return setup_failed("IMP_TO_REFS errors", "pipe: %s",
				    strerror(errno));
	nb->null = open("/dev/null", O_RDWR | O_CLOEXEC);
	/* the lowest free number, and no call below opens one */
	nb->closed = dup(any_fd);
	if (nb->null < 0 || nb->closed < 0)
		return setup_failed("IMP_TO_REFS errors", "open, dup: %s",
				    strerror(errno));
	close(nb->closed);
	return true;
}

static void imp_release_checks(struct hdmabuf_ctx *ctx, int fd,
			       uint32_t *room, __u32 to)
{
	/* raw: a reserved field the library zeroes */
	struct hyper_dmabuf_xen_imp_release r = { .fd = fd, .reserved = 1 };

	expect_errno("IMP_RELEASE of a fd number never given -> ENOENT",
		     imp_release(ctx, FD_NEVER_GIVEN), ENOENT);
	/* a mark past count: the module writes count references, no more */
	room[0] = room[1] = 0;
	room[2] = 0xdeadbeef;
	if (!expect_errno("IMP_TO_REFS of a 2-page ALLOC buffer succeeds (the control)",
			  imp_to_refs_call(ctx, to, fd, 2, 0, room), 0))
		return;
	check("IMP_TO_REFS writes 2 distinct references for 2 pages",
	      room[0] && room[1] && room[0] != room[1], "%u, %u",
	      room[0], room[1]);
	check("IMP_TO_REFS writes nothing past count", room[2] == 0xdeadbeef,
	      "the entry after them is %#x", room[2]);
	expect_errno("IMP_RELEASE reserved non-zero -> EINVAL",
		     xioctl(hdmabuf_ctx_get_fd(ctx),
			    HYPER_DMABUF_IOCTL_XEN_IMP_RELEASE, &r),
		     EINVAL);
	expect_errno("IMP_RELEASE of it succeeds", imp_release(ctx, fd), 0);
}

static void imp_to_refs_errors(struct hdmabuf_ctx *ctx, const struct opts *o,
			       const struct hyper_dmabuf_caps *caps,
			       uint32_t *room)
{
	const __u32 to = o->domid;
	struct hyper_dmabuf_xen_imp_to_refs x;
	struct not_bufs nb;
	struct buf b;
	char name[160];
	size_t i;
	int ret;

	ret = alloc_mem_buf(ctx, 2 * page_size(), 0, &b);
	if (ret) {
		setup_failed("IMP_TO_REFS errors", "ALLOC 2 pages: %s",
			     strerror(ret));
		return;
	}
	if (open_not_bufs(&nb, b.fd)) {
		const struct imp_case cases[] = {
			{ "a closed fd -> EBADF", nb.closed, 2, to, room,
			  EBADF },
			{ "count 0 -> EINVAL", b.fd, 0, to, room, EINVAL },
			{ "count 1 for 2 pages -> EINVAL", b.fd, 1, to, room,
			  EINVAL },
			{ "count 3 for 2 pages -> EINVAL", b.fd, 3, to, room,
			  EINVAL },
			{ "count REFS_MAX + 1 -> EINVAL", b.fd,
			  HYPER_DMABUF_XEN_REFS_MAX + 1, to, room, EINVAL },
			{ "a pipe -> EINVAL", nb.pipe[0], 1, to, room, EINVAL },
			{ "/dev/null -> EINVAL", nb.null, 1, to, room, EINVAL },
			{ "domid 0x7FF0 (reserved) -> EINVAL", b.fd, 2,
			  HYPER_DMABUF_DOMID_SELF, room, EINVAL },
			{ "this domain's own id -> EINVAL", b.fd, 2,
			  caps->domid, room, EINVAL },
			{ "refs at a bad address -> EFAULT", b.fd, 2, to,
			  (uint32_t *)(uintptr_t)1, EFAULT },
		};

		for (i = 0; i < ARRAY_SIZE(cases); i++) {
			snprintf(name, sizeof(name), "IMP_TO_REFS %s",
				 cases[i].name);
			expect_errno(name,
				     try_imp_to_refs(ctx, cases[i].domid,
						     cases[i].fd,
						     cases[i].count, 0,
						     cases[i].refs),
				     cases[i].want);
		}
		/* no try_: a grant the EFAULT left behind would be released */
		expect_errno("IMP_RELEASE after that EFAULT -> ENOENT (nothing left granted)",
			     imp_release(ctx, b.fd), ENOENT);
		close(nb.pipe[0]);
		close(nb.pipe[1]);
		close(nb.null);
	}
	/* raw: the reserved fields and unknown flag bits the library zeroes */
	x = (struct hyper_dmabuf_xen_imp_to_refs){
		.fd = b.fd, .count = 2, .domid = to, .refs = uptr(room),
	};
	EXPECT_ZERO_FIELDS("IMP_TO_REFS", hdmabuf_ctx_get_fd(ctx),
			   raw_try_imp_to_refs, &x,
			   hyper_dmabuf_xen_imp_to_refs,
			   HYPER_DMABUF_XEN_GRANT_RO, NO_RESERVED0);
	imp_release_checks(ctx, b.fd, room, to);
	close(b.fd);
}

static void wait_released_errors(struct hdmabuf_ctx *ctx)
{
	/*
	 * raw: a timeout above the module's limit in one request (the
	 * library splits it), and a reserved field the library zeroes
	 */
	struct hyper_dmabuf_xen_exp_wait_released over = {
		.fd = FD_NEVER_GIVEN, .timeout_ms = WAIT_RELEASED_MAX_MS + 1
	};
	struct hyper_dmabuf_xen_exp_wait_released w = {
		.fd = FD_NEVER_GIVEN, .timeout_ms = 100, .reserved = 1
	};
	int dev = hdmabuf_ctx_get_fd(ctx);

	expect_errno("EXP_WAIT_RELEASED of a fd number never exported -> ENOENT",
		     wait_released(ctx, FD_NEVER_GIVEN, 100), ENOENT);
	expect_errno("EXP_WAIT_RELEASED timeout_ms 60001 -> EINVAL",
		     xioctl(dev, HYPER_DMABUF_IOCTL_XEN_EXP_WAIT_RELEASED,
			    &over), EINVAL);
	expect_errno("EXP_WAIT_RELEASED reserved non-zero -> EINVAL",
		     xioctl(dev, HYPER_DMABUF_IOCTL_XEN_EXP_WAIT_RELEASED, &w),
		     EINVAL);
}

static int bad_refs(const struct opts *o)
{
	/* room for the largest count: a call that reads or writes too much
	 * still meets memory, so only its checks can refuse it */
	uint32_t *room = calloc(HYPER_DMABUF_XEN_REFS_MAX + 1, sizeof(*room));
	struct hyper_dmabuf_caps caps;
	struct hdmabuf_ctx *ctx;
	uint32_t i;

	if (!room) {
		setup_failed("bad-refs", "out of memory");
		return test_summary();
	}
	ctx = open_ctx(o->device);
	get_caps(hdmabuf_ctx_get_fd(ctx), &caps);
	for (i = 0; i <= HYPER_DMABUF_XEN_REFS_MAX; i++)
		room[i] = o->ref;
	exp_from_refs_errors(ctx, o, &caps, room);
	imp_to_refs_errors(ctx, o, &caps, room);
	wait_released_errors(ctx);
	hdmabuf_ctx_close(ctx);
	free(room);
	return test_summary();
}

/* ---- refs-quota ---------------------------------------------------------- */

#define QUOTA_GRANTS	3

static int refs_quota(const struct opts *o)
{
	struct hdmabuf_ctx *ctx = open_ctx(o->device);
	struct hdmabuf_ctx *other = open_ctx(o->device);
	struct buf b[QUOTA_GRANTS + 1];
	uint32_t *refs = calloc(o->pages, sizeof(*refs));
	char name[96];
	unsigned int i, made = 0;

	if (!refs) {
		setup_failed("refs-quota", "out of memory");
		return test_summary();
	}
	for (; made <= QUOTA_GRANTS; made++)
		if (!check("ALLOC of a buffer to grant",
			   !alloc_mem_buf(ctx, o->pages * page_size(), 0,
					  &b[made]), "%s", strerror(errno)))
			goto out;
	for (i = 0; i < QUOTA_GRANTS; i++) {
		snprintf(name, sizeof(name),
			 "IMP_TO_REFS %u of %u, %lu pages each, by one open",
			 i + 1, QUOTA_GRANTS, o->pages);
		expect_errno(name, imp_to_refs_call(ctx, o->domid, b[i].fd,
						    o->pages, 0, refs), 0);
	}
	expect_errno("one more by the same open, past max_refs_per_file -> EDQUOT",
		     try_imp_to_refs(ctx, o->domid, b[QUOTA_GRANTS].fd,
				     o->pages, 0, refs), EDQUOT);
	expect_errno("another open of the device may still grant it",
		     try_imp_to_refs(other, o->domid, b[QUOTA_GRANTS].fd,
				     o->pages, 0, refs), 0);
	expect_errno("IMP_RELEASE of the first", imp_release(ctx, b[0].fd), 0);
	expect_errno("then the first open may grant it",
		     try_imp_to_refs(ctx, o->domid, b[QUOTA_GRANTS].fd,
				     o->pages, 0, refs), 0);
	for (i = 1; i < QUOTA_GRANTS; i++)
		expect_errno("IMP_RELEASE of the others", imp_release(ctx, b[i].fd),
			     0);
out:
	while (made--)
		close(b[made].fd);
	free(refs);
	hdmabuf_ctx_close(other);
	hdmabuf_ctx_close(ctx);
	return test_summary();
}

/* ---- imp-to-refs --------------------------------------------------------- */

/*
 * A vgem dumb buffer of pages, a page a row, filled with the pattern of
 * seed through vgem's own mapping, as a dma-buf by PRIME with prime_flags.
 */
static bool vgem_buf(int card, size_t pages, __u32 prime_flags, uint32_t seed,
		     struct buf *b)
{
	struct vgem_buf v;
	char why[160] = "";

	if (vgem_filled_dumb(card, page_size() / 4, pages, prime_flags, seed,
			     &v, why, sizeof(why)))
		return setup_failed("vgem buffer", "%s", why);
	b->fd = v.fd;
	b->size = v.size;
	return true;
}

/* The buffer to grant: vgem's or ALLOC's, holding the pattern of seed */
static bool source_buf(const struct opts *o, struct hdmabuf_ctx *ctx,
		       int card, struct buf *b)
{
	size_t size = o->pages * page_size();
	struct why why = { "" };
	int ret;

	if (card < 0) {
		ret = alloc_mem_buf(ctx, size, 0, b);
		if (ret)
			return setup_failed("imp-to-refs", "ALLOC %zu bytes: %s",
					    size, strerror(ret));
		if (fill_fd(b->fd, b->size, o->seed, &why))
			return true;
		close(b->fd);
		return setup_failed("imp-to-refs", "fill the ALLOC buffer: %s",
				    why.text);
	}
	if (!vgem_buf(card, o->pages, TDRM_CLOEXEC | TDRM_RDWR, o->seed, b))
		return false;
	if (b->size == size)
		return true;
	close(b->fd);
	return setup_failed("vgem buffer", "%zu bytes, not %zu", b->size,
			    size);
}

/*
 * A dma-buf fd open read-only may be granted read-only, not writable.
 * vgem sets a dma-buf's mode at its first PRIME export: a buffer of its own.
 */
static void read_only_checks(const struct opts *o, struct hdmabuf_ctx *ctx,
			     int card)
{
	uint32_t ref;
	struct buf b;

	if (!vgem_buf(card, 1, TDRM_CLOEXEC, o->seed, &b))
		return;
	if (!check("vgem's PRIME export without DRM_RDWR is read-only",
		   (fcntl(b.fd, F_GETFL) & O_ACCMODE) == O_RDONLY,
		   "fcntl F_GETFL: 0x%x", fcntl(b.fd, F_GETFL))) {
		close(b.fd);
		return;
	}
	expect_errno("IMP_TO_REFS of a read-only dma-buf fd, writable grants -> EACCES",
		     try_imp_to_refs(ctx, o->domid, b.fd, 1, 0, &ref), EACCES);
	expect_errno("IMP_TO_REFS of it with GRANT_RO succeeds",
		     try_imp_to_refs(ctx, o->domid, b.fd, 1,
				     HDMABUF_XEN_GRANT_RO, &ref), 0);
	close(b.fd);
}

/* --then with the refs in place of @REFS@ */
static void run_then_with_refs(const char *cmd, const uint32_t *refs,
			       uint32_t n)
{
	char *text = join_refs(refs, n);
	char *line = text ? substitute_refs(cmd, text) : NULL;

	if (line)
		run_then("--then: the other domain maps the grants", line);
	else
		setup_failed("--then", "out of memory");
	free(line);
	free(text);
}

static void grant_buf(const struct opts *o, struct hdmabuf_ctx *ctx,
		      const struct buf *b, uint32_t *refs)
{
	struct why why = { "" };
	char name[128];

	snprintf(name, sizeof(name), "IMP_TO_REFS of %lu pages to domain %lu%s",
		 o->pages, o->domid, o->ro ? ", read-only" : "");
	if (!expect_errno(name, imp_to_refs_call(ctx, o->domid, b->fd,
						 o->pages,
						 o->ro ? HDMABUF_XEN_GRANT_RO : 0,
						 refs), 0))
		return;
	print_refs(refs, o->pages);
	if (o->then)
		run_then_with_refs(o->then, refs, o->pages);
	if (o->has_expect)
		check("the buffer holds what the other domain wrote",
		      verify_fd(b->fd, b->size, o->expect_seed, &why), "%s",
		      why.text);
	expect_errno("IMP_RELEASE succeeds", imp_release(ctx, b->fd), 0);
	expect_errno("IMP_RELEASE again -> ENOENT", imp_release(ctx, b->fd),
		     ENOENT);
}

static int imp_to_refs(const struct opts *o)
{
	uint32_t *refs = calloc(o->pages, sizeof(*refs));
	struct hdmabuf_ctx *ctx;
	char why[128] = "";
	int card = -1;
	struct buf b;

	ctx = open_ctx(o->device);
	if (!refs)
		setup_failed("imp-to-refs", "out of memory");
	if (o->vgem) {
		card = open_vgem(NULL, why, sizeof(why));
		if (card < 0)
			setup_failed("imp-to-refs", "vgem: %s", why);
	}
	if (refs && (card >= 0 || !o->vgem) && source_buf(o, ctx, card, &b)) {
		grant_buf(o, ctx, &b, refs);
		close(b.fd);
		/* asked for by --vgem, whose buffers can be read-only */
		if (card >= 0)
			read_only_checks(o, ctx, card);
	}
	if (card >= 0)
		close(card);
	hdmabuf_ctx_close(ctx);
	free(refs);
	return test_summary();
}

/* ---- gnttab-check -------------------------------------------------------- */

/* --hold of gnttab-check: the pages unchanged meanwhile. */
static void hold_grants(const void *p, size_t size, uint32_t seed)
{
	struct why why = { "" };

	hold_until_usr1();
	check("the pages still hold the pattern after the hold",
	      check_pattern(p, size, seed, &why), "%s", why.text);
}

static int gnttab_check(const struct opts *o)
{
	int prot = PROT_READ | (o->has_write ? PROT_WRITE : 0);
	struct refs r = { NULL, 0 };
	struct why why = { "" };
	xengnttab_handle *xgt;
	size_t size;
	void *p;
	int ret;

	if (!parse_refs(o->refs, &r)) {
		fprintf(stderr, "--refs: not a list of refs: '%s'\n", o->refs);
		exit(EXIT_USAGE);
	}
	size = (size_t)r.n * page_size();
	xgt = xengnttab_open(NULL, 0);
	if (!check("xengnttab_open (/dev/xen/gntdev)", xgt,
		   "%s (modprobe xen-gntdev?)", strerror(errno)))
		goto out;
	p = xengnttab_map_domain_grant_refs(xgt, r.n, o->domid, r.v, prot);
	if (!check(o->has_write ? "map the grants read-write (xengnttab)" :
		   "map the grants read-only (xengnttab)", p,
		   "%u refs of domain %lu: %s", r.n, o->domid, strerror(errno)))
		goto out;
	check("the grants hold the granting domain's pattern",
	      check_pattern(p, size, o->seed, &why), "%s", why.text);
	if (o->has_write) {
		fill_pattern(p, size, o->write_seed);
		printf("# wrote the pattern of %u into the grants\n",
		       o->write_seed);
	}
	if (o->hold)
		hold_grants(p, size, o->has_write ? o->write_seed : o->seed);
	ret = xengnttab_unmap(xgt, p, r.n);
	check("xengnttab_unmap", !ret, "%s", strerror(errno));
out:
	if (xgt)
		xengnttab_close(xgt);
	free(r.v);
	return test_summary();
}

/* ---- alloc-mem and not-xen ----------------------------------------------- */

#define PAGEMAP_PFN_MASK	((1ULL << 55) - 1)
#define PAGEMAP_PRESENT		(1ULL << 63)
/*
 * x86's PAT keeps the memory type of a page of RAM in its flags
 * (arch/x86/mm/pat/memtype.c, _PGMT_*): PG_arch_1 alone is
 * write-combining, PG_uncached alone uncached-minus, both write-through,
 * neither write-back. /proc/kpageflags shows them as KPF_ARCH and
 * KPF_UNCACHED (include/uapi/linux/kernel-page-flags.h).
 */
#define KPF_NOPAGE_BIT		20
#define KPF_ARCH_BIT		38
#define KPF_UNCACHED_BIT	39
#define KPAGEFLAGS		"/proc/kpageflags"
/* Memory other than RAM (a device's) has its type in this list instead */
#define PAT_MEMTYPE_LIST	"/sys/kernel/debug/x86/pat_memtype_list"

static const char *ram_type(uint64_t flags)
{
	bool arch = flags >> KPF_ARCH_BIT & 1;
	bool uc = flags >> KPF_UNCACHED_BIT & 1;

	if (flags >> KPF_NOPAGE_BIT & 1)
		return "no page";
	return arch ? (uc ? "write-through" : "write-combining") :
		      (uc ? "uncached-minus" : "write-back");
}

/* What the PAT says of memory: its write-combining pages, RAM and other */
struct pat_view {
	unsigned long long wc_ram_pages;	/* by /proc/kpageflags */
	unsigned long long wc_other_bytes;	/* by the PAT's list */
	bool read;
};

/* The sum of the write-combining ranges in the PAT's list */
static bool wc_listed_bytes(unsigned long long *bytes, struct why *why)
{
	FILE *f = fopen(PAT_MEMTYPE_LIST, "re");
	unsigned long long start, end;
	char line[160], type[32];

	*bytes = 0;
	if (!f)
		return because(why, "%s: %s (x86 PAT, debugfs mounted?)",
			       PAT_MEMTYPE_LIST, strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%31s @ %llx-%llx", type, &start, &end) == 3 &&
		    !strcmp(type, "write-combining"))
			*bytes += end - start;
	fclose(f);
	return true;
}

/* The pages of RAM the PAT marks write-combining, from /proc/kpageflags */
static bool wc_ram_count(unsigned long long *pages, struct why *why)
{
	int fd = open(KPAGEFLAGS, O_RDONLY | O_CLOEXEC);
	uint64_t flags[4096];
	ssize_t n, i;

	*pages = 0;
	if (fd < 0)
		return because(why, "%s: %s (root?)", KPAGEFLAGS,
			       strerror(errno));
	while ((n = read(fd, flags, sizeof(flags))) > 0)
		for (i = 0; i < n / (ssize_t)sizeof(*flags); i++)
			*pages += !strcmp(ram_type(flags[i]),
					  "write-combining");
	close(fd);
	if (n < 0)
		return because(why, "%s: %s", KPAGEFLAGS, strerror(errno));
	return true;
}

static bool read_pat_view(struct pat_view *v, struct why *why)
{
	*v = (struct pat_view){ 0, 0, false };
	v->read = wc_ram_count(&v->wc_ram_pages, why) &&
		  wc_listed_bytes(&v->wc_other_bytes, why);
	return v->read;
}

/*
 * The physical frame behind each page of p, from /proc/self/pagemap (as
 * root). A mapping of PFNs (remap_pfn_range, as the DMA layer's mmap
 * makes) is a hole there: false then.
 */
static bool mapping_frames(const void *p, size_t pages, uint64_t *pfn,
			   struct why *why)
{
	size_t page = page_size(), i;
	uint64_t entry;
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return because(why, "/proc/self/pagemap: %s", strerror(errno));
	for (i = 0; i < pages; i++) {
		off_t at = (off_t)(((uintptr_t)p / page + i) * sizeof(entry));

		if (pread(fd, &entry, sizeof(entry), at) != sizeof(entry)) {
			close(fd);
			return because(why, "pagemap: %s", strerror(errno));
		}
		pfn[i] = entry & PAGEMAP_PFN_MASK;
		if (!(entry & PAGEMAP_PRESENT) || !pfn[i]) {
			close(fd);
			return because(why, "pagemap shows no frame for page %zu (entry 0x%llx): a mapping of PFNs",
				       i, (unsigned long long)entry);
		}
	}
	close(fd);
	return true;
}

/* By the frames: true when every page is write-combining RAM. */
static bool frames_wc(const uint64_t *pfn, size_t pages, struct why *why)
{
	int fd = open(KPAGEFLAGS, O_RDONLY | O_CLOEXEC);
	const char *first = "?";
	size_t i, runs = 0, wc = 0;
	uint64_t flags;

	if (fd < 0)
		return because(why, "%s: %s", KPAGEFLAGS, strerror(errno));
	for (i = 0; i < pages; i++) {
		if (!i || pfn[i] != pfn[i - 1] + 1)
			runs++;
		if (pread(fd, &flags, sizeof(flags),
			  (off_t)(pfn[i] * sizeof(flags))) != sizeof(flags)) {
			close(fd);
			return because(why, "%s at frame 0x%llx: %s",
				       KPAGEFLAGS, (unsigned long long)pfn[i],
				       strerror(errno));
		}
		if (!i)
			first = ram_type(flags);
		wc += !strcmp(ram_type(flags), "write-combining");
	}
	close(fd);
	because(why, "%zu pages in %zu physical runs from 0x%llx: %zu of them write-combining, the first %s",
		pages, runs, (unsigned long long)pfn[0] * page_size(), wc,
		first);
	return wc == pages;
}

/*
 * The memory type of the CPU mapping p of the ALLOC buffer, while it is
 * mapped, as x86's PAT tracks it: by its frames when pagemap shows them;
 * otherwise (a mapping of PFNs) by the write-combining memory the PAT
 * gained since before the ALLOC, pages of RAM and ranges of other memory,
 * which must cover the buffer. x86 maps a page of RAM with the type its
 * flags hold, whatever the mapping asked for (and says so in the kernel
 * log). A mapping of WC memory must be write-combining; of other memory,
 * the type is shown.
 */
static void check_memtype(const char *mem_name, uint32_t mem,
			  const struct pat_view *before, const void *p,
			  size_t size)
{
	size_t pages = size / page_size();
	uint64_t *pfn = calloc(pages, sizeof(*pfn));
	struct why why = { "" }, frames = { "" };
	struct pat_view now;
	unsigned long long gained = 0, ram, other;
	bool wc = false;
	char name[160];

	snprintf(name, sizeof(name),
		 "the CPU mapping of %s memory is write-combining (x86 PAT)",
		 mem_name);
	if (!pfn || !before->read || !read_pat_view(&now, &why)) {
		if (!pfn || !before->read)
			because(&why, "out of memory, or the PAT unread before the ALLOC");
		if (mem == HYPER_DMABUF_MEM_WC)
			check(name, false, "cannot tell: %s", why.text);
		else
			printf("# %s memory: type unknown: %s\n", mem_name,
			       why.text);
		goto out;
	}
	if (mapping_frames(p, pages, pfn, &frames)) {
		wc = frames_wc(pfn, pages, &why);
	} else {
		printf("# %s memory: %s\n", mem_name, frames.text);
		ram = now.wc_ram_pages > before->wc_ram_pages ?
		      now.wc_ram_pages - before->wc_ram_pages : 0;
		other = now.wc_other_bytes > before->wc_other_bytes ?
			now.wc_other_bytes - before->wc_other_bytes : 0;
		gained = ram * page_size() + other;
		because(&why, "write-combining since before the ALLOC: %llu more pages of RAM (%llu then), %llu more bytes of other memory; the buffer is %zu bytes",
			ram, before->wc_ram_pages, other, size);
		wc = gained >= size;
	}
	printf("# %s memory: %s\n", mem_name, why.text);
	if (mem == HYPER_DMABUF_MEM_WC)
		check(name, wc, "%s", why.text);
out:
	free(pfn);
}

/*
 * Fill and read back through one read-write mapping, between SYNCs; with
 * before (what the PAT said before the ALLOC), its memory type is looked
 * at while it is mapped.
 */
static void fill_and_read(int fd, size_t size, uint32_t seed,
			  const char *mem_name, uint32_t mem,
			  const struct pat_view *before)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	struct why why = { "" };
	int ret;

	if (!check("mmap read-write", p != MAP_FAILED, "%s", strerror(errno)))
		return;
	ret = buf_sync(fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW);
	expect_errno("DMA_BUF_IOCTL_SYNC start", ret, 0);
	fill_pattern(p, size, seed);
	check("the mapping reads back what was written",
	      check_pattern(p, size, seed, &why), "%s", why.text);
	ret = buf_sync(fd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW);
	expect_errno("DMA_BUF_IOCTL_SYNC end", ret, 0);
	if (before)
		check_memtype(mem_name, mem, before, p, size);
	munmap(p, size);
	check("a second, read-only mapping reads the same bytes",
	      verify_fd(fd, size, seed, &why), "%s", why.text);
}

/*
 * DMA memory has no page reference counts to lend pages by: EXPORT of it
 * is refused, while system pages export (to this domain, loopback).
 */
static void export_dma_refused(struct hdmabuf_ctx *ctx, int fd, uint32_t mem)
{
	struct hdmabuf_export *e = hdmabuf_ctx_export(ctx, fd,
						      HDMABUF_DOMID_SELF, 0,
						      NULL);
	int ret = e ? 0 : errno;

	if (mem) {
		expect_errno("EXPORT of DMA memory -> EOPNOTSUPP", ret,
			     EOPNOTSUPP);
	} else if (expect_errno("EXPORT of system pages succeeds", ret, 0)) {
		ret = hdmabuf_ctx_unexport(ctx, hdmabuf_export_get_id(e), 0);
		expect_errno("and UNEXPORT", lib_result(ret), 0);
	}
	hdmabuf_export_free(e);
}

/*
 * --vgem: vgem imports the buffer, which attaches and maps it for a real
 * device through the platform's DMA layer (swiotlb-xen in a PV domain).
 */
static void vgem_imports(int fd)
{
	struct tdrm_prime_handle h = { .fd = fd };
	char why[128] = "";
	int card = open_vgem(NULL, why, sizeof(why));
	int ret;

	if (!check("vgem is there", card >= 0, "%s", why))
		return;
	ret = xioctl(card, TDRM_IOCTL_PRIME_FD_TO_HANDLE, &h);
	if (expect_errno("vgem imports the buffer (PRIME: attached, mapped for DMA)",
			 ret, 0))
		gem_close(card, h.handle);
	close(card);
}

static int alloc_mem(const struct opts *o)
{
	size_t page = page_size();
	unsigned long long want = (o->size + page - 1) / page * page;
	struct pat_view before = { 0, 0, false };
	struct why why = { "" };
	struct hdmabuf_ctx *ctx;
	char name[128];
	struct buf b;
	int ret;

	ctx = open_ctx(o->device);
	/* the PAT's memory types before the ALLOC, to see what it adds */
	if (o->memtype && !read_pat_view(&before, &why))
		printf("# before the ALLOC: %s\n", why.text);
	ret = alloc_mem_buf(ctx, o->size, o->mem, &b);
	snprintf(name, sizeof(name), "ALLOC %llu bytes of %s memory%s%s",
		 o->size, o->mem_name, o->expect_errno ? " -> " : "",
		 o->expect_errno ? o->expect_errno : "");
	if (o->expect_errno) {
		expect_errno(name, ret, errno_by_name(o->expect_errno));
		if (!ret)
			close(b.fd);
	} else if (expect_errno(name, ret, 0)) {
		check("its size (lseek SEEK_END) is rounded up to whole pages",
		      b.size == want, "%zu, expected %llu", b.size, want);
		fill_and_read(b.fd, b.size, o->seed, o->mem_name, o->mem,
			      o->memtype ? &before : NULL);
		if (o->vgem)
			vgem_imports(b.fd);
		export_dma_refused(ctx, b.fd, o->mem);
		close(b.fd);
	}
	expect_errno("ALLOC with both WC and COHERENT -> EINVAL",
		     try_alloc_mem(ctx, o->size, MEM_BOTH), EINVAL);
	/* no CMA area in Debian's kernel: the DMA layer has no 64 MiB in one piece */
	if (o->mem && !o->expect_errno)
		expect_errno("ALLOC of 64 MiB of that memory -> ENOMEM",
			     try_alloc_mem(ctx, 64 << 20, o->mem), ENOMEM);
	hdmabuf_ctx_close(ctx);
	return test_summary();
}

static int not_xen(const struct opts *o)
{
	struct hyper_dmabuf_caps caps;
	struct hdmabuf_ctx *ctx;
	uint32_t ref = 8;
	struct buf b;
	int ret;

	ctx = open_ctx(o->device);
	get_caps(hdmabuf_ctx_get_fd(ctx), &caps);
	if (caps.flags & HYPER_DMABUF_CAPS_XEN) {
		setup_failed("not-xen", "the module says it runs on Xen");
		return test_summary();
	}
	expect_errno("EXP_FROM_REFS off Xen -> ENODEV",
		     try_exp_from_refs(ctx, 1, 0, 1, &ref), ENODEV);
	expect_errno("EXP_WAIT_RELEASED off Xen -> ENODEV",
		     wait_released(ctx, 3, 100), ENODEV);
	expect_errno("IMP_RELEASE off Xen -> ENODEV", imp_release(ctx, 3),
		     ENODEV);
	ret = alloc_mem_buf(ctx, page_size(), 0, &b);
	if (!ret) {
		expect_errno("IMP_TO_REFS off Xen -> ENODEV",
			     try_imp_to_refs(ctx, 1, b.fd, 1, 0, &ref), ENODEV);
		close(b.fd);
	} else {
		setup_failed("IMP_TO_REFS off Xen", "ALLOC: %s", strerror(ret));
	}
	hdmabuf_ctx_close(ctx);
	return test_summary();
}

/* ---- main ---------------------------------------------------------------- */

/* The modes that play the other domain need no /dev/hyper_dmabuf. */
static void start_xen_side(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
}

int main(int argc, char **argv)
{
	struct opts o = { .device = DEFAULT_DEVICE };
	const struct test_command command = {
		.synopsis =
			"hdmabuf-test-grefs gntshr-serve --to DOMID --pages N --seed S [--expect-seed S2]\n"
			"       hdmabuf-test-grefs map --from DOMID --refs R1,... --seed S [--mem wc|coherent] [--then CMD] [--expect-seed S2] [--hold] [--write S3] [--expect-errno NAME]\n"
			"       hdmabuf-test-grefs bad-refs --from DOMID --ref R [--other DOMID2 --other-ref R2]\n"
			"       hdmabuf-test-grefs imp-to-refs --to DOMID --pages N --seed S [--vgem] [--ro] [--then CMD] [--expect-seed S2]\n"
			"       hdmabuf-test-grefs refs-quota --to DOMID --pages N\n"
			"       hdmabuf-test-grefs gnttab-check --from DOMID --refs R1,... --seed S [--write S2] [--hold]\n"
			"       hdmabuf-test-grefs alloc-mem --mem wc|coherent|system --size BYTES --seed S [--vgem] [--memtype] [--expect-errno NAME]\n"
			"       hdmabuf-test-grefs not-xen",
		.about = "The Xen grant-reference calls of libhyperdmabuf, with Xen's\n"
			 "libxengnttab playing the other domain.",
		.device = &o.device,
		.max_operands = 1,	/* the mode */
		.options = (const struct test_option[]){
			NUMBER_OPTION("to", "DOMID", &o.domid, UINT32_MAX,
				      &o.has_domid, "the other domain"),
			NUMBER_OPTION("from", "DOMID", &o.domid, UINT32_MAX,
				      &o.has_domid, "the same as --to"),
			NUMBER_OPTION("other", "DOMID2", &o.other, UINT32_MAX,
				      &o.has_other, "bad-refs: a second domain"),
			NUMBER_OPTION("other-ref", "R2", &o.other_ref,
				      UINT32_MAX, &o.has_other_ref,
				      "bad-refs: a ref of DOMID2"),
			NUMBER_OPTION("pages", "N", &o.pages,
				      HYPER_DMABUF_XEN_REFS_MAX, NULL,
				      "the buffer's size in pages"),
			NUMBER_OPTION("size", "BYTES", &o.size, 0, NULL,
				      "the buffer's size"),
			NUMBER_OPTION("seed", "S", &o.seed, 0, NULL,
				      "the pattern it holds"),
			NUMBER_OPTION("expect-seed", "S2", &o.expect_seed, 0,
				      &o.has_expect,
				      "the pattern it holds at the end"),
			NUMBER_OPTION("write", "S3", &o.write_seed, 0,
				      &o.has_write, "fill it with the pattern of S3"),
			STRING_OPTION("refs", "R1,...", &o.refs,
				      "the grant references, or @FILE"),
			NUMBER_OPTION("ref", "R", &o.ref, UINT32_MAX, &o.has_ref,
				      "bad-refs: one grant reference"),
			CALL_OPTION("mem", "wc|coherent|system", parse_mem, &o,
				    "the memory type asked for"),
			STRING_OPTION("then", "CMD", &o.then,
				      "run CMD once the buffer is shared"),
			STRING_OPTION("expect-errno", "NAME", &o.expect_errno,
				      "the call must fail with errno NAME"),
			FLAG_OPTION("hold", &o.hold,
				    "keep the mapping until SIGUSR1"),
			FLAG_OPTION("vgem", &o.vgem, "a vgem buffer takes part"),
			FLAG_OPTION("ro", &o.ro, "export read-only"),
			FLAG_OPTION("memtype", &o.memtype,
				    "alloc-mem: check the mapping's memory type"),
			{ NULL }
		},
	};
	const char *mode;
	int arg = parse_command_line(&command, argc, argv, 1);

	if (arg == argc)
		bad_usage();
	mode = argv[arg];
	if (o.expect_errno)
		errno_by_name(o.expect_errno);	/* a typo is a usage error */
	if (!strcmp(mode, "gntshr-serve") && o.has_domid && o.pages) {
		start_xen_side();
		return gntshr_serve(&o);
	}
	if (!strcmp(mode, "gnttab-check") && o.has_domid && o.refs) {
		start_xen_side();
		return gnttab_check(&o);
	}
	test_start(o.device);
	if (!strcmp(mode, "map") && o.has_domid && o.refs &&
	    (!o.then || o.has_expect))
		return map(&o);
	if (!strcmp(mode, "bad-refs") && o.has_domid && o.has_ref)
		return bad_refs(&o);
	if (!strcmp(mode, "imp-to-refs") && o.has_domid && o.pages)
		return imp_to_refs(&o);
	if (!strcmp(mode, "refs-quota") && o.has_domid && o.pages)
		return refs_quota(&o);
	if (!strcmp(mode, "alloc-mem") && o.mem_name && o.size)
		return alloc_mem(&o);
	if (!strcmp(mode, "not-xen"))
		return not_xen(&o);
	bad_usage();
}
