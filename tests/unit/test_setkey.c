// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the setkey(8) parser of the kipsec CLI (src/cli/setkey_*.c):
 * every statement and option, every error with its line, column and message,
 * the seeds' examples, a parse -> print -> parse round trip, and the speed
 * of a 100,000-line file. Prints TAP.
 *
 * The parser has no netlink in it, so its sources are compiled right here
 * (the Makefile links unit tests with src/core only).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "../../src/cli/names.c"
#include "../../src/cli/setkey_lex.c"
#include "../../src/cli/setkey_cursor.c"
#include "../../src/cli/setkey_values.c"
#include "../../src/cli/setkey_selector.c"
#include "../../src/cli/setkey_sa.c"
#include "../../src/cli/setkey_spd.c"
#include "../../src/cli/setkey_parse.c"
#include "../../src/cli/setkey_print.c"
#include "tap.h"

static struct kipsec_script script;

static int parse(const char *text)
{
	kipsec_script_free(&script);
	return kipsec_parse(&script, "t.conf", text, strlen(text), 1);
}

/* The i-th diagnostic as the CLI prints it, or "" if there is none. */
static const char *message(size_t i)
{
	static char buf[600];
	const struct kipsec_diag *d;

	if (i >= script.n_diags)
		return "";
	d = &script.diags[i];
	snprintf(buf, sizeof(buf), "%s:%u:%u: %s%s", script.name, d->line,
		 d->column, d->warning ? "warning: " : "", d->msg);
	return buf;
}

static bool str_eq(const char *got, const char *want, const char *what)
{
	bool pass = !strcmp(got, want);

	ok(pass, "%s", what);
	if (!pass) {
		diag("     got: %s", got);
		diag("    want: %s", want);
	}
	return pass;
}

/* The statement fails with exactly this one message (and nothing else). */
static void fails(const char *text, const char *want)
{
	char what[200];

	snprintf(what, sizeof(what), "rejects: %.150s", text);
	for (char *c = what; *c; c++)
		if (*c == '\n')
			*c = ' ';
	if (parse(text) == 0) {
		ok(false, "%s", what);
		diag("     parsed without error");
		return;
	}
	if (!str_eq(message(0), want, what))
		return;
	if (script.n_diags != 1)
		diag("extra diagnostic: %s", message(1));
}

static void parses(const char *text, size_t n_ops)
{
	int rc = parse(text);

	char what[200];

	snprintf(what, sizeof(what), "parses cleanly: %.150s", text);
	for (char *c = what; *c; c++)
		if (*c == '\n')
			*c = ' ';
	ok(rc == 0 && script.n_ops == n_ops && script.n_diags == 0, "%s", what);
	if (rc || script.n_diags)
		diag("%s", message(0));
}

static struct kipsec_ip addr(const char *s)
{
	struct kipsec_ip a = { 0 };

	if (inet_pton(AF_INET, s, a.bytes) == 1)
		a.family = AF_INET;
	else if (inet_pton(AF_INET6, s, a.bytes) == 1)
		a.family = AF_INET6;
	return a;
}

static bool addr_is(const struct kipsec_ip *a, const char *s)
{
	struct kipsec_ip want = addr(s);

	return a->family == want.family &&
	       !memcmp(a->bytes, want.bytes, sizeof(want.bytes));
}

static const char *key20 = "0x000102030405060708090a0b0c0d0e0f10111213";
static const char *key32 = "0x000102030405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0e0f";

static void test_seed_examples(void)
{
	/* Setkey examples as a networking course teaches them (TUM's
	 * "Tunnel Protocols" lecture, IN2097: transport mode on IPv6, ESP plus
	 * AH, a site-to-site tunnel), verbatim, capitals included: files
	 * written for setkey must keep working. */
	static const char *const policies[] = {
		"spdadd fec0::1 fec0::2 any -P out IPsec esp/transport//require;",
		"spdadd fec0::2 fec0::1 any -P in IPsec esp/transport//require;",
		"spdadd fec0::1 fec0::2 any -P out IPsec esp/transport//require ah/transport//require;",
		"spdadd fec0::2 fec0::1 any -P in IPsec esp/transport//require ah/transport//require;",
		"spdadd 10.0.1.0/24 10.0.2.0/24 any -P out IPsec esp/tunnel/172.16.0.1-172.16.0.2/require;",
		"spdadd 10.0.2.0/24 10.0.1.0/24 any -P in IPsec esp/tunnel/172.16.0.2-172.16.0.1/require;",
	};
	const struct kipsec_policy *pol;
	const struct kipsec_sa *sa;

	for (size_t i = 0; i < sizeof(policies) / sizeof(policies[0]); i++)
		parses(policies[i], 1);

	parse(policies[2]);
	pol = &script.ops[0].pol;
	ok(script.ops[0].type == KIPSEC_OP_POLICY_ADD &&
	   pol->dir == KIPSEC_DIR_OUT && pol->action == KIPSEC_ACTION_IPSEC &&
	   addr_is(&pol->sel.src, "fec0::1") && pol->sel.src_plen == 128 &&
	   addr_is(&pol->sel.dst, "fec0::2") && pol->sel.dst_plen == 128 &&
	   !pol->sel.has_proto && pol->priority == KIPSEC_PRIO_DEFAULT &&
	   pol->n_tmpl == 2 && pol->tmpl[0].proto == IPPROTO_ESP &&
	   pol->tmpl[1].proto == IPPROTO_AH &&
	   pol->tmpl[0].mode == KIPSEC_MODE_TRANSPORT &&
	   pol->tmpl[1].level == KIPSEC_LEVEL_REQUIRE &&
	   !pol->tmpl[0].src.family,
	   "ESP then AH transport policy: selector and both templates");

	parse(policies[4]);
	pol = &script.ops[0].pol;
	ok(addr_is(&pol->sel.src, "10.0.1.0") && pol->sel.src_plen == 24 &&
	   addr_is(&pol->sel.dst, "10.0.2.0") && pol->sel.dst_plen == 24 &&
	   pol->n_tmpl == 1 && pol->tmpl[0].mode == KIPSEC_MODE_TUNNEL &&
	   addr_is(&pol->tmpl[0].src, "172.16.0.1") &&
	   addr_is(&pol->tmpl[0].dst, "172.16.0.2"),
	   "tunnel policy: prefixes and endpoints");

	/* the AH examples: hmac-md5 works, with a deprecation warning */
	parse("# add src dst proto spi -A authalgo key;\n"
	      "add fec0::1 fec0::2 ah 700 -A hmac-md5 0xbf9a081e7ebdd4fa824c822ed94f5226;\n"
	      "add fec0::2 fec0::1 ah 800 -A hmac-md5 0xbf9a081e7ebdd4fa824c822ed94f5226;\n");
	ok(script.n_errors == 0 && script.n_ops == 2, "seed AH SAs parse");
	str_eq(message(0),
	       "t.conf:2:31: warning: hmac-md5 is deprecated (RFC 8221): use hmac-sha256",
	       "hmac-md5 warns that it is deprecated");
	sa = &script.ops[1].sa;
	ok(sa->proto == IPPROTO_AH && sa->spi == 800 &&
	   addr_is(&sa->src, "fec0::2") && addr_is(&sa->dst, "fec0::1") &&
	   !sa->encr.present && sa->integ.present &&
	   sa->integ.id == KIPSEC_AUTH_HMAC_MD5_96 && sa->integ.keylen == 16 &&
	   sa->integ.key[0] == 0xbf && sa->integ.key[15] == 0x26,
	   "seed AH SA: addresses, SPI 800, hmac-md5 and its key");

	/* the ESP examples: a 21-byte 3DES key is refused */
	fails("# add src dst proto spi -E encalgo key;\n"
	      "add fec0::1 fec0::2 esp 701 -E 3des-cbc 0xdafb418410b2ca6a2ba144561fab354640080e5b7a;\n",
	      "t.conf:2:41: 3des-cbc needs a 192-bit key, got 168 bits");
	parse("add fec0::1 fec0::2 esp 701 -E 3des-cbc 0xdafb418410b2ca6a2ba144561fab354640080e5b7a;\n"
	      "add fec0::2 fec0::1 esp 801 -E 3des-cbc 0xdafb418410b2ca6a2ba144561fab354640080e5b7a;\n");
	ok(script.n_errors == 2 && script.n_ops == 0,
	   "both seed ESP lines are refused, and nothing is left to apply");
	str_eq(message(1), "t.conf:2:41: 3des-cbc needs a 192-bit key, got 168 bits",
	       "the second line's error is reported too");

	/* with 24 bytes it passes, warning about 3DES and the missing integrity */
	parse("add fec0::1 fec0::2 esp 701 -E 3des-cbc 0xdafb418410b2ca6a2ba144561fab354640080e5b7a010203;");
	ok(script.n_errors == 0 && script.n_ops == 1 &&
	   script.ops[0].sa.encr.id == KIPSEC_ENCR_3DES &&
	   script.ops[0].sa.encr.keylen == 24,
	   "3des-cbc with a 24-byte key is accepted");
	str_eq(message(0),
	       "t.conf:1:32: warning: 3des-cbc is deprecated (RFC 8221): use aes-gcm-16, or aes-cbc with hmac-sha256",
	       "3des-cbc warns that it is deprecated");
	str_eq(message(1),
	       "t.conf:1:32: warning: ESP with 3des-cbc but no integrity algorithm can be forged and is unsafe unless AH protects the same traffic: add -A hmac-sha256, or use aes-gcm-16",
	       "ESP without integrity warns");
}

