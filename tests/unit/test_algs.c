// SPDX-License-Identifier: GPL-2.0
/* The algorithm table and the SA parameter rules, with their messages. */
#include "tap.h"
#include "algs.h"
#include "sa_params.h"
#include <linux/kipsec.h>

static int check(u8 proto, int encr, u32 ekey, int integ, u32 ikey, char *msg)
{
	struct kipsec_alg_choice c = { .proto = proto };

	if (encr >= 0) {
		c.has_encr = true;
		c.encr_id = (u16)encr;
		c.encr_keylen = ekey;
	}
	if (integ >= 0) {
		c.has_integ = true;
		c.integ_id = (u16)integ;
		c.integ_keylen = ikey;
	}
	msg[0] = 0;
	return kipsec_algs_check(&c, msg, 160, NULL);
}

static void check_table(void)
{
	const struct kipsec_alg *a;
	unsigned int i, j;
	bool unique = true;

	for (i = 0; (a = kipsec_encr_at(i)); i++)
		for (j = i + 1; kipsec_encr_at(j); j++)
			if (kipsec_encr_at(j)->id == a->id)
				unique = false;
	ok(unique, "every encryption transform ID appears once");
	ok(kipsec_encr_by_name("aes-gcm-16")->id == 20 &&
	   kipsec_encr_by_name("chacha20-poly1305")->id == 28 &&
	   kipsec_encr_by_name("3des-cbc")->id == 3 &&
	   kipsec_encr_by_name("null")->id == 11,
	   "setkey names map to IANA encryption IDs");
	ok(kipsec_integ_by_name("hmac-sha256", 0)->id == 12 &&
	   kipsec_integ_by_name("hmac-sha1", 0)->icv_len == 12 &&
	   kipsec_integ_by_name("hmac-sha512", 0)->icv_len == 32,
	   "integrity names map to IDs with RFC 4868 truncations");
	ok(kipsec_integ_by_name("aes-gmac", 20)->id == 9 &&
	   kipsec_integ_by_name("aes-gmac", 28)->id == 10 &&
	   kipsec_integ_by_name("aes-gmac", 36)->id == 11,
	   "AH aes-gmac picks its ID by key size");
	ok(!kipsec_encr_by_name("des-cbc") && !kipsec_encr_by_id(2),
	   "single DES is not offered");
	ok(kipsec_encr_by_id(3)->deprecated && kipsec_integ_by_id(1)->deprecated &&
	   !kipsec_encr_by_id(20)->deprecated, "3des and md5 are marked deprecated");
}

static void check_rules(void)
{
	char msg[160];

	is_int(check(50, 20, 20, -1, 0, msg), 0, "ESP AES-GCM-16-128 (key+salt)");
	is_int(check(50, 20, 36, -1, 0, msg), 0, "ESP AES-GCM-16-256");
	is_int(check(50, 28, 36, -1, 0, msg), 0, "ESP ChaCha20-Poly1305");
	is_int(check(50, 12, 32, 12, 32, msg), 0, "ESP AES-CBC-256 + HMAC-SHA256");
	is_int(check(50, 3, 24, 1, 16, msg), 0, "the seeds' 3des-cbc with a 24-byte key");
	is_int(check(50, 3, 24, -1, 0, msg), 0, "encryption-only ESP is accepted (the CLI warns)");
	is_int(check(51, -1, 0, 1, 16, msg), 0, "the seeds' AH hmac-md5");
	is_int(check(51, -1, 0, 9, 20, msg), 0, "AH AES-GMAC-128 with salt");

	ok(check(50, 3, 21, -1, 0, msg) == -EINVAL &&
	   !strcmp(msg, "3des-cbc needs a 192-bit key, got 168 bits"),
	   "the seeds' 21-byte 3des key: %s", msg);
	ok(check(50, 20, 16, -1, 0, msg) == -EINVAL && strstr(msg, "32-bit salt"),
	   "GCM without its salt: %s", msg);
	ok(check(50, 99, 16, -1, 0, msg) == -EOPNOTSUPP, "unknown encryption ID: %s", msg);
	ok(check(50, 12, 16, 99, 16, msg) == -EOPNOTSUPP, "unknown integrity ID: %s", msg);
	ok(check(51, 12, 16, 12, 32, msg) == -EINVAL && strstr(msg, "AH does not encrypt"),
	   "AH with encryption: %s", msg);
	ok(check(51, -1, 0, -1, 0, msg) == -EINVAL && strstr(msg, "AH needs"),
	   "AH without integrity: %s", msg);
	ok(check(50, 20, 20, 12, 32, msg) == -EINVAL && strstr(msg, "protects integrity itself"),
	   "AEAD with integrity: %s", msg);
	ok(check(50, -1, 0, 12, 32, msg) == -EINVAL && strstr(msg, "use null"),
	   "ESP without encryption: %s", msg);
	ok(check(50, 11, 0, -1, 0, msg) == -EINVAL && strstr(msg, "protects nothing"),
	   "null without integrity: %s", msg);
	ok(check(50, 11, 8, 12, 32, msg) == -EINVAL && strstr(msg, "takes no key"),
	   "null with a key: %s", msg);
	ok(check(50, 12, 16, 9, 20, msg) == -EINVAL && strstr(msg, "is for AH"),
	   "GMAC as ESP integrity: %s", msg);
	ok(check(52, 12, 16, 12, 32, msg) == -EINVAL, "protocol 52: %s", msg);
	ok(check(50, 12, 16, 12, 31, msg) == -EINVAL &&
	   !strcmp(msg, "hmac-sha256 needs a 256-bit key, got 248 bits"),
	   "short HMAC key: %s", msg);
}

