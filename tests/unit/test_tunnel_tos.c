// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for src/core/tunnel_tos.c: outer DSCP/ECN at encapsulation
 * (RFC 4301 5.1.2.1, RFC 6040 4.1), inner ECN at decapsulation (RFC 6040
 * 4.2, Figure 4) and the outer IPv4 DF bit.  Prints TAP; exits 0 only if
 * everything passed.
 *
 * Build and run by hand from the top of the tree:
 *
 *   cc -std=c11 -Wall -Wextra -Werror -Iinclude/uapi -Isrc/core tests/unit/test_tunnel_tos.c src/core/tunnel_tos.c -o /tmp/test_tunnel_tos
 *   /tmp/test_tunnel_tos
 */

#include <stdio.h>

#include <linux/kipsec.h>

#include "tunnel_tos.h"
#include "tap.h"

#define NOT_ECT	KIPSEC_ECN_NOT_ECT
#define ECT0	KIPSEC_ECN_ECT0
#define ECT1	KIPSEC_ECN_ECT1
#define CE	KIPSEC_ECN_CE

#define OK	KIPSEC_ECN_DECAP_OK
#define LOG	KIPSEC_ECN_DECAP_LOG
#define DROP	KIPSEC_ECN_DECAP_DROP

static const char *ecn_name(unsigned int e)
{
	static const char *const n[4] = {
		[NOT_ECT] = "Not-ECT", [ECT1] = "ECT(1)",
		[ECT0] = "ECT(0)", [CE] = "CE",
	};

	return e < 4 ? n[e] : "?";
}

static const char *verdict_name(enum kipsec_ecn_decap v)
{
	switch (v) {
	case OK:
		return "OK";
	case LOG:
		return "LOG";
	case DROP:
		return "DROP";
	}
	return "?";
}

/* ------------------------------------------------------------------ */

/*
 * RFC 6040 Figure 4, row by row in the RFC's own order (inner Not-ECT,
 * ECT(0), ECT(1), CE; outer Not-ECT, ECT(0), ECT(1), CE).  "(!!!)" cells
 * are LOG, or DROP for <drop>; the "(!)" cell is OK.
 */
static const struct {
	u8 inner, outer, want;
	enum kipsec_ecn_decap verdict;
} fig4[16] = {
	{ NOT_ECT, NOT_ECT, NOT_ECT, OK },
	{ NOT_ECT, ECT0,    NOT_ECT, LOG },
	{ NOT_ECT, ECT1,    NOT_ECT, LOG },
	{ NOT_ECT, CE,      NOT_ECT, DROP },

	{ ECT0,    NOT_ECT, ECT0,    OK },
	{ ECT0,    ECT0,    ECT0,    OK },
	{ ECT0,    ECT1,    ECT1,    OK },
	{ ECT0,    CE,      CE,      OK },

	{ ECT1,    NOT_ECT, ECT1,    OK },
	{ ECT1,    ECT0,    ECT1,    OK },	/* (!) */
	{ ECT1,    ECT1,    ECT1,    OK },
	{ ECT1,    CE,      CE,      OK },

	{ CE,      NOT_ECT, CE,      OK },
	{ CE,      ECT0,    CE,      OK },
	{ CE,      ECT1,    CE,      LOG },
	{ CE,      CE,      CE,      OK },
};

static void test_decap_table(void)
{
	for (size_t i = 0; i < 16; i++) {
		u8 got = 0xee;
		enum kipsec_ecn_decap v;

		v = kipsec_ecn_decapsulate(fig4[i].inner, fig4[i].outer, &got);
		if (!ok(v == fig4[i].verdict && got == fig4[i].want,
			"decap inner %s, outer %s -> %s %s",
			ecn_name(fig4[i].inner), ecn_name(fig4[i].outer),
			ecn_name(fig4[i].want), verdict_name(fig4[i].verdict)))
			diag("  got %s %s", ecn_name(got), verdict_name(v));
	}
}

static void test_decap_whole_bytes(void)
{
	bool all = true;
	u8 got;

	/* DSCP bits in the arguments must be ignored */
	for (size_t i = 0; i < 16; i++) {
		static const u8 dscps[] = { 0x00, 0xb8, 0xfc, 0x04 };

		for (size_t d = 0; d < sizeof(dscps); d++) {
			u8 in = dscps[d] | fig4[i].inner;
			u8 out = (u8)(dscps[(d + 1) % 4] | fig4[i].outer);
			enum kipsec_ecn_decap v;

			got = 0xee;
			v = kipsec_ecn_decapsulate(in, out, &got);
			if (v != fig4[i].verdict || got != fig4[i].want)
				all = false;
		}
	}
	ok(all, "decap reads only the ECN bits of whole TOS bytes");

	/* the output is only the two ECN bits */
	got = 0xee;
	kipsec_ecn_decapsulate(0xb8 | ECT0, 0xfc | CE, &got);
	is_uint(got, CE, "decap output carries no DSCP bits");
}

