// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for src/core/esp_trailer.c and src/core/bytes.h: ESP padding
 * and trailer (RFC 4303 2.4-2.6), ESP header, AEAD IV and AAD layouts
 * (RFC 4106 3.1 and 5).  Prints TAP; exits 0 only if everything passed.
 *
 * Build and run by hand from the top of the tree:
 *
 *   cc -std=c11 -Wall -Wextra -Werror -Iinclude/uapi -Isrc/core tests/unit/test_esp_trailer.c src/core/esp_trailer.c -o /tmp/test_esp_trailer
 *   /tmp/test_esp_trailer
 */

#include <stdio.h>
#include <string.h>

#include "bytes.h"
#include "esp_trailer.h"
#include "tap.h"

typedef enum kipsec_esp_trailer_result res_t;

static const char *rname(res_t r)
{
	switch (r) {
	case KIPSEC_ESP_TRAILER_OK:
		return "OK";
	case KIPSEC_ESP_TRAILER_TRUNCATED:
		return "TRUNCATED";
	case KIPSEC_ESP_TRAILER_BAD_PADDING:
		return "BAD_PADDING";
	case KIPSEC_ESP_TRAILER_DUMMY:
		return "DUMMY";
	}
	return "?";
}

#define is_res(got, want, ...)						\
	do {								\
		res_t g_ = (got), w_ = (want);				\
		if (!ok(g_ == w_, __VA_ARGS__))				\
			diag("  got %s, expected %s", rname(g_), rname(w_)); \
	} while (0)

static bool bytes_eq(const u8 *got, const u8 *want, size_t n,
		     const char *what)
{
	bool same = memcmp(got, want, n) == 0;

	if (!ok(same, "%s", what)) {
		char g[3 * 64 + 1] = "", w[3 * 64 + 1] = "";

		for (size_t i = 0; i < n && i < 64; i++) {
			sprintf(g + 3 * i, "%02x ", got[i]);
			sprintf(w + 3 * i, "%02x ", want[i]);
		}
		diag("       got: %s", g);
		diag("  expected: %s", w);
	}
	return same;
}

/* ------------------------------------------------------------------ */

static void test_bytes(void)
{
	u8 b[8];
	static const u8 want[8] = { 0x01, 0x23, 0x45, 0x67,
				    0x89, 0xab, 0xcd, 0xef };

	memset(b, 0, sizeof(b));
	kipsec_put_be16(b, 0x0123);
	bytes_eq(b, want, 2, "put_be16 stores most significant byte first");
	kipsec_put_be32(b, 0x01234567);
	bytes_eq(b, want, 4, "put_be32 stores most significant byte first");
	kipsec_put_be64(b, 0x0123456789abcdefULL);
	bytes_eq(b, want, 8, "put_be64 stores most significant byte first");
	is_uint(kipsec_get_be16(want), 0x0123, "get_be16");
	is_uint(kipsec_get_be32(want), 0x01234567, "get_be32");
	is_uint(kipsec_get_be64(want), 0x0123456789abcdefULL, "get_be64");
	is_uint(kipsec_get_be32(want + 1), 0x23456789,
		"get_be32 at an odd address");

	/* high bytes must not sign-extend into the result */
	memset(b, 0xff, sizeof(b));
	is_uint(kipsec_get_be16(b), 0xffff, "get_be16 of ff ff");
	is_uint(kipsec_get_be32(b), 0xffffffffULL, "get_be32 of ff x4");
	is_uint(kipsec_get_be64(b), 0xffffffffffffffffULL, "get_be64 of ff x8");
}

/* ------------------------------------------------------------------ */

/*
 * Expected padding by payload_len % alignment, written out by hand:
 * the pad brings payload + pad + 2 to the next multiple of the alignment.
 */
static const u32 pad4[4] = { 2, 1, 0, 3 };
static const u32 pad8[8] = { 6, 5, 4, 3, 2, 1, 0, 7 };
static const u32 pad16[16] = { 14, 13, 12, 11, 10, 9, 8, 7,
			       6, 5, 4, 3, 2, 1, 0, 15 };

