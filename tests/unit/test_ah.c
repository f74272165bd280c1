// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for src/core/ah.c: AH header length and layout (RFC 4302
 * section 2) and the muting of mutable IPv4 and IPv6 header fields for
 * the ICV (RFC 4302 appendix A).  Prints TAP; exits 0 only if everything
 * passed.
 *
 * Build and run by hand from the top of the tree:
 *
 *   cc -std=c11 -Wall -Wextra -Werror -Iinclude/uapi -Isrc/core tests/unit/test_ah.c src/core/ah.c -o /tmp/test_ah
 *   /tmp/test_ah
 */

#include <stdio.h>
#include <string.h>

#include "ah.h"
#include "tap.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static bool bytes_eq(const u8 *got, const u8 *want, size_t n,
		     const char *what)
{
	bool same = memcmp(got, want, n) == 0;

	if (!ok(same, "%s", what)) {
		for (size_t i = 0; i < n; i++)
			if (got[i] != want[i])
				diag("  byte %zu: got %02x, expected %02x",
				     i, got[i], want[i]);
	}
	return same;
}

/* ------------------------------------------------------------------ */

static void test_hdr_len(void)
{
	static const struct {
		u32 iv, icv;
		bool v6;
		u32 want;
		const char *what;
	} t[] = {
		{ 0, 12, false, 24, "HMAC-SHA1-96 / MD5-96 / XCBC-96, IPv4" },
		{ 0, 12, true, 24, "HMAC-SHA1-96 / MD5-96 / XCBC-96, IPv6" },
		{ 0, 16, false, 28, "HMAC-SHA2-256-128, IPv4" },
		{ 0, 16, true, 32, "HMAC-SHA2-256-128, IPv6 (4 pad bytes)" },
		{ 0, 24, false, 36, "HMAC-SHA2-384-192, IPv4" },
		{ 0, 24, true, 40, "HMAC-SHA2-384-192, IPv6 (4 pad bytes)" },
		{ 0, 32, false, 44, "HMAC-SHA2-512-256, IPv4" },
		{ 0, 32, true, 48, "HMAC-SHA2-512-256, IPv6 (4 pad bytes)" },
		{ 8, 16, false, 36, "AES-GMAC (IV 8, ICV 16), IPv4" },
		{ 8, 16, true, 40, "AES-GMAC (IV 8, ICV 16), IPv6 (4 pad)" },
		{ 0, 1, false, 16, "1-byte ICV pads to 4 (IPv4)" },
		{ 0, 1, true, 16, "1-byte ICV pads to 8 (IPv6)" },
		{ 0, 0, false, 0, "no ICV: refused" },
		{ 0, 1016, false, 1028, "largest Payload Len 255, IPv4" },
		{ 0, 1017, false, 0, "one past Payload Len 255, IPv4" },
		{ 0, 1012, true, 1024, "largest 8-aligned length, IPv6" },
		{ 0, 1013, true, 0, "1032 bytes do not fit Payload Len, IPv6" },
		{ 0xffffffffU, 16, false, 0, "huge IV does not wrap" },
		{ 0, 0xffffffffU, true, 0, "huge ICV does not wrap" },
	};

	for (size_t i = 0; i < ARRAY_LEN(t); i++)
		is_uint(kipsec_ah_hdr_len(t[i].iv, t[i].icv, t[i].v6),
			t[i].want, "hdr_len: %s", t[i].what);
}

/* ------------------------------------------------------------------ */