static void test_sa_add(void)
{
	char text[600];
	const struct kipsec_sa *sa;

	snprintf(text, sizeof(text),
		 "add 192.0.2.1 192.0.2.2 esp 0x1000 -m tunnel -r 4096 -u 7 "
		 "-f esn -f no-dscp-copy -f no-ecn -f df-clear "
		 "-lh 3600 -ls 3000 -bh 1000000 -bs 900000 -ph 5000 -ps 4000 "
		 "-uh 600 -us 500 -E aes-gcm-16 %s;", key20);
	parses(text, 1);
	sa = &script.ops[0].sa;
	ok(script.ops[0].type == KIPSEC_OP_SA_ADD && script.ops[0].line == 1 &&
	   script.ops[0].column == 1, "add: the statement's place");
	ok(sa->proto == IPPROTO_ESP && sa->spi == 0x1000 &&
	   addr_is(&sa->src, "192.0.2.1") && addr_is(&sa->dst, "192.0.2.2"),
	   "add: addresses, protocol, hex SPI");
	ok(sa->mode_set && sa->mode == KIPSEC_MODE_TUNNEL && sa->reqid == 7 &&
	   sa->replay_set && sa->replay_window == 4096,
	   "add: -m tunnel, -u 7, -r 4096 (more than setkey's 255)");
	ok(sa->flags == (KIPSEC_SA_F_ESN | KIPSEC_SA_F_NO_DSCP_COPY |
			 KIPSEC_SA_F_NO_ECN) &&
	   sa->df_set && sa->df == KIPSEC_DF_CLEAR,
	   "add: -f esn, no-dscp-copy, no-ecn, df-clear");
	ok(sa->hard.add_seconds == 3600 && sa->soft.add_seconds == 3000 &&
	   sa->hard.bytes == 1000000 && sa->soft.bytes == 900000 &&
	   sa->hard.packets == 5000 && sa->soft.packets == 4000 &&
	   sa->hard.use_seconds == 600 && sa->soft.use_seconds == 500,
	   "add: -lh -ls -bh -bs -ph -ps -uh -us");
	ok(sa->encr.present && sa->encr.id == KIPSEC_ENCR_AES_GCM_16 &&
	   sa->encr.keylen == 20 && sa->encr.key[19] == 0x13 &&
	   !sa->integ.present,
	   "add: aes-gcm-16 with its 4-byte salt, no integrity");
	ok(!sa->has_sel, "add: without -sel, no selector");

	snprintf(text, sizeof(text),
		 "add 192.0.2.1 192.0.2.2 esp 0x1000 -m tunnel "
		 "-sel 10.1.0.0/24[1024] 10.2.0.0/16[80] tcp -E aes-gcm-16 %s;",
		 key20);
	parses(text, 1);
	sa = &script.ops[0].sa;
	ok(sa->has_sel && addr_is(&sa->sel.src, "10.1.0.0") &&
	   sa->sel.src_plen == 24 && sa->sel.sport == 1024 &&
	   addr_is(&sa->sel.dst, "10.2.0.0") && sa->sel.dst_plen == 16 &&
	   sa->sel.dport == 80 && sa->sel.has_proto &&
	   sa->sel.proto == IPPROTO_TCP && sa->encr.present,
	   "add: -sel takes spdadd's selector, options go on after it");
	snprintf(text, sizeof(text),
		 "add 192.0.2.1 192.0.2.2 esp 0x1000 -m tunnel "
		 "-sel fd00::/64 fd01::1 icmp6 128 -E aes-gcm-16 %s;", key20);
	parses(text, 1);
	sa = &script.ops[0].sa;
	ok(sa->has_sel && sa->sel.src.family == AF_INET6 &&
	   sa->sel.dst_plen == 128 && sa->sel.proto == IPPROTO_ICMPV6 &&
	   sa->sel.has_icmp_type && sa->sel.icmp_type == 128,
	   "add: a tunnel-mode SA may carry the other family");
	snprintf(text, sizeof(text),
		 "add 192.0.2.1 192.0.2.2 esp 0x1000 "
		 "-sel fd00::/64 fd01::1 any -E aes-gcm-16 %s;", key20);
	fails(text, "t.conf:1:41: a transport-mode SA's selector must be of the SA's address family (tunnel mode may carry the other family)");
	snprintf(text, sizeof(text),
		 "add 192.0.2.1 192.0.2.2 esp 0x1000 -m tunnel "
		 "-sel 10.0.0.0/8 10.1.0.0/16 any -sel 10.0.0.0/8 10.1.0.0/16 any "
		 "-E aes-gcm-16 %s;", key20);
	fails(text, "t.conf:1:78: -sel is given twice");
	snprintf(text, sizeof(text),
		 "add 192.0.2.1 192.0.2.2 esp 0x1000 -m tunnel "
		 "-sel 10.0.0.0/8 10.1.0.0/16 -E aes-gcm-16 %s;", key20);
	fails(text, "t.conf:1:74: expected the upper-layer protocol (any, tcp, udp, icmp, icmp6, a name from /etc/protocols, a number), got '-E'");
	snprintf(text, sizeof(text),
		 "add 192.0.2.1 192.0.2.2 esp 0x1000 -m tunnel "
		 "-sel 10.0.0.0/8 fd00::/8 any -E aes-gcm-16 %s;", key20);
	fails(text, "t.conf:1:62: the selector mixes address families: the source is IPv4, the destination IPv6");

	parses("add 10.0.0.1 10.0.0.2 esp 4096 -m transport -E aes-cbc "
	       "\"0123456789abcdef\" -A hmac-sha256 "
	       "0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff;", 1);
	sa = &script.ops[0].sa;
	ok(sa->spi == 4096 && sa->mode == KIPSEC_MODE_TRANSPORT &&
	   sa->encr.id == KIPSEC_ENCR_AES_CBC && sa->encr.keylen == 16 &&
	   !memcmp(sa->encr.key, "0123456789abcdef", 16) &&
	   sa->integ.id == KIPSEC_AUTH_HMAC_SHA2_256_128 &&
	   sa->integ.keylen == 32 && !sa->replay_set,
	   "add: quoted-string key, hmac-sha256, decimal SPI, no -r");

	snprintf(text, sizeof(text),
		 "add 10.0.0.1 10.0.0.2 esp 4096 -m any -E chacha20-poly1305 "
		 "0x%s%s;", key32 + 2, "01020304");
	parses(text, 1);
	ok(!script.ops[0].sa.mode_set &&
	   script.ops[0].sa.encr.id == KIPSEC_ENCR_CHACHA20_POLY1305 &&
	   script.ops[0].sa.encr.keylen == 36,
	   "add: -m any leaves the mode to the kernel; chacha20 key + salt");

	parses("add 10.0.0.1 10.0.0.2 esp 4096 -E null -A hmac-sha1 "
	       "0x0102030405060708090a0b0c0d0e0f1011121314;", 1);
	sa = &script.ops[0].sa;
	ok(sa->encr.present && sa->encr.id == KIPSEC_ENCR_NULL &&
	   sa->encr.keylen == 0 && sa->integ.id == KIPSEC_AUTH_HMAC_SHA1_96,
	   "add: -E null takes no key");

	parses("add 10.0.0.1 10.0.0.2 esp 4096 -E aes-ctr "
	       "0x00112233445566778899aabbccddeeff01020304 -A aes-xcbc-mac "
	       "0x00112233445566778899aabbccddeeff;", 1);
	ok(script.ops[0].sa.encr.id == KIPSEC_ENCR_AES_CTR &&
	   script.ops[0].sa.integ.id == KIPSEC_AUTH_AES_XCBC_96,
	   "add: aes-ctr (with nonce) and aes-xcbc-mac");

	parses("add 10.0.0.1 10.0.0.2 ah 4096 -A aes-gmac "
	       "0x00112233445566778899aabbccddeeff0011223344556677aabbccdd;", 1);
	ok(script.ops[0].sa.integ.id == KIPSEC_AUTH_AES_192_GMAC,
	   "add: AH aes-gmac picks the 192-bit ID by key length");
	parses("add 10.0.0.1 10.0.0.2 esp 4096 -E aes-gmac 0x00112233445566778899aabbccddeeff01020304;", 1);
	ok(script.ops[0].sa.encr.id == KIPSEC_ENCR_NULL_AUTH_AES_GMAC,
	   "add: ESP aes-gmac is the ENCR_NULL_AUTH_AES_GMAC transform");

	parses("add 10.0.0.1 10.0.0.2 esp 4096 -E rijndael-cbc 0x00112233445566778899aabbccddeeff "
	       "-A hmac-sha2-512 0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
	       "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff;", 1);
	ok(script.ops[0].sa.encr.id == KIPSEC_ENCR_AES_CBC &&
	   script.ops[0].sa.integ.id == KIPSEC_AUTH_HMAC_SHA2_512_256 &&
	   script.ops[0].sa.integ.keylen == 64,
	   "add: setkey's aliases rijndael-cbc and hmac-sha2-512");

	parses("ADD 10.0.0.1 10.0.0.2 ESP 4096 -m TUNNEL -E AES-GCM-16 0x00112233445566778899aabbccddeeff01020304;", 1);
	ok(script.ops[0].sa.mode == KIPSEC_MODE_TUNNEL,
	   "keywords and algorithm names in capitals");

	parses("add -4n 10.0.0.1 10.0.0.2 esp 4096 -r 0 -f seq-pad -f nocyclic-seq "
	       "-E aes-gcm-16 0x00112233445566778899aabbccddeeff01020304;", 1);
	ok(script.ops[0].sa.replay_set && script.ops[0].sa.replay_window == 0,
	   "add: -4n, -r 0 turns replay protection off, seq-pad/nocyclic-seq accepted");

	parse("add 10.0.0.1 10.0.0.2 esp 4096 -f zero-pad -E aes-gcm-16 0x00112233445566778899aabbccddeeff01020304;");
	ok(script.n_errors == 0 && script.n_ops == 1, "add: -f zero-pad is accepted");
	str_eq(message(0), "t.conf:1:35: warning: -f zero-pad is ignored: kipsec pads as RFC 4303 says (seq-pad)",
	       "-f zero-pad warns that it is ignored");

	parse("add 10.0.0.1 10.0.0.2 esp 4096 -f df-set -E aes-gcm-16 0x00112233445566778899aabbccddeeff01020304;");
	str_eq(message(0), "t.conf:1:23: warning: the DF, DSCP and ECN options act on the outer header of tunnel mode; this SA is not -m tunnel",
	       "tunnel options on a transport SA warn");

	parse("add 10.0.0.1 10.0.0.2 esp 4096 -E aes-gcm-16 0x102020202020202020202020202020202020202;");
	ok(script.n_errors == 0 && script.ops[0].sa.encr.keylen == 20 &&
	   script.ops[0].sa.encr.key[0] == 0x01 && script.ops[0].sa.encr.key[1] == 0x02 &&
	   script.ops[0].sa.encr.key[19] == 0x02,
	   "an odd number of hex digits reads as if a 0 led (as setkey does)");
	str_eq(message(0), "t.conf:1:46: warning: the key has an odd number of hex digits; read as if it began with 0x0",
	       "an odd number of hex digits warns");

	parse("add 10.0.0.1 10.0.0.2 esp 4096 -E aes-cbc 0x00112233445566778899aabbccddeeff -A null;");
	ok(script.n_errors == 0 && !script.ops[0].sa.integ.present,
	   "-A null means no integrity");
	str_eq(message(0), "t.conf:1:35: warning: ESP with aes-cbc but no integrity algorithm can be forged and is unsafe unless AH protects the same traffic: add -A hmac-sha256, or use aes-gcm-16",
	       "... and warns");

	parses("update 10.0.0.1 10.0.0.2 esp 4096 -lh 100;", 1);
	ok(script.ops[0].type == KIPSEC_OP_SA_UPDATE &&
	   script.ops[0].sa.hard.add_seconds == 100 && !script.ops[0].sa.encr.present,
	   "update of lifetimes needs no algorithms");
	parses("update 10.0.0.1 10.0.0.2 esp 4096 -u 3 -E aes-gcm-16 0x00112233445566778899aabbccddeeff01020304;", 1);
	ok(script.ops[0].sa.encr.present, "update with algorithms (a larval SA)");
}