static void check_pad_table(u32 block, const u32 *table, u32 align)
{
	/* Every residue, at several multiples of the alignment. */
	static const u32 bases[] = { 0, 1, 7, 100, 65536, 0xfffff000U };
	bool all = true;

	for (size_t b = 0; b < sizeof(bases) / sizeof(bases[0]); b++) {
		u32 base = bases[b] - bases[b] % align;

		for (u32 r = 0; r < align; r++) {
			u32 pad = 999;
			bool good = kipsec_esp_pad_len(base + r, block, &pad);

			if (!good || pad != table[r]) {
				diag("block %u payload %u: ok %d pad %u, expected %u",
				     block, base + r, good, pad, table[r]);
				all = false;
			}
		}
	}
	ok(all, "block %u: pad for every payload length mod %u", block, align);
}

static void test_pad_len(void)
{
	u32 pad;

	check_pad_table(0, pad4, 4);
	check_pad_table(1, pad4, 4);
	check_pad_table(2, pad4, 4);
	check_pad_table(4, pad4, 4);
	check_pad_table(8, pad8, 8);
	check_pad_table(16, pad16, 16);

	/* spot checks against concrete packets */
	ok(kipsec_esp_pad_len(0, 16, &pad) && pad == 14,
	   "empty payload, AES-CBC: 14 pad bytes fill one block");
	ok(kipsec_esp_pad_len(14, 16, &pad) && pad == 0,
	   "14-byte payload, AES-CBC: no padding");
	ok(kipsec_esp_pad_len(15, 16, &pad) && pad == 15,
	   "15-byte payload, AES-CBC: a whole extra block");
	ok(kipsec_esp_pad_len(84, 1, &pad) && pad == 2,
	   "84-byte ping, GCM: 2 pad bytes for 4-byte alignment");
	ok(kipsec_esp_pad_len(1500, 8, &pad) && pad == 2,
	   "1500 bytes, 3DES: 2 pad bytes");
	ok(kipsec_esp_pad_len(0xffffffffU, 16, &pad) && pad == 15,
	   "payload 2^32-1 does not overflow the arithmetic");
	ok(kipsec_esp_pad_len(0xfffffffeU, 1, &pad) && pad == 0,
	   "payload 2^32-2, stream cipher: 0");

	/* blocks that are not a multiple of 4 still give 4-byte alignment */
	{
		static const u32 blocks[] = { 3, 5, 6, 12, 24, 255 };
		bool all = true;

		for (size_t b = 0; b < sizeof(blocks) / sizeof(blocks[0]); b++) {
			for (u32 p = 0; p < 2000; p++) {
				u32 blk = blocks[b], total;

				if (!kipsec_esp_pad_len(p, blk, &pad))
					continue;	/* > 255 for odd 255 */
				total = p + pad + 2;
				if (total % blk || total % 4 || pad > 255) {
					diag("block %u payload %u pad %u",
					     blk, p, pad);
					all = false;
				}
			}
		}
		ok(all, "odd block sizes: multiple of the block and of 4");
	}

	/* the guards */
	ok(kipsec_esp_pad_len(0, 256, &pad) && pad == 254,
	   "block 256: 254 pad bytes still fit");
	ok(kipsec_esp_pad_len(255, 256, &pad) && pad == 255,
	   "block 256: 255 pad bytes still fit");
	pad = 12345;
	ok(!kipsec_esp_pad_len(0, 257, &pad) && pad == 12345,
	   "block above 256 rejected, output untouched");
	ok(!kipsec_esp_pad_len(0, 0xffffffffU, &pad) && pad == 12345,
	   "block 2^32-1 rejected without overflow");
	/* block 255 aligns to 1020: a payload needing > 255 is refused */
	ok(!kipsec_esp_pad_len(0, 255, &pad) && pad == 12345,
	   "pad above 255 refused (block 255, empty payload needs 1018)");
	ok(kipsec_esp_pad_len(1018 - 255, 255, &pad) && pad == 255,
	   "block 255: exactly 255 pad bytes accepted");
}

/* ------------------------------------------------------------------ */

