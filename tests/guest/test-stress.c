// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hdmabuf-test-stress: one domain's side of a stress run between Xen
 * domains, started in each of them by a lab scenario (tests/lab/guest/
 * stress.sh).
 *
 *   hdmabuf-test-stress --peers DOMID[,DOMID...] --cycles N
 *                       [--threads T] [--kill-every K] [--seed S]
 *                       [--max-pages P] [--wait-ms W] [--wait-two-ms W2]
 *                       [--race-ms R]
 *
 * A supervisor process forks a worker: T exporter threads, T importer
 * threads and one thread reading the device's events, all on one open
 * of the device. Every K cycles the supervisor kills the worker with
 * SIGKILL, whatever its threads are doing, and starts another: each peer
 * then sees this domain's user die in the middle of its cycles.
 *
 * A cycle is an exporter's: ALLOC a buffer of 1 to 8 pages (one cycle in
 * 16: up to P pages), fill it with a pattern, EXPORT it to one of the
 * peers, read-write one time in four, with metadata saying what the
 * importer will find (its seed, size, the cycle's kind), then end it by
 * its kind:
 *
 *   unexport       WAIT for the importer's 1, check what it wrote (if
 *                  read-write), SIGNAL 2, UNEXPORT
 *   revoke         the same, then REVOKE (importers may still be mapping)
 *   race-revoke    REVOKE after 0 to R ms, whatever the importer is doing
 *   race-unexport  UNEXPORT after 0 to R ms; if an import was made before,
 *                  WAIT for its 1 and SIGNAL 2
 *
 * The other domain's importer threads hear of the offer (an OFFERED event),
 * IMPORT it, map it and check every byte between DMA_BUF_IOCTL_SYNC start
 * and end, write their own pattern into a read-write one, SIGNAL 1, WAIT
 * for 2 (blocking, or every other cycle a sync_file, polled), then check
 * the mapping once more and let go. An import may be revoked at any point
 * of that: a mapping then raises SIGBUS, mmap and SYNC fail with ENODEV,
 * WAIT with ENODEV. Those are the expected answers of a revocation, and
 * they are accepted only when the import really was revoked (a WAIT of it
 * fails with ENODEV) by a cycle that revokes, or by its exporting domain
 * going down (a PEER_DOWN event). Bytes that differ from the pattern are
 * always a failure, whatever happened.
 *
 * --cycles 0 makes none: the domain only imports. W bounds the
 * exporter's WAIT for 1 (default 10000 ms), W2 the importer's for 2
 * (default 3000 ms): an exporter whose user was killed never sends it.
 *
 * Each outcome is counted by kind, in memory the supervisor and its
 * workers share, so what a killed worker did is counted too. Once all N
 * cycles are started and the last worker's exporters are done, the
 * supervisor prints "exports done"; it keeps the worker serving imports
 * until SIGTERM, then stops it and prints the figures:
 *
 *   stress NAME VALUE      one line per counter
 *   not ok - ...           each failure (the first 32 in full)
 *   # ...                  a summary
 *
 * Exit status: 0 when nothing failed, 1 otherwise, 2 on bad usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/dma-buf.h>

#include "guest-test.h"

#define MAX_PEERS	8
#define MAX_THREADS	16
#define MAX_FAILS	32
#define QUEUE_LEN	1024
#define STRESS_MAGIC	0x53545253U	/* "STRS" */

enum kind { K_UNEXPORT, K_REVOKE, K_RACE_REVOKE, K_RACE_UNEXPORT, K_NUM };

static const char *const kind_names[K_NUM] = {
	"unexport", "revoke", "race-revoke", "race-unexport",
};

/* What the importer learns from the metadata: the blob's first bytes. */
struct stress_meta {
	uint32_t magic;
	uint32_t kind;
	uint32_t seed;
	uint32_t write_seed;	/* 0: read-only */
	uint32_t pages;
	uint32_t cycle;
	uint32_t domid;
	uint32_t reserved;
};

/*
 * The counters. OK: the cycle went as it should. TOLERATED: an answer the
 * module may give under this load (a request timed out, a user died), not
 * a failure, shown so that its share can be judged. FAILED: a failure.
 */
enum class { OK, TOLERATED, FAILED, INFO };