static void test_sa_other(void)
{
	const struct kipsec_sa *sa;

	parses("get 10.0.0.1 10.0.0.2 esp 0x1000;\ndelete 10.0.0.1 10.0.0.2 ah 300;", 2);
	ok(script.ops[0].type == KIPSEC_OP_SA_GET && script.ops[0].sa.spi == 0x1000 &&
	   script.ops[1].type == KIPSEC_OP_SA_DELETE &&
	   script.ops[1].sa.proto == IPPROTO_AH && script.ops[1].line == 2,
	   "get and delete");
	parses("deleteall 10.0.0.1 10.0.0.2 esp; deleteall fec0::1 fec0::2;", 2);
	ok(script.ops[0].type == KIPSEC_OP_SA_DELETEALL &&
	   script.ops[0].sa.proto == IPPROTO_ESP && script.ops[1].sa.proto == 0 &&
	   addr_is(&script.ops[1].sa.dst, "fec0::2"),
	   "deleteall with and without a protocol");
	parses("flush; flush esp; dump; dump ah; spdflush; spddump;", 6);
	ok(script.ops[0].type == KIPSEC_OP_SA_FLUSH && script.ops[0].sa.proto == 0 &&
	   script.ops[1].sa.proto == IPPROTO_ESP &&
	   script.ops[2].type == KIPSEC_OP_SA_DUMP &&
	   script.ops[3].sa.proto == IPPROTO_AH &&
	   script.ops[4].type == KIPSEC_OP_POLICY_FLUSH &&
	   script.ops[5].type == KIPSEC_OP_POLICY_DUMP,
	   "flush, dump (with protocols), spdflush, spddump");
	parses("getspi 10.0.0.1 10.0.0.2 esp 0x2000 -u 9; getspi 10.0.0.1 10.0.0.2 ah 0;", 2);
	sa = &script.ops[0].sa;
	ok(script.ops[0].type == KIPSEC_OP_SA_ALLOC_SPI && sa->spi_min == 0x2000 &&
	   sa->spi_max == 0x2000 && sa->reqid == 9 &&
	   script.ops[1].sa.spi_min == 0 && script.ops[1].sa.spi_max == 0,
	   "getspi: one SPI, or any (0)");
	parses("alloc-spi 10.0.0.1 10.0.0.2 esp -u 4 range 0x1000 0x1fff;", 1);
	sa = &script.ops[0].sa;
	ok(sa->reqid == 4 && sa->spi_min == 0x1000 && sa->spi_max == 0x1fff,
	   "alloc-spi with reqid and range");
	parses("add 10.0.0.1 10.0.0.2 ah 300 -A hmac-sha256 0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff;\n"
	       "exit;\nthis is not read", 1);
	ok(script.exit_seen, "exit: nothing after it is read");
	parses(";;\n# only comments\n;", 0);
}

