// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the CLI's netlink encoder and decoder (src/cli/ops_encode.c,
 * ops_decode.c), which the strongSwan plugin shares: statements parsed from
 * setkey text become requests with the attributes the UAPI names, and
 * attributes as the kernel sends them become the CLI's structures. No
 * socket: messages are built and read in a buffer. Prints TAP.
 */
#include <errno.h>
#include <stdlib.h>
#include <linux/genetlink.h>

#include "../../src/cli/names.c"
#include "../../src/cli/setkey_lex.c"
#include "../../src/cli/setkey_cursor.c"
#include "../../src/cli/setkey_values.c"
#include "../../src/cli/setkey_selector.c"
#include "../../src/cli/setkey_sa.c"
#include "../../src/cli/setkey_spd.c"
#include "../../src/cli/setkey_parse.c"
#include "../../src/cli/ops_encode.c"
#include "../../src/cli/ops_decode.c"
#include "tap.h"

#define KEY20 "0x000102030405060708090a0b0c0d0e0f10111213"

static struct kipsec_script script;
static char buf[8192];

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

/* A generic netlink message with @op's attributes, as genl.c sends it. */
static struct nlmsghdr *encode(const struct kipsec_op *op)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;
	uint16_t flags;
	uint8_t cmd;

	kipsec_op_command(op, &cmd, &flags);
	nlh->nlmsg_type = 0x20;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = KIPSEC_GENL_VERSION;
	kipsec_encode_op(nlh, op);
	return nlh;
}

/* The attributes inside the message's KIPSEC_A_SA. */
static void sa_attrs(const struct nlmsghdr *nlh,
		     const struct nlattr *sa_tb[KIPSEC_SA_A_MAX + 1])
{
	const struct nlattr *tb[KIPSEC_A_MAX + 1];

	kipsec_msg_attrs(nlh, tb);
	memset(sa_tb, 0, (KIPSEC_SA_A_MAX + 1) * sizeof(*sa_tb));
	if (tb[KIPSEC_A_SA])
		parse_nested(tb[KIPSEC_A_SA], sa_tb, KIPSEC_SA_A_MAX);
}

static bool u16_is(const struct nlattr *a, u16 want)
{
	return a && mnl_attr_get_payload_len(a) == 2 &&
	       mnl_attr_get_u16(a) == want;
}

static void test_encode_encap(void)
{
	const struct nlattr *tb[KIPSEC_SA_A_MAX + 1];

	sa_attrs(encode(op_of("add 192.0.2.10[4500] 198.51.100.1[4500] esp-udp 0x1000 -m tunnel -E aes-gcm-16 " KEY20 ";")), tb);
	ok(u16_is(tb[KIPSEC_SA_A_ENCAP_SPORT], 4500) &&
	   u16_is(tb[KIPSEC_SA_A_ENCAP_DPORT], 4500) &&
	   tb[KIPSEC_SA_A_PROTO] && mnl_attr_get_u8(tb[KIPSEC_SA_A_PROTO]) == IPPROTO_ESP,
	   "add esp-udp: PROTO esp with ENCAP_SPORT and ENCAP_DPORT (u16)");
	sa_attrs(encode(op_of("add 2001:db8::1[61000] 2001:db8::2[4501] esp-udp 0x1000 -E aes-gcm-16 " KEY20 ";")), tb);
	ok(u16_is(tb[KIPSEC_SA_A_ENCAP_SPORT], 61000) &&
	   u16_is(tb[KIPSEC_SA_A_ENCAP_DPORT], 4501),
	   "add esp-udp over IPv6: each port where it was written");
	sa_attrs(encode(op_of("add 192.0.2.10 198.51.100.1 esp 0x1000 -E aes-gcm-16 " KEY20 ";")), tb);
	ok(!tb[KIPSEC_SA_A_ENCAP_SPORT] && !tb[KIPSEC_SA_A_ENCAP_DPORT],
	   "add esp: no encapsulation attributes");
	sa_attrs(encode(op_of("update 192.0.2.10[4500] 198.51.100.1[4500] esp-udp 0x1000 -E aes-gcm-16 " KEY20 ";")), tb);
	ok(u16_is(tb[KIPSEC_SA_A_ENCAP_SPORT], 4500) &&
	   u16_is(tb[KIPSEC_SA_A_ENCAP_DPORT], 4500) && tb[KIPSEC_SA_A_SRC],
	   "update with algorithms (a larval SA): the ports are sent");
	sa_attrs(encode(op_of("update 192.0.2.10[4500] 198.51.100.1[4500] esp-udp 0x1000 -lh 60;")), tb);
	ok(!tb[KIPSEC_SA_A_ENCAP_SPORT] && !tb[KIPSEC_SA_A_ENCAP_DPORT] &&
	   !tb[KIPSEC_SA_A_SRC] && tb[KIPSEC_SA_A_DST],
	   "update of a full SA: named by DST, SPI and PROTO; no SRC, no ports");
	sa_attrs(encode(op_of("get 192.0.2.10[4500] 198.51.100.1[4500] esp-udp 0x1000;")), tb);
	ok(!tb[KIPSEC_SA_A_ENCAP_SPORT] && tb[KIPSEC_SA_A_DST] &&
	   mnl_attr_get_u8(tb[KIPSEC_SA_A_PROTO]) == IPPROTO_ESP &&
	   mnl_attr_get_u32(tb[KIPSEC_SA_A_SPI]) == 0x1000,
	   "get esp-udp: the ESP SA's id (DST, SPI, PROTO esp)");
	sa_attrs(encode(op_of("delete 192.0.2.10[4500] 198.51.100.1[4500] esp-udp 0x1000;")), tb);
	ok(!tb[KIPSEC_SA_A_ENCAP_DPORT] &&
	   mnl_attr_get_u8(tb[KIPSEC_SA_A_PROTO]) == IPPROTO_ESP,
	   "delete esp-udp: the ESP SA's id");
}

