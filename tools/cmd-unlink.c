// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hyper-dmabuf unlink: in dom0, end what link began: the two domUs' modules
 * see their nodes go and take back what they shared with each other.
 */
#include <stdlib.h>

#include "tools-common.h"
#include "xenlink.h"

static int run_unlink(const struct tool_cmd *cmd, struct tool_opts *opts,
		      int argc, char **argv)
{
	struct domain_pair pair;

	parse_domain_pair(cmd, opts, argc, argv, &pair);
	if (xenstore_unlink(&pair))
		return EXIT_FAILURE;
	print_domain_pair("unlinked", &pair, opts->json);
	return EXIT_SUCCESS;
}

const struct tool_cmd cmd_unlink = {
	.name = "unlink",
	.summary = "In dom0, stop two domUs from sharing with each other",
	.usage = "[OPTIONS] DOM_A DOM_B",
	.run = run_unlink,
};
