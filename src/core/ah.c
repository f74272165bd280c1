// SPDX-License-Identifier: GPL-2.0
/*
 * AH header layout (RFC 4302 section 2) and the muting of mutable IPv4 and
 * IPv6 header fields for the ICV (RFC 4302 section 3.3.3.1, appendix A).
 * See ah.h for the contracts.
 */

#include "core_types.h"
#include "bytes.h"
#include "ah.h"
#include "ipv6_ext.h"

/* IPv4 option types (RFC 791 and the registry RFC 4302 A.1 lists) */
#define KIPSEC_IPOPT_EOL	0	/* End of Options List */
#define KIPSEC_IPOPT_NOP	1	/* No Operation */
#define KIPSEC_IPOPT_SEC	130	/* Security (RFC 1108) */
#define KIPSEC_IPOPT_LSRR	131	/* Loose Source Route */
#define KIPSEC_IPOPT_ESEC	133	/* Extended Security (RFC 1108) */
#define KIPSEC_IPOPT_CIPSO	134	/* Commercial Security */
#define KIPSEC_IPOPT_SSRR	137	/* Strict Source Route */
#define KIPSEC_IPOPT_RA		148	/* Router Alert (RFC 2113) */
#define KIPSEC_IPOPT_SDMDD	149	/* Sender Directed M-D Delivery */

/* Offsets in the fixed IPv4 header */
#define KIPSEC_IPV4_OFF_TOS	1
#define KIPSEC_IPV4_OFF_FRAG	6
#define KIPSEC_IPV4_OFF_TTL	8
#define KIPSEC_IPV4_OFF_CSUM	10
#define KIPSEC_IPV4_OFF_DADDR	16


/* Offsets in the fixed IPv6 header */
#define KIPSEC_IPV6_OFF_NEXTHDR	6
#define KIPSEC_IPV6_OFF_HOPLIM	7
#define KIPSEC_IPV6_OFF_DADDR	24
#define KIPSEC_IPV6_ADDR_LEN	16

/* Hop-by-Hop / Destination option type: Pad1, and "may change en route" */
#define KIPSEC_IPV6_OPT_PAD1	0
#define KIPSEC_IPV6_OPT_MUTABLE	0x20

/* Offsets in a routing header (RFC 8200 section 4.4); type 0 and 2 lists */
#define KIPSEC_RT_OFF_TYPE	2
#define KIPSEC_RT_OFF_SEGLEFT	3
#define KIPSEC_RT_OFF_ADDRS	8

/*
 * The AH length for a given alignment.  The bound on the inputs keeps the
 * sum far from wrapping, whatever a caller passes.
 */
static u32 kipsec_ah_len_aligned(u32 iv_len, u32 icv_len, u32 align)
{
	u32 len;

	if (!icv_len || iv_len > KIPSEC_AH_MAX_LEN ||
	    icv_len > KIPSEC_AH_MAX_LEN)
		return 0;
	len = KIPSEC_AH_FIXED_LEN + iv_len + icv_len;
	len = (len + align - 1) & ~(align - 1);
	return len <= KIPSEC_AH_MAX_LEN ? len : 0;
}

u32 kipsec_ah_hdr_len(u32 iv_len, u32 icv_len, bool ipv6)
{
	return kipsec_ah_len_aligned(iv_len, icv_len, ipv6 ? 8 : 4);
}

void kipsec_ah_write_header(u8 *ah, u32 ah_len, u8 next_header, u32 spi,
			    u64 seq)
{
	ah[KIPSEC_AH_OFF_NEXTHDR] = next_header;
	ah[KIPSEC_AH_OFF_PAYLOAD_LEN] = (u8)(ah_len / 4 - 2);
	kipsec_put_be16(ah + KIPSEC_AH_OFF_RESERVED, 0);
	kipsec_put_be32(ah + KIPSEC_AH_OFF_SPI, spi);
	kipsec_put_be32(ah + KIPSEC_AH_OFF_SEQ, (u32)seq);
	memset(ah + KIPSEC_AH_FIXED_LEN, 0, ah_len - KIPSEC_AH_FIXED_LEN);
}

u32 kipsec_ah_spi(const u8 *ah)
{
	return kipsec_get_be32(ah + KIPSEC_AH_OFF_SPI);
}

