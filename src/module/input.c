// SPDX-License-Identifier: GPL-2.0
/*
 * The inbound engine: ESP and AH addressed to this host are verified,
 * replay-checked, decrypted and stripped at LOCAL_IN, one header after the
 * other (a bundle such as IP|AH|ESP|payload is taken apart without
 * re-injecting in between; the SA's transform, esp.c or ah.c, does only
 * its header, trailer and crypto, through xform.h); the result is checked against the inbound SPD,
 * which must ask for exactly the SAs that were applied, and continues
 * through the stack like a received packet (PRE_ROUTING, routing, local
 * delivery or forwarding) under the in guard, which tells the plaintext
 * checks at LOCAL_IN and FORWARD that it was protected. Plaintext that a
 * policy requires to be protected is dropped.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/addrconf.h>
#include <net/dsfield.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>
#include "conntrack.h"
#include "encap.h"
#include "hooks.h"
#include "xform.h"
#include "flow.h"
#include "guard.h"
#include "mtu.h"
#include "sa_traffic.h"
#include "sock_bypass.h"
#include "stats.h"
#include "tunnel_tos.h"
#include "ipv6_ext.h"
#include "ipv6_hbh.h"

DEFINE_PER_CPU(struct kipsec_guard, kipsec_in_guard);

static void kipsec_in_drop(struct kipsec_net *kn, struct sk_buff *skb,
		    enum kipsec_drop_reason reason)
{
	kipsec_count_drop(kn, reason);
	kfree_skb(skb);
}

static void kipsec_in_drop_sa(struct kipsec_sa *sa, struct sk_buff *skb,
			      enum kipsec_drop_reason reason)
{
	kipsec_sa_count_drop(sa, reason);
	kipsec_in_drop(sa->kn, skb, reason);
}

/* Only "use" tolerates a missing SA; "default" means require, as on Linux. */
static bool kipsec_tmpl_requires(const struct kipsec_tmpl *t)
{
	return t->level != KIPSEC_LEVEL_USE;
}

/* The inbound policy for a packet; "in" also covers forwarded traffic. */
static struct kipsec_policy *kipsec_in_policy(struct kipsec_net *kn,
					      const struct kipsec_flow *flow,
					      bool forward)
{
	struct kipsec_policy *pol = NULL;

	if (forward)
		pol = kipsec_spd_lookup(kn, KIPSEC_DIR_FWD, flow);
	return pol ?: kipsec_spd_lookup(kn, KIPSEC_DIR_IN, flow);
}

/* Does template @t describe the protection @sa gave? */
static bool kipsec_tmpl_matches(const struct kipsec_tmpl *t,
				const struct kipsec_sa *sa)
{
	if (t->proto != sa->p.proto || t->mode != sa->p.mode ||
	    (t->reqid && t->reqid != sa->p.reqid) ||
	    (t->spi && t->spi != sa->p.spi))
		return false;
	return t->mode != KIPSEC_MODE_TUNNEL ||
	       (t->family == sa->p.family &&
		!memcmp(&t->src, &sa->p.src, sizeof(t->src)) &&
		!memcmp(&t->dst, &sa->p.dst, sizeof(t->dst)));
}

/*
 * Did the packet carry exactly the templates of one instance of @pol, in
 * order? Output applies templates first to last, so the outermost header,
 * removed first (@chain->sa[0]), belongs to the last template. A "use"
 * template may be missing (the sender had no SA for it); nothing else may
 * be missing, added or out of order: a packet with only ESP where ESP+AH
 * is required is a policy mismatch.
 */
static bool kipsec_policy_accepts(const struct kipsec_policy *pol,
				  const struct kipsec_chain *chain)
{
	const struct kipsec_pol_insts *insts = rcu_dereference(pol->insts);
	unsigned int i, k;
	int j;

	for (i = 0; i < insts->n; i++) {
		const struct kipsec_pol_inst *inst = &insts->inst[i];

		k = 0;
		for (j = inst->ntmpl - 1; j >= 0; j--) {
			if (k < chain->n &&
			    kipsec_tmpl_matches(&inst->tmpl[j], chain->sa[k]))
				k++;
			else if (kipsec_tmpl_requires(&inst->tmpl[j]))
				break;
		}
		if (j < 0 && k == chain->n)
			return true;
	}
	return false;
}

