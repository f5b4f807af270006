// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hdmabuf-bench: one side of each measurement of ./lab bench
 * (tests/bench/bench.sh runs them in dom0 and a domU). Each figure is set
 * against what users would otherwise use, measured in the same boot: Xen's
 * own libxengntshr/libxengnttab for sharing pages, libxenvchan for
 * notifications. Every time is CLOCK_MONOTONIC around the call, in
 * microseconds; a figure is the median of its runs.
 *
 * Sharing side (the domU):
 *   share-time --to DOMID --pages N --runs R
 *     xengntshr_share_pages of N read-only pages, then xengntshr_unshare.
 *   export-time --to DOMID --pages N --runs R
 *     hdmabuf_ctx_alloc of N pages and hdmabuf_ctx_export (read-only),
 *     then hdmabuf_ctx_unexport and close.
 *   gntshr-hold --to DOMID --pages N
 *     share N pages (xengntshr), print "refs RANGES" (a-b,c,...), keep
 *     them shared until SIGTERM (at most 15 minutes).
 *   export-hold --to DOMID --pages N
 *     ALLOC and EXPORT N pages, print "id ID", keep them offered until
 *     SIGTERM (at most 15 minutes).
 *   sig-serve --to DOMID --rounds R
 *     a one-page export ("id ID"); R times: WAIT for 2k-1 (the importer's
 *     SIGNAL), SIGNAL 2k. Then wait up to 60 s for 2R+1 (the importer is
 *     done) and unexport.
 *   vchan-echo --peer DOMID --path XSPATH --rounds R
 *     a libxenvchan server at XSPATH; prints "ready", then R times reads
 *     one byte and sends it back.
 *   frames-serve --to DOMID --pages N --frames F
 *     a pool of 3 exports of N pages ("ids ID1,ID2,ID3"); frame f goes in
 *     buffer f % 3, its k-th use: SIGNAL 2k-1 (the frame is ready), and
 *     before the buffer's next use WAIT for 2k (the consumer let go).
 *   vchan-stream --peer DOMID --path XSPATH --pages N --frames F
 *     a libxenvchan server ("ready"); once the client sends a byte,
 *     writes F frames of N pages into the stream.
 *   scale-hold --to DOMID --live L --ids FILE --runs R
 *     L one-page exports kept live (their ids in FILE, one a line); with
 *     them live and settled (1 s + 2 ms each, for the peer to take their
 *     OFFERs), R times EXPORT one more and UNEXPORT it. Also the kernel
 *     memory per export: slab bytes before and after the L EXPORTs (their
 *     buffers allocated first). Prints "ready", keeps them until SIGTERM.
 *
 * Mapping side (dom0):
 *   gnttab-map --from DOMID --refs RANGES|@FILE [--pages N] --runs R
 *     xengnttab_map_domain_grant_refs (read-only), read one byte a page,
 *     xengnttab_unmap. @FILE: the refs are in FILE, as gntshr-hold
 *     prints them; --pages: there must be N refs.
 *   import-map ID --runs R
 *     hdmabuf_ctx_import, mmap (read-only), read one byte a page, munmap
 *     and hdmabuf_import_release.
 *   sig-ping ID --rounds R
 *     IMPORT, then R times: SIGNAL 2k-1, WAIT for 2k (the exporter's
 *     answer); then SIGNAL 2R+1.
 *   vchan-ping --domid DOMID --path XSPATH --rounds R
 *     a libxenvchan client of XSPATH; R times: send one byte, read one.
 *   frames-take IDS --pages N --frames F
 *     IMPORT and mmap the 3 exports (not timed), then for each frame WAIT
 *     for the producer's signal and SIGNAL it back: the time per frame
 *     from the first frame to the last, and dom0's CPU time per frame
 *     (/proc/stat: every CPU, kernel work included).
 *   vchan-take --domid DOMID --path XSPATH --pages N --frames F
 *     a libxenvchan client: sends one byte, reads F frames of N pages:
 *     the time and dom0's CPU time per frame.
 *   memcpy-time --pages N --runs R
 *     a local memcpy of N pages (both buffers touched first): the
 *     yardstick of a frame copy.
 *   scale-import --ids FILE --live L --runs R
 *     IMPORT L-1 of the L exports in FILE and keep them; with them live,
 *     R times IMPORT the remaining one and release it. Also the kernel
 *     memory per import, as scale-hold's.
 *
 * Output: one line per figure,
 *   bench FIGURE SIDE PAGES STEP median_us=M n=R [min_us=.. max_us=..]
 * or, for memory, bench FIGURE SIDE COUNT STEP bytes=B (PAGES is the
 * count of live exports in the scale figures),
 * or, when it could not be measured,
 *   bench FIGURE SIDE PAGES STEP failed WHY...
 * SIDE is "ours" or "xen" (the baseline); "# " lines are details. Exit 0
 * when every figure was measured, 1 when one failed, 2 on bad usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <hyperdmabuf.h>
#include <xengnttab.h>
#include <libxenvchan.h>

#define PAGE		4096UL
#define HOLD_LIMIT_S	900
#define WAIT_MS		30000

struct opts {
	unsigned long domid, pages, runs, rounds, frames, live;
	const char *refs, *path, *id, *ids;
	bool has_domid;
};

static volatile unsigned long sink;

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* Samples of one step. */
struct samples {
	double *v;
	unsigned long n;
};

