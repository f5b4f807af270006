// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fake-xenstore.so: the calls of libxenstore that link and unlink make,
 * faked for test-cli-link.sh. Preloaded into hyper-dmabuf, it keeps the
 * store in $FAKE_XENSTORE_DIR/store, one node a line:
 *
 *   PATH PERMS VALUE
 *
 * PERMS as xenstore-ls -p prints them, without the parentheses: "n1,b2"
 * is owned by domain 1, which nobody else may read or write but domain 2
 * (n none, r read, w write, b both). Like xenstored, it creates the missing
 * parents of a new node with the permissions of their nearest ancestor,
 * removes a node with everything below it, keeps a transaction's changes
 * apart until it is committed, and lets a domain other than dom0 reach
 * only nodes that it owns or that grant it access. Each call is logged to
 * $FAKE_XENSTORE_DIR/log, one a line. What xenstored would do is tested in
 * the lab (tests/scenarios/xen/link.sh).
 *
 * The environment makes it fail as xenstore would:
 *   FAKE_XENSTORE_DOMID      the caller's domain (default 0, dom0)
 *   FAKE_XENSTORE_CONFLICTS  commits that fail with EAGAIN first, as when
 *                            another client changed the store meanwhile
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenstore.h>

#define NODES_MAX	256
#define PERMS_MAX	64
#define TRANSACTION	1

struct node {
	char *path;
	char perms[PERMS_MAX];
	char *value;
};

struct store {
	struct node nodes[NODES_MAX];
	unsigned int n;
};

struct xs_handle {
	struct store store;	/* as committed */
	struct store pending;	/* the open transaction's */
	bool in_transaction;
	int conflicts_left;
};

static void say(const char *fmt, ...)
{
	char path[4096];
	va_list ap;
	FILE *log;

	snprintf(path, sizeof(path), "%s/log", getenv("FAKE_XENSTORE_DIR"));
	log = fopen(path, "a");
	if (!log)
		return;
	va_start(ap, fmt);
	vfprintf(log, fmt, ap);
	va_end(ap);
	fputc('\n', log);
	fclose(log);
}

static unsigned int caller(void)
{
	const char *env = getenv("FAKE_XENSTORE_DOMID");

	return env ? (unsigned int)strtoul(env, NULL, 10) : 0;
}

static void store_clear(struct store *s)
{
	unsigned int i;

	for (i = 0; i < s->n; i++) {
		free(s->nodes[i].path);
		free(s->nodes[i].value);
	}
	s->n = 0;
}

static void store_copy(struct store *to, const struct store *from)
{
	unsigned int i;

	store_clear(to);
	for (i = 0; i < from->n; i++) {
		to->nodes[i] = from->nodes[i];
		to->nodes[i].path = strdup(from->nodes[i].path);
		to->nodes[i].value = strdup(from->nodes[i].value);
	}
	to->n = from->n;
}

static bool store_load(struct store *s)
{
	char path[4096], *line = NULL, *perms, *value;
	size_t size = 0;
	ssize_t len;
	FILE *f;

	snprintf(path, sizeof(path), "%s/store", getenv("FAKE_XENSTORE_DIR"));
	f = fopen(path, "r");
	if (!f)
		return false;
	while ((len = getline(&line, &size, f)) > 0 && s->n < NODES_MAX) {
		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		perms = strchr(line, ' ');
		if (!perms)
			continue;
		*perms++ = '\0';
		value = strchr(perms, ' ');
		if (value)
			*value++ = '\0';
		s->nodes[s->n].path = strdup(line);
		snprintf(s->nodes[s->n].perms, PERMS_MAX, "%s", perms);
		s->nodes[s->n].value = strdup(value ? value : "");
		s->n++;
	}
	free(line);
	fclose(f);
	return true;
}

static void store_save(const struct store *s)
{
	char path[4096];
	unsigned int i;
	FILE *f;

	snprintf(path, sizeof(path), "%s/store", getenv("FAKE_XENSTORE_DIR"));
	f = fopen(path, "w");
	if (!f)
		return;
	for (i = 0; i < s->n; i++)
		fprintf(f, "%s %s %s\n", s->nodes[i].path, s->nodes[i].perms,
			s->nodes[i].value);
	fclose(f);
}

static struct node *find(struct store *s, const char *path)
{
	unsigned int i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->nodes[i].path, path) == 0)
			return &s->nodes[i];
	return NULL;
}

/* The node, or its nearest ancestor that exists. */
static struct node *nearest(struct store *s, const char *path)
{
	char *p = strdup(path), *slash;
	struct node *node = NULL;

	while (p && !(node = find(s, p)) && (slash = strrchr(p, '/')) &&
	       slash != p)
		*slash = '\0';
	free(p);
	return node;
}

/*
 * dom0 reaches everything; another domain a node it owns, or one whose
 * entry for it, or else whose owner's letter (what everyone else may do),
 * grants what it wants.
 */
static bool may(const struct node *node, char want)
{
	const char *p = node ? node->perms : "n0";
	unsigned int me = caller(), id;
	char what, others;
	int n;

	if (!me)
		return true;
	if (sscanf(p, "%c%u%n", &others, &id, &n) != 2)
		return false;
	if (id == me)
		return true;
	for (p += n; sscanf(p, ",%c%u%n", &what, &id, &n) == 2; p += n)
		if (id == me)
			return what == 'b' || what == want;
	return others == 'b' || others == want;
}

static struct store *store_of(struct xs_handle *h, xs_transaction_t t)
{
	if (t == XBT_NULL)
		return &h->store;
	return t == TRANSACTION && h->in_transaction ? &h->pending : NULL;
}

