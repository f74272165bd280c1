// SPDX-License-Identifier: GPL-2.0
/*
 * AH uses the integrity algorithm's hash (hmac(sha256), xcbc(aes), ...)
 * through crypto_ahash, truncated to the ICV length by the data path.
 *
 * Every ESP transform is driven through one AEAD interface: real AEADs
 * (GCM, CCM, ChaCha20-Poly1305, GMAC) by their RFC 4106/4309/7634/4543
 * templates, cipher + integrity pairs through authenc() (authencesn() with
 * ESN), and encryption-only ESP as authenc(digest_null, ...). The packet
 * code never needs to know which one it has.
 */
#include <crypto/authenc.h>
#include <crypto/hash.h>
#include <linux/moduleparam.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include "crypto.h"
#include "sad.h"
#include "extack.h"

/*
 * For testing the asynchronous path on machines whose crypto completes
 * synchronously: SAs created while this is set run their transform under
 * pcrypt, which always completes later, on another CPU's worker. (cryptd
 * would do too, but its rfc4106 instance fails the crypto self-test.)
 * pcrypt then outranks the plain driver system-wide for that algorithm.
 */
static bool force_async;
module_param(force_async, bool, 0644);
MODULE_PARM_DESC(force_async,
		 "run new SAs' crypto asynchronously through pcrypt (testing)");

/*
 * The name of @tfm's driver wrapped in @wrapper, in @name: 1 when that
 * instance is to be allocated, 0 when @tfm already is one (once
 * instantiated, the wrapper is what the plain name resolves to), or an
 * error.
 */
static int kipsec_async_name(struct crypto_tfm *tfm, const char *wrapper,
			     char *name, size_t len)
{
	const char *driver = crypto_tfm_alg_driver_name(tfm);
	size_t wlen = strlen(wrapper);

	if (!strncmp(driver, wrapper, wlen) && driver[wlen] == '(') {
		strscpy(name, driver, len);
		return 0;
	}
	if (snprintf(name, len, "%s(%s)", wrapper, driver) >= len)
		return -ENAMETOOLONG;
	return 1;
}

/* The same transform wrapped in pcrypt, by the driver it resolved to. */
static struct crypto_aead *kipsec_alloc_async(struct crypto_aead *sync,
					      char *name, size_t len)
{
	int err = kipsec_async_name(crypto_aead_tfm(sync), "pcrypt", name, len);
	struct crypto_aead *aead;

	if (!err)
		return sync;
	aead = err < 0 ? ERR_PTR(err) : crypto_alloc_aead(name, 0, 0);
	crypto_free_aead(sync);
	return aead;
}

static int kipsec_authenc_setkey(struct crypto_aead *aead,
				 const struct kipsec_sa *sa)
{
	const struct kipsec_alg_choice *c = &sa->p.algs;
	unsigned int len = RTA_SPACE(sizeof(struct crypto_authenc_key_param)) +
			   c->integ_keylen + c->encr_keylen;
	struct crypto_authenc_key_param *param;
	struct rtattr *rta;
	u8 *blob, *p;
	int err;

	blob = kzalloc(len, GFP_KERNEL);
	if (!blob)
		return -ENOMEM;
	rta = (struct rtattr *)blob;
	rta->rta_type = CRYPTO_AUTHENC_KEYA_PARAM;
	rta->rta_len = RTA_LENGTH(sizeof(*param));
	param = RTA_DATA(rta);
	param->enckeylen = cpu_to_be32(c->encr_keylen);
	p = blob + RTA_SPACE(sizeof(*param));
	memcpy(p, sa->integ_key, c->integ_keylen);
	memcpy(p + c->integ_keylen, sa->encr_key, c->encr_keylen);
	err = crypto_aead_setkey(aead, blob, len);
	kfree_sensitive(blob);
	return err;
}

/*
 * The same hash run by cryptd, which always completes later from its
 * worker (the ahash counterpart of pcrypt for force_async).
 */
static struct crypto_ahash *kipsec_alloc_async_hash(struct crypto_ahash *sync,
						    char *name, size_t len)
{
	int err = kipsec_async_name(crypto_ahash_tfm(sync), "cryptd", name,
				    len);
	struct crypto_ahash *ahash;

	if (!err)
		return sync;
	ahash = err < 0 ? ERR_PTR(err) : crypto_alloc_ahash(name, 0, 0);
	crypto_free_ahash(sync);
	return ahash;
}

/* AES-GMAC in AH (RFC 4543): the AEAD, authenticating only. */
static int kipsec_ah_gmac_init(struct kipsec_sa *sa,
			       const struct kipsec_alg *integ,
			       struct netlink_ext_ack *extack)
{
	char name[CRYPTO_MAX_ALG_NAME], msg[CRYPTO_MAX_ALG_NAME + 64];
	struct crypto_aead *aead;
	int err;

