// SPDX-License-Identifier: GPL-2.0
/*
 * AH (RFC 4302) in transport and tunnel mode, IPv4 and IPv6, with an HMAC
 * or XCBC integrity transform (crypto_ahash), or AES-GMAC (RFC 4543, the
 * rfc4543(gcm(aes)) AEAD authenticating everything and encrypting nothing;
 * its IV goes in the AH before the ICV).
 *
 * The ICV covers a muted copy of the IP header(s) before the AH (core
 * kipsec_ah4_mute() / kipsec_ah6_mute(): TTL, TOS, flow label and the
 * other fields that change in transit count as zero), then the AH with its
 * ICV bytes zeroed, then everything after the AH, and with ESN the high
 * half of the sequence number (RFC 4302 2.5.1, 3.3.3). The copy lives in
 * the per-packet context, so the packet itself is never muted and
 * restored; the hash reads it and the packet through one scatterlist.
 *
 * Like ESP, one code path serves synchronous and asynchronous hashes: the
 * completion handler runs either right away or from the crypto API later,
 * with the route held (skb_dst_force) and the packet counted in flight.
 */
#include <crypto/aead.h>
#include <crypto/algapi.h>
#include <crypto/hash.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <net/dsfield.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include "ah.h"
#include "crypto.h"
#include "datapath.h"
#include "esp_trailer.h"

/* The largest ICV of an AH algorithm here: HMAC-SHA2-512-256. */
#define KIPSEC_AH_ICV_MAX 32

/*
 * One packet between handing it to the hash and the completion. Holds a
 * reference on the SA, and the packet is in flight (datapath.h); the data path's one allocation per packet, like
 * ESP's (the request must outlive the call). The muted copy of the IP
 * headers follows the request's context.
 */
struct kipsec_ah_ctx {
	struct sk_buff *skb;
	struct kipsec_sa *sa;
	struct net_device *dev;		/* held while in flight */
	struct kipsec_chain chain;	/* the SAs around this one */
	void (*done)(struct kipsec_ah_ctx *ctx, int err);
	u8 *hdr;			/* muted copy of skb->data[0, ah_off) */
	u64 seq;
	u32 ah_off;			/* AH offset from skb->data */
	u32 ah_len;			/* the whole AH, padding included */
	u8 nexthdr;			/* input: the AH's Next Header */
	__be32 seq_hi;			/* ESN: appended to the ICV input */
	u8 icv[KIPSEC_AH_ICV_MAX];	/* input: the ICV as received */
	u8 digest[HASH_MAX_DIGESTSIZE];
	u8 iv[KIPSEC_AH_GMAC_IV_LEN];	/* GMAC only */
	struct scatterlist sg[4];
	/* ahash_request, or aead_request for GMAC, after this structure */
	void *req;
};

static struct kipsec_ah_ctx *kipsec_ah_ctx_alloc(struct sk_buff *skb,
						 struct kipsec_sa *sa,
						 u32 hdr_len)
{
	size_t head = ALIGN(sizeof(struct kipsec_ah_ctx), CRYPTO_MINALIGN);
	unsigned int reqlen;
	struct kipsec_ah_ctx *ctx;

	if (sa->ahash)
		reqlen = sizeof(struct ahash_request) +
			 crypto_ahash_reqsize(sa->ahash);
	else
		reqlen = sizeof(struct aead_request) +
			 crypto_aead_reqsize(sa->aead);
	ctx = kmalloc(head + reqlen + hdr_len, GFP_ATOMIC);
	if (!ctx)
		return NULL;
	ctx->skb = skb;
	ctx->sa = sa;
	ctx->req = (u8 *)ctx + head;
	ctx->hdr = (u8 *)ctx->req + reqlen;
	ctx->dev = kipsec_flight_begin(sa->kn, skb);
	return ctx;
}

static void kipsec_ah_ctx_free(struct kipsec_ah_ctx *ctx)
{
	kipsec_flight_free(ctx, ctx->sa, ctx->dev);
}

static void kipsec_ah_finish(void *data, int err)
{
	struct kipsec_ah_ctx *ctx = data;

	ctx->done(ctx, err);
}

