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
 * For a packet larger than @inner_mtu: sends the ICMP error that makes its
 * sender use @inner_mtu, when the packet is forwarded and may not be
 * fragmented. True when the caller must drop the packet (too_big).
 */
bool kipsec_send_too_big(struct sk_buff *skb, u32 inner_mtu);

#endif /* KIPSEC_MTU_H */
