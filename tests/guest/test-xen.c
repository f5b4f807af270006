// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hdmabuf-test-xen: the two ends of a share between Xen domains, each run
 * in its own domain by a lab scenario.
 *
 *   hdmabuf-test-xen serve --to DOMID --size BYTES --seed N [--rw]
 *                          [--expect-seed M] [--timeout-ms T]
 *                          [--vgem [--width W]]
 *     ALLOC a buffer, fill it with the pattern of seed N, export it to
 *     DOMID and print "id ID". With --vgem the buffer is a vgem dumb
 *     buffer instead, W pixels of 32 bits wide (default: a page a row) and
 *     BYTES / (4 W) rows, filled through vgem's own mapping (MAP_DUMB) and
 *     exported by PRIME: a page-backed dma-buf of another driver. Then
 *     wait (WAIT on the export's timeline, at most T ms, default 240000)
 *     until the importer signals 1, and check that the buffer holds the
 *     pattern of M (default N: what a read-only importer must not change).
 *     With --persistent: export PERSISTENT, print the id and exit; the
 *     export stays until UNEXPORT or REVOKE by root. With --then-signal,
 *     once 1 is reached, SIGNAL 2 and then 3, 200 ms apart.
 *
 *   hdmabuf-test-xen check ID --size BYTES --seed N [--write M] [--signal V]
 *     IMPORT ID, check its size and the pattern of N through mmap; with
 *     --write, fill it with the pattern of M; with --signal, SIGNAL V on
 *     the export's timeline (a message to the exporting domain). With
 *     --wait-remote, then WAIT for 2 (blocking) and for 3 (a sync_file,
 *     polled): the exporter's signals, seen on the import's side. With
 *     --vgem, vgem imports it too (PRIME: attached, its pages mapped for
 *     DMA); vgem cannot map an imported object for the CPU, so the bytes
 *     are read through this import's own mmap only.
 *
 *   hdmabuf-test-xen hold ID --size BYTES --seed N [--expect-sigbus]
 *     IMPORT ID, map it and check it, print "held", then wait for SIGUSR1
 *     and read the mapping again: the pattern once more, or with
 *     --expect-sigbus a SIGBUS (the exporter went away meanwhile).
 *
 *   hdmabuf-test-xen serve-many --to DOMID --count N --size BYTES --seed S
 *     N exports of BYTES each, export i filled with the pattern of S + i;
 *     print "id ID" for each, then wait (up to 10 minutes) until the
 *     first one's timeline reaches 1 and exit: closing the device
 *     unexports them all.
 *
 *   hdmabuf-test-xen check-many FILE --size BYTES --seed S
 *     IMPORT each id FILE lists ("id ID" lines, in order), check the
 *     pattern of S + i, release it; then SIGNAL the first one 1.
 *
 *   hdmabuf-test-xen mappings ID --size BYTES --seed N
 *     IMPORT ID (at least 4 pages), map it, and do to the mapping what
 *     processes do: unmap a page in the middle (the mapping splits in
 *     two), mprotect and mremap a piece, fork; each piece left must still
 *     hold the pattern of N, and a child of a fork sees it too. In a Xen
 *     PV domain, where Xen itself writes the entries, mprotect and mremap
 *     of an import are refused (EINVAL) and a child has no mapping.
 *
 *   hdmabuf-test-xen pin-reuse ID ID2 --size BYTES --seed N --expect-seed M
 *     IMPORT ID (the pattern of N), map it and vmsplice its first page
 *     into a pipe, which pins the page if it can; release the import,
 *     IMPORT ID2 (the pattern of M), then read the pipe. Either the pin was
 *     refused (EFAULT), or the pipe still holds ID's bytes: a page held
 *     by someone must never carry another buffer's bytes.
 *
 *   hdmabuf-test-xen fence-revoked ID
 *     IMPORT ID, ask for a sync_file of its timeline reaching a value
 *     nobody signals (deadline 60 s), print "waiting", and check that it
 *     signals with ENODEV within 30 s: the exporter revokes meanwhile.
 *
 *   hdmabuf-test-xen flood ID --count N
 *     IMPORT ID, print "flooding", then N processes each SIGNAL the
 *     export's timeline in a loop, to the clock's nanoseconds (mostly
 *     above the last value: each such request gets an answer and a
 *     SIGNALLED notice back from the exporting domain), until killed.
 *
 *   hdmabuf-test-xen import-fails ID ERRNO-NAME
 *     IMPORT ID must fail with that errno.
 *
 * Output: "ok" / "not ok" lines and a summary; exit 0 when all passed.
 */
#define _GNU_SOURCE	/* mremap */
#include <errno.h>
#include <setjmp.h>
#include <poll.h>
#include <signal.h>
#include <linux/sync_file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "guest-test.h"
#include "vgem.h"

struct opts {
	const char *device;
	unsigned long to;
	unsigned long long size;
	unsigned long seed, expect_seed, write_seed;
	unsigned long long signal;
	unsigned long count;
	unsigned long width;
	unsigned int timeout_ms;
	bool rw, has_expect, has_write, has_signal, has_to, persistent;
	bool expect_sigbus, then_signal, wait_remote, vgem;
};

/* The id from its text form DOMID:SERIAL:KEY (32 hex digits). */
static bool parse_id(const char *s, struct hyper_dmabuf_id *id)
{
	char k0[17], k1[17];
	unsigned int domid, serial;
	int n = 0;

	if (sscanf(s, "%u:%u:%n", &domid, &serial, &n) != 2 || !n ||
	    strlen(s + n) != 32)
		return false;
	memcpy(k0, s + n, 16);
	memcpy(k1, s + n + 16, 16);
	k0[16] = k1[16] = 0;
	id->domid = domid;
	id->serial = serial;
	id->key[0] = strtoull(k0, NULL, 16);
	id->key[1] = strtoull(k1, NULL, 16);
	return true;
}

static void print_id(const struct hyper_dmabuf_id *id)
{
	printf("id %u:%u:%016llx%016llx\n", id->domid, id->serial,
	       (unsigned long long)id->key[0], (unsigned long long)id->key[1]);
}

/*
 * --vgem: a vgem dumb buffer of --width pixels of 32 bits a row, as many
 * rows as --size holds, filled with the pattern of the seed through vgem's
 * own mapping; b->fd is its dma-buf. False after a "not ok".
 */
static bool vgem_serve_buf(const struct opts *o, struct buf *b)
{
	unsigned long long row = (o->width ? o->width :
				  (unsigned long)page_size() / 4) * 4;
	struct vgem_buf v;
	char why[160] = "";
	int card, ret;

	if (!o->size || o->size % row || o->size / row > UINT32_MAX)
		return setup_failed("serve --vgem",
				    "--size %llu is no whole number of rows of %llu bytes",
				    o->size, row);
	card = open_vgem(NULL, why, sizeof(why));
	if (card < 0)
		return setup_failed("serve --vgem", "%s", why);
	ret = vgem_filled_dumb(card, row / 4, o->size / row,
			       TDRM_CLOEXEC | TDRM_RDWR, o->seed, &v, why,
			       sizeof(why));
	/* the dma-buf holds the object, and vgem with it */
	close(card);
	if (ret)
		return setup_failed("serve --vgem", "%s", why);
	printf("# a vgem dumb buffer of %llux%llu pixels of 32 bits, pitch %u, %zu bytes\n",
	       row / 4, o->size / row, v.pitch, v.size);
	if (!check("the vgem buffer has the size asked for", v.size == o->size,
		   "%zu bytes, not %llu", v.size, o->size)) {
		close(v.fd);
		return false;
	}
	b->fd = v.fd;
	b->size = v.size;
	return true;
}

static int serve(const struct opts *o)
{
	struct hyper_dmabuf_wait w = { .value = 1 };
	struct hyper_dmabuf_signal sig = { 0 };
	struct hyper_dmabuf_export e;
	struct why why = { "" };
	struct buf b;
	int dev, ret;

	dev = open_device(o->device);
	if (o->vgem ? !vgem_serve_buf(o, &b) :
	    !new_filled_buf(dev, "serve", o->size, o->seed, &b))
		return test_summary();
	e = export_args(b.fd, (o->rw ? HYPER_DMABUF_EXPORT_RW : 0) |
			(o->persistent ? HYPER_DMABUF_EXPORT_PERSISTENT : 0),
			NULL);
	e.peer = o->to;
	ret = do_export(dev, &e);
	if (!check("EXPORT to the peer", !ret, "%s", strerror(ret)))
		return test_summary();
	print_id(&e.id);
	fflush(stdout);
	if (o->persistent) {
		close(b.fd);
		close(dev);
		return test_summary();
	}

	w.id = e.id;
	sig.id = e.id;
	/* an 8K frame's check takes long under emulation: bounded, not tight */
	w.timeout_ms = o->timeout_ms ? o->timeout_ms : 240000;
	ret = xioctl(dev, HYPER_DMABUF_IOCTL_WAIT, &w);
	check("the importer's SIGNAL reached the exporter's timeline", !ret,
	      "WAIT for 1: %s (timeline at %llu)", strerror(ret),
	      (unsigned long long)w.current_value);
	for (sig.value = 2; o->then_signal && sig.value <= 3; sig.value++) {
		sleep_ms(200);
		ret = xioctl(dev, HYPER_DMABUF_IOCTL_SIGNAL, &sig);
		check(sig.value == 2 ? "the exporter signals 2" :
		      "the exporter signals 3", !ret, "%s", strerror(ret));
	}
	check("the exporter's buffer holds what it should",
	      verify_fd(b.fd, b.size, o->has_expect ? o->expect_seed : o->seed,
			&why), "%s", why.text);
	close(b.fd);
	close(dev);
	return test_summary();
}

static void through_vgem(int fd)
{
	struct tdrm_prime_handle prime = { .fd = fd };
	char why[128] = "";
	int card, ret;

	card = open_vgem(NULL, why, sizeof(why));
	if (!check("a vgem node", card >= 0, "%s", why))
		return;
	ret = xioctl(card, TDRM_IOCTL_PRIME_FD_TO_HANDLE, &prime);
	check("vgem imports it (PRIME: attached, pages mapped for DMA)", !ret,
	      "%s", strerror(ret));
	if (!ret)
		gem_close(card, prime.handle);
	close(card);
}

/* The exporter's 2 by a blocking WAIT, its 3 by a polled sync_file. */
static void wait_remote(int dev, const struct hyper_dmabuf_id *id)
{
	struct hyper_dmabuf_wait w = { .id = *id, .value = 2,
				       .timeout_ms = 10000 };
	struct pollfd pfd = { .events = POLLIN };
	int ret;

	ret = xioctl(dev, HYPER_DMABUF_IOCTL_WAIT, &w);
	check("WAIT here for the exporter's 2", !ret && w.current_value >= 2,
	      "%s, timeline at %llu", strerror(ret),
	      (unsigned long long)w.current_value);
	w = (struct hyper_dmabuf_wait){ .id = *id, .value = 3,
					.flags = HYPER_DMABUF_WAIT_SYNC_FILE };
	ret = xioctl(dev, HYPER_DMABUF_IOCTL_WAIT, &w);
	if (!check("a sync_file here for the exporter's 3", !ret, "%s",
		   strerror(ret)))
		return;
	pfd.fd = w.fence_fd;
	ret = poll(&pfd, 1, 10000);
	check("the sync_file signals once the exporter reaches 3",
	      ret == 1 && pfd.revents & POLLIN, "poll: %d, revents 0x%x", ret,
	      pfd.revents);
	close(w.fence_fd);
}

static int do_check(const struct opts *o, const struct hyper_dmabuf_id *id)
{
	struct hyper_dmabuf_signal sig = { .id = *id, .value = o->signal };
	struct hyper_dmabuf_import im;
	struct why why = { "" };
	int dev, ret;

	dev = open_device(o->device);
	ret = import_id(dev, id, NULL, &im);
	if (!check("IMPORT from the other domain", !ret, "%s", strerror(ret)))
		return test_summary();
	check("the import has the exported size", im.size == o->size,
	      "%llu bytes, expected %llu", (unsigned long long)im.size,
	      o->size);
	check("the import holds the exporter's bytes",
	      verify_fd(im.fd, im.size, o->seed, &why), "%s", why.text);
	if (o->vgem)
		through_vgem(im.fd);
	if (o->has_write)
		check("the importer writes into a read-write export",
		      fill_fd(im.fd, im.size, o->write_seed, &why), "%s",
		      why.text);
	if (o->has_signal) {
		ret = xioctl(dev, HYPER_DMABUF_IOCTL_SIGNAL, &sig);
		check("SIGNAL of the exporter's timeline from here", !ret, "%s",
		      strerror(ret));
	}
	if (o->wait_remote)
		wait_remote(dev, id);
	close(im.fd);
	close(dev);
	return test_summary();
}

static sigjmp_buf bus_jump;
static volatile sig_atomic_t woken;

static void on_sigbus(int sig __attribute__((unused)))
{
	siglongjmp(bus_jump, 1);
}

static void on_sigusr1(int sig __attribute__((unused)))
{
	woken = 1;
}

/* Whether reading all of @p raises SIGBUS. */
static bool read_faults(const volatile unsigned char *p, size_t size)
{
	struct sigaction sa = { .sa_handler = on_sigbus };
	unsigned char sum = 0;
	size_t i;

	sigaction(SIGBUS, &sa, NULL);
	if (sigsetjmp(bus_jump, 1))
		return true;
	for (i = 0; i < size; i += 4096)
		sum += p[i];
	(void)sum;
	return false;
}

static int hold(const struct opts *o, const struct hyper_dmabuf_id *id)
{
	struct sigaction sa = { .sa_handler = on_sigusr1 };
	struct hyper_dmabuf_import im;
	struct why why = { "" };
	sigset_t block, old;
	void *p;
	int dev, ret;

	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &old);
	sigaction(SIGUSR1, &sa, NULL);
	dev = open_device(o->device);
	ret = import_id(dev, id, NULL, &im);
	if (!check("IMPORT from the other domain", !ret, "%s", strerror(ret)))
		return test_summary();
	p = mmap(NULL, im.size, PROT_READ, MAP_SHARED, im.fd, 0);
	if (!check("mmap of the import", p != MAP_FAILED, "%s", strerror(errno)))
		return test_summary();
	check("the import holds the exporter's bytes",
	      check_pattern(p, im.size, o->seed, &why), "%s", why.text);
	printf("held\n");
	fflush(stdout);
	while (!woken)
		sigsuspend(&old);
	if (o->expect_sigbus)
		check("once the exporter took it back or went away, reading the mapping raises SIGBUS",
		      read_faults(p, im.size), "the mapping still reads");
	else
		check("the mapping still holds the bytes",
		      check_pattern(p, im.size, o->seed, &why), "%s", why.text);
	munmap(p, im.size);
	close(im.fd);
	close(dev);
	return test_summary();
}

