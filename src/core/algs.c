// SPDX-License-Identifier: GPL-2.0
/* The algorithm table and the rules for combining transforms in an SA. */
#include "algs.h"
#include <linux/kipsec.h>

#define IPPROTO_ESP_NUM 50
#define IPPROTO_AH_NUM 51

static const struct kipsec_alg kipsec_encr_algs[] = {
	{ "aes-gcm-16", KIPSEC_ENCR_AES_GCM_16, KIPSEC_ALG_AEAD, { 128, 192, 256 },
	  4, 16, 8, 4, false, false, "rfc4106(gcm(aes))" },
	{ "aes-gcm-12", KIPSEC_ENCR_AES_GCM_12, KIPSEC_ALG_AEAD, { 128, 192, 256 },
	  4, 12, 8, 4, false, false, "rfc4106(gcm(aes))" },
	{ "aes-gcm-8", KIPSEC_ENCR_AES_GCM_8, KIPSEC_ALG_AEAD, { 128, 192, 256 },
	  4, 8, 8, 4, false, false, "rfc4106(gcm(aes))" },
	{ "chacha20-poly1305", KIPSEC_ENCR_CHACHA20_POLY1305, KIPSEC_ALG_AEAD,
	  { 256 }, 4, 16, 8, 4, false, false, "rfc7539esp(chacha20,poly1305)" },
	{ "aes-ccm-16", KIPSEC_ENCR_AES_CCM_16, KIPSEC_ALG_AEAD, { 128, 192, 256 },
	  3, 16, 8, 4, false, false, "rfc4309(ccm(aes))" },
	{ "aes-ccm-12", KIPSEC_ENCR_AES_CCM_12, KIPSEC_ALG_AEAD, { 128, 192, 256 },
	  3, 12, 8, 4, false, false, "rfc4309(ccm(aes))" },
	{ "aes-ccm-8", KIPSEC_ENCR_AES_CCM_8, KIPSEC_ALG_AEAD, { 128, 192, 256 },
	  3, 8, 8, 4, false, false, "rfc4309(ccm(aes))" },
	{ "aes-gmac", KIPSEC_ENCR_NULL_AUTH_AES_GMAC, KIPSEC_ALG_AEAD,
	  { 128, 192, 256 }, 4, 16, 8, 4, false, false, "rfc4543(gcm(aes))" },
	{ "aes-cbc", KIPSEC_ENCR_AES_CBC, KIPSEC_ALG_CIPHER, { 128, 192, 256 },
	  0, 0, 16, 16, false, false, "cbc(aes)" },
	{ "aes-ctr", KIPSEC_ENCR_AES_CTR, KIPSEC_ALG_CIPHER, { 128, 192, 256 },
	  4, 0, 8, 4, false, false, "rfc3686(ctr(aes))" },
	{ "null", KIPSEC_ENCR_NULL, KIPSEC_ALG_CIPHER, { 0 },
	  0, 0, 0, 4, false, false, "ecb(cipher_null)" },
	{ "3des-cbc", KIPSEC_ENCR_3DES, KIPSEC_ALG_CIPHER, { 192 },
	  0, 0, 8, 8, true, false, "cbc(des3_ede)" },
};

static const struct kipsec_alg kipsec_integ_algs[] = {
	{ "hmac-sha256", KIPSEC_AUTH_HMAC_SHA2_256_128, KIPSEC_ALG_INTEG, { 256 },
	  0, 16, 0, 0, false, false, "hmac(sha256)" },
	{ "hmac-sha384", KIPSEC_AUTH_HMAC_SHA2_384_192, KIPSEC_ALG_INTEG, { 384 },
	  0, 24, 0, 0, false, false, "hmac(sha384)" },
	{ "hmac-sha512", KIPSEC_AUTH_HMAC_SHA2_512_256, KIPSEC_ALG_INTEG, { 512 },
	  0, 32, 0, 0, false, false, "hmac(sha512)" },
	{ "hmac-sha1", KIPSEC_AUTH_HMAC_SHA1_96, KIPSEC_ALG_INTEG, { 160 },
	  0, 12, 0, 0, false, false, "hmac(sha1)" },
	{ "aes-xcbc-mac", KIPSEC_AUTH_AES_XCBC_96, KIPSEC_ALG_INTEG, { 128 },
	  0, 12, 0, 0, false, false, "xcbc(aes)" },
	{ "aes-gmac", KIPSEC_AUTH_AES_128_GMAC, KIPSEC_ALG_INTEG, { 128 },
	  4, 16, 8, 0, false, true, "rfc4543(gcm(aes))" },
	{ "aes-gmac", KIPSEC_AUTH_AES_192_GMAC, KIPSEC_ALG_INTEG, { 192 },
	  4, 16, 8, 0, false, true, "rfc4543(gcm(aes))" },
	{ "aes-gmac", KIPSEC_AUTH_AES_256_GMAC, KIPSEC_ALG_INTEG, { 256 },
	  4, 16, 8, 0, false, true, "rfc4543(gcm(aes))" },
	{ "hmac-md5", KIPSEC_AUTH_HMAC_MD5_96, KIPSEC_ALG_INTEG, { 128 },
	  0, 12, 0, 0, true, false, "hmac(md5)" },
};

