// SPDX-License-Identifier: GPL-2.0
/*
 * The outbound engine: the POST_ROUTING hook looks up the SPD, finds the
 * SAs a policy's templates name, applies them in order (for each: sequence
 * number, room, MTU, outer header and route here; header, trailer and
 * crypto by the SA's transform, esp.c or ah.c, through xform.h), and sends
 * the result through the stack again (ip_local_out), under the out guard
 * so this hook lets it pass.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/version.h>
#include <net/dsfield.h>
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#include <net/gso.h>		/* skb_gso_segment() moved here in 6.5 */
#endif
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>
#include "hooks.h"
#include "xform.h"
#include "conntrack.h"
#include "encap.h"
#include "events.h"
#include "flow.h"
#include "guard.h"
#include "mtu.h"
#include "sa_traffic.h"
#include "sock_bypass.h"
#include "stats.h"
#include "tunnel_tos.h"

DEFINE_PER_CPU(struct kipsec_guard, kipsec_out_guard);

static void kipsec_out_drop(struct kipsec_net *kn, struct sk_buff *skb,
		     enum kipsec_drop_reason reason)
{
	kipsec_count_drop(kn, reason);
	kfree_skb(skb);
}

/* Takes one more reference on every SA still in @chain (a GSO segment). */
static bool kipsec_chain_hold(struct kipsec_chain *chain)
{
	unsigned int i;

	for (i = chain->next; i < chain->n; i++) {
		if (!kipsec_sa_hold(chain->sa[i])) {
			while (i-- > chain->next)
				kipsec_sa_put(chain->sa[i]);
			return false;
		}
	}
	return true;
}

/* Sends a finished ESP/AH packet; its route is already attached. */
static void kipsec_send(struct sk_buff *skb)
{
	struct net *net = dev_net(skb_dst(skb)->dev);

	/* The ESP packet is a flow of its own for conntrack and NAT. */
	nf_reset_ct(skb);
	/* Too big for the path: let IP fragment the ESP packet. */
	skb->ignore_df = 1;
	local_bh_disable();
	if (!kipsec_guard_push(&kipsec_out_guard, skb, NULL)) {
		local_bh_enable();
		kfree_skb(skb);
		return;
	}
	if (skb->protocol == htons(ETH_P_IP))
		ip_local_out(net, skb->sk, skb);
	else
		ip6_local_out(net, skb->sk, skb);
	kipsec_guard_pop(&kipsec_out_guard);
	local_bh_enable();
}

static void kipsec_xform_output(struct kipsec_net *kn, struct sk_buff *skb,
				struct kipsec_chain *chain);

/*
 * A transform finished @skb with @chain's current SA: apply the next one,
 * or send the packet. Consumes @skb and @chain's references.
 */
static void kipsec_out_next(struct kipsec_net *kn, struct sk_buff *skb,
			    struct kipsec_chain *chain)
{
	if (chain->next == chain->n) {
		kipsec_send(skb);
		return;
	}
	/*
	 * ip_local_out() fixes the header checksum of what is sent, but a
	 * header that a later tunnel template wraps is sent as it is now.
	 */
	if (skb->protocol == htons(ETH_P_IP))
		ip_send_check(ip_hdr(skb));
	kipsec_xform_output(kn, skb, chain);
}

/* A route for the outer header of a tunnel-mode packet, or an ERR_PTR. */
static struct dst_entry *kipsec_outer_dst(struct net *net,
					  struct sk_buff *skb,
					  const struct kipsec_sa *sa, u8 proto)
{
	struct dst_entry *dst;

	if (sa->p.family == KIPSEC_AF_INET) {
		struct flowi4 fl4 = {
			.flowi4_proto = proto,
			.flowi4_mark = skb->mark,
		};
		struct rtable *rt;

		memcpy(&fl4.daddr, sa->p.dst.b, 4);
		memcpy(&fl4.saddr, sa->p.src.b, 4);
		rt = ip_route_output_key(net, &fl4);
		if (IS_ERR(rt))
			return ERR_CAST(rt);
		dst = &rt->dst;
	} else {
		struct flowi6 fl6 = {
			.flowi6_proto = proto,
			.flowi6_mark = skb->mark,
		};

		memcpy(&fl6.daddr, sa->p.dst.b, 16);
		memcpy(&fl6.saddr, sa->p.src.b, 16);
		dst = ip6_route_output(net, NULL, &fl6);
		if (dst->error) {
			int err = dst->error;

			dst_release(dst);
			return ERR_PTR(err);
		}
	}
	return dst;
}

