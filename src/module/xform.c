// SPDX-License-Identifier: GPL-2.0
/*
 * The per-packet plumbing every transform shares: the packet's state and
 * flight, and one completion path for synchronous and asynchronous crypto.
 */
#include <linux/slab.h>
#include "xform.h"

void kipsec_chain_put(struct kipsec_chain *chain)
{
	while (chain->next < chain->n)
		kipsec_sa_put(chain->sa[chain->next++]);
}

struct kipsec_pkt *kipsec_pkt_alloc(struct sk_buff *skb, struct kipsec_sa *sa,
				    const struct kipsec_xform *xf, u32 hdr_off)
{
	struct kipsec_pkt *pkt;

	pkt = kmalloc(sizeof(*pkt) + xf->priv_size(sa, hdr_off), GFP_ATOMIC);
	if (!pkt)
		return NULL;
	pkt->skb = skb;
	pkt->sa = sa;
	pkt->xf = xf;
	pkt->hdr_off = hdr_off;
	pkt->dev = kipsec_flight_begin(sa->kn, skb);
	return pkt;
}

void kipsec_pkt_free(struct kipsec_pkt *pkt)
{
	kipsec_flight_free(pkt, pkt->sa, pkt->dev);
}

static void kipsec_pkt_finish(void *data, int err)
{
	struct kipsec_pkt *pkt = data;

	if (pkt->xf->complete)
		err = pkt->xf->complete(pkt, err);
	pkt->done(pkt, err);
}

KIPSEC_CRYPTO_DONE(kipsec_pkt_crypto_done, data)
{
	kipsec_flight_finish(kipsec_pkt_finish, KIPSEC_CRYPTO_DATA(data), err);
}

void kipsec_pkt_submitted(struct kipsec_pkt *pkt, int err)
{
	/* Queued: the callback reports the end. */
	if (err == -EINPROGRESS)
		return;
	kipsec_flight_finish(kipsec_pkt_finish, pkt, err);
}