static void test_policies(void)
{
	const struct kipsec_policy *pol;

	parses("spdadd 10.0.0.1[80] 10.0.0.2[any] tcp -P out ipsec esp/transport//require;", 1);
	pol = &script.ops[0].pol;
	ok(pol->sel.has_proto && pol->sel.proto == IPPROTO_TCP && pol->sel.sport == 80 &&
	   pol->sel.has_sport && !pol->sel.has_dport && pol->sel.src_plen == 32,
	   "spdadd: ports on addresses, [any], tcp");

	parses("spdadd 10.0.0.1[0] 10.0.0.2[0] tcp -P out none;", 1);
	pol = &script.ops[0].pol;
	ok(!pol->sel.has_sport && !pol->sel.has_dport,
	   "spdadd: [0] is any port, as in setkey");

	parses("spdadd 10.0.0.0/8[1024] 0.0.0.0/0[53] udp -P in none;", 1);
	pol = &script.ops[0].pol;
	ok(pol->sel.src_plen == 8 && pol->sel.sport == 1024 && pol->sel.dst_plen == 0 &&
	   pol->sel.dport == 53 && pol->sel.proto == IPPROTO_UDP &&
	   pol->action == KIPSEC_ACTION_BYPASS && pol->n_tmpl == 0 &&
	   pol->dir == KIPSEC_DIR_IN,
	   "spdadd: prefix then port, /0, none");

	parses("spdadd ::/0 ::/0 icmp6 135,0 -P in none;", 1);
	pol = &script.ops[0].pol;
	ok(pol->sel.proto == IPPROTO_ICMPV6 && pol->sel.has_icmp_type &&
	   pol->sel.icmp_type == 135 && !pol->sel.has_icmp_code,
	   "icmp6 135,0: type 135, code 0 is any (setkey(8))");
	parses("spdadd ::/0 ::/0 ipv6-icmp 1,4 -P in none;", 1);
	pol = &script.ops[0].pol;
	ok(pol->sel.proto == IPPROTO_ICMPV6 && pol->sel.icmp_type == 1 &&
	   pol->sel.has_icmp_code && pol->sel.icmp_code == 4,
	   "ipv6-icmp 1,4: type and code");
	parses("spdadd 0.0.0.0/0 0.0.0.0/0 icmp 8 -P out discard;", 1);
	pol = &script.ops[0].pol;
	ok(pol->sel.proto == IPPROTO_ICMP && pol->sel.icmp_type == 8 &&
	   !pol->sel.has_icmp_code && pol->action == KIPSEC_ACTION_DISCARD,
	   "icmp 8: a type alone");
	parses("spdadd 0.0.0.0/0 0.0.0.0/0 icmp type 0 code 0 -P fwd discard;", 1);
	pol = &script.ops[0].pol;
	ok(pol->sel.has_icmp_type && pol->sel.icmp_type == 0 && pol->sel.has_icmp_code &&
	   pol->sel.icmp_code == 0 && pol->dir == KIPSEC_DIR_FWD,
	   "icmp type 0 code 0: exact zeros (kipsec's form), fwd");
	parses("spdadd 0.0.0.0/0 0.0.0.0/0 icmp -P out discard;", 1);
	ok(!script.ops[0].pol.sel.has_icmp_type, "icmp without a type: any");
	parses("spdadd 10.0.0.1 10.0.0.2 132 -P out discard;"
	       "spdadd 10.0.0.1 10.0.0.2 255 -P out discard;"
	       "spdadd 10.0.0.1 10.0.0.2 gre -P out discard;", 3);
	ok(script.ops[0].pol.sel.proto == IPPROTO_SCTP && !script.ops[1].pol.sel.has_proto &&
	   script.ops[2].pol.sel.proto == IPPROTO_GRE,
	   "protocol numbers (255 is any) and names");

	parses("spdadd 10.0.1.0/24 10.0.2.0/24 any -P out ipsec "
	       "esp/tunnel/192.0.2.1-192.0.2.2/unique:5 ah/transport//use;", 1);
	pol = &script.ops[0].pol;
	ok(pol->n_tmpl == 2 && pol->tmpl[0].level == KIPSEC_LEVEL_UNIQUE &&
	   pol->tmpl[0].reqid == 5 && pol->tmpl[1].level == KIPSEC_LEVEL_USE &&
	   pol->tmpl[1].reqid == 0,
	   "unique:5 gives a reqid; use");
	parses("spdadd 10.0.1.0/24 10.0.2.0/24 any -P out ipsec esp/tunnel/fec0::1-fec0::2/require:7/0x1234;", 1);
	pol = &script.ops[0].pol;
	ok(pol->tmpl[0].level == KIPSEC_LEVEL_REQUIRE && pol->tmpl[0].reqid == 7 &&
	   pol->tmpl[0].spi == 0x1234 && addr_is(&pol->tmpl[0].dst, "fec0::2"),
	   "IPv6 endpoints for IPv4 traffic, require:7 and an SPI");
	parses("spdadd 10.0.1.0/24 10.0.2.0/24 any -P out ipsec esp/transport ah/transport/ esp/transport//default;", 1);
	pol = &script.ops[0].pol;
	ok(pol->n_tmpl == 3 && pol->tmpl[0].level == KIPSEC_LEVEL_DEFAULT &&
	   pol->tmpl[1].level == KIPSEC_LEVEL_DEFAULT,
	   "templates without a level get libipsec's default");
	parses("spdadd 10.0.0.1 10.0.0.2 any -P out bypass;", 1);
	ok(script.ops[0].pol.action == KIPSEC_ACTION_BYPASS, "bypass is none");

	parses("spdadd 10.0.0.1 10.0.0.2 any -P out prio 10 discard;"
	       "spdadd 10.0.0.1 10.0.0.2 any -P out prio -10 discard;"
	       "spdadd 10.0.0.1 10.0.0.2 any -P out prio high discard;"
	       "spdadd 10.0.0.1 10.0.0.2 any -P out prio low + 5 discard;"
	       "spdadd 10.0.0.1 10.0.0.2 any -P out priority def - 5 discard;"
	       "spdadd 10.0.0.1 10.0.0.2 any -P out prio def-6 discard;"
	       "spdadd 10.0.0.1 10.0.0.2 any -P out prio 2147483648 discard;"
	       "spdadd 10.0.0.1 10.0.0.2 any -P out prio - 7 discard;", 8);
	ok(script.ops[0].pol.priority == KIPSEC_PRIO_DEFAULT - 10 &&
	   script.ops[1].pol.priority == KIPSEC_PRIO_DEFAULT + 10 &&
	   script.ops[2].pol.priority == KIPSEC_PRIO_HIGH &&
	   script.ops[3].pol.priority == KIPSEC_PRIO_LOW - 5 &&
	   script.ops[4].pol.priority == KIPSEC_PRIO_DEFAULT + 5 &&
	   script.ops[5].pol.priority == KIPSEC_PRIO_DEFAULT + 6 &&
	   script.ops[6].pol.priority == 0 &&
	   script.ops[7].pol.priority == KIPSEC_PRIO_DEFAULT + 7,
	   "prio N, -N, high, low + N, def - N, def-N (libipsec's arithmetic)");

	parses("spdupdate 10.0.0.1 10.0.0.2 any -P out none;"
	       "spddelete 10.0.0.1 10.0.0.2 any -P out;"
	       "spddelete -6 fec0::1 fec0::2 tcp -P in ipsec esp/transport//require;", 3);
	ok(script.ops[0].type == KIPSEC_OP_POLICY_UPDATE &&
	   script.ops[1].type == KIPSEC_OP_POLICY_DELETE &&
	   !script.ops[1].pol.has_action &&
	   script.ops[2].pol.has_action && script.ops[2].pol.dir == KIPSEC_DIR_IN,
	   "spdupdate; spddelete with the direction alone or a whole policy");

	parse("spdadd 10.0.1.5/24 10.0.2.0/24 any -P out discard;");
	ok(script.n_errors == 0 && addr_is(&script.ops[0].pol.sel.src, "10.0.1.0"),
	   "host bits beyond the prefix are cleared");
	str_eq(message(0), "t.conf:1:8: warning: 10.0.1.5/24 has host bits set; kipsec uses 10.0.1.0/24",
	       "... with a warning");

	parses("spdadd 10.0.0.1\n\t10.0.0.2\n  any\n-P\nout\nIPSEC\nESP/Transport//Require\n;", 1);
	ok(script.ops[0].line == 1, "a statement over several lines, any case");
}

static void test_lexer(void)
{
	struct kipsec_lexer lx;
	struct kipsec_tok t;
	const char *text = "a-b/c[1],+ \"x y\" ; # note\n  0x1f";

	kipsec_lex_init(&lx, text, strlen(text), 5);
	kipsec_lex_next(&lx, &t);
	ok(t.type == KIPSEC_TOK_WORD && t.len == 3 && t.line == 5 && t.column == 1,
	   "lexer: a-b is one word");
	kipsec_lex_next(&lx, &t);
	ok(t.type == KIPSEC_TOK_SLASH && t.column == 4, "lexer: /");
	kipsec_lex_next(&lx, &t);
	kipsec_lex_next(&lx, &t);
	ok(t.type == KIPSEC_TOK_LBRACKET, "lexer: [");
	kipsec_lex_next(&lx, &t);
	kipsec_lex_next(&lx, &t);
	ok(t.type == KIPSEC_TOK_RBRACKET, "lexer: ]");
	kipsec_lex_next(&lx, &t);
	ok(t.type == KIPSEC_TOK_COMMA, "lexer: ,");
	kipsec_lex_next(&lx, &t);
	ok(t.type == KIPSEC_TOK_PLUS, "lexer: +");
	kipsec_lex_next(&lx, &t);
	ok(t.type == KIPSEC_TOK_STRING && t.len == 3 && !memcmp(t.text, "x y", 3) &&
	   t.column == 12, "lexer: a quoted string");
	kipsec_lex_next(&lx, &t);
	ok(t.type == KIPSEC_TOK_SEMI, "lexer: ;");
	kipsec_lex_next(&lx, &t);
	ok(t.type == KIPSEC_TOK_WORD && t.line == 6 && t.column == 3 && t.len == 4,
	   "lexer: a comment runs to the end of the line");
	kipsec_lex_next(&lx, &t);
	ok(t.type == KIPSEC_TOK_EOF, "lexer: end of input");
}

