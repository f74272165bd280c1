// SPDX-License-Identifier: GPL-2.0
/*
 * The kipsec command: setkey(8)'s invocations (-f, -c, -D, -DP, -lD, -F,
 * -FP, -x, -V), subcommands (monitor, stats, alloc-spi, help), and setkey statements
 * given as arguments. Option parsing and dispatch only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/kipsec.h>
#include "commands.h"
#include "setkey_parse.h"

static void usage(FILE *to)
{
	fputs("usage: kipsec [-nv] -f FILE        apply a setkey(8) file (- for standard input)\n"
	      "       kipsec [-nv] -c             apply setkey statements from standard input\n"
	      "       kipsec [-jK] -D [-P]        dump the SAs (-DP: the policies;\n"
	      "                                   -K: without their keys)\n"
	      "       kipsec -l [-j] -D [-P]      the same, one line each, every second\n"
	      "       kipsec -F [-P]              flush the SAs (-FP: the policies)\n"
	      "       kipsec [-j] monitor         print events as they come (also: -x;\n"
	      "                                   -xx: with times, -H: with their bytes)\n"
	      "       kipsec [-j] stats           drop counters of this network namespace\n"
	      "       kipsec [-jnv] STATEMENT     one setkey statement from the arguments\n"
	      "       kipsec [-j] alloc-spi SRC DST esp|ah [-u REQID] [range MIN MAX]\n"
	      "       kipsec help                 the statement syntax (also: -h, -?)\n"
	      "       kipsec -V                   the version\n"
	      "\n"
	      "  -j  JSON output      -n  check only, change nothing\n"
	      "  -v  show each statement sent (keys by their length; -vv: the keys too)\n",
	      to);
}

static void help(void)
{
	usage(stdout);
	fputs("\n"
	      "Statements (setkey(8) syntax; each ends with ';', '#' starts a comment,\n"
	      "keywords in any case):\n"
	      "  add [-46n] SRC DST esp|ah SPI [OPTIONS] -E ALG [KEY] [-A ALG KEY] ;\n"
	      "  update [-46n] SRC DST esp|ah SPI [OPTIONS] [-E ALG [KEY]] [-A ALG KEY] ;\n"
	      "  get|delete [-46n] SRC DST esp|ah SPI ;\n"
	      "  (add, update, get, delete: SRC[PORT] DST[PORT] esp-udp for ESP in UDP,\n"
	      "  NAT traversal, RFC 3948; both ports, 4500 usually)\n"
	      "  deleteall [-46n] SRC DST [esp|ah] ;      flush [esp|ah] ;      dump [esp|ah] ;\n"
	      "  getspi [-46n] SRC DST esp|ah SPI [-u REQID] ;   (0: any SPI)\n"
	      "  alloc-spi [-46n] SRC DST esp|ah [-u REQID] [range MIN MAX] ;\n"
	      "  spdadd|spdupdate|spddelete [-46n] SRC_RANGE DST_RANGE UPPER -P POLICY ;\n"
	      "  spdflush ;   spddump ;   exit ;\n"
	      "\n"
	      "SA options:\n"
	      "  -m transport|tunnel|any   mode (any: the kernel's default, transport)\n"
	      "  -r N        anti-replay window in packets: 0 (off) or 32..65536\n"
	      "              (1..31 become 32, with a warning)\n"
	      "              (setkey stops at 255; without -r the kernel uses 1024,\n"
	      "              or 0 for ESP without integrity protection)\n"
	      "  -u N        reqid\n"
	      "  -sel SRC_RANGE DST_RANGE UPPER   the traffic the SA may carry:\n"
	      "              inbound, anything else that arrives through it is\n"
	      "              dropped; outbound, used only for matching packets\n"
	      "              (kipsec; ip xfrm's \"sel\")\n"
	      "  -lh/-ls N   hard/soft lifetime, seconds after the SA was added\n"
	      "  -bh/-bs N   hard/soft lifetime in bytes\n"
	      "  -ph/-ps N   hard/soft lifetime in packets                 (kipsec)\n"
	      "  -uh/-us N   hard/soft lifetime, seconds after first use   (kipsec)\n"
	      "  -f esn            64-bit extended sequence numbers, RFC 4304 (kipsec)\n"
	      "  -f df-copy|df-set|df-clear   tunnel mode: outer IPv4 DF bit (kipsec)\n"
	      "  -f no-dscp-copy   tunnel mode: outer DSCP 0, not the inner's  (kipsec)\n"
	      "  -f no-ecn         tunnel mode: no ECN propagation (RFC 6040)  (kipsec)\n"
	      "  -f seq-pad|nocyclic-seq   accepted: what kipsec always does\n"
	      "  -E ALG KEY  encryption: aes-gcm-16, aes-gcm-12, aes-gcm-8, aes-ccm-16,\n"
	      "              aes-ccm-12, aes-ccm-8, chacha20-poly1305, aes-gmac, aes-cbc,\n"
	      "              aes-ctr, null (no key), 3des-cbc (deprecated)\n"
	      "  -A ALG KEY  integrity: hmac-sha256, hmac-sha384, hmac-sha512, hmac-sha1,\n"
	      "              aes-xcbc-mac, aes-gmac (AH), hmac-md5 (deprecated), null\n"
	      "  KEY         0x and hex digits, or a \"quoted string\"; for AEADs, aes-ctr\n"
	      "              and aes-gmac the salt follows the key, as IKEv2 derives it\n"
	      "\n"
	      "Policies:\n"
	      "  SRC_RANGE   ADDRESS[/PREFIXLEN][[PORT|any]]\n"
	      "  UPPER       any, tcp, udp, sctp, icmp, icmp6 (ipv6-icmp), a name from\n"
	      "              /etc/protocols or a number; icmp and icmp6 take TYPE[,CODE]\n"
	      "              (0 means any, as in setkey) or: type T [code C] (exact, kipsec)\n"
	      "  POLICY      in|out|fwd [prio N | prio -N | prio low|def|high [+|- N]]\n"
	      "              discard | none | ipsec TEMPLATE...   (up to 4 templates)\n"
	      "  TEMPLATE    esp|ah/transport//LEVEL   or   esp|ah/tunnel/SRC-DST/LEVEL\n"
	      "  LEVEL       default, use, require, unique, unique:REQID; any level may\n"
	      "              carry :REQID and a further /SPI (kipsec)\n"
	      "\n"
	      "Examples:\n"
	      "  kipsec add 10.0.0.1 10.0.0.2 esp 0x1000 -m tunnel -r 4096 -f esn \\\n"
	      "         -E aes-gcm-16 0x00112233445566778899aabbccddeeff01020304\n"
	      "  kipsec add 192.0.2.10[4500] 198.51.100.1[4500] esp-udp 0x1001 -m tunnel \\\n"
	      "         -E aes-gcm-16 0x00112233445566778899aabbccddeeff01020304\n"
	      "  kipsec spdadd 10.0.1.0/24 10.0.2.0/24 any -P out ipsec \\\n"
	      "         esp/tunnel/10.0.0.1-10.0.0.2/require\n"
	      "  kipsec -j -D | jq '.[] | .stats'\n"
	      "\n"
	      "Errors are reported as FILE:LINE:COLUMN: message; a file with an error\n"
	      "changes nothing. See src/cli/README.md for the details.\n",
	      stdout);
}

/*
 * The arguments as one statement. The shell took the quotes off, so an
 * argument with blanks in it (a string key) gets them back.
 */
