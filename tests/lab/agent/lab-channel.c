// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lab-channel: the lab's command channel between dom0 and its domUs, over
 * xenstore (no network in the lab).
 *
 *   lab-channel agent                       in a domU: serve commands
 *   lab-channel on [-t SEC] DOMU CMD...     in dom0: run CMD in DOMU (one
 *                                           argument: a shell command line;
 *                                           several: a command and its
 *                                           arguments, passed intact)
 *   lab-channel wait-ready [-t SEC] DOMU... in dom0: wait for the agents
 *   lab-channel domid DOMU                  in dom0: print a domain's id
 *
 * Everything lives below /local/domain/<domid>/data/lab, which the domU may
 * write:
 *   ready               written by the agent once it serves requests
 *   req/<seq>           a command line, written by dom0 (run by sh -c)
 *   rsp/<seq>/<n>       output chunk n: 'o' or 'e' (stdout, stderr) + bytes
 *   rsp/<seq>/rc        "<exit status> <number of chunks>", written last
 * dom0 removes each chunk once printed, which keeps the domU within its
 * xenstore quota; the agent retries a write refused for quota.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xenstore.h>

#define CHUNK_MAX	1900	/* below xenstored's 2048-byte node quota */
#define QUOTA_RETRY_MS	20
#define QUOTA_GIVE_UP_S	120

static const char *prog = "lab-channel";

static void die(int status, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct xs_handle *xs_connect(void)
{
	struct xs_handle *h = xs_open(0);

	if (!h)
		die(125, "cannot connect to xenstore: %s", strerror(errno));
	return h;
}

static char *xs_read_str(struct xs_handle *h, const char *path)
{
	unsigned int len;

	return xs_read(h, XBT_NULL, path, &len);
}

static void xs_write_str(struct xs_handle *h, const char *path, const char *s)
{
	if (!xs_write(h, XBT_NULL, path, s, strlen(s)))
		die(125, "cannot write %s: %s", path, strerror(errno));
}

/* Wait up to @timeout seconds (negative: forever) for a watch event. */
static bool wait_event(struct xs_handle *h, double timeout)
{
	struct pollfd pfd = { .fd = xs_fileno(h), .events = POLLIN };
	char **ev;
	int ms = timeout < 0 ? -1 : (int)(timeout * 1000) + 1;

	if (poll(&pfd, 1, ms) <= 0)
		return false;
	while ((ev = xs_check_watch(h)))
		free(ev);
	return true;
}

static char *lab_path(unsigned int domid, const char *fmt, ...)
{
	char rel[256], *path;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rel, sizeof(rel), fmt, ap);
	va_end(ap);
	if (asprintf(&path, "/local/domain/%u/data/lab%s", domid, rel) < 0)
		die(125, "out of memory");
	return path;
}

/* ---- agent (domU side) ---- */

/* Write one output chunk, waiting while xenstored refuses it for quota. */
static void put_chunk(struct xs_handle *h, const char *path,
		      const char *buf, size_t len)
{
	double give_up = now() + QUOTA_GIVE_UP_S;

	while (!xs_write(h, XBT_NULL, path, buf, len)) {
		if (now() > give_up)
			die(1, "cannot write %s: %s", path, strerror(errno));
		usleep(QUOTA_RETRY_MS * 1000);
	}
}

/* Copy what is readable on @fd into chunk nodes; false at end of file. */
static bool pump(struct xs_handle *h, unsigned int domid, const char *seq,
		 int fd, char tag, unsigned int *n)
{
	char buf[CHUNK_MAX + 1];
	ssize_t len = read(fd, buf + 1, CHUNK_MAX);
	char *path;

	if (len < 0 && errno == EINTR)
		return true;
	if (len <= 0)
		return false;
	buf[0] = tag;
	path = lab_path(domid, "/rsp/%s/%u", seq, (*n)++);
	put_chunk(h, path, buf, len + 1);
	free(path);
	return true;
}

