// SPDX-License-Identifier: GPL-2.0
/*
 * ESP in UDP (RFC 3948). Input is a netfilter hook, not a UDP socket's
 * encap_rcv: that hook needs a socket with UDP_ENCAP set (an IKE daemon's
 * own, which the daemon would have to ask XFRM's setsockopt for, and which
 * manual SAs do not have), while a packet at LOCAL_IN can be taken out of
 * UDP whether or not a socket is bound and without changing the daemon's
 * socket. Only UDP to an (address, port) pair of an SA with encapsulation
 * (encap_ports.c) is looked at; RFC 3948 2.2 tells ESP from IKE by the
 * first four bytes.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include "encap.h"
#include "events.h"
#include "ipv6_ext.h"
#include "stats.h"

/* The non-ESP marker: a zero SPI, which no ESP packet has (RFC 3948 2.2). */
#define KIPSEC_NON_ESP_MARKER_LEN 4
/* RFC 3948 2.3: a NAT keepalive is the single byte 0xff. */
#define KIPSEC_NATT_KEEPALIVE 0xff
/* SPI and sequence number: less cannot be ESP. */
#define KIPSEC_ESP_MIN 8

static void kipsec_encap_dst(const struct sk_buff *skb, u8 *family,
			     struct kipsec_addr *dst)
{
	memset(dst, 0, sizeof(*dst));
	if (skb->protocol == htons(ETH_P_IP)) {
		*family = KIPSEC_AF_INET;
		memcpy(dst->b, &ip_hdr(skb)->daddr, 4);
	} else {
		*family = KIPSEC_AF_INET6;
		memcpy(dst->b, &ipv6_hdr(skb)->daddr, 16);
	}
}

/* Removes the UDP header at @off; the IP header names ESP instead. */
static bool kipsec_encap_strip(struct sk_buff *skb, u32 off)
{
	if (skb_ensure_writable(skb, off + sizeof(struct udphdr)))
		return false;
	memmove(skb->data + sizeof(struct udphdr), skb->data, off);
	__skb_pull(skb, sizeof(struct udphdr));
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, off);
	/* A device's sum covered the UDP header too; ESP's ICV decides. */
	skb->ip_summed = CHECKSUM_NONE;
	if (skb->protocol == htons(ETH_P_IP)) {
		struct iphdr *iph = ip_hdr(skb);

		iph->protocol = IPPROTO_ESP;
		iph->tot_len = htons(skb->len);
		ip_send_check(iph);
	} else {
		skb->data[kipsec_ipv6_nexthdr_field(skb->data, off)] =
			IPPROTO_ESP;
		ipv6_hdr(skb)->payload_len =
			htons(skb->len - sizeof(struct ipv6hdr));
	}
	return true;
}

enum kipsec_encap_verdict
kipsec_encap_input(struct kipsec_net *kn, struct sk_buff *skb, u32 off,
		   struct kipsec_encap_origin *origin,
		   enum kipsec_drop_reason *reason)
{
	u8 head[KIPSEC_NON_ESP_MARKER_LEN];
	struct kipsec_addr dst;
	const struct udphdr *uh;
	struct udphdr buf;
	const u8 *data;
	u32 len;
	u8 family;

