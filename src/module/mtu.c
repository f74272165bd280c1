// SPDX-License-Identifier: GPL-2.0
/*
 * Path MTU without shrinking routes (docs/design.md), the same for ESP and
 * AH (ESP below stands for both): in transport mode the ESP
 * packet leaves on the plaintext's own route, so lowering that route's PMTU
 * by the ESP overhead would lower the ESP packet's limit too, and the next
 * round would lower it again. Instead:
 *  - TCP SYNs crossing an SA get their MSS clamped to what fits after
 *    encapsulation, both the ones leaving (the peer sends smaller segments)
 *    and the ones arriving (this host does);
 *  - a forwarded packet that may not be fragmented (IPv4 DF, any IPv6) and
 *    does not fit gets ICMP "fragmentation needed" / "packet too big" with
 *    the inner MTU, so the sender's own PMTU discovery settles on it;
 *  - the same packet sent by this host in tunnel mode lowers the PMTU of
 *    its inner route, which the ESP packet does not use, and is sent;
 *  - anything else too big is sent and the ESP packet fragmented.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/tcp.h>
#include "encap.h"
#include "xform.h"
#include "mtu.h"

u32 kipsec_inner_mtu(const struct kipsec_sa *sa, u32 mtu, u32 kept_hlen)
{
	const struct kipsec_xform *xf = kipsec_xform_find(sa->p.proto);
	u32 outer = kipsec_encap_len(sa), payload;

	if (sa->p.mode == KIPSEC_MODE_TUNNEL)
		outer += sa->p.family == KIPSEC_AF_INET ?
			 sizeof(struct iphdr) : sizeof(struct ipv6hdr);
	if (!xf || mtu <= outer + kept_hlen)
		return 0;
	payload = xf->max_payload(sa, mtu - outer - kept_hlen);
	return payload ? kept_hlen + payload : 0;
}

/* The TCP header of an unfragmented TCP packet, pulled in, or NULL. */
static struct tcphdr *kipsec_tcp_header(struct sk_buff *skb, u32 *l3len)
{
	struct tcphdr *th;
	__be16 frag_off;
	u8 proto;
	int off;

	if (skb->protocol == htons(ETH_P_IP)) {
		const struct iphdr *iph = ip_hdr(skb);

		if (iph->protocol != IPPROTO_TCP || ip_is_fragment(iph))
			return NULL;
		off = ip_hdrlen(skb);
	} else {
		proto = ipv6_hdr(skb)->nexthdr;
		off = ipv6_skip_exthdr(skb, sizeof(struct ipv6hdr), &proto,
				       &frag_off);
		if (off < 0 || proto != IPPROTO_TCP || frag_off)
			return NULL;
	}
	if (!pskb_may_pull(skb, off + sizeof(struct tcphdr)))
		return NULL;
	th = (struct tcphdr *)(skb_network_header(skb) + off);
	if (th->doff < 5 || !pskb_may_pull(skb, off + th->doff * 4))
		return NULL;
	*l3len = off;
	return (struct tcphdr *)(skb_network_header(skb) + off);
}

void kipsec_clamp_mss(struct sk_buff *skb, u32 mtu)
{
	struct tcphdr *th;
	u32 l3len, optlen, i, max;
	u8 *opt;

	th = kipsec_tcp_header(skb, &l3len);
	if (!th || !th->syn || mtu < l3len + sizeof(*th) + 8)
		return;
	max = mtu - l3len - sizeof(*th);
	opt = (u8 *)(th + 1);
	optlen = th->doff * 4 - sizeof(*th);
	for (i = 0; i < optlen; ) {
		if (opt[i] == TCPOPT_EOL)
			return;
		if (opt[i] == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= optlen || opt[i + 1] < 2 || i + opt[i + 1] > optlen)
			return;
		if (opt[i] == TCPOPT_MSS && opt[i + 1] == TCPOLEN_MSS) {
			u16 old = opt[i + 2] << 8 | opt[i + 3];

			if (old <= max || skb_ensure_writable(skb, skb->len))
				return;
			/* Writable may have moved the data. */
			th = (struct tcphdr *)(skb_network_header(skb) + l3len);
			opt = (u8 *)(th + 1);
			opt[i + 2] = max >> 8;
			opt[i + 3] = max & 0xff;
			inet_proto_csum_replace2(&th->check, skb, htons(old),
						 htons(max), false);
			return;
		}
		i += opt[i + 1];
	}
}

/* Is the packet being forwarded (as opposed to sent by this host)? */
static bool kipsec_forwarded(const struct sk_buff *skb)
{
	if (skb->protocol == htons(ETH_P_IP))
		return IPCB(skb)->flags & IPSKB_FORWARDED;
	/* IPv6 marks only forwarded multicast; this is the unicast test. */
	return skb->skb_iif && !skb->sk;
}

/*
 * Tunnel mode, sent by this host, to a destination that is not the tunnel
 * endpoint itself: the inner route is not the one the ESP packet takes,
 * so lowering its PMTU cannot feed back into the ESP packet's limit.
 */
static bool kipsec_inner_route_apart(const struct sk_buff *skb,
				     const struct kipsec_sa *sa)
{
	if (sa->p.mode != KIPSEC_MODE_TUNNEL)
		return false;
	if (skb->protocol == htons(ETH_P_IP))
		return sa->p.family != KIPSEC_AF_INET ||
		       memcmp(&ip_hdr(skb)->daddr, sa->p.dst.b, 4);
	return sa->p.family != KIPSEC_AF_INET6 ||
	       memcmp(&ipv6_hdr(skb)->daddr, sa->p.dst.b, 16);
}

bool kipsec_send_too_big(struct sk_buff *skb, const struct kipsec_sa *sa,
			 u32 inner_mtu)
{
	bool v4 = skb->protocol == htons(ETH_P_IP);

	if (v4 && !(ip_hdr(skb)->frag_off & htons(IP_DF)))
		return false;
	/* Below the IPv6 minimum the sender cannot go: fragment instead. */
	if (!v4 && inner_mtu < IPV6_MIN_MTU)
		return false;
	if (kipsec_forwarded(skb)) {
		if (v4)
			icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED,
				  htonl(inner_mtu));
		else
			icmpv6_send(skb, ICMPV6_PKT_TOOBIG, 0, inner_mtu);
		return true;
	}
	/*
	 * This host's own traffic learns through its route, where that is
	 * safe. The packet itself still goes (ESP fragmented): the stack
	 * fragments only after POST_ROUTING, so a sender that allows
	 * fragmentation hands over whole packets even after learning; PMTU
	 * aware ones (TCP, DF sockets) size the next ones to fit.
	 */
	if (kipsec_inner_route_apart(skb, sa))
		skb_dst_update_pmtu_no_confirm(skb, inner_mtu);
	return false;
}