static void test_write_trailer(void)
{
	u8 buf[300];
	static const u8 want5[] = { 0xaa, 1, 2, 3, 4, 5, 5, 4, 0xaa };
	static const u8 want0[] = { 0xaa, 0, 41, 0xaa };
	bool all = true;

	memset(buf, 0xaa, sizeof(buf));
	ok(kipsec_esp_write_trailer(buf + 1, 5, 4), "write 5 pad bytes");
	bytes_eq(buf, want5, sizeof(want5),
		 "1 2 3 4 5, pad length 5, next header 4 (IPIP), no overrun");

	memset(buf, 0xaa, sizeof(buf));
	ok(kipsec_esp_write_trailer(buf + 1, 0, 41), "write no padding");
	bytes_eq(buf, want0, sizeof(want0),
		 "pad length 0, next header 41 (IPv6), no overrun");

	memset(buf, 0xaa, sizeof(buf));
	ok(kipsec_esp_write_trailer(buf, 255, 17), "write 255 pad bytes");
	for (u32 i = 0; i < 255; i++)
		all &= buf[i] == i + 1;
	ok(all && buf[255] == 255 && buf[256] == 17 && buf[257] == 0xaa,
	   "255 pad bytes 1..255, pad length 255, next header 17");

	memset(buf, 0xaa, sizeof(buf));
	ok(!kipsec_esp_write_trailer(buf, 256, 17) && buf[0] == 0xaa,
	   "pad length 256 refused, nothing written");
}

static void test_round_trip(void)
{
	static const u8 nexthdrs[] = { 4, 6, 17, 41, 50, 255, 0 };
	static const u32 payloads[] = { 0, 1, 2, 3, 14, 15, 16, 20, 40,
					1400, 1500 };
	static const u32 blocks[] = { 1, 4, 8, 16 };
	u8 buf[1500 + 16 + 2];
	bool all = true;
	int n = 0;

	for (size_t b = 0; b < sizeof(blocks) / sizeof(blocks[0]); b++)
		for (size_t p = 0; p < sizeof(payloads) / sizeof(payloads[0]); p++)
			for (size_t h = 0; h < sizeof(nexthdrs); h++) {
				u32 plen = payloads[p], pad = 0, got_len = 0;
				u8 nh = 0;
				res_t r;

				memset(buf, 0x5c, plen);
				if (!kipsec_esp_pad_len(plen, blocks[b], &pad) ||
				    !kipsec_esp_write_trailer(buf + plen, pad,
							      nexthdrs[h])) {
					all = false;
					continue;
				}
				r = kipsec_esp_parse_trailer(buf, plen + pad + 2,
							     &got_len, &nh);
				if (r != KIPSEC_ESP_TRAILER_OK ||
				    got_len != plen || nh != nexthdrs[h]) {
					diag("block %u payload %u nh %u: %s len %u nh %u",
					     blocks[b], plen, nexthdrs[h],
					     rname(r), got_len, nh);
					all = false;
				}
				n++;
			}
	ok(all, "write then parse gives back payload and next header (%d cases)",
	   n);

	/* every pad length, including ones no cipher needs (TFC-like) */
	all = true;
	for (u32 pad = 0; pad <= 255; pad++) {
		u32 got_len = 0;
		u8 nh = 0;

		memset(buf, 0x33, 10);
		kipsec_esp_write_trailer(buf + 10, pad, 6);
		if (kipsec_esp_parse_trailer(buf, 10 + pad + 2, &got_len, &nh) !=
		    KIPSEC_ESP_TRAILER_OK || got_len != 10 || nh != 6) {
			diag("pad %u fails the round trip", pad);
			all = false;
		}
	}
	ok(all, "round trip for every pad length 0..255");
}

/* ------------------------------------------------------------------ */

/* parse and check that outputs stay untouched on failure */
static res_t parse_keep(const u8 *plain, u32 len, bool *untouched)
{
	u32 plen = 0xdeadbeef;
	u8 nh = 0xee;
	res_t r = kipsec_esp_parse_trailer(plain, len, &plen, &nh);

	*untouched = plen == 0xdeadbeef && nh == 0xee;
	return r;
}

