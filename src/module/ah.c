// SPDX-License-Identifier: GPL-2.0
/*
 * AH (RFC 4302) as a transform of the generic engine, with an HMAC or
 * XCBC integrity transform (crypto_ahash), or AES-GMAC (RFC 4543, the
 * rfc4543(gcm(aes)) AEAD authenticating everything and encrypting nothing;
 * its IV goes in the AH before the ICV).
 *
 * The ICV covers a muted copy of the IP header(s) before the AH (core
 * kipsec_ah4_mute() / kipsec_ah6_mute(): TTL, TOS, flow label and the
 * other fields that change in transit count as zero), then the AH with its
 * ICV bytes zeroed, then everything after the AH, and with ESN the high
 * half of the sequence number (RFC 4302 2.5.1, 3.3.3). The copy lives in
 * the packet's state, so the packet itself is never muted and restored;
 * the hash reads it and the packet through one scatterlist.
 */
#include <crypto/aead.h>
#include <crypto/algapi.h>
#include <crypto/hash.h>
#include <linux/scatterlist.h>
#include "ah.h"
#include "esp_trailer.h"
#include "xform.h"

/* The largest ICV of an AH algorithm here: HMAC-SHA2-512-256. */
#define KIPSEC_AH_ICV_MAX 32

/*
 * AH's part of a packet's state. The hash or AEAD request follows it,
 * then the muted copy of the IP headers in front of the AH.
 */
struct kipsec_ah_priv {
	u8 *hdr;			/* muted copy of skb->data[0, hdr_off) */
	void *req;			/* ahash_request, or aead_request */
	__be32 seq_hi;			/* ESN: appended to the ICV input */
	u8 icv[KIPSEC_AH_ICV_MAX];	/* input: the ICV as received */
	u8 digest[HASH_MAX_DIGESTSIZE];
	u8 iv[KIPSEC_AH_GMAC_IV_LEN];	/* GMAC only */
	struct scatterlist sg[4];
};

static struct kipsec_ah_priv *kipsec_ah_priv(struct kipsec_pkt *pkt)
{
	return (struct kipsec_ah_priv *)pkt->priv;
}

static u32 kipsec_ah_req_len(const struct kipsec_sa *sa)
{
	if (sa->ahash)
		return sizeof(struct ahash_request) +
		       crypto_ahash_reqsize(sa->ahash);
	return sizeof(struct aead_request) + crypto_aead_reqsize(sa->aead);
}

static size_t kipsec_ah_priv_size(const struct kipsec_sa *sa, u32 hdr_off)
{
	return ALIGN(sizeof(struct kipsec_ah_priv), CRYPTO_MINALIGN) +
	       kipsec_ah_req_len(sa) + hdr_off;
}

/*
 * RFC 4302 2.6 asks for a multiple of 4 bytes on IPv4 and 8 on IPv6.
 * Linux XFRM, without its "align4" SA flag (the default), accepts only
 * 8-byte-aligned AH on IPv4 too, so that is what is sent on both (4 more
 * bytes for the SHA-2 ICVs); the receive side accepts either length
 * (kipsec_ah_read_header()).
 */
static u32 kipsec_ah_hdr_len_of(const struct kipsec_sa *sa)
{
	return kipsec_ah_hdr_len(sa->iv_len, sa->icv_len, true);
}

static bool kipsec_ah_tail_len(const struct kipsec_sa *sa, u32 len, u32 *tail)
{
	*tail = 0;
	return true;
}

static u32 kipsec_ah_max_payload(const struct kipsec_sa *sa, u32 room)
{
	u32 fixed = kipsec_ah_hdr_len_of(sa);

	return room > fixed ? room - fixed : 0;
}

static u8 *kipsec_ah_icv_field(const struct kipsec_pkt *pkt)
{
	return pkt->skb->data + pkt->hdr_off + KIPSEC_AH_OFF_IV +
	       pkt->sa->iv_len;
}