static void test_write_header(void)
{
	u8 ah[48 + 1];
	/* SHA2-256-128 on IPv4: 28 bytes, Payload Len 5 */
	static const u8 want28[29] = {
		6, 5, 0, 0, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0xcc,
	};
	/* SHA1-96: 24 bytes, Payload Len 4 (the RFC 4302 2.2 example) */
	static const u8 want24[25] = {
		4, 4, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0xcc,
	};
	/* GMAC on IPv6: 40 bytes, Payload Len 8 */
	static const u8 want40_head[12] = {
		41, 8, 0, 0, 0xa5, 0xa5, 0xa5, 0xa5, 0xff, 0xff, 0xff, 0xfe,
	};
	bool zero = true;

	memset(ah, 0xcc, sizeof(ah));
	kipsec_ah_write_header(ah, kipsec_ah_hdr_len(0, 16, false), 6,
			       0x12345678, 0x000000079abcdef0ULL);
	bytes_eq(ah, want28, sizeof(want28),
		 "SHA2-256 IPv4: NH 6, len 5, SPI, seq low 32, zero ICV, no overrun");

	memset(ah, 0xcc, sizeof(ah));
	kipsec_ah_write_header(ah, 24, 4, 256, 1);
	bytes_eq(ah, want24, sizeof(want24),
		 "SHA1-96: Payload Len 4 for a 24-byte AH");

	memset(ah, 0xcc, sizeof(ah));
	kipsec_ah_write_header(ah, kipsec_ah_hdr_len(8, 16, true), 41,
			       0xa5a5a5a5, 0xfffffffeULL);
	bytes_eq(ah, want40_head, sizeof(want40_head),
		 "GMAC IPv6: NH 41, Payload Len 8 for a 40-byte AH");
	for (u32 i = 12; i < 40; i++)
		zero &= ah[i] == 0;
	ok(zero && ah[40] == 0xcc,
	   "GMAC IPv6: IV, ICV, padding zeroed, no overrun");
	is_uint(kipsec_ah_spi(ah), 0xa5a5a5a5, "kipsec_ah_spi reads the SPI");
}

/* Read and report whether the output was left alone. */
static int read_keep(const u8 *ah, u32 avail, u32 iv, u32 icv, bool v6,
		     bool *untouched)
{
	struct kipsec_ah_fields f = { 0xee, 0xdeadbeef, 0xdeadbeef,
				      0xdeadbeef };
	int err = kipsec_ah_read_header(ah, avail, iv, icv, v6, &f);

	*untouched = f.next_header == 0xee && f.len == 0xdeadbeef &&
		     f.spi == 0xdeadbeef && f.seq == 0xdeadbeef;
	return err;
}