/*
 * Is the decapsulated @skb for this host? Routing comes after the policy
 * check, so this asks the question routing will answer: a local, broadcast
 * or multicast destination (IPv4) or an address of this namespace or
 * multicast (IPv6) is delivered here, anything else forwarded.
 */
static bool kipsec_for_this_host(struct net *net, const struct sk_buff *skb)
{
	if (skb->protocol == htons(ETH_P_IP)) {
		switch (inet_addr_type(net, ip_hdr(skb)->daddr)) {
		case RTN_LOCAL:
		case RTN_BROADCAST:
		case RTN_MULTICAST:
			return true;
		default:
			return false;
		}
	}
	return ipv6_addr_is_multicast(&ipv6_hdr(skb)->daddr) ||
	       ipv6_chk_addr(net, &ipv6_hdr(skb)->daddr, NULL, 0);
}

/*
 * RFC 4301 5.2: after decapsulation the packet must fall under the
 * selector of every SA that carried it, and match a policy that asks for
 * exactly this protection: an IN policy when it is for this host, a FWD
 * policy (or, as for plaintext, an IN one) when it is forwarded. A
 * tunnel-mode packet must match one at all: inner addresses outside every
 * policy are a selector mismatch.
 */
static enum kipsec_drop_reason
kipsec_check_protected(struct kipsec_net *kn, struct sk_buff *skb,
		       const struct kipsec_chain *chain)
{
	struct kipsec_policy *pol;
	struct kipsec_flow flow;
	unsigned int i;

	if (kipsec_flow_from_skb(skb, &flow))
		return KIPSEC_DROP_MALFORMED;
	for (i = 0; i < chain->n; i++)
		if (!kipsec_sa_carries(chain->sa[i], &flow))
			return KIPSEC_DROP_SELECTOR_MISMATCH;
	pol = kipsec_in_policy(kn, &flow, !kipsec_for_this_host(kn->net, skb));
	if (!pol) {
		for (i = 0; i < chain->n; i++)
			if (chain->sa[i]->p.mode == KIPSEC_MODE_TUNNEL)
				return KIPSEC_DROP_SELECTOR_MISMATCH;
		return KIPSEC_DROP_UNSPEC;
	}
	kipsec_policy_note_use(pol);
	switch (pol->action) {
	case KIPSEC_ACTION_DISCARD:
		return KIPSEC_DROP_POLICY_DISCARD;
	case KIPSEC_ACTION_BYPASS:
		return KIPSEC_DROP_UNSPEC;
	}
	return kipsec_policy_accepts(pol, chain) ? KIPSEC_DROP_UNSPEC :
						   KIPSEC_DROP_POLICY_MISMATCH;
}

/* Why @pol refuses plaintext, or KIPSEC_DROP_UNSPEC if it takes it. */
static enum kipsec_drop_reason
kipsec_plain_refused(const struct kipsec_policy *pol)
{
	const struct kipsec_pol_insts *insts;
	unsigned int i, j;

	if (pol->action == KIPSEC_ACTION_BYPASS)
		return KIPSEC_DROP_UNSPEC;
	if (pol->action == KIPSEC_ACTION_DISCARD)
		return KIPSEC_DROP_POLICY_DISCARD;
	insts = rcu_dereference(pol->insts);
	for (i = 0; i < insts->n; i++)
		for (j = 0; j < insts->inst[i].ntmpl; j++)
			if (kipsec_tmpl_requires(&insts->inst[i].tmpl[j]))
				return KIPSEC_DROP_UNPROTECTED;
	return KIPSEC_DROP_UNSPEC;
}

/*
 * A plaintext packet: dropped when its policy requires protection, unless
 * it is for a socket registered with SOCKET_BYPASS (an IKE daemon's),
 * which is looked up only then, so accepted traffic never pays for it.
 */
static unsigned int kipsec_check_plain(struct kipsec_net *kn,
				       struct sk_buff *skb, bool forward)
{
	enum kipsec_drop_reason reason;
	struct kipsec_policy *pol;
	struct kipsec_flow flow;

