/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KIPSEC_MTU_H
#define KIPSEC_MTU_H

#include <linux/skbuff.h>
#include "sad.h"

/*
 * The largest packet (counting the @kept_hlen bytes of IP header that
 * transport mode keeps in front of ESP) that still fits @mtu once @sa has
 * protected it; 0 when nothing fits.
 */
u32 kipsec_esp_inner_mtu(const struct kipsec_sa *sa, u32 mtu, u32 kept_hlen);

/* Lowers the MSS option of a TCP SYN so its segments fit in @mtu. */
void kipsec_clamp_mss(struct sk_buff *skb, u32 mtu);

/*
 * For a packet larger than @inner_mtu that may not be fragmented (IPv4 DF,
 * IPv6): tells its sender to use @inner_mtu, with ICMP when the packet is
 * forwarded, through the inner route's PMTU when this host sent it in
 * tunnel mode. True when the caller must drop the packet (too_big); false
 * when the ESP packet is to be fragmented instead (transport mode: the
 * route is shared, TCP's MSS is clamped instead).
 */
bool kipsec_send_too_big(struct sk_buff *skb, const struct kipsec_sa *sa,
			 u32 inner_mtu);

#endif /* KIPSEC_MTU_H */