#define N_ENCR (sizeof(kipsec_encr_algs) / sizeof(kipsec_encr_algs[0]))
#define N_INTEG (sizeof(kipsec_integ_algs) / sizeof(kipsec_integ_algs[0]))

const struct kipsec_alg *kipsec_encr_at(unsigned int i)
{
	return i < N_ENCR ? &kipsec_encr_algs[i] : NULL;
}

const struct kipsec_alg *kipsec_integ_at(unsigned int i)
{
	return i < N_INTEG ? &kipsec_integ_algs[i] : NULL;
}

const struct kipsec_alg *kipsec_encr_by_id(u16 id)
{
	unsigned int i;

	for (i = 0; i < N_ENCR; i++)
		if (kipsec_encr_algs[i].id == id)
			return &kipsec_encr_algs[i];
	return NULL;
}

const struct kipsec_alg *kipsec_integ_by_id(u16 id)
{
	unsigned int i;

	for (i = 0; i < N_INTEG; i++)
		if (kipsec_integ_algs[i].id == id)
			return &kipsec_integ_algs[i];
	return NULL;
}

static bool kipsec_alg_keylen_ok(const struct kipsec_alg *a, u32 keylen)
{
	unsigned int i;

	for (i = 0; i < 3 && (i == 0 || a->key_bits[i]); i++)
		if (keylen == a->key_bits[i] / 8u + a->salt_len)
			return true;
	return false;
}

const struct kipsec_alg *kipsec_encr_by_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < N_ENCR; i++)
		if (!strcmp(kipsec_encr_algs[i].name, name))
			return &kipsec_encr_algs[i];
	return NULL;
}

const struct kipsec_alg *kipsec_integ_by_name(const char *name, u32 keylen)
{
	const struct kipsec_alg *first = NULL;
	unsigned int i;

	for (i = 0; i < N_INTEG; i++) {
		const struct kipsec_alg *a = &kipsec_integ_algs[i];

		if (strcmp(a->name, name))
			continue;
		if (!keylen || kipsec_alg_keylen_ok(a, keylen))
			return a;
		if (!first)
			first = a;
	}
	return first;
}

/* "a 128-, 192- or 256-bit key" */
static int kipsec_alg_describe_key(const struct kipsec_alg *a, char *buf,
				   size_t len)
{
	if (!a->key_bits[1])
		return snprintf(buf, len, "a %u-bit key", a->key_bits[0]);
	if (!a->key_bits[2])
		return snprintf(buf, len, "a %u- or %u-bit key", a->key_bits[0],
				a->key_bits[1]);
	return snprintf(buf, len, "a %u-, %u- or %u-bit key", a->key_bits[0],
			a->key_bits[1], a->key_bits[2]);
}

static int kipsec_alg_check_key(const struct kipsec_alg *a, u32 keylen,
				char *msg, size_t msglen)
{
	char want[64];

	if (kipsec_alg_keylen_ok(a, keylen))
		return 0;
	if (!a->key_bits[0] && !a->salt_len) {
		snprintf(msg, msglen, "%s takes no key, got %u bits", a->name,
			 keylen * 8);
		return -EINVAL;
	}
	kipsec_alg_describe_key(a, want, sizeof(want));
	if (a->salt_len)
		snprintf(msg, msglen,
			 "%s needs %s followed by a %u-bit salt, got %u bits in all",
			 a->name, want, a->salt_len * 8u, keylen * 8);
	else
		snprintf(msg, msglen, "%s needs %s, got %u bits", a->name, want,
			 keylen * 8);
	return -EINVAL;
}

