// SPDX-License-Identifier: GPL-2.0
/* Reads a packet's traffic selector fields (addresses, protocol, ports). */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <net/ip.h>
#include <linux/ipv6.h>
#include <net/ipv6.h>
#include "flow.h"

static void kipsec_flow_ports(const struct sk_buff *skb, unsigned int off,
			      struct kipsec_flow *flow)
{
	u8 buf[4];
	const u8 *p;

	if (flow->opaque)
		return;
	if (kipsec_proto_has_ports(flow->proto)) {
		p = skb_header_pointer(skb, off, 4, buf);
		if (!p) {
			flow->opaque = true;
			return;
		}
		flow->sport = (u16)(p[0] << 8 | p[1]);
		flow->dport = (u16)(p[2] << 8 | p[3]);
	} else if (kipsec_proto_is_icmp(flow->proto, flow->family)) {
		p = skb_header_pointer(skb, off, 2, buf);
		if (!p) {
			flow->opaque = true;
			return;
		}
		flow->icmp_type = p[0];
		flow->icmp_code = p[1];
	}
}

int kipsec_flow_from_skb(const struct sk_buff *skb, struct kipsec_flow *flow)
{
	memset(flow, 0, sizeof(*flow));
	if (skb->protocol == htons(ETH_P_IP)) {
		const struct iphdr *iph = ip_hdr(skb);

		flow->family = KIPSEC_AF_INET;
		memcpy(flow->src.b, &iph->saddr, 4);
		memcpy(flow->dst.b, &iph->daddr, 4);
		flow->proto = iph->protocol;
		/* RFC 4301 OPAQUE: only the first fragment has ports. */
		flow->opaque = iph->frag_off & htons(IP_OFFSET);
		kipsec_flow_ports(skb, skb_network_offset(skb) + iph->ihl * 4,
				  flow);
		return 0;
	}
	if (skb->protocol == htons(ETH_P_IPV6)) {
		const struct ipv6hdr *ip6 = ipv6_hdr(skb);
		__be16 frag_off = 0;
		u8 nexthdr = ip6->nexthdr;
		int off;

		flow->family = KIPSEC_AF_INET6;
		memcpy(flow->src.b, &ip6->saddr, 16);
		memcpy(flow->dst.b, &ip6->daddr, 16);
		off = ipv6_skip_exthdr(skb, skb_network_offset(skb) +
				       sizeof(*ip6), &nexthdr, &frag_off);
		if (off < 0)
			return -EINVAL;
		flow->proto = nexthdr;
		flow->opaque = frag_off & htons(IP6_OFFSET);
		kipsec_flow_ports(skb, off, flow);
		return 0;
	}
	return -EINVAL;
}
