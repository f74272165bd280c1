/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ESP in UDP (RFC 3948): what input and output do differently for an SA
 * with encapsulation ports. The engines (input.c, output.c) call in here;
 * nothing here calls them back.
 */
#ifndef KIPSEC_ENCAP_H
#define KIPSEC_ENCAP_H

#include <linux/skbuff.h>
#include <linux/udp.h>
#include "kipsec.h"

/* The bytes encapsulation adds in front of @sa's ESP header. */
static inline u32 kipsec_encap_len(const struct kipsec_sa *sa)
{
	return sa->p.encap_dport ? sizeof(struct udphdr) : 0;
}

/* What a UDP packet addressed to this host is to the engine. */
enum kipsec_encap_verdict {
	KIPSEC_ENCAP_NOT,	/* not to an encapsulation port: plain UDP */
	KIPSEC_ENCAP_ESP,	/* ESP, its UDP header removed */
	KIPSEC_ENCAP_IKE,	/* the non-ESP marker: for the port's socket */
	KIPSEC_ENCAP_DROP,	/* *reason says why (a keepalive, malformed) */
};

/* Where ESP that arrived in UDP came from, for the mapping check. */
struct kipsec_encap_origin {
	__be16 sport;
	__be16 dport;
};

/*
 * Looks at the UDP header at @off of @skb. For KIPSEC_ENCAP_ESP the UDP
 * header is gone: the ESP header is at @off and the IP header names ESP;
 * @origin holds the ports it had.
 */
enum kipsec_encap_verdict
kipsec_encap_input(struct kipsec_net *kn, struct sk_buff *skb, u32 off,
		   struct kipsec_encap_origin *origin,
		   enum kipsec_drop_reason *reason);

/*
 * Did ESP for @sa arrive as @sa expects it: in UDP to its port when it
 * encapsulates (@origin not NULL), plain otherwise?
 */
bool kipsec_encap_matches(const struct kipsec_sa *sa,
			  const struct kipsec_encap_origin *origin);

/*
 * Authenticated ESP in UDP for @sa arrived from the source address of
 * @skb's (outer) IP header and @origin's port: reports a new endpoint of
 * the peer once (KIPSEC_CMD_MAPPING).
 */
void kipsec_encap_note_origin(struct kipsec_sa *sa, const struct sk_buff *skb,
			      const struct kipsec_encap_origin *origin);

/*
 * Output: writes the UDP header at @udp_off of an ESP packet of @sa whose
 * IP header (at 0) already has its final length and names UDP.
 */
void kipsec_encap_write(struct sk_buff *skb, const struct kipsec_sa *sa,
			u32 udp_off);
/* After the crypto: the UDP checksum, which IPv6 requires (0 over IPv4). */
void kipsec_encap_finish(struct sk_buff *skb, u32 udp_off);

#endif /* KIPSEC_ENCAP_H */