static KIPSEC_CRYPTO_DONE(kipsec_ah_hash_done, data)
{
	/* A backlogged request reports that it started; the end comes later. */
	if (err == -EINPROGRESS)
		return;
	kipsec_flight_finish(kipsec_ah_finish, KIPSEC_CRYPTO_DATA(data), err);
}

/*
 * Copies the IP header(s) before the AH into the context and mutes them
 * there; the packet stays as it is. Returns 0 or -EINVAL/-EOPNOTSUPP for
 * headers that cannot be muted (the packet is dropped as malformed).
 */
static int kipsec_ah_mute_copy(struct kipsec_ah_ctx *ctx)
{
	struct sk_buff *skb = ctx->skb;

	memcpy(ctx->hdr, skb->data, ctx->ah_off);
	if (skb->protocol == htons(ETH_P_IP))
		return kipsec_ah4_mute(ctx->hdr, ctx->ah_off);
	return kipsec_ah6_mute(ctx->hdr, ctx->ah_off);
}

/*
 * rfc4543(gcm(aes)) takes 16 or 20 bytes of associated data (ESP's SPI,
 * sequence number and IV) and authenticates the text after it as well; for
 * AH all of the ICV input is authenticated alike, so it is split there.
 */
#define KIPSEC_AH_GMAC_AD_LEN 16

/*
 * Computes the ICV over the ICV input, into ctx->digest when @out (HMAC,
 * XCBC: the full digest, to be truncated; GMAC: the tag), or for GMAC on
 * input checks it against ctx->icv (-EBADMSG when it differs). Calls
 * ctx->done exactly once, now or on asynchronous completion. The AH's ICV
 * bytes in the packet must be zero.
 */
static void kipsec_ah_hash(struct kipsec_ah_ctx *ctx, bool out)
{
	struct kipsec_sa *sa = ctx->sa;
	struct sk_buff *skb = ctx->skb;
	bool esn = sa->p.flags & KIPSEC_SA_F_ESN;
	unsigned int n = 2;
	u32 len = skb->len;
	int err;

	sg_init_table(ctx->sg, 2 + esn + !sa->ahash);
	sg_set_buf(&ctx->sg[0], ctx->hdr, ctx->ah_off);
	sg_set_buf(&ctx->sg[1], skb->data + ctx->ah_off, skb->len - ctx->ah_off);
	if (esn) {
		ctx->seq_hi = htonl(upper_32_bits(ctx->seq));
		sg_set_buf(&ctx->sg[n++], &ctx->seq_hi, sizeof(ctx->seq_hi));
		len += sizeof(ctx->seq_hi);
	}
	if (sa->ahash) {
		struct ahash_request *req = ctx->req;

		ahash_request_set_tfm(req, sa->ahash);
		ahash_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG,
					   kipsec_ah_hash_done, ctx);
		ahash_request_set_crypt(req, ctx->sg, ctx->digest, len);
		err = crypto_ahash_digest(req);
	} else {
		struct aead_request *req = ctx->req;

		/* The tag goes after the text, or is read from there. */
		sg_set_buf(&ctx->sg[n], out ? ctx->digest : ctx->icv,
			   sa->icv_len);
		aead_request_set_tfm(req, sa->aead);
		aead_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG,
					  kipsec_ah_hash_done, ctx);
		aead_request_set_ad(req, KIPSEC_AH_GMAC_AD_LEN);
		aead_request_set_crypt(req, ctx->sg, ctx->sg,
				       len - KIPSEC_AH_GMAC_AD_LEN +
				       (out ? 0 : sa->icv_len), ctx->iv);
		err = out ? crypto_aead_encrypt(req) : crypto_aead_decrypt(req);
	}
	if (err == -EINPROGRESS || err == -EBUSY)
		return;
	kipsec_flight_finish(kipsec_ah_finish, ctx, err);
}

static u8 *kipsec_ah_icv_field(const struct kipsec_ah_ctx *ctx)
{
	return ctx->skb->data + ctx->ah_off + KIPSEC_AH_OFF_IV +
	       ctx->sa->iv_len;
}

