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
 *   bad-refs --from DOMID --ref R [--other DOMID2]
 *     The errors of the four calls; R is one ref DOMID granted to this
 *     domain, DOMID2 another domain, which did not grant it.
 *
 *   imp-to-refs --to DOMID --pages N --seed S [--vgem] [--ro]
 *       [--then CMD] [--expect-seed S2]
 *     A buffer of N pages (ALLOC, or with --vgem a vgem dumb buffer)
 *     holding the pattern of S, granted to DOMID by IMP_TO_REFS (read-only
 *     with --ro); print "refs R1,...". --then runs CMD, each @REFS@ in it
 *     replaced by the refs, which must exit 0; --expect-seed then checks
 *     the buffer holds S2. Then IMP_RELEASE, twice (ENOENT).
 *
 *   gnttab-check --from DOMID --refs R1,... --seed S [--write S2] [--hold]
 *     Map the refs with xengnttab (read-only unless --write), check the
 *     pattern of S, with --write fill them with S2; with --hold print
 *     "mapped", wait for SIGUSR1 and check the pages again (the granting
 *     domain may have ended its grants meanwhile: the pages must stay).
 *     Then unmap.
 *
 *   alloc-mem --mem wc|coherent|system --size BYTES --seed S [--vgem]
 *     ALLOC with that memory, check its size, fill and read it back; with
 *     --vgem, vgem imports it; EXPORT of DMA memory: EOPNOTSUPP; ALLOC
 *     with both MEM flags: EINVAL.
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
#include <getopt.h>
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
	unsigned long domid, other, pages, ref;
	unsigned long long size;
	uint32_t seed, expect_seed, write_seed, mem;
	bool has_domid, has_other, has_ref, has_expect, has_write;
	bool hold, vgem, ro;
};

/* A list of grant references */
struct refs {
	uint32_t *v;
	uint32_t n;
};

static void __attribute__((noreturn)) usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s gntshr-serve --to DOMID --pages N --seed S [--expect-seed S2]\n"
		"       %s map --from DOMID --refs R1,... --seed S [--mem wc|coherent] [--then CMD] [--expect-seed S2] [--hold] [--write S3] [--expect-errno NAME]\n"
		"       %s bad-refs --from DOMID --ref R [--other DOMID2]\n"
		"       %s imp-to-refs --to DOMID --pages N --seed S [--vgem] [--ro] [--then CMD] [--expect-seed S2]\n"
		"       %s gnttab-check --from DOMID --refs R1,... --seed S [--write S2] [--hold]\n"
		"       %s alloc-mem --mem wc|coherent|system --size BYTES --seed S [--vgem]\n"
		"       %s not-xen\n",
		prog, prog, prog, prog, prog, prog, prog);
	exit(EXIT_USAGE);
}

static unsigned long long number(const char *prog, const char *s,
				 unsigned long long max)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || end == s || *s == '-' || v > max) {
		fprintf(stderr, "%s: not a number up to %llu: '%s'\n", prog,
			max, s);
		usage(prog);
	}
	return v;
}

static uint32_t mem_flag(const char *prog, const char *name)
{
	if (!strcmp(name, "wc"))
		return HYPER_DMABUF_MEM_WC;
	if (!strcmp(name, "coherent"))
		return HYPER_DMABUF_MEM_COHERENT;
	if (!strcmp(name, "system"))
		return 0;
	fprintf(stderr, "%s: --mem: wc, coherent or system, not '%s'\n", prog,
		name);
	usage(prog);
}

