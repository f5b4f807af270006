// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The xenstore side of link and unlink; the layout is in xenlink.h. Built
 * without libxenstore, both fail and say so.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_XENSTORE
#include <xenstore.h>
#endif

#include "output.h"
#include "tools-common.h"
#include "xenlink.h"
#include "xenstore-keys.h"

void parse_domain_pair(const struct tool_cmd *cmd, struct tool_opts *opts,
		       int argc, char **argv, struct domain_pair *pair)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	static const char *const names[] = { "DOM_A", "DOM_B", NULL };
	uint32_t first, second;
	char **args;
	int opt;

	while ((opt = getopt_long(argc, argv, CMD_SHORTOPTS, longopts,
				  NULL)) != -1)
		handle_common_opt(cmd, opts, opt, argv);

	args = parse_arguments(cmd, argc, argv, names);
	first = parse_real_domid(cmd, "DOM_A", args[0]);
	second = parse_real_domid(cmd, "DOM_B", args[1]);
	if (!first || !second)
		die_usage(cmd, "dom0 shares with every domain without a link: name two domUs");
	if (first == second)
		die_usage(cmd, "a domain shares with itself without a link: name two domUs");

	pair->a = first < second ? first : second;
	pair->b = first < second ? second : first;
	snprintf(pair->channel, sizeof(pair->channel), HDMABUF_XS_CHANNEL, pair->a,
		 pair->b);
	snprintf(pair->entry, sizeof(pair->entry), HDMABUF_XS_CHANNEL, pair->b, pair->a);
}

void print_domain_pair(const char *key, const struct domain_pair *pair,
		       bool json)
{
	out_begin(json);
	out_bool(key, NULL, true);
	out_uint("a", NULL, pair->a);
	out_uint("b", NULL, pair->b);
	out_str("channel", NULL, pair->channel);
	out_end();
}

#ifdef HAVE_XENSTORE

/* Transactions made again, when xenstore changed meanwhile, before giving up. */
#define XS_TRIES	100

/* How a transaction's work ended. */
enum change {
	CHANGE_DONE,		/* commit it */
	CHANGE_REFUSED,		/* abort it: the cause is named already */
};

/*
 * Names why a request on path failed; in a domU xenstore denies access to
 * the homes of other domains.
 */
static enum change xs_failed(const char *what, const char *path)
{
	if (errno == EACCES || errno == EPERM)
		print_error("xenstore denied access to %s: linking domains needs dom0 (run this in dom0, as root)",
			    path);
	else
		print_error("cannot %s %s in xenstore: %s", what, path,
			    strerror(errno));
	return CHANGE_REFUSED;
}

/* 1 if path exists, 0 if not, -1 once the failure is named. */
static int xs_exists(struct xs_handle *xsh, xs_transaction_t t,
		     const char *path)
{
	unsigned int len;
	char *val;

	val = xs_read(xsh, t, path, &len);
	if (val) {
		free(val);
		return 1;
	}
	if (errno == ENOENT)
		return 0;
	xs_failed("read", path);
	return -1;
}

/*
 * Only dom0 may read the list of domains: a domU learns here that it may
 * not link, before anything else it would be denied or not be shown.
 */
static enum change in_dom0(struct xs_handle *xsh, xs_transaction_t t)
{
	int ret = xs_exists(xsh, t, "/local/domain");

	if (!ret)
		print_error("xenstore has no /local/domain: linking domains needs dom0's");
	return ret > 0 ? CHANGE_DONE : CHANGE_REFUSED;
}

/* Both domains exist; refused with the cause named otherwise. */
static enum change domains_exist(struct xs_handle *xsh, xs_transaction_t t,
				 const struct domain_pair *pair)
{
	const uint32_t doms[] = { pair->a, pair->b };
	char home[LINK_PATH_MAX];
	size_t i;
	int ret;

	for (i = 0; i < sizeof(doms) / sizeof(doms[0]); i++) {
		snprintf(home, sizeof(home), "/local/domain/%u", doms[i]);
		ret = xs_exists(xsh, t, home);
		if (ret < 0)
			return CHANGE_REFUSED;
		if (!ret) {
			print_error("no domain %u", doms[i]);
			return CHANGE_REFUSED;
		}
	}
	return CHANGE_DONE;
}

/* The keys each module writes in the channel (kernel/xen/channel.c). */
static const struct {
	const char *name;
	bool hi;		/* written by B, the higher id; else by A */
} channel_keys[] = {
	{ HDMABUF_XS_LO HDMABUF_XS_RING_REF, false },
	{ HDMABUF_XS_LO HDMABUF_XS_GEN, false },
	{ HDMABUF_XS_LO HDMABUF_XS_STATE, false },
	{ HDMABUF_XS_EVTCHN, false },
	{ HDMABUF_XS_HI HDMABUF_XS_RING_REF, true },
	{ HDMABUF_XS_HI HDMABUF_XS_GEN, true },
	{ HDMABUF_XS_HI HDMABUF_XS_STATE, true },
};

/*
 * The keys, made here, empty: a node a domU creates itself is readable by
 * that domU alone, and the other side could not read it. Each belongs to
 * the domain that writes it and is readable by the other: neither may
 * write, or take over, what the other says about its side.
 */
