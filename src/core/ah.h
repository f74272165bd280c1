/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AH wire layout (RFC 4302 section 2) and the muting of IP header fields
 * that change in transit, so that sender and receiver compute the ICV over
 * the same bytes (RFC 4302 section 3.3.3.1 and appendix A).
 *
 * Kernel-independent: compiled unchanged into kipsec.ko and into the native
 * unit tests.  Nothing here allocates, locks or touches an skb; the callers
 * hand in flat buffers that they have made linear and writable.
 *
 * The AH header:
 *
 *	Next Header (1) | Payload Len (1) | Reserved (2) |
 *	SPI (4) | Sequence Number (4) | [IV (iv_len)] | ICV (icv_len) | pad
 *
 * Payload Len is the length of the whole AH in 32-bit words, minus 2.  The
 * IV exists only for AES-GMAC (RFC 4543: 8 bytes, right before the ICV).
 * The padding brings the AH to a multiple of 4 bytes (IPv4) or 8 bytes
 * (IPv6), RFC 4302 section 2.6.  It counts as part of the ICV field but,
 * unlike the ICV, is authenticated as sent: the ICV computation zeroes only
 * the icv_len bytes of the ICV itself (section 3.3.3.1; Linux XFRM does the
 * same), so the receiver need not know what the sender put there.
 *
 * Computing the ICV (the caller's part): mute a copy of the IP header (and
 * for IPv6 the extension headers before AH) with kipsec_ah4_mute() or
 * kipsec_ah6_mute(), then authenticate, in order: the muted copy, the AH
 * header with its ICV bytes zeroed (IV and padding as they are), and
 * everything after the AH.  With ESN the high 32 bits of the sequence
 * number are appended at the very end (RFC 4302 section 2.5.1; Linux XFRM
 * does the same).
 */
#ifndef KIPSEC_CORE_AH_H
#define KIPSEC_CORE_AH_H

#include "core_types.h"

/* Next Header, Payload Len, Reserved, SPI, Sequence Number */
#define KIPSEC_AH_FIXED_LEN		12
#define KIPSEC_AH_OFF_NEXTHDR		0
#define KIPSEC_AH_OFF_PAYLOAD_LEN	1
#define KIPSEC_AH_OFF_RESERVED		2
#define KIPSEC_AH_OFF_SPI		4
#define KIPSEC_AH_OFF_SEQ		8
/* Where the IV, or without one the ICV, starts */
#define KIPSEC_AH_OFF_IV		KIPSEC_AH_FIXED_LEN
/* Payload Len is one byte: (255 + 2) 32-bit words at most */
#define KIPSEC_AH_MAX_LEN		((255 + 2) * 4)
/* Explicit IV of AES-GMAC in AH (RFC 4543) */
#define KIPSEC_AH_GMAC_IV_LEN		8
/* IP protocol number of AH: the Next Header value in front of it */
#define KIPSEC_IPPROTO_AH		51

/* Fixed IPv4 header (RFC 791), options up to 40 more bytes */
#define KIPSEC_IPV4_HDR_LEN		20
#define KIPSEC_IPV4_MAX_HDR_LEN		60
/* Fixed IPv6 header (RFC 8200 section 3) */
#define KIPSEC_IPV6_HDR_LEN		40

/**
 * struct kipsec_ah_fields - the fixed AH fields, as read from the wire
 * @next_header: protocol after the AH (IPPROTO_IPIP / IPPROTO_IPV6 in
 *	tunnel mode, the upper-layer protocol in transport mode)
 * @len: length of the whole AH in bytes, from Payload Len; the payload
 *	starts this many bytes after the start of the AH
 * @spi: the SPI, host order
 * @seq: the Sequence Number field (the low 32 bits with ESN), host order
 */
struct kipsec_ah_fields {
	u8 next_header;
	u32 len;
	u32 spi;
	u32 seq;
};