static void parse(struct opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "from", required_argument, NULL, 't' },
		{ "other", required_argument, NULL, 'o' },
		{ "pages", required_argument, NULL, 'p' },
		{ "size", required_argument, NULL, 's' },
		{ "seed", required_argument, NULL, 'n' },
		{ "expect-seed", required_argument, NULL, 'e' },
		{ "write", required_argument, NULL, 'w' },
		{ "refs", required_argument, NULL, 'R' },
		{ "ref", required_argument, NULL, 'r' },
		{ "mem", required_argument, NULL, 'm' },
		{ "then", required_argument, NULL, 'T' },
		{ "expect-errno", required_argument, NULL, 'E' },
		{ "hold", no_argument, NULL, 'h' },
		{ "vgem", no_argument, NULL, 'v' },
		{ "ro", no_argument, NULL, 'O' },
		{ "device", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 }
	};
	const char *prog = argv[0];
	int c;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			o->domid = number(prog, optarg, UINT32_MAX);
			o->has_domid = true;
			break;
		case 'o':
			o->other = number(prog, optarg, UINT32_MAX);
			o->has_other = true;
			break;
		case 'p':
			o->pages = number(prog, optarg,
					  HYPER_DMABUF_XEN_REFS_MAX);
			break;
		case 's':
			o->size = number(prog, optarg, ULLONG_MAX);
			break;
		case 'n':
			o->seed = number(prog, optarg, UINT32_MAX);
			break;
		case 'e':
			o->expect_seed = number(prog, optarg, UINT32_MAX);
			o->has_expect = true;
			break;
		case 'w':
			o->write_seed = number(prog, optarg, UINT32_MAX);
			o->has_write = true;
			break;
		case 'R':
			o->refs = optarg;
			break;
		case 'r':
			o->ref = number(prog, optarg, UINT32_MAX);
			o->has_ref = true;
			break;
		case 'm':
			o->mem = mem_flag(prog, optarg);
			o->mem_name = optarg;
			break;
		case 'T':
			o->then = optarg;
			break;
		case 'E':
			o->expect_errno = optarg;
			errno_by_name(optarg);	/* a typo is a usage error */
			break;
		case 'h':
			o->hold = true;
			break;
		case 'v':
			o->vgem = true;
			break;
		case 'O':
			o->ro = true;
			break;
		case 'd':
			o->device = optarg;
			break;
		default:
			usage(prog);
		}
	}
	if (optind < argc)
		usage(prog);
}

/* ---- small helpers ------------------------------------------------------- */

static size_t page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

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

static int wait_released(int dev, int fd, __u32 timeout_ms)
{
	struct hyper_dmabuf_xen_exp_wait_released w = {
		.fd = fd, .timeout_ms = timeout_ms
	};

	return xioctl(dev, HYPER_DMABUF_IOCTL_XEN_EXP_WAIT_RELEASED, &w);
}

static int imp_release(int dev, int fd)
{
	struct hyper_dmabuf_xen_imp_release r = { .fd = fd };

	return xioctl(dev, HYPER_DMABUF_IOCTL_XEN_IMP_RELEASE, &r);
}

/* The try_ calls undo a success, so that a wrong answer leaves nothing. */
static int try_exp_from_refs(int dev, void *arg)
{
	struct hyper_dmabuf_xen_exp_from_refs *x = arg;
	int ret = xioctl(dev, HYPER_DMABUF_IOCTL_XEN_EXP_FROM_REFS, x);

	if (!ret)
		close(x->fd);
	return ret;
}

static int try_imp_to_refs(int dev, void *arg)
{
	struct hyper_dmabuf_xen_imp_to_refs *x = arg;
	int ret = xioctl(dev, HYPER_DMABUF_IOCTL_XEN_IMP_TO_REFS, x);

	if (!ret)
		imp_release(dev, x->fd);
	return ret;
}

static struct hyper_dmabuf_xen_exp_from_refs
exp_args(__u32 flags, __u32 count, __u32 domid, const uint32_t *refs)
{
	struct hyper_dmabuf_xen_exp_from_refs x = {
		.flags = flags, .count = count, .domid = domid,
		.fd = -1, .refs = uptr(refs),
	};

	return x;
}

static struct hyper_dmabuf_xen_imp_to_refs
imp_args(int fd, __u32 count, __u32 domid, __u32 flags, uint32_t *refs)
{
	struct hyper_dmabuf_xen_imp_to_refs x = {
		.fd = fd, .count = count, .domid = domid, .flags = flags,
		.refs = uptr(refs),
	};

	return x;
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
	int dev, fd, ret;
	atomic_bool done;
};

static void *wait_released_thread(void *arg)
{
	struct waiter *w = arg;

	w->ret = wait_released(w->dev, w->fd, 5000);
	atomic_store(&w->done, true);
	return NULL;
}

/*
 * EXP_WAIT_RELEASED: a dma-buf lives while a mapping does, its fd closed
 * or not; a waiter wakes once the last user let go, and after that the
 * export is gone (ENOENT), as with the kernel's gntdev.
 */
