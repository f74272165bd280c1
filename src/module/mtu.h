/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KIPSEC_MTU_H
#define KIPSEC_MTU_H

#include <linux/skbuff.h>
#include "sad.h"

/*
 * The largest packet (counting the @kept_hlen bytes of IP header that
 * transport mode keeps in front of ESP/AH) that still fits @mtu once @sa
 * has protected it; 0 when nothing fits.
 */
u32 kipsec_inner_mtu(const struct kipsec_sa *sa, u32 mtu, u32 kept_hlen);

/* Lowers the MSS option of a TCP SYN so its segments fit in @mtu. */
void kipsec_clamp_mss(struct sk_buff *skb, u32 mtu);

/*
 * For a packet larger than @inner_mtu that may not be fragmented (IPv4 DF,
 * IPv6): tells its sender to use @inner_mtu, with ICMP when the packet is
 * forwarded (true: the caller drops it as too_big), through the inner
 * route's PMTU when this host sent it in tunnel mode (false: it is still
 * sent, the ESP packet fragmented; in transport mode the route is shared
 * and only TCP's MSS clamping applies).
 */
bool kipsec_send_too_big(struct sk_buff *skb, const struct kipsec_sa *sa,
			 u32 inner_mtu);

#endif /* KIPSEC_MTU_H */