static void test_malformed(void)
{
	u8 buf[64];
	u32 plen;
	u8 nh;
	bool untouched;

	/* zero length: a NULL buffer must not be read */
	is_res(parse_keep(NULL, 0, &untouched), KIPSEC_ESP_TRAILER_TRUNCATED,
	       "zero-length plaintext is truncated");
	ok(untouched, "outputs untouched (zero length)");
	buf[0] = 0;
	is_res(parse_keep(buf, 1, &untouched), KIPSEC_ESP_TRAILER_TRUNCATED,
	       "one byte is truncated");
	ok(untouched, "outputs untouched (one byte)");

	/* exactly the two trailer bytes */
	buf[0] = 0;
	buf[1] = 4;
	plen = 99;
	nh = 0;
	is_res(kipsec_esp_parse_trailer(buf, 2, &plen, &nh),
	       KIPSEC_ESP_TRAILER_OK, "2 bytes, pad length 0: OK");
	ok(plen == 0 && nh == 4, "  empty payload, next header 4");
	buf[0] = 1;
	is_res(parse_keep(buf, 2, &untouched), KIPSEC_ESP_TRAILER_TRUNCATED,
	       "2 bytes, pad length 1: truncated");
	ok(untouched, "outputs untouched (2 bytes, pad length 1)");
	buf[0] = 0;
	buf[1] = KIPSEC_ESP_NEXTHDR_DUMMY;
	is_res(kipsec_esp_parse_trailer(buf, 2, &plen, &nh),
	       KIPSEC_ESP_TRAILER_DUMMY, "2 bytes, next header 59: dummy");

	/* pad length too large for the plaintext */
	memset(buf, 0x11, sizeof(buf));
	kipsec_esp_write_trailer(buf + 4, 6, 17);	/* 12 bytes in all */
	is_res(kipsec_esp_parse_trailer(buf, 12, &plen, &nh),
	       KIPSEC_ESP_TRAILER_OK, "reference trailer parses");
	buf[10] = 10;		/* exactly plaintext - 2: payload empty */
	for (u32 i = 0; i < 10; i++)
		buf[i] = (u8)(i + 1);
	is_res(kipsec_esp_parse_trailer(buf, 12, &plen, &nh),
	       KIPSEC_ESP_TRAILER_OK, "pad length = plaintext - 2: OK");
	ok(plen == 0, "  payload length 0");
	buf[10] = 11;
	is_res(parse_keep(buf, 12, &untouched), KIPSEC_ESP_TRAILER_TRUNCATED,
	       "pad length = plaintext - 1: truncated");
	ok(untouched, "outputs untouched (pad length one too large)");
	buf[10] = 255;
	is_res(parse_keep(buf, 12, &untouched), KIPSEC_ESP_TRAILER_TRUNCATED,
	       "pad length 255 in 12 bytes: truncated");
	ok(untouched, "outputs untouched (pad length 255)");

	/* non-monotonic padding at the first, a middle and the last byte */
	{
		static const struct {
			u32 at;
			u8 val;
			const char *what;
		} bad[] = {
			{ 0, 0, "first pad byte 0" },
			{ 0, 2, "first pad byte 2" },
			{ 3, 3, "middle pad byte repeated" },
			{ 3, 0x84, "middle pad byte with the high bit" },
			{ 6, 0, "last pad byte 0" },
			{ 6, 8, "last pad byte one too high" },
			{ 6, 6, "last pad byte repeated" },
		};

		for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
			/* payload 5 bytes, 7 pad bytes, trailer: 14 bytes */
			memset(buf, 0x77, sizeof(buf));
			kipsec_esp_write_trailer(buf + 5, 7, 6);
			buf[5 + bad[k].at] = bad[k].val;
			is_res(parse_keep(buf, 14, &untouched),
			       KIPSEC_ESP_TRAILER_BAD_PADDING, "%s",
			       bad[k].what);
			ok(untouched, "  outputs untouched");
		}
	}

	/* 0 0 0 ... padding, as some broken senders emit */
	memset(buf, 0, sizeof(buf));
	buf[8] = 8;
	buf[9] = 6;
	is_res(parse_keep(buf, 10, &untouched), KIPSEC_ESP_TRAILER_BAD_PADDING,
	       "all-zero padding is bad");

	/* one flipped bit anywhere in 255 bytes of padding */
	{
		u8 big[255 + 2];
		bool all = true;

		for (u32 at = 0; at < 255; at++) {
			kipsec_esp_write_trailer(big, 255, 6);
			big[at] ^= 0x40;
			if (kipsec_esp_parse_trailer(big, sizeof(big), &plen,
						     &nh) !=
			    KIPSEC_ESP_TRAILER_BAD_PADDING) {
				diag("flip at %u not detected", at);
				all = false;
			}
		}
		ok(all, "a flipped bit at every position of 255 pad bytes");
	}
}