static int serve_many(const struct opts *o)
{
	struct hyper_dmabuf_wait w = { .value = 1, .timeout_ms = 600000 };
	struct hyper_dmabuf_export e;
	unsigned long i, made = 0;
	struct why why = { "" };
	struct buf b;
	int dev, ret = 0;

	dev = open_device(o->device);
	for (i = 0; i < o->count && !ret; i++) {
		ret = alloc_buf(dev, o->size, &b);
		if (!ret && !fill_fd(b.fd, b.size, o->seed + i, &why))
			ret = EIO;
		if (!ret) {
			e = export_args(b.fd, 0, NULL);
			e.peer = o->to;
			ret = do_export(dev, &e);
		}
		if (b.fd >= 0)
			close(b.fd);
		if (ret)
			break;
		if (!made)
			w.id = e.id;
		print_id(&e.id);
		made++;
	}
	fflush(stdout);
	if (!check("every export made", made == o->count, "%lu of %lu: %s",
		   made, o->count, ret == EIO ? why.text : strerror(ret)))
		return test_summary();
	ret = xioctl(dev, HYPER_DMABUF_IOCTL_WAIT, &w);
	check("the importer says it is done", !ret, "%s", strerror(ret));
	close(dev);
	return test_summary();
}

static int check_many(const struct opts *o, const char *file)
{
	struct hyper_dmabuf_signal sig = { .value = 1 };
	struct hyper_dmabuf_import im;
	struct hyper_dmabuf_id id;
	unsigned long n = 0, good = 0;
	struct why why = { "" };
	char line[128];
	FILE *f = fopen(file, "re");
	int dev, ret;

	if (!check("the list of ids opens", f != NULL, "%s: %s", file,
		   strerror(errno)))
		return test_summary();
	dev = open_device(o->device);
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (strncmp(line, "id ", 3) || !parse_id(line + 3, &id))
			continue;
		if (!n)
			sig.id = id;
		n++;
		ret = import_id(dev, &id, NULL, &im);
		if (ret) {
			because(&why, "import %lu: %s", n, strerror(ret));
			continue;
		}
		if (verify_fd(im.fd, im.size, o->seed + n - 1, &why))
			good++;
		close(im.fd);
	}
	fclose(f);
	check("each buffer imported, its bytes checked and released",
	      n && good == n, "%lu of %lu; last failure: %s", good, n, why.text);
	ret = n ? xioctl(dev, HYPER_DMABUF_IOCTL_SIGNAL, &sig) : ENOENT;
	check("the exporter is told", !ret, "%s", strerror(ret));
	close(dev);
	return test_summary();
}