#define COUNTERS(X)							\
	X(E_STARTED, "export.started", INFO)				\
	X(E_UNEXPORTED, "export.unexport.done", OK)			\
	X(E_REVOKED, "export.revoke.done", OK)				\
	X(E_RACE_REVOKED, "export.race-revoke.done", OK)		\
	X(E_RACE_UNUSED, "export.race-unexport.before-import", OK)	\
	X(E_RACE_USED, "export.race-unexport.while-imported", OK)	\
	X(E_RW_CHECKED, "export.read-importers-writes", INFO)		\
	X(E_REVOKE_LEFT, "export.revoke-returned-with-importers", INFO) \
	X(E_NO_IMPORT, "export.no-import-came", TOLERATED)		\
	X(E_NO_SIGNAL, "export.imported-no-signal-in-time", TOLERATED)	\
	X(E_PEER_DOWN, "export.peer-not-connected", TOLERATED)		\
	X(E_WRONG, "export.wrong-bytes", FAILED)			\
	X(E_ERROR, "export.error", FAILED)				\
	X(I_OFFERS, "import.offers-heard", INFO)			\
	X(I_OK, "import.done", OK)					\
	X(I_SYNC_FILE, "import.waited-by-sync-file", INFO)		\
	X(I_WROTE, "import.wrote-rw", INFO)				\
	X(I_GONE, "import.refused-gone", OK)				\
	X(I_REVOKED_SIGBUS, "import.revoked.sigbus", OK)		\
	X(I_REVOKED_MMAP, "import.revoked.mmap-enodev", OK)		\
	X(I_REVOKED_SYNC, "import.revoked.sync-enodev", OK)		\
	X(I_REVOKED_WAIT, "import.revoked.wait-enodev", OK)		\
	X(I_REVOKED_SIGNAL, "import.revoked.signal-refused", OK)	\
	X(I_PEER_DOWN, "import.exporter-down", TOLERATED)		\
	X(I_TIMEDOUT, "import.request-timed-out", TOLERATED)		\
	X(I_NO_TWO, "import.no-2-in-time", TOLERATED)			\
	X(I_AT_STOP, "import.still-waiting-at-the-end", TOLERATED)	\
	X(I_WRONG, "import.wrong-bytes", FAILED)			\
	X(I_REVOKED_WRONGLY, "import.revoked-unasked", FAILED)		\
	X(I_ERROR, "import.error", FAILED)				\
	X(W_STARTED, "worker.started", INFO)				\
	X(W_KILLED, "worker.killed-mid-cycle", INFO)			\
	X(W_CRASHED, "worker.crashed", FAILED)				\
	X(W_STUCK, "worker.did-not-stop", FAILED)			\
	X(W_EVENTS_LOST, "worker.events-lost", TOLERATED)		\
	X(W_PEER_DOWN, "worker.peer-down-events", INFO)

#define AS_ENUM(e, name, cls) e,
enum counter { COUNTERS(AS_ENUM) N_COUNTERS };
#define AS_NAME(e, name, cls) name,
static const char *const counter_names[] = { COUNTERS(AS_NAME) };
#define AS_CLASS(e, name, cls) cls,
static const enum class counter_classes[] = { COUNTERS(AS_CLASS) };

/* Shared by the supervisor and its workers (MAP_SHARED). */
struct shared {
	unsigned long counters[N_COUNTERS];
	unsigned long next_cycle;	/* the next cycle to start */
	unsigned long finished;		/* cycles whose exporter ended */
	int stop;			/* set by the supervisor at SIGTERM */
	int exports_done;		/* the worker's exporters all ended */
	unsigned int nfails;
	/* from EXPORT to the importer's 1, when it came */
	unsigned long to_one_n, to_one_ms, to_one_max_ms;
	char fails[MAX_FAILS][200];
};

struct opts {
	const char *device;
	unsigned int peers[MAX_PEERS];
	unsigned int npeers;
	unsigned long cycles;
	bool has_cycles;
	unsigned int threads;
	unsigned long kill_every;
	uint32_t seed;
	unsigned int max_pages;
	unsigned int wait_ms;
	unsigned int wait_two_ms;
	unsigned int race_ms;
};

static struct opts o = {
	.device = DEFAULT_DEVICE,
	.threads = 3,
	.seed = 1,
	.max_pages = 256,
	.wait_ms = 10000,
	.wait_two_ms = 3000,
	.race_ms = 20,
};
static struct shared *sh;
static unsigned int self_domid;

/* ---- counting ------------------------------------------------------------ */

static void count(enum counter c)
{
	__atomic_add_fetch(&sh->counters[c], 1, __ATOMIC_RELAXED);
}

/* A failure: counted, and its text kept (the first MAX_FAILS). */
static void fail(enum counter c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void fail(enum counter c, const char *fmt, ...)
{
	unsigned int n = __atomic_fetch_add(&sh->nfails, 1, __ATOMIC_RELAXED);
	va_list ap;

	count(c);
	if (n >= MAX_FAILS)
		return;
	va_start(ap, fmt);
	vsnprintf(sh->fails[n], sizeof(sh->fails[n]), fmt, ap);
	va_end(ap);
}

static unsigned long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000UL + t.tv_nsec / 1000000;
}

static bool stopping(void)
{
	return __atomic_load_n(&sh->stop, __ATOMIC_RELAXED);
}

/* A thread's own numbers: xorshift. */
static uint32_t next_rand(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x ? x : 1;
	return *state;
}

static const char *id_text(const struct hyper_dmabuf_id *id, char *buf,
			   size_t len)
{
	snprintf(buf, len, "%u:%u", id->domid, id->serial);
	return buf;
}

/* ---- guarded access to a mapping ----------------------------------------- */

static __thread sigjmp_buf bus_jump;
static __thread volatile sig_atomic_t bus_armed;