/*
 * Copies the IP header(s) before the AH into the packet's state and mutes
 * them there; the packet stays as it is. Headers that cannot be muted make
 * the packet malformed.
 */
static enum kipsec_drop_reason kipsec_ah_mute_copy(struct kipsec_pkt *pkt)
{
	struct kipsec_ah_priv *p = kipsec_ah_priv(pkt);
	struct sk_buff *skb = pkt->skb;
	int err;

	p->req = (u8 *)p + ALIGN(sizeof(*p), CRYPTO_MINALIGN);
	p->hdr = (u8 *)p->req + kipsec_ah_req_len(pkt->sa);
	memcpy(p->hdr, skb->data, pkt->hdr_off);
	if (skb->protocol == htons(ETH_P_IP))
		err = kipsec_ah4_mute(p->hdr, pkt->hdr_off);
	else
		err = kipsec_ah6_mute(p->hdr, pkt->hdr_off);
	return err ? KIPSEC_DROP_MALFORMED : KIPSEC_DROP_UNSPEC;
}

/*
 * rfc4543(gcm(aes)) takes 16 or 20 bytes of associated data (ESP's SPI,
 * sequence number and IV) and authenticates the text after it as well; for
 * AH all of the ICV input is authenticated alike, so it is split there.
 */
#define KIPSEC_AH_GMAC_AD_LEN 16

/*
 * Computes the ICV over the ICV input, into the digest on output (HMAC,
 * XCBC: the full digest, to be truncated; GMAC: the tag), or on input
 * (GMAC) checks it against the received one. The AH's ICV bytes in the
 * packet must be zero.
 */
static void kipsec_ah_hash(struct kipsec_pkt *pkt)
{
	struct kipsec_ah_priv *p = kipsec_ah_priv(pkt);
	struct kipsec_sa *sa = pkt->sa;
	struct sk_buff *skb = pkt->skb;
	bool esn = sa->p.flags & KIPSEC_SA_F_ESN;
	unsigned int n = 2;
	u32 len = skb->len;

	sg_init_table(p->sg, 2 + esn + !sa->ahash);
	sg_set_buf(&p->sg[0], p->hdr, pkt->hdr_off);
	sg_set_buf(&p->sg[1], skb->data + pkt->hdr_off, skb->len - pkt->hdr_off);
	if (esn) {
		p->seq_hi = htonl(upper_32_bits(pkt->seq));
		sg_set_buf(&p->sg[n++], &p->seq_hi, sizeof(p->seq_hi));
		len += sizeof(p->seq_hi);
	}
	if (sa->ahash) {
		struct ahash_request *req = p->req;

		ahash_request_set_tfm(req, sa->ahash);
		ahash_request_set_callback(req, 0, kipsec_pkt_crypto_done, pkt);
		ahash_request_set_crypt(req, p->sg, p->digest, len);
		kipsec_pkt_submitted(pkt, crypto_ahash_digest(req));
	} else {
		struct aead_request *req = p->req;

		/* The tag goes after the text, or is read from there. */
		sg_set_buf(&p->sg[n], pkt->out ? p->digest : p->icv,
			   sa->icv_len);
		aead_request_set_tfm(req, sa->aead);
		aead_request_set_callback(req, 0, kipsec_pkt_crypto_done, pkt);
		aead_request_set_ad(req, KIPSEC_AH_GMAC_AD_LEN);
		aead_request_set_crypt(req, p->sg, p->sg,
				       len - KIPSEC_AH_GMAC_AD_LEN +
				       (pkt->out ? 0 : sa->icv_len), p->iv);
		kipsec_pkt_submitted(pkt, pkt->out ? crypto_aead_encrypt(req) :
						     crypto_aead_decrypt(req));
	}
}

