// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for how the kipsec CLI shows SAs and policies
 * (src/cli/dump.c, json.c): the setkey -D / -DP like text, the one-line
 * event form, and JSON with its stable keys. Prints TAP.
 */
#include <stdlib.h>

#include "../../src/cli/names.c"
#include "../../src/cli/setkey_lex.c"
#include "../../src/cli/setkey_cursor.c"
#include "../../src/cli/setkey_values.c"
#include "../../src/cli/setkey_selector.c"
#include "../../src/cli/setkey_sa.c"
#include "../../src/cli/setkey_spd.c"
#include "../../src/cli/setkey_parse.c"
#include "../../src/cli/setkey_print.c"
#include "../../src/cli/json.c"
#include "../../src/cli/dump.c"
#include "tap.h"

static char *out;
static size_t out_len;

static FILE *capture(void)
{
	free(out);
	out = NULL;
	return open_memstream(&out, &out_len);
}

static void same_text(const char *got, const char *want, const char *what)
{
	bool pass = !strcmp(got, want);

	ok(pass, "%s", what);
	if (!pass) {
		diag("got:\n%s", got);
		diag("want:\n%s", want);
	}
}

static struct kipsec_script script;

/* The first statement of @text, which must parse. */
static const struct kipsec_op *op_of(const char *text)
{
	kipsec_script_free(&script);
	if (kipsec_parse(&script, "t", text, strlen(text), 1) || !script.n_ops) {
		diag("does not parse: %s", text);
		exit(1);
	}
	return &script.ops[0];
}

/* An SA as a dump reply has it: counters, state, sequence numbers. */
static struct kipsec_sa full_sa(void)
{
	struct kipsec_sa sa = op_of(
		"add 192.0.2.1 192.0.2.2 esp 0x1000 -m tunnel -r 4096 -u 7 "
		"-f esn -f no-ecn -f df-set -lh 3600 -ls 3000 -bs 1000 "
		"-E aes-cbc 0x00112233445566778899aabbccddeeff "
		"-A hmac-sha256 0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff;")->sa;

	sa.has_state = true;
	sa.state = KIPSEC_SA_MATURE;
	sa.has_current = true;
	sa.current.add_seconds = 300;
	sa.current.bytes = 1234;
	sa.current.packets = 10;
	sa.used = true;
	sa.current.use_seconds = 20;
	sa.has_seq = true;
	sa.seq_out = 12;
	sa.seq_in = 10;
	sa.has_stats = true;
	sa.stats.packets_in = 10;
	sa.stats.bytes_in = 1200;
	sa.stats.packets_out = 12;
	sa.stats.bytes_out = 1400;
	sa.stats.replay_drops = 1;
	sa.stats.integrity_fails = 2;
	sa.stats.other_drops = 3;
	return sa;
}