static void wait_released_checks(int dev, int fd, void *p, size_t size)
{
	struct waiter w = { .dev = dev, .fd = fd };
	pthread_t thread;
	int ret;

	close(fd);
	expect_errno("EXP_WAIT_RELEASED 300 ms, fd closed, mapping live -> ETIMEDOUT",
		     wait_released(dev, fd, 300), ETIMEDOUT);
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
		     wait_released(dev, fd, 100), ENOENT);
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
static void use_mapped(const struct opts *o, int dev, int fd, size_t size)
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
	wait_released_checks(dev, fd, p, size);
}

static int map(const struct opts *o)
{
	struct hyper_dmabuf_xen_exp_from_refs x;
	struct refs r = { NULL, 0 };
	char name[128];
	int dev, ret;

	if (!parse_refs(o->refs, &r)) {
		fprintf(stderr, "--refs: not a list of refs: '%s'\n", o->refs);
		exit(EXIT_USAGE);
	}
	dev = open_device(o->device);
	x = exp_args(o->mem, r.n, o->domid, r.v);
	ret = xioctl(dev, HYPER_DMABUF_IOCTL_XEN_EXP_FROM_REFS, &x);
	snprintf(name, sizeof(name),
		 "EXP_FROM_REFS of %u refs of domain %lu%s%s", r.n, o->domid,
		 o->mem_name ? ", memory " : "", o->mem_name ? o->mem_name : "");
	if (o->expect_errno) {
		snprintf(name + strlen(name), sizeof(name) - strlen(name),
			 " -> %s", o->expect_errno);
		expect_errno(name, ret, errno_by_name(o->expect_errno));
		if (!ret)
			close(x.fd);
	} else if (expect_errno(name, ret, 0)) {
		use_mapped(o, dev, x.fd, (size_t)r.n * page_size());
	}
	close(dev);
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

/* The domain that granted ref, the one that did not, and the absent one */
static void exp_domain_errors(int dev, const struct opts *o, uint32_t ref)
{
	struct hyper_dmabuf_xen_exp_from_refs x;
	int ret;

	x = exp_args(0, 1, DOMID_ABSENT, &ref);
	expect_errno("EXP_FROM_REFS from a domain that does not exist -> ESRCH",
		     try_exp_from_refs(dev, &x), ESRCH);
	if (!o->has_other) {
		printf("# skip: EXP_FROM_REFS from a domain that did not grant the ref: no --other\n");
		return;
	}
	x = exp_args(0, 1, o->other, &ref);
	ret = try_exp_from_refs(dev, &x);
	printf("# EXP_FROM_REFS of ref %u as if domain %lu granted it: %s\n",
	       ref, o->other, result_name(ret));
	check("EXP_FROM_REFS from a domain that did not grant the ref -> ENOENT",
	      ret == ENOENT, "got %s", result_name(ret));
}

static void exp_from_refs_errors(int dev, const struct opts *o,
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
	struct hyper_dmabuf_xen_exp_from_refs x;
	char name[160];
	size_t i;

	x = exp_args(0, 1, from, &ref);
	if (!expect_errno("EXP_FROM_REFS of the one good ref succeeds (the control)",
			  try_exp_from_refs(dev, &x), 0))
		printf("# the checks below may fail for this reason\n");
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		x = exp_args(cases[i].flags, cases[i].count, cases[i].domid,
			     cases[i].refs);
		snprintf(name, sizeof(name), "EXP_FROM_REFS %s", cases[i].name);
		expect_errno(name, try_exp_from_refs(dev, &x), cases[i].want);
	}
	x = exp_args(0, 1, from, &ref);
	EXPECT_ZERO_FIELDS("EXP_FROM_REFS", dev, try_exp_from_refs, &x,
			   hyper_dmabuf_xen_exp_from_refs, MEM_BOTH,
			   NO_RESERVED0);
	if (caps->xen_type == HYPER_DMABUF_XEN_PV) {
		x = exp_args(HYPER_DMABUF_MEM_WC, 1, from, &ref);
		expect_errno("EXP_FROM_REFS flags WC in a PV domain -> EOPNOTSUPP",
			     try_exp_from_refs(dev, &x), EOPNOTSUPP);
	}
	exp_domain_errors(dev, o, ref);
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

static void imp_release_checks(int dev, int fd, uint32_t *room, __u32 to)
{
	struct hyper_dmabuf_xen_imp_to_refs x = imp_args(fd, 2, to, 0, room);
	struct hyper_dmabuf_xen_imp_release r = { .fd = fd, .reserved = 1 };

	expect_errno("IMP_RELEASE of a fd number never given -> ENOENT",
		     imp_release(dev, FD_NEVER_GIVEN), ENOENT);
	if (!expect_errno("IMP_TO_REFS of a 2-page ALLOC buffer succeeds (the control)",
			  xioctl(dev, HYPER_DMABUF_IOCTL_XEN_IMP_TO_REFS, &x),
			  0))
		return;
	expect_errno("IMP_RELEASE reserved non-zero -> EINVAL",
		     xioctl(dev, HYPER_DMABUF_IOCTL_XEN_IMP_RELEASE, &r),
		     EINVAL);
	expect_errno("IMP_RELEASE of it succeeds", imp_release(dev, fd), 0);
}

static void imp_to_refs_errors(int dev, const struct opts *o,
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

	ret = alloc_buf(dev, 2 * page_size(), &b);
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
			x = imp_args(cases[i].fd, cases[i].count,
				     cases[i].domid, 0, cases[i].refs);
			snprintf(name, sizeof(name), "IMP_TO_REFS %s",
				 cases[i].name);
			expect_errno(name, try_imp_to_refs(dev, &x),
				     cases[i].want);
		}
		/* no try_: a grant the EFAULT left behind would be released */
		expect_errno("IMP_RELEASE after that EFAULT -> ENOENT (nothing left granted)",
			     imp_release(dev, b.fd), ENOENT);
		close(nb.pipe[0]);
		close(nb.pipe[1]);
		close(nb.null);
	}
	x = imp_args(b.fd, 2, to, 0, room);
	EXPECT_ZERO_FIELDS("IMP_TO_REFS", dev, try_imp_to_refs, &x,
			   hyper_dmabuf_xen_imp_to_refs,
			   HYPER_DMABUF_XEN_GRANT_RO, NO_RESERVED0);
	imp_release_checks(dev, b.fd, room, to);
	close(b.fd);
}

