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