	if (!READ_ONCE(kn->sad.encap.count))
		return KIPSEC_ENCAP_NOT;
	uh = skb_header_pointer(skb, off, sizeof(buf), &buf);
	if (!uh)
		return KIPSEC_ENCAP_NOT;
	kipsec_encap_dst(skb, &family, &dst);
	if (!kipsec_encap_port_used(&kn->sad.encap, family, &dst,
				    ntohs(uh->dest)))
		return KIPSEC_ENCAP_NOT;
	origin->sport = uh->source;
	origin->dport = uh->dest;
	*reason = KIPSEC_DROP_ENCAP_MALFORMED;
	len = ntohs(uh->len);
	/* IPv6 jumbograms (length 0) have no place on an encapsulation port. */
	if (len < sizeof(*uh) || off + len > skb->len)
		return KIPSEC_ENCAP_DROP;
	len -= sizeof(*uh);
	if (!len)
		return KIPSEC_ENCAP_DROP;
	data = skb_header_pointer(skb, off + sizeof(*uh),
				  min_t(u32, len, sizeof(head)), head);
	if (!data)
		return KIPSEC_ENCAP_DROP;
	if (len == 1 && data[0] == KIPSEC_NATT_KEEPALIVE) {
		*reason = KIPSEC_DROP_NATT_KEEPALIVE;
		return KIPSEC_ENCAP_DROP;
	}
	if (len < KIPSEC_NON_ESP_MARKER_LEN)
		return KIPSEC_ENCAP_DROP;
	if (!memcmp(data, "\0\0\0\0", KIPSEC_NON_ESP_MARKER_LEN)) {
		kipsec_count_encap(kn, KIPSEC_ENCS_A_IKE_IN);
		return KIPSEC_ENCAP_IKE;
	}
	if (len < KIPSEC_ESP_MIN)
		return KIPSEC_ENCAP_DROP;
	/* Bytes past the UDP length are not part of the datagram. */
	if (pskb_trim(skb, off + sizeof(*uh) + len) ||
	    !kipsec_encap_strip(skb, off)) {
		*reason = KIPSEC_DROP_NO_MEMORY;
		return KIPSEC_ENCAP_DROP;
	}
	kipsec_count_encap(kn, KIPSEC_ENCS_A_ESP_IN);
	return KIPSEC_ENCAP_ESP;
}

bool kipsec_encap_matches(const struct kipsec_sa *sa,
			  const struct kipsec_encap_origin *origin)
{
	if (!sa->p.encap_dport)
		return !origin;
	return origin && ntohs(origin->dport) == sa->p.encap_dport;
}

void kipsec_encap_note_origin(struct kipsec_sa *sa, const struct sk_buff *skb,
			      const struct kipsec_encap_origin *origin)
{
	u16 port = ntohs(origin->sport);
	struct kipsec_addr src = {};
	bool report;

	if (skb->protocol == htons(ETH_P_IP))
		memcpy(src.b, &ip_hdr(skb)->saddr, 4);
	else
		memcpy(src.b, &ipv6_hdr(skb)->saddr, 16);
	if (port == sa->p.encap_sport && !memcmp(&src, &sa->p.src, sizeof(src)))
		return;
	/* Once per new endpoint: a flow from it must not flood the daemon. */
	spin_lock_bh(&sa->lock);
	report = port != sa->mapped_port ||
		 memcmp(&src, &sa->mapped_addr, sizeof(src));
	if (report) {
		sa->mapped_port = port;
		sa->mapped_addr = src;
	}
	spin_unlock_bh(&sa->lock);
	if (!report || kipsec_event_mapping(sa->kn, sa, &src, port))
		return;
	/* Not told: the next packet from there tries again. */
	spin_lock_bh(&sa->lock);
	if (sa->mapped_port == port &&
	    !memcmp(&src, &sa->mapped_addr, sizeof(src))) {
		sa->mapped_port = 0;
		memset(&sa->mapped_addr, 0, sizeof(sa->mapped_addr));
	}
	spin_unlock_bh(&sa->lock);
}

void kipsec_encap_write(struct sk_buff *skb, const struct kipsec_sa *sa,
			u32 udp_off)
{
	struct udphdr *uh = (struct udphdr *)(skb->data + udp_off);

	uh->source = htons(sa->p.encap_sport);
	uh->dest = htons(sa->p.encap_dport);
	uh->len = htons(skb->len - udp_off);
	/* RFC 3948 3.1: IPv4 sends 0; kipsec_encap_finish() fills IPv6's. */
	uh->check = 0;
	kipsec_count_encap(sa->kn, KIPSEC_ENCS_A_ESP_OUT);
}

void kipsec_encap_finish(struct sk_buff *skb, u32 udp_off)
{
	const struct ipv6hdr *ip6;
	struct udphdr *uh;
	u32 len;

	if (skb->protocol != htons(ETH_P_IPV6))
		return;
	ip6 = ipv6_hdr(skb);
	uh = (struct udphdr *)(skb->data + udp_off);
	len = skb->len - udp_off;
	uh->check = csum_ipv6_magic(&ip6->saddr, &ip6->daddr, len, IPPROTO_UDP,
				    skb_checksum(skb, udp_off, len, 0));
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;
	skb->ip_summed = CHECKSUM_NONE;
}