static enum change make_keys(struct xs_handle *xsh, xs_transaction_t t,
			     const struct domain_pair *pair)
{
	struct xs_permissions a_key[] = {
		{ .id = pair->a, .perms = XS_PERM_NONE },
		{ .id = pair->b, .perms = XS_PERM_READ },
	};
	struct xs_permissions b_key[] = {
		{ .id = pair->b, .perms = XS_PERM_NONE },
		{ .id = pair->a, .perms = XS_PERM_READ },
	};
	char path[LINK_PATH_MAX + 32];
	size_t i;

	for (i = 0; i < sizeof(channel_keys) / sizeof(channel_keys[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", pair->channel,
			 channel_keys[i].name);
		if (!xs_write(xsh, t, path, "", 0))
			return xs_failed("write", path);
		if (!xs_set_permissions(xsh, t, path,
					channel_keys[i].hi ? b_key : a_key, 2))
			return xs_failed("set the permissions of", path);
	}
	return CHANGE_DONE;
}

/*
 * The channel's directory is A's, readable by B, which writes only its own
 * keys in it; the entry is B's alone.
 */
static enum change make_link(struct xs_handle *xsh, xs_transaction_t t,
			     const struct domain_pair *pair)
{
	struct xs_permissions channel_perms[] = {
		{ .id = pair->a, .perms = XS_PERM_NONE },
		{ .id = pair->b, .perms = XS_PERM_READ },
	};
	struct xs_permissions entry_perms[] = {
		{ .id = pair->b, .perms = XS_PERM_NONE },
	};
	int ret;

	if (in_dom0(xsh, t) != CHANGE_DONE ||
	    domains_exist(xsh, t, pair) != CHANGE_DONE)
		return CHANGE_REFUSED;
	ret = xs_exists(xsh, t, pair->channel);
	if (ret < 0)
		return CHANGE_REFUSED;
	if (ret) {
		print_error("domains %u and %u are already linked", pair->a,
			    pair->b);
		return CHANGE_REFUSED;
	}

	/* an entry left without its channel is replaced */
	if (!xs_mkdir(xsh, t, pair->channel))
		return xs_failed("create", pair->channel);
	if (!xs_set_permissions(xsh, t, pair->channel, channel_perms,
				sizeof(channel_perms) / sizeof(channel_perms[0])))
		return xs_failed("set the permissions of", pair->channel);
	if (make_keys(xsh, t, pair) != CHANGE_DONE)
		return CHANGE_REFUSED;
	if (!xs_write(xsh, t, pair->entry, pair->channel,
		      strlen(pair->channel)))
		return xs_failed("write", pair->entry);
	if (!xs_set_permissions(xsh, t, pair->entry, entry_perms,
				sizeof(entry_perms) / sizeof(entry_perms[0])))
		return xs_failed("set the permissions of", pair->entry);
	return CHANGE_DONE;
}

/* Either half alone is removed too: the other domain may be gone. */
static enum change remove_link(struct xs_handle *xsh, xs_transaction_t t,
			       const struct domain_pair *pair)
{
	int channel, entry;

	if (in_dom0(xsh, t) != CHANGE_DONE)
		return CHANGE_REFUSED;
	channel = xs_exists(xsh, t, pair->channel);
	if (channel < 0)
		return CHANGE_REFUSED;
	entry = xs_exists(xsh, t, pair->entry);
	if (entry < 0)
		return CHANGE_REFUSED;
	if (!channel && !entry) {
		print_error("domains %u and %u are not linked", pair->a,
			    pair->b);
		return CHANGE_REFUSED;
	}

	/* xenstore removes a node with everything below it */
	if (channel && !xs_rm(xsh, t, pair->channel))
		return xs_failed("remove", pair->channel);
	if (entry && !xs_rm(xsh, t, pair->entry))
		return xs_failed("remove", pair->entry);
	return CHANGE_DONE;
}

/* One transaction of change, made again while xenstore changes meanwhile. */
static int xs_change(enum change (*change)(struct xs_handle *xsh,
					   xs_transaction_t t,
					   const struct domain_pair *pair),
		     const struct domain_pair *pair)
{
	struct xs_handle *xsh;
	xs_transaction_t t;
	int tries, ret = -1;

	xsh = xs_open(0);
	if (!xsh) {
		print_error("cannot open xenstore: %s (run this in dom0, as root)",
			    strerror(errno));
		return -1;
	}
	for (tries = 0; tries < XS_TRIES; tries++) {
		t = xs_transaction_start(xsh);
		if (t == XBT_NULL) {
			print_error("cannot start a xenstore transaction: %s",
				    strerror(errno));
			break;
		}
		if (change(xsh, t, pair) != CHANGE_DONE) {
			xs_transaction_end(xsh, t, true);
			break;
		}
		if (xs_transaction_end(xsh, t, false)) {
			ret = 0;
			break;
		}
		if (errno != EAGAIN) {
			print_error("cannot end the xenstore transaction: %s",
				    strerror(errno));
			break;
		}
	}
	if (tries == XS_TRIES)
		print_error("xenstore kept changing during %d transactions: try again",
			    XS_TRIES);
	xs_close(xsh);
	return ret;
}

int xenstore_link(const struct domain_pair *pair)
{
	return xs_change(make_link, pair);
}

int xenstore_unlink(const struct domain_pair *pair)
{
	return xs_change(remove_link, pair);
}

#else /* !HAVE_XENSTORE */

static int no_xenstore(void)
{
	print_error("built without libxenstore: linking domains needs it (Debian: libxen-dev, then build again)");
	return -1;
}

int xenstore_link(const struct domain_pair *pair)
{
	(void)pair;
	return no_xenstore();
}

int xenstore_unlink(const struct domain_pair *pair)
{
	(void)pair;
	return no_xenstore();
}

#endif /* HAVE_XENSTORE */