static void kipsec_ah_write(struct kipsec_pkt *pkt, u32 tail)
{
	struct kipsec_ah_priv *p = kipsec_ah_priv(pkt);
	struct kipsec_sa *sa = pkt->sa;
	u8 *ah = pkt->skb->data + pkt->hdr_off;

	kipsec_ah_write_header(ah, pkt->hdr_len, pkt->nexthdr, sa->p.spi,
			       pkt->seq);
	if (sa->aead) {
		/* RFC 4543: unique per key, the sequence number (as ESP's). */
		kipsec_esp_aead_iv(p->iv, pkt->seq);
		memcpy(ah + KIPSEC_AH_OFF_IV, p->iv, sa->iv_len);
	}
	pkt->text_len = pkt->skb->len - pkt->hdr_off - pkt->hdr_len;
}

static enum kipsec_drop_reason kipsec_ah_output(struct kipsec_pkt *pkt)
{
	enum kipsec_drop_reason reason = kipsec_ah_mute_copy(pkt);

	if (!reason)
		kipsec_ah_hash(pkt);
	return reason;
}

static enum kipsec_drop_reason kipsec_ah_parse(struct kipsec_pkt *pkt)
{
	struct sk_buff *skb = pkt->skb;
	struct kipsec_ah_fields f;

	if (kipsec_ah_read_header(skb->data + pkt->hdr_off,
				  skb->len - pkt->hdr_off, pkt->sa->iv_len,
				  pkt->sa->icv_len,
				  skb->protocol == htons(ETH_P_IPV6), &f))
		return KIPSEC_DROP_MALFORMED;
	pkt->seq = f.seq;
	pkt->hdr_len = f.len;
	pkt->nexthdr = f.next_header;
	pkt->text_len = skb->len - pkt->hdr_off - f.len;
	return KIPSEC_DROP_UNSPEC;
}

static enum kipsec_drop_reason kipsec_ah_input(struct kipsec_pkt *pkt)
{
	struct kipsec_ah_priv *p = kipsec_ah_priv(pkt);
	enum kipsec_drop_reason reason = kipsec_ah_mute_copy(pkt);
	u8 *icv = kipsec_ah_icv_field(pkt);

	if (reason)
		return reason;
	memcpy(p->iv, pkt->skb->data + pkt->hdr_off + KIPSEC_AH_OFF_IV,
	       pkt->sa->iv_len);
	memcpy(p->icv, icv, pkt->sa->icv_len);
	memset(icv, 0, pkt->sa->icv_len);
	kipsec_ah_hash(pkt);
	return KIPSEC_DROP_UNSPEC;
}

/*
 * Output: the -96/-128/... algorithms send the digest's leftmost bits.
 * Input: HMAC and XCBC are compared here (GMAC compared its own tag).
 */
static int kipsec_ah_complete(struct kipsec_pkt *pkt, int err)
{
	struct kipsec_ah_priv *p = kipsec_ah_priv(pkt);
	struct kipsec_sa *sa = pkt->sa;

	if (err)
		return err;
	if (pkt->out)
		memcpy(kipsec_ah_icv_field(pkt), p->digest, sa->icv_len);
	else if (sa->ahash && crypto_memneq(p->digest, p->icv, sa->icv_len))
		return -EBADMSG;
	return 0;
}

static_assert(KIPSEC_AH_FIXED_LEN <= KIPSEC_XFORM_HDR_MIN_MAX);

const struct kipsec_xform kipsec_ah_xform = {
	.proto = IPPROTO_AH,
	.hdr_min = KIPSEC_AH_FIXED_LEN,
	.read_spi = kipsec_ah_spi,
	.hdr_len = kipsec_ah_hdr_len_of,
	.tail_len = kipsec_ah_tail_len,
	.max_payload = kipsec_ah_max_payload,
	.priv_size = kipsec_ah_priv_size,
	.write = kipsec_ah_write,
	.output = kipsec_ah_output,
	.parse = kipsec_ah_parse,
	.input = kipsec_ah_input,
	.complete = kipsec_ah_complete,
};
