// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hyper-dmabuf version: the versions of the tool, the library and, when it
 * answers, the module, with the uAPI version each side speaks.
 */
#include "config.h"

#include <stdlib.h>

#include <hyperdmabuf.h>
#include <linux/hyper_dmabuf.h>

#include "output.h"
#include "tools-common.h"

static void print_versions(struct hdmabuf_caps *caps)
{
	out_str("version", PROGNAME, PACKAGE_VERSION);
	out_str("library_version", "libhyperdmabuf", hdmabuf_version_string());
	out_int("library_api_version", "library api version",
		HYPER_DMABUF_API_VERSION);
	if (caps) {
		out_str("module_version", "module version",
			hdmabuf_caps_get_module_version(caps));
		out_int("api_version", "module api version",
			hdmabuf_caps_get_api_version(caps));
	} else {
		out_null("module_version", "module version");
		out_null("api_version", "module api version");
	}
}

/* Without the module the versions on this side are still worth printing. */
static int run_version(const struct tool_cmd *cmd, struct tool_opts *opts,
		       int argc, char **argv)
{
	struct hdmabuf_caps *caps;

	parse_no_options(cmd, opts, argc, argv);

	caps = query_caps(opts->device);
	out_begin(opts->json);
	print_versions(caps);
	out_end();

	hdmabuf_caps_free(caps);
	return EXIT_SUCCESS;
}

const struct tool_cmd cmd_version = {
	.name = "version",
	.summary = "Show the versions of this tool, the library and the module",
	.run = run_version,
};
