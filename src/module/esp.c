// SPDX-License-Identifier: GPL-2.0
/*
 * ESP (RFC 4303) as a transform of the generic engine: its header, IV,
 * padding and trailer, and one AEAD request (the kernel's AEADs and the
 * authenc() pairs) that encrypts and authenticates, or verifies and
 * decrypts, in place.
 */
#include <linux/random.h>
#include <linux/scatterlist.h>
#include <crypto/aead.h>
#include "esp_trailer.h"
#include "xform.h"

/* ESP's part of a packet's state; the AEAD request's context follows. */
struct kipsec_esp_priv {
	u8 aadlen;
	u8 aad[KIPSEC_ESP_AAD_MAX_LEN];
	u8 iv[16];
	struct scatterlist sg[2];
	struct aead_request req;
};

static struct kipsec_esp_priv *kipsec_esp_priv(struct kipsec_pkt *pkt)
{
	return (struct kipsec_esp_priv *)pkt->priv;
}

static u32 kipsec_esp_read_spi(const u8 *hdr)
{
	u32 spi, seq_low;

	kipsec_esp_read_header(hdr, &spi, &seq_low);
	return spi;
}

static u32 kipsec_esp_hdr_len(const struct kipsec_sa *sa)
{
	return KIPSEC_ESP_HDR_LEN + sa->iv_len;
}

static bool kipsec_esp_tail_len(const struct kipsec_sa *sa, u32 len, u32 *tail)
{
	u32 pad;

	if (!kipsec_esp_pad_len(len, sa->block_len, &pad))
		return false;
	*tail = pad + KIPSEC_ESP_TRAILER_LEN + sa->icv_len;
	return true;
}

static u32 kipsec_esp_max_payload_of(const struct kipsec_sa *sa, u32 room)
{
	u32 fixed = kipsec_esp_hdr_len(sa) + sa->icv_len;

	return room > fixed ? kipsec_esp_max_payload(room - fixed, sa->block_len) :
			      0;
}

static size_t kipsec_esp_priv_size(const struct kipsec_sa *sa, u32 hdr_off)
{
	return sizeof(struct kipsec_esp_priv) + crypto_aead_reqsize(sa->aead);
}

/*
 * Runs the AEAD over the packet (IV, text, ICV after the ESP header) with
 * the associated data kept apart: SPI and sequence number (with the ESN
 * high half between them), so ESN needs no shuffling of the packet; the IV
 * follows it, as the RFC 4106/4309/4543/7634 and authenc templates expect
 * (they count it in the associated length).
 */
static void kipsec_esp_crypt(struct kipsec_pkt *pkt, bool encrypt)
{
	struct kipsec_esp_priv *p = kipsec_esp_priv(pkt);
	struct kipsec_sa *sa = pkt->sa;
	u8 *iv_in_packet = pkt->skb->data + pkt->hdr_off + KIPSEC_ESP_HDR_LEN;
	u32 textlen = pkt->text_len + (encrypt ? 0 : sa->icv_len);
	struct aead_request *req = &p->req;

	p->aadlen = kipsec_esp_aead_aad(p->aad, sa->p.spi, pkt->seq,
					sa->p.flags & KIPSEC_SA_F_ESN);
	sg_init_table(p->sg, 2);
	sg_set_buf(&p->sg[0], p->aad, p->aadlen);
	sg_set_buf(&p->sg[1], iv_in_packet, sa->iv_len + textlen +
		   (encrypt ? sa->icv_len : 0));
	aead_request_set_tfm(req, sa->aead);
	aead_request_set_callback(req, 0, kipsec_pkt_crypto_done, pkt);
	aead_request_set_ad(req, p->aadlen + sa->iv_len);
	aead_request_set_crypt(req, p->sg, p->sg, textlen, p->iv);
	kipsec_pkt_submitted(pkt, encrypt ? crypto_aead_encrypt(req) :
					    crypto_aead_decrypt(req));
}