/* Whether the @npages pages at @p hold page @first on of the pattern. */
static bool piece_holds(const unsigned char *p, size_t first, size_t npages,
			uint32_t seed)
{
	size_t page = page_size(), i;

	for (i = 0; i < npages * page / 4; i++)
		if (((const uint32_t *)p)[i] !=
		    pattern_word(first * page / 4 + i, seed))
			return false;
	return true;
}

/*
 * A child reads page 0 of @p: 0 when it holds the pattern, 1 when not,
 * SIGSEGV when the child has no mapping there.
 */
static int child_reads(const unsigned char *p, uint32_t seed)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid)
		_exit(piece_holds(p, 0, 1, seed) ? 0 : 1);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (WIFSIGNALED(status))
		return WTERMSIG(status) == SIGSEGV ? SIGSEGV : -1;
	return WEXITSTATUS(status);
}

static int mappings(const struct opts *o, const struct hyper_dmabuf_id *id)
{
	size_t page = page_size(), n;
	struct hyper_dmabuf_import im;
	struct hyper_dmabuf_caps caps;
	unsigned char *p, *q;
	bool pv;
	int dev, ret;

	dev = open_device(o->device);
	get_caps(dev, &caps);
	pv = caps.xen_type == HYPER_DMABUF_XEN_PV;
	ret = import_id(dev, id, NULL, &im);
	if (!check("IMPORT from the other domain", !ret, "%s", strerror(ret)))
		return test_summary();
	n = im.size / page;
	if (!check("the import has at least 4 pages", n >= 4, "%zu pages", n))
		return test_summary();
	p = mmap(NULL, im.size, PROT_READ, MAP_SHARED, im.fd, 0);
	if (!check("mmap of the import", p != MAP_FAILED, "%s", strerror(errno)))
		return test_summary();
	check("the mapping holds the pattern", piece_holds(p, 0, n, o->seed),
	      "it does not");

	/* [0] [hole] [2 .. n) */
	ret = munmap(p + page, page) ? errno : 0;
	check("munmap of page 1 splits the mapping", !ret, "%s", strerror(ret));
	check("page 0 still holds its part", piece_holds(p, 0, 1, o->seed),
	      "it does not");
	check("pages 2 on still hold theirs",
	      piece_holds(p + 2 * page, 2, n - 2, o->seed), "they do not");

	ret = mprotect(p + 2 * page, page, PROT_NONE) ? errno : 0;
	if (pv) {
		check("mprotect of a piece is refused (EINVAL) in a PV domain",
		      ret == EINVAL, "%s", ret ? strerror(ret) : "it worked");
	} else {
		check("mprotect of a piece", !ret, "%s", strerror(ret));
		ret = mprotect(p + 2 * page, page, PROT_READ) ? errno : 0;
		check("mprotect of the piece back to PROT_READ", !ret, "%s",
		      strerror(ret));
	}
	check("page 2 still holds its part after mprotect",
	      piece_holds(p + 2 * page, 2, 1, o->seed), "it does not");

	/* move the last page elsewhere */
	q = mremap(p + (n - 1) * page, page, page, MREMAP_MAYMOVE | MREMAP_FIXED,
		   p + page);
	ret = q == MAP_FAILED ? errno : 0;
	if (pv) {
		check("mremap of a piece is refused (EINVAL) in a PV domain",
		      ret == EINVAL, "%s", ret ? strerror(ret) : "it worked");
	} else {
		check("mremap of the last page into the hole", !ret, "%s",
		      strerror(ret));
		if (!ret)
			check("the moved page holds its part",
			      piece_holds(q, n - 1, 1, o->seed), "it does not");
	}

	ret = child_reads(p, o->seed);
	if (pv)
		check("a child of fork has no mapping of the import (SIGSEGV)",
		      ret == SIGSEGV, "child: %d", ret);
	else
		check("a child of fork reads the pattern through its mapping",
		      ret == 0, "child: %d", ret);

	check("page 0 still holds its part at the end",
	      piece_holds(p, 0, 1, o->seed), "it does not");
	check("pages 2 to n-1 still hold theirs at the end",
	      piece_holds(p + 2 * page, 2, n - 3, o->seed), "they do not");
	/* the hole, and what mremap left, are unmapped too: nothing fails */
	ret = munmap(p, im.size) ? errno : 0;
	check("munmap of all pieces", !ret, "%s", strerror(ret));
	close(im.fd);
	close(dev);
	return test_summary();
}