static void kipsec_ah_output_done(struct kipsec_ah_ctx *ctx, int err)
{
	struct kipsec_sa *sa = ctx->sa;
	struct sk_buff *skb = ctx->skb;

	if (err) {
		kipsec_chain_put(&ctx->chain);
		kipsec_out_drop(sa->kn, skb, KIPSEC_DROP_CRYPTO_ERROR);
	} else {
		/* The -96/-128/... algorithms send the leftmost bits. */
		memcpy(kipsec_ah_icv_field(ctx), ctx->digest, sa->icv_len);
		kipsec_count_out(sa, skb->len - ctx->ah_off - ctx->ah_len);
		kipsec_out_next(sa->kn, skb, &ctx->chain);
	}
	kipsec_ah_ctx_free(ctx);
}

/*
 * Builds one AH packet from @skb with @chain's next SA and has its ICV
 * computed. Consumes @skb and the chain's references.
 */
void kipsec_ah_output(struct kipsec_net *kn, struct sk_buff *skb,
		      struct kipsec_chain *chain)
{
	struct kipsec_sa *sa = chain->sa[chain->next];
	bool tunnel = sa->p.mode == KIPSEC_MODE_TUNNEL;
	bool v4 = skb->protocol == htons(ETH_P_IP);
	enum kipsec_drop_reason reason;
	u32 hlen, ah_len, ah_off, outer = 0, nexthdr_off = 0;
	u8 nexthdr, inner_tos, *nexthdr_field;
	struct kipsec_ah_ctx *ctx;
	bool inner_df = true;
	int off;
	u64 seq;
	bool ok;

	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
		goto drop_nomem;
	spin_lock_bh(&sa->lock);
	ok = kipsec_replay_next_out(&sa->seq_out, sa->p.flags & KIPSEC_SA_F_ESN,
				    &seq);
	spin_unlock_bh(&sa->lock);
	if (!ok) {
		reason = KIPSEC_DROP_SEQ_EXHAUSTED;
		goto drop;
	}
	/* One linear, private buffer: the hash reads it through one entry. */
	if (skb_linearize_cow(skb))
		goto drop_nomem;
	if (v4) {
		hlen = ip_hdrlen(skb);
		nexthdr = ip_hdr(skb)->protocol;
		inner_tos = ip_hdr(skb)->tos;
		inner_df = ip_hdr(skb)->frag_off & htons(IP_DF);
	} else {
		/* RFC 4302 3.1.1: AH goes where ESP does (see output.c). */
		off = ip6_find_1stfragopt(skb, &nexthdr_field);
		if (off < 0) {
			reason = KIPSEC_DROP_MALFORMED;
			goto drop;
		}
		hlen = off;
		nexthdr = *nexthdr_field;
		nexthdr_off = nexthdr_field - skb_network_header(skb);
		inner_tos = ipv6_get_dsfield(ipv6_hdr(skb));
	}
	if (tunnel) {
		nexthdr = v4 ? IPPROTO_IPIP : IPPROTO_IPV6;
		outer = sa->p.family == KIPSEC_AF_INET ? sizeof(struct iphdr) :
							 sizeof(struct ipv6hdr);
		hlen = 0;
	}
	/*
	 * RFC 4302 2.6 asks for a multiple of 4 bytes on IPv4 and 8 on IPv6.
	 * Linux XFRM, without its "align4" SA flag (the default), accepts
	 * only 8-byte-aligned AH on IPv4 too, so that is what is sent on
	 * both (4 more bytes for the SHA-2 ICVs); the receive side accepts
	 * either length (kipsec_ah_read_header()).
	 */
	ah_len = kipsec_ah_hdr_len(sa->iv_len, sa->icv_len, true);
	if (skb_headroom(skb) < ah_len + outer + LL_MAX_HEADER &&
	    pskb_expand_head(skb, ah_len + outer + LL_MAX_HEADER, 0,
			     GFP_ATOMIC))
		goto drop_nomem;
	if (tunnel && kipsec_route_outer(dev_net(skb_dst(skb)->dev), skb, sa,
					 IPPROTO_AH)) {
		reason = KIPSEC_DROP_NO_ROUTE;
		goto drop;
	}