static void test_read_header(void)
{
	static const struct {
		u32 iv, icv;
	} algs[] = { { 0, 12 }, { 0, 16 }, { 0, 24 }, { 0, 32 }, { 8, 16 } };
	u8 ah[64];
	struct kipsec_ah_fields f;
	bool all = true, untouched;
	u32 len;
	int n = 0;

	/* round trip for every algorithm, both families */
	for (size_t a = 0; a < ARRAY_LEN(algs); a++) {
		for (int v6 = 0; v6 <= 1; v6++) {
			len = kipsec_ah_hdr_len(algs[a].iv, algs[a].icv, v6);
			memset(ah, 0x77, sizeof(ah));
			kipsec_ah_write_header(ah, len, 17, 0x01020304 + n,
					       0x1000000000ULL + n);
			memset(&f, 0, sizeof(f));
			if (kipsec_ah_read_header(ah, len, algs[a].iv,
						  algs[a].icv, v6, &f) ||
			    f.next_header != 17 || f.len != len ||
			    f.spi != 0x01020304U + n || f.seq != (u32)n) {
				diag("iv %u icv %u v6 %d: round trip fails",
				     algs[a].iv, algs[a].icv, v6);
				all = false;
			}
			n++;
		}
	}
	ok(all, "write then read gives back every field (%d cases)", n);

	/* Payload Len must match the SA */
	kipsec_ah_write_header(ah, 28, 6, 1, 1);	/* SHA2-256, IPv4 */
	ok(kipsec_ah_read_header(ah, 28, 0, 16, false, &f) == 0 &&
	   f.len == 28, "SHA2-256 IPv4: 28 bytes accepted");
	is_int(read_keep(ah, 64, 0, 12, false, &untouched), -EINVAL,
	       "28-byte AH for a 12-byte-ICV SA rejected");
	ok(untouched, "  output untouched");
	is_int(read_keep(ah, 64, 0, 16, true, &untouched), -EINVAL,
	       "28-byte AH rejected on IPv6 (must be 32)");
	ok(untouched, "  output untouched");
	is_int(read_keep(ah, 64, 0, 24, false, &untouched), -EINVAL,
	       "28-byte AH for a 24-byte-ICV SA rejected");
	is_int(read_keep(ah, 64, 8, 16, false, &untouched), -EINVAL,
	       "28-byte AH for a GMAC SA (36) rejected");

	/* Linux XFRM's 8-byte alignment on IPv4 */
	kipsec_ah_write_header(ah, 32, 6, 1, 1);
	ok(kipsec_ah_read_header(ah, 32, 0, 16, false, &f) == 0 &&
	   f.len == 32, "SHA2-256 IPv4: Linux's 8-aligned 32 bytes accepted");
	ok(kipsec_ah_read_header(ah, 32, 0, 16, true, &f) == 0 &&
	   f.len == 32, "SHA2-256 IPv6: 32 bytes accepted");
	kipsec_ah_write_header(ah, 36, 6, 1, 1);
	is_int(read_keep(ah, 64, 0, 16, false, &untouched), -EINVAL,
	       "SHA2-256 IPv4: 36 bytes rejected");
	kipsec_ah_write_header(ah, 40, 6, 1, 1);
	ok(kipsec_ah_read_header(ah, 40, 8, 16, false, &f) == 0 &&
	   f.len == 40, "GMAC IPv4: 8-aligned 40 bytes accepted");

	/* Payload Len off by one either way */
	kipsec_ah_write_header(ah, 24, 6, 1, 1);
	ah[1] = 3;
	is_int(read_keep(ah, 64, 0, 12, false, &untouched), -EINVAL,
	       "Payload Len 3 for a 24-byte AH rejected");
	ok(untouched, "  output untouched");
	ah[1] = 5;
	is_int(read_keep(ah, 64, 0, 12, false, &untouched), -EINVAL,
	       "Payload Len 5 for a 24-byte AH rejected");
	ah[1] = 0;
	is_int(read_keep(ah, 64, 0, 12, true, &untouched), -EINVAL,
	       "Payload Len 0 rejected");
	ah[1] = 255;
	is_int(read_keep(ah, 64, 0, 12, true, &untouched), -EINVAL,
	       "Payload Len 255 rejected");

	/* truncation */
	kipsec_ah_write_header(ah, 24, 6, 1, 1);
	is_int(read_keep(ah, 23, 0, 12, false, &untouched), -EINVAL,
	       "23 bytes available for a 24-byte AH: rejected");
	ok(untouched, "  output untouched");
	is_int(read_keep(ah, 11, 0, 12, false, &untouched), -EINVAL,
	       "11 bytes: not even the fixed header");
	is_int(read_keep(NULL, 0, 0, 12, false, &untouched), -EINVAL,
	       "0 bytes: nothing is read");
	is_int(read_keep(ah, 64, 0, 0, false, &untouched), -EINVAL,
	       "an SA without ICV length is refused");
	ok(kipsec_ah_read_header(ah, 24, 0, 12, false, &f) == 0,
	   "exactly 24 bytes available: accepted");

	/* Reserved is ignored on receipt */
	kipsec_ah_write_header(ah, 24, 50, 0xcafe, 7);
	ah[2] = 0xff;
	ah[3] = 0x01;
	memset(&f, 0, sizeof(f));
	ok(kipsec_ah_read_header(ah, 24, 0, 12, true, &f) == 0 &&
	   f.next_header == 50 && f.spi == 0xcafe && f.seq == 7,
	   "non-zero Reserved ignored on input");
}

/* ------------------------------------------------------------------ */

/*
 * IPv4 header with IHL @ihl, TOS b8, DF, TTL 64, checksum abcd; the
 * variable arguments are the four bytes of the destination address.
 */
#define V4(ihl, ...)							\
	0x40 | (ihl), 0xb8, 0x00, 0x54, 0x12, 0x34, 0x40, 0x00,		\
	0x40, 0x33, 0xab, 0xcd, 192, 0, 2, 1, __VA_ARGS__
/* the same, muted */
#define V4M(ihl, ...)							\
	0x40 | (ihl), 0x00, 0x00, 0x54, 0x12, 0x34, 0x00, 0x00,		\
	0x00, 0x33, 0x00, 0x00, 192, 0, 2, 1, __VA_ARGS__