static struct kipsec_sa_params valid_sa(void)
{
	struct kipsec_sa_params p;

	memset(&p, 0, sizeof(p));
	p.proto = 50;
	p.family = KIPSEC_AF_INET;
	p.spi = 0x1000;
	p.replay_window = 1024;
	p.algs.proto = 50;
	p.algs.has_encr = true;
	p.algs.encr_id = 20;
	p.algs.encr_keylen = 20;
	return p;
}

static enum kipsec_sa_field field;

/* kipsec_sa_params_check(), noting which field it blamed in @field. */
static int sa_check(const struct kipsec_sa_params *p, char *msg, size_t len)
{
	field = (enum kipsec_sa_field)-1;
	return kipsec_sa_params_check(p, msg, len, &field);
}

static void check_sa_params(void)
{
	struct kipsec_sa_params p = valid_sa();
	char msg[160];

	is_int(sa_check(&p, msg, sizeof(msg)), 0, "a valid SA");
	p.spi = 255;
	ok(sa_check(&p, msg, sizeof(msg)) == -EINVAL &&
	   strstr(msg, "SPI 255 is reserved") && field == KIPSEC_SA_FIELD_SPI,
	   "SPI 255, blamed on the SPI: %s", msg);
	p.spi = 256;
	is_int(sa_check(&p, msg, sizeof(msg)), 0, "SPI 256 is the first valid");
	p = valid_sa();
	p.replay_window = 31;
	ok(sa_check(&p, msg, sizeof(msg)) == -EINVAL &&
	   field == KIPSEC_SA_FIELD_REPLAY, "window 31, blamed on the window: %s", msg);
	p.replay_window = 0;
	is_int(sa_check(&p, msg, sizeof(msg)), 0, "window 0 turns replay off");
	p.replay_window = KIPSEC_REPLAY_WINDOW_MAX;
	is_int(sa_check(&p, msg, sizeof(msg)), 0, "the maximum window");
	p.replay_window = KIPSEC_REPLAY_WINDOW_MAX + 1;
	ok(sa_check(&p, msg, sizeof(msg)) == -EINVAL, "above the maximum: %s", msg);
	p = valid_sa();
	p.flags = 1u << 7;
	ok(sa_check(&p, msg, sizeof(msg)) == -EINVAL, "unknown flag: %s", msg);
	p = valid_sa();
	p.mode = 2;
	ok(sa_check(&p, msg, sizeof(msg)) == -EINVAL, "mode 2: %s", msg);
	p = valid_sa();
	p.tunnel_df = 3;
	ok(sa_check(&p, msg, sizeof(msg)) == -EINVAL, "DF 3: %s", msg);
	p = valid_sa();
	p.soft.bytes = 100;
	p.hard.bytes = 50;
	ok(sa_check(&p, msg, sizeof(msg)) == -EINVAL && strstr(msg, "bytes") &&
	   field == KIPSEC_SA_FIELD_LIFETIME, "soft bytes above hard: %s", msg);
	p.hard.bytes = 0;
	is_int(sa_check(&p, msg, sizeof(msg)), 0, "a soft limit without a hard one");
	p = valid_sa();
	p.family = 0;
	ok(sa_check(&p, msg, sizeof(msg)) == -EINVAL &&
	   field == KIPSEC_SA_FIELD_ADDRS, "no family: %s", msg);
	p = valid_sa();
	p.algs.encr_keylen = 21;
	ok(sa_check(&p, msg, sizeof(msg)) == -EINVAL &&
	   field == KIPSEC_SA_FIELD_ENCR_KEY, "a short key, blamed on the key: %s", msg);
	p = valid_sa();
	p.algs.has_integ = true;
	p.algs.integ_id = 12;
	p.algs.integ_keylen = 32;
	ok(sa_check(&p, msg, sizeof(msg)) == -EINVAL &&
	   field == KIPSEC_SA_FIELD_INTEG,
	   "an AEAD with integrity, blamed on the integrity transform: %s", msg);
	p = valid_sa();
	p.algs.proto = 51;
	ok(sa_check(&p, msg, sizeof(msg)) == -EINVAL &&
	   field == KIPSEC_SA_FIELD_ENCR, "AH with encryption, blamed on it: %s", msg);
	p.algs.has_encr = false;
	ok(sa_check(&p, msg, sizeof(msg)) == -EINVAL &&
	   field == KIPSEC_SA_FIELD_PROTO, "AH without integrity, blamed on AH: %s", msg);
}

int main(void)
{
	check_table();
	check_rules();
	check_sa_params();
	return tap_done();
}
