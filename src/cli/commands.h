/* SPDX-License-Identifier: GPL-2.0 */
/* The kipsec command's subcommands, as main.c dispatches to them. */
#ifndef KIPSEC_CLI_COMMANDS_H
#define KIPSEC_CLI_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>

struct kipsec_opts {
	bool json;		/* -j: JSON output */
	/* -v: show each statement as it is sent; -vv: with its keys */
	unsigned int verbose;
	bool dry_run;		/* -n: parse and check, change nothing */
	bool no_keys;		/* -K: dumps leave the keys in the kernel */
	bool short_dump;	/* -l: one line per SA or policy, with counters */
	bool hexdump;		/* -H: monitor adds each message's bytes */
	bool timestamps;	/* -xx: monitor stamps each event */
};

/* Each returns the process's exit status. */
int kipsec_cmd_stats(const struct kipsec_opts *opts);
int kipsec_cmd_monitor(const struct kipsec_opts *opts);

/* setkey text from a file ("-" for standard input). */
int kipsec_run_file(const char *path, const struct kipsec_opts *opts);
/* setkey statements typed at a terminal: each applied once complete. */
int kipsec_run_interactive(const struct kipsec_opts *opts);
/* setkey text already in memory, named @name in messages. */
int kipsec_run_text(const char *name, const char *text, size_t len,
		    const struct kipsec_opts *opts);

#endif