static void test_dummy(void)
{
	u8 buf[32];
	u32 plen = 0;
	u8 nh = 0;
	bool untouched;

	memset(buf, 0xab, sizeof(buf));
	kipsec_esp_write_trailer(buf + 13, 1, KIPSEC_ESP_NEXTHDR_DUMMY);
	is_res(kipsec_esp_parse_trailer(buf, 16, &plen, &nh),
	       KIPSEC_ESP_TRAILER_DUMMY, "next header 59 is a dummy packet");
	ok(plen == 13 && nh == 59, "  payload length and next header set");

	buf[13] = 7;
	is_res(parse_keep(buf, 16, &untouched), KIPSEC_ESP_TRAILER_BAD_PADDING,
	       "dummy with bad padding reports the padding");
	ok(untouched, "  outputs untouched");

	buf[13] = 1;
	buf[14] = 15;
	is_res(parse_keep(buf, 16, &untouched), KIPSEC_ESP_TRAILER_TRUNCATED,
	       "dummy with oversized pad length is truncated");

	memset(buf, 0, sizeof(buf));
	kipsec_esp_write_trailer(buf, 2, 58);	/* ICMPv6, not a dummy */
	is_res(kipsec_esp_parse_trailer(buf, 4, &plen, &nh),
	       KIPSEC_ESP_TRAILER_OK, "next header 58 is not a dummy");
}

/* ------------------------------------------------------------------ */

static void test_header(void)
{
	u8 hdr[KIPSEC_ESP_HDR_LEN + 1];
	static const u8 want[] = { 0x12, 0x34, 0x56, 0x78,
				   0x9a, 0xbc, 0xde, 0xf0, 0xcc };
	static const u8 want_one[] = { 0x00, 0x00, 0x01, 0x00,
				       0x00, 0x00, 0x00, 0x01 };
	u32 spi = 0, seq = 0;

	memset(hdr, 0xcc, sizeof(hdr));
	kipsec_esp_write_header(hdr, 0x12345678, 0x000000079abcdef0ULL);
	bytes_eq(hdr, want, sizeof(want),
		 "SPI then low 32 bits of seq, big-endian, 8 bytes only");
	kipsec_esp_read_header(hdr, &spi, &seq);
	is_uint(spi, 0x12345678, "read back SPI");
	is_uint(seq, 0x9abcdef0, "read back seq");

	kipsec_esp_write_header(hdr, 256, 1);
	bytes_eq(hdr, want_one, sizeof(want_one),
		 "first packet of SPI 256: 00000100 00000001");
}

static void test_iv(void)
{
	u8 iv[KIPSEC_ESP_AEAD_IV_LEN + 1];
	static const u8 want1[] = { 0, 0, 0, 0, 0, 0, 0, 1, 0xcc };
	static const u8 want_esn[] = { 0x00, 0x00, 0x00, 0x01,
				       0x00, 0x00, 0x00, 0x02, 0xcc };
	static const u8 want_max[] = { 0xff, 0xff, 0xff, 0xff,
				       0xff, 0xff, 0xff, 0xff, 0xcc };
	u8 a[8], b[8];

	memset(iv, 0xcc, sizeof(iv));
	kipsec_esp_aead_iv(iv, 1);
	bytes_eq(iv, want1, sizeof(want1), "IV of seq 1: 00..01, 8 bytes only");
	kipsec_esp_aead_iv(iv, 0x0000000100000002ULL);
	bytes_eq(iv, want_esn, sizeof(want_esn),
		 "IV of ESN seq 2^32+2 carries the high half");
	kipsec_esp_aead_iv(iv, 0xffffffffffffffffULL);
	bytes_eq(iv, want_max, sizeof(want_max), "IV of seq 2^64-1");

	/* same low half, different high half: must differ (ESN wrap) */
	kipsec_esp_aead_iv(a, 0x0000000000000005ULL);
	kipsec_esp_aead_iv(b, 0x0000000100000005ULL);
	ok(memcmp(a, b, 8) != 0, "IVs differ across an ESN low-half wrap");
}

