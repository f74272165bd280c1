// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for src/core/ipv6_hbh.c: which hop-by-hop options headers a
 * decapsulated IPv6 packet may carry. Prints TAP; exits 0 only if
 * everything passed.
 */
#include "ipv6_hbh.h"
#include "tap.h"

static const struct kipsec_hbh_limits lim = {
	.max_len = 64, .max_opts = 8, .drop_unknown = false,
};

static bool check(const u8 *h, unsigned int len)
{
	unsigned int ra = 0;

	return kipsec_ipv6_hbh_check(h, len, &lim, &ra);
}

int main(void)
{
	/* Next Header (UDP), Hdr Ext Len, then the options. */
	const u8 padn4[8] = { 17, 0, 1, 4, 0, 0, 0, 0 };
	const u8 pad1s[8] = { 17, 0, 0, 0, 0, 0, 0, 0 };
	const u8 padn_data[8] = { 17, 0, 1, 4, 0, 0, 1, 0 };
	const u8 ra[8] = { 17, 0, 5, 2, 0, 0, 1, 0 };	/* MLD, PadN(0) */
	const u8 ra_short[8] = { 17, 0, 5, 1, 0, 0, 0, 0 };
	const u8 jumbo[8] = { 17, 0, 0xc2, 4, 0, 1, 0, 0 };
	const u8 skip_unknown[8] = { 17, 0, 0x1e, 4, 9, 9, 9, 9 };
	const u8 discard_unknown[8] = { 17, 0, 0x5e, 4, 9, 9, 9, 9 };
	const u8 icmp_unknown[8] = { 17, 0, 0x9e, 4, 9, 9, 9, 9 };
	const u8 overrun[8] = { 17, 0, 0x1e, 5, 9, 9, 9, 9 };
	const u8 lone_type[8] = { 17, 0, 1, 3, 0, 0, 0, 0x1e };
	const u8 long_pad[16] = { 17, 1, 1, 12, 0, 0, 0, 0, 0, 0, 0, 0,
				  0, 0, 0, 0 };
	const u8 two_opts[16] = { 17, 1, 0x1e, 0, 0x1e, 0, 0x1e, 0, 0x1e, 0,
				  0x1e, 0, 0x1e, 0, 0x1e, 0 };
	struct kipsec_hbh_limits strict = lim;
	unsigned int ra_off = 0;

	ok(check(padn4, 8), "PadN(4) fills an 8-byte header");
	ok(check(pad1s, 8), "six Pad1 bytes fill an 8-byte header");
	ok(!check(padn4, 16), "a length other than (Hdr Ext Len + 1) * 8 is refused");
	ok(!check(padn_data, 8), "PadN with non-zero data is refused (RFC 4942)");
	ok(!check(long_pad, 16), "14 bytes of padding in a row are refused (RFC 4942: at most 7)");
	ok(kipsec_ipv6_hbh_check(ra, 8, &lim, &ra_off) && ra_off == 2,
	   "Router Alert is accepted and its offset reported");
	ok(!check(ra_short, 8), "Router Alert with 1 byte of data is refused");
	ok(!check(jumbo, 8), "Jumbo Payload is refused");
	ok(check(skip_unknown, 8), "unknown type 0x1e (action 00: skip) is skipped");
	ok(!check(discard_unknown, 8), "unknown type 0x5e (action 01: discard) is refused");
	ok(!check(icmp_unknown, 8), "unknown type 0x9e (action 10: discard, ICMP) is refused");
	ok(!check(overrun, 8), "an option longer than what is left is refused");
	ok(!check(lone_type, 8), "a type byte without its length at the end is refused");
	ok(check(two_opts, 16), "seven options where eight are allowed");
	strict.max_opts = 6;
	ok(!kipsec_ipv6_hbh_check(two_opts, 16, &strict, &ra_off),
	   "seven options where six are allowed are refused");
	strict = lim;
	strict.drop_unknown = true;
	ok(!kipsec_ipv6_hbh_check(skip_unknown, 8, &strict, &ra_off),
	   "a negative max_hbh_opts_cnt refuses even skippable unknowns");
	strict = lim;
	strict.max_len = 8;
	ok(!kipsec_ipv6_hbh_check(two_opts, 16, &strict, &ra_off),
	   "a header longer than max_hbh_opts_len is refused");
	return tap_done();
}
