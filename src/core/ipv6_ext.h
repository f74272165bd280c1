/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Walking the IPv6 extension headers in front of ESP/AH (RFC 8200 4.x,
 * RFC 4302 2.2): one step at a time, so the module can read each header
 * through skb_header_pointer() and every walker agrees on every length.
 *
 * Kernel-independent: compiled unchanged into kipsec.ko and into the
 * native unit tests.
 */
#ifndef KIPSEC_CORE_IPV6_EXT_H
#define KIPSEC_CORE_IPV6_EXT_H

#include "core_types.h"

#define KIPSEC_NEXTHDR_HOP	0
#define KIPSEC_NEXTHDR_ROUTING	43
#define KIPSEC_NEXTHDR_FRAGMENT	44
#define KIPSEC_NEXTHDR_AH	51
#define KIPSEC_NEXTHDR_DEST	60

#define KIPSEC_IPV6_HDR_LEN	40
#define KIPSEC_IPV6_NEXTHDR_OFF	6

/* The bytes of a header kipsec_ipv6_ext_len() reads. */
#define KIPSEC_IPV6_EXT_PEEK	4

/*
 * The length of the extension header of type @type whose first
 * KIPSEC_IPV6_EXT_PEEK bytes are @h (its Next Header is @h[0]; NULL when
 * fewer bytes follow, which truncates any extension header):
 * hop-by-hop, routing and destination options count 8-byte units after
 * the first; AH counts 4-byte units after the first two; a fragment header
 * is always 8 bytes (its second byte is reserved and ignored on receipt).
 * 0 when @type is none of these (the upper-layer protocol, ESP).
 * -EINVAL for a truncated extension header, and for a fragment header of a packet that is really fragmented (a
 * non-zero offset or the M flag): ESP and AH are processed only after
 * reassembly, so only an atomic fragment (RFC 6946) may precede them.
 */
int kipsec_ipv6_ext_len(u8 type, const u8 *h);

/*
 * The offset of the Next Header field that names the header at @upper_off
 * of the IPv6 packet @pkt, whose headers up to @upper_off are in memory
 * and were walked with kipsec_ipv6_ext_len() to find it: the fixed
 * header's field, or that of the last extension header before it.
 */
u32 kipsec_ipv6_nexthdr_field(const u8 *pkt, u32 upper_off);

#endif /* KIPSEC_CORE_IPV6_EXT_H */