/* SIGBUS in a guarded access jumps back; anywhere else it kills. */
static void on_sigbus(int sig)
{
	if (bus_armed) {
		bus_armed = 0;
		siglongjmp(bus_jump, 1);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

enum access { GOOD, WRONG, BUS };

/*
 * Check (or with @write, fill) @size bytes at @p against the pattern of
 * @seed; a SIGBUS ends it. @why says where the bytes differ.
 */
static enum access guarded(volatile uint32_t *p, size_t size, uint32_t seed,
			   bool write, struct why *why)
{
	volatile size_t i = 0;
	uint32_t got, want;

	if (sigsetjmp(bus_jump, 1)) {
		because(why, "SIGBUS at byte %zu", (size_t)i * 4);
		return BUS;
	}
	bus_armed = 1;
	for (i = 0; i < size / 4; i++) {
		want = pattern_word(i, seed);
		if (write) {
			p[i] = want;
			continue;
		}
		got = p[i];
		if (got != want) {
			bus_armed = 0;
			because(why, "word %zu of %zu is 0x%08x, expected 0x%08x",
				(size_t)i, size / 4, got, want);
			return WRONG;
		}
	}
	bus_armed = 0;
	return GOOD;
}

/* ---- the worker: offers heard, handed to the importers ------------------- */

struct offer {
	struct hyper_dmabuf_id id;
	uint32_t from;
};

static int dev = -1;
static struct offer queue[QUEUE_LEN];
static unsigned int q_head, q_len;
static pthread_mutex_t q_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t q_cond = PTHREAD_COND_INITIALIZER;
/* PEER_DOWN events heard, per peer (index in o.peers) */
static unsigned long down_gen[MAX_PEERS];
static int exporters_left;

static int peer_index(uint32_t domid)
{
	unsigned int i;

	for (i = 0; i < o.npeers; i++)
		if (o.peers[i] == domid)
			return i;
	return -1;
}

static unsigned long peer_downs(int peer)
{
	return peer < 0 ? 0 : __atomic_load_n(&down_gen[peer], __ATOMIC_ACQUIRE);
}

static void *event_thread(void *arg __attribute__((unused)))
{
	struct hyper_dmabuf_event ev[32];
	struct pollfd pfd = { .fd = dev, .events = POLLIN };
	ssize_t n, i;
	int peer;

	while (!stopping()) {
		if (poll(&pfd, 1, 200) <= 0)
			continue;
		n = read(dev, ev, sizeof(ev));
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				fail(I_ERROR, "read of events: %s", strerror(errno));
			continue;
		}
		for (i = 0; i < n / (ssize_t)sizeof(ev[0]); i++) {
			switch (ev[i].type) {
			case HYPER_DMABUF_EVENT_OVERFLOW:
				__atomic_add_fetch(&sh->counters[W_EVENTS_LOST],
						   ev[i].value, __ATOMIC_RELAXED);
				break;
			case HYPER_DMABUF_EVENT_PEER_DOWN:
				peer = peer_index(ev[i].peer);
				if (peer >= 0) {
					count(W_PEER_DOWN);
					__atomic_add_fetch(&down_gen[peer], 1,
							   __ATOMIC_RELEASE);
				}
				break;
			case HYPER_DMABUF_EVENT_OFFERED:
				if (peer_index(ev[i].peer) < 0)
					break;
				count(I_OFFERS);
				pthread_mutex_lock(&q_lock);
				if (q_len < QUEUE_LEN) {
					queue[(q_head + q_len) % QUEUE_LEN] =
						(struct offer){ ev[i].id, ev[i].peer };
					q_len++;
					pthread_cond_signal(&q_cond);
				} else {
					fail(I_ERROR, "more than %d offers waiting",
					     QUEUE_LEN);
				}
				pthread_mutex_unlock(&q_lock);
				break;
			}
		}
	}
	pthread_mutex_lock(&q_lock);
	pthread_cond_broadcast(&q_cond);
	pthread_mutex_unlock(&q_lock);
	return NULL;
}

static bool next_offer(struct offer *out)
{
	struct timespec ts;
	bool got = false;

	pthread_mutex_lock(&q_lock);
	while (!q_len && !stopping()) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 200000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&q_cond, &q_lock, &ts);
	}
	if (q_len && !stopping()) {
		*out = queue[q_head];
		q_head = (q_head + 1) % QUEUE_LEN;
		q_len--;
		got = true;
	}
	pthread_mutex_unlock(&q_lock);
	return got;
}

/* ---- the importer's side -------------------------------------------------- */

/* Whether the import of @id here was revoked: a WAIT of it says ENODEV. */
static bool import_revoked(const struct hyper_dmabuf_id *id)
{
	struct hyper_dmabuf_wait w;
	int i, ret;

	/* the mappings go first, the timeline right after */
	for (i = 0; i < 50; i++) {
		w = (struct hyper_dmabuf_wait){ .id = *id, .value = 1ULL << 40 };
		ret = xioctl(dev, HYPER_DMABUF_IOCTL_WAIT, &w);
		if (ret == ENODEV)
			return true;
		sleep_ms(20);
	}
	return false;
}

/*
 * The import was revoked (the answer @how shows it): fine for a cycle that
 * revokes, or when its exporting domain went down (it may take a moment
 * for that event to be read); a failure otherwise.
 */