/**
 * kipsec_ah_hdr_len() - length of the whole AH for an SA
 * @iv_len: bytes of explicit IV: %KIPSEC_AH_GMAC_IV_LEN for AES-GMAC,
 *	0 for every HMAC and XCBC
 * @icv_len: bytes of ICV (12 for the -96 algorithms, 16 for
 *	HMAC-SHA2-256-128 and AES-GMAC, 24 for -384-192, 32 for -512-256)
 * @ipv6: the AH goes into an IPv6 packet
 *
 * RFC 4302 section 2.6: the AH is a multiple of 4 bytes in IPv4 and of
 * 8 bytes in IPv6.  So HMAC-SHA1-96 takes 24 bytes in both, while
 * HMAC-SHA2-256-128 takes 28 in IPv4 and 32 in IPv6.
 *
 * Interoperability: Linux XFRM pads IPv4 AH to 8 bytes as well unless the
 * SA carries the "align4" flag (XFRM_STATE_ALIGN4), and by default drops
 * the RFC length for ICVs that are not a multiple of 8 bytes (SHA2-256,
 * -384, -512).  kipsec_ah_hdr_len(iv_len, icv_len, true) is the length such
 * a peer expects on IPv4; kipsec_ah_read_header() accepts both.
 *
 * Return: the length in bytes, or 0 if @icv_len is 0 or the AH would not
 * fit the Payload Len field (%KIPSEC_AH_MAX_LEN); neither happens for a
 * real algorithm.
 */
u32 kipsec_ah_hdr_len(u32 iv_len, u32 icv_len, bool ipv6);

/**
 * kipsec_ah_write_header() - write an AH header before computing its ICV
 * @ah: @ah_len bytes
 * @ah_len: length of the whole AH, from kipsec_ah_hdr_len()
 * @next_header: protocol after the AH
 * @spi: the SA's SPI, host order
 * @seq: the sequence number; only its low 32 bits go on the wire, the
 *	high half of an ESN number is implied (RFC 4302 section 2.5.1)
 *
 * Writes the fixed 12 bytes with Reserved set to zero (RFC 4302 section
 * 2.3) and zeroes the rest, IV, ICV and padding, so that the AH is ready
 * for the ICV computation: the caller then writes the IV (GMAC only),
 * computes the ICV and stores it at %KIPSEC_AH_OFF_IV + iv_len.  The
 * padding stays zero, which RFC 4302 section 2.6 allows ("arbitrarily
 * selected by the sender") and which leaks nothing.
 */
void kipsec_ah_write_header(u8 *ah, u32 ah_len, u8 next_header, u32 spi,
			    u64 seq);

/**
 * kipsec_ah_spi() - the SPI of a received AH, to look up its SA
 * @ah: at least %KIPSEC_AH_FIXED_LEN bytes
 *
 * Return: the SPI, host order.  Nothing is validated yet: that needs the
 * SA's ICV length, see kipsec_ah_read_header().
 */
u32 kipsec_ah_spi(const u8 *ah);

/**
 * kipsec_ah_read_header() - read and check the AH header of a received packet
 * @ah: the start of the AH
 * @avail: bytes available from @ah to the end of the packet
 * @iv_len: the SA's IV length, as for kipsec_ah_hdr_len()
 * @icv_len: the SA's ICV length
 * @ipv6: the packet is IPv6
 * @out: the fields, written only on success
 *
 * Payload Len must describe exactly the length the SA's algorithm gives,
 * kipsec_ah_hdr_len(): anything else is a malformed packet or the wrong
 * algorithm, and computing an ICV over it would only fail later, after
 * more work (and locate the payload wrongly).  For IPv4 the 8-byte-aligned
 * length Linux XFRM sends by default is accepted too (see
 * kipsec_ah_hdr_len()); the padding is covered by the ICV either way, so
 * accepting both costs no security.  The Reserved field is ignored, as
 * RFC 4302 section 2.3 requires of a receiver (it is still authenticated
 * as received, being part of the AH).
 *
 * Return: 0; -EINVAL if @avail is shorter than the fixed header or than
 * the length Payload Len gives, if Payload Len does not match the SA, or
 * if the SA's lengths are invalid for kipsec_ah_hdr_len().
 */
int kipsec_ah_read_header(const u8 *ah, u32 avail, u32 iv_len, u32 icv_len,
			  bool ipv6, struct kipsec_ah_fields *out);