static void samples_init(struct samples *s, unsigned long max)
{
	s->v = calloc(max ? max : 1, sizeof(*s->v));
	s->n = 0;
	if (!s->v) {
		perror("calloc");
		exit(1);
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void report(const char *fig, const char *side, unsigned long pages,
		   const char *step, struct samples *s)
{
	double med;

	if (!s->n)
		return;
	qsort(s->v, s->n, sizeof(*s->v), cmp_double);
	med = s->n % 2 ? s->v[s->n / 2] :
		(s->v[s->n / 2 - 1] + s->v[s->n / 2]) / 2;
	printf("bench %s %s %lu %s median_us=%.1f n=%lu min_us=%.1f max_us=%.1f\n",
	       fig, side, pages, step, med, s->n, s->v[0], s->v[s->n - 1]);
	fflush(stdout);
}

static void failed(const char *fig, const char *side, unsigned long pages,
		   const char *step, const char *why, int err)
{
	printf("bench %s %s %lu %s failed %s: %s\n", fig, side, pages, step,
	       why, strerror(err));
	fflush(stdout);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: hdmabuf-bench share-time|export-time --to DOMID --pages N --runs R\n"
		"       hdmabuf-bench gntshr-hold|export-hold --to DOMID --pages N\n"
		"       hdmabuf-bench sig-serve --to DOMID --rounds R\n"
		"       hdmabuf-bench vchan-echo --peer DOMID --path XSPATH --rounds R\n"
		"       hdmabuf-bench gnttab-map --from DOMID --refs RANGES|@FILE --runs R\n"
		"       hdmabuf-bench import-map ID --runs R\n"
		"       hdmabuf-bench sig-ping ID --rounds R\n"
		"       hdmabuf-bench vchan-ping --domid DOMID --path XSPATH --rounds R\n"
		"       hdmabuf-bench frames-serve --to DOMID --pages N --frames F\n"
		"       hdmabuf-bench vchan-stream --peer DOMID --path XSPATH --pages N --frames F\n"
		"       hdmabuf-bench frames-take ID1,ID2,ID3 --pages N --frames F\n"
		"       hdmabuf-bench vchan-take --domid DOMID --path XSPATH --pages N --frames F\n"
		"       hdmabuf-bench memcpy-time --pages N --runs R\n"
		"       hdmabuf-bench scale-hold --to DOMID --live L --ids FILE --runs R\n"
		"       hdmabuf-bench scale-import --ids FILE --live L --runs R\n");
	exit(2);
}

static unsigned long number(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || end == s) {
		fprintf(stderr, "hdmabuf-bench: not a number: '%s'\n", s);
		usage();
	}
	return v;
}

static void parse(struct opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "to", required_argument, NULL, 'd' },
		{ "from", required_argument, NULL, 'd' },
		{ "peer", required_argument, NULL, 'd' },
		{ "domid", required_argument, NULL, 'd' },
		{ "pages", required_argument, NULL, 'p' },
		{ "runs", required_argument, NULL, 'r' },
		{ "rounds", required_argument, NULL, 'R' },
		{ "refs", required_argument, NULL, 'f' },
		{ "path", required_argument, NULL, 'x' },
		{ "frames", required_argument, NULL, 'F' },
		{ "live", required_argument, NULL, 'L' },
		{ "ids", required_argument, NULL, 'I' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->runs = 10;
	o->rounds = 100;
	o->frames = 10;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			o->domid = number(optarg);
			o->has_domid = true;
			break;
		case 'p':
			o->pages = number(optarg);
			break;
		case 'r':
			o->runs = number(optarg);
			break;
		case 'R':
			o->rounds = number(optarg);
			break;
		case 'f':
			o->refs = optarg;
			break;
		case 'x':
			o->path = optarg;
			break;
		case 'F':
			o->frames = number(optarg);
			break;
		case 'L':
			o->live = number(optarg);
			break;
		case 'I':
			o->ids = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind < argc)
		o->id = argv[optind++];
	if (optind < argc || !o->runs || !o->rounds || !o->frames)
		usage();
}

/* Read one byte of each page: the first access. */
static void touch(const void *p, unsigned long pages)
{
	const volatile unsigned char *b = p;
	unsigned long i, sum = 0;

	for (i = 0; i < pages; i++)
		sum += b[i * PAGE];
	sink += sum;
}

/* Block SIGTERM and SIGINT, to take them with sigtimedwait. */
static sigset_t stop_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	return set;
}

static void wait_stop(sigset_t *set)
{
	struct timespec limit = { .tv_sec = HOLD_LIMIT_S };

	if (sigtimedwait(set, NULL, &limit) < 0)
		fprintf(stderr, "# no SIGTERM within %d s: giving up\n",
			HOLD_LIMIT_S);
}

/* "a-b,c,..." of refs, as ranges: a big share is mostly consecutive. */
static void print_refs(const uint32_t *refs, unsigned long n)
{
	unsigned long i = 0, j;

	printf("refs ");
	while (i < n) {
		for (j = i; j + 1 < n && refs[j + 1] == refs[j] + 1; j++)
			;
		if (j > i)
			printf("%s%u-%u", i ? "," : "", refs[i], refs[j]);
		else
			printf("%s%u", i ? "," : "", refs[i]);
		i = j + 1;
	}
	printf("\n");
	fflush(stdout);
}

/* Parse RANGES; returns the refs, their count in *n, NULL when malformed. */
static uint32_t *parse_refs(const char *s, unsigned long *n)
{
	unsigned long cap = 1024, a, b;
	uint32_t *v = malloc(cap * sizeof(*v));
	char *end;

	*n = 0;
	while (v && *s) {
		a = strtoul(s, &end, 10);
		if (end == s)
			goto bad;
		b = a;
		if (*end == '-') {
			s = end + 1;
			b = strtoul(s, &end, 10);
			if (end == s || b < a)
				goto bad;
		}
		for (; a <= b; a++) {
			if (*n == cap) {
				uint32_t *w = realloc(v, (cap *= 2) * sizeof(*v));

				if (!w)
					goto bad;
				v = w;
			}
			v[(*n)++] = a;
		}
		s = end;
		if (*s == ',')
			s++;
		else if (*s)
			goto bad;
	}
	if (v && *n)
		return v;
bad:
	free(v);
	return NULL;
}

/*
 * --refs @FILE: the refs from FILE ("refs RANGES", or RANGES), for lists
 * too long for an argument (a big share's refs are not all consecutive).
 * White space anywhere is left out: the list may come split in lines.
 */