static void revoked(const struct offer *of, const struct stress_meta *m,
		    unsigned long downs, enum counter how, const char *what)
{
	int peer = peer_index(of->from);
	char idt[48];
	int i;

	id_text(&of->id, idt, sizeof(idt));
	if (!import_revoked(&of->id)) {
		fail(I_ERROR, "%s of %s (%s): %s, yet the import is not revoked",
		     what, idt, kind_names[m->kind], counter_names[how]);
		return;
	}
	if (m->kind == K_REVOKE || m->kind == K_RACE_REVOKE) {
		count(how);
		return;
	}
	for (i = 0; i < 100 && peer_downs(peer) == downs; i++)
		sleep_ms(20);
	if (peer_downs(peer) != downs)
		count(I_PEER_DOWN);
	else
		fail(I_REVOKED_WRONGLY,
		     "%s of %s: revoked, in a cycle of kind %s, which never revokes, and its exporter is up",
		     what, idt, kind_names[m->kind]);
}

static void import_one(const struct offer *of, uint32_t *rnd)
{
	struct hyper_dmabuf_signal sig = { .id = of->id, .value = 1 };
	struct hyper_dmabuf_wait w = { .id = of->id, .value = 2 };
	struct hyper_dmabuf_meta meta;
	struct hyper_dmabuf_import im;
	struct stress_meta m;
	struct pollfd pfd = { .events = POLLIN };
	unsigned long downs = peer_downs(peer_index(of->from));
	struct why why = { "" };
	enum access a;
	bool rw, by_file;
	uint32_t check_seed;
	char idt[48];
	void *p;
	int ret;

	id_text(&of->id, idt, sizeof(idt));
	ret = import_id(dev, &of->id, &meta, &im);
	switch (ret) {
	case 0:
		break;
	case ENOENT:
		count(I_GONE);
		return;
	case ENOTCONN:
		count(I_PEER_DOWN);
		return;
	case ETIMEDOUT:
		count(I_TIMEDOUT);
		return;
	default:
		fail(I_ERROR, "IMPORT of %s from %u: %s", idt, of->from,
		     strerror(ret));
		return;
	}
	memcpy(&m, meta.blob, sizeof(m));
	if (meta.blob_len != sizeof(m) || m.magic != STRESS_MAGIC ||
	    m.kind >= K_NUM || m.domid != of->from) {
		fail(I_ERROR, "import of %s: its metadata is not the stress's",
		     idt);
		goto out_close;
	}
	if (im.size != (uint64_t)m.pages * 4096) {
		fail(I_WRONG, "import of %s: %llu bytes, the exporter made %u pages",
		     idt, (unsigned long long)im.size, m.pages);
		goto out_close;
	}
	rw = m.write_seed != 0;
	p = mmap(NULL, im.size, PROT_READ | (rw ? PROT_WRITE : 0), MAP_SHARED,
		 im.fd, 0);
	if (p == MAP_FAILED) {
		ret = errno;
		if (ret == ENODEV)
			revoked(of, &m, downs, I_REVOKED_MMAP, "mmap");
		else
			fail(I_ERROR, "mmap of %s: %s", idt, strerror(ret));
		goto out_close;
	}
	ret = buf_sync(im.fd, DMA_BUF_SYNC_START |
		       (rw ? DMA_BUF_SYNC_RW : DMA_BUF_SYNC_READ));
	if (ret) {
		if (ret == ENODEV)
			revoked(of, &m, downs, I_REVOKED_SYNC, "SYNC start");
		else
			fail(I_ERROR, "SYNC start of %s: %s", idt, strerror(ret));
		goto out_unmap;
	}
	a = guarded(p, im.size, m.seed, false, &why);
	if (a == GOOD && rw) {
		a = guarded(p, im.size, m.write_seed, true, &why);
		if (a == GOOD)
			count(I_WROTE);
	}
	if (a == GOOD) {
		ret = buf_sync(im.fd, DMA_BUF_SYNC_END |
			       (rw ? DMA_BUF_SYNC_RW : DMA_BUF_SYNC_READ));
		/* SYNC end has nothing to refuse: it only syncs */
		if (ret)
			fail(I_ERROR, "SYNC end of %s: %s", idt, strerror(ret));
	}
	if (a == WRONG) {
		fail(I_WRONG, "import of %s (%s, %u pages, cycle %u of domain %u): %s",
		     idt, kind_names[m.kind], m.pages, m.cycle, m.domid, why.text);
		goto out_unmap;
	}
	if (a == BUS) {
		revoked(of, &m, downs, I_REVOKED_SIGBUS, why.text);
		goto out_unmap;
	}

	ret = xioctl(dev, HYPER_DMABUF_IOCTL_SIGNAL, &sig);
	if (ret) {
		if (ret == ENOTCONN) {
			count(I_PEER_DOWN);
		} else if (ret == ETIMEDOUT) {
			count(I_TIMEDOUT);
		} else if (ret == ENOENT || ret == ENODEV) {
			/* the export is gone: only after a revoke */
			revoked(of, &m, downs, I_REVOKED_SIGNAL, "SIGNAL 1");
		} else {
			fail(I_ERROR, "SIGNAL 1 of %s: %s", idt, strerror(ret));
		}
		goto out_unmap;
	}

	by_file = next_rand(rnd) & 1;
	if (by_file) {
		w.flags = HYPER_DMABUF_WAIT_SYNC_FILE;
		w.timeout_ms = o.wait_two_ms;
		ret = xioctl(dev, HYPER_DMABUF_IOCTL_WAIT, &w);
		if (!ret) {
			count(I_SYNC_FILE);
			pfd.fd = w.fence_fd;
			/* the fence's own deadline ends it: this is a bound */
			ret = poll(&pfd, 1, o.wait_two_ms + 5000);
			if (ret < 0 && errno == EINTR && stopping()) {
				count(I_AT_STOP);
				close(w.fence_fd);
				goto out_unmap;
			}
			if (ret != 1) {
				ret = ret ? errno : ETIMEDOUT;
				fail(I_ERROR, "poll of the sync_file of %s: %s",
				     idt, ret == ETIMEDOUT ?
				     "not signalled past its deadline" :
				     strerror(ret));
				close(w.fence_fd);
				goto out_unmap;
			}
			close(w.fence_fd);
			/* how it ended: a WAIT that returns at once */
			w = (struct hyper_dmabuf_wait){ .id = of->id, .value = 2 };
			ret = xioctl(dev, HYPER_DMABUF_IOCTL_WAIT, &w);
		}
	} else {
		w.timeout_ms = o.wait_two_ms;
		ret = xioctl(dev, HYPER_DMABUF_IOCTL_WAIT, &w);
	}
	if (ret == ENODEV) {
		revoked(of, &m, downs, I_REVOKED_WAIT, "WAIT 2");
		goto out_unmap;
	}
	if (ret == ETIMEDOUT) {
		count(I_NO_TWO);
		goto out_unmap;
	}
	/* told to stop: every exporter is done, no 2 is coming any more */
	if (ret == EINTR && stopping()) {
		count(I_AT_STOP);
		goto out_unmap;
	}
	if (ret) {
		fail(I_ERROR, "WAIT 2 of %s: %s", idt, strerror(ret));
		goto out_unmap;
	}

	/* once more: what this side left there, or SIGBUS once revoked */
	check_seed = rw ? m.write_seed : m.seed;
	a = guarded(p, im.size, check_seed, false, &why);
	if (a == WRONG)
		fail(I_WRONG, "import of %s (%s, cycle %u of domain %u), checked again after 2: %s",
		     idt, kind_names[m.kind], m.cycle, m.domid, why.text);
	else if (a == BUS)
		revoked(of, &m, downs, I_REVOKED_SIGBUS, why.text);
	else
		count(I_OK);
out_unmap:
	munmap(p, im.size);
out_close:
	close(im.fd);
}