#define DST 192, 0, 2, 2
#define HOP1 198, 51, 100, 1
#define HOP2 198, 51, 100, 2
#define REC1 203, 0, 113, 1
#define REC2 203, 0, 113, 2

struct v4_case {
	const char *what;
	u32 len;
	int err;
	u8 in[60];
	u8 want[60];
};

static const struct v4_case v4_cases[] = {
	{ "no options", 20, 0,
	  { V4(5, DST) }, { V4M(5, DST) } },
	{ "frag offset and MF zeroed too", 20, 0,
	  { 0x45, 0x00, 0x00, 0x54, 0x12, 0x34, 0x3f, 0xff,
	    0x01, 0x33, 0x00, 0x01, 192, 0, 2, 1, DST },
	  { V4M(5, DST) } },
	{ "NOP NOP NOP EOL kept", 24, 0,
	  { V4(6, DST), 1, 1, 1, 0 }, { V4M(6, DST), 1, 1, 1, 0 } },
	{ "bytes after EOL left as they are", 24, 0,
	  { V4(6, DST), 0, 7, 3, 9 }, { V4M(6, DST), 0, 7, 3, 9 } },
	{ "record route zeroed whole", 28, 0,
	  { V4(7, DST), 7, 7, 8, REC1, 0 },
	  { V4M(7, DST), 0, 0, 0, 0, 0, 0, 0, 0 } },
	{ "timestamp zeroed whole", 32, 0,
	  { V4(8, DST), 68, 12, 9, 0, 0, 1, 2, 3, 0, 0, 0, 0 },
	  { V4M(8, DST), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 } },
	{ "router alert kept", 24, 0,
	  { V4(6, DST), 148, 4, 0, 0 }, { V4M(6, DST), 148, 4, 0, 0 } },
	{ "security, ext. security, CIPSO, SDMDD kept", 44, 0,
	  { V4(11, DST), 130, 11, 0xf1, 0x35, 0, 0, 0, 0, 0, 0, 0,
	    133, 3, 0x42, 134, 6, 0, 0, 0, 3, 149, 2, 1, 0 },
	  { V4M(11, DST), 130, 11, 0xf1, 0x35, 0, 0, 0, 0, 0, 0, 0,
	    133, 3, 0x42, 134, 6, 0, 0, 0, 3, 149, 2, 1, 0 } },
	{ "traceroute (82) zeroed", 32, 0,
	  { V4(8, DST), 82, 12, 0, 5, 0, 1, 0, 2, REC1 },
	  { V4M(8, DST), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 } },
	{ "unknown option (158) zeroed, router alert after it kept", 28, 0,
	  { V4(7, DST), 158, 4, 0xaa, 0xbb, 148, 4, 0, 0 },
	  { V4M(7, DST), 0, 0, 0, 0, 148, 4, 0, 0 } },
	{ "NOP, record route, router alert, EOL", 40, 0,
	  { V4(10, DST), 1, 7, 11, 8, REC1, REC2, 148, 4, 0, 0, 0,
	    0x5a, 0x5a, 0x5a },
	  { V4M(10, DST), 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    148, 4, 0, 0, 0, 0x5a, 0x5a, 0x5a } },
	{ "LSRR at the sender: destination is the last hop, option zeroed",
	  32, 0,
	  { V4(8, HOP1), 1, 131, 11, 4, HOP2, DST },
	  { V4M(8, DST), 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 } },
	{ "LSRR at the final destination: route used up, daddr kept", 32, 0,
	  { V4(8, DST), 1, 131, 11, 12, REC1, REC2 },
	  { V4M(8, DST), 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 } },
	{ "LSRR half way: unvisited last address predicted", 32, 0,
	  { V4(8, HOP2), 1, 131, 11, 8, REC1, DST },
	  { V4M(8, DST), 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 } },
	{ "SSRR with one address", 28, 0,
	  { V4(7, HOP1), 137, 7, 4, DST, 0 },
	  { V4M(7, DST), 0, 0, 0, 0, 0, 0, 0, 0 } },
	/* malformed */
	{ "option length 0 rejected", 24, -EINVAL,
	  { V4(6, DST), 7, 0, 0, 0 }, { 0 } },
	{ "option length 1 rejected", 24, -EINVAL,
	  { V4(6, DST), 68, 1, 0, 0 }, { 0 } },
	{ "option overrunning the header rejected", 24, -EINVAL,
	  { V4(6, DST), 7, 7, 4, 0 }, { 0 } },
	{ "immutable option overrunning the header rejected", 24, -EINVAL,
	  { V4(6, DST), 1, 148, 4, 0 }, { 0 } },
	{ "option type in the last byte, no length: rejected", 24, -EINVAL,
	  { V4(6, DST), 1, 1, 1, 7 }, { 0 } },
	{ "LSRR of 6 bytes (no whole address) rejected", 28, -EINVAL,
	  { V4(7, HOP1), 131, 6, 4, 1, 2, 3, 0, 0 }, { 0 } },
	{ "LSRR pointer 3 rejected", 28, -EINVAL,
	  { V4(7, HOP1), 131, 7, 3, DST, 0 }, { 0 } },
	{ "LSRR pointer inside the last address rejected", 28, -EINVAL,
	  { V4(7, HOP1), 131, 7, 5, DST, 0 }, { 0 } },
	{ "IHL 6 but 20 bytes rejected", 20, -EINVAL,
	  { V4(6, DST) }, { 0 } },
	{ "IHL 5 but 24 bytes rejected", 24, -EINVAL,
	  { V4(5, DST), 1, 1, 1, 1 }, { 0 } },
	{ "IHL 4 rejected", 16, -EINVAL,
	  { V4(4, DST) }, { 0 } },
	{ "version 6 rejected", 20, -EINVAL,
	  { 0x65, 0, 0, 0x54, 0x12, 0x34, 0, 0, 64, 0x33, 0, 0,
	    192, 0, 2, 1, DST }, { 0 } },
};

