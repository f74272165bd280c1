// SPDX-License-Identifier: GPL-2.0
/*
 * Tunnel-mode outer header fields: DSCP/ECN (RFC 4301 section 5.1.2,
 * RFC 6040 sections 4.1 and 4.2) and IPv4 DF (RFC 4301 section 8.1).
 * See tunnel_tos.h for the contracts.
 */

#include <linux/kipsec.h>

#include "core_types.h"
#include "tunnel_tos.h"

u8 kipsec_tunnel_outer_dsfield(u8 inner_dsfield, u32 sa_flags)
{
	u8 dscp = inner_dsfield & KIPSEC_DSCP_MASK;
	u8 ecn = inner_dsfield & KIPSEC_ECN_MASK;

	if (sa_flags & KIPSEC_SA_F_NO_DSCP_COPY)
		dscp = 0;
	/* RFC 6040 4.1: normal mode copies, CE too; compatibility: Not-ECT */
	if (sa_flags & KIPSEC_SA_F_NO_ECN)
		ecn = KIPSEC_ECN_NOT_ECT;
	return dscp | ecn;
}

struct kipsec_ecn_cell {
	u8 ecn;
	u8 verdict;	/* enum kipsec_ecn_decap */
};

#define KIPSEC_CELL_OK(v)	{ KIPSEC_ECN_##v, KIPSEC_ECN_DECAP_OK }
#define KIPSEC_CELL_LOG(v)	{ KIPSEC_ECN_##v, KIPSEC_ECN_DECAP_LOG }
#define KIPSEC_CELL_DROP	{ KIPSEC_ECN_NOT_ECT, KIPSEC_ECN_DECAP_DROP }

/*
 * RFC 6040 Figure 4, kept as a table rather than as conditions so that it
 * can be compared with the RFC cell by cell.  Indexed [inner][outer] by
 * codepoint value, so columns run Not-ECT, ECT(1), ECT(0), CE: the RFC
 * prints ECT(0) before ECT(1), this table does not.
 */
static const struct kipsec_ecn_cell kipsec_ecn_egress[4][4] = {
	[KIPSEC_ECN_NOT_ECT] = {
		[KIPSEC_ECN_NOT_ECT]	= KIPSEC_CELL_OK(NOT_ECT),
		[KIPSEC_ECN_ECT1]	= KIPSEC_CELL_LOG(NOT_ECT),
		[KIPSEC_ECN_ECT0]	= KIPSEC_CELL_LOG(NOT_ECT),
		[KIPSEC_ECN_CE]		= KIPSEC_CELL_DROP,
	},
	[KIPSEC_ECN_ECT1] = {
		[KIPSEC_ECN_NOT_ECT]	= KIPSEC_CELL_OK(ECT1),
		[KIPSEC_ECN_ECT1]	= KIPSEC_CELL_OK(ECT1),
		[KIPSEC_ECN_ECT0]	= KIPSEC_CELL_OK(ECT1),	/* "(!)" */
		[KIPSEC_ECN_CE]		= KIPSEC_CELL_OK(CE),
	},
	[KIPSEC_ECN_ECT0] = {
		[KIPSEC_ECN_NOT_ECT]	= KIPSEC_CELL_OK(ECT0),
		[KIPSEC_ECN_ECT1]	= KIPSEC_CELL_OK(ECT1),
		[KIPSEC_ECN_ECT0]	= KIPSEC_CELL_OK(ECT0),
		[KIPSEC_ECN_CE]		= KIPSEC_CELL_OK(CE),
	},
	[KIPSEC_ECN_CE] = {
		[KIPSEC_ECN_NOT_ECT]	= KIPSEC_CELL_OK(CE),
		[KIPSEC_ECN_ECT1]	= KIPSEC_CELL_LOG(CE),
		[KIPSEC_ECN_ECT0]	= KIPSEC_CELL_OK(CE),
		[KIPSEC_ECN_CE]		= KIPSEC_CELL_OK(CE),
	},
};

#undef KIPSEC_CELL_OK
#undef KIPSEC_CELL_LOG
#undef KIPSEC_CELL_DROP

enum kipsec_ecn_decap kipsec_ecn_decapsulate(u8 inner_ecn, u8 outer_ecn,
					     u8 *new_inner_ecn)
{
	const struct kipsec_ecn_cell *c;

	inner_ecn &= KIPSEC_ECN_MASK;
	outer_ecn &= KIPSEC_ECN_MASK;
	c = &kipsec_ecn_egress[inner_ecn][outer_ecn];
	*new_inner_ecn = c->ecn;
	return (enum kipsec_ecn_decap)c->verdict;
}

bool kipsec_tunnel_outer_df(enum kipsec_df mode, bool inner_is_ipv6,
			    bool inner_df)
{
	switch (mode) {
	case KIPSEC_DF_SET:
		return true;
	case KIPSEC_DF_CLEAR:
		return false;
	case KIPSEC_DF_COPY:
	default:
		return inner_is_ipv6 || inner_df;
	}
}
