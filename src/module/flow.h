/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KIPSEC_FLOW_H
#define KIPSEC_FLOW_H

#include <linux/skbuff.h>
#include "selector.h"

/*
 * kipsec_flow_from_skb() - what the SPD lookup needs from a packet
 * @skb: an IPv4 or IPv6 packet whose network header is set
 * Return: 0, or -EINVAL when the headers are truncated or malformed.
 */
int kipsec_flow_from_skb(const struct sk_buff *skb, struct kipsec_flow *flow);

#endif /* KIPSEC_FLOW_H */
