/* SPDX-License-Identifier: GPL-2.0 */
/* The ESP transform engine shared by output and input. */
#ifndef KIPSEC_ESP_H
#define KIPSEC_ESP_H

#include <linux/scatterlist.h>
#include <crypto/aead.h>
#include "kipsec.h"
#include "esp_trailer.h"
#include "datapath.h"

/*
 * The state of one packet between handing it to the crypto API and the
 * completion, which may come later from another context. It holds a
 * reference on the SA, and the packet is in flight (datapath.h). This allocation, one per packet next to the skb,
 * is the data path's only one (the crypto request must outlive the call).
 */
struct kipsec_esp_ctx {
	struct sk_buff *skb;
	struct kipsec_sa *sa;
	struct net_device *dev;		/* held while in flight */
	struct kipsec_chain chain;	/* the SAs around this one */
	void (*done)(struct kipsec_esp_ctx *ctx, int err);
	u64 seq;
	u32 esp_off;		/* ESP header offset from skb->data */
	u32 clen;		/* plaintext bytes (payload and trailer) */
	u8 aadlen;
	u8 aad[KIPSEC_ESP_AAD_MAX_LEN];
	u8 iv[16];
	struct scatterlist sg[2];
	struct aead_request req;	/* followed by the transform's context */
};

struct kipsec_esp_ctx *kipsec_esp_ctx_alloc(struct sk_buff *skb,
					    struct kipsec_sa *sa);
void kipsec_esp_ctx_free(struct kipsec_esp_ctx *ctx);
/*
 * Runs the AEAD over the packet (IV, text, ICV from @ctx->esp_off + 8) and
 * calls @ctx->done exactly once, now or on asynchronous completion.
 */
void kipsec_esp_crypt(struct kipsec_esp_ctx *ctx, bool encrypt);

#endif /* KIPSEC_ESP_H */