static const char *read_refs(const char *path)
{
	FILE *f = fopen(path, "r");
	size_t len = 0, cap = 4096;
	char *text = malloc(cap);
	int c;

	if (!f || !text) {
		fprintf(stderr, "hdmabuf-bench: cannot read %s: %s\n", path,
			strerror(errno));
		exit(2);
	}
	while ((c = getc(f)) != EOF) {
		if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
			continue;
		if (len + 1 == cap) {
			char *t = realloc(text, cap *= 2);

			if (!t) {
				perror("realloc");
				exit(2);
			}
			text = t;
		}
		text[len++] = c;
	}
	text[len] = 0;
	fclose(f);
	return strncmp(text, "refs", 4) ? text : text + 4;
}

static struct hdmabuf_ctx *open_ctx(void)
{
	struct hdmabuf_ctx *ctx = hdmabuf_ctx_open(NULL);

	if (!ctx) {
		perror("hdmabuf-bench: /dev/hyper_dmabuf");
		exit(1);
	}
	return ctx;
}

static int parse_id(const char *s, struct hdmabuf_id *id)
{
	if (!s || hdmabuf_id_parse(s, id)) {
		fprintf(stderr, "hdmabuf-bench: not an id: '%s'\n", s ? s : "");
		usage();
	}
	return 0;
}

/* --- the domU's side ------------------------------------------------- */

static int cmd_share_time(struct opts *o)
{
	struct samples share, unshare;
	xengntshr_handle *xgs;
	uint32_t *refs = calloc(o->pages, sizeof(*refs));
	unsigned long r;
	double t0, t1, t2;
	void *p;

	if (!o->has_domid || !o->pages || !refs)
		usage();
	xgs = xengntshr_open(NULL, 0);
	if (!xgs) {
		failed("map-floor", "xen", o->pages, "share", "xengntshr_open", errno);
		return 1;
	}
	samples_init(&share, o->runs);
	samples_init(&unshare, o->runs);
	for (r = 0; r < o->runs; r++) {
		t0 = now_us();
		p = xengntshr_share_pages(xgs, o->domid, o->pages, refs, 0);
		t1 = now_us();
		if (!p) {
			failed("map-floor", "xen", o->pages, "share",
			       "xengntshr_share_pages", errno);
			failed("map-floor", "xen", o->pages, "unshare",
			       "nothing shared", errno);
			xengntshr_close(xgs);
			return 1;
		}
		if (xengntshr_unshare(xgs, p, o->pages)) {
			failed("map-floor", "xen", o->pages, "unshare",
			       "xengntshr_unshare", errno);
			xengntshr_close(xgs);
			return 1;
		}
		t2 = now_us();
		share.v[share.n++] = t1 - t0;
		unshare.v[unshare.n++] = t2 - t1;
	}
	report("map-floor", "xen", o->pages, "share", &share);
	report("map-floor", "xen", o->pages, "unshare", &unshare);
	xengntshr_close(xgs);
	return 0;
}

/*
 * One EXPORT of @fd to @domid and its UNEXPORT, each timed into *@exp_us
 * and *@unexp_us (the UNEXPORT's with @fd closed, when @close_fd). On
 * failure says why, as steps EXP_STEP and UNEXP_STEP of FIG, and is -1.
 */
static int export_once(struct hdmabuf_ctx *ctx, int fd, unsigned long domid,
		       bool close_fd, const char *fig, unsigned long n,
		       const char *exp_step, const char *unexp_step,
		       double *exp_us, double *unexp_us)
{
	struct hdmabuf_export *exp;
	struct hdmabuf_id id;
	double t0, t1;

	t0 = now_us();
	exp = hdmabuf_ctx_export(ctx, fd, domid, 0, NULL);
	t1 = now_us();
	if (!exp) {
		failed(fig, "ours", n, exp_step, "hdmabuf_ctx_export", errno);
		failed(fig, "ours", n, unexp_step, "nothing exported", errno);
		return -1;
	}
	id = *hdmabuf_export_get_id(exp);
	hdmabuf_export_free(exp);
	if (hdmabuf_ctx_unexport(ctx, &id, 0)) {
		failed(fig, "ours", n, unexp_step, "hdmabuf_ctx_unexport", errno);
		return -1;
	}
	if (close_fd)
		close(fd);
	*exp_us = t1 - t0;
	*unexp_us = now_us() - t1;
	return 0;
}

static int cmd_export_time(struct opts *o)
{
	struct samples share, alloc, exp_only, unexport;
	struct hdmabuf_ctx *ctx;
	unsigned long r;
	double t0, t1, e, u;
	int fd;

	if (!o->has_domid || !o->pages)
		usage();
	ctx = open_ctx();
	samples_init(&share, o->runs);
	samples_init(&alloc, o->runs);
	samples_init(&exp_only, o->runs);
	samples_init(&unexport, o->runs);
	for (r = 0; r < o->runs; r++) {
		t0 = now_us();
		fd = hdmabuf_ctx_alloc(ctx, o->pages * PAGE, 0);
		t1 = now_us();
		if (fd < 0) {
			failed("map-floor", "ours", o->pages, "share",
			       "hdmabuf_ctx_alloc", errno);
			failed("map-floor", "ours", o->pages, "unshare",
			       "nothing exported", errno);
			return 1;
		}
		if (export_once(ctx, fd, o->domid, true, "map-floor", o->pages,
				"share", "unshare", &e, &u))
			return 1;
		alloc.v[alloc.n++] = t1 - t0;
		exp_only.v[exp_only.n++] = e;
		share.v[share.n++] = t1 - t0 + e;
		unexport.v[unexport.n++] = u;
	}
	report("map-floor", "ours", o->pages, "share", &share);
	report("map-floor", "ours", o->pages, "unshare", &unexport);
	report("detail", "ours", o->pages, "alloc", &alloc);
	report("detail", "ours", o->pages, "export", &exp_only);
	hdmabuf_ctx_close(ctx);
	return 0;
}

static int cmd_gntshr_hold(struct opts *o)
{
	sigset_t set = stop_signals();
	xengntshr_handle *xgs;
	uint32_t *refs = calloc(o->pages, sizeof(*refs));
	void *p;

	if (!o->has_domid || !o->pages || !refs)
		usage();
	xgs = xengntshr_open(NULL, 0);
	if (!xgs) {
		printf("error xengntshr_open: %s\n", strerror(errno));
		return 1;
	}
	p = xengntshr_share_pages(xgs, o->domid, o->pages, refs, 0);
	if (!p) {
		printf("error xengntshr_share_pages of %lu pages: %s\n",
		       o->pages, strerror(errno));
		return 1;
	}
	print_refs(refs, o->pages);
	wait_stop(&set);
	xengntshr_unshare(xgs, p, o->pages);
	xengntshr_close(xgs);
	printf("done\n");
	return 0;
}

