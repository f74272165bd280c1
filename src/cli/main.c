// SPDX-License-Identifier: GPL-2.0
/* The kipsec command: option parsing and dispatch to the subcommands. */
#include <stdio.h>
#include <string.h>
#include "commands.h"

static void usage(FILE *to)
{
	fputs("usage: kipsec [-j] COMMAND\n"
	      "\n"
	      "  stats        drop counters of this network namespace\n"
	      "  help         this text\n"
	      "\n"
	      "  -j           JSON output\n",
	      to);
}

int main(int argc, char **argv)
{
	struct kipsec_opts opts = { 0 };
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-j")) {
			opts.json = true;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "kipsec: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (i == argc || !strcmp(argv[i], "help")) {
		usage(i == argc ? stderr : stdout);
		return i == argc ? 2 : 0;
	}
	if (!strcmp(argv[i], "stats") && i + 1 == argc)
		return kipsec_cmd_stats(&opts);
	fprintf(stderr, "kipsec: unknown command '%s' (see kipsec help)\n",
		argv[i]);
	return 2;
}