static void *importer_thread(void *arg)
{
	uint32_t rnd = hash32(o.seed ^ self_domid << 8 ^ (uint32_t)getpid() ^
			   (uint32_t)(uintptr_t)arg << 20) | 1;
	struct offer of;

	while (next_offer(&of))
		import_one(&of, &rnd);
	return NULL;
}

/* ---- the exporter's side -------------------------------------------------- */

/* After WAIT for 1 timed out: did an import come at all? */
static void no_signal(const struct hyper_dmabuf_id *id)
{
	struct hyper_dmabuf_info info;
	int ret = query_id(dev, id, &info);

	if (!ret && info.importers)
		count(E_NO_SIGNAL);
	else
		count(E_NO_IMPORT);
}

/*
 * WAIT for the importer's 1 (the export was made at @t0, in ms); 0, or -1
 * once counted why not.
 */
static int wait_one(const struct hyper_dmabuf_id *id, uint32_t peer,
		    unsigned long t0)
{
	struct hyper_dmabuf_wait w = { .id = *id, .value = 1,
				       .timeout_ms = o.wait_ms };
	int ret = xioctl(dev, HYPER_DMABUF_IOCTL_WAIT, &w);
	unsigned long ms, max;
	char idt[48];

	if (!ret) {
		ms = now_ms() - t0;
		__atomic_add_fetch(&sh->to_one_n, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&sh->to_one_ms, ms, __ATOMIC_RELAXED);
		max = __atomic_load_n(&sh->to_one_max_ms, __ATOMIC_RELAXED);
		while (ms > max &&
		       !__atomic_compare_exchange_n(&sh->to_one_max_ms, &max, ms,
						    false, __ATOMIC_RELAXED,
						    __ATOMIC_RELAXED))
			;
		return 0;
	}
	if (ret == ETIMEDOUT)
		no_signal(id);
	else
		fail(E_ERROR, "WAIT 1 of %s (to %u): %s",
		     id_text(id, idt, sizeof(idt)), peer, strerror(ret));
	return -1;
}

static bool end_signal(const struct hyper_dmabuf_id *id)
{
	int ret = signal_id(dev, id, 2);
	char idt[48];

	if (ret)
		fail(E_ERROR, "SIGNAL 2 of %s: %s",
		     id_text(id, idt, sizeof(idt)), strerror(ret));
	return !ret;
}