static void test_aad(void)
{
	u8 aad[KIPSEC_ESP_AAD_MAX_LEN + 1];
	/* hand-built: SPI 0x0000a5f8, seq 10 (non-ESN) */
	static const u8 want[] = { 0x00, 0x00, 0xa5, 0xf8,
				   0x00, 0x00, 0x00, 0x0a, 0xcc };
	/* ESN: SPI 0x4a2cbfe3, seq 0x00000001_00000002 */
	static const u8 want_esn[] = { 0x4a, 0x2c, 0xbf, 0xe3,
				       0x00, 0x00, 0x00, 0x01,
				       0x00, 0x00, 0x00, 0x02, 0xcc };
	u8 hdr[KIPSEC_ESP_HDR_LEN];

	memset(aad, 0xcc, sizeof(aad));
	is_uint(kipsec_esp_aead_aad(aad, 0x0000a5f8, 10, false), 8,
		"non-ESN AAD is 8 bytes");
	bytes_eq(aad, want, 9, "non-ESN AAD: SPI || seq, nothing more written");

	kipsec_esp_write_header(hdr, 0x0000a5f8, 10);
	ok(memcmp(aad, hdr, 8) == 0, "non-ESN AAD equals the ESP header");

	memset(aad, 0xcc, sizeof(aad));
	is_uint(kipsec_esp_aead_aad(aad, 0x4a2cbfe3, 0x0000000100000002ULL,
				    true), 12, "ESN AAD is 12 bytes");
	bytes_eq(aad, want_esn, sizeof(want_esn),
		 "ESN AAD: SPI || seq_hi || seq_lo");

	memset(aad, 0xcc, sizeof(aad));
	is_uint(kipsec_esp_aead_aad(aad, 0x4a2cbfe3, 0x0000000100000002ULL,
				    false), 8,
		"a non-ESN SA only ever uses the low half");
	ok(aad[4] == 0 && aad[7] == 2 && aad[8] == 0xcc,
	   "  low half 00000002, high half not written");

	memset(aad, 0xcc, sizeof(aad));
	kipsec_esp_aead_aad(aad, 0x00000100, 5, true);
	ok(aad[4] == 0 && aad[5] == 0 && aad[6] == 0 && aad[7] == 0 &&
	   aad[11] == 5, "ESN AAD with high half 0 still has 4 zero bytes");
}

/* The largest payload that fits, checked against the padding rule itself. */
static void test_max_payload(void)
{
	static const u32 blocks[] = { 1, 4, 8, 16 };

	for (size_t b = 0; b < sizeof(blocks) / sizeof(blocks[0]); b++) {
		unsigned int bad = 0;

		for (u32 room = 0; room < 2000; room++) {
			u32 p = kipsec_esp_max_payload(room, blocks[b]), pad, next;

			if (!p) {
				/* nothing fits: even 0 bytes need a whole block */
				kipsec_esp_pad_len(0, blocks[b], &pad);
				bad += pad + 2 <= room;
				continue;
			}
			kipsec_esp_pad_len(p, blocks[b], &pad);
			kipsec_esp_pad_len(p + 1, blocks[b], &next);
			bad += p + pad + 2 > room || p + 1 + next + 2 <= room;
		}
		ok(!bad, "max payload for block %u fits and is the largest (0..1999)",
		   blocks[b]);
	}
	ok(kipsec_esp_max_payload(1500 - 20 - 8 - 16 - 16, 16) == 1438,
	   "AES-CBC/SHA-256 in 1500 bytes of IPv4: 1438 payload bytes");
}

int main(void)
{
	test_max_payload();
	test_bytes();
	test_pad_len();
	test_write_trailer();
	test_round_trip();
	test_malformed();
	test_dummy();
	test_header();
	test_iv();
	test_aad();
	return tap_done();
}