static int pin_reuse(const struct opts *o, const struct hyper_dmabuf_id *a,
		     const struct hyper_dmabuf_id *b)
{
	size_t page = page_size();
	struct hyper_dmabuf_import im;
	struct why why = { "" };
	struct iovec iov;
	unsigned char *p, *buf;
	int dev, ret, pin_err, fds[2];
	ssize_t n;

	dev = open_device(o->device);
	buf = malloc(page);
	if (!buf || pipe(fds)) {
		setup_failed("pin-reuse", "%s", strerror(errno));
		return test_summary();
	}
	ret = import_id(dev, a, NULL, &im);
	if (!check("IMPORT of the first buffer", !ret, "%s", strerror(ret)))
		return test_summary();
	p = mmap(NULL, im.size, PROT_READ, MAP_SHARED, im.fd, 0);
	if (!check("mmap of the import", p != MAP_FAILED, "%s", strerror(errno)))
		return test_summary();
	check("the mapping holds the first pattern",
	      piece_holds(p, 0, 1, o->seed), "it does not");
	iov.iov_base = p;
	iov.iov_len = page;
	n = vmsplice(fds[1], &iov, 1, 0);
	pin_err = n < 0 ? errno : 0;
	printf("# vmsplice of the mapping: %s\n",
	       n < 0 ? strerror(pin_err) : "pinned its page");
	munmap(p, im.size);
	close(im.fd);

	ret = import_id(dev, b, NULL, &im);
	if (!check("IMPORT of the second buffer", !ret, "%s", strerror(ret)))
		return test_summary();
	check("the second import holds its pattern",
	      verify_fd(im.fd, im.size, o->expect_seed, &why), "%s", why.text);
	if (n < 0) {
		check("a refused pin is refused as EFAULT", pin_err == EFAULT,
		      "%s", strerror(pin_err));
	} else {
		check("the pipe reads a whole page", read_full(fds[0], buf, page),
		      "%s", strerror(errno));
		check("the pinned page still holds the first buffer's bytes, not the second's",
		      piece_holds(buf, 0, 1, o->seed), "%s",
		      piece_holds(buf, 0, 1, o->expect_seed) ?
		      "it holds the second buffer's" : "it holds neither");
	}
	close(im.fd);
	close(fds[0]);
	close(fds[1]);
	free(buf);
	close(dev);
	return test_summary();
}

