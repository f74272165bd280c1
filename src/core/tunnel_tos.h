/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the outer IP header of a tunnel-mode SA carries over from the inner
 * one, and what flows back at decapsulation: DSCP and ECN (RFC 4301
 * section 5.1.2, RFC 6040) and the IPv4 DF bit (RFC 4301 section 8.1).
 *
 * Kernel-independent: compiled unchanged into kipsec.ko and into the native
 * unit tests.
 *
 * "dsfield" is the IPv4 TOS byte or the IPv6 Traffic Class: the same
 * layout in both, DSCP in the top six bits and ECN in the bottom two.
 */
#ifndef KIPSEC_CORE_TUNNEL_TOS_H
#define KIPSEC_CORE_TUNNEL_TOS_H

#include <linux/kipsec.h>

#include "core_types.h"

/* ECN field codepoints (RFC 3168 section 5) */
#define KIPSEC_ECN_NOT_ECT	0x0
#define KIPSEC_ECN_ECT1		0x1
#define KIPSEC_ECN_ECT0		0x2
#define KIPSEC_ECN_CE		0x3
#define KIPSEC_ECN_MASK		0x3
#define KIPSEC_DSCP_MASK	0xfc

/**
 * enum kipsec_ecn_decap - what to do with a decapsulated packet
 * @KIPSEC_ECN_DECAP_OK: forward with the new inner ECN field
 * @KIPSEC_ECN_DECAP_LOG: forward with the new inner ECN field, but the
 *	combination is one RFC 6040 marks "(!!!)": currently unused, so
 *	something on the path or the encapsulator misbehaves, and the
 *	decapsulator should log it (rate-limited).
 * @KIPSEC_ECN_DECAP_DROP: drop: outer CE over an inner Not-ECT, i.e.
 *	congestion was signalled to a transport that cannot understand it,
 *	and dropping is the only signal left.  Also a "(!!!)" combination, so
 *	worth the same log line.
 */
enum kipsec_ecn_decap {
	KIPSEC_ECN_DECAP_OK = 0,
	KIPSEC_ECN_DECAP_LOG,
	KIPSEC_ECN_DECAP_DROP,
};

/**
 * kipsec_tunnel_outer_dsfield() - DSCP and ECN of the outer header
 * @inner_dsfield: the inner packet's TOS / Traffic Class byte
 * @sa_flags: the SA's flags (enum kipsec_sa_flags); only
 *	%KIPSEC_SA_F_NO_DSCP_COPY and %KIPSEC_SA_F_NO_ECN are looked at
 *
 * DSCP: copied from the inner header, as in the header construction
 * tables of RFC 4301 section 5.1.2.1 (IPv4) and 5.1.2.2 (IPv6).  The
 * notes there allow a configured mapping instead (RFC 2983);
 * %KIPSEC_SA_F_NO_DSCP_COPY is the simplest one, DSCP 0 (default
 * forwarding), for operators who do not want inner markings to leak to,
 * or be acted on by, the network between the gateways.
 *
 * ECN: RFC 6040 section 4.1.  In "normal mode" the outer ECN field is a
 * copy of the inner one, all four codepoints alike, CE included: a CE mark
 * stays CE on the outer header.  (Resetting CE to ECT(0) on the outer is
 * RFC 3168's old full-functionality option, which RFC 6040 updates; RFC
 * 4301 already copied.)  %KIPSEC_SA_F_NO_ECN selects RFC 6040's
 * "compatibility mode": outer Not-ECT, for a decapsulator that would not
 * propagate marks from the outer header and would lose them.
 *
 * Return: the outer header's TOS / Traffic Class byte.
 */
u8 kipsec_tunnel_outer_dsfield(u8 inner_dsfield, u32 sa_flags);

/**
 * kipsec_ecn_decapsulate() - inner ECN field after decapsulation
 * @inner_ecn: the arriving inner header's ECN field
 * @outer_ecn: the arriving outer header's ECN field
 * @new_inner_ecn: out: the ECN field the inner header leaves with
 *
 * RFC 6040 section 4.2, Figure 4, for every tunnel egress; RFC 6040 has a
 * single egress behaviour, so it applies whatever mode the ingress used
 * (with %KIPSEC_SA_F_NO_ECN on both ends the outer is Not-ECT and nothing
 * changes anyway).  Only the low two bits of @inner_ecn and @outer_ecn are
 * read, so whole TOS / Traffic Class bytes may be passed; *@new_inner_ecn
 * is just the two ECN bits, for the caller to merge into the inner header
 * (and to fix the IPv4 checksum if it changed).
 *
 *	inner \ outer   Not-ECT   ECT(0)        ECT(1)        CE
 *	Not-ECT         Not-ECT   Not-ECT(!!!)  Not-ECT(!!!)  drop(!!!)
 *	ECT(0)          ECT(0)    ECT(0)        ECT(1)        CE
 *	ECT(1)          ECT(1)    ECT(1)(!)     ECT(1)        CE
 *	CE              CE        CE            CE(!!!)       CE
 *
 * The "(!)" cell, inner ECT(1) under outer ECT(0), is currently unused
 * too, but RFC 6040 grades it below the "(!!!)" cells (possibly rather
 * than always dangerous).  kipsec's choice is to return it as
 * %KIPSEC_ECN_DECAP_OK: the log is kept for combinations that point at a
 * fault.  *@new_inner_ecn is written even for %KIPSEC_ECN_DECAP_DROP (as
 * the inner's own value), so the caller can log it.
 *
 * Return: the verdict.
 */
enum kipsec_ecn_decap kipsec_ecn_decapsulate(u8 inner_ecn, u8 outer_ecn,
					     u8 *new_inner_ecn);

/**
 * kipsec_tunnel_outer_df() - DF bit of an IPv4 outer header
 * @mode: the SA's setting, enum kipsec_df
 * @inner_is_ipv6: the inner packet is IPv6
 * @inner_df: the inner IPv4 header has DF set (ignored for IPv6)
 *
 * RFC 4301 section 8.1 asks for a per-SA choice of copying, setting or
 * clearing DF in the outer header.  An IPv6 inner packet has no DF bit but
 * may never be fragmented by routers on its path, so "copy" sets DF for
 * it: the path MTU problem then comes back as an ICMP error that can be
 * turned into Packet Too Big for the IPv6 sender, instead of being hidden
 * by fragmentation of the outer packet.  An unknown @mode (never accepted
 * from netlink) is treated as %KIPSEC_DF_COPY, the default.
 * An IPv6 outer header has no DF bit; this does not apply to it.
 *
 * Return: whether the outer IPv4 header gets DF.
 */
bool kipsec_tunnel_outer_df(enum kipsec_df mode, bool inner_is_ipv6,
			    bool inner_df);

#endif /* KIPSEC_CORE_TUNNEL_TOS_H */