static void test_errors(void)
{
	/* syntax: each says where and what was expected */
	fails("ad 10.0.0.1 10.0.0.2 esp 300 -E null;",
	      "t.conf:1:1: expected a command (add, update, get, delete, deleteall, flush, dump, getspi, spdadd, spdupdate, spddelete, spdflush, spddump), got 'ad'");
	fails("add 10.0.0.1 10.0.0.2 esp 0x1000 -E aes-gcm-16 0x00112233445566778899aabbccddeeff01020304",
	      "t.conf:1:90: expected an option (-m, -r, -u, -f, -E, -A, -lh, ...) or ';', got end of input");
	ok(script.incomplete, "a statement cut short marks the input incomplete");
	fails("add 10.0.0.1 esp 300;",
	      "t.conf:1:14: expected the destination address (an IPv4 or IPv6 address; names are not resolved), got 'esp'");
	fails("add host.example 10.0.0.2 esp 300;",
	      "t.conf:1:5: expected the source address (an IPv4 or IPv6 address; names are not resolved), got 'host.example'");
	fails("add 10.0.0.1 10.0.0.2 udp 300;",
	      "t.conf:1:23: expected the protocol (esp, esp-udp or ah), got 'udp'");
	fails("add 10.0.0.1 10.0.0.2 ipcomp 300;",
	      "t.conf:1:23: ipcomp SAs are not supported: kipsec does esp, esp-udp and ah");
	fails("add 10.0.0.1 10.0.0.2 esp x300;",
	      "t.conf:1:27: expected the SPI (a number, 0x... for hex), got 'x300'");
	parse("add 10.0.0.1 10.0.0.2 esp 0x1000 -E aes-gcm-16 0x0011;\nadd 10.0.0.1 10.0.0.2 esp 0x1000 -x 1;");
	str_eq(message(0), "t.conf:1:48: aes-gcm-16 needs a 128-, 192- or 256-bit key followed by a 32-bit salt, got 16 bits in all",
	       "a short AES-GCM key is refused at the key");
	str_eq(message(1), "t.conf:2:34: expected an option (-m, -r, -u, -f, -E, -A, -sel, -lh, -ls, -bh, -bs, -ph, -ps, -uh, -us) or ';', got '-x'",
	       "errors in later statements are reported too");
	ok(script.n_errors == 2, "... two errors");
	fails("add 10.0.0.1 10.0.0.2 esp 0x1000 -m both -E null;",
	      "t.conf:1:37: expected transport, tunnel or any after -m, got 'both'");
	fails("add 10.0.0.1 10.0.0.2 esp 0x1000 -E aes-cbc 00112233445566778899aabbccddeeff;",
	      "t.conf:1:45: expected the key after -E aes-cbc (0x... hex or \"string\"), got '00112233445566778899aabbccddeeff'");
	fails("add 10.0.0.1 10.0.0.2 esp 0x1000 -E aes-cbc 0x0011223344556677g899aabbccddeeff;",
	      "t.conf:1:63: 'g' is not a hex digit (keys in hex are 0x followed by 0-9, a-f)");
	fails("add 10.0.0.1 10.0.0.2 esp 0x1000 -E aes-cbc \"0123456789abcdef;",
	      "t.conf:1:45: unterminated quoted string (a string ends on its line)");
	fails("add 10.0.0.1 10.0.0.2 esp 0x1000 -u -E null;",
	      "t.conf:1:37: expected the reqid after -u, got '-E'");
	fails("add 10.0.0.1 10.0.0.2 esp 0x1000 -f fast -E null;",
	      "t.conf:1:37: expected a word after -f (esn, no-dscp-copy, no-ecn, df-copy, df-set, df-clear, seq-pad, nocyclic-seq), got 'fast'");
	fails("add 10.0.0.1 10.0.0.2 esp 0x1000 -m tunnel -m transport -E null;",
	      "t.conf:1:44: -m is given twice");
	fails("add 10.0.0.1 10.0.0.2 esp 0x1000 -f df-set -f df-clear -E null;",
	      "t.conf:1:47: the DF option is given twice");
	fails("add 10.0.0.1 10.0.0.2 esp 0x1000 -lh 99999999999999999999 -E null;",
	      "t.conf:1:38: 99999999999999999999 is too big for seconds after -lh (at most 18446744073709551615)");
	fails("add 10.0.0.1[4500] 10.0.0.2 esp 0x1000 -E null;",
	      "t.conf:1:14: ports on SA addresses mean ESP in UDP (NAT traversal): write esp-udp instead of esp, or leave the ports out");
	fails("add 10.0.0.1/32 10.0.0.2 esp 0x1000 -E null;",
	      "t.conf:1:13: an SA address takes no prefix length");
	fails("add fe80::1%eth0 fe80::2 esp 0x1000 -E null;",
	      "t.conf:1:5: fe80::1%eth0: scoped addresses (%interface) are not supported");
	fails("add 10.0.0.1 10.0.0.2 esp 0x1000 -ctx 1 1 \"x\";",
	      "t.conf:1:34: -ctx (security contexts, IPcomp) is not supported");
	fails("add -6 10.0.0.1 10.0.0.2 esp 0x1000 -E null;",
	      "t.conf:1:8: 10.0.0.1 is an IPv4 address, but -6 was given");

	/* checks that need no kernel */
	fails("add 10.0.0.1 10.0.0.2 esp 255 -E aes-gcm-16 0x00112233445566778899aabbccddeeff01020304;",
	      "t.conf:1:27: SPI 255 is reserved (RFC 4303: 1-255); use 256 or above");
	fails("add 10.0.0.1 10.0.0.2 esp 0 -E null;",
	      "t.conf:1:27: SPI 0 is reserved (RFC 4303: 1-255); use 256 or above");
	fails("add 10.0.0.1 10.0.0.2 esp 0x100000000 -E null;",
	      "t.conf:1:27: 0x100000000 is too big for the SPI (a number, 0x... for hex) (at most 4294967295)");
	fails("add 10.0.0.1 fec0::2 esp 300 -E null;",
	      "t.conf:1:14: the SA mixes address families: the source is IPv4, the destination IPv6");
	fails("add 10.0.0.1 10.0.0.2 esp 300 -E blowfish-cbc 0x00112233445566778899aabbccddeeff;",
	      "t.conf:1:34: unknown encryption algorithm 'blowfish-cbc' (kipsec has: aes-gcm-16, aes-gcm-12, aes-gcm-8, chacha20-poly1305, aes-ccm-16, aes-ccm-12, aes-ccm-8, aes-gmac, aes-cbc, aes-ctr, null, 3des-cbc)");
	fails("add 10.0.0.1 10.0.0.2 ah 300 -A keyed-md5 0x00112233445566778899aabbccddeeff;",
	      "t.conf:1:33: unknown integrity algorithm 'keyed-md5' (kipsec has: hmac-sha256, hmac-sha384, hmac-sha512, hmac-sha1, aes-xcbc-mac, aes-gmac, hmac-md5)");
	fails("add 10.0.0.1 10.0.0.2 esp 300 -A hmac-sha256 0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff;",
	      "t.conf:1:23: ESP needs an encryption algorithm (use null for integrity only)");
	fails("add 10.0.0.1 10.0.0.2 esp 300 -E null;",
	      "t.conf:1:34: null encryption without an integrity algorithm protects nothing");
	fails("add 10.0.0.1 10.0.0.2 ah 300 -E aes-cbc 0x00112233445566778899aabbccddeeff;",
	      "t.conf:1:33: AH does not encrypt: drop the encryption algorithm aes-cbc");
	fails("add 10.0.0.1 10.0.0.2 esp 300 -E aes-gcm-16 0x00112233445566778899aabbccddeeff01020304 -A hmac-sha1 0x00112233445566778899aabbccddeeff00112233;",
	      "t.conf:1:91: aes-gcm-16 protects integrity itself: drop the integrity algorithm hmac-sha1");
	fails("add 10.0.0.1 10.0.0.2 esp 300 -E aes-cbc 0x00112233445566778899aabbccddeeff -A hmac-sha256 0x0011;",
	      "t.conf:1:92: hmac-sha256 needs a 256-bit key, got 16 bits");
	fails("add 10.0.0.1 10.0.0.2 esp 300 -E null 0x0011 -A hmac-sha1 0x00112233445566778899aabbccddeeff00112233;",
	      "t.conf:1:39: null takes no key, got 16 bits");
	fails("add 10.0.0.1 10.0.0.2 esp 300 -E aes-cbc 0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00;",
	      "t.conf:1:42: the key is 65 bytes; kipsec takes at most 64");
	parse("add 10.0.0.1 10.0.0.2 esp 300 -r 16 -E aes-gcm-16 0x00112233445566778899aabbccddeeff01020304;");
	ok(script.n_errors == 0 && script.n_ops == 1 &&
	   script.ops[0].sa.replay_window == 32,
	   "-r 16 (setkey files for Linux use 1..31) is rounded up to 32");
	str_eq(message(0), "t.conf:1:34: warning: replay window 16 is below kipsec's smallest: 32 is used",
	       "-r 16 warns that 32 is used");
	fails("add 10.0.0.1 10.0.0.2 esp 300 -r 65537 -E null;",
	      "t.conf:1:34: replay window 65537 is out of range: 0 (off) or 32 to 65536");
	parses("add 10.0.0.1 10.0.0.2 esp 300 -r 65536 -E aes-gcm-16 0x00112233445566778899aabbccddeeff01020304;", 1);
	fails("add 10.0.0.1 10.0.0.2 esp 300 -lh 100 -ls 200 -E aes-gcm-16 0x00112233445566778899aabbccddeeff01020304;",
	      "t.conf:1:31: the soft lifetime (seconds since add) must not exceed the hard one");
	fails("update 10.0.0.1 10.0.0.2 esp 300 -bh 100 -bs 200;",
	      "t.conf:1:34: the soft lifetime (bytes) must not exceed the hard one");
	fails("alloc-spi 10.0.0.1 10.0.0.2 esp range 0x2000 0x1000;",
	      "t.conf:1:39: the range's minimum 8192 is above its maximum 4096");
	fails("alloc-spi 10.0.0.1 10.0.0.2 esp range 1 0x1000;",
	      "t.conf:1:39: the range's minimum 1 is a reserved SPI (RFC 4303: 1-255); start at 256 or above");
	fails("getspi 10.0.0.1 10.0.0.2 esp 5;",
	      "t.conf:1:30: SPI 5 is reserved (RFC 4303: 1-255); use 256 or above, or 0 for any");
	parses("getspi 10.0.0.1 10.0.0.2 esp 0;", 1);
	parses("getspi 10.0.0.1 10.0.0.2 esp 256;", 1);
	fails("get 10.0.0.1 10.0.0.2 esp 0x1000 -m tunnel;",
	      "t.conf:1:34: expected ';', got '-m'");

	/* policies */
	fails("spdadd 10.0.0.0/33 10.0.0.2 any -P out none;",
	      "t.conf:1:8: source prefix /33 is longer than the 32-bit address");
	fails("spdadd fec0::/129 fec0::2 any -P out none;",
	      "t.conf:1:8: source prefix /129 is longer than the 128-bit address");
	fails("spdadd 10.0.0.0/8 fec0::2 any -P out none;",
	      "t.conf:1:19: the selector mixes address families: the source is IPv4, the destination IPv6");
	fails("spdadd 10.0.0.1[70000] 10.0.0.2 tcp -P out none;",
	      "t.conf:1:17: port 70000 is out of range (0-65535)");
	fails("spdadd 10.0.0.1[80 10.0.0.2 tcp -P out none;",
	      "t.conf:1:20: expected ']', got '10.0.0.2'");
	fails("spdadd 10.0.0.1[80] 10.0.0.2 any -P out none;",
	      "t.conf:1:16: ports need tcp, udp, sctp or udplite as upper-layer protocol");
	fails("spdadd 10.0.0.1 10.0.0.2[80] icmp -P out none;",
	      "t.conf:1:25: ports need tcp, udp, sctp or udplite as upper-layer protocol");
	fails("spdadd 10.0.0.1 10.0.0.2 tcp 80 -P out none;",
	      "t.conf:1:30: only icmp and icmp6 take a type and code after the protocol");
	fails("spdadd 10.0.0.1 10.0.0.2 icmp 300 -P out none;",
	      "t.conf:1:31: 300 is too big for the ICMP type (at most 255)");
	fails("spdadd ::/0 ::/0 icmp 8,0 -P out none;",
	      "t.conf:1:18: ICMP type and code need icmp6 as protocol");
	fails("spdadd ::/0 ::/0 icmp6 0,4 -P out none;",
	      "t.conf:1:18: an ICMP code needs an ICMP type");
	fails("spdadd 10.0.0.1 10.0.0.2 nosuchproto -P out none;",
	      "t.conf:1:26: expected the upper-layer protocol (any, tcp, udp, icmp, icmp6, a name from /etc/protocols, a number), got 'nosuchproto'");
	fails("spdadd 10.0.0.1 10.0.0.2 any out none;",
	      "t.conf:1:30: expected -P and the policy, got 'out'");
	fails("spdadd 10.0.0.1 10.0.0.2 any -P up none;",
	      "t.conf:1:33: expected the direction (in, out or fwd) after -P, got 'up'");
	fails("spdadd 10.0.0.1 10.0.0.2 any -P out;",
	      "t.conf:1:36: expected the action (discard, none or ipsec), got ';'");
	fails("spdadd 10.0.0.1 10.0.0.2 any -P out entrust;",
	      "t.conf:1:37: entrust is not supported: use discard, none or ipsec");
	fails("spdadd 10.0.0.1 10.0.0.2 any -P out ipsec;",
	      "t.conf:1:42: an ipsec policy needs at least one template, like esp/transport//require");
	fails("spdadd 10.0.0.1 10.0.0.2 any -P out none esp/transport//require;",
	      "t.conf:1:42: expected ';' (only ipsec policies take templates), got 'esp'");
	fails("spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/tunnel//require;",
	      "t.conf:1:43: tunnel mode needs its endpoints: esp/tunnel/SRC-DST/require");
	fails("spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport/10.0.0.1-10.0.0.2/require;",
	      "t.conf:1:57: transport mode takes no endpoints: esp/transport//require");
	fails("spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/tunnel/10.0.0.1-fec0::2/require;",
	      "t.conf:1:63: the tunnel endpoints mix address families: IPv4 and IPv6");
	fails("spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/tunnel/10.0.0.1/require;",
	      "t.conf:1:54: expected the tunnel endpoints SRC-DST, got '10.0.0.1'");
	fails("spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/tunnel/10.0.0.1-10.0.0.x/require;",
	      "t.conf:1:63: expected the tunnel's destination address (an IPv4 or IPv6 address; names are not resolved), got '10.0.0.x'");
	fails("spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport/require;",
	      "t.conf:1:57: expected SRC-DST endpoints or '/' before the level, as in esp/transport//require");
	fails("spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/any//require;",
	      "t.conf:1:47: expected the template's mode (transport or tunnel), got 'any'");
	fails("spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp;",
	      "t.conf:1:46: expected '/' and the mode (esp/transport//require, esp/tunnel/SRC-DST/require), got ';'");
	fails("spdadd 10.0.0.1 10.0.0.2 any -P out ipsec ipcomp/transport//use;",
	      "t.conf:1:43: ipcomp is not supported");
	fails("spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport//unique:x;",
	      "t.conf:1:65: expected a reqid after 'unique:', got 'x'");
	fails("spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport//require ah/transport//require esp/transport//require ah/transport//require esp/transport//require;",
	      "t.conf:1:133: a policy takes at most 4 templates");
	fails("spdadd 10.0.0.1 10.0.0.2 any -P out prio x none;",
	      "t.conf:1:42: expected a priority after prio (N, -N, or low, def or high, optionally followed by + N or - N), got 'x'");
	fails("spdadd 10.0.0.1 10.0.0.2 any -P out prio 2147483649 none;",
	      "t.conf:1:42: priority offset 2147483649 is out of range (at most 2147483648 here)");
	fails("spdadd 10.0.0.1 10.0.0.2 any -P out prio high - 1073741824 none;",
	      "t.conf:1:49: priority offset 1073741824 is out of range (at most 1073741823 here)");
	fails("spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/tunnel/10.0.0.1[4500]-10.0.0.2[4500]/require;",
	      "t.conf:1:62: ports on tunnel endpoints (NAT traversal) are not supported");

	/* recovery: a bad statement does not hide the next ones */
	parse("spdadd 10.0.0.1 10.0.0.2 any -P out bogus;\n"
	      "spdadd 10.0.0.1 10.0.0.2 any -P out none;\n"
	      "add 10.0.0.1 10.0.0.2 esp 1 -E null;\n");
	ok(script.n_errors == 2 && script.n_ops == 1 &&
	   !strcmp(message(1), "t.conf:3:27: SPI 1 is reserved (RFC 4303: 1-255); use 256 or above"),
	   "after an error the parser goes on with the next statement");
	{
		char text[4096] = "";

		for (int i = 0; i < 30; i++)
			strcat(text, "bad;\n");
		parse(text);
		ok(script.n_errors == 20 && script.n_diags == 21 &&
		   !strcmp(message(20), "t.conf:21:1: too many errors; the rest is not read"),
		   "after 20 errors the parser stops");
	}
}