static int cmd_export_hold(struct opts *o)
{
	sigset_t set = stop_signals();
	struct hdmabuf_ctx *ctx;
	struct hdmabuf_export *exp;
	char buf[HDMABUF_ID_STRLEN];
	int fd;

	if (!o->has_domid || !o->pages)
		usage();
	ctx = open_ctx();
	fd = hdmabuf_ctx_alloc(ctx, o->pages * PAGE, 0);
	if (fd < 0) {
		printf("error hdmabuf_ctx_alloc of %lu pages: %s\n", o->pages,
		       strerror(errno));
		return 1;
	}
	exp = hdmabuf_ctx_export(ctx, fd, o->domid, 0, NULL);
	if (!exp) {
		printf("error hdmabuf_ctx_export: %s\n", strerror(errno));
		return 1;
	}
	hdmabuf_id_format(hdmabuf_export_get_id(exp), buf, sizeof(buf));
	printf("id %s\n", buf);
	fflush(stdout);
	wait_stop(&set);
	hdmabuf_ctx_unexport(ctx, hdmabuf_export_get_id(exp), 0);
	hdmabuf_export_free(exp);
	close(fd);
	hdmabuf_ctx_close(ctx);
	printf("done\n");
	return 0;
}

static int cmd_sig_serve(struct opts *o)
{
	struct hdmabuf_ctx *ctx;
	struct hdmabuf_export *exp;
	const struct hdmabuf_id *id;
	char buf[HDMABUF_ID_STRLEN];
	unsigned long k;
	int fd, rc = 0;

	if (!o->has_domid)
		usage();
	ctx = open_ctx();
	fd = hdmabuf_ctx_alloc(ctx, PAGE, 0);
	exp = fd < 0 ? NULL : hdmabuf_ctx_export(ctx, fd, o->domid, 0, NULL);
	if (!exp) {
		printf("error one-page export: %s\n", strerror(errno));
		return 1;
	}
	id = hdmabuf_export_get_id(exp);
	hdmabuf_id_format(id, buf, sizeof(buf));
	printf("id %s\n", buf);
	fflush(stdout);
	for (k = 1; k <= o->rounds; k++) {
		if (hdmabuf_ctx_wait(ctx, id, 2 * k - 1,
				     k == 1 ? 10 * WAIT_MS : WAIT_MS, NULL) ||
		    hdmabuf_ctx_signal(ctx, id, 2 * k)) {
			printf("error round %lu: %s\n", k, strerror(errno));
			rc = 1;
			break;
		}
	}
	if (!rc && hdmabuf_ctx_wait(ctx, id, 2 * o->rounds + 1, 60000, NULL))
		printf("# the importer did not say it was done: %s\n",
		       strerror(errno));
	hdmabuf_ctx_unexport(ctx, id, 0);
	hdmabuf_export_free(exp);
	close(fd);
	hdmabuf_ctx_close(ctx);
	printf("done\n");
	return rc;
}

static int cmd_vchan_echo(struct opts *o)
{
	struct libxenvchan *ch;
	unsigned long k;
	char c;

	if (!o->has_domid || !o->path)
		usage();
	ch = libxenvchan_server_init(NULL, o->domid, o->path, 0, 0);
	if (!ch) {
		printf("error libxenvchan_server_init: %s\n", strerror(errno));
		return 1;
	}
	ch->blocking = 1;
	printf("ready\n");
	fflush(stdout);
	for (k = 0; k < o->rounds; k++) {
		if (libxenvchan_recv(ch, &c, 1) != 1 ||
		    libxenvchan_send(ch, &c, 1) != 1) {
			printf("error round %lu: %s\n", k, strerror(errno));
			libxenvchan_close(ch);
			return 1;
		}
	}
	libxenvchan_close(ch);
	printf("done\n");
	return 0;
}

/* --- dom0's side ----------------------------------------------------- */

static void gnttab_failed(unsigned long pages, const char *why, int err)
{
	failed("map-floor", "xen", pages, "map", why, err);
	failed("map-floor", "xen", pages, "first-access", why, err);
	failed("map-floor", "xen", pages, "map+touch", why, err);
	failed("map-floor", "xen", pages, "unmap", why, err);
}

static int cmd_gnttab_map(struct opts *o)
{
	struct samples map, tch, both, unmap;
	xengnttab_handle *xgt;
	unsigned long n, r;
	uint32_t *refs;
	double t0, t1, t2, t3;
	void *p;

	if (!o->has_domid || !o->refs)
		usage();
	refs = parse_refs(o->refs[0] == '@' ? read_refs(o->refs + 1) : o->refs,
			  &n);
	if (!refs) {
		fprintf(stderr, "hdmabuf-bench: bad --refs\n");
		usage();
	}
	if (o->pages && n != o->pages) {
		fprintf(stderr, "hdmabuf-bench: %lu refs, not --pages %lu\n",
			n, o->pages);
		gnttab_failed(o->pages, "the refs did not all arrive", EINVAL);
		return 1;
	}
	xgt = xengnttab_open(NULL, 0);
	if (!xgt) {
		gnttab_failed(n, "xengnttab_open", errno);
		return 1;
	}
	samples_init(&map, o->runs);
	samples_init(&tch, o->runs);
	samples_init(&both, o->runs);
	samples_init(&unmap, o->runs);
	for (r = 0; r < o->runs; r++) {
		t0 = now_us();
		p = xengnttab_map_domain_grant_refs(xgt, n, o->domid, refs,
						    PROT_READ);
		t1 = now_us();
		if (!p) {
			gnttab_failed(n, "xengnttab_map_domain_grant_refs", errno);
			xengnttab_close(xgt);
			return 1;
		}
		touch(p, n);
		t2 = now_us();
		xengnttab_unmap(xgt, p, n);
		t3 = now_us();
		map.v[map.n++] = t1 - t0;
		tch.v[tch.n++] = t2 - t1;
		both.v[both.n++] = t2 - t0;
		unmap.v[unmap.n++] = t3 - t2;
	}
	report("map-floor", "xen", n, "map", &map);
	report("map-floor", "xen", n, "first-access", &tch);
	report("map-floor", "xen", n, "map+touch", &both);
	report("map-floor", "xen", n, "unmap", &unmap);
	xengnttab_close(xgt);
	return 0;
}