/**
 * kipsec_ah4_mute() - prepare a copy of an IPv4 header for the AH ICV
 * @hdr: a copy of the IPv4 header with its options; modified in place
 * @hlen: its length: IHL * 4, 20..60
 *
 * RFC 4302 appendix A.1.  Zeroes the mutable fields of the fixed header:
 * TOS (DSCP and ECN), Flags and Fragment Offset, TTL and Header Checksum.
 * Version, IHL, Total Length, Identification, Protocol and the addresses
 * stay.  Total Length and Protocol are the caller's to set as they are on
 * the wire (Protocol 51; Total Length of the packet with the AH).
 *
 * Options, each as a unit (type, length and data): End of Options List,
 * No Operation, Security (130), Extended Security (133), Commercial
 * Security (134), Router Alert (148) and Sender Directed Multi-Destination
 * Delivery (149) are immutable and stay; every other option, including
 * ones this code does not know, is mutable and zeroed whole.  Bytes after
 * End of Options List are padding and stay as they are.
 *
 * Loose and Strict Source Route (131, 137) are mutable but their effect on
 * the destination address is predictable: the receiver sees the final
 * destination there, so the Destination Address of the copy becomes the
 * last address of the route list, as long as the route is not yet used up
 * (pointer <= length: the sender's case).  Once it is used up (the final
 * destination's case) the list holds recorded addresses and the
 * Destination Address field already is the final destination, so it
 * stays.  Linux XFRM predicts the same way when sending and keeps the
 * received address when verifying.
 *
 * Return: 0; -EINVAL if the header is not IPv4, @hlen disagrees with IHL,
 * or an option is malformed (a length below 2 or running past the header,
 * a source route without a whole address, or with a pointer below 4 or
 * inside the last address).  The caller drops such a packet as malformed.
 * On error @hdr is partly muted and must not be used.
 */
int kipsec_ah4_mute(u8 *hdr, u32 hlen);

/**
 * kipsec_ah6_mute() - prepare a copy of IPv6 headers for the AH ICV
 * @buf: a copy of the IPv6 header and of every extension header before
 *	the AH; modified in place
 * @len: its length: the offset of the AH in the packet
 *
 * RFC 4302 appendix A.2.  In the fixed header, Traffic Class, Flow Label
 * and Hop Limit are zeroed; Version, Payload Length, Next Header and the
 * addresses stay.  The headers are walked by their Next Header fields and
 * must end exactly at @len with a Next Header of AH (51).
 *
 * Hop-by-Hop and Destination Options: the data of each option whose type
 * has the "may change en route" bit (0x20, RFC 8200 section 4.2) is
 * zeroed; its type and length stay.  Pad1 is the only one-byte option;
 * PadN does not have the bit and stays.
 *
 * Routing header, types 0 and 2 (RFC 2460 section 4.4, RFC 6275 section
 * 6.4): the ICV covers the packet as the final destination will see it, so
 * with Segments Left > 0 the Destination Address becomes the last address
 * of the list, the addresses not yet visited move up one place with the
 * current Destination Address in front of them, and Segments Left becomes
 * 0.  A routing header of any type with Segments Left 0 (the receiver's
 * case, once the stack has processed it) is in its final state and stays
 * as it is, unchecked, as RFC 8200 section 4.4 has nodes ignore it.
 * Mobile IPv6's Home Address destination option is not rearranged.
 *
 * Return: 0; -EINVAL for a header that is not IPv6, a truncated or
 * overrunning extension header or option, a type 0 or 2 routing header
 * with Segments Left > 0 whose length or Segments Left is inconsistent, a
 * header before the AH that is not Hop-by-Hop, Destination Options,
 * Routing or Fragment, or a chain that does not end with AH at @len;
 * -EOPNOTSUPP for a Fragment header (AH is computed over the whole
 * packet, so a fragment must be reassembled first) and for a routing
 * header of another type with Segments Left > 0 (its final state cannot be
 * predicted here).  The caller drops either as malformed.  On error @buf
 * is partly muted and must not be used.
 */
int kipsec_ah6_mute(u8 *buf, u32 len);

#endif /* KIPSEC_CORE_AH_H */