static void wait_released_errors(int dev)
{
	struct hyper_dmabuf_xen_exp_wait_released w = {
		.fd = FD_NEVER_GIVEN, .timeout_ms = 100, .reserved = 1
	};

	expect_errno("EXP_WAIT_RELEASED of a fd number never exported -> ENOENT",
		     wait_released(dev, FD_NEVER_GIVEN, 100), ENOENT);
	expect_errno("EXP_WAIT_RELEASED timeout_ms 60001 -> EINVAL",
		     wait_released(dev, FD_NEVER_GIVEN,
				   WAIT_RELEASED_MAX_MS + 1), EINVAL);
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
	uint32_t i;
	int dev;

	if (!room) {
		setup_failed("bad-refs", "out of memory");
		return test_summary();
	}
	dev = open_device(o->device);
	get_caps(dev, &caps);
	for (i = 0; i <= HYPER_DMABUF_XEN_REFS_MAX; i++)
		room[i] = o->ref;
	exp_from_refs_errors(dev, o, &caps, room);
	imp_to_refs_errors(dev, o, &caps, room);
	wait_released_errors(dev);
	close(dev);
	free(room);
	return test_summary();
}

/* ---- imp-to-refs --------------------------------------------------------- */

/*
 * A vgem dumb buffer of pages, filled with the pattern of seed through
 * vgem's own mapping, as a dma-buf by PRIME with prime_flags. Only the
 * dma-buf is kept: it holds the object.
 */
static bool vgem_buf(int card, size_t pages, __u32 prime_flags, uint32_t seed,
		     struct buf *b)
{
	struct tdrm_mode_create_dumb dumb = {
		.width = page_size() / 4, .height = pages, .bpp = 32
	};
	struct tdrm_mode_map_dumb map = { 0 };
	struct tdrm_prime_handle prime = { .flags = prime_flags, .fd = -1 };
	void *p = MAP_FAILED;
	int ret;

	ret = xioctl(card, TDRM_IOCTL_MODE_CREATE_DUMB, &dumb);
	if (ret)
		return setup_failed("vgem buffer", "CREATE_DUMB: %s",
				    strerror(ret));
	map.handle = prime.handle = dumb.handle;
	ret = xioctl(card, TDRM_IOCTL_MODE_MAP_DUMB, &map);
	if (!ret) {
		p = mmap(NULL, dumb.size, PROT_READ | PROT_WRITE, MAP_SHARED,
			 card, (off_t)map.offset);
		ret = p == MAP_FAILED ? errno : 0;
	}
	if (!ret) {
		fill_pattern(p, dumb.size, seed);
		munmap(p, dumb.size);
		ret = xioctl(card, TDRM_IOCTL_PRIME_HANDLE_TO_FD, &prime);
	}
	gem_close(card, dumb.handle);
	if (ret)
		return setup_failed("vgem buffer", "map, fill, export: %s",
				    strerror(ret));
	b->fd = prime.fd;
	b->size = dumb.size;
	return true;
}