static void import_failed(unsigned long pages, const char *why, int err)
{
	failed("map-floor", "ours", pages, "map", why, err);
	failed("map-floor", "ours", pages, "first-access", why, err);
	failed("map-floor", "ours", pages, "map+touch", why, err);
	failed("map-floor", "ours", pages, "unmap", why, err);
}

static int cmd_import_map(struct opts *o)
{
	struct samples imp, mm, map, tch, both, rel;
	struct hdmabuf_ctx *ctx;
	struct hdmabuf_import *im;
	struct hdmabuf_id id;
	unsigned long r, pages = o->pages;
	double t0, t1, t2, t3, t4;
	size_t size;
	void *p;

	parse_id(o->id, &id);
	ctx = open_ctx();
	samples_init(&imp, o->runs);
	samples_init(&mm, o->runs);
	samples_init(&map, o->runs);
	samples_init(&tch, o->runs);
	samples_init(&both, o->runs);
	samples_init(&rel, o->runs);
	for (r = 0; r < o->runs; r++) {
		t0 = now_us();
		im = hdmabuf_ctx_import(ctx, &id);
		t1 = now_us();
		if (!im) {
			import_failed(pages, "hdmabuf_ctx_import", errno);
			return 1;
		}
		size = hdmabuf_import_get_size(im);
		pages = size / PAGE;
		p = mmap(NULL, size, PROT_READ, MAP_SHARED,
			 hdmabuf_import_get_fd(im), 0);
		t2 = now_us();
		if (p == MAP_FAILED) {
			import_failed(pages, "mmap of the import", errno);
			hdmabuf_import_release(im);
			return 1;
		}
		touch(p, pages);
		t3 = now_us();
		munmap(p, size);
		hdmabuf_import_release(im);
		t4 = now_us();
		imp.v[imp.n++] = t1 - t0;
		mm.v[mm.n++] = t2 - t1;
		map.v[map.n++] = t2 - t0;
		tch.v[tch.n++] = t3 - t2;
		both.v[both.n++] = t3 - t0;
		rel.v[rel.n++] = t4 - t3;
	}
	report("map-floor", "ours", pages, "map", &map);
	report("map-floor", "ours", pages, "first-access", &tch);
	report("map-floor", "ours", pages, "map+touch", &both);
	report("map-floor", "ours", pages, "unmap", &rel);
	report("detail", "ours", pages, "import", &imp);
	report("detail", "ours", pages, "mmap", &mm);
	hdmabuf_ctx_close(ctx);
	return 0;
}

static int cmd_sig_ping(struct opts *o)
{
	struct samples rt;
	struct hdmabuf_ctx *ctx;
	struct hdmabuf_import *im;
	struct hdmabuf_id id;
	unsigned long k;
	double t0;

	parse_id(o->id, &id);
	ctx = open_ctx();
	im = hdmabuf_ctx_import(ctx, &id);
	if (!im) {
		failed("roundtrip", "ours", 1, "signal", "hdmabuf_ctx_import", errno);
		return 1;
	}
	samples_init(&rt, o->rounds);
	for (k = 1; k <= o->rounds; k++) {
		t0 = now_us();
		if (hdmabuf_ctx_signal(ctx, &id, 2 * k - 1) ||
		    hdmabuf_ctx_wait(ctx, &id, 2 * k, WAIT_MS, NULL)) {
			failed("roundtrip", "ours", 1, "signal",
			       k == 1 ? "first round" : "a later round", errno);
			hdmabuf_import_release(im);
			return 1;
		}
		rt.v[rt.n++] = now_us() - t0;
	}
	hdmabuf_ctx_signal(ctx, &id, 2 * o->rounds + 1);
	report("roundtrip", "ours", 1, "signal", &rt);
	hdmabuf_import_release(im);
	hdmabuf_ctx_close(ctx);
	return 0;
}

static int cmd_vchan_ping(struct opts *o)
{
	struct samples rt;
	struct libxenvchan *ch;
	unsigned long k;
	double t0;
	char c = 'x';

	if (!o->has_domid || !o->path)
		usage();
	ch = libxenvchan_client_init(NULL, o->domid, o->path);
	if (!ch) {
		failed("roundtrip", "xen", 1, "signal",
		       "libxenvchan_client_init", errno);
		return 1;
	}
	ch->blocking = 1;
	samples_init(&rt, o->rounds);
	for (k = 0; k < o->rounds; k++) {
		t0 = now_us();
		if (libxenvchan_send(ch, &c, 1) != 1 ||
		    libxenvchan_recv(ch, &c, 1) != 1) {
			failed("roundtrip", "xen", 1, "signal",
			       "libxenvchan_send/recv", errno);
			libxenvchan_close(ch);
			return 1;
		}
		rt.v[rt.n++] = now_us() - t0;
	}
	report("roundtrip", "xen", 1, "signal", &rt);
	libxenvchan_close(ch);
	return 0;
}

/* --- frames between domains ----------------------------------------- */

#define POOL	3
#define VCHAN_RING	(64 * 1024)

/* One figure of one sample: the time per frame over a whole stream. */
static void report_one(const char *fig, const char *side, unsigned long pages,
		       const char *step, double us)
{
	struct samples s = { .v = &us, .n = 1 };

	report(fig, side, pages, step, &s);
}

/*
 * This domain's CPU time so far, all its CPUs, in microseconds: user,
 * nice, system, irq and softirq of /proc/stat (kernel work done for us in
 * work queues counts too, which a process's own rusage would miss); -1
 * when unreadable.
 */