static void test_ah4_mute(void)
{
	u8 buf[61];

	for (size_t i = 0; i < ARRAY_LEN(v4_cases); i++) {
		const struct v4_case *c = &v4_cases[i];
		int err;

		memset(buf, 0xcc, sizeof(buf));
		memcpy(buf, c->in, c->len);
		err = kipsec_ah4_mute(buf, c->len);
		if (!is_int(err, c->err, "ah4: %s: returns %d", c->what,
			    c->err) || err)
			continue;
		if (bytes_eq(buf, c->want, c->len, "  muted bytes"))
			ok(buf[c->len] == 0xcc, "  nothing written past hlen");
	}
}

/*
 * What a receiver's copy looks like must not matter for the fields the
 * ICV does not protect; what it protects must show.
 */
static bool mute4_same(const u8 *a, const u8 *b, u32 len)
{
	u8 x[60], y[60];

	memcpy(x, a, len);
	memcpy(y, b, len);
	if (kipsec_ah4_mute(x, len) || kipsec_ah4_mute(y, len))
		return false;
	return memcmp(x, y, len) == 0;
}

static void test_ah4_invariance(void)
{
	static const u8 base[28] = { V4(7, DST), 7, 7, 4, 0, 0, 0, 0, 0 };
	static const u8 sender[32] = { V4(8, HOP1), 1, 131, 11, 4, HOP2, DST };
	static const u8 receiver[32] = { V4(8, DST), 1, 131, 11, 12,
					 REC1, REC2 };
	u8 other[28];

	memcpy(other, base, sizeof(other));
	other[1] = 0x03;	/* ECN CE */
	other[6] = 0x20;	/* MF */
	other[7] = 0x10;
	other[8] = 1;		/* TTL */
	other[10] = 0x55;	/* checksum */
	other[11] = 0xaa;
	other[22] = 8;		/* record route: one hop recorded */
	other[23] = 10;
	ok(mute4_same(base, other, 28),
	   "ah4: TOS, flags, TTL, checksum, record route do not matter");

	memcpy(other, base, sizeof(other));
	other[15] ^= 1;
	ok(!mute4_same(base, other, 28), "ah4: the source address matters");
	memcpy(other, base, sizeof(other));
	other[19] ^= 1;
	ok(!mute4_same(base, other, 28),
	   "ah4: the destination address matters");
	memcpy(other, base, sizeof(other));
	other[5] ^= 1;
	ok(!mute4_same(base, other, 28), "ah4: the identification matters");
	memcpy(other, base, sizeof(other));
	other[3] ^= 1;
	ok(!mute4_same(base, other, 28), "ah4: the total length matters");
	memcpy(other, base, sizeof(other));
	other[9] = 6;
	ok(!mute4_same(base, other, 28), "ah4: the protocol matters");

	ok(mute4_same(sender, receiver, 32),
	   "ah4: LSRR as sent and as received at the end mute alike");
}

