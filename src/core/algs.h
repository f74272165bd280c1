/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The algorithm table: IANA IKEv2 transform IDs, the names setkey users
 * type, key sizes, and the kernel crypto API names they map to. Shared by
 * the module (authoritative validation) and the CLI (names, early checks).
 */
#ifndef KIPSEC_ALGS_H
#define KIPSEC_ALGS_H

#include "core_types.h"

/* IANA "Transform Type 1 - Encryption Algorithm Transform IDs" */
enum kipsec_encr_id {
	KIPSEC_ENCR_3DES = 3,
	KIPSEC_ENCR_NULL = 11,
	KIPSEC_ENCR_AES_CBC = 12,
	KIPSEC_ENCR_AES_CTR = 13,
	KIPSEC_ENCR_AES_CCM_8 = 14,
	KIPSEC_ENCR_AES_CCM_12 = 15,
	KIPSEC_ENCR_AES_CCM_16 = 16,
	KIPSEC_ENCR_AES_GCM_8 = 18,
	KIPSEC_ENCR_AES_GCM_12 = 19,
	KIPSEC_ENCR_AES_GCM_16 = 20,
	KIPSEC_ENCR_NULL_AUTH_AES_GMAC = 21,
	KIPSEC_ENCR_CHACHA20_POLY1305 = 28,
};

/* IANA "Transform Type 3 - Integrity Algorithm Transform IDs" */
enum kipsec_integ_id {
	KIPSEC_AUTH_NONE = 0,
	KIPSEC_AUTH_HMAC_MD5_96 = 1,
	KIPSEC_AUTH_HMAC_SHA1_96 = 2,
	KIPSEC_AUTH_AES_XCBC_96 = 5,
	KIPSEC_AUTH_AES_128_GMAC = 9,
	KIPSEC_AUTH_AES_192_GMAC = 10,
	KIPSEC_AUTH_AES_256_GMAC = 11,
	KIPSEC_AUTH_HMAC_SHA2_256_128 = 12,
	KIPSEC_AUTH_HMAC_SHA2_384_192 = 13,
	KIPSEC_AUTH_HMAC_SHA2_512_256 = 14,
};

enum kipsec_alg_kind {
	KIPSEC_ALG_CIPHER,	/* encryption only; needs an integrity transform */
	KIPSEC_ALG_AEAD,	/* encryption with its own ICV (and GMAC) */
	KIPSEC_ALG_INTEG,	/* integrity transform */
};

struct kipsec_alg {
	const char *name;	/* setkey's name */
	u16 id;			/* IANA transform ID */
	u8 kind;		/* enum kipsec_alg_kind */
	u16 key_bits[3];	/* accepted key sizes without salt; 0 ends */
	u8 salt_len;		/* bytes of salt after the key */
	u8 icv_len;		/* ICV bytes (AEAD, INTEG) */
	u8 iv_len;		/* IV bytes on the wire */
	u8 block_len;		/* padding alignment (ESP: at least 4) */
	bool deprecated;	/* RFC 8221 MUST NOT / SHOULD NOT */
	bool ah_only;		/* integrity transform usable only by AH */
	const char *crypto;	/* crypto API name (a template part for CIPHER/INTEG) */
};

/* Returns NULL for an unknown ID. */
const struct kipsec_alg *kipsec_encr_by_id(u16 id);
const struct kipsec_alg *kipsec_integ_by_id(u16 id);
/* By setkey name (-E names are looked up among ENCR, -A among INTEG). */
/*
 * By setkey name (-E names among ENCR, -A among INTEG). Where one name
 * covers several IDs by key size (aes-gmac for AH), @keylen (bytes, salt
 * included) picks the one; 0 returns the first.
 */
const struct kipsec_alg *kipsec_encr_by_name(const char *name);
const struct kipsec_alg *kipsec_integ_by_name(const char *name, u32 keylen);
/* For listing: the i-th entry of each table, NULL past the end. */
const struct kipsec_alg *kipsec_encr_at(unsigned int i);
const struct kipsec_alg *kipsec_integ_at(unsigned int i);

struct kipsec_alg_choice {
	u8 proto;		/* IPPROTO_ESP (50) or IPPROTO_AH (51) */
	bool has_encr;
	u16 encr_id;
	u32 encr_keylen;	/* bytes, salt included */
	bool has_integ;
	u16 integ_id;
	u32 integ_keylen;	/* bytes, salt included */
};

/*
 * Which part of an SA a failed check is about, so a caller can point at it
 * (the CLI at a column, the module at an attribute) without reading the
 * message.
 */
enum kipsec_sa_field {
	KIPSEC_SA_FIELD_PROTO,		/* or what the protocol needs */
	KIPSEC_SA_FIELD_SPI,
	KIPSEC_SA_FIELD_ADDRS,
	KIPSEC_SA_FIELD_MODE,
	KIPSEC_SA_FIELD_REPLAY,
	KIPSEC_SA_FIELD_FLAGS,
	KIPSEC_SA_FIELD_DF,
	KIPSEC_SA_FIELD_SEQ,
	KIPSEC_SA_FIELD_LIFETIME,
	KIPSEC_SA_FIELD_ENCR,		/* the encryption transform */
	KIPSEC_SA_FIELD_ENCR_KEY,
	KIPSEC_SA_FIELD_INTEG,		/* the integrity transform */
	KIPSEC_SA_FIELD_INTEG_KEY,
	KIPSEC_SA_FIELD_SELECTOR,
	KIPSEC_SA_FIELD_ENCAP,		/* UDP encapsulation ports */
};

/*
 * kipsec_algs_check() - is this combination of transforms a valid SA?
 * @c: protocol and the transforms with their key lengths
 * @msg: where to write the reason when it is not (e.g. "3des-cbc needs a
 *       192-bit key, got 168 bits"), as a person would want to read it
 * @msglen: size of @msg
 * @field: where to write which part of the SA is wrong (may be NULL)
 *
 * Return: 0 when valid, otherwise -EINVAL (or -EOPNOTSUPP for a transform
 * this table does not know) with @msg and @field set.
 */
int kipsec_algs_check(const struct kipsec_alg_choice *c, char *msg,
		      size_t msglen, enum kipsec_sa_field *field);

/*
 * Does an SA with these (checked) transforms authenticate its packets:
 * AH, an AEAD, or an integrity transform? Anti-replay needs it (RFC 4303
 * 3.4.3): without, a forged sequence number would move the window.
 */
bool kipsec_algs_authenticate(const struct kipsec_alg_choice *c);

/* The replay window an SA gets when none is asked for: 0 without integrity. */
u32 kipsec_algs_default_replay_window(const struct kipsec_alg_choice *c);

#endif /* KIPSEC_ALGS_H */