static double cpu_busy_us(void)
{
	unsigned long long user, nice, sys, idle, iowait, irq, softirq;
	FILE *f = fopen("/proc/stat", "r");
	int n;

	if (!f)
		return -1;
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu", &user, &nice,
		   &sys, &idle, &iowait, &irq, &softirq);
	fclose(f);
	if (n != 7)
		return -1;
	return (user + nice + sys + irq + softirq) * 1e6 / sysconf(_SC_CLK_TCK);
}

/* The "cpu-per-frame" figure: CPU time from @cpu0 on, over @frames. */
static void report_cpu(const char *side, unsigned long pages, double cpu0,
		       unsigned long frames)
{
	double cpu1 = cpu_busy_us();

	if (cpu0 < 0 || cpu1 < 0)
		failed("frames", side, pages, "cpu-per-frame", "/proc/stat",
		       errno ? errno : EIO);
	else
		report_one("frames", side, pages, "cpu-per-frame",
			   (cpu1 - cpu0) / frames);
}

static int cmd_frames_serve(struct opts *o)
{
	struct hdmabuf_ctx *ctx;
	struct hdmabuf_export *exp[POOL];
	char buf[HDMABUF_ID_STRLEN];
	unsigned long f, k;
	int fd[POOL], b, rc = 0;

	if (!o->has_domid || !o->pages)
		usage();
	ctx = open_ctx();
	printf("ids ");
	for (b = 0; b < POOL; b++) {
		fd[b] = hdmabuf_ctx_alloc(ctx, o->pages * PAGE, 0);
		exp[b] = fd[b] < 0 ? NULL :
			hdmabuf_ctx_export(ctx, fd[b], o->domid, 0, NULL);
		if (!exp[b]) {
			printf("\nerror export of %lu pages: %s\n", o->pages,
			       strerror(errno));
			return 1;
		}
		hdmabuf_id_format(hdmabuf_export_get_id(exp[b]), buf, sizeof(buf));
		printf("%s%s", b ? "," : "", buf);
	}
	printf("\n");
	fflush(stdout);
	for (f = 0; f < o->frames && !rc; f++) {
		b = f % POOL;
		k = f / POOL + 1;
		/* the consumer let go of the buffer's last frame */
		if ((k > 1 && hdmabuf_ctx_wait(ctx, hdmabuf_export_get_id(exp[b]),
					       2 * (k - 1), f < POOL ? 10 * WAIT_MS :
					       WAIT_MS, NULL)) ||
		    hdmabuf_ctx_signal(ctx, hdmabuf_export_get_id(exp[b]), 2 * k - 1)) {
			printf("error frame %lu: %s\n", f, strerror(errno));
			rc = 1;
		}
	}
	/* the last frames' release */
	for (f = o->frames > POOL ? o->frames - POOL : 0; f < o->frames && !rc; f++) {
		b = f % POOL;
		k = f / POOL + 1;
		if (hdmabuf_ctx_wait(ctx, hdmabuf_export_get_id(exp[b]), 2 * k,
				     WAIT_MS, NULL))
			printf("# frame %lu not released: %s\n", f, strerror(errno));
	}
	for (b = 0; b < POOL; b++) {
		hdmabuf_ctx_unexport(ctx, hdmabuf_export_get_id(exp[b]), 0);
		hdmabuf_export_free(exp[b]);
		close(fd[b]);
	}
	hdmabuf_ctx_close(ctx);
	printf("done\n");
	return rc;
}

static int cmd_frames_take(struct opts *o)
{
	struct hdmabuf_ctx *ctx;
	struct hdmabuf_import *im[POOL] = { NULL };
	struct hdmabuf_id id[POOL];
	char *ids, *tok, *save = NULL;
	void *map[POOL];
	size_t size = 0;
	unsigned long f, k;
	double t0 = 0, cpu0 = 0;
	int b, rc = 1;

	if (!o->id || !o->pages || o->frames < 2)
		usage();
	ids = strdup(o->id);
	for (b = 0, tok = strtok_r(ids, ",", &save); b < POOL;
	     b++, tok = strtok_r(NULL, ",", &save))
		parse_id(tok, &id[b]);
	ctx = open_ctx();
	for (b = 0; b < POOL; b++) {
		im[b] = hdmabuf_ctx_import(ctx, &id[b]);
		if (!im[b]) {
			failed("frames", "ours", o->pages, "per-frame",
			       "hdmabuf_ctx_import", errno);
			goto out;
		}
		size = hdmabuf_import_get_size(im[b]);
		map[b] = mmap(NULL, size, PROT_READ, MAP_SHARED,
			      hdmabuf_import_get_fd(im[b]), 0);
		if (map[b] == MAP_FAILED) {
			failed("frames", "ours", o->pages, "per-frame",
			       "mmap of an import", errno);
			goto out;
		}
		touch(map[b], o->pages);
	}
	for (f = 0; f < o->frames; f++) {
		b = f % POOL;
		k = f / POOL + 1;
		if (hdmabuf_ctx_wait(ctx, &id[b], 2 * k - 1,
				     f ? WAIT_MS : 10 * WAIT_MS, NULL) ||
		    hdmabuf_ctx_signal(ctx, &id[b], 2 * k)) {
			failed("frames", "ours", o->pages, "per-frame",
			       "frame hand-off", errno);
			goto out;
		}
		if (!f) {
			t0 = now_us();
			cpu0 = cpu_busy_us();
		}
	}
	report_one("frames", "ours", o->pages, "per-frame",
		   (now_us() - t0) / (o->frames - 1));
	report_cpu("ours", o->pages, cpu0, o->frames - 1);
	rc = 0;
out:
	for (b = 0; b < POOL; b++) {
		if (im[b] && map[b] != MAP_FAILED)
			munmap(map[b], size);
		hdmabuf_import_release(im[b]);
	}
	hdmabuf_ctx_close(ctx);
	free(ids);
	return rc;
}

