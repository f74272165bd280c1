// SPDX-License-Identifier: GPL-2.0
/* IPv6 hop-by-hop options of a decapsulated packet (see ipv6_hbh.h). */
#include "ipv6_hbh.h"

/* RFC 8200 4.2: the action the two high bits of an unknown type ask for. */
#define KIPSEC_HBH_ACTION_SKIP	0

static bool kipsec_hbh_zeros(const u8 *p, unsigned int n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

bool kipsec_ipv6_hbh_check(const u8 *h, unsigned int len,
			   const struct kipsec_hbh_limits *lim,
			   unsigned int *ra_off)
{
	unsigned int off = 2, pad = 0, opts = 0;

	if (len < 8 || len != ((unsigned int)h[1] + 1) * 8 ||
	    len > lim->max_len)
		return false;
	while (off < len) {
		u8 type = h[off];
		unsigned int size;

		if (type == KIPSEC_HBH_PAD1) {
			if (++pad > 7)
				return false;
			off++;
			continue;
		}
		if (len - off < 2)
			return false;
		size = 2 + h[off + 1];
		if (size > len - off)
			return false;
		if (type == KIPSEC_HBH_PADN) {
			pad += size;
			if (pad > 7 || !kipsec_hbh_zeros(h + off + 2, size - 2))
				return false;
			off += size;
			continue;
		}
		pad = 0;
		if (++opts > lim->max_opts)
			return false;
		switch (type) {
		case KIPSEC_HBH_ROUTER_ALERT:
			if (size != 4)
				return false;
			*ra_off = off;
			break;
		case KIPSEC_HBH_JUMBO:
			return false;
		default:
			if (type >> 6 != KIPSEC_HBH_ACTION_SKIP ||
			    lim->drop_unknown)
				return false;
		}
		off += size;
	}
	return true;
}
