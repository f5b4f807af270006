// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hyper-dmabuf status: whether the module is loaded, what it offers and
 * which Xen domain it runs in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hyperdmabuf.h>

#include "output.h"
#include "tools-common.h"

#define SYSFS_HYPERVISOR_TYPE	"/sys/hypervisor/type"

static const enum hdmabuf_transport transports[] = {
	HDMABUF_TRANSPORT_LOOPBACK,
	HDMABUF_TRANSPORT_XEN,
};

/* Without the module, the kernel still says whether it runs on Xen. */
static bool sysfs_says_xen(void)
{
	char type[16] = "";
	FILE *f;

	f = fopen(SYSFS_HYPERVISOR_TYPE, "re");
	if (!f)
		return false;
	if (!fgets(type, sizeof(type), f))
		type[0] = '\0';
	fclose(f);

	return strcmp(type, "xen\n") == 0;
}

static void print_domid(struct hdmabuf_caps *caps)
{
	int domid = caps ? hdmabuf_caps_get_domid(caps) : -1;

	if (domid < 0)
		out_null("domid", "domain id");
	else
		out_int("domid", "domain id", domid);
}

static void print_transports(struct hdmabuf_caps *caps)
{
	size_t i;

	out_list_begin("transports", "transports");
	for (i = 0; i < sizeof(transports) / sizeof(transports[0]); i++)
		if (caps && hdmabuf_caps_has_transport(caps, transports[i]))
			out_list_str(hdmabuf_transport_name(transports[i]));
	out_list_end();
}

/* caps NULL: the module did not answer; print what is known without it. */
static void print_status(struct hdmabuf_caps *caps)
{
	out_bool("module_loaded", "module loaded", caps);
	if (caps) {
		out_str("module_version", "module version",
			hdmabuf_caps_get_module_version(caps));
		out_int("api_version", "api version",
			hdmabuf_caps_get_api_version(caps));
		out_bool("xen", "xen", hdmabuf_caps_is_xen(caps));
		out_str("xen_type", "xen type",
			hdmabuf_xen_type_name(hdmabuf_caps_get_xen_type(caps)));
	} else {
		out_null("module_version", "module version");
		out_null("api_version", "api version");
		out_bool("xen", "xen", sysfs_says_xen());
		out_null("xen_type", "xen type");
	}
	print_domid(caps);
	print_transports(caps);
}

static int run_status(const struct tool_cmd *cmd, struct tool_opts *opts,
		      int argc, char **argv)
{
	struct hdmabuf_caps *caps;

	parse_no_options(cmd, opts, argc, argv);

	caps = query_caps(opts->device);
	out_begin(opts->json);
	print_status(caps);
	out_end();

	if (!caps)
		return EXIT_FAILURE;
	hdmabuf_caps_free(caps);
	return EXIT_SUCCESS;
}

const struct tool_cmd cmd_status = {
	.name = "status",
	.summary = "Show whether the module is loaded, what it offers and where it runs",
	.run = run_status,
};