static void test_sa_text(void)
{
	struct kipsec_sa sa = full_sa();
	FILE *f = capture();

	kipsec_dump_sa(f, &sa);
	fclose(f);
	same_text(out,
		  "192.0.2.1 192.0.2.2\n"
		  "\tesp mode=tunnel spi=4096(0x00001000) reqid=7(0x00000007)\n"
		  "\tE: aes-cbc  00112233 44556677 8899aabb ccddeeff\n"
		  "\tA: hmac-sha256  00112233 44556677 8899aabb ccddeeff 00112233 44556677 8899aabb ccddeeff\n"
		  "\treplay=4096 flags=esn,no-ecn df=set state=mature\n"
		  "\tseq: out=12(0x0000000c) in=10(0x0000000a)\n"
		  "\tlifetime    current       soft          hard\n"
		  "\t  add       300s          3000s         3600s\n"
		  "\t  use       20s           -             -\n"
		  "\t  bytes     1234          1000          -\n"
		  "\t  packets   10            -             -\n"
		  "\ttraffic: in 10 packets 1200 bytes, out 12 packets 1400 bytes\n"
		  "\tdrops: replay 1, integrity 2, other 3\n",
		  "SA dump: addresses, SPI in decimal and hex, keys, lifetimes, counters");
	sa.stats.replay_too_old = 1;
	sa.stats.replay_max_lag = 1500;
	f = capture();
	kipsec_dump_sa(f, &sa);
	fclose(f);
	ok(strstr(out, "\tdrops: replay 1 (1 left of the window, up to 1500 behind), integrity 2, other 3\n") != NULL,
	   "SA dump: replay drops left of the window, and how far behind");

	/* an event's SA: no keys, never used, no counters */
	sa = op_of("add fec0::1 fec0::2 esp 300 -E aes-gcm-16 0x00112233445566778899aabbccddeeff01020304;")->sa;
	sa.encr.key_known = false;
	sa.encr.keylen = 0;
	sa.has_current = true;
	sa.has_state = true;
	sa.state = KIPSEC_SA_LARVAL;
	f = capture();
	kipsec_dump_sa(f, &sa);
	fclose(f);
	same_text(out,
		  "fec0::1 fec0::2\n"
		  "\tesp mode=any spi=300(0x0000012c) reqid=0(0x00000000)\n"
		  "\tE: aes-gcm-16  (key not shown)\n"
		  "\tflags=none state=larval\n"
		  "\tlifetime    current       soft          hard\n"
		  "\t  add       0s            -             -\n"
		  "\t  use       unused        -             -\n"
		  "\t  bytes     0             -             -\n"
		  "\t  packets   0             -             -\n",
		  "SA dump without keys, counters or use");

	sa = op_of("add 192.0.2.1 192.0.2.2 esp 300 -m tunnel -sel 10.1.0.0/24 10.2.0.0/24[80] tcp -E aes-gcm-16 0x00112233445566778899aabbccddeeff01020304;")->sa;
	f = capture();
	kipsec_dump_sa(f, &sa);
	fclose(f);
	same_text(out,
		  "192.0.2.1 192.0.2.2\n"
		  "\tesp mode=tunnel spi=300(0x0000012c) reqid=0(0x00000000)\n"
		  "\tselector: 10.1.0.0/24[any] 10.2.0.0/24[80] tcp\n"
		  "\tE: aes-gcm-16  00112233 44556677 8899aabb ccddeeff 01020304\n"
		  "\tflags=none\n"
		  "\tlifetime    current       soft          hard\n"
		  "\t  add       -             -             -\n"
		  "\t  use       unused        -             -\n"
		  "\t  bytes     -             -             -\n"
		  "\t  packets   -             -             -\n",
		  "SA dump with a selector, printed as spddump prints one");

	f = capture();
	sa = full_sa();
	kipsec_brief_sa(f, &sa);
	fclose(f);
	same_text(out,
		  "192.0.2.1 192.0.2.2 esp spi=0x00001000(4096) mode=tunnel reqid=7 E=aes-cbc A=hmac-sha256 state=mature",
		  "SA on one line (monitor)");
}

/* A policy another client made with an exact port 0 is not shown as any. */
static void test_port_zero(void)
{
	struct kipsec_policy pol = op_of(
		"spdadd 10.0.1.0/24 10.0.2.0/24 udp -P out none;")->pol;
	struct kipsec_json j;
	FILE *f;

	pol.sel.has_sport = true;	/* as decoded from KIPSEC_POL_A_SPORT 0 */
	f = capture();
	kipsec_brief_policy(f, &pol);
	fclose(f);
	same_text(out, "10.0.1.0/24[0] 10.0.2.0/24[any] udp -P out none",
		  "an exact port 0 prints as [0], an absent one as [any]");
	f = capture();
	kipsec_json_init(&j, f);
	kipsec_json_policy(&j, NULL, &pol);
	fclose(f);
	ok(strstr(out, "\"sport\":0,") && strstr(out, "\"dport\":null,"),
	   "and in JSON as 0 and null: %s", out);
}