	strscpy(name, integ->crypto, sizeof(name));
	aead = crypto_alloc_aead(name, 0, 0);
	if (!IS_ERR(aead) && READ_ONCE(force_async))
		aead = kipsec_alloc_async(aead, name, sizeof(name));
	if (IS_ERR(aead)) {
		snprintf(msg, sizeof(msg),
			 "the kernel's crypto API has no %s (is its module available?)",
			 name);
		kipsec_extack(extack, msg);
		return PTR_ERR(aead);
	}
	/* The key ends with the 4-byte salt, as the template wants it. */
	err = crypto_aead_setkey(aead, sa->integ_key, sa->p.algs.integ_keylen);
	if (!err)
		err = crypto_aead_setauthsize(aead, integ->icv_len);
	if (!err && crypto_aead_ivsize(aead) != integ->iv_len)
		err = -EINVAL;
	if (err) {
		snprintf(msg, sizeof(msg), "%s refused the key or ICV size", name);
		kipsec_extack(extack, msg);
		crypto_free_aead(aead);
		return err;
	}
	sa->aead = aead;
	sa->icv_len = integ->icv_len;
	sa->iv_len = integ->iv_len;
	return 0;
}

static int kipsec_ah_crypto_init(struct kipsec_sa *sa,
				 struct netlink_ext_ack *extack)
{
	const struct kipsec_alg_choice *c = &sa->p.algs;
	const struct kipsec_alg *integ = kipsec_integ_by_id(c->integ_id);
	char name[CRYPTO_MAX_ALG_NAME], msg[CRYPTO_MAX_ALG_NAME + 64];
	struct crypto_ahash *ahash;
	int err;

	if (integ->iv_len)
		return kipsec_ah_gmac_init(sa, integ, extack);
	strscpy(name, integ->crypto, sizeof(name));
	ahash = crypto_alloc_ahash(name, 0, 0);
	if (!IS_ERR(ahash) && READ_ONCE(force_async))
		ahash = kipsec_alloc_async_hash(ahash, name, sizeof(name));
	if (IS_ERR(ahash)) {
		snprintf(msg, sizeof(msg),
			 "the kernel's crypto API has no %s (is its module available?)",
			 name);
		kipsec_extack(extack, msg);
		return PTR_ERR(ahash);
	}
	err = crypto_ahash_setkey(ahash, sa->integ_key, c->integ_keylen);
	if (!err && crypto_ahash_digestsize(ahash) < integ->icv_len)
		err = -EINVAL;
	if (err) {
		snprintf(msg, sizeof(msg), "%s refused the key or ICV size", name);
		kipsec_extack(extack, msg);
		crypto_free_ahash(ahash);
		return err;
	}
	sa->ahash = ahash;
	sa->icv_len = integ->icv_len;
	sa->iv_len = 0;
	return 0;
}

int kipsec_sa_crypto_init(struct kipsec_sa *sa, struct netlink_ext_ack *extack)
{
	const struct kipsec_alg_choice *c = &sa->p.algs;
	const struct kipsec_alg *encr, *integ = NULL;
	bool esn = sa->p.flags & KIPSEC_SA_F_ESN;
	char name[CRYPTO_MAX_ALG_NAME], msg[CRYPTO_MAX_ALG_NAME + 64];
	struct crypto_aead *aead;
	unsigned int icv;
	int err;

	if (sa->p.proto == IPPROTO_AH)
		return kipsec_ah_crypto_init(sa, extack);
	encr = kipsec_encr_by_id(c->encr_id);
	if (c->has_integ)
		integ = kipsec_integ_by_id(c->integ_id);
	if (encr->kind == KIPSEC_ALG_AEAD) {
		strscpy(name, encr->crypto, sizeof(name));
		icv = encr->icv_len;
	} else {
		snprintf(name, sizeof(name), "%s(%s,%s)",
			 esn ? "authencesn" : "authenc",
			 integ ? integ->crypto : "digest_null", encr->crypto);
		icv = integ ? integ->icv_len : 0;
	}

	aead = crypto_alloc_aead(name, 0, 0);
	if (!IS_ERR(aead) && READ_ONCE(force_async))
		aead = kipsec_alloc_async(aead, name, sizeof(name));
	if (IS_ERR(aead)) {
		snprintf(msg, sizeof(msg),
			 "the kernel's crypto API has no %s (is its module available?)",
			 name);
		kipsec_extack(extack, msg);
		return PTR_ERR(aead);
	}
	if (encr->kind == KIPSEC_ALG_AEAD)
		err = crypto_aead_setkey(aead, sa->encr_key, c->encr_keylen);
	else
		err = kipsec_authenc_setkey(aead, sa);
	if (!err)
		err = crypto_aead_setauthsize(aead, icv);
	if (err) {
		snprintf(msg, sizeof(msg), "%s refused the key or ICV size", name);
		kipsec_extack(extack, msg);
		crypto_free_aead(aead);
		return err;
	}
	sa->aead = aead;
	sa->icv_len = icv;
	sa->iv_len = crypto_aead_ivsize(aead);
	sa->block_len = max_t(u8, encr->block_len, 4);
	/* Counter modes need unique IVs, CBC needs unpredictable ones. */
	sa->counter_iv = encr->kind == KIPSEC_ALG_AEAD ||
			 encr->id == KIPSEC_ENCR_AES_CTR;
	return 0;
}

void kipsec_sa_crypto_free(struct kipsec_sa *sa)
{
	if (sa->aead)
		crypto_free_aead(sa->aead);
	if (sa->ahash)
		crypto_free_ahash(sa->ahash);
}