static int run_arguments(int argc, char **argv, const struct kipsec_opts *opts)
{
	size_t len = 2, used = 0;
	char *text;
	int rc;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 3;
	text = malloc(len);
	if (!text)
		return 1;
	for (int i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]);
		/* A string key the shell passed with its quotes stays as it is. */
		bool quoted = n >= 2 && argv[i][0] == '"' && argv[i][n - 1] == '"';
		bool quote = !n || (!quoted && strpbrk(argv[i], " \t\n"));

		used += (size_t)snprintf(text + used, len - used, "%s%s%s%s",
					 i ? " " : "", quote ? "\"" : "",
					 argv[i], quote ? "\"" : "");
	}
	if (!used || text[used - 1] != ';')
		text[used++] = ';';
	text[used] = '\0';
	rc = kipsec_run_text("<command line>", text, used, opts);
	free(text);
	return rc;
}

/* -D / -F: one statement, as if it were typed. */
static int run_statement(const char *statement, const struct kipsec_opts *opts)
{
	return kipsec_run_text("<command line>", statement, strlen(statement),
			       opts);
}

#ifndef KIPSEC_CLI_VERSION
#define KIPSEC_CLI_VERSION "unknown"
#endif

static void version(void)
{
	printf("kipsec %s (generic netlink family \"%s\" version %u)\n",
	       KIPSEC_CLI_VERSION, KIPSEC_GENL_NAME, KIPSEC_GENL_VERSION);
}

/* setkey -l: the dump again every second, one line per entry, until killed. */
static int dump_forever(const char *statement, const struct kipsec_opts *opts)
{
	for (;;) {
		time_t now = time(NULL);
		char stamp[32];
		int rc;

		if (!opts->json && strftime(stamp, sizeof(stamp), "%F %T",
					    localtime(&now)))
			printf("--- %s\n", stamp);
		rc = run_statement(statement, opts);

		if (rc)
			return rc;
		sleep(1);
	}
}