	ah_off = kipsec_open_gap(skb, hlen, ah_len);
	kipsec_ah_write_header(skb->data + ah_off, ah_len, nexthdr, sa->p.spi,
			       seq);
	/* The headers in front get their final lengths before muting. */
	if (tunnel) {
		kipsec_push_outer(dev_net(skb_dst(skb)->dev), skb, sa,
				  IPPROTO_AH, inner_tos, !v4, inner_df);
		ah_off = outer;
	} else if (v4) {
		ip_hdr(skb)->protocol = IPPROTO_AH;
		ip_hdr(skb)->tot_len = htons(skb->len);
	} else {
		skb->data[nexthdr_off] = IPPROTO_AH;
		ipv6_hdr(skb)->payload_len =
			htons(skb->len - sizeof(struct ipv6hdr));
	}

	ctx = kipsec_ah_ctx_alloc(skb, sa, ah_off);
	if (!ctx)
		goto drop_nomem;
	/* The SA's reference moves to ctx->sa, the rest stay in the chain. */
	ctx->chain = *chain;
	ctx->chain.next++;
	ctx->seq = seq;
	ctx->ah_off = ah_off;
	ctx->ah_len = ah_len;
	if (sa->aead) {
		/* RFC 4543: unique per key, the sequence number (see ESP's). */
		kipsec_esp_aead_iv(ctx->iv, seq);
		memcpy(skb->data + ah_off + KIPSEC_AH_OFF_IV, ctx->iv,
		       sa->iv_len);
	}
	if (kipsec_ah_mute_copy(ctx)) {
		kipsec_chain_put(&ctx->chain);
		kipsec_out_drop(kn, skb, KIPSEC_DROP_MALFORMED);
		kipsec_ah_ctx_free(ctx);
		return;
	}
	skb_set_transport_header(skb, ah_off);
	skb_dst_force(skb);
	ctx->done = kipsec_ah_output_done;
	kipsec_ah_hash(ctx, true);
	return;

drop_nomem:
	reason = KIPSEC_DROP_NO_MEMORY;
drop:
	kipsec_chain_put(chain);
	kipsec_out_drop(kn, skb, reason);
}

static void kipsec_ah_input_done(struct kipsec_ah_ctx *ctx, int err)
{
	struct kipsec_sa *sa = ctx->sa;
	struct sk_buff *skb = ctx->skb;
	enum kipsec_drop_reason reason = KIPSEC_DROP_UNSPEC;
	enum kipsec_replay_result replay = KIPSEC_REPLAY_OK;
	u32 payload_len;

	if (err) {
		/* GMAC reports a wrong tag itself. */
		reason = err == -EBADMSG ? KIPSEC_DROP_INTEGRITY :
					   KIPSEC_DROP_CRYPTO_ERROR;
		goto drop;
	}
	if (sa->ahash && crypto_memneq(ctx->digest, ctx->icv, sa->icv_len)) {
		reason = KIPSEC_DROP_INTEGRITY;
		goto drop;
	}
	/* Only now, with the ICV verified, may the window move. */
	if (sa->replay) {
		spin_lock_bh(&sa->lock);
		replay = kipsec_replay_advance(sa->replay, ctx->seq);
		spin_unlock_bh(&sa->lock);
	}
	if (replay != KIPSEC_REPLAY_OK) {
		reason = KIPSEC_DROP_REPLAY;
		goto drop;
	}

	payload_len = skb->len - ctx->ah_off - ctx->ah_len;
	kipsec_count_in(sa, payload_len);
	if (sa->p.mode == KIPSEC_MODE_TUNNEL)
		reason = kipsec_strip_tunnel(skb, ctx->ah_off, ctx->ah_len,
					     payload_len, ctx->nexthdr);
	else
		kipsec_strip_transport(skb, ctx->ah_off, ctx->ah_len,
				       payload_len, ctx->nexthdr);
	if (reason)
		goto drop;
	/* The chain keeps the SA until the policy check; ctx drops its ref. */
	refcount_inc(&sa->ref);
	ctx->chain.sa[ctx->chain.n++] = sa;
	kipsec_in_next(sa->kn, skb, &ctx->chain);
	kipsec_ah_ctx_free(ctx);
	return;
drop:
	kipsec_chain_put(&ctx->chain);
	kipsec_in_drop_sa(sa, skb, reason);
	kipsec_ah_ctx_free(ctx);
}