/* Writes the outer header of a tunnel-mode packet (RFC 4301 5.1.2). */
static void kipsec_push_outer(struct net *net, struct sk_buff *skb,
		       const struct kipsec_sa *sa, u8 proto, u8 inner_tos,
		       bool inner_v6, bool inner_df)
{
	u8 tos = kipsec_tunnel_outer_dsfield(inner_tos, sa->p.flags);

	if (sa->p.family == KIPSEC_AF_INET) {
		struct iphdr *iph;

		skb_push(skb, sizeof(*iph));
		skb_reset_network_header(skb);
		iph = ip_hdr(skb);
		iph->version = 4;
		iph->ihl = 5;
		iph->tos = tos;
		iph->frag_off = kipsec_tunnel_outer_df(sa->p.tunnel_df, inner_v6,
						       inner_df) ? htons(IP_DF) : 0;
		iph->ttl = ip4_dst_hoplimit(skb_dst(skb));
		iph->protocol = proto;
		memcpy(&iph->saddr, sa->p.src.b, 4);
		memcpy(&iph->daddr, sa->p.dst.b, 4);
		iph->tot_len = htons(skb->len);
		/*
		 * The ESP packet may be fragmented (see kipsec_send()), so it
		 * needs a real IP ID even with DF set: with ignore_df unset,
		 * ip_select_ident() gives DF packets ID 0, and fragments of
		 * different packets would then be reassembled together.
		 */
		skb->ignore_df = 1;
		ip_select_ident(net, skb, NULL);
		skb->protocol = htons(ETH_P_IP);
		/*
		 * The control block described the inner header (option
		 * offsets, frag_max_size); ICMP errors and fragmentation of
		 * the outer packet must not read it, as iptunnel_xmit() says.
		 */
		memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
	} else {
		struct ipv6hdr *ip6;

		skb_push(skb, sizeof(*ip6));
		skb_reset_network_header(skb);
		ip6 = ipv6_hdr(skb);
		ip6_flow_hdr(ip6, tos, 0);
		ip6->payload_len = htons(skb->len - sizeof(*ip6));
		ip6->nexthdr = proto;
		ip6->hop_limit = ip6_dst_hoplimit(skb_dst(skb));
		memcpy(&ip6->saddr, sa->p.src.b, 16);
		memcpy(&ip6->daddr, sa->p.dst.b, 16);
		skb->protocol = htons(ETH_P_IPV6);
		memset(IP6CB(skb), 0, sizeof(*IP6CB(skb)));
	}
}

/*
 * Makes room for an ESP/AH header in front of @skb's payload (after @hlen
 * bytes of IP header, moved forward) and returns the header's offset.
 */
static u32 kipsec_open_gap(struct sk_buff *skb, u32 hlen, u32 gap)
{
	skb_push(skb, gap);
	memmove(skb->data, skb->data + gap, hlen);
	skb_reset_network_header(skb);
	return hlen;
}

/* Drops a packet whose transform had begun: @pkt and its chain go too. */
static void kipsec_out_abort(struct kipsec_pkt *pkt,
			     enum kipsec_drop_reason reason)
{
	kipsec_chain_put(&pkt->chain);
	kipsec_out_drop(pkt->sa->kn, pkt->skb, reason);
	kipsec_pkt_free(pkt);
}

static void kipsec_out_done(struct kipsec_pkt *pkt, int err)
{
	if (err) {
		kipsec_out_abort(pkt, kipsec_crypto_drop_reason(err));
		return;
	}
	kipsec_sa_count(pkt->sa, pkt->text_len, true);
	if (kipsec_encap_len(pkt->sa))
		kipsec_encap_finish(pkt->skb,
				    pkt->hdr_off - kipsec_encap_len(pkt->sa));
	kipsec_out_next(pkt->sa->kn, pkt->skb, &pkt->chain);
	kipsec_pkt_free(pkt);
}

/* What the plaintext in front of the new header is, read before it moves. */
struct kipsec_inner {
	u32 hlen;		/* IP header bytes kept in front (transport) */
	u32 nexthdr_off;	/* IPv6: the Next Header field to rewrite */
	u8 nexthdr;		/* what follows the new header */
	u8 tos;
	bool df;
};