/* ------------------------------------------------------------------ */

/* IPv6 header: TC 0xb8, flow label 0x12345, hop limit 64 */
#define V6(nh)								\
	0x6b, 0x81, 0x23, 0x45, 0x00, 0x40, nh, 0x40, ADDR(0x01), ADDR(0x02)
#define V6D(nh, d)							\
	0x6b, 0x81, 0x23, 0x45, 0x00, 0x40, nh, 0x40, ADDR(0x01), ADDR(d)
#define V6M(nh, d)							\
	0x60, 0x00, 0x00, 0x00, 0x00, 0x40, nh, 0x00, ADDR(0x01), ADDR(d)
/* 2001:db8::x */
#define ADDR(x) 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, x
#define Z8 0, 0, 0, 0, 0, 0, 0, 0

struct v6_case {
	const char *what;
	u32 len;
	int err;
	u8 in[160];
	u8 want[160];
};

static const struct v6_case v6_cases[] = {
	{ "no extension headers", 40, 0,
	  { V6(51) }, { V6M(51, 0x02) } },
	{ "hop-by-hop: RA kept, Pad1 kept, mutable data zeroed, PadN kept",
	  56, 0,
	  { V6(0), 51, 1, 0x05, 0x02, 0x00, 0x00, 0x00,
	    0x3e, 0x04, 0xaa, 0xbb, 0xcc, 0xdd, 0x01, 0x01, 0x00 },
	  { V6M(0, 0x02), 51, 1, 0x05, 0x02, 0x00, 0x00, 0x00,
	    0x3e, 0x04, 0x00, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00 } },
	{ "hop-by-hop: immutable data kept even when non-zero", 48, 0,
	  { V6(0), 51, 0, 0xc2, 0x04, 0x00, 0x01, 0x00, 0x00 },
	  { V6M(0, 0x02), 51, 0, 0xc2, 0x04, 0x00, 0x01, 0x00, 0x00 } },
	{ "destination options: mutable zeroed, PadN with data kept", 48, 0,
	  { V6(60), 51, 0, 0x2a, 0x02, 0x12, 0x34, 0x01, 0x00 },
	  { V6M(60, 0x02), 51, 0, 0x2a, 0x02, 0x00, 0x00, 0x01, 0x00 } },
	{ "mutable option with empty data", 48, 0,
	  { V6(60), 51, 0, 0x3f, 0x00, 0x01, 0x02, 0x77, 0x77 },
	  { V6M(60, 0x02), 51, 0, 0x3f, 0x00, 0x01, 0x02, 0x77, 0x77 } },
	{ "routing type 0, 2 addresses, segments left 2: final view",
	  80, 0,
	  { V6D(43, 0x10), 51, 4, 0, 2, 0, 0, 0, 0, ADDR(0x11), ADDR(0x12) },
	  { V6M(43, 0x12), 51, 4, 0, 0, 0, 0, 0, 0,
	    ADDR(0x10), ADDR(0x11) } },
	{ "routing type 0, 3 addresses, segments left 1", 96, 0,
	  { V6D(43, 0x13), 51, 6, 0, 1, 0, 0, 0, 0,
	    ADDR(0x10), ADDR(0x11), ADDR(0x14) },
	  { V6M(43, 0x14), 51, 6, 0, 0, 0, 0, 0, 0,
	    ADDR(0x10), ADDR(0x11), ADDR(0x13) } },
	{ "routing type 0, segments left 0: unchanged", 80, 0,
	  { V6D(43, 0x12), 51, 4, 0, 0, 0, 0, 0, 0, ADDR(0x10), ADDR(0x11) },
	  { V6M(43, 0x12), 51, 4, 0, 0, 0, 0, 0, 0,
	    ADDR(0x10), ADDR(0x11) } },
	{ "routing type 2 (MIPv6): home address becomes the destination",
	  64, 0,
	  { V6D(43, 0x20), 51, 2, 2, 1, 0, 0, 0, 0, ADDR(0x21) },
	  { V6M(43, 0x21), 51, 2, 2, 0, 0, 0, 0, 0, ADDR(0x20) } },
	{ "routing type 4 (SRH), segments left 0: kept as is", 64, 0,
	  { V6(43), 51, 2, 4, 0, 0, 0, 0, 0, ADDR(0x30) },
	  { V6M(43, 0x02), 51, 2, 4, 0, 0, 0, 0, 0, ADDR(0x30) } },
	{ "hop-by-hop, dest opts, routing 0, in one chain", 96, 0,
	  { V6D(0, 0x10), 60, 0, 0x3e, 0x04, 1, 2, 3, 4,
	    43, 0, 0x05, 0x02, 0, 0, 0x01, 0x00,
	    51, 4, 0, 2, 0, 0, 0, 0, ADDR(0x11), ADDR(0x12) },
	  { V6M(0, 0x12), 60, 0, 0x3e, 0x04, 0, 0, 0, 0,
	    43, 0, 0x05, 0x02, 0, 0, 0x01, 0x00,
	    51, 4, 0, 0, 0, 0, 0, 0, ADDR(0x10), ADDR(0x11) } },
	/* errors */
	{ "fragment header before AH: not supported", 48, -EOPNOTSUPP,
	  { V6(44), 51, 0, 0, 1, 0, 0, 0, 1 }, { 0 } },
	{ "routing type 4 with segments left: not supported", 64, -EOPNOTSUPP,
	  { V6(43), 51, 2, 4, 1, 0, 0, 0, 0, ADDR(0x30) }, { 0 } },
	{ "routing type 0, segments left above the count", 80, -EINVAL,
	  { V6(43), 51, 4, 0, 3, 0, 0, 0, 0, ADDR(0x11), ADDR(0x12) },
	  { 0 } },
	{ "routing type 0, odd length", 72, -EINVAL,
	  { V6(43), 51, 3, 0, 1, 0, 0, 0, 0, ADDR(0x11), Z8 }, { 0 } },
	{ "routing type 2 with two addresses", 80, -EINVAL,
	  { V6(43), 51, 4, 2, 1, 0, 0, 0, 0, ADDR(0x11), ADDR(0x12) },
	  { 0 } },
	{ "option overrunning its header", 48, -EINVAL,
	  { V6(0), 51, 0, 0x05, 0x05, 0, 0, 0, 0 }, { 0 } },
	{ "option type without length in the last byte", 48, -EINVAL,
	  { V6(60), 51, 0, 0x01, 0x03, 0, 0, 0, 0x05 }, { 0 } },
	{ "extension header longer than the buffer", 48, -EINVAL,
	  { V6(0), 51, 1, 0x01, 0x04, 0, 0, 0, 0 }, { 0 } },
	{ "one byte of extension header", 41, -EINVAL,
	  { V6(0), 51 }, { 0 } },
	{ "chain ends before AH (TCP next)", 40, -EINVAL,
	  { V6(6) }, { 0 } },
	{ "chain ends before AH after an option header", 48, -EINVAL,
	  { V6(60), 6, 0, 0x01, 0x04, 0, 0, 0, 0 }, { 0 } },
	{ "unknown header before AH", 48, -EINVAL,
	  { V6(6), 51, 0, 0, 0, 0, 0, 0, 0 }, { 0 } },
	{ "AH itself before the end", 48, -EINVAL,
	  { V6(51), 51, 0, 0, 0, 0, 0, 0, 0 }, { 0 } },
	{ "shorter than the fixed header", 39, -EINVAL,
	  { V6(51) }, { 0 } },
	{ "version 4", 40, -EINVAL,
	  { 0x45, 0x81, 0x23, 0x45, 0x00, 0x40, 51, 0x40,
	    ADDR(1), ADDR(2) }, { 0 } },
};