static int fence_revoked(const struct opts *o, const struct hyper_dmabuf_id *id)
{
	struct hyper_dmabuf_wait w = { .id = *id, .value = 1ULL << 40,
				       .timeout_ms = 60000,
				       .flags = HYPER_DMABUF_WAIT_SYNC_FILE };
	struct sync_file_info info = { 0 };
	struct pollfd pfd = { .events = POLLIN };
	struct hyper_dmabuf_import im;
	int dev, ret;

	dev = open_device(o->device);
	ret = import_id(dev, id, NULL, &im);
	if (!check("IMPORT from the other domain", !ret, "%s", strerror(ret)))
		return test_summary();
	ret = xioctl(dev, HYPER_DMABUF_IOCTL_WAIT, &w);
	if (!check("a sync_file of the import's timeline", !ret, "%s",
		   strerror(ret)))
		return test_summary();
	printf("waiting\n");
	fflush(stdout);
	pfd.fd = w.fence_fd;
	ret = poll(&pfd, 1, 30000);
	check("the sync_file signals once the exporter revokes, before its deadline",
	      ret == 1 && pfd.revents & POLLIN, "poll: %d, revents 0x%x", ret,
	      pfd.revents);
	ret = ioctl(w.fence_fd, SYNC_IOC_FILE_INFO, &info) ? errno : 0;
	check("it ended with ENODEV", !ret && info.status == -ENODEV,
	      "%s, status %d", strerror(ret), info.status);
	ret = xioctl(dev, HYPER_DMABUF_IOCTL_WAIT,
		     &(struct hyper_dmabuf_wait){ .id = *id, .value = 1ULL << 40,
						  .timeout_ms = 1000 });
	check("a WAIT on the revoked import fails with ENODEV", ret == ENODEV,
	      "%s", strerror(ret));
	close(w.fence_fd);
	close(im.fd);
	close(dev);
	return test_summary();
}

