// SPDX-License-Identifier: GPL-2.0
/* One step of an IPv6 extension header walk; see ipv6_ext.h. */
#include "ipv6_ext.h"

/* Fragment Offset (13 bits) and M (lowest); the 2 bits between are reserved. */
#define KIPSEC_FRAG_OFFSET_AND_M	0xfff9

int kipsec_ipv6_ext_len(u8 type, const u8 *h)
{
	switch (type) {
	case KIPSEC_NEXTHDR_HOP:
	case KIPSEC_NEXTHDR_ROUTING:
	case KIPSEC_NEXTHDR_DEST:
		return h ? ((int)h[1] + 1) * 8 : -EINVAL;
	case KIPSEC_NEXTHDR_AH:
		return h ? ((int)h[1] + 2) * 4 : -EINVAL;
	case KIPSEC_NEXTHDR_FRAGMENT:
		if (!h || (((h[2] << 8) | h[3]) & KIPSEC_FRAG_OFFSET_AND_M))
			return -EINVAL;
		return 8;
	default:
		return 0;
	}
}

u32 kipsec_ipv6_nexthdr_field(const u8 *pkt, u32 upper_off)
{
	u32 field = KIPSEC_IPV6_NEXTHDR_OFF;
	u32 off = KIPSEC_IPV6_HDR_LEN;
	u8 type = pkt[KIPSEC_IPV6_NEXTHDR_OFF];

	while (off < upper_off) {
		const u8 *h = pkt + off;
		int len = kipsec_ipv6_ext_len(type, h);

		if (len <= 0)
			break;
		field = off;
		off += len;
		type = h[0];
	}
	return field;
}
