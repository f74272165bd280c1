/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The seam between the generic engine (output.c, input.c) and the IPsec
 * transforms (esp.c, ah.c): one packet's state while its transform runs
 * (struct kipsec_pkt), and what a transform does differently from the
 * other (struct kipsec_xform). Everything else, the order of the checks
 * included, is the engine's, so ESP and AH behave alike by construction.
 *
 * A transform never calls the engine: it submits its crypto request with
 * kipsec_pkt_crypto_done() as the callback and hands the submission's
 * result to kipsec_pkt_submitted(); the engine's pkt->done then runs
 * exactly once, now or on asynchronous completion.
 */
#ifndef KIPSEC_XFORM_H
#define KIPSEC_XFORM_H

#include <linux/crypto.h>
#include <linux/skbuff.h>
#include "kipsec.h"
#include "crypto.h"
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

/* Drops every reference the chain still holds (from @next on). */
void kipsec_chain_put(struct kipsec_chain *chain);

struct kipsec_xform;

/*
 * One packet between handing it to the crypto API and the completion,
 * which may come later from another context. It holds a reference on the
 * SA (@sa), and the packet is in flight (flight.h: the namespace and @dev
 * are held). This allocation, one per packet, is the data path's only one:
 * the crypto request must outlive the call.
 */
struct kipsec_pkt {
	struct sk_buff *skb;
	struct kipsec_sa *sa;
	const struct kipsec_xform *xf;
	struct net_device *dev;		/* held while in flight */
	struct kipsec_chain chain;	/* the SAs around this one */
	void (*done)(struct kipsec_pkt *pkt, int err);	/* the engine's */
	u64 seq;
	u32 hdr_off;		/* the ESP/AH header, from skb->data */
	u32 hdr_len;		/* ESP header and IV, or the whole AH */
	/*
	 * Output: the bytes the SA counts. Input: from parse(), the bytes
	 * after the header that the ICV covers; once payload() has run, the
	 * payload's length.
	 */
	u32 text_len;
	u8 nexthdr;		/* what the payload is (IP protocol number) */
	bool out;
	/* Input: it arrived in UDP (RFC 3948) from this source port. */
	bool encapped;
	__be16 encap_sport;
	/* The transform's state, then its crypto request. */
	u8 priv[] __aligned(CRYPTO_MINALIGN);
};

/*
 * What ESP and AH do differently. Offsets are from skb->data; the packet
 * is linear and private (the engine made it so) whenever one is called.
 */
struct kipsec_xform {
	u8 proto;		/* IPPROTO_ESP or IPPROTO_AH */
	u8 hdr_min;		/* bytes holding the SPI and sequence number */
#define KIPSEC_XFORM_HDR_MIN_MAX 12	/* the largest hdr_min (AH's) */
	u32 (*read_spi)(const u8 *hdr);
	/* Header bytes in front of the payload (IV and AH's ICV included). */
	u32 (*hdr_len)(const struct kipsec_sa *sa);
	/* Bytes after a @len-byte payload; false when none can be built. */
	bool (*tail_len)(const struct kipsec_sa *sa, u32 len, u32 *tail);
	/* The largest payload whose header and trailer fit in @room bytes. */
	u32 (*max_payload)(const struct kipsec_sa *sa, u32 room);
	/* Bytes of transform state and request a packet of @sa needs. */
	size_t (*priv_size)(const struct kipsec_sa *sa, u32 hdr_off);

	/*
	 * Output: writes the header at @pkt->hdr_off and the last @tail bytes
	 * (room made for both), before an outer header goes in front; sets
	 * @pkt->text_len.
	 */
	void (*write)(struct kipsec_pkt *pkt, u32 tail);
	/* Output, the headers final: starts the ICV or encryption. */
	enum kipsec_drop_reason (*output)(struct kipsec_pkt *pkt);
	/*
	 * Input: checks the header at @pkt->hdr_off against the packet's
	 * length; sets @pkt->seq (its low 32 bits), hdr_len, text_len and,
	 * where the header names it, nexthdr.
	 */
	enum kipsec_drop_reason (*parse)(struct kipsec_pkt *pkt);
	/* Input, @pkt->seq complete: starts ICV check or decryption. */
	enum kipsec_drop_reason (*input)(struct kipsec_pkt *pkt);
	/*
	 * Optional, in the completion before the engine sees it: turns the
	 * crypto result into the packet's (AH: ICV copied or compared).
	 */
	int (*complete)(struct kipsec_pkt *pkt, int err);
	/*
	 * Optional, input, after the ICV and the replay window: sets
	 * @pkt->text_len to the payload's length and nexthdr (ESP trailer).
	 */
	enum kipsec_drop_reason (*payload)(struct kipsec_pkt *pkt);
};

extern const struct kipsec_xform kipsec_esp_xform;
extern const struct kipsec_xform kipsec_ah_xform;

/* The transform of IP protocol @proto, or NULL. */
static inline const struct kipsec_xform *kipsec_xform_find(u8 proto)
{
	if (proto == IPPROTO_ESP)
		return &kipsec_esp_xform;
	if (proto == IPPROTO_AH)
		return &kipsec_ah_xform;
	return NULL;
}

/*
 * A packet's state for @sa's transform @xf, its header at @hdr_off; takes
 * over the caller's reference on @sa and puts @skb in flight. NULL when
 * memory is short (the caller still owns its reference).
 */
struct kipsec_pkt *kipsec_pkt_alloc(struct sk_buff *skb, struct kipsec_sa *sa,
				    const struct kipsec_xform *xf, u32 hdr_off);
/* Frees @pkt (not its skb or chain): the end of the packet's flight. */
void kipsec_pkt_free(struct kipsec_pkt *pkt);

/* The crypto API's completion callback for every transform's request. */
KIPSEC_CRYPTO_DONE(kipsec_pkt_crypto_done, data);
/* A transform submitted @pkt's request, and the call returned @err. */
void kipsec_pkt_submitted(struct kipsec_pkt *pkt, int err);

/*
 * Why a packet whose crypto failed with @err is dropped. Requests are
 * submitted without CRYPTO_TFM_REQ_MAY_BACKLOG: an engine whose queue is
 * full refuses (-ENOSPC; -EBUSY on old kernels) instead of queueing
 * without bound, and the packet is dropped, as XFRM does.
 */
static inline enum kipsec_drop_reason kipsec_crypto_drop_reason(int err)
{
	switch (err) {
	case -EBADMSG:
		return KIPSEC_DROP_INTEGRITY;
	case -EBUSY:
	case -ENOSPC:
		return KIPSEC_DROP_CRYPTO_BUSY;
	default:
		return KIPSEC_DROP_CRYPTO_ERROR;
	}
}

#endif /* KIPSEC_XFORM_H */