static int flood(const struct opts *o, const struct hyper_dmabuf_id *id)
{
	struct hyper_dmabuf_signal sig = { .id = *id, .value = 1 };
	struct hyper_dmabuf_import im;
	unsigned long i;
	int dev, ret;

	dev = open_device(o->device);
	ret = import_id(dev, id, NULL, &im);
	if (!check("IMPORT from the other domain", !ret, "%s", strerror(ret)))
		return test_summary();
	for (i = 0; i < o->count; i++) {
		if (fork() == 0) {
			struct timespec ts;

			for (;;) {
				clock_gettime(CLOCK_MONOTONIC, &ts);
				sig.value = ts.tv_sec * 1000000000ULL + ts.tv_nsec;
				xioctl(dev, HYPER_DMABUF_IOCTL_SIGNAL, &sig);
			}
		}
	}
	printf("flooding\n");
	fflush(stdout);
	for (;;)
		pause();
}

static int import_fails(const struct opts *o, const struct hyper_dmabuf_id *id,
			const char *name)
{
	struct hyper_dmabuf_import im;
	int want = errno_by_name(name);
	char text[128];
	int dev, ret;

	dev = open_device(o->device);
	ret = import_id(dev, id, NULL, &im);
	if (im.fd >= 0)
		close(im.fd);
	snprintf(text, sizeof(text), "IMPORT fails with %s", name);
	expect_errno(text, ret, want);
	close(dev);
	return test_summary();
}