static enum kipsec_drop_reason kipsec_read_inner(struct sk_buff *skb,
						 const struct kipsec_sa *sa,
						 struct kipsec_inner *in)
{
	bool v4 = skb->protocol == htons(ETH_P_IP);
	u8 *nexthdr_field;
	int off;

	in->df = true;
	in->nexthdr_off = 0;
	if (v4) {
		in->hlen = ip_hdrlen(skb);
		in->nexthdr = ip_hdr(skb)->protocol;
		in->tos = ip_hdr(skb)->tos;
		in->df = ip_hdr(skb)->frag_off & htons(IP_DF);
	} else {
		/*
		 * RFC 4303 3.1.1 and RFC 4302 3.1.1: ESP and AH go after
		 * hop-by-hop, routing and fragment headers (and destination
		 * options before a routing header), exactly where a fragment
		 * header would go.
		 */
		off = ip6_find_1stfragopt(skb, &nexthdr_field);
		if (off < 0)
			return KIPSEC_DROP_MALFORMED;
		in->hlen = off;
		in->nexthdr = *nexthdr_field;
		in->nexthdr_off = nexthdr_field - skb_network_header(skb);
		in->tos = ipv6_get_dsfield(ipv6_hdr(skb));
	}
	if (sa->p.mode == KIPSEC_MODE_TUNNEL) {
		in->nexthdr = v4 ? IPPROTO_IPIP : IPPROTO_IPV6;
		in->hlen = 0;
	}
	return KIPSEC_DROP_UNSPEC;
}

/*
 * Applies @chain's next SA to @skb: ESP or AH in transport or tunnel mode,
 * its crypto started. Consumes @skb and the chain's references.
 */
static void kipsec_xform_output(struct kipsec_net *kn, struct sk_buff *skb,
				struct kipsec_chain *chain)
{
	struct kipsec_sa *sa = chain->sa[chain->next];
	const struct kipsec_xform *xf = kipsec_xform_find(sa->p.proto);
	bool tunnel = sa->p.mode == KIPSEC_MODE_TUNNEL;
	bool v4 = skb->protocol == htons(ETH_P_IP);
	enum kipsec_drop_reason reason;
	struct dst_entry *outer_dst = NULL;
	struct kipsec_inner in;
	u32 gap, tail, outer = 0, inner_mtu, encap = kipsec_encap_len(sa);
	/* What the IP header names: ESP/AH, or UDP carrying ESP. */
	u8 wire_proto = encap ? IPPROTO_UDP : sa->p.proto;
	struct kipsec_pkt *pkt;
	u64 seq;
	bool ok;

