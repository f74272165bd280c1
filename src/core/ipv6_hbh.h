/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IPv6 hop-by-hop options of a packet that leaves a tunnel (RFC 8200
 * 4.2, 4.3): the checks the stack makes on a packet as it arrives, which
 * an inner packet handed on after decapsulation does not pass through.
 *
 * Kernel-independent: compiled unchanged into kipsec.ko and into the
 * native unit tests.
 */
#ifndef KIPSEC_CORE_IPV6_HBH_H
#define KIPSEC_CORE_IPV6_HBH_H

#include "core_types.h"

#define KIPSEC_HBH_PAD1		0x00
#define KIPSEC_HBH_PADN		0x01
#define KIPSEC_HBH_ROUTER_ALERT	0x05	/* RFC 2711 */
#define KIPSEC_HBH_JUMBO	0xc2	/* RFC 2675 */

struct kipsec_hbh_limits {
	unsigned int max_len;	/* bytes of the whole header */
	unsigned int max_opts;	/* options other than padding */
	bool drop_unknown;	/* even those whose type says "skip" */
};

/*
 * kipsec_ipv6_hbh_check() - may a packet with this hop-by-hop header go on?
 * @h: the whole header, @len bytes ((Hdr Ext Len + 1) * 8)
 * @lim: the namespace's limits (sysctl max_hbh_opts_len, _cnt)
 * @ra_off: set to the Router Alert option's offset in @h, or left alone
 *
 * Every option must fit the header exactly; padding runs are at most 7
 * bytes and PadN carries zeros (RFC 4942 2.1.9.5); a Router Alert option
 * has 2 bytes of data; a Jumbo Payload option is refused (the inner packet
 * states its length in the fixed header); an unknown option is skipped
 * only when the two high bits of its type say so (00), otherwise the
 * packet is discarded (without the ICMP Parameter Problem the sender may
 * have asked for).
 * Return: true to accept.
 */
bool kipsec_ipv6_hbh_check(const u8 *h, unsigned int len,
			   const struct kipsec_hbh_limits *lim,
			   unsigned int *ra_off);

#endif /* KIPSEC_CORE_IPV6_HBH_H */