/* NetBSD's and ipsec-tools' NAT traversal: esp-udp and ADDRESS[PORT] */
static void test_esp_udp(void)
{
	const struct kipsec_sa *sa;
	char text[512];

	snprintf(text, sizeof(text),
		 "add 192.0.2.10[4500] 198.51.100.1[4500] esp-udp 0x1000 -m tunnel -E aes-gcm-16 %s;",
		 key20);
	parses(text, 1);
	sa = &script.ops[0].sa;
	ok(sa->proto == IPPROTO_ESP && sa->has_encap && sa->encap_sport == 4500 &&
	   sa->encap_dport == 4500 && addr_is(&sa->src, "192.0.2.10") &&
	   addr_is(&sa->dst, "198.51.100.1") && sa->mode == KIPSEC_MODE_TUNNEL,
	   "esp-udp over IPv4: ESP with both ports");
	snprintf(text, sizeof(text),
		 "add -6 2001:db8::1[61000] 2001:db8::2[0x1194] ESP-UDP 0x1001 -m transport -E aes-gcm-16 %s;",
		 key20);
	parses(text, 1);
	sa = &script.ops[0].sa;
	ok(sa->proto == IPPROTO_ESP && sa->has_encap && sa->encap_sport == 61000 &&
	   sa->encap_dport == 4500 && addr_is(&sa->dst, "2001:db8::2"),
	   "esp-udp over IPv6, ports in decimal and hex, the keyword in any case");
	snprintf(text, sizeof(text),
		 "add 10.0.0.1 10.0.0.2 esp 0x1000 -E aes-gcm-16 %s;", key20);
	parses(text, 1);
	ok(!script.ops[0].sa.has_encap, "plain esp has no encapsulation");
	parses("get 192.0.2.10[4500] 198.51.100.1[4500] esp-udp 0x1000;\n"
	       "delete 2001:db8::1[4500] 2001:db8::2[4500] esp-udp 0x1001;", 2);
	ok(script.ops[0].type == KIPSEC_OP_SA_GET &&
	   script.ops[0].sa.proto == IPPROTO_ESP && script.ops[0].sa.has_encap &&
	   script.ops[0].sa.spi == 0x1000 &&
	   script.ops[1].type == KIPSEC_OP_SA_DELETE &&
	   script.ops[1].sa.proto == IPPROTO_ESP && script.ops[1].sa.has_encap,
	   "get and delete name an esp-udp SA as the ESP SA it is");
	snprintf(text, sizeof(text),
		 "update 192.0.2.10[4500] 198.51.100.1[4500] esp-udp 0x1000 -u 5 -E aes-gcm-16 %s;",
		 key20);
	parses(text, 1);
	ok(script.ops[0].sa.has_encap && script.ops[0].sa.reqid == 5,
	   "update completes a larval SA with its ports");

	/* errors, each saying what to write */
	fails("add 192.0.2.10[4500] 198.51.100.1 esp-udp 0x1000 -E null;",
	      "t.conf:1:22: esp-udp needs the UDP port on both addresses: write 192.0.2.10[4500] 198.51.100.1[4500] esp-udp (4500 is the usual port)");
	fails("add 192.0.2.10 198.51.100.1[1701] esp-udp 0x1000 -E null;",
	      "t.conf:1:5: esp-udp needs the UDP port on both addresses: write 192.0.2.10[4500] 198.51.100.1[1701] esp-udp (4500 is the usual port)");
	fails("add 2001:db8::1 2001:db8::2 esp-udp 0x1000 -E null;",
	      "t.conf:1:5: esp-udp needs the UDP port on both addresses: write 2001:db8::1[4500] 2001:db8::2[4500] esp-udp (4500 is the usual port)");
	fails("add 192.0.2.10[0] 198.51.100.1[4500] esp-udp 0x1000 -E null;",
	      "t.conf:1:16: port 0 cannot carry ESP in UDP: give the port the peer uses, 1-65535 (usually 4500)");
	fails("add 192.0.2.10[4500] 198.51.100.1[65536] esp-udp 0x1000 -E null;",
	      "t.conf:1:35: port 65536 is out of range: a UDP port is 1-65535 (usually 4500)");
	fails("add 192.0.2.10[4500] 198.51.100.1[99999999999999999999999] esp-udp 0x1000 -E null;",
	      "t.conf:1:35: port 99999999999999999999999 is out of range: a UDP port is 1-65535 (usually 4500)");
	fails("add 192.0.2.10[any] 198.51.100.1[4500] esp-udp 0x1000 -E null;",
	      "t.conf:1:16: expected a UDP port number (1-65535, usually 4500), got 'any'");
	fails("add 192.0.2.10[4500 198.51.100.1[4500] esp-udp 0x1000 -E null;",
	      "t.conf:1:21: expected ']', got '198.51.100.1'");
	fails("add 10.0.0.1 10.0.0.2[4500] esp 0x1000 -E null;",
	      "t.conf:1:23: ports on SA addresses mean ESP in UDP (NAT traversal): write esp-udp instead of esp, or leave the ports out");
	fails("add 10.0.0.1[4500] 10.0.0.2[4500] ah 0x1000 -A hmac-sha256 0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff;",
	      "t.conf:1:14: AH cannot travel in UDP (RFC 3948 encapsulates ESP only): leave the ports out");
	fails("get 10.0.0.1[4500] 10.0.0.2[4500] esp 0x1000;",
	      "t.conf:1:14: ports on SA addresses mean ESP in UDP (NAT traversal): write esp-udp instead of esp, or leave the ports out");
	fails("delete 10.0.0.1 10.0.0.2 esp-udp 0x1000;",
	      "t.conf:1:8: esp-udp needs the UDP port on both addresses: write 10.0.0.1[4500] 10.0.0.2[4500] esp-udp (4500 is the usual port)");
	fails("add 10.0.0.1[4500] 10.0.0.2[4500] esp-udp 0x1000 -m bogus -E null;",
	      "t.conf:1:53: expected transport, tunnel or any after -m, got 'bogus'");
	snprintf(text, sizeof(text),
		 "add 10.0.0.1[4500] 10.0.0.2[4500] esp-udp 0x1000 -m tunnel -E aes-cbc 0x000102030405060708090a0b0c0d0e0f -A aes-gmac %s;",
		 key20);
	fails(text, "t.conf:1:109: aes-gmac as an integrity algorithm is for AH; ESP uses it as encryption algorithm aes-gmac");
	fails("add 10.0.0.1[4500] 10.0.0.2[4500] esp-udp 0x1000 -m tunnel;",
		      "t.conf:1:35: ESP needs an encryption algorithm (use null for integrity only)");

	/* ESP filters cover esp-udp SAs; larval SAs get their ports later */
	fails("flush esp-udp;",
	      "t.conf:1:7: esp-udp SAs are ESP SAs: write esp, which covers them");
	fails("dump esp-udp;",
	      "t.conf:1:6: esp-udp SAs are ESP SAs: write esp, which covers them");
	fails("deleteall 10.0.0.1 10.0.0.2 esp-udp;",
	      "t.conf:1:29: esp-udp SAs are ESP SAs: write esp, which covers them");
	fails("deleteall 10.0.0.1[4500] 10.0.0.2 esp;",
	      "t.conf:1:19: deleteall takes no ports: it removes the SAs between the two addresses, esp-udp ones too (esp covers them)");
	fails("getspi 10.0.0.1 10.0.0.2 esp-udp 0;",
	      "t.conf:1:26: a reserved SPI has no ports yet: write esp here, and esp-udp with the ports in the update that completes the SA");
	fails("alloc-spi 10.0.0.1[4500] 10.0.0.2[4500] esp;",
	      "t.conf:1:19: a reserved SPI has no ports yet: write esp here, and esp-udp with the ports in the update that completes the SA");
}