/*
 * An AH packet for this host, AH at @off; @chain holds the SAs of the
 * headers removed before. Consumes @skb and @chain's references.
 */
void kipsec_ah_input(struct kipsec_net *kn, struct sk_buff *skb, u32 off,
		     struct kipsec_chain *chain)
{
	enum kipsec_replay_result replay = KIPSEC_REPLAY_OK;
	struct kipsec_sa_id id = { .proto = IPPROTO_AH };
	bool v6 = skb->protocol == htons(ETH_P_IPV6);
	enum kipsec_drop_reason reason;
	struct kipsec_ah_fields f;
	struct kipsec_ah_ctx *ctx;
	struct kipsec_sa *sa;
	u8 *icv;
	u64 seq;

	if (!pskb_may_pull(skb, off + KIPSEC_AH_FIXED_LEN)) {
		kipsec_chain_put(chain);
		kipsec_in_drop(kn, skb, KIPSEC_DROP_MALFORMED);
		return;
	}
	id.spi = kipsec_ah_spi(skb->data + off);
	if (v6) {
		id.family = KIPSEC_AF_INET6;
		memcpy(id.dst.b, &ipv6_hdr(skb)->daddr, 16);
	} else {
		id.family = KIPSEC_AF_INET;
		memcpy(id.dst.b, &ip_hdr(skb)->daddr, 4);
	}
	sa = kipsec_sa_lookup(kn, &id);
	if (!sa || !kipsec_sa_ready(sa) || !kipsec_sa_hold(sa)) {
		kipsec_chain_put(chain);
		kipsec_in_drop(kn, skb, KIPSEC_DROP_NO_SA_IN);
		return;
	}
	/* The ICV bytes are zeroed in place for the hash: ours and linear. */
	if (skb_linearize_cow(skb)) {
		reason = KIPSEC_DROP_NO_MEMORY;
		goto drop;
	}
	if (kipsec_ah_read_header(skb->data + off, skb->len - off, sa->iv_len,
				  sa->icv_len, v6, &f)) {
		reason = KIPSEC_DROP_MALFORMED;
		goto drop;
	}
	/* Checked before the ICV (cheap), advanced only after it. */
	if (sa->replay) {
		spin_lock_bh(&sa->lock);
		replay = kipsec_replay_check(sa->replay, f.seq, &seq);
		spin_unlock_bh(&sa->lock);
	} else {
		seq = f.seq;
	}
	if (replay != KIPSEC_REPLAY_OK) {
		reason = KIPSEC_DROP_REPLAY;
		goto drop;
	}
	ctx = kipsec_ah_ctx_alloc(skb, sa, off);
	if (!ctx) {
		reason = KIPSEC_DROP_NO_MEMORY;
		goto drop;
	}
	ctx->chain = *chain;
	ctx->seq = seq;
	ctx->ah_off = off;
	ctx->ah_len = f.len;
	ctx->nexthdr = f.next_header;
	if (kipsec_ah_mute_copy(ctx)) {
		kipsec_chain_put(&ctx->chain);
		kipsec_in_drop_sa(sa, skb, KIPSEC_DROP_MALFORMED);
		kipsec_ah_ctx_free(ctx);
		return;
	}
	memcpy(ctx->iv, skb->data + off + KIPSEC_AH_OFF_IV, sa->iv_len);
	icv = kipsec_ah_icv_field(ctx);
	memcpy(ctx->icv, icv, sa->icv_len);
	memset(icv, 0, sa->icv_len);
	skb_dst_force(skb);
	ctx->done = kipsec_ah_input_done;
	kipsec_ah_hash(ctx, false);
	return;
drop:
	kipsec_chain_put(chain);
	kipsec_in_drop_sa(sa, skb, reason);
	kipsec_sa_put(sa);
}