/* The buffer to grant: vgem's or ALLOC's, holding the pattern of seed */
static bool source_buf(const struct opts *o, int dev, int card, struct buf *b)
{
	size_t size = o->pages * page_size();

	if (card < 0)
		return new_filled_buf(dev, "imp-to-refs", size, o->seed, b);
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
static void read_only_checks(const struct opts *o, int dev, int card)
{
	struct hyper_dmabuf_xen_imp_to_refs x;
	uint32_t ref;
	struct buf b;

	if (card < 0) {
		printf("# skip: IMP_TO_REFS of a read-only dma-buf fd: needs --vgem\n");
		return;
	}
	if (!vgem_buf(card, 1, TDRM_CLOEXEC, o->seed, &b))
		return;
	if (!check("vgem's PRIME export without DRM_RDWR is read-only",
		   (fcntl(b.fd, F_GETFL) & O_ACCMODE) == O_RDONLY,
		   "fcntl F_GETFL: 0x%x", fcntl(b.fd, F_GETFL))) {
		close(b.fd);
		return;
	}
	x = imp_args(b.fd, 1, o->domid, 0, &ref);
	expect_errno("IMP_TO_REFS of a read-only dma-buf fd, writable grants -> EACCES",
		     try_imp_to_refs(dev, &x), EACCES);
	x = imp_args(b.fd, 1, o->domid, HYPER_DMABUF_XEN_GRANT_RO, &ref);
	expect_errno("IMP_TO_REFS of it with GRANT_RO succeeds",
		     try_imp_to_refs(dev, &x), 0);
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

static void grant_buf(const struct opts *o, int dev, const struct buf *b,
		      uint32_t *refs)
{
	struct hyper_dmabuf_xen_imp_to_refs x = imp_args(b->fd, o->pages,
		o->domid, o->ro ? HYPER_DMABUF_XEN_GRANT_RO : 0, refs);
	struct why why = { "" };
	char name[128];

	snprintf(name, sizeof(name), "IMP_TO_REFS of %lu pages to domain %lu%s",
		 o->pages, o->domid, o->ro ? ", read-only" : "");
	if (!expect_errno(name, xioctl(dev, HYPER_DMABUF_IOCTL_XEN_IMP_TO_REFS,
				       &x), 0))
		return;
	print_refs(refs, o->pages);
	if (o->then)
		run_then_with_refs(o->then, refs, o->pages);
	if (o->has_expect)
		check("the buffer holds what the other domain wrote",
		      verify_fd(b->fd, b->size, o->expect_seed, &why), "%s",
		      why.text);
	expect_errno("IMP_RELEASE succeeds", imp_release(dev, b->fd), 0);
	expect_errno("IMP_RELEASE again -> ENOENT", imp_release(dev, b->fd),
		     ENOENT);
}

static int imp_to_refs(const struct opts *o)
{
	uint32_t *refs = calloc(o->pages, sizeof(*refs));
	char why[128] = "";
	int dev, card = -1;
	struct buf b;

	dev = open_device(o->device);
	if (!refs)
		setup_failed("imp-to-refs", "out of memory");
	if (o->vgem) {
		card = open_vgem(NULL, why, sizeof(why));
		if (card < 0)
			setup_failed("imp-to-refs", "vgem: %s", why);
	}
	if (refs && (card >= 0 || !o->vgem) && source_buf(o, dev, card, &b)) {
		grant_buf(o, dev, &b, refs);
		close(b.fd);
		read_only_checks(o, dev, card);
	}
	if (card >= 0)
		close(card);
	close(dev);
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

/* Fill and read back through one read-write mapping, between SYNCs. */
static void fill_and_read(int fd, size_t size, uint32_t seed)
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
	munmap(p, size);
	check("a second, read-only mapping reads the same bytes",
	      verify_fd(fd, size, seed, &why), "%s", why.text);
}

/*
 * DMA memory has no page reference counts to lend pages by: EXPORT of it
 * is refused, while system pages export (to this domain, loopback).
 */
static void export_dma_refused(int dev, int fd, uint32_t mem)
{
	struct hyper_dmabuf_export e = {
		.fd = fd,
		.peer = HYPER_DMABUF_DOMID_SELF,
	};
	struct hyper_dmabuf_unexport u = { 0 };
	int ret = xioctl(dev, HYPER_DMABUF_IOCTL_EXPORT, &e);

	if (mem) {
		expect_errno("EXPORT of DMA memory -> EOPNOTSUPP", ret,
			     EOPNOTSUPP);
		return;
	}
	if (expect_errno("EXPORT of system pages succeeds", ret, 0)) {
		u.id = e.id;
		expect_errno("and UNEXPORT", xioctl(dev, HYPER_DMABUF_IOCTL_UNEXPORT,
						    &u), 0);
	}
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
	struct hyper_dmabuf_alloc a = { .size = o->size, .flags = o->mem };
	struct hyper_dmabuf_alloc both = { .size = o->size, .flags = MEM_BOTH };
	struct hyper_dmabuf_alloc huge = { .size = 64 << 20, .flags = o->mem };
	size_t page = page_size();
	unsigned long long want = (o->size + page - 1) / page * page;
	char name[128];
	off_t end;
	int dev, ret;

	dev = open_device(o->device);
	ret = xioctl(dev, HYPER_DMABUF_IOCTL_ALLOC, &a);
	snprintf(name, sizeof(name), "ALLOC %llu bytes of %s memory", o->size,
		 o->mem_name);
	if (expect_errno(name, ret, 0)) {
		check("its size is rounded up to whole pages", a.size == want,
		      "%llu, expected %llu", (unsigned long long)a.size, want);
		end = lseek(a.fd, 0, SEEK_END);
		check("lseek SEEK_END gives that size", end == (off_t)a.size,
		      "%lld", (long long)end);
		fill_and_read(a.fd, a.size, o->seed);
		if (o->vgem)
			vgem_imports(a.fd);
		export_dma_refused(dev, a.fd, o->mem);
		close(a.fd);
	}
	expect_errno("ALLOC with both WC and COHERENT -> EINVAL",
		     try_alloc(dev, &both), EINVAL);
	/* no CMA area in Debian's kernel: the DMA layer has no 64 MiB in one piece */
	if (o->mem)
		expect_errno("ALLOC of 64 MiB of that memory -> ENOMEM",
			     try_alloc(dev, &huge), ENOMEM);
	close(dev);
	return test_summary();
}

static int not_xen(const struct opts *o)
{
	struct hyper_dmabuf_xen_exp_from_refs x;
	struct hyper_dmabuf_xen_imp_to_refs imp;
	struct hyper_dmabuf_caps caps;
	uint32_t ref = 8;
	struct buf b;
	int dev, ret;

	dev = open_device(o->device);
	get_caps(dev, &caps);
	if (caps.flags & HYPER_DMABUF_CAPS_XEN) {
		setup_failed("not-xen", "the module says it runs on Xen");
		return test_summary();
	}
	x = exp_args(0, 1, 1, &ref);
	expect_errno("EXP_FROM_REFS off Xen -> ENODEV",
		     try_exp_from_refs(dev, &x), ENODEV);
	expect_errno("EXP_WAIT_RELEASED off Xen -> ENODEV",
		     wait_released(dev, 3, 100), ENODEV);
	expect_errno("IMP_RELEASE off Xen -> ENODEV", imp_release(dev, 3),
		     ENODEV);
	ret = alloc_buf(dev, page_size(), &b);
	if (!ret) {
		imp = imp_args(b.fd, 1, 1, 0, &ref);
		expect_errno("IMP_TO_REFS off Xen -> ENODEV",
			     try_imp_to_refs(dev, &imp), ENODEV);
		close(b.fd);
	} else {
		setup_failed("IMP_TO_REFS off Xen", "ALLOC: %s", strerror(ret));
	}
	close(dev);
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
	const char *mode;

	if (argc < 2)
		usage(argv[0]);
	mode = argv[1];
	optind = 2;
	parse(&o, argc, argv);
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
	if (!strcmp(mode, "alloc-mem") && o.mem_name && o.size)
		return alloc_mem(&o);
	if (!strcmp(mode, "not-xen"))
		return not_xen(&o);
	usage(argv[0]);
}