static void test_policy_text(void)
{
	struct kipsec_policy pol = op_of(
		"spdadd 10.0.1.0/24 10.0.2.0/24[80] tcp -P out prio 10 ipsec "
		"esp/tunnel/172.16.0.1-172.16.0.2/require ah/transport//unique:3;")->pol;
	FILE *f;

	pol.has_index = true;
	pol.index = 5;
	pol.instances = 1;
	f = capture();
	kipsec_dump_policy(f, &pol);
	fclose(f);
	same_text(out,
		  "10.0.1.0/24[any] 10.0.2.0/24[80] tcp\n"
		  "\tout prio 10 ipsec\n"
		  "\tesp/tunnel/172.16.0.1-172.16.0.2/require\n"
		  "\tah/transport//unique:3\n"
		  "\tindex=5 priority=2147483638 instances=1\n",
		  "policy dump, setkey -DP style");

	f = capture();
	kipsec_brief_policy(f, &pol);
	fclose(f);
	same_text(out,
		  "10.0.1.0/24[any] 10.0.2.0/24[80] tcp -P out prio 10 ipsec esp/tunnel/172.16.0.1-172.16.0.2/require ah/transport//unique:3 index=5",
		  "policy on one line (monitor)");

	/* During a rekey: the newest instance is the policy's, older ones go. */
	pol.instances = 2;
	pol.n_older = 1;
	pol.older[0].n_tmpl = 1;
	pol.older[0].tmpl[0] = pol.tmpl[0];
	pol.older[0].tmpl[0].spi = 0x111;
	f = capture();
	kipsec_dump_policy(f, &pol);
	fclose(f);
	same_text(out,
		  "10.0.1.0/24[any] 10.0.2.0/24[80] tcp\n"
		  "\tout prio 10 ipsec\n"
		  "\tesp/tunnel/172.16.0.1-172.16.0.2/require\n"
		  "\tah/transport//unique:3\n"
		  "\tretiring: esp/tunnel/172.16.0.1-172.16.0.2/require/0x111\n"
		  "\tindex=5 priority=2147483638 instances=2\n",
		  "policy dump during a rekey: the newest instance, then the retiring one");
	f = capture();
	kipsec_brief_policy(f, &pol);
	fclose(f);
	same_text(out,
		  "10.0.1.0/24[any] 10.0.2.0/24[80] tcp -P out prio 10 ipsec esp/tunnel/172.16.0.1-172.16.0.2/require ah/transport//unique:3 retiring: esp/tunnel/172.16.0.1-172.16.0.2/require/0x111 index=5",
		  "policy on one line during a rekey");

	pol = op_of("spdadd ::/0 ::/0 icmp6 135,0 -P in none;")->pol;
	f = capture();
	kipsec_dump_policy(f, &pol);
	fclose(f);
	same_text(out,
		  "::/0[any] ::/0[any] icmp6 135\n"
		  "\tin prio def none\n"
		  "\tpriority=2147483648\n",
		  "ICMPv6 type policy dump");

	pol.has_idle = true;
	pol.idle_seconds = 42;
	f = capture();
	kipsec_dump_policy(f, &pol);
	fclose(f);
	same_text(out,
		  "::/0[any] ::/0[any] icmp6 135\n"
		  "\tin prio def none\n"
		  "\tpriority=2147483648 idle=42s\n",
		  "a policy that packets matched shows how long ago the last one did");
}