	if (kipsec_flow_from_skb(skb, &flow)) {
		kipsec_count_drop(kn, KIPSEC_DROP_MALFORMED);
		return NF_DROP;
	}
	pol = kipsec_in_policy(kn, &flow, forward);
	if (!pol)
		return NF_ACCEPT;
	reason = kipsec_plain_refused(pol);
	if (reason && !forward && kipsec_sock_bypass_in(kn, skb, &flow))
		return NF_ACCEPT;
	kipsec_policy_note_use(pol);
	if (reason) {
		kipsec_count_drop(kn, reason);
		return NF_DROP;
	}
	return NF_ACCEPT;
}

static int kipsec_rcv_finish4(struct net *net, struct sock *sk,
			      struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);

	if (ip_route_input_noref(skb, iph->daddr, iph->saddr, iph->tos,
				 skb->dev)) {
		kfree_skb(skb);
		return NET_RX_DROP;
	}
	return dst_input(skb);
}

/* ip6_route_input() is not exported; this is its lookup, minus tunnels. */
static int kipsec_rcv_finish6(struct net *net, struct sock *sk,
			      struct sk_buff *skb)
{
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);
	int flags = RT6_LOOKUP_F_HAS_SADDR;
	struct flowi6 fl6 = {
		.flowi6_iif = skb->dev->ifindex,
		.daddr = ip6->daddr,
		.saddr = ip6->saddr,
		.flowlabel = ip6_flowinfo(ip6),
		.flowi6_mark = skb->mark,
		.flowi6_proto = ip6->nexthdr,
	};

	if (rt6_need_strict(&ip6->daddr))
		flags |= RT6_LOOKUP_F_IFACE;
	skb_dst_set(skb, ip6_route_input_lookup(net, skb->dev, &fl6, skb,
						flags));
	return dst_input(skb);
}

/*
 * What ip6_rcv_core() sets up for the upper layers, which a decapsulated
 * packet does not pass through again: the control block, and the
 * hop-by-hop options checked and stepped over (the upper layers take the
 * next header from the hop-by-hop header, nhoff). False: drop it.
 */
static bool kipsec_ipv6_rcv_setup(struct net *net, struct sk_buff *skb)
{
	struct kipsec_hbh_limits lim;
	struct inet6_skb_parm *opt = IP6CB(skb);
	unsigned int len, ra_off = 0;
	int max_opts;

	memset(opt, 0, sizeof(*opt));
	opt->nhoff = offsetof(struct ipv6hdr, nexthdr);
	opt->iif = skb->dev->ifindex;
	skb_set_transport_header(skb, sizeof(struct ipv6hdr));
	if (ipv6_hdr(skb)->nexthdr != NEXTHDR_HOP)
		return true;
	if (!pskb_may_pull(skb, sizeof(struct ipv6hdr) + 8))
		return false;
	len = (skb_transport_header(skb)[1] + 1) * 8;
	if (!pskb_may_pull(skb, sizeof(struct ipv6hdr) + len))
		return false;
	max_opts = READ_ONCE(net->ipv6.sysctl.max_hbh_opts_cnt);
	lim.max_len = READ_ONCE(net->ipv6.sysctl.max_hbh_opts_len);
	lim.max_opts = abs(max_opts);
	lim.drop_unknown = max_opts < 0;
	if (!kipsec_ipv6_hbh_check(skb_transport_header(skb), len, &lim,
				   &ra_off))
		return false;
	opt = IP6CB(skb);	/* the pulls may have moved the data */
	opt->flags |= IP6SKB_HOPBYHOP;
	if (ra_off) {
		opt->flags |= IP6SKB_ROUTERALERT;
		memcpy(&opt->ra, skb_transport_header(skb) + ra_off + 2,
		       sizeof(opt->ra));
	}
	opt->nhoff = sizeof(struct ipv6hdr);
	skb->transport_header += len;
	return true;
}

/*
 * Continues a decapsulated packet as if it had just arrived on its device,
 * synchronously, so the in guard still covers it at LOCAL_IN / FORWARD.
 */
