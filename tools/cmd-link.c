// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hyper-dmabuf link: in dom0, let two domUs share with each other, by
 * making the xenstore nodes their modules meet at (xenlink.h).
 */
#include <stdlib.h>

#include "tools-common.h"
#include "xenlink.h"

static int run_link(const struct tool_cmd *cmd, struct tool_opts *opts,
		    int argc, char **argv)
{
	struct domain_pair pair;

	parse_domain_pair(cmd, opts, argc, argv, &pair);
	if (xenstore_link(&pair))
		return EXIT_FAILURE;
	print_domain_pair("linked", &pair, opts->json);
	return EXIT_SUCCESS;
}

const struct tool_cmd cmd_link = {
	.name = "link",
	.summary = "In dom0, let two domUs share with each other",
	.usage = "[OPTIONS] DOM_A DOM_B",
	.run = run_link,
};