static void test_json(void)
{
	struct kipsec_sa sa = full_sa();
	struct kipsec_policy pol;
	struct kipsec_json j;
	FILE *f = capture();

	kipsec_json_init(&j, f);
	kipsec_json_array(&j, NULL);
	kipsec_json_sa(&j, NULL, &sa);
	kipsec_json_end_array(&j);
	fclose(f);
	same_text(out,
		  "[{\"src\":\"192.0.2.1\",\"dst\":\"192.0.2.2\",\"encap_sport\":null,\"encap_dport\":null,"
		  "\"proto\":\"esp\",\"spi\":4096,"
		  "\"spi_hex\":\"0x00001000\",\"mode\":\"tunnel\",\"reqid\":7,\"replay_window\":4096,"
		  "\"flags\":[\"esn\",\"no-ecn\"],\"tunnel_df\":\"set\",\"state\":\"mature\","
		  "\"encryption\":{\"name\":\"aes-cbc\",\"id\":12,\"key\":\"00112233445566778899aabbccddeeff\"},"
		  "\"integrity\":{\"name\":\"hmac-sha256\",\"id\":12,\"key\":\"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\"},"
		  "\"lifetime\":{\"current\":{\"bytes\":1234,\"packets\":10,\"add_seconds\":300,\"use_seconds\":20},"
		  "\"soft\":{\"bytes\":1000,\"packets\":0,\"add_seconds\":3000,\"use_seconds\":0},"
		  "\"hard\":{\"bytes\":0,\"packets\":0,\"add_seconds\":3600,\"use_seconds\":0}},"
		  "\"seq_out\":12,\"seq_in\":10,\"selector\":null,"
		  "\"stats\":{\"packets_in\":10,\"bytes_in\":1200,\"packets_out\":12,\"bytes_out\":1400,"
		  "\"replay_drops\":1,\"integrity_fails\":2,\"other_drops\":3,"
		  "\"replay_too_old\":0,\"replay_max_lag\":0}}]\n",
		  "SA as JSON, in an array");

	sa.has_sel = true;
	sa.sel = op_of("spdadd 10.1.0.0/24 10.2.0.0/24[80] tcp -P out none;")->pol.sel;
	f = capture();
	kipsec_json_init(&j, f);
	kipsec_json_sa(&j, NULL, &sa);
	fclose(f);
	ok(strstr(out, "\"selector\":{\"src\":\"10.1.0.0\",\"src_prefix_len\":24,"
		       "\"dst\":\"10.2.0.0\",\"dst_prefix_len\":24,\"upper_proto\":6,"
		       "\"upper_proto_name\":\"tcp\",\"sport\":null,\"dport\":80,"
		       "\"icmp_type\":null,\"icmp_code\":null}") != NULL,
	   "SA as JSON: its selector has the fields of a policy's");

	pol = op_of("spdadd 10.0.1.0/24 10.0.2.0/24[80] tcp -P out ipsec "
		    "esp/tunnel/172.16.0.1-172.16.0.2/require;")->pol;
	f = capture();
	kipsec_json_init(&j, f);
	kipsec_json_policy(&j, NULL, &pol);
	kipsec_json_policy(&j, NULL, &pol);	/* two documents, two lines */
	fclose(f);
	same_text(out,
		  "{\"index\":null,\"dir\":\"out\",\"src\":\"10.0.1.0\",\"src_prefix_len\":24,"
		  "\"dst\":\"10.0.2.0\",\"dst_prefix_len\":24,\"upper_proto\":6,\"upper_proto_name\":\"tcp\","
		  "\"sport\":null,\"dport\":80,\"icmp_type\":null,\"icmp_code\":null,\"action\":\"ipsec\","
		  "\"priority\":2147483648,\"instances\":null,\"idle_seconds\":null,\"templates\":[{\"proto\":\"esp\",\"mode\":\"tunnel\","
		  "\"src\":\"172.16.0.1\",\"dst\":\"172.16.0.2\",\"level\":\"require\",\"reqid\":0,\"spi\":0}],\"older_instances\":[]}\n"
		  "{\"index\":null,\"dir\":\"out\",\"src\":\"10.0.1.0\",\"src_prefix_len\":24,"
		  "\"dst\":\"10.0.2.0\",\"dst_prefix_len\":24,\"upper_proto\":6,\"upper_proto_name\":\"tcp\","
		  "\"sport\":null,\"dport\":80,\"icmp_type\":null,\"icmp_code\":null,\"action\":\"ipsec\","
		  "\"priority\":2147483648,\"instances\":null,\"idle_seconds\":null,\"templates\":[{\"proto\":\"esp\",\"mode\":\"tunnel\","
		  "\"src\":\"172.16.0.1\",\"dst\":\"172.16.0.2\",\"level\":\"require\",\"reqid\":0,\"spi\":0}],\"older_instances\":[]}\n",
		  "policies as JSON, one document per line");

	f = capture();
	kipsec_json_init(&j, f);
	kipsec_json_object(&j, NULL);
	kipsec_json_string(&j, "s", "a\"b\\c\n\x01");
	kipsec_json_bool(&j, "t", true);
	kipsec_json_null(&j, "n");
	kipsec_json_array(&j, "e");
	kipsec_json_end_array(&j);
	kipsec_json_end_object(&j);
	fclose(f);
	same_text(out, "{\"s\":\"a\\\"b\\\\c\\u000a\\u0001\",\"t\":true,\"n\":null,\"e\":[]}\n",
		  "JSON strings are escaped");
}

