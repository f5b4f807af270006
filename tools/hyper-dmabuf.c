// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hyper-dmabuf: the command line tool of hyper-dmabuf. This file holds the
 * global options and the command table; each command lives in cmd-*.c.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hyperdmabuf.h>

#include "tools-common.h"

static const struct tool_cmd *const commands[] = {
	&cmd_import,
	&cmd_info,
	&cmd_link,
	&cmd_list,
	&cmd_peers,
	&cmd_revoke,
	&cmd_share,
	&cmd_signal,
	&cmd_status,
	&cmd_unexport,
	&cmd_unlink,
	&cmd_version,
	&cmd_wait,
	&cmd_watch,
};

#define NUM_COMMANDS	(sizeof(commands) / sizeof(commands[0]))

static void print_help(void)
{
	size_t i;

	printf("Usage: " PROGNAME " [OPTIONS] COMMAND [COMMAND OPTIONS]\n\n");
	printf("Share dma-bufs between Xen domains.\n\nCommands:\n");
	for (i = 0; i < NUM_COMMANDS; i++)
		printf("  %-10s %s\n", commands[i]->name, commands[i]->summary);
	printf("\nOptions:\n");
	printf("  -V, --version      show the version and exit\n");
	fputs(COMMON_OPTIONS_HELP, stdout);
	printf("\nRun '" PROGNAME " COMMAND --help' for the options of a command.\n");
}

static void print_version(void)
{
	printf(PROGNAME " %s (libhyperdmabuf %s)\n", PACKAGE_VERSION,
	       hdmabuf_version_string());
	printf("License GPL-2.0-or-later: GNU GPL version 2 or later.\n");
	printf("This is free software: you are free to change and redistribute it.\n");
	printf("There is NO WARRANTY, to the extent permitted by law.\n");
}

/* Commands match exactly: a prefix would break when a command is added. */
static const struct tool_cmd *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NUM_COMMANDS; i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

static void parse_global_options(struct tool_opts *opts, int argc,
				 char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int opt;

	while ((opt = getopt_long(argc, argv, COMMON_SHORTOPTS "V", longopts,
				  NULL)) != -1) {
		switch (opt) {
		case 'h':
			print_help();
			exit(EXIT_SUCCESS);
		case 'V':
			print_version();
			exit(EXIT_SUCCESS);
		default:
			handle_common_opt(NULL, opts, opt, argv);
		}
	}
}

static const char *default_device(void)
{
	const char *env = getenv(DEVICE_ENV);

	return env && *env ? env : DEFAULT_DEVICE;
}

int main(int argc, char **argv)
{
	struct tool_opts opts = { .device = default_device() };
	const struct tool_cmd *cmd;
	int ret;

	/* unknown options are reported by handle_common_opt() */
	opterr = 0;
	parse_global_options(&opts, argc, argv);
	if (optind >= argc)
		die_usage(NULL, "no command given");

	cmd = find_command(argv[optind]);
	if (!cmd)
		die_usage(NULL, "unknown command '%s'", argv[optind]);

	argc -= optind;
	argv += optind;
	/* 0, not 1: glibc then also resets its state for the new argv */
	optind = 0;
	ret = cmd->run(cmd, &opts, argc, argv);

	if (fflush(stdout) != 0 || ferror(stdout)) {
		print_error("cannot write the output: %s", strerror(errno));
		return EXIT_FAILURE;
	}
	return ret;
}
