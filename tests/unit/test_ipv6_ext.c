// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for src/core/ipv6_ext.c: the lengths of the IPv6 extension
 * headers in front of ESP/AH, and which fragment headers may stand there.
 * Prints TAP; exits 0 only if everything passed.
 */
#include "ipv6_ext.h"
#include "tap.h"

int main(void)
{
	/* Next Header, Hdr Ext Len (or reserved), then two bytes. */
	const u8 opts0[4] = { 50, 0, 1, 4 };
	const u8 opts3[4] = { 50, 3, 1, 4 };
	const u8 ah4[4] = { 50, 4, 0, 0 };	/* HMAC-SHA-256-128: 24 bytes */
	const u8 atomic[4] = { 50, 0, 0, 0 };
	const u8 atomic_reserved_set[4] = { 50, 0xff, 0, 0x06 };
	const u8 first_fragment[4] = { 50, 0, 0, 1 };	/* offset 0, M */
	const u8 later_fragment[4] = { 50, 0, 0x05, 0x38 };	/* offset 167 */
	const u8 last_fragment[4] = { 50, 0, 0, 0x08 };	/* offset 1, no M */

	is_int(kipsec_ipv6_ext_len(KIPSEC_NEXTHDR_HOP, opts0), 8,
	       "hop-by-hop with Hdr Ext Len 0: 8 bytes");
	is_int(kipsec_ipv6_ext_len(KIPSEC_NEXTHDR_DEST, opts3), 32,
	       "destination options with Hdr Ext Len 3: 32 bytes");
	is_int(kipsec_ipv6_ext_len(KIPSEC_NEXTHDR_ROUTING, opts3), 32,
	       "routing header with Hdr Ext Len 3: 32 bytes");
	is_int(kipsec_ipv6_ext_len(KIPSEC_NEXTHDR_AH, ah4), 24,
	       "AH with Payload Len 4: 24 bytes (4-byte units, minus 2)");
	is_int(kipsec_ipv6_ext_len(KIPSEC_NEXTHDR_FRAGMENT, atomic), 8,
	       "atomic fragment: 8 bytes");
	is_int(kipsec_ipv6_ext_len(KIPSEC_NEXTHDR_FRAGMENT, atomic_reserved_set), 8,
	       "atomic fragment with its reserved byte and bits set: still 8 bytes, not (reserved + 1) * 8");
	is_int(kipsec_ipv6_ext_len(KIPSEC_NEXTHDR_FRAGMENT, first_fragment), -EINVAL,
	       "first fragment (offset 0, M set) is not atomic");
	is_int(kipsec_ipv6_ext_len(KIPSEC_NEXTHDR_FRAGMENT, later_fragment), -EINVAL,
	       "a fragment with an offset is refused");
	is_int(kipsec_ipv6_ext_len(KIPSEC_NEXTHDR_FRAGMENT, last_fragment), -EINVAL,
	       "the last fragment (offset, no M) is refused");
	is_int(kipsec_ipv6_ext_len(KIPSEC_NEXTHDR_DEST, NULL), -EINVAL,
	       "destination options cut short: refused");
	is_int(kipsec_ipv6_ext_len(KIPSEC_NEXTHDR_FRAGMENT, NULL), -EINVAL,
	       "fragment header cut short: refused");
	is_int(kipsec_ipv6_ext_len(59, NULL), 0,
	       "No Next Header with nothing after it ends the walk");
	is_int(kipsec_ipv6_ext_len(50, opts0), 0, "ESP ends the walk");
	is_int(kipsec_ipv6_ext_len(6, opts0), 0, "TCP ends the walk");
	is_int(kipsec_ipv6_ext_len(59, opts0), 0, "No Next Header ends the walk");
	return tap_done();
}