/* ESP in UDP: shown as setkey wrote it, esp-udp and ADDRESS[PORT] */
static void test_esp_udp(void)
{
	struct kipsec_sa sa = op_of(
		"add 192.0.2.10[4500] 198.51.100.1[4501] esp-udp 0x1000 -m tunnel -u 7 "
		"-E aes-gcm-16 0x00112233445566778899aabbccddeeff01020304;")->sa;
	struct kipsec_ip now = op_of("add 203.0.113.5 198.51.100.1 esp 0x1000 -E null -A hmac-sha1 0x0102030405060708090a0b0c0d0e0f1011121314;")->sa.src;
	struct kipsec_json j;
	FILE *f = capture();

	sa.has_state = true;
	sa.state = KIPSEC_SA_MATURE;
	kipsec_dump_sa(f, &sa);
	fclose(f);
	same_text(out,
		  "192.0.2.10[4500] 198.51.100.1[4501]\n"
		  "\tesp-udp mode=tunnel spi=4096(0x00001000) reqid=7(0x00000007)\n"
		  "\tE: aes-gcm-16  00112233 44556677 8899aabb ccddeeff 01020304\n"
		  "\tflags=none state=mature\n"
		  "\tlifetime    current       soft          hard\n"
		  "\t  add       -             -             -\n"
		  "\t  use       unused        -             -\n"
		  "\t  bytes     -             -             -\n"
		  "\t  packets   -             -             -\n",
		  "SA dump of esp-udp: the ports after the addresses, esp-udp as the protocol");

	f = capture();
	kipsec_brief_sa(f, &sa);
	fclose(f);
	same_text(out,
		  "192.0.2.10[4500] 198.51.100.1[4501] esp-udp spi=0x00001000(4096) mode=tunnel reqid=7 E=aes-gcm-16 state=mature",
		  "esp-udp SA on one line (monitor)");

	f = capture();
	kipsec_brief_mapping(f, &sa, &now, 61000);
	fclose(f);
	same_text(out,
		  "192.0.2.10[4500] 198.51.100.1[4501] esp-udp spi=0x00001000(4096) reqid=7 old=192.0.2.10[4500] new=203.0.113.5[61000]",
		  "a NAT mapping change on one line: the SA, its old and new endpoint");

	f = capture();
	kipsec_json_init(&j, f);
	kipsec_json_sa(&j, NULL, &sa);
	fclose(f);
	ok(strstr(out, "{\"src\":\"192.0.2.10\",\"dst\":\"198.51.100.1\",\"encap_sport\":4500,"
		       "\"encap_dport\":4501,\"proto\":\"esp\",") != NULL,
	   "esp-udp SA as JSON: proto esp with encap_sport and encap_dport: %s", out);
}

static void test_names(void)
{
	ok(!strcmp(kipsec_enum_name(kipsec_level_names, KIPSEC_LEVEL_UNIQUE), "unique") &&
	   !strcmp(kipsec_enum_name(kipsec_dir_names, 7), "?") &&
	   kipsec_enum_index(kipsec_action_names, "IPsec", 5) == KIPSEC_ACTION_IPSEC,
	   "enum names both ways, any case, out of range");
	ok(!strcmp(kipsec_upper_name(58), "icmp6") && kipsec_upper_name(200) == NULL,
	   "upper-layer protocol names");
}

int main(void)
{
	test_sa_text();
	test_policy_text();
	test_port_zero();
	test_json();
	test_esp_udp();
	test_names();
	kipsec_script_free(&script);
	free(out);
	return tap_done();
}
