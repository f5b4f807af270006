/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What link and unlink share: the pair of domains, its two nodes in
 * xenstore and the transactions that make and remove them (xenlink.c).
 *
 * Two domUs A < B share once dom0 has made, in one transaction:
 *   the channel  /local/domain/A/data/hyper_dmabuf/peer/B: owned by A,
 *                readable by B, nobody else; in it, empty, the keys the
 *                modules fill: lo-* and event-channel owned by A, hi-* by
 *                B, each readable by the other side and by nobody else
 *   the entry    /local/domain/B/data/hyper_dmabuf/peer/A, whose value is
 *                the channel's path: owned by B, nobody else
 * dom0 needs no link: it shares with every domain.
 */
#ifndef HDMABUF_XENLINK_H
#define HDMABUF_XENLINK_H

#include <stdbool.h>
#include <stdint.h>

struct tool_cmd;
struct tool_opts;

/* "/local/domain/4294967295/data/hyper_dmabuf/peer/4294967295" */
#define LINK_PATH_MAX	64

struct domain_pair {
	uint32_t a, b;			/* a < b, neither 0 */
	char channel[LINK_PATH_MAX];
	char entry[LINK_PATH_MAX];
};

/* The options, and two domain ids in any order; exits 2 on a bad one. */
void parse_domain_pair(const struct tool_cmd *cmd, struct tool_opts *opts,
		       int argc, char **argv, struct domain_pair *pair);

/*
 * Make or remove the link in xenstore: 0, or -1 once the cause is named
 * on stderr (no xenstore, not dom0, no such domain, already linked, not
 * linked).
 */
int xenstore_link(const struct domain_pair *pair);
int xenstore_unlink(const struct domain_pair *pair);

/* Silent in text, like unexport; JSON says what was done, under key. */
void print_domain_pair(const char *key, const struct domain_pair *pair,
		       bool json);

#endif /* HDMABUF_XENLINK_H */