static void kipsec_esp_write(struct kipsec_pkt *pkt, u32 tail)
{
	struct kipsec_esp_priv *p = kipsec_esp_priv(pkt);
	struct kipsec_sa *sa = pkt->sa;
	struct sk_buff *skb = pkt->skb;
	u8 *esp = skb->data + pkt->hdr_off;

	kipsec_esp_write_trailer(skb_tail_pointer(skb) - tail,
				 tail - KIPSEC_ESP_TRAILER_LEN - sa->icv_len,
				 pkt->nexthdr);
	kipsec_esp_write_header(esp, sa->p.spi, pkt->seq);
	if (sa->counter_iv)
		kipsec_esp_aead_iv(p->iv, pkt->seq);
	else
		get_random_bytes(p->iv, sa->iv_len);
	memcpy(esp + KIPSEC_ESP_HDR_LEN, p->iv, sa->iv_len);
	/* What is encrypted: payload, padding and the trailer's two bytes. */
	pkt->text_len = skb->len - pkt->hdr_off - pkt->hdr_len - sa->icv_len;
}

static enum kipsec_drop_reason kipsec_esp_output(struct kipsec_pkt *pkt)
{
	kipsec_esp_crypt(pkt, true);
	return KIPSEC_DROP_UNSPEC;
}

static enum kipsec_drop_reason kipsec_esp_parse(struct kipsec_pkt *pkt)
{
	struct kipsec_sa *sa = pkt->sa;
	u32 spi, seq_low;
	s64 clen;

	kipsec_esp_read_header(pkt->skb->data + pkt->hdr_off, &spi, &seq_low);
	pkt->seq = seq_low;
	pkt->hdr_len = kipsec_esp_hdr_len(sa);
	clen = (s64)pkt->skb->len - pkt->hdr_off - pkt->hdr_len - sa->icv_len;
	if (clen < KIPSEC_ESP_TRAILER_LEN || clen % sa->block_len)
		return KIPSEC_DROP_MALFORMED;
	pkt->text_len = (u32)clen;
	return KIPSEC_DROP_UNSPEC;
}

static enum kipsec_drop_reason kipsec_esp_input(struct kipsec_pkt *pkt)
{
	memcpy(kipsec_esp_priv(pkt)->iv,
	       pkt->skb->data + pkt->hdr_off + KIPSEC_ESP_HDR_LEN,
	       pkt->sa->iv_len);
	kipsec_esp_crypt(pkt, false);
	return KIPSEC_DROP_UNSPEC;
}

static enum kipsec_drop_reason kipsec_esp_payload(struct kipsec_pkt *pkt)
{
	const u8 *plain = pkt->skb->data + pkt->hdr_off + pkt->hdr_len;
	u32 payload_len;
	u8 nexthdr;

	switch (kipsec_esp_parse_trailer(plain, pkt->text_len, &payload_len,
					 &nexthdr)) {
	case KIPSEC_ESP_TRAILER_OK:
		pkt->text_len = payload_len;
		pkt->nexthdr = nexthdr;
		return KIPSEC_DROP_UNSPEC;
	case KIPSEC_ESP_TRAILER_DUMMY:
		return KIPSEC_DROP_DUMMY;
	case KIPSEC_ESP_TRAILER_BAD_PADDING:
	case KIPSEC_ESP_TRAILER_TRUNCATED:
		/* parse() saw 2 bytes or more: a pad length beyond them. */
		return KIPSEC_DROP_BAD_PADDING;
	}
	return KIPSEC_DROP_MALFORMED;
}

static_assert(KIPSEC_ESP_HDR_LEN <= KIPSEC_XFORM_HDR_MIN_MAX);

const struct kipsec_xform kipsec_esp_xform = {
	.proto = IPPROTO_ESP,
	.hdr_min = KIPSEC_ESP_HDR_LEN,
	.read_spi = kipsec_esp_read_spi,
	.hdr_len = kipsec_esp_hdr_len,
	.tail_len = kipsec_esp_tail_len,
	.max_payload = kipsec_esp_max_payload_of,
	.priv_size = kipsec_esp_priv_size,
	.write = kipsec_esp_write,
	.output = kipsec_esp_output,
	.parse = kipsec_esp_parse,
	.input = kipsec_esp_input,
	.payload = kipsec_esp_payload,
};