static void test_ah6_mute(void)
{
	u8 buf[161];

	for (size_t i = 0; i < ARRAY_LEN(v6_cases); i++) {
		const struct v6_case *c = &v6_cases[i];
		int err;

		memset(buf, 0xcc, sizeof(buf));
		memcpy(buf, c->in, c->len);
		err = kipsec_ah6_mute(buf, c->len);
		if (!is_int(err, c->err, "ah6: %s: returns %d", c->what,
			    c->err) || err)
			continue;
		if (bytes_eq(buf, c->want, c->len, "  muted bytes"))
			ok(buf[c->len] == 0xcc, "  nothing written past len");
	}
}

static bool mute6_same(const u8 *a, const u8 *b, u32 len)
{
	u8 x[160], y[160];

	memcpy(x, a, len);
	memcpy(y, b, len);
	if (kipsec_ah6_mute(x, len) || kipsec_ah6_mute(y, len))
		return false;
	return memcmp(x, y, len) == 0;
}

/*
 * One hop of a type 0 routing header as RFC 2460 section 4.4 processes it:
 * the receiver's view, built independently of the code under test.
 */
static void rt0_hop(u8 *pkt, u32 rt_off)
{
	u8 *rt = pkt + rt_off, tmp[16];
	u32 n = rt[1] / 2, i;

	rt[3]--;
	i = n - rt[3];		/* 1-based */
	memcpy(tmp, rt + 8 + (i - 1) * 16, 16);
	memcpy(rt + 8 + (i - 1) * 16, pkt + 24, 16);
	memcpy(pkt + 24, tmp, 16);
}