/* The store a call works on, or NULL with errno set. */
static struct store *reach(struct xs_handle *h, xs_transaction_t t,
			   const char *path, char want)
{
	struct store *s = store_of(h, t);

	if (!s || !path || path[0] != '/') {
		errno = EINVAL;
		return NULL;
	}
	if (!may(nearest(s, path), want)) {
		errno = EACCES;
		return NULL;
	}
	return s;
}

/* A call without a transaction is committed at once. */
static void done(struct xs_handle *h, xs_transaction_t t)
{
	if (t == XBT_NULL)
		store_save(&h->store);
}

/* The node at path, made with its missing parents; NULL when full. */
static struct node *make(struct store *s, const char *path)
{
	char *p = strdup(path), *slash;
	struct node *node, *from;

	if (!p)
		return NULL;
	/* each parent, from the top, then the node itself */
	for (slash = strchr(p + 1, '/');; slash = strchr(slash + 1, '/')) {
		if (slash)
			*slash = '\0';
		if (!find(s, p)) {
			if (s->n == NODES_MAX)
				break;
			from = nearest(s, p);
			node = &s->nodes[s->n++];
			node->path = strdup(p);
			snprintf(node->perms, PERMS_MAX, "%s",
				 from ? from->perms : "n0");
			node->value = strdup("");
		}
		if (!slash)
			break;
		*slash = '/';
	}
	free(p);
	return find(s, path);
}

struct xs_handle *xs_open(unsigned long flags)
{
	struct xs_handle *h;

	(void)flags;
	if (!getenv("FAKE_XENSTORE_DIR")) {
		errno = ENOENT;
		return NULL;
	}
	h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	if (!store_load(&h->store)) {
		free(h);
		errno = ENOENT;
		return NULL;
	}
	h->conflicts_left = atoi(getenv("FAKE_XENSTORE_CONFLICTS") ?: "0");
	say("open");
	return h;
}

void xs_close(struct xs_handle *h)
{
	if (!h)
		return;
	store_clear(&h->store);
	store_clear(&h->pending);
	free(h);
	say("close");
}

void *xs_read(struct xs_handle *h, xs_transaction_t t, const char *path,
	      unsigned int *len)
{
	struct store *s = reach(h, t, path, 'r');
	struct node *node = s ? find(s, path) : NULL;

	say("read %s", path);
	if (s && !node)
		errno = ENOENT;
	if (!node)
		return NULL;
	if (len)
		*len = strlen(node->value);
	return strdup(node->value);
}

bool xs_write(struct xs_handle *h, xs_transaction_t t, const char *path,
	      const void *data, unsigned int len)
{
	struct store *s = reach(h, t, path, 'w');
	struct node *node = s ? make(s, path) : NULL;

	say("write %s %.*s", path, (int)len, (const char *)data);
	if (!node) {
		if (s)
			errno = ENOSPC;
		return false;
	}
	free(node->value);
	node->value = strndup(data, len);
	done(h, t);
	return true;
}

bool xs_mkdir(struct xs_handle *h, xs_transaction_t t, const char *path)
{
	struct store *s = reach(h, t, path, 'w');

	say("mkdir %s", path);
	if (!s)
		return false;
	if (!make(s, path)) {
		errno = ENOSPC;
		return false;
	}
	done(h, t);
	return true;
}

bool xs_rm(struct xs_handle *h, xs_transaction_t t, const char *path)
{
	struct store *s = reach(h, t, path, 'w');
	size_t len = strlen(path);
	unsigned int i = 0;

	say("rm %s", path);
	if (!s)
		return false;
	if (!find(s, path)) {
		errno = ENOENT;
		return false;
	}
	while (i < s->n) {
		if (strncmp(s->nodes[i].path, path, len) == 0 &&
		    (s->nodes[i].path[len] == '\0' ||
		     s->nodes[i].path[len] == '/')) {
			free(s->nodes[i].path);
			free(s->nodes[i].value);
			s->nodes[i] = s->nodes[--s->n];
		} else {
			i++;
		}
	}
	done(h, t);
	return true;
}

bool xs_set_permissions(struct xs_handle *h, xs_transaction_t t,
			const char *path, struct xs_permissions *perms,
			unsigned int num_perms)
{
	struct store *s = reach(h, t, path, 'w');
	struct node *node = s ? find(s, path) : NULL;
	static const char letters[] = "nrwb";
	char text[PERMS_MAX] = "";
	size_t used = 0;
	unsigned int i;

	for (i = 0; i < num_perms; i++)
		used += snprintf(text + used, sizeof(text) - used, "%s%c%u",
				 i ? "," : "", letters[perms[i].perms & 3],
				 perms[i].id);
	say("perms %s %s", path, text);
	if (s && !node)
		errno = ENOENT;
	if (!node)
		return false;
	if (!num_perms) {
		errno = EINVAL;
		return false;
	}
	snprintf(node->perms, PERMS_MAX, "%s", text);
	done(h, t);
	return true;
}

xs_transaction_t xs_transaction_start(struct xs_handle *h)
{
	say("start");
	if (h->in_transaction) {
		errno = EBUSY;
		return XBT_NULL;
	}
	store_copy(&h->pending, &h->store);
	h->in_transaction = true;
	return TRANSACTION;
}

bool xs_transaction_end(struct xs_handle *h, xs_transaction_t t, bool abort)
{
	if (t != TRANSACTION || !h->in_transaction) {
		errno = EINVAL;
		return false;
	}
	h->in_transaction = false;
	if (abort) {
		say("abort");
		return true;
	}
	if (h->conflicts_left > 0) {
		h->conflicts_left--;
		say("conflict");
		errno = EAGAIN;
		return false;
	}
	store_copy(&h->store, &h->pending);
	store_save(&h->store);
	say("commit");
	return true;
}