static bool same_ops(const struct kipsec_op *a, const struct kipsec_op *b)
{
	struct kipsec_op x = *a, y = *b;

	x.line = y.line = 0;
	x.column = y.column = 0;
	return !memcmp(&x, &y, sizeof(x));
}

static char *print_script(const struct kipsec_script *s)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	for (size_t i = 0; i < s->n_ops; i++)
		kipsec_print_op(f, &s->ops[i], true);
	fclose(f);
	return text;
}

static void test_round_trip(void)
{
	static const char *const corpus =
		"add 192.0.2.1 192.0.2.2 esp 0x1000 -m tunnel -r 4096 -u 7 -f esn -f no-dscp-copy -f no-ecn -f df-set "
		"-lh 3600 -ls 3000 -bh 1000000 -bs 900000 -ph 5000 -ps 4000 -uh 600 -us 500 "
		"-E aes-gcm-16 0x000102030405060708090a0b0c0d0e0f10111213;\n"
		"add 10.0.0.1 10.0.0.2 esp 4096 -m transport -E aes-cbc \"0123456789abcdef\" "
		"-A hmac-sha256 0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff;\n"
		"add 10.0.0.1 10.0.0.2 esp 4096 -E null -A hmac-sha1 0x0102030405060708090a0b0c0d0e0f1011121314;\n"
		"add fec0::1 fec0::2 ah 700 -A hmac-md5 0xbf9a081e7ebdd4fa824c822ed94f5226;\n"
		"add 10.0.0.1 10.0.0.2 ah 4096 -r 0 -A aes-gmac 0x00112233445566778899aabbccddeeff0011223344556677aabbccdd;\n"
		"add fec0::1 fec0::2 esp 701 -E 3des-cbc 0xdafb418410b2ca6a2ba144561fab354640080e5b7a010203;\n"
		"add 192.0.2.1 192.0.2.2 esp 0x1003 -m tunnel -sel 10.1.0.0/24 10.2.0.0/24[443] tcp -E aes-gcm-16 0x000102030405060708090a0b0c0d0e0f10111213;\n"
		"add 192.0.2.1 192.0.2.2 esp 0x1004 -m tunnel -sel fd00::/64[any] ::/0 icmp6 type 0 code 0 -E aes-gcm-16 0x000102030405060708090a0b0c0d0e0f10111213;\n"
		"add 10.0.0.1 10.0.0.2 esp 4096 -m any -E chacha20-poly1305 0x000102030405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0e0f01020304;\n"
		"update 10.0.0.1 10.0.0.2 esp 4096 -lh 100 -f df-copy;\n"
		"add 192.0.2.10[4500] 198.51.100.1[4500] esp-udp 0x1005 -m tunnel -u 3 -E aes-gcm-16 0x000102030405060708090a0b0c0d0e0f10111213;\n"
		"add 2001:db8::1[61000] 2001:db8::2[4500] esp-udp 0x1006 -E aes-cbc 0x000102030405060708090a0b0c0d0e0f "
		"-A hmac-sha256 0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff;\n"
		"update 192.0.2.10[4500] 198.51.100.1[4500] esp-udp 0x1007 -E aes-gcm-16 0x000102030405060708090a0b0c0d0e0f10111213;\n"
		"get 192.0.2.10[4500] 198.51.100.1[4500] esp-udp 0x1005;\n"
		"delete 2001:db8::1[61000] 2001:db8::2[4500] esp-udp 0x1006;\n"
		"get 10.0.0.1 10.0.0.2 esp 0x1000;\n"
		"delete fec0::1 fec0::2 ah 300;\n"
		"deleteall 10.0.0.1 10.0.0.2 esp;\n"
		"deleteall 10.0.0.1 10.0.0.2;\n"
		"flush; flush ah; dump; dump esp; spdflush; spddump;\n"
		"getspi 10.0.0.1 10.0.0.2 esp 0x2000 -u 9;\n"
		"alloc-spi 10.0.0.1 10.0.0.2 ah -u 4 range 0x1000 0x1fff;\n"
		"alloc-spi 10.0.0.1 10.0.0.2 esp;\n"
		"spdadd fec0::1 fec0::2 any -P out IPsec esp/transport//require ah/transport//require;\n"
		"spdadd 10.0.1.0/24 10.0.2.0/24 any -P in IPsec esp/tunnel/172.16.0.2-172.16.0.1/require;\n"
		"spdadd 10.0.0.1[80] 10.0.0.2[any] tcp -P out prio 10 ipsec esp/transport//unique:5;\n"
		"spdadd 10.0.0.0/8[1024] 0.0.0.0/0[53] udp -P in prio -10 none;\n"
		"spdadd ::/0 ::/0 icmp6 135,0 -P in none;\n"
		"spdadd ::/0 ::/0 icmp6 1,4 -P fwd prio high discard;\n"
		"spdadd ::/0 ::/0 icmp6 2,4 -P fwd prio low discard;\n"
		"spdadd 0.0.0.0/0 0.0.0.0/0 icmp type 0 code 0 -P out discard;\n"
		"spdadd 0.0.0.0/0 0.0.0.0/0 icmp type 8 -P out prio 2147483648 discard;\n"
		"spdadd 0.0.0.0/0 0.0.0.0/0 icmp type 3 code 0 -P out prio -2147483647 discard;\n"
		"spdadd 10.0.0.1 10.0.0.2 200 -P out prio def + 3 discard;\n"
		"spdadd 10.0.1.0/24 10.0.2.0/24 any -P out ipsec esp/tunnel/fec0::1-fec0::2/require:7/0x1234 "
		"ah/transport//use esp/transport//default ah/tunnel/1.2.3.4-5.6.7.8/unique;\n"
		"spdupdate 10.0.0.1 10.0.0.2 sctp -P out none;\n"
		"spddelete 10.0.0.1 10.0.0.2 any -P out;\n"
		"spddelete 10.0.0.1 10.0.0.2 udp -P in prio 5 ipsec esp/transport//require;\n";
	struct kipsec_script first, second;
	char *text;
	bool all_same = true;

	ok(kipsec_parse(&first, "corpus", corpus, strlen(corpus), 1) == 0,
	   "round trip: the corpus parses");
	for (size_t i = 0; i < first.n_diags; i++)
		if (!first.diags[i].warning)
			diag("%s:%u:%u: %s", first.name, first.diags[i].line,
			     first.diags[i].column, first.diags[i].msg);
	text = print_script(&first);
	ok(kipsec_parse(&second, "printed", text, strlen(text), 1) == 0,
	   "round trip: the printed statements parse");
	for (size_t i = 0; i < second.n_diags; i++)
		if (!second.diags[i].warning)
			diag("%s:%u:%u: %s", second.name, second.diags[i].line,
			     second.diags[i].column, second.diags[i].msg);
	is_uint(second.n_ops, first.n_ops, "round trip: as many statements (%zu)",
		first.n_ops);
	for (size_t i = 0; i < first.n_ops && i < second.n_ops; i++) {
		if (!same_ops(&first.ops[i], &second.ops[i])) {
			all_same = false;
			diag("statement %zu differs; printed as:", i + 1);
			kipsec_print_op(stdout, &second.ops[i], true);
		}
	}
	ok(all_same, "round trip: parse -> print -> parse gives the same structures");
	free(text);
	kipsec_script_free(&first);
	kipsec_script_free(&second);
}