int main(int argc, char **argv)
{
	struct opts o = { .device = DEFAULT_DEVICE };
	const struct test_command command = {
		.synopsis =
			"hdmabuf-test-xen serve --to DOMID --size BYTES --seed N [--rw] [--expect-seed M] [--timeout-ms T] [--persistent] [--vgem [--width W]]\n"
			"       hdmabuf-test-xen check ID --size BYTES --seed N [--write M] [--signal V]\n"
			"       hdmabuf-test-xen mappings ID --size BYTES --seed N\n"
			"       hdmabuf-test-xen pin-reuse ID ID2 --size BYTES --seed N --expect-seed M\n"
			"       hdmabuf-test-xen fence-revoked ID\n"
			"       hdmabuf-test-xen flood ID --count N\n"
			"       hdmabuf-test-xen import-fails ID ERRNO-NAME",
		.about = "The two ends of a share between Xen domains; the source's\n"
			 "opening comment tells each mode.",
		.device = &o.device,
		.max_operands = -1,
		.options = (const struct test_option[]){
			NUMBER_OPTION("to", "DOMID", &o.to, 0, &o.has_to,
				      "the domain to export to"),
			NUMBER_OPTION("size", "BYTES", &o.size, 0, NULL,
				      "the buffer's size"),
			NUMBER_OPTION("seed", "N", &o.seed, 0, NULL,
				      "the pattern it holds"),
			FLAG_OPTION("rw", &o.rw, "export read-write"),
			NUMBER_OPTION("expect-seed", "M", &o.expect_seed, 0,
				      &o.has_expect, "the pattern it holds at the end"),
			NUMBER_OPTION("write", "M", &o.write_seed, 0, &o.has_write,
				      "fill the import with the pattern of M"),
			NUMBER_OPTION("signal", "V", &o.signal, 0, &o.has_signal,
				      "SIGNAL V on the export's timeline"),
			NUMBER_OPTION("timeout-ms", "T", &o.timeout_ms, 0, NULL,
				      "how long serve waits for the importer"),
			FLAG_OPTION("persistent", &o.persistent,
				    "export PERSISTENT, print the id and exit"),
			FLAG_OPTION("expect-sigbus", &o.expect_sigbus,
				    "hold: the mapping ends in SIGBUS"),
			FLAG_OPTION("then-signal", &o.then_signal,
				    "serve: SIGNAL 2 and 3 once 1 is reached"),
			NUMBER_OPTION("count", "N", &o.count, 0, NULL,
				      "how many exports, or flooding processes"),
			FLAG_OPTION("wait-remote", &o.wait_remote,
				    "check: WAIT for the exporter's 2 and 3"),
			FLAG_OPTION("vgem", &o.vgem, "a vgem buffer takes part"),
			NUMBER_OPTION("width", "W", &o.width, 0, NULL,
				      "serve --vgem: the buffer's width in pixels"),
			{ NULL }
		},
	};
	struct hyper_dmabuf_id id;
	const char *mode;
	int arg;	/* the operand after the mode */

	arg = parse_command_line(&command, argc, argv, 1);
	if (arg == argc)
		bad_usage();
	mode = argv[arg++];
	test_start(o.device);
	if (!strcmp(mode, "serve")) {
		if (!o.has_to || !o.size)
			bad_usage();
		return serve(&o);
	}
	if (!strcmp(mode, "serve-many")) {
		if (!o.has_to || !o.size || !o.count)
			bad_usage();
		return serve_many(&o);
	}
	if (!strcmp(mode, "check-many") && arg < argc && o.size)
		return check_many(&o, argv[arg]);
	if (arg >= argc || !parse_id(argv[arg], &id))
		bad_usage();
	if (!strcmp(mode, "check")) {
		if (!o.size)
			bad_usage();
		return do_check(&o, &id);
	}
	if (!strcmp(mode, "hold") && o.size)
		return hold(&o, &id);
	if (!strcmp(mode, "mappings") && o.size)
		return mappings(&o, &id);
	if (!strcmp(mode, "pin-reuse") && arg + 1 < argc && o.size &&
	    o.has_expect) {
		struct hyper_dmabuf_id id2;

		if (!parse_id(argv[arg + 1], &id2))
			bad_usage();
		return pin_reuse(&o, &id, &id2);
	}
	if (!strcmp(mode, "flood") && o.count)
		return flood(&o, &id);
	if (!strcmp(mode, "fence-revoked"))
		return fence_revoked(&o, &id);
	if (!strcmp(mode, "import-fails") && arg + 1 < argc)
		return import_fails(&o, &id, argv[arg + 1]);
	bad_usage();
}