static void kipsec_deliver(struct kipsec_net *kn, struct sk_buff *skb,
			   struct kipsec_sa *sa)
{
	struct net *net = kn->net;
	bool v4 = skb->protocol == htons(ETH_P_IP);

	nf_reset_ct(skb);
	skb_dst_drop(skb);
	if (v4) {
		skb_set_transport_header(skb, ip_hdrlen(skb));
		memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
	} else if (!kipsec_ipv6_rcv_setup(net, skb)) {
		kipsec_in_drop(kn, skb, KIPSEC_DROP_MALFORMED);
		return;
	}

	local_bh_disable();
	rcu_read_lock();
	if (!kipsec_guard_push(&kipsec_in_guard, skb, sa)) {
		kipsec_in_drop(kn, skb, KIPSEC_DROP_UNPROTECTED);
	} else {
		if (v4)
			NF_HOOK(NFPROTO_IPV4, NF_INET_PRE_ROUTING, net, NULL,
				skb, skb->dev, NULL, kipsec_rcv_finish4);
		else
			NF_HOOK(NFPROTO_IPV6, NF_INET_PRE_ROUTING, net, NULL,
				skb, skb->dev, NULL, kipsec_rcv_finish6);
		kipsec_guard_pop(&kipsec_in_guard);
	}
	rcu_read_unlock();
	local_bh_enable();
}

/*
 * Strips a transport-mode ESP/AH packet back to IP header + payload: @gap
 * bytes of header after @hlen bytes of IP header, @payload_len bytes after.
 */
static void kipsec_strip_transport(struct sk_buff *skb, u32 hlen, u32 gap,
			    u32 payload_len, u8 nexthdr)
{
	pskb_trim(skb, hlen + gap + payload_len);
	memmove(skb->data + gap, skb->data, hlen);
	__skb_pull(skb, gap);
	skb_reset_network_header(skb);
	if (skb->protocol == htons(ETH_P_IP)) {
		struct iphdr *iph = ip_hdr(skb);

		iph->protocol = nexthdr;
		iph->tot_len = htons(skb->len);
		ip_send_check(iph);
	} else {
		struct ipv6hdr *ip6 = ipv6_hdr(skb);

		skb->data[kipsec_ipv6_nexthdr_field(skb->data, hlen)] = nexthdr;
		ip6->payload_len = htons(skb->len - sizeof(*ip6));
	}
}

/*
 * The checks ip_rcv_core() makes on the inner IPv4 header, which the
 * decapsulated packet does not pass through again: a header checksum that
 * holds and a total length within what arrived. Anything past that length
 * is TFC padding (RFC 4303 2.7) and is cut off.
 */
static bool kipsec_inner_ipv4_ok(struct sk_buff *skb)
{
	const struct iphdr *iph;
	u32 len;

	if (skb->len < sizeof(*iph))
		return false;
	iph = ip_hdr(skb);
	if (iph->version != 4 || iph->ihl < 5 || skb->len < ip_hdrlen(skb) ||
	    ip_fast_csum((const u8 *)iph, iph->ihl))
		return false;
	len = ntohs(iph->tot_len);
	if (len < ip_hdrlen(skb) || len > skb->len)
		return false;
	return !pskb_trim(skb, len);
}

/* The same for IPv6: a payload length within what arrived (no jumbograms). */
static bool kipsec_inner_ipv6_ok(struct sk_buff *skb)
{
	u32 len;

	if (skb->len < sizeof(struct ipv6hdr) || ipv6_hdr(skb)->version != 6)
		return false;
	len = sizeof(struct ipv6hdr) + ntohs(ipv6_hdr(skb)->payload_len);
	if (len == sizeof(struct ipv6hdr) || len > skb->len)
		return false;
	return !pskb_trim(skb, len);
}