static int spawn(const char *cmd, int out[2], int err[2])
{
	pid_t pid;
	int null;

	/* close-on-exec: a command's background jobs must not hold them */
	if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC))
		die(1, "pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		die(1, "fork: %s", strerror(errno));
	if (pid == 0) {
		null = open("/dev/null", O_RDONLY | O_CLOEXEC);
		dup2(null, 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		close(out[0]);
		close(err[0]);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	return pid;
}

static void serve(unsigned int domid, const char *seq, const char *cmd)
{
	struct xs_handle *h;
	int out[2], err[2], status;
	struct pollfd pfd[2];
	unsigned int n = 0, open_fds = 2;
	char rc[32], *path;
	pid_t pid;

	/* the agent reaps nothing; this process must reap its command */
	signal(SIGCHLD, SIG_DFL);
	h = xs_connect();
	pid = spawn(cmd, out, err);

	pfd[0] = (struct pollfd){ .fd = out[0], .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = err[0], .events = POLLIN };
	while (open_fds) {
		if (poll(pfd, 2, -1) < 0 && errno != EINTR)
			die(1, "poll: %s", strerror(errno));
		for (int i = 0; i < 2; i++) {
			if (!pfd[i].revents)
				continue;
			if (!pump(h, domid, seq, pfd[i].fd, i ? 'e' : 'o', &n)) {
				close(pfd[i].fd);
				pfd[i].fd = -1;
				open_fds--;
			}
		}
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die(1, "waitpid: %s", strerror(errno));
	snprintf(rc, sizeof(rc), "%d %u",
		 WIFEXITED(status) ? WEXITSTATUS(status)
				   : 128 + WTERMSIG(status), n);
	path = lab_path(domid, "/rsp/%s/rc", seq);
	put_chunk(h, path, rc, strlen(rc));
	exit(0);
}

static unsigned int own_domid(struct xs_handle *h)
{
	char *s = xs_read_str(h, "domid");
	unsigned int domid;

	if (!s || sscanf(s, "%u", &domid) != 1)
		die(125, "cannot read this domain's id from xenstore");
	free(s);
	return domid;
}

/* Take each request node once: whoever removes it first runs it. */
static void take_request(struct xs_handle *h, unsigned int domid,
			 const char *seq)
{
	char *path = lab_path(domid, "/req/%s", seq);
	char *cmd = xs_read_str(h, path);

	if (cmd && xs_rm(h, XBT_NULL, path)) {
		fflush(NULL);
		if (fork() == 0)
			serve(domid, seq, cmd);
	}
	free(cmd);
	free(path);
}

static __attribute__((noreturn)) void cmd_agent(void)
{
	struct xs_handle *h = xs_connect();
	unsigned int domid = own_domid(h), num, i;
	char *base = lab_path(domid, ""), *req = lab_path(domid, "/req");
	char *rsp = lab_path(domid, "/rsp"), *ready = lab_path(domid, "/ready");
	char **seqs;
	struct sigaction sa = { .sa_handler = SIG_IGN, .sa_flags = SA_NOCLDWAIT };

	sigaction(SIGCHLD, &sa, NULL);
	xs_rm(h, XBT_NULL, base);
	if (!xs_mkdir(h, XBT_NULL, req) || !xs_mkdir(h, XBT_NULL, rsp))
		die(125, "cannot create %s: %s", base, strerror(errno));
	if (!xs_watch(h, req, "req"))
		die(125, "cannot watch %s: %s", req, strerror(errno));
	xs_write_str(h, ready, "1");
	for (;;) {
		wait_event(h, -1);
		seqs = xs_directory(h, XBT_NULL, req, &num);
		for (i = 0; seqs && i < num; i++)
			take_request(h, domid, seqs[i]);
		free(seqs);
	}
}

/* ---- dom0 side ---- */

static bool find_domid(struct xs_handle *h, const char *name,
		       unsigned int *domid)
{
	unsigned int num, i;
	char **doms = xs_directory(h, XBT_NULL, "/local/domain", &num);
	bool found = false;

	for (i = 0; doms && i < num && !found; i++) {
		char path[64], *n;

		snprintf(path, sizeof(path), "/local/domain/%s/name", doms[i]);
		n = xs_read_str(h, path);
		if (n && !strcmp(n, name)) {
			*domid = strtoul(doms[i], NULL, 10);
			found = true;
		}
		free(n);
	}
	free(doms);
	return found;
}

static unsigned int domid_or_die(struct xs_handle *h, const char *name)
{
	unsigned int domid;

	if (!find_domid(h, name, &domid))
		die(125, "no domain named %s", name);
	return domid;
}

/* Wait until @name's agent has written its ready node. */
static bool wait_ready(struct xs_handle *h, const char *name, double deadline)
{
	unsigned int domid;
	char *ready = NULL, *s = NULL;
	bool ok;

	xs_watch(h, "/local/domain", "ready");
	while (!(ok = find_domid(h, name, &domid) &&
		      (ready = lab_path(domid, "/ready")) &&
		      (s = xs_read_str(h, ready)))) {
		free(ready);
		ready = NULL;
		if (now() >= deadline)
			break;
		wait_event(h, deadline - now());
	}
	xs_unwatch(h, "/local/domain", "ready");
	free(ready);
	free(s);
	return ok;
}

static double parse_timeout(const char *s)
{
	char *end;
	double t = strtod(s, &end);

	if (*end || t <= 0)
		die(2, "bad timeout '%s': give seconds, more than 0", s);
	return t;
}

/*
 * The command line the agent runs with sh -c. One argument is a command
 * line already (pipes, redirections, &); several are one command and its
 * arguments, each quoted so that it arrives as it was given.
 */
static char *command_line(int argc, char **argv)
{
	size_t len = 1;
	char *s, *p;
	int i;

	if (argc == 1) {
		s = strdup(argv[0]);
		if (!s)
			die(125, "out of memory");
		return s;
	}
	/* each byte at most 4 ('\'' for a quote), plus quotes and a space */
	for (i = 0; i < argc; i++)
		len += 4 * strlen(argv[i]) + 3;
	s = calloc(1, len);
	if (!s)
		die(125, "out of memory");
	p = s;
	for (i = 0; i < argc; i++) {
		if (i)
			*p++ = ' ';
		*p++ = '\'';
		for (const char *c = argv[i]; *c; c++) {
			if (*c == '\'') {
				memcpy(p, "'\\''", 4);
				p += 4;
			} else {
				*p++ = *c;
			}
		}
		*p++ = '\'';
	}
	return s;
}

/* Print chunks in order; true once the exit status and every chunk came. */
static bool drain(struct xs_handle *h, unsigned int domid, const char *seq,
		  unsigned int *next, int *status)
{
	unsigned int len, total;
	char *path, *data;

	for (;;) {
		path = lab_path(domid, "/rsp/%s/%u", seq, *next);
		data = xs_read(h, XBT_NULL, path, &len);
		if (!data) {
			free(path);
			break;
		}
		if (len > 1 && write(data[0] == 'e' ? 2 : 1, data + 1,
				     len - 1) < 0)
			die(125, "write: %s", strerror(errno));
		xs_rm(h, XBT_NULL, path);
		free(path);
		free(data);
		(*next)++;
	}
	path = lab_path(domid, "/rsp/%s/rc", seq);
	data = xs_read_str(h, path);
	free(path);
	if (!data)
		return false;
	if (sscanf(data, "%d %u", status, &total) != 2)
		die(125, "bad reply from the agent: '%s'", data);
	free(data);
	return *next >= total;
}

/* The domain is still there (xenstore drops a dead domain's home). */
static bool domain_alive(struct xs_handle *h, unsigned int domid)
{
	char path[64], *name;

	snprintf(path, sizeof(path), "/local/domain/%u/name", domid);
	name = xs_read_str(h, path);
	free(name);
	return name != NULL;
}

static int cmd_on(double timeout, const char *name, int argc, char **argv)
{
	struct xs_handle *h = xs_connect();
	double deadline = now() + timeout;
	unsigned int domid, next = 0;
	char seq[64], *req, *rsp, *cmd = command_line(argc, argv);
	static unsigned int counter;
	int status;

	domid = domid_or_die(h, name);
	if (!wait_ready(h, name, deadline))
		die(125, "%s: no lab agent answered within %.0f s", name,
		    timeout);
	snprintf(seq, sizeof(seq), "%d-%u-%ld", getpid(), counter++,
		 (long)time(NULL));
	rsp = lab_path(domid, "/rsp/%s", seq);
	req = lab_path(domid, "/req/%s", seq);
	if (!xs_watch(h, rsp, "rsp"))
		die(125, "cannot watch %s: %s", rsp, strerror(errno));
	xs_write_str(h, req, cmd);
	while (!drain(h, domid, seq, &next, &status)) {
		if (now() >= deadline) {
			xs_rm(h, XBT_NULL, req);
			die(124, "%s: '%s' did not finish within %.0f s", name,
			    cmd, timeout);
		}
		/* a domain that crashed answers never: look every 2 s */
		if (!domain_alive(h, domid))
			die(125, "%s: the domain went away while '%s' ran",
			    name, cmd);
		wait_event(h, deadline - now() < 2 ? deadline - now() : 2);
	}
	xs_rm(h, XBT_NULL, rsp);
	return status;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s agent\n"
		"       %s on [-t SECONDS] DOMU COMMAND...\n"
		"       %s wait-ready [-t SECONDS] DOMU...\n"
		"       %s domid DOMU\n",
		prog, prog, prog, prog);
}

int main(int argc, char **argv)
{
	double timeout = 600;
	int i = 2, status = 0;
	const char *verb = argc > 1 ? argv[1] : "";

	if (!strcmp(verb, "-h") || !strcmp(verb, "--help")) {
		usage(stdout);
		return 0;
	}
	if (argc > 3 && !strcmp(argv[2], "-t")) {
		timeout = parse_timeout(argv[3]);
		i = 4;
	}
	if (!strcmp(verb, "agent") && argc == 2)
		cmd_agent();
	if (!strcmp(verb, "on") && argc - i >= 2)
		return cmd_on(timeout, argv[i], argc - i - 1, argv + i + 1);
	if (!strcmp(verb, "domid") && argc == 3) {
		printf("%u\n", domid_or_die(xs_connect(), argv[2]));
		return 0;
	}
	if (!strcmp(verb, "wait-ready") && argc - i >= 1) {
		struct xs_handle *h = xs_connect();
		double deadline = now() + timeout;

		for (; i < argc; i++) {
			if (!wait_ready(h, argv[i], deadline)) {
				fprintf(stderr, "%s: %s: not ready after %.0f s\n",
					prog, argv[i], timeout);
				status = 1;
			}
		}
		return status;
	}
	usage(stderr);
	return 2;
}