static int cmd_vchan_stream(struct opts *o)
{
	struct libxenvchan *ch;
	size_t size = o->pages * PAGE, done;
	unsigned long f;
	char *frame, c;
	int n;

	if (!o->has_domid || !o->path || !o->pages)
		usage();
	frame = malloc(size);
	if (!frame) {
		printf("error malloc: %s\n", strerror(errno));
		return 1;
	}
	memset(frame, 0x5a, size);
	ch = libxenvchan_server_init(NULL, o->domid, o->path, VCHAN_RING,
				     VCHAN_RING);
	if (!ch) {
		printf("error libxenvchan_server_init: %s\n", strerror(errno));
		return 1;
	}
	ch->blocking = 1;
	printf("ready\n");
	fflush(stdout);
	if (libxenvchan_recv(ch, &c, 1) != 1) {
		printf("error no start byte: %s\n", strerror(errno));
		libxenvchan_close(ch);
		return 1;
	}
	for (f = 0; f < o->frames; f++) {
		for (done = 0; done < size; done += n) {
			n = libxenvchan_write(ch, frame + done, size - done);
			if (n <= 0) {
				printf("error frame %lu: %s\n", f, strerror(errno));
				libxenvchan_close(ch);
				return 1;
			}
		}
	}
	/* the client's last byte: everything was read */
	libxenvchan_recv(ch, &c, 1);
	libxenvchan_close(ch);
	free(frame);
	printf("done\n");
	return 0;
}

static int cmd_vchan_take(struct opts *o)
{
	struct libxenvchan *ch;
	size_t size = o->pages * PAGE, done;
	unsigned long f;
	char *frame, c = 'g';
	double t0, cpu0;
	int n;

	if (!o->has_domid || !o->path || !o->pages)
		usage();
	frame = malloc(size);
	ch = frame ? libxenvchan_client_init(NULL, o->domid, o->path) : NULL;
	if (!ch) {
		failed("frames", "xen", o->pages, "per-frame",
		       "libxenvchan_client_init", errno);
		return 1;
	}
	ch->blocking = 1;
	t0 = now_us();
	cpu0 = cpu_busy_us();
	if (libxenvchan_send(ch, &c, 1) != 1)
		goto fail;
	for (f = 0; f < o->frames; f++) {
		for (done = 0; done < size; done += n) {
			n = libxenvchan_read(ch, frame + done, size - done);
			if (n <= 0)
				goto fail;
		}
	}
	report_one("frames", "xen", o->pages, "per-frame",
		   (now_us() - t0) / o->frames);
	report_cpu("xen", o->pages, cpu0, o->frames);
	libxenvchan_send(ch, &c, 1);
	libxenvchan_close(ch);
	free(frame);
	return 0;
fail:
	failed("frames", "xen", o->pages, "per-frame", "libxenvchan stream", errno);
	libxenvchan_close(ch);
	return 1;
}

static int cmd_memcpy_time(struct opts *o)
{
	struct samples cp;
	unsigned long r;
	size_t size = o->pages * PAGE;
	char *a, *b;
	double t0;

	if (!o->pages)
		usage();
	a = malloc(size);
	b = malloc(size);
	if (!a || !b) {
		failed("memcpy", "local", o->pages, "copy", "malloc", errno);
		return 1;
	}
	memset(a, 1, size);
	memset(b, 2, size);
	samples_init(&cp, o->runs);
	for (r = 0; r < o->runs; r++) {
		t0 = now_us();
		memcpy(b, a, size);
		cp.v[cp.n++] = now_us() - t0;
		sink += b[size - 1];
	}
	report("memcpy", "local", o->pages, "copy", &cp);
	free(a);
	free(b);
	return 0;
}

/* --- scale: the cost of one more with many live ---------------------- */

/*
 * The kernel's slab memory in bytes: the sum over /proc/slabinfo's caches
 * of live objects times their size (root only), or -1.
 */
static long long slab_bytes(void)
{
	FILE *f = fopen("/proc/slabinfo", "r");
	char line[512], name[64];
	unsigned long active, total, size;
	long long sum = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %lu %lu %lu", name, &active, &total,
			   &size) == 4)
			sum += (long long)active * size;
	}
	fclose(f);
	return sum;
}

/* Room for L dma-buf fds and more: the soft limit up to the hard one. */
static void more_fds(void)
{
	struct rlimit r;

	if (!getrlimit(RLIMIT_NOFILE, &r) && r.rlim_cur < r.rlim_max) {
		r.rlim_cur = r.rlim_max;
		setrlimit(RLIMIT_NOFILE, &r);
	}
}

/* The slab growth per object of @per made, as "bench ... bytes=B". */
static void report_bytes(const char *fig, const char *side, unsigned long n,
			 const char *step, long long before, long long after,
			 unsigned long per)
{
	if (before < 0 || after < 0)
		printf("bench %s %s %lu %s failed /proc/slabinfo: %s\n", fig,
		       side, n, step, strerror(errno));
	else
		printf("bench %s %s %lu %s bytes=%lld\n", fig, side, n, step,
		       (after - before) / (long long)per);
	fflush(stdout);
}