static bool revoke_id(const struct hyper_dmabuf_id *id)
{
	struct hyper_dmabuf_revoke r = { .id = *id };
	int ret = xioctl(dev, HYPER_DMABUF_IOCTL_REVOKE, &r);
	char idt[48];

	if (ret) {
		fail(E_ERROR, "REVOKE of %s: %s", id_text(id, idt, sizeof(idt)),
		     strerror(ret));
		return false;
	}
	if (r.remaining)
		count(E_REVOKE_LEFT);
	return true;
}

static bool unexport(const struct hyper_dmabuf_id *id)
{
	int ret = unexport_id(dev, id, 0);
	char idt[48];

	if (ret)
		fail(E_ERROR, "UNEXPORT of %s: %s", id_text(id, idt, sizeof(idt)),
		     strerror(ret));
	return !ret;
}

static void export_one(unsigned long cycle, uint32_t *rnd)
{
	uint32_t r = hash32(o.seed * 0x9e3779b9U ^ self_domid << 24 ^ (uint32_t)cycle);
	uint32_t pick = r % 100, peer = o.peers[(r >> 8) % o.npeers];
	struct stress_meta m = {
		.magic = STRESS_MAGIC,
		.seed = hash32(r + 1) | 1,
		.cycle = cycle,
		.domid = self_domid,
	};
	struct hyper_dmabuf_meta meta = { .blob_len = sizeof(m) };
	struct hyper_dmabuf_export e;
	struct hyper_dmabuf_info info;
	struct why why = { "" };
	unsigned long t0;
	struct buf b;
	char idt[48];
	int ret;

	m.kind = pick < 40 ? K_UNEXPORT : pick < 60 ? K_REVOKE :
		 pick < 85 ? K_RACE_REVOKE : K_RACE_UNEXPORT;
	if (((r >> 12) & 3) == 0)
		m.write_seed = hash32(r + 2) | 1;
	m.pages = ((r >> 14) & 15) == 0 ? 1 + (r >> 18) % o.max_pages :
		  1 + (r >> 18) % 8;
	snprintf(meta.name, sizeof(meta.name), "stress %u", (unsigned int)cycle);
	memcpy(meta.blob, &m, sizeof(m));

	ret = alloc_buf(dev, (uint64_t)m.pages * 4096, &b);
	if (ret) {
		fail(E_ERROR, "ALLOC of %u pages: %s", m.pages, strerror(ret));
		return;
	}
	if (!fill_fd(b.fd, b.size, m.seed, &why)) {
		fail(E_ERROR, "fill of the ALLOC buffer: %s", why.text);
		goto out;
	}
	e = export_args(b.fd, m.write_seed ? HYPER_DMABUF_EXPORT_RW : 0, &meta);
	e.peer = peer;
	t0 = now_ms();
	ret = do_export(dev, &e);
	if (ret == ENOTCONN) {
		count(E_PEER_DOWN);
		goto out;
	}
	if (ret) {
		fail(E_ERROR, "EXPORT of %u pages to %u: %s", m.pages, peer,
		     strerror(ret));
		goto out;
	}
	id_text(&e.id, idt, sizeof(idt));

	switch (m.kind) {
	case K_UNEXPORT:
	case K_REVOKE:
		if (wait_one(&e.id, peer, t0)) {
			unexport(&e.id);
			break;
		}
		if (m.write_seed) {
			if (verify_fd(b.fd, b.size, m.write_seed, &why))
				count(E_RW_CHECKED);
			else
				fail(E_WRONG, "export %s to %u: the importer's writes: %s",
				     idt, peer, why.text);
		}
		if (!end_signal(&e.id)) {
			unexport(&e.id);
			break;
		}
		if (m.kind == K_UNEXPORT ? unexport(&e.id) : revoke_id(&e.id))
			count(m.kind == K_UNEXPORT ? E_UNEXPORTED : E_REVOKED);
		break;
	case K_RACE_REVOKE:
		sleep_ms(next_rand(rnd) % (o.race_ms + 1));
		if (revoke_id(&e.id))
			count(E_RACE_REVOKED);
		break;
	case K_RACE_UNEXPORT:
		sleep_ms(next_rand(rnd) % (o.race_ms + 1));
		if (!unexport(&e.id))
			break;
		/* off offer: the importers now can only go, not come */
		ret = query_id(dev, &e.id, &info);
		if (ret == ENOENT || (!ret && !info.importers)) {
			count(E_RACE_UNUSED);
			break;
		}
		if (ret) {
			fail(E_ERROR, "QUERY of %s after UNEXPORT: %s", idt,
			     strerror(ret));
			break;
		}
		if (!wait_one(&e.id, peer, t0) && end_signal(&e.id))
			count(E_RACE_USED);
		break;
	}
out:
	close(b.fd);
}