int kipsec_ah_read_header(const u8 *ah, u32 avail, u32 iv_len, u32 icv_len,
			  bool ipv6, struct kipsec_ah_fields *out)
{
	u32 want = kipsec_ah_hdr_len(iv_len, icv_len, ipv6);
	u32 len;

	if (!want || avail < KIPSEC_AH_FIXED_LEN)
		return -EINVAL;
	len = ((u32)ah[KIPSEC_AH_OFF_PAYLOAD_LEN] + 2) * 4;
	/* IPv4 only: Linux XFRM's default 8-byte alignment, see ah.h */
	if (len != want &&
	    (ipv6 || len != kipsec_ah_len_aligned(iv_len, icv_len, 8)))
		return -EINVAL;
	if (avail < len)
		return -EINVAL;

	/* Reserved (bytes 2 and 3) is not looked at: RFC 4302 section 2.3. */
	out->next_header = ah[KIPSEC_AH_OFF_NEXTHDR];
	out->len = len;
	out->spi = kipsec_get_be32(ah + KIPSEC_AH_OFF_SPI);
	out->seq = kipsec_get_be32(ah + KIPSEC_AH_OFF_SEQ);
	return 0;
}

/* ------------------------------------------------------------------ */

/*
 * The options RFC 4302 appendix A.1 lists as immutable.  Everything else
 * is zeroed: the appendix lists the mutable ones it knows, and an option
 * nobody here knows could be rewritten on the way, so including it would
 * risk ICV failures while zeroing it only gives up protecting its content.
 */
static bool kipsec_ah4_opt_immutable(u8 type)
{
	switch (type) {
	case KIPSEC_IPOPT_SEC:
	case KIPSEC_IPOPT_ESEC:
	case KIPSEC_IPOPT_CIPSO:
	case KIPSEC_IPOPT_RA:
	case KIPSEC_IPOPT_SDMDD:
		return true;
	}
	return false;
}

/*
 * Loose or Strict Source Route: type, length, pointer, then the route
 * data.  The pointer is 1-based and starts at 4; each hop replaces the
 * address it points at with its own (RFC 791) and advances it by 4, so
 * the last address of the option is the final destination until the route
 * is used up (pointer > length), after which the Destination Address field
 * holds it.  The checks are those of Linux's ip_options_compile() for
 * received packets, plus one: a route needs at least one whole address.
 */
static int kipsec_ah4_srr(u8 *hdr, const u8 *opt, u32 optlen)
{
	u32 ptr = opt[2];

	if (optlen < 3 + 4 || ptr < 4)
		return -EINVAL;
	if (ptr > optlen)
		return 0;
	if (ptr + 3 > optlen)
		return -EINVAL;
	memcpy(hdr + KIPSEC_IPV4_OFF_DADDR, opt + optlen - 4, 4);
	return 0;
}

int kipsec_ah4_mute(u8 *hdr, u32 hlen)
{
	u32 off, optlen;
	u8 type;
	int err;

	if (hlen < KIPSEC_IPV4_HDR_LEN || hlen > KIPSEC_IPV4_MAX_HDR_LEN ||
	    hdr[0] >> 4 != 4 || (u32)(hdr[0] & 0x0f) * 4 != hlen)
		return -EINVAL;

	hdr[KIPSEC_IPV4_OFF_TOS] = 0;
	hdr[KIPSEC_IPV4_OFF_FRAG] = 0;		/* flags and offset */
	hdr[KIPSEC_IPV4_OFF_FRAG + 1] = 0;
	hdr[KIPSEC_IPV4_OFF_TTL] = 0;
	hdr[KIPSEC_IPV4_OFF_CSUM] = 0;
	hdr[KIPSEC_IPV4_OFF_CSUM + 1] = 0;

	off = KIPSEC_IPV4_HDR_LEN;
	while (off < hlen) {
		type = hdr[off];
		if (type == KIPSEC_IPOPT_EOL)
			break;
		if (type == KIPSEC_IPOPT_NOP) {
			off++;
			continue;
		}
		/* Every other option has a length byte, counting type and it */
		if (hlen - off < 2)
			return -EINVAL;
		optlen = hdr[off + 1];
		if (optlen < 2 || optlen > hlen - off)
			return -EINVAL;
		if (!kipsec_ah4_opt_immutable(type)) {
			if (type == KIPSEC_IPOPT_LSRR ||
			    type == KIPSEC_IPOPT_SSRR) {
				err = kipsec_ah4_srr(hdr, hdr + off, optlen);
				if (err)
					return err;
			}
			memset(hdr + off, 0, optlen);
		}
		off += optlen;
	}
	return 0;
}

/* ------------------------------------------------------------------ */

/*
 * Hop-by-Hop or Destination Options header of @hlen bytes: Next Header,
 * Hdr Ext Len, then options in TLV form up to the end (RFC 8200 section
 * 4.2).  Option types with the 0x20 bit may change en route; their data
 * counts as zeros for the ICV (RFC 4302 appendix A.2).
 */