	if (kipsec_sa_spent(sa)) {
		reason = KIPSEC_DROP_SA_EXPIRED;
		goto drop;
	}
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb)) {
		reason = KIPSEC_DROP_NO_MEMORY;
		goto drop;
	}
	spin_lock_bh(&sa->lock);
	ok = kipsec_replay_next_out(&sa->seq_out, sa->p.flags & KIPSEC_SA_F_ESN,
				    &seq);
	spin_unlock_bh(&sa->lock);
	if (!ok) {
		reason = KIPSEC_DROP_SEQ_EXHAUSTED;
		goto drop;
	}
	/* One linear, private buffer (room at both ends comes below). */
	if (skb_linearize_cow(skb)) {
		reason = KIPSEC_DROP_NO_MEMORY;
		goto drop;
	}
	reason = kipsec_read_inner(skb, sa, &in);
	if (reason)
		goto drop;
	if (tunnel)
		outer = sa->p.family == KIPSEC_AF_INET ? sizeof(struct iphdr) :
							 sizeof(struct ipv6hdr);
	gap = xf->hdr_len(sa);
	if (!xf->tail_len(sa, skb->len - in.hlen, &tail)) {
		reason = KIPSEC_DROP_MALFORMED;
		goto drop;
	}
	if ((skb_headroom(skb) < gap + encap + outer + LL_MAX_HEADER ||
	     skb_tailroom(skb) < tail) &&
	    pskb_expand_head(skb, gap + encap + outer + LL_MAX_HEADER, tail,
			     GFP_ATOMIC)) {
		reason = KIPSEC_DROP_NO_MEMORY;
		goto drop;
	}
	if (tunnel) {
		outer_dst = kipsec_outer_dst(dev_net(skb_dst(skb)->dev), skb,
					     sa, wire_proto);
		if (IS_ERR(outer_dst)) {
			reason = KIPSEC_DROP_NO_ROUTE;
			goto drop;
		}
	}
	/*
	 * Decided while the inner route is attached (ICMP errors need it),
	 * and by the first transform of a bundle, which sees the plaintext.
	 */
	inner_mtu = kipsec_inner_mtu(sa, dst_mtu(outer_dst ?: skb_dst(skb)),
				     in.hlen);
	if (!chain->next)
		kipsec_clamp_mss(skb, inner_mtu);
	if (!chain->next && skb->len > inner_mtu &&
	    kipsec_send_too_big(skb, sa, inner_mtu)) {
		reason = KIPSEC_DROP_TOO_BIG;
		goto drop_dst;
	}

	pkt = kipsec_pkt_alloc(skb, sa, xf, tunnel ? outer : in.hlen);
	if (!pkt) {
		reason = KIPSEC_DROP_NO_MEMORY;
		goto drop_dst;
	}
	if (outer_dst) {
		skb_dst_drop(skb);
		skb_dst_set(skb, outer_dst);
	}
	/* The SA's reference moved to pkt->sa, the rest stay in the chain. */
	pkt->chain = *chain;
	pkt->chain.next++;
	pkt->out = true;
	pkt->seq = seq;
	pkt->nexthdr = in.nexthdr;
	pkt->hdr_len = gap;
	pkt->hdr_off = kipsec_open_gap(skb, in.hlen, encap + gap) + encap;
	skb_put(skb, tail);
	xf->write(pkt, tail);
	if (!kipsec_sa_charge(sa, pkt->text_len)) {
		kipsec_out_abort(pkt, KIPSEC_DROP_SA_EXPIRED);
		return;
	}

	/* The headers in front get their final lengths (AH covers them). */
	if (tunnel) {
		kipsec_push_outer(dev_net(skb_dst(skb)->dev), skb, sa,
				  wire_proto, in.tos, !v4, in.df);
		pkt->hdr_off = outer + encap;
	} else if (v4) {
		ip_hdr(skb)->protocol = wire_proto;
		ip_hdr(skb)->tot_len = htons(skb->len);
	} else {
		skb->data[in.nexthdr_off] = wire_proto;
		ipv6_hdr(skb)->payload_len =
			htons(skb->len - sizeof(struct ipv6hdr));
	}
	skb_set_transport_header(skb, pkt->hdr_off - encap);
	if (encap)
		kipsec_encap_write(skb, sa, pkt->hdr_off - encap);
	/*
	 * The route must outlive the crypto wait; a noref route that is being
	 * released (routes flushed, a link going down) cannot be held.
	 */
	if (!skb_dst_force(skb)) {
		kipsec_out_abort(pkt, KIPSEC_DROP_ROUTE_GONE);
		return;
	}
	pkt->done = kipsec_out_done;
	reason = xf->output(pkt);
	if (reason)
		kipsec_out_abort(pkt, reason);
	return;

drop_dst:
	if (outer_dst)
		dst_release(outer_dst);
drop:
	kipsec_chain_put(chain);
	kipsec_out_drop(kn, skb, reason);
}

/*
 * The SA a template asks for, for @flow's packet from @cur's source to its
 * destination (the flow's addresses, or those of the tunnel an earlier
 * template of the bundle opened); held, or NULL (and @addrs says which one
 * is missing).
 */
static struct kipsec_sa *kipsec_resolve(struct kipsec_net *kn,
					const struct kipsec_tmpl *t,
					const struct kipsec_flow *flow,
					const struct kipsec_sa_addrs *cur,
					struct kipsec_sa_addrs *addrs)
{
	struct kipsec_sa *sa;

	memset(addrs, 0, sizeof(*addrs));
	addrs->proto = t->proto;
	if (t->mode == KIPSEC_MODE_TUNNEL) {
		addrs->src = t->src;
		addrs->dst = t->dst;
		addrs->family = t->family;
	} else {
		addrs->src = cur->src;
		addrs->dst = cur->dst;
		addrs->family = cur->family;
	}
	sa = kipsec_sa_find_out(kn, addrs, t->mode, t->reqid, t->spi, flow);
	if (sa && (!kipsec_sa_ready(sa) || !kipsec_sa_hold(sa)))
		return NULL;
	return sa;
}

/*
 * Resolves every template of the newest instance (an IKE rekey stacks
 * them, the newest carries new traffic) into @chain, in order. Returns 0,
 * or the drop reason when a required SA is missing (an ACQUIRE is sent
 * for it). A missing SA of a "use" template is skipped: that protection is
 * optional, and with no SA at all the packet leaves as it is.
 */