static void *exporter_thread(void *arg)
{
	uint32_t rnd = hash32(o.seed ^ self_domid << 4 ^ (uint32_t)getpid() ^
			   (uint32_t)(uintptr_t)arg << 16) | 1;
	unsigned long c;

	for (;;) {
		if (stopping())
			break;
		c = __atomic_fetch_add(&sh->next_cycle, 1, __ATOMIC_RELAXED);
		if (c >= o.cycles)
			break;
		count(E_STARTED);
		export_one(c, &rnd);
		__atomic_add_fetch(&sh->finished, 1, __ATOMIC_RELAXED);
	}
	if (!__atomic_sub_fetch(&exporters_left, 1, __ATOMIC_RELAXED))
		__atomic_store_n(&sh->exports_done, 1, __ATOMIC_RELAXED);
	return NULL;
}

static void on_sigusr1(int sig __attribute__((unused)))
{
}

static int worker(void)
{
	struct sigaction sa = { .sa_handler = on_sigbus };
	/* no SA_RESTART: a WAIT or poll it interrupts returns EINTR */
	struct sigaction wake = { .sa_handler = on_sigusr1 };
	pthread_t ev, ex[MAX_THREADS], im[MAX_THREADS];
	unsigned int i;

	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGUSR1, &wake, NULL);
	signal(SIGTERM, SIG_DFL);
	dev = open(o.device, O_RDWR | O_CLOEXEC);
	if (dev < 0) {
		fail(W_CRASHED, "worker: open %s: %s", o.device, strerror(errno));
		return 1;
	}
	exporters_left = o.threads;
	if (pthread_create(&ev, NULL, event_thread, NULL)) {
		fail(W_CRASHED, "worker: no thread");
		return 1;
	}
	/* the event thread is listening before any offer can come */
	sleep_ms(50);
	for (i = 0; i < o.threads; i++) {
		if (pthread_create(&im[i], NULL, importer_thread,
				   (void *)(uintptr_t)i) ||
		    pthread_create(&ex[i], NULL, exporter_thread,
				   (void *)(uintptr_t)i)) {
			fail(W_CRASHED, "worker: no thread");
			_exit(1);
		}
	}
	for (i = 0; i < o.threads; i++)
		pthread_join(ex[i], NULL);
	while (!stopping())
		sleep_ms(50);
	/*
	 * Every exporter of every domain is done: an importer still waiting
	 * for a 2 waits for nothing. Woken until it ends (a signal may come
	 * just before it blocks).
	 */
	for (i = 0; i < o.threads; i++) {
		while (pthread_tryjoin_np(im[i], NULL) == EBUSY) {
			pthread_kill(im[i], SIGUSR1);
			sleep_ms(50);
		}
	}
	pthread_join(ev, NULL);
	close(dev);
	return 0;
}

/* ---- the supervisor ------------------------------------------------------- */

static volatile sig_atomic_t terminated;

static void on_sigterm(int sig __attribute__((unused)))
{
	terminated = 1;
}

