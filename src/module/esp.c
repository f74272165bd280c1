// SPDX-License-Identifier: GPL-2.0
/*
 * One code path for synchronous and asynchronous crypto: the request is
 * set up once, and the completion handler runs either right away (the
 * call returned) or later (-EINPROGRESS / -EBUSY with backlog).
 */
#include <linux/slab.h>
#include "esp.h"
#include "crypto.h"

struct kipsec_esp_ctx *kipsec_esp_ctx_alloc(struct sk_buff *skb,
					    struct kipsec_sa *sa)
{
	struct kipsec_esp_ctx *ctx;

	ctx = kmalloc(sizeof(*ctx) + crypto_aead_reqsize(sa->aead), GFP_ATOMIC);
	if (!ctx)
		return NULL;
	ctx->skb = skb;
	ctx->sa = sa;
	ctx->dev = kipsec_flight_begin(sa->kn, skb);
	return ctx;
}

void kipsec_esp_ctx_free(struct kipsec_esp_ctx *ctx)
{
	kipsec_flight_free(ctx, ctx->sa, ctx->dev);
}

static void kipsec_esp_finish(void *data, int err)
{
	struct kipsec_esp_ctx *ctx = data;

	ctx->done(ctx, err);
}

static KIPSEC_CRYPTO_DONE(kipsec_esp_crypt_done, data)
{
	/* A backlogged request reports that it started; the end comes later. */
	if (err == -EINPROGRESS)
		return;
	kipsec_flight_finish(kipsec_esp_finish, KIPSEC_CRYPTO_DATA(data), err);
}

void kipsec_esp_crypt(struct kipsec_esp_ctx *ctx, bool encrypt)
{
	struct kipsec_sa *sa = ctx->sa;
	u8 *iv_in_packet = ctx->skb->data + ctx->esp_off + KIPSEC_ESP_HDR_LEN;
	u32 textlen = ctx->clen + (encrypt ? 0 : sa->icv_len);
	struct aead_request *req = &ctx->req;
	int err;

	/*
	 * The associated data is SPI and sequence number (with the ESN high
	 * half between them), kept apart from the packet so ESN needs no
	 * shuffling; the IV follows it, as the RFC 4106/4309/4543/7634 and
	 * authenc templates expect: they count it in the associated length.
	 */
	sg_init_table(ctx->sg, 2);
	sg_set_buf(&ctx->sg[0], ctx->aad, ctx->aadlen);
	sg_set_buf(&ctx->sg[1], iv_in_packet, sa->iv_len + textlen +
		   (encrypt ? sa->icv_len : 0));
	aead_request_set_tfm(req, sa->aead);
	aead_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG,
				  kipsec_esp_crypt_done, ctx);
	aead_request_set_ad(req, ctx->aadlen + sa->iv_len);
	aead_request_set_crypt(req, ctx->sg, ctx->sg, textlen, ctx->iv);

	err = encrypt ? crypto_aead_encrypt(req) : crypto_aead_decrypt(req);
	if (err == -EINPROGRESS || err == -EBUSY)
		return;
	kipsec_flight_finish(kipsec_esp_finish, ctx, err);
}