static enum kipsec_drop_reason
kipsec_resolve_chain(struct kipsec_net *kn, struct kipsec_policy *pol,
		     const struct kipsec_flow *flow, struct kipsec_chain *chain)
{
	const struct kipsec_pol_insts *insts = rcu_dereference(pol->insts);
	const struct kipsec_pol_inst *inst = &insts->inst[0];
	struct kipsec_sa_addrs cur = {
		.src = flow->src, .dst = flow->dst, .family = flow->family,
	};
	struct kipsec_sa_addrs addrs;
	struct kipsec_sa *sa;
	unsigned int i;

	chain->n = 0;
	chain->next = 0;
	for (i = 0; i < inst->ntmpl; i++) {
		const struct kipsec_tmpl *t = &inst->tmpl[i];

		sa = kipsec_resolve(kn, t, flow, &cur, &addrs);
		if (!sa) {
			/* Either way the IKE daemon should negotiate the SA. */
			kipsec_event_acquire(kn, pol, t, &addrs);
			if (t->level == KIPSEC_LEVEL_USE)
				continue;
			kipsec_chain_put(chain);
			return KIPSEC_DROP_NO_SA_OUT;
		}
		chain->sa[chain->n++] = sa;
		if (t->mode == KIPSEC_MODE_TUNNEL) {
			cur.src = t->src;
			cur.dst = t->dst;
			cur.family = t->family;
		}
	}
	return KIPSEC_DROP_UNSPEC;
}

unsigned int kipsec_output_hook(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	struct kipsec_net *kn = kipsec_net(state->net);
	enum kipsec_drop_reason reason;
	struct kipsec_policy *pol;
	struct kipsec_chain chain;
	struct kipsec_flow flow;
	struct sk_buff *segs, *next;

	if (!READ_ONCE(kn->spd.dir_count[KIPSEC_DIR_OUT]) ||
	    kipsec_guard_covers(&kipsec_out_guard, skb, NULL))
		return NF_ACCEPT;
	/* An IKE daemon's own packets are never matched (SOCKET_BYPASS). */
	if (kipsec_sock_bypass_out(kn, skb))
		return NF_ACCEPT;
	if (kipsec_flow_from_skb(skb, &flow)) {
		kipsec_count_drop(kn, KIPSEC_DROP_MALFORMED);
		return NF_DROP;
	}
	pol = kipsec_spd_lookup(kn, KIPSEC_DIR_OUT, &flow);
	if (!pol)
		return NF_ACCEPT;
	kipsec_policy_note_use(pol);
	if (pol->action == KIPSEC_ACTION_BYPASS)
		return NF_ACCEPT;
	if (pol->action == KIPSEC_ACTION_DISCARD) {
		kipsec_count_drop(kn, KIPSEC_DROP_POLICY_DISCARD);
		return NF_DROP;
	}
	reason = kipsec_resolve_chain(kn, pol, &flow, &chain);
	if (reason) {
		kipsec_count_drop(kn, reason);
		return NF_DROP;
	}
	if (!chain.n)
		return NF_ACCEPT;

	if (!kipsec_ct_confirm(skb)) {
		kipsec_chain_put(&chain);
		kipsec_count_drop(kn, KIPSEC_DROP_CONNTRACK);
		return NF_DROP;
	}
	if (!skb_is_gso(skb)) {
		kipsec_out_next(kn, skb, &chain);
		return NF_STOLEN;
	}
	/* Each segment becomes an ESP/AH packet of its own. */
	segs = skb_gso_segment(skb, 0);
	if (IS_ERR_OR_NULL(segs)) {
		kipsec_chain_put(&chain);
		kipsec_count_drop(kn, KIPSEC_DROP_NO_MEMORY);
		return NF_DROP;
	}
	consume_skb(skb);
	skb_list_walk_safe(segs, segs, next) {
		/* The last segment takes the chain's references, the others
		 * their own.
		 */
		struct kipsec_chain c = chain;

		skb_mark_not_on_list(segs);
		if (next && !kipsec_chain_hold(&c)) {
			kipsec_out_drop(kn, segs, KIPSEC_DROP_SA_EXPIRED);
			continue;
		}
		kipsec_out_next(kn, segs, &c);
	}
	return NF_STOLEN;
}