/* The rest are for a subcommand: only -j is taken there. */
static bool subcommand_options(int argc, char **argv, struct kipsec_opts *opts)
{
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-j")) {
			fprintf(stderr, "kipsec: unexpected argument '%s'\n",
				argv[i]);
			return false;
		}
		opts->json = true;
	}
	return true;
}

int main(int argc, char **argv)
{
	struct kipsec_opts opts = { 0 };
	bool dump = false, flush = false, policies = false, from_stdin = false;
	unsigned int monitor = 0;
	bool loop = false;
	const char *file = NULL;
	int i, modes;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--help")) {
			help();
			return 0;
		}
		for (const char *c = argv[i] + 1; *c; c++) {
			switch (*c) {
			case 'f':
				if (c[1]) {
					file = c + 1;
				} else if (i + 1 < argc) {
					file = argv[++i];
				} else {
					fputs("kipsec: -f needs a file name\n", stderr);
					return 2;
				}
				goto next_argument;	/* the rest was the name */
			case 'c': from_stdin = true; break;
			case 'D': dump = true; break;
			case 'F': flush = true; break;
			case 'P': policies = true; break;
			case 'x': monitor++; break;
			case 'H': opts.hexdump = true; break;
			case 'l': loop = true; break;
			case 'V':
				version();
				return 0;
			/*
			 * setkey's -k (Linux's policy semantics) and -r (the
			 * RFCs', where an in policy also covers forwarded
			 * traffic) need no switch: kipsec shows policies as
			 * stored and checks forwarded traffic against fwd,
			 * then in policies (README). -p (ports in dumps):
			 * they always are.
			 */
			case 'k': case 'r': case 'p': break;
			case 'j': opts.json = true; break;
			case 'n': opts.dry_run = true; break;
			case 'v': opts.verbose++; break;
			case 'K': opts.no_keys = true; break;
			case 'a': break;	/* setkey: dead SAs too; all are shown */
			case 'h': case '?':
				help();
				return 0;
			default:
				fprintf(stderr, "kipsec: unknown option '-%c'\n", *c);
				usage(stderr);
				return 2;
			}
		}
next_argument:;
	}

	modes = !!file + from_stdin + dump + flush + !!monitor + (i < argc);
	if (modes > 1) {
		fputs("kipsec: give one of -f, -c, -D, -F, -x or a command\n", stderr);
		usage(stderr);
		return 2;
	}
	if (policies && !dump && !flush) {
		fputs("kipsec: -P goes with -D or -F\n", stderr);
		return 2;
	}
	if (loop && !dump) {
		fputs("kipsec: -l (loop with short output) goes with -D\n", stderr);
		return 2;
	}
	if (opts.hexdump && !monitor) {
		fputs("kipsec: -H (the bytes of each event) goes with -x\n", stderr);
		return 2;
	}
	opts.short_dump = loop;
	opts.timestamps = monitor > 1;
	if (file)
		return kipsec_run_file(file, &opts);
	if (from_stdin)
		return kipsec_run_interactive(&opts);
	if (dump && loop)
		return dump_forever(policies ? "spddump;" : "dump;", &opts);
	if (dump)
		return run_statement(policies ? "spddump;" : "dump;", &opts);
	if (flush)
		return run_statement(policies ? "spdflush;" : "flush;", &opts);
	if (monitor)
		return kipsec_cmd_monitor(&opts);
	if (i == argc) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[i], "help")) {
		help();
		return 0;
	}
	if (!strcmp(argv[i], "stats") || !strcmp(argv[i], "monitor")) {
		if (!subcommand_options(argc - i - 1, argv + i + 1, &opts))
			return 2;
		return argv[i][0] == 's' ? kipsec_cmd_stats(&opts) :
		       kipsec_cmd_monitor(&opts);
	}
	if (kipsec_is_statement_keyword(argv[i]))
		return run_arguments(argc - i, argv + i, &opts);
	if (!access(argv[i], F_OK)) {
		/* setkey FILE prints a saved PF_KEY message dump. */
		fprintf(stderr, "kipsec: '%s' is a file, not a command: apply it with -f %s (kipsec has no saved PF_KEY dumps to print, as setkey FILE does)\n",
			argv[i], argv[i]);
		return 2;
	}
	fprintf(stderr, "kipsec: unknown command '%s' (see kipsec help)\n",
		argv[i]);
	return 2;
}