/* Strips the outer header and ESP/AH of a tunnel-mode packet (RFC 6040 ECN). */
static enum kipsec_drop_reason kipsec_strip_tunnel(struct sk_buff *skb,
						   u32 hlen, u32 gap,
						   u32 payload_len, u8 nexthdr)
{
	u8 outer_ecn = skb->protocol == htons(ETH_P_IP) ?
		       ip_hdr(skb)->tos : ipv6_get_dsfield(ipv6_hdr(skb));
	u8 ecn;

	__skb_pull(skb, hlen + gap);
	pskb_trim(skb, payload_len);
	skb_reset_network_header(skb);
	if (nexthdr == IPPROTO_IPIP && kipsec_inner_ipv4_ok(skb)) {
		skb->protocol = htons(ETH_P_IP);
		if (kipsec_ecn_decapsulate(ip_hdr(skb)->tos, outer_ecn, &ecn) ==
		    KIPSEC_ECN_DECAP_DROP)
			return KIPSEC_DROP_MALFORMED;
		ipv4_change_dsfield(ip_hdr(skb), (u8)~INET_ECN_MASK, ecn);
		return KIPSEC_DROP_UNSPEC;
	}
	if (nexthdr == IPPROTO_IPV6 && kipsec_inner_ipv6_ok(skb)) {
		skb->protocol = htons(ETH_P_IPV6);
		if (kipsec_ecn_decapsulate(ipv6_get_dsfield(ipv6_hdr(skb)),
					   outer_ecn, &ecn) ==
		    KIPSEC_ECN_DECAP_DROP)
			return KIPSEC_DROP_MALFORMED;
		ipv6_change_dsfield(ipv6_hdr(skb), (u8)~INET_ECN_MASK, ecn);
		return KIPSEC_DROP_UNSPEC;
	}
	return KIPSEC_DROP_MALFORMED;
}

/* The IP header transport mode keeps in front of ESP (none in tunnel mode). */
static u32 kipsec_kept_hlen(struct sk_buff *skb, const struct kipsec_sa *sa)
{
	if (sa->p.mode == KIPSEC_MODE_TUNNEL)
		return 0;
	return skb->protocol == htons(ETH_P_IP) ? ip_hdrlen(skb) :
						  sizeof(struct ipv6hdr);
}

static void kipsec_in_next(struct kipsec_net *kn, struct sk_buff *skb,
			   struct kipsec_chain *chain);

/* Drops a packet whose transform had begun: @pkt and its chain go too. */
static void kipsec_in_abort(struct kipsec_pkt *pkt,
			    enum kipsec_drop_reason reason)
{
	kipsec_chain_put(&pkt->chain);
	kipsec_in_drop_sa(pkt->sa, pkt->skb, reason);
	kipsec_pkt_free(pkt);
}

static void kipsec_in_done(struct kipsec_pkt *pkt, int err)
{
	struct kipsec_sa *sa = pkt->sa;
	struct sk_buff *skb = pkt->skb;
	enum kipsec_drop_reason reason;
	enum kipsec_replay_result replay = KIPSEC_REPLAY_OK;

	if (err) {
		kipsec_in_abort(pkt, kipsec_crypto_drop_reason(err));
		return;
	}
	/* Only now, with the ICV verified, may the window move. */
	if (sa->replay) {
		spin_lock_bh(&sa->lock);
		replay = kipsec_replay_advance(sa->replay, pkt->seq);
		if (replay == KIPSEC_REPLAY_TOO_OLD)
			kipsec_sa_note_too_old(sa, pkt->seq);
		spin_unlock_bh(&sa->lock);
	}
	if (replay != KIPSEC_REPLAY_OK) {
		kipsec_in_abort(pkt, KIPSEC_DROP_REPLAY);
		return;
	}
	if (pkt->encapped) {
		struct kipsec_encap_origin origin = {
			.sport = pkt->encap_sport,
		};

		kipsec_encap_note_origin(sa, skb, &origin);
	}
	reason = pkt->xf->payload ? pkt->xf->payload(pkt) : KIPSEC_DROP_UNSPEC;
	if (reason) {
		kipsec_in_abort(pkt, reason);
		return;
	}
	if (!kipsec_sa_charge(sa, pkt->text_len)) {
		kipsec_in_abort(pkt, KIPSEC_DROP_SA_EXPIRED);
		return;
	}
	kipsec_sa_count(sa, pkt->text_len, false);
	/*
	 * What the device said about the checksum described the packet as
	 * received (outer headers, ciphertext): the inner packet's checksums
	 * are verified from scratch. Except in transport mode through a NAT:
	 * the sender summed over addresses the NAT rewrote, and RFC 3948
	 * 3.1.2 lets the receiver skip the check ESP's ICV makes redundant.
	 */
	skb->ip_summed = pkt->encapped && sa->p.mode == KIPSEC_MODE_TRANSPORT ?
			 CHECKSUM_UNNECESSARY : CHECKSUM_NONE;
	if (sa->p.mode == KIPSEC_MODE_TUNNEL)
		reason = kipsec_strip_tunnel(skb, pkt->hdr_off, pkt->hdr_len,
					     pkt->text_len, pkt->nexthdr);
	else
		kipsec_strip_transport(skb, pkt->hdr_off, pkt->hdr_len,
				       pkt->text_len, pkt->nexthdr);
	if (reason) {
		kipsec_in_abort(pkt, reason);
		return;
	}
	/* The chain keeps the SA until the policy check; pkt drops its ref. */
	refcount_inc(&sa->ref);
	pkt->chain.sa[pkt->chain.n++] = sa;
	kipsec_in_next(sa->kn, skb, &pkt->chain);
	kipsec_pkt_free(pkt);
}

