/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the ESP and AH engines share on the way out (SA chains, outer
 * headers, sending) and on the way in (stripping, the inbound policy check,
 * delivery), so each transform only builds and checks its own header.
 */
#ifndef KIPSEC_DATAPATH_H
#define KIPSEC_DATAPATH_H

#include <linux/skbuff.h>
#include "kipsec.h"
#include "stats.h"
#include "flight.h"

/*
 * The SAs of one policy instance, in template order (innermost first).
 * Outbound: @sa[@next..@n-1] are still to be applied, and the chain holds a
 * reference on each of them. Inbound: the SAs whose headers were removed
 * so far, outermost first, each held, checked against the policy at the
 * end (RFC 4301 5.2: the packet carried exactly the policy's templates).
 */
struct kipsec_chain {
	u8 n;
	u8 next;
	struct kipsec_sa *sa[KIPSEC_TEMPLATES_MAX];
};

/* Drops every reference the chain still holds. */
void kipsec_chain_put(struct kipsec_chain *chain);

/* Outbound (output.c). */
void kipsec_out_drop(struct kipsec_net *kn, struct sk_buff *skb,
		     enum kipsec_drop_reason reason);
/*
 * A transform finished @skb with @chain's current SA: apply the next one,
 * or send the packet. Consumes @skb and @chain's references.
 */
void kipsec_out_next(struct kipsec_net *kn, struct sk_buff *skb,
		     struct kipsec_chain *chain);
int kipsec_route_outer(struct net *net, struct sk_buff *skb,
		       const struct kipsec_sa *sa, u8 proto);
void kipsec_push_outer(struct net *net, struct sk_buff *skb,
		       const struct kipsec_sa *sa, u8 proto, u8 inner_tos,
		       bool inner_v6, bool inner_df);
u32 kipsec_open_gap(struct sk_buff *skb, u32 hlen, u32 gap);
void kipsec_count_out(struct kipsec_sa *sa, u32 bytes);

/* Inbound (input.c). */
void kipsec_in_drop(struct kipsec_net *kn, struct sk_buff *skb,
		    enum kipsec_drop_reason reason);
/* Drops a packet whose SA was found, counting it on the SA too. */
void kipsec_in_drop_sa(struct kipsec_sa *sa, struct sk_buff *skb,
		       enum kipsec_drop_reason reason);
void kipsec_count_in(struct kipsec_sa *sa, u32 bytes);
void kipsec_strip_transport(struct sk_buff *skb, u32 hlen, u32 gap,
			    u32 payload_len, u8 nexthdr);
enum kipsec_drop_reason kipsec_strip_tunnel(struct sk_buff *skb, u32 hlen,
					    u32 gap, u32 payload_len,
					    u8 nexthdr);
/*
 * A transform verified and stripped its header from @skb; @chain ends with
 * its SA. Continues with the next AH/ESP header of a transport-mode packet
 * (at @next_off, protocol @nexthdr), or checks the inbound policy and
 * delivers. Consumes @skb and @chain's references.
 */
void kipsec_in_next(struct kipsec_net *kn, struct sk_buff *skb,
		    struct kipsec_chain *chain);

/* The engines: consume @skb and the chain's references. */
void kipsec_esp_output(struct kipsec_net *kn, struct sk_buff *skb,
		       struct kipsec_chain *chain);
void kipsec_esp_input(struct kipsec_net *kn, struct sk_buff *skb, u32 off,
		      struct kipsec_chain *chain);
void kipsec_ah_output(struct kipsec_net *kn, struct sk_buff *skb,
		      struct kipsec_chain *chain);
void kipsec_ah_input(struct kipsec_net *kn, struct sk_buff *skb, u32 off,
		     struct kipsec_chain *chain);

#endif /* KIPSEC_DATAPATH_H */