static int kipsec_ah6_opts(u8 *h, u32 hlen)
{
	u32 off = 2, optlen;

	while (off < hlen) {
		if (h[off] == KIPSEC_IPV6_OPT_PAD1) {
			off++;
			continue;
		}
		if (hlen - off < 2)
			return -EINVAL;
		optlen = h[off + 1];
		if (optlen > hlen - off - 2)
			return -EINVAL;
		if (h[off] & KIPSEC_IPV6_OPT_MUTABLE)
			memset(h + off + 2, 0, optlen);
		off += 2 + optlen;
	}
	return 0;
}

/*
 * Routing header of @hlen bytes after the IPv6 header @ip6.  Types 0 and 2
 * carry a list of n addresses after 4 reserved bytes.  Each visited hop
 * swaps the Destination Address with list entry n - Segments Left and
 * decrements Segments Left (RFC 2460 section 4.4, which type 0 followed;
 * type 2 is the one-address case, RFC 6275 section 6.4).  When Segments
 * Left reaches 0 the destination is the last entry, and the entries not
 * visited before have each moved up by one place behind the Destination
 * Address of the moment.  That final state is what the ICV covers.
 */
static int kipsec_ah6_rthdr(u8 *ip6, u8 *rt, u32 hlen)
{
	u32 type = rt[KIPSEC_RT_OFF_TYPE];
	u32 segleft = rt[KIPSEC_RT_OFF_SEGLEFT];
	u8 final[KIPSEC_IPV6_ADDR_LEN];
	u32 n, first;
	u8 *addrs;

	/* Segments Left 0: the header is in its final state already. */
	if (!segleft)
		return 0;
	if (type != 0 && type != 2)
		return -EOPNOTSUPP;

	/* Hdr Ext Len counts 8-byte units: two per address */
	if (rt[1] % 2)
		return -EINVAL;
	n = rt[1] / 2;
	if (segleft > n || (type == 2 && n != 1))
		return -EINVAL;
	/* implied by Hdr Ext Len, but keep the bound local to the writes */
	if (KIPSEC_RT_OFF_ADDRS + n * KIPSEC_IPV6_ADDR_LEN > hlen)
		return -EINVAL;

	addrs = rt + KIPSEC_RT_OFF_ADDRS;
	first = n - segleft;
	memcpy(final, addrs + (n - 1) * KIPSEC_IPV6_ADDR_LEN,
	       KIPSEC_IPV6_ADDR_LEN);
	memmove(addrs + (first + 1) * KIPSEC_IPV6_ADDR_LEN,
		addrs + first * KIPSEC_IPV6_ADDR_LEN,
		(segleft - 1) * KIPSEC_IPV6_ADDR_LEN);
	memcpy(addrs + first * KIPSEC_IPV6_ADDR_LEN,
	       ip6 + KIPSEC_IPV6_OFF_DADDR, KIPSEC_IPV6_ADDR_LEN);
	memcpy(ip6 + KIPSEC_IPV6_OFF_DADDR, final, KIPSEC_IPV6_ADDR_LEN);
	rt[KIPSEC_RT_OFF_SEGLEFT] = 0;
	return 0;
}

int kipsec_ah6_mute(u8 *buf, u32 len)
{
	u32 off = KIPSEC_IPV6_HDR_LEN, hlen;
	u8 nexthdr;
	int err;

	if (len < KIPSEC_IPV6_HDR_LEN || buf[0] >> 4 != 6)
		return -EINVAL;

	/* Version stays; Traffic Class and Flow Label straddle bytes 0-3. */
	buf[0] &= 0xf0;
	buf[1] = 0;
	buf[2] = 0;
	buf[3] = 0;
	buf[KIPSEC_IPV6_OFF_HOPLIM] = 0;

	nexthdr = buf[KIPSEC_IPV6_OFF_NEXTHDR];
	while (off < len) {
		switch (nexthdr) {
		case KIPSEC_NEXTHDR_HOP:
		case KIPSEC_NEXTHDR_DEST:
		case KIPSEC_NEXTHDR_ROUTING:
			break;
		case KIPSEC_NEXTHDR_FRAGMENT:
			return -EOPNOTSUPP;
		default:
			return -EINVAL;
		}
		if (len - off < 2)
			return -EINVAL;
		hlen = ((u32)buf[off + 1] + 1) * 8;
		if (hlen > len - off)
			return -EINVAL;
		if (nexthdr == KIPSEC_NEXTHDR_ROUTING)
			err = kipsec_ah6_rthdr(buf, buf + off, hlen);
		else
			err = kipsec_ah6_opts(buf + off, hlen);
		if (err)
			return err;
		nexthdr = buf[off];
		off += hlen;
	}
	return nexthdr == KIPSEC_IPPROTO_AH ? 0 : -EINVAL;
}