/* The lookup key of @skb's ESP/AH header with SPI @spi. */
static void kipsec_in_sa_id(const struct sk_buff *skb, u8 proto, u32 spi,
			    struct kipsec_sa_id *id)
{
	memset(id, 0, sizeof(*id));
	id->proto = proto;
	id->spi = spi;
	if (skb->protocol == htons(ETH_P_IP)) {
		id->family = KIPSEC_AF_INET;
		memcpy(id->dst.b, &ip_hdr(skb)->daddr, 4);
	} else {
		id->family = KIPSEC_AF_INET6;
		memcpy(id->dst.b, &ipv6_hdr(skb)->daddr, 16);
	}
}

/* The SA for the ESP/AH header at @off (its SPI read by @xf), held. */
static struct kipsec_sa *kipsec_in_sa(struct kipsec_net *kn,
				      struct sk_buff *skb, u32 off,
				      const struct kipsec_xform *xf)
{
	struct kipsec_sa_id id;
	struct kipsec_sa *sa;

	kipsec_in_sa_id(skb, xf->proto, xf->read_spi(skb->data + off), &id);
	sa = kipsec_sa_lookup(kn, &id);
	if (!sa || !kipsec_sa_ready(sa) || !kipsec_sa_hold(sa))
		return NULL;
	return sa;
}

/*
 * An ESP or AH packet for this host, the header at @off; @chain holds the
 * SAs of the headers removed before. Under rcu_read_lock(). The order of
 * the checks is the same for both: header present, SA, header valid for
 * the SA, replay window, then the ICV (in the crypto completion). @origin:
 * the ports of the UDP header ESP arrived in, or NULL.
 * Consumes @skb and @chain's references.
 */