static void test_ah6_invariance(void)
{
	static const u8 base[56] = {
		V6(0), 51, 1, 0x05, 0x02, 0x00, 0x00, 0x00,
		0x3e, 0x04, 0xaa, 0xbb, 0xcc, 0xdd, 0x01, 0x01, 0x00,
	};
	static const u8 rt3[96] = {
		V6D(43, 0x10), 51, 6, 0, 3, 0, 0, 0, 0,
		ADDR(0x11), ADDR(0x12), ADDR(0x13),
	};
	u8 other[96];
	bool all = true;

	memcpy(other, base, sizeof(base));
	other[0] = 0x60;	/* TC and flow label */
	other[1] = 0x0f;
	other[2] = 0xff;
	other[3] = 0x00;
	other[7] = 1;		/* hop limit */
	other[51] = 0x99;	/* mutable option data */
	ok(mute6_same(base, other, 56),
	   "ah6: TC, flow label, hop limit, mutable option data do not matter");

	memcpy(other, base, sizeof(base));
	other[23] ^= 1;
	ok(!mute6_same(base, other, 56), "ah6: the source address matters");
	memcpy(other, base, sizeof(base));
	other[39] ^= 1;
	ok(!mute6_same(base, other, 56),
	   "ah6: the destination address matters");
	memcpy(other, base, sizeof(base));
	other[5] ^= 1;
	ok(!mute6_same(base, other, 56), "ah6: the payload length matters");
	memcpy(other, base, sizeof(base));
	other[45] = 0x01;	/* router alert value */
	ok(!mute6_same(base, other, 56),
	   "ah6: immutable option data matters");

	/* every hop of a 3-address route mutes to the same bytes */
	memcpy(other, rt3, sizeof(rt3));
	for (int hop = 1; hop <= 3; hop++) {
		rt0_hop(other, 40);
		if (!mute6_same(rt3, other, sizeof(rt3))) {
			diag("after hop %d the muted headers differ", hop);
			all = false;
		}
	}
	ok(all && other[43] == 0 && other[39] == 0x13,
	   "ah6: routing type 0 as sent and after each hop mute alike");
}

int main(void)
{
	test_hdr_len();
	test_write_header();
	test_read_header();
	test_ah4_mute();
	test_ah4_invariance();
	test_ah6_mute();
	test_ah6_invariance();
	return tap_done();
}