/* An SA nest as the kernel would send it, with the given port attributes. */
static int decode_with(int sport_len, u16 sport, int dport_len, u16 dport,
		       struct kipsec_sa *sa)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	const struct nlattr *tb[KIPSEC_A_MAX + 1];
	struct nlattr *nest;
	u8 src[4] = { 192, 0, 2, 10 }, dst[4] = { 198, 51, 100, 1 };
	u32 wide = 4500;

	nlh->nlmsg_type = 0x20;
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct genlmsghdr));
	nest = mnl_attr_nest_start(nlh, KIPSEC_A_SA);
	mnl_attr_put_u8(nlh, KIPSEC_SA_A_PROTO, IPPROTO_ESP);
	mnl_attr_put_u32(nlh, KIPSEC_SA_A_SPI, 0x1000);
	mnl_attr_put(nlh, KIPSEC_SA_A_SRC, 4, src);
	mnl_attr_put(nlh, KIPSEC_SA_A_DST, 4, dst);
	if (sport_len == 2)
		mnl_attr_put_u16(nlh, KIPSEC_SA_A_ENCAP_SPORT, sport);
	else if (sport_len == 4)
		mnl_attr_put(nlh, KIPSEC_SA_A_ENCAP_SPORT, 4, &wide);
	if (dport_len == 2)
		mnl_attr_put_u16(nlh, KIPSEC_SA_A_ENCAP_DPORT, dport);
	mnl_attr_nest_end(nlh, nest);
	kipsec_msg_attrs(nlh, tb);
	return kipsec_decode_sa(tb[KIPSEC_A_SA], sa);
}

static void test_decode_encap(void)
{
	struct kipsec_sa sa;

	ok(decode_with(2, 4500, 2, 61000, &sa) == 0 && sa.has_encap &&
	   sa.encap_sport == 4500 && sa.encap_dport == 61000 &&
	   sa.proto == IPPROTO_ESP,
	   "decode: both ports make an SA with encapsulation");
	ok(decode_with(0, 0, 0, 0, &sa) == 0 && !sa.has_encap,
	   "decode: no ports, no encapsulation");
	is_int(decode_with(2, 4500, 0, 0, &sa), -EBADMSG,
	       "decode: one port alone is malformed (the UAPI sends both or neither)");
	is_int(decode_with(4, 0, 2, 4500, &sa), -EBADMSG,
	       "decode: a port that is not a u16 is malformed");
}

/* What the parser, encoder and decoder make of a line, back again. */
static void test_through_the_kernel_format(void)
{
	const struct kipsec_op *op = op_of("add 2001:db8::1[61000] 2001:db8::2[4500] esp-udp 0x1001 -m tunnel -E aes-gcm-16 " KEY20 ";");
	const struct nlattr *tb[KIPSEC_A_MAX + 1];
	struct kipsec_sa sa;

	kipsec_msg_attrs(encode(op), tb);
	ok(kipsec_decode_sa(tb[KIPSEC_A_SA], &sa) == 0 && sa.has_encap &&
	   sa.encap_sport == op->sa.encap_sport &&
	   sa.encap_dport == op->sa.encap_dport && sa.spi == 0x1001 &&
	   sa.mode == KIPSEC_MODE_TUNNEL,
	   "encode then decode keeps the ports");
}

int main(void)
{
	test_encode_encap();
	test_decode_encap();
	test_through_the_kernel_format();
	kipsec_script_free(&script);
	return tap_done();
}