static void kipsec_xform_input(struct kipsec_net *kn, struct sk_buff *skb,
			       u32 off, const struct kipsec_xform *xf,
			       struct kipsec_chain *chain,
			       const struct kipsec_encap_origin *origin)
{
	enum kipsec_replay_result replay = KIPSEC_REPLAY_OK;
	enum kipsec_drop_reason reason;
	struct kipsec_pkt *pkt;
	struct kipsec_sa *sa;

	if (!pskb_may_pull(skb, off + xf->hdr_min)) {
		kipsec_chain_put(chain);
		kipsec_in_drop(kn, skb, KIPSEC_DROP_MALFORMED);
		return;
	}
	sa = kipsec_in_sa(kn, skb, off, xf);
	if (!sa) {
		kipsec_chain_put(chain);
		kipsec_in_drop(kn, skb, origin ? KIPSEC_DROP_ENCAP_NO_SA :
						 KIPSEC_DROP_NO_SA_IN);
		return;
	}
	if (!kipsec_encap_matches(sa, origin)) {
		kipsec_chain_put(chain);
		kipsec_in_drop_sa(sa, skb, KIPSEC_DROP_ENCAP_MISMATCH);
		kipsec_sa_put(sa);
		return;
	}
	/* Crypto works in place: the buffer must be ours and linear. */
	pkt = skb_linearize_cow(skb) ? NULL :
	      kipsec_pkt_alloc(skb, sa, xf, off);
	if (!pkt) {
		kipsec_chain_put(chain);
		kipsec_in_drop_sa(sa, skb, KIPSEC_DROP_NO_MEMORY);
		kipsec_sa_put(sa);
		return;
	}
	pkt->chain = *chain;
	pkt->out = false;
	pkt->nexthdr = 0;
	pkt->encapped = origin;
	pkt->encap_sport = origin ? origin->sport : 0;
	reason = kipsec_sa_spent(sa) ? KIPSEC_DROP_SA_EXPIRED : xf->parse(pkt);
	if (reason)
		goto abort;
	/* Checked before the ICV (cheap), advanced only after it. */
	if (sa->replay) {
		spin_lock_bh(&sa->lock);
		replay = kipsec_replay_check(sa->replay, (u32)pkt->seq,
					     &pkt->seq);
		if (replay == KIPSEC_REPLAY_TOO_OLD)
			kipsec_sa_note_too_old(sa, pkt->seq);
		spin_unlock_bh(&sa->lock);
	}
	if (replay != KIPSEC_REPLAY_OK) {
		reason = KIPSEC_DROP_REPLAY;
		goto abort;
	}
	/* As on output: a route that is being released cannot be held. */
	if (!skb_dst_force(skb)) {
		reason = KIPSEC_DROP_ROUTE_GONE;
		goto abort;
	}
	pkt->done = kipsec_in_done;
	reason = xf->input(pkt);
	if (!reason)
		return;
abort:
	kipsec_in_abort(pkt, reason);
}

/*
 * Where the first header after the IP header and the IPv6 extension
 * headers that come before ESP/AH starts, and which protocol it is.
 * ipv6_skip_exthdr() would step over AH, so the walk is done here; it
 * refuses a fragment that is not atomic (-EINVAL).
 */
static int kipsec_upper(struct sk_buff *skb, u8 *proto)
{
	u8 buf[KIPSEC_IPV6_EXT_PEEK];
	const u8 *h;
	u32 off;
	int len;
	u8 nh;

	if (skb->protocol == htons(ETH_P_IP)) {
		*proto = ip_hdr(skb)->protocol;
		return ip_hdrlen(skb);
	}
	nh = ipv6_hdr(skb)->nexthdr;
	off = sizeof(struct ipv6hdr);
	while (nh != IPPROTO_AH) {
		h = skb_header_pointer(skb, off, sizeof(buf), buf);
		len = kipsec_ipv6_ext_len(nh, h);
		if (len < 0)
			return -EINVAL;
		if (!len)
			break;
		nh = h[0];
		off += len;
	}
	*proto = nh;
	return off;
}

static bool kipsec_is_ipsec(u8 proto)
{
	return proto == IPPROTO_ESP || proto == IPPROTO_AH;
}

/* Hands the ESP/AH header at @off to the engine. Under rcu_read_lock(). */
static void kipsec_in_dispatch(struct kipsec_net *kn, struct sk_buff *skb,
			       u32 off, u8 proto, struct kipsec_chain *chain,
			       const struct kipsec_encap_origin *origin)
{
	kipsec_xform_input(kn, skb, off, kipsec_xform_find(proto), chain,
			   origin);
}

/*
 * Is there an SA here for the ESP/AH header at @off of a packet that just
 * left a tunnel? Then this host is that header's endpoint too.
 */
static bool kipsec_in_has_sa(struct kipsec_net *kn, struct sk_buff *skb,
			     u32 off, u8 proto)
{
	const struct kipsec_xform *xf = kipsec_xform_find(proto);
	u8 buf[KIPSEC_XFORM_HDR_MIN_MAX];
	struct kipsec_sa_id id;
	struct kipsec_sa *sa;
	const u8 *hdr;
	bool found;

	hdr = skb_header_pointer(skb, off, xf->hdr_min, buf);
	if (!hdr)
		return false;
	kipsec_in_sa_id(skb, proto, xf->read_spi(hdr), &id);
	rcu_read_lock();
	sa = kipsec_sa_lookup(kn, &id);
	found = sa && kipsec_sa_ready(sa);
	rcu_read_unlock();
	return found;
}