/* CPU time: a busy machine (a VM test beside) does not inflate it. */
static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Builds n distinct SA lines; the caller frees the text. */
static char *big_file(unsigned int n)
{
	size_t cap = (size_t)n * 200, len = 0;
	char *text = malloc(cap);

	for (unsigned int i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, cap - len,
					"add 10.%u.%u.1 10.%u.%u.2 esp 0x%x -m tunnel -r 2048 "
					"-E aes-gcm-16 0x%08x0102030405060708090a0b0c0d0e0f10;\n",
					i >> 8 & 255, i & 255, i >> 8 & 255,
					i & 255, 0x1000 + i, i);
	return text;
}

/* Seconds of CPU time to parse an n-line file (and whether all of it parsed). */
static double parse_seconds(unsigned int n, bool *parsed)
{
	char *text = big_file(n);
	struct timespec t0;
	double secs;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
	*parsed = parse(text) == 0 && script.n_ops == n && script.n_diags == 0 &&
		  script.ops[n - 1].line == n &&
		  script.ops[n - 1].sa.spi == 0x1000 + n - 1;
	secs = seconds_since(&t0);
	free(text);
	return secs;
}

/*
 * Parsing must stay linear in the file's length. No absolute time is
 * asserted (a sanitizer build on a loaded machine varies by a factor of
 * several); the ratio of two sizes measured in the same run is: 8 times the
 * lines may cost at most 24 times the time, where a quadratic parser pays 64.
 */
static void test_big_file(void)
{
	bool small_ok, big_ok;
	double small, big;

	small = parse_seconds(12500, &small_ok);
	big = parse_seconds(100000, &big_ok);
	ok(small_ok && big_ok, "12,500 and 100,000 add lines parse, the last one in its place");
	ok(big < 24 * small + 0.05,
	   "... in time linear in the length (%.3f s for 12,500 lines, %.3f s for 100,000)",
	   small, big);
}

int main(void)
{
	test_lexer();
	test_seed_examples();
	test_sa_add();
	test_sa_other();
	test_policies();
	test_errors();
	test_esp_udp();
	test_round_trip();
	test_big_file();
	kipsec_script_free(&script);
	return tap_done();
}