/* Notes which part of the SA a failed check is about; returns @err. */
static int kipsec_blame(enum kipsec_sa_field *field, enum kipsec_sa_field which,
			int err)
{
	if (field)
		*field = which;
	return err;
}

int kipsec_algs_check(const struct kipsec_alg_choice *c, char *msg,
		      size_t msglen, enum kipsec_sa_field *field)
{
	const struct kipsec_alg *encr = NULL, *integ = NULL;
	int err;

	if (c->proto != IPPROTO_ESP_NUM && c->proto != IPPROTO_AH_NUM) {
		snprintf(msg, msglen, "protocol %u is neither ESP (50) nor AH (51)",
			 c->proto);
		return kipsec_blame(field, KIPSEC_SA_FIELD_PROTO, -EINVAL);
	}
	if (c->has_encr) {
		encr = kipsec_encr_by_id(c->encr_id);
		if (!encr) {
			snprintf(msg, msglen,
				 "encryption transform %u is not supported",
				 c->encr_id);
			return kipsec_blame(field, KIPSEC_SA_FIELD_ENCR, -EOPNOTSUPP);
		}
	}
	if (c->has_integ) {
		integ = kipsec_integ_by_id(c->integ_id);
		if (!integ) {
			snprintf(msg, msglen,
				 "integrity transform %u is not supported",
				 c->integ_id);
			return kipsec_blame(field, KIPSEC_SA_FIELD_INTEG, -EOPNOTSUPP);
		}
	}

	if (c->proto == IPPROTO_AH_NUM) {
		if (encr) {
			snprintf(msg, msglen,
				 "AH does not encrypt: drop the encryption algorithm %s",
				 encr->name);
			return kipsec_blame(field, KIPSEC_SA_FIELD_ENCR, -EINVAL);
		}
		if (!integ) {
			snprintf(msg, msglen,
				 "AH needs an integrity algorithm (e.g. hmac-sha256)");
			return kipsec_blame(field, KIPSEC_SA_FIELD_PROTO, -EINVAL);
		}
		return kipsec_blame(field, KIPSEC_SA_FIELD_INTEG_KEY,
				    kipsec_alg_check_key(integ, c->integ_keylen,
							 msg, msglen));
	}

	if (!encr) {
		snprintf(msg, msglen,
			 "ESP needs an encryption algorithm (use null for integrity only)");
		return kipsec_blame(field, KIPSEC_SA_FIELD_PROTO, -EINVAL);
	}
	if (encr->kind == KIPSEC_ALG_AEAD && integ) {
		snprintf(msg, msglen,
			 "%s protects integrity itself: drop the integrity algorithm %s",
			 encr->name, integ->name);
		return kipsec_blame(field, KIPSEC_SA_FIELD_INTEG, -EINVAL);
	}
	if (integ && integ->ah_only) {
		snprintf(msg, msglen,
			 "%s as an integrity algorithm is for AH; ESP uses it as encryption algorithm aes-gmac",
			 integ->name);
		return kipsec_blame(field, KIPSEC_SA_FIELD_INTEG, -EINVAL);
	}
	if (encr->id == KIPSEC_ENCR_NULL && !integ) {
		snprintf(msg, msglen,
			 "null encryption without an integrity algorithm protects nothing");
		return kipsec_blame(field, KIPSEC_SA_FIELD_ENCR, -EINVAL);
	}
	err = kipsec_alg_check_key(encr, c->encr_keylen, msg, msglen);
	if (err || !integ)
		return kipsec_blame(field, KIPSEC_SA_FIELD_ENCR_KEY, err);
	return kipsec_blame(field, KIPSEC_SA_FIELD_INTEG_KEY,
			    kipsec_alg_check_key(integ, c->integ_keylen, msg,
						 msglen));
}

bool kipsec_algs_authenticate(const struct kipsec_alg_choice *c)
{
	const struct kipsec_alg *encr;

	if (c->proto == IPPROTO_AH_NUM || c->has_integ)
		return true;
	encr = c->has_encr ? kipsec_encr_by_id(c->encr_id) : NULL;
	return encr && encr->kind == KIPSEC_ALG_AEAD;
}

u32 kipsec_algs_default_replay_window(const struct kipsec_alg_choice *c)
{
	return kipsec_algs_authenticate(c) ? KIPSEC_REPLAY_WINDOW_DEFAULT : 0;
}