/* ------------------------------------------------------------------ */

static void test_encap(void)
{
	static const u8 ecns[4] = { NOT_ECT, ECT0, ECT1, CE };
	/* EF (46), AF41 (34), CS0 and the all-ones DSCP */
	static const u8 dscps[4] = { 46 << 2, 34 << 2, 0, 0xfc };

	for (size_t e = 0; e < 4; e++) {
		for (size_t d = 0; d < 4; d++) {
			u8 in = dscps[d] | ecns[e];

			is_uint(kipsec_tunnel_outer_dsfield(in, 0), in,
				"encap DSCP %u %s, no flags: copied (CE too)",
				dscps[d] >> 2, ecn_name(ecns[e]));
			is_uint(kipsec_tunnel_outer_dsfield(in,
						KIPSEC_SA_F_NO_DSCP_COPY),
				ecns[e],
				"encap DSCP %u %s, NO_DSCP_COPY: DSCP 0, ECN copied",
				dscps[d] >> 2, ecn_name(ecns[e]));
			is_uint(kipsec_tunnel_outer_dsfield(in,
						KIPSEC_SA_F_NO_ECN),
				dscps[d],
				"encap DSCP %u %s, NO_ECN: DSCP copied, Not-ECT",
				dscps[d] >> 2, ecn_name(ecns[e]));
			is_uint(kipsec_tunnel_outer_dsfield(in,
						KIPSEC_SA_F_NO_DSCP_COPY |
						KIPSEC_SA_F_NO_ECN),
				0, "encap DSCP %u %s, both flags: 0",
				dscps[d] >> 2, ecn_name(ecns[e]));
		}
	}

	/* flags that are not about the outer header change nothing */
	is_uint(kipsec_tunnel_outer_dsfield(0xb8 | CE, KIPSEC_SA_F_ESN),
		0xb8 | CE, "ESN flag does not affect the outer header");

	/* a tunnel end to end: ingress then egress with nothing in between */
	{
		bool all = true;

		for (size_t e = 0; e < 4; e++) {
			u8 outer = kipsec_tunnel_outer_dsfield(ecns[e], 0), got;

			if (kipsec_ecn_decapsulate(ecns[e], outer, &got) != OK ||
			    got != ecns[e])
				all = false;
			outer = kipsec_tunnel_outer_dsfield(ecns[e],
							    KIPSEC_SA_F_NO_ECN);
			if (kipsec_ecn_decapsulate(ecns[e], outer, &got) != OK ||
			    got != ecns[e])
				all = false;
		}
		ok(all, "encap then decap leaves every ECN value as it was");
	}

	/* congestion on the path, normal mode: CE reaches the inner */
	{
		u8 got;

		ok(kipsec_ecn_decapsulate(ECT0, CE, &got) == OK && got == CE,
		   "ECT(0) inner, outer marked CE on the path: inner becomes CE");
	}
}

/* ------------------------------------------------------------------ */

static void test_df(void)
{
	static const struct {
		enum kipsec_df mode;
		bool v6, df, want;
		const char *what;
	} t[] = {
		{ KIPSEC_DF_COPY,  false, false, false, "copy, IPv4 inner DF clear" },
		{ KIPSEC_DF_COPY,  false, true,  true,  "copy, IPv4 inner DF set" },
		{ KIPSEC_DF_COPY,  true,  false, true,  "copy, IPv6 inner: set" },
		{ KIPSEC_DF_COPY,  true,  true,  true,  "copy, IPv6 inner (df arg ignored)" },
		{ KIPSEC_DF_SET,   false, false, true,  "set, IPv4 inner DF clear" },
		{ KIPSEC_DF_SET,   false, true,  true,  "set, IPv4 inner DF set" },
		{ KIPSEC_DF_SET,   true,  false, true,  "set, IPv6 inner" },
		{ KIPSEC_DF_CLEAR, false, false, false, "clear, IPv4 inner DF clear" },
		{ KIPSEC_DF_CLEAR, false, true,  false, "clear, IPv4 inner DF set" },
		{ KIPSEC_DF_CLEAR, true,  false, false, "clear, IPv6 inner" },
		{ KIPSEC_DF_CLEAR, true,  true,  false, "clear, IPv6 inner (df arg ignored)" },
		{ (enum kipsec_df)7, false, false, false, "unknown mode acts as copy (clear)" },
		{ (enum kipsec_df)7, false, true, true, "unknown mode acts as copy (set)" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		is_int(kipsec_tunnel_outer_df(t[i].mode, t[i].v6, t[i].df),
		       t[i].want, "DF %s", t[i].what);
}

int main(void)
{
	test_decap_table();
	test_decap_whole_bytes();
	test_encap();
	test_df();
	return tap_done();
}