static pid_t start_worker(void)
{
	pid_t pid;

	__atomic_store_n(&sh->exports_done, 0, __ATOMIC_RELAXED);
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("not ok - fork of a worker: %s\n", strerror(errno));
		exit(EXIT_FAILURE);
	}
	if (!pid)
		_exit(worker());
	count(W_STARTED);
	return pid;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) + (t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The worker ended on its own: a failure unless it was told to stop. */
static void worker_ended(int status)
{
	char text[64];

	if (WIFEXITED(status) && !WEXITSTATUS(status))
		return;
	fail(W_CRASHED, "worker: %s", wait_status_text(status, text,
						      sizeof(text)));
}

static int report(double secs)
{
	unsigned long failed = 0, v;
	unsigned int i, nfails;

	printf("# stress in domain %u: %lu cycles of %lu started, %lu ended, in %.0f s; %u exporter and %u importer threads\n",
	       self_domid, sh->counters[E_STARTED], o.cycles, sh->finished,
	       secs, o.threads, o.threads);
	printf("stress seconds %.0f\n", secs);
	printf("stress cycles %lu\n", o.cycles);
	printf("stress threads %u\n", o.threads);
	printf("stress export.interrupted %lu\n",
	       sh->counters[E_STARTED] - sh->finished);
	printf("stress latency.export-to-1.count %lu\n", sh->to_one_n);
	printf("stress latency.export-to-1.ms-sum %lu\n", sh->to_one_ms);
	printf("stress latency.export-to-1.ms-max %lu\n", sh->to_one_max_ms);
	for (i = 0; i < N_COUNTERS; i++) {
		v = sh->counters[i];
		printf("stress %s %lu\n", counter_names[i], v);
		if (counter_classes[i] == FAILED)
			failed += v;
	}
	nfails = sh->nfails < MAX_FAILS ? sh->nfails : MAX_FAILS;
	for (i = 0; i < nfails; i++)
		printf("not ok - %s\n", sh->fails[i]);
	if (sh->nfails > MAX_FAILS)
		printf("# %u more failures not shown\n", sh->nfails - MAX_FAILS);
	printf("# stress in domain %u: %lu failures\n", self_domid, failed);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

static int supervise(void)
{
	struct sigaction sa = { .sa_handler = on_sigterm };
	unsigned long next_kill = o.kill_every;
	uint32_t rnd = hash32(o.seed ^ self_domid) | 1;
	bool said_done = false;
	double next_progress = 60, stop_at;
	struct timespec t0;
	int status, i;
	pid_t pid, got = 0;

	sigaction(SIGTERM, &sa, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	printf("# stress in domain %u: %lu cycles to peers", self_domid,
	       o.cycles);
	for (i = 0; i < (int)o.npeers; i++)
		printf(" %u", o.peers[i]);
	printf(", %u threads each way, a kill every %lu cycles\n", o.threads,
	       o.kill_every);
	pid = start_worker();
	while (!terminated) {
		sleep_ms(20);
		if (seconds_since(&t0) >= next_progress) {
			printf("# progress in domain %u: %lu of %lu cycles started, %lu ended, %u failures, %.0f s\n",
			       self_domid, sh->counters[E_STARTED], o.cycles,
			       sh->finished, sh->nfails, seconds_since(&t0));
			fflush(stdout);
			next_progress += 60;
		}
		got = waitpid(pid, &status, WNOHANG);
		if (got == pid) {
			worker_ended(status);
			pid = start_worker();
			continue;
		}
		if (!said_done && __atomic_load_n(&sh->exports_done, __ATOMIC_RELAXED) &&
		    sh->next_cycle >= o.cycles) {
			printf("exports done in %.0f s\n", seconds_since(&t0));
			fflush(stdout);
			said_done = true;
		}
		if (o.kill_every && sh->next_cycle >= next_kill &&
		    sh->next_cycle < o.cycles) {
			/* somewhere in the middle of some cycle */
			sleep_ms(next_rand(&rnd) % 50);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
				worker_ended(status);
			else
				count(W_KILLED);
			next_kill += o.kill_every;
			pid = start_worker();
		}
	}
	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELAXED);
	stop_at = seconds_since(&t0);
	/* a thread may be in a request, of 5 s at most */
	for (i = 0; i < (int)(o.wait_ms + 10000) / 50; i++) {
		got = waitpid(pid, &status, WNOHANG);
		if (got == pid)
			break;
		sleep_ms(50);
	}
	if (got == pid) {
		worker_ended(status);
		printf("# stress in domain %u: the worker stopped %.1f s after it was told\n",
		       self_domid, seconds_since(&t0) - stop_at);
	} else {
		fail(W_STUCK, "worker: still running %u ms after it was told to stop",
		     o.wait_ms + 10000);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	return report(seconds_since(&t0));
}

/* ---- options -------------------------------------------------------------- */

/* --peers DOMID[,DOMID...] */
static void parse_peers(const char *s, void *value)
{
	char *copy = strdup(s), *tok, *save = NULL;

	(void)value;	/* o, as the rest of the program finds it */
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (o.npeers == MAX_PEERS)
			usage_error("--peers: at most %d domains", MAX_PEERS);
		o.peers[o.npeers++] = parse_number("peers", tok, UINT_MAX);
	}
	free(copy);
}

int main(int argc, char **argv)
{
	/* the opening comment tells what they mean */
	const struct test_command command = {
		.synopsis = "hdmabuf-test-stress --peers DOMID[,DOMID...] --cycles N [OPTIONS]",
		.device = &o.device,
		.options = (const struct test_option[]){
			CALL_OPTION("peers", "DOMID[,DOMID...]", parse_peers,
				    NULL, "the domains to share with"),
			NUMBER_OPTION("cycles", "N", &o.cycles, 0,
				      &o.has_cycles, "exports to make"),
			NUMBER_OPTION("threads", "T", &o.threads, MAX_THREADS,
				      NULL, "exporter and importer threads"),
			NUMBER_OPTION("kill-every", "K", &o.kill_every, 0, NULL,
				      "kill the worker every K cycles"),
			NUMBER_OPTION("seed", "S", &o.seed, 0, NULL, "the seed"),
			NUMBER_OPTION("max-pages", "P", &o.max_pages, 0, NULL,
				      "the largest buffer, in pages"),
			NUMBER_OPTION("wait-ms", "W", &o.wait_ms, 60000, NULL,
				      "the exporter's WAIT for 1"),
			NUMBER_OPTION("race-ms", "R", &o.race_ms, 0, NULL,
				      "the longest delay of a race"),
			NUMBER_OPTION("wait-two-ms", "W2", &o.wait_two_ms,
				      60000, NULL, "the importer's WAIT for 2"),
			{ NULL }
		},
	};
	struct hyper_dmabuf_caps caps;
	int fd;

	parse_command_line(&command, argc, argv, 1);
	if (!o.npeers || !o.has_cycles || !o.threads || !o.max_pages)
		bad_usage();
	test_start(o.device);
	fd = open_device(o.device);
	get_caps(fd, &caps);
	close(fd);
	if (!(caps.flags & HYPER_DMABUF_CAPS_DOMID_VALID)) {
		printf("not ok - this domain's id is not known (not on Xen?)\n");
		return EXIT_FAILURE;
	}
	self_domid = caps.domid;
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		printf("not ok - mmap of the shared counters: %s\n",
		       strerror(errno));
		return EXIT_FAILURE;
	}
	return supervise();
}