static int cmd_scale_hold(struct opts *o)
{
	sigset_t set = stop_signals();
	struct samples exp_t, unexp_t;
	struct hdmabuf_ctx *ctx;
	struct hdmabuf_export *exp;
	char buf[HDMABUF_ID_STRLEN];
	long long before, after;
	unsigned long i, r;
	double e, u;
	int *fds;
	FILE *f;
	int fd;

	if (!o->has_domid || !o->live || !o->ids)
		usage();
	fds = calloc(o->live, sizeof(*fds));
	f = fopen(o->ids, "w");
	if (!fds || !f) {
		printf("error %s: %s\n", o->ids, strerror(errno));
		return 1;
	}
	more_fds();
	ctx = open_ctx();
	for (i = 0; i < o->live; i++) {
		fds[i] = hdmabuf_ctx_alloc(ctx, PAGE, 0);
		if (fds[i] < 0) {
			printf("error hdmabuf_ctx_alloc %lu of %lu: %s\n", i + 1,
			       o->live, strerror(errno));
			return 1;
		}
	}
	before = slab_bytes();
	for (i = 0; i < o->live; i++) {
		exp = hdmabuf_ctx_export(ctx, fds[i], o->domid, 0, NULL);
		if (!exp) {
			printf("error hdmabuf_ctx_export %lu of %lu: %s\n",
			       i + 1, o->live, strerror(errno));
			return 1;
		}
		hdmabuf_id_format(hdmabuf_export_get_id(exp), buf, sizeof(buf));
		fprintf(f, "%s\n", buf);
		hdmabuf_export_free(exp);
	}
	after = slab_bytes();
	if (fclose(f)) {
		printf("error %s: %s\n", o->ids, strerror(errno));
		return 1;
	}
	/* the live ones' buffers stay referenced by their exports */
	for (i = 0; i < o->live; i++)
		close(fds[i]);
	report_bytes("scale", "ours", o->live, "kmem-per-export", before, after,
		     o->live);
	/*
	 * The peer takes the burst of OFFER notices first (each EXPORT of
	 * the burst may have waited for room in the ring): what is timed is
	 * one more export among L settled ones, not the tail of the burst.
	 */
	usleep(1000000 + o->live * 2000);

	samples_init(&exp_t, o->runs);
	samples_init(&unexp_t, o->runs);
	fd = hdmabuf_ctx_alloc(ctx, PAGE, 0);
	if (fd < 0) {
		failed("scale", "ours", o->live, "export", "hdmabuf_ctx_alloc", errno);
		failed("scale", "ours", o->live, "unexport", "nothing exported", errno);
		return 1;
	}
	for (r = 0; r < o->runs; r++) {
		if (export_once(ctx, fd, o->domid, false, "scale", o->live,
				"export", "unexport", &e, &u))
			return 1;
		exp_t.v[exp_t.n++] = e;
		unexp_t.v[unexp_t.n++] = u;
	}
	close(fd);
	report("scale", "ours", o->live, "export", &exp_t);
	report("scale", "ours", o->live, "unexport", &unexp_t);
	printf("ready\n");
	fflush(stdout);
	wait_stop(&set);
	/* closing the context ends its exports */
	hdmabuf_ctx_close(ctx);
	printf("done\n");
	return 0;
}

/* The ids of FILE, one a line; their count in *n. */
static struct hdmabuf_id *read_ids(const char *path, unsigned long *n)
{
	FILE *f = fopen(path, "r");
	struct hdmabuf_id *ids = NULL, *more;
	char line[HDMABUF_ID_STRLEN + 2];
	unsigned long cap = 0;

	*n = 0;
	if (!f) {
		fprintf(stderr, "hdmabuf-bench: cannot read %s: %s\n", path,
			strerror(errno));
		exit(2);
	}
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			more = realloc(ids, cap * sizeof(*ids));
			if (!more) {
				perror("realloc");
				exit(2);
			}
			ids = more;
		}
		parse_id(line, &ids[(*n)++]);
	}
	fclose(f);
	return ids;
}

static void scale_import_failed(unsigned long live, const char *why, int err)
{
	failed("scale", "ours", live, "import", why, err);
	failed("scale", "ours", live, "release", why, err);
}

static int cmd_scale_import(struct opts *o)
{
	struct samples imp_t, rel_t;
	struct hdmabuf_import **held, *im;
	struct hdmabuf_id *ids;
	struct hdmabuf_ctx *ctx;
	long long before, after;
	unsigned long i, n, r;
	double t0, t1, t2;

	if (!o->ids || !o->live)
		usage();
	ids = read_ids(o->ids, &n);
	if (n != o->live) {
		fprintf(stderr, "hdmabuf-bench: %s holds %lu ids, not %lu\n",
			o->ids, n, o->live);
		return 2;
	}
	held = calloc(n, sizeof(*held));
	if (!held) {
		perror("calloc");
		return 1;
	}
	more_fds();
	ctx = open_ctx();
	before = slab_bytes();
	for (i = 1; i < n; i++) {
		held[i] = hdmabuf_ctx_import(ctx, &ids[i]);
		if (!held[i]) {
			scale_import_failed(o->live, "hdmabuf_ctx_import of the live ones",
					    errno);
			return 1;
		}
	}
	after = slab_bytes();
	if (n > 1)
		report_bytes("scale", "ours", n, "kmem-per-import", before,
			     after, n - 1);
	samples_init(&imp_t, o->runs);
	samples_init(&rel_t, o->runs);
	for (r = 0; r < o->runs; r++) {
		t0 = now_us();
		im = hdmabuf_ctx_import(ctx, &ids[0]);
		t1 = now_us();
		if (!im) {
			scale_import_failed(o->live, "hdmabuf_ctx_import", errno);
			return 1;
		}
		hdmabuf_import_release(im);
		t2 = now_us();
		imp_t.v[imp_t.n++] = t1 - t0;
		rel_t.v[rel_t.n++] = t2 - t1;
	}
	report("scale", "ours", o->live, "import", &imp_t);
	report("scale", "ours", o->live, "release", &rel_t);
	for (i = 1; i < n; i++)
		hdmabuf_import_release(held[i]);
	hdmabuf_ctx_close(ctx);
	free(held);
	free(ids);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(struct opts *o);
	} cmds[] = {
		{ "share-time", cmd_share_time },
		{ "export-time", cmd_export_time },
		{ "gntshr-hold", cmd_gntshr_hold },
		{ "export-hold", cmd_export_hold },
		{ "sig-serve", cmd_sig_serve },
		{ "vchan-echo", cmd_vchan_echo },
		{ "gnttab-map", cmd_gnttab_map },
		{ "import-map", cmd_import_map },
		{ "sig-ping", cmd_sig_ping },
		{ "vchan-ping", cmd_vchan_ping },
		{ "frames-serve", cmd_frames_serve },
		{ "frames-take", cmd_frames_take },
		{ "vchan-stream", cmd_vchan_stream },
		{ "vchan-take", cmd_vchan_take },
		{ "memcpy-time", cmd_memcpy_time },
		{ "scale-hold", cmd_scale_hold },
		{ "scale-import", cmd_scale_import },
	};
	struct opts o;
	size_t i;

	if (argc < 2)
		usage();
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (!strcmp(argv[1], cmds[i].name)) {
			parse(&o, argc - 1, argv + 1);
			return cmds[i].fn(&o);
		}
	}
	usage();
	return 2;
}