/*
 * A transform verified and stripped its header from @skb; @chain ends with
 * its SA. Continues with the next AH/ESP header of a transport-mode packet,
 * or checks the inbound policy and delivers. Consumes @skb and @chain's
 * references.
 */
static void kipsec_in_next(struct kipsec_net *kn, struct sk_buff *skb,
			   struct kipsec_chain *chain)
{
	struct kipsec_sa *last = chain->sa[chain->n - 1];
	enum kipsec_drop_reason reason;
	u8 proto;
	int off;

	/*
	 * Transport mode leaves the packet addressed to us: another ESP/AH
	 * header behind the one just removed is part of the same bundle.
	 * After a tunnel, the inner packet's ESP/AH is ours to process when
	 * we hold its SA (transport inside tunnel); otherwise the inner
	 * packet is checked and delivered or forwarded as it is.
	 */
	off = kipsec_upper(skb, &proto);
	if (off > 0 && kipsec_is_ipsec(proto) &&
	    (last->p.mode == KIPSEC_MODE_TRANSPORT ||
	     kipsec_in_has_sa(kn, skb, off, proto))) {
		if (chain->n == KIPSEC_TEMPLATES_MAX) {
			/* More than any policy can ask for. */
			kipsec_in_drop_sa(last, skb, KIPSEC_DROP_POLICY_MISMATCH);
			kipsec_chain_put(chain);
			return;
		}
		rcu_read_lock();
		kipsec_in_dispatch(kn, skb, off, proto, chain, NULL);
		rcu_read_unlock();
		return;
	}
	rcu_read_lock();
	reason = kipsec_check_protected(kn, skb, chain);
	rcu_read_unlock();
	if (reason) {
		/* The SAs did their part; the innermost one counts the drop. */
		kipsec_in_drop_sa(last, skb, reason);
	} else {
		/* Replies go back the same way, as big: make this host's TCP fit. */
		kipsec_clamp_mss(skb, kipsec_inner_mtu(last, skb->dev->mtu,
						       kipsec_kept_hlen(skb, last)));
		kipsec_deliver(kn, skb, chain->sa[0]);
	}
	kipsec_chain_put(chain);
}

static unsigned int kipsec_inbound(struct sk_buff *skb,
				   const struct nf_hook_state *state,
				   bool forward)
{
	struct kipsec_net *kn = kipsec_net(state->net);
	const struct kipsec_encap_origin *encap = NULL;
	struct kipsec_encap_origin origin;
	struct kipsec_chain chain = { 0 };
	enum kipsec_drop_reason reason;
	u8 proto;
	int off;

	if (!READ_ONCE(kn->sad.count) && !READ_ONCE(kn->spd.count))
		return NF_ACCEPT;
	if (kipsec_guard_covers(&kipsec_in_guard, skb, NULL))
		return NF_ACCEPT;
	if (!forward && READ_ONCE(kn->sad.count)) {
		off = kipsec_upper(skb, &proto);
		if (off > 0 && proto == IPPROTO_UDP) {
			switch (kipsec_encap_input(kn, skb, off, &origin,
						   &reason)) {
			case KIPSEC_ENCAP_ESP:
				proto = IPPROTO_ESP;
				encap = &origin;
				break;
			case KIPSEC_ENCAP_DROP:
				kipsec_count_drop(kn, reason);
				return NF_DROP;
			default:	/* plain UDP or IKE: a plaintext packet */
				break;
			}
		}
		if (off > 0 && kipsec_is_ipsec(proto)) {
			/* The ESP/AH flow is a connection like any other. */
			if (!kipsec_ct_confirm(skb)) {
				kipsec_count_drop(kn, KIPSEC_DROP_CONNTRACK);
				return NF_DROP;
			}
			kipsec_in_dispatch(kn, skb, off, proto, &chain, encap);
			return NF_STOLEN;
		}
	}
	return kipsec_check_plain(kn, skb, forward);
}

unsigned int kipsec_local_in_hook(void *priv, struct sk_buff *skb,
				  const struct nf_hook_state *state)
{
	return kipsec_inbound(skb, state, false);
}

unsigned int kipsec_forward_hook(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	return kipsec_inbound(skb, state, true);
}
