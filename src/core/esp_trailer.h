/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ESP wire layout helpers (RFC 4303): the header, the padding and trailer,
 * and the IV and AAD of combined-mode (AEAD) transforms.
 *
 * Kernel-independent: compiled unchanged into kipsec.ko and into the native
 * unit tests.  Nothing here allocates, locks or touches an skb; the callers
 * hand in flat buffers that they have made linear and writable.
 *
 * An ESP packet, as the functions here see it:
 *
 *	SPI (4) | Sequence Number (4) | IV (0..16) |
 *	Payload | Padding (0..255) | Pad Length (1) | Next Header (1) | ICV
 *
 * Padding, Pad Length and Next Header are encrypted together with the
 * payload; "plaintext" below means Payload .. Next Header, without the IV
 * and the ICV.
 */
#ifndef KIPSEC_CORE_ESP_TRAILER_H
#define KIPSEC_CORE_ESP_TRAILER_H

#include "core_types.h"

/* SPI and the low 32 bits of the sequence number (RFC 4303 section 2) */
#define KIPSEC_ESP_HDR_LEN		8
/* Pad Length and Next Header (RFC 4303 sections 2.5 and 2.6) */
#define KIPSEC_ESP_TRAILER_LEN		2
/* Pad Length is one byte (RFC 4303 section 2.5) */
#define KIPSEC_ESP_MAX_PAD		255
/*
 * Largest cipher block kipsec_esp_pad_len() accepts.  Real ESP ciphers use
 * 1, 8 or 16; the bound only keeps the alignment arithmetic in 32 bits.
 */
#define KIPSEC_ESP_MAX_BLOCK		256
/* Explicit IV of AES-GCM, AES-CCM, AES-GMAC and ChaCha20-Poly1305 */
#define KIPSEC_ESP_AEAD_IV_LEN		8
/* AAD of an AEAD: SPI || seq (RFC 4106 section 5) */
#define KIPSEC_ESP_AAD_LEN		8
/* AAD of an AEAD with ESN: SPI || seq_hi || seq_lo (RFC 4106 section 5) */
#define KIPSEC_ESP_AAD_ESN_LEN		12
#define KIPSEC_ESP_AAD_MAX_LEN		KIPSEC_ESP_AAD_ESN_LEN
/*
 * Next Header value of a dummy packet: IPv6 "No Next Header", which
 * RFC 4303 section 2.6 reuses for traffic flow confidentiality padding.
 */
#define KIPSEC_ESP_NEXTHDR_DUMMY	59

/**
 * enum kipsec_esp_trailer_result - verdict on a decrypted ESP trailer
 * @KIPSEC_ESP_TRAILER_OK: well formed; payload length and next header set
 * @KIPSEC_ESP_TRAILER_TRUNCATED: fewer than 2 bytes of plaintext, or a pad
 *	length that reaches before the start of the plaintext
 * @KIPSEC_ESP_TRAILER_BAD_PADDING: the padding is not 1, 2, 3, ...
 * @KIPSEC_ESP_TRAILER_DUMMY: well formed, but Next Header is 59: a dummy
 *	packet that the receiver drops silently (RFC 4303 section 2.6)
 */
enum kipsec_esp_trailer_result {
	KIPSEC_ESP_TRAILER_OK = 0,
	KIPSEC_ESP_TRAILER_TRUNCATED,
	KIPSEC_ESP_TRAILER_BAD_PADDING,
	KIPSEC_ESP_TRAILER_DUMMY,
};

/**
 * kipsec_esp_max_payload() - largest payload whose ESP fits in @room bytes
 * @room: bytes left for the encrypted part (payload, padding, Pad Length,
 *	Next Header) once the headers, ESP header, IV and ICV are subtracted
 *	from the path MTU
 * @block_len: block size of the cipher, as for kipsec_esp_pad_len()
 *
 * The padding rounds up to whole blocks, so the answer is @room rounded
 * down to the alignment, less the two trailer bytes.
 *
 * Return: the payload length, 0 when not even an empty payload fits.
 */
u32 kipsec_esp_max_payload(u32 room, u32 block_len);

/**
 * kipsec_esp_pad_len() - padding needed after an ESP payload
 * @payload_len: bytes of payload (the inner packet or transport segment)
 * @block_len: block size of the cipher; 0 or 1 for stream-like ciphers
 *	(CTR, GCM, CCM, ChaCha20, NULL)
 * @pad_len: out: number of padding bytes
 *
 * RFC 4303 section 2.4 asks for two alignments at once: the plaintext
 * (payload, padding, Pad Length, Next Header) must fill whole cipher
 * blocks, and Pad Length and Next Header must end on a 4-byte boundary.
 * The padding therefore brings @payload_len + padding + 2 to a multiple of
 * the least common multiple of @block_len and 4.  For every power-of-two
 * block that is simply max(@block_len, 4).  No extra padding for traffic
 * flow confidentiality is added; the result is the minimum, below the
 * alignment.
 *
 * Return: true and the count in *@pad_len; false if the count would exceed
 * %KIPSEC_ESP_MAX_PAD or @block_len exceeds %KIPSEC_ESP_MAX_BLOCK (neither
 * happens for a real cipher), leaving *@pad_len unchanged.
 */
bool kipsec_esp_pad_len(u32 payload_len, u32 block_len, u32 *pad_len);

/**
 * kipsec_esp_write_trailer() - write padding, Pad Length and Next Header
 * @trailer: first byte after the payload; @pad_len + 2 bytes are written
 * @pad_len: number of padding bytes, from kipsec_esp_pad_len()
 * @next_header: protocol of the payload (IPPROTO_IPIP / IPPROTO_IPV6 in
 *	tunnel mode, the upper-layer protocol in transport mode)
 *
 * The padding is the default of RFC 4303 section 2.4, 1, 2, 3, ..., which
 * applies to every cipher kipsec supports since none defines padding
 * contents of its own.  Receivers (kipsec among them) may check it, so
 * anything else risks drops.
 *
 * Return: true, or false (nothing written) if @pad_len exceeds
 * %KIPSEC_ESP_MAX_PAD.
 */
bool kipsec_esp_write_trailer(u8 *trailer, u32 pad_len, u8 next_header);

/**
 * kipsec_esp_parse_trailer() - check and strip a decrypted ESP trailer
 * @plain: the decrypted plaintext: payload, padding, Pad Length, Next Header
 * @plain_len: its length in bytes (the ciphertext length minus IV and ICV)
 * @payload_len: out: length of the payload at the start of @plain
 * @next_header: out: the Next Header field
 *
 * Call it only after the ICV has been verified and the payload decrypted.
 * The padding contents are checked, as RFC 4303 section 2.4 says a
 * receiver SHOULD when the default padding is in use.  Checking block
 * alignment of the ciphertext is the caller's job (before decryption: a
 * ciphertext that is not a whole number of blocks is malformed).
 *
 * Padding is checked before Next Header, so a dummy packet with bad
 * padding is reported as %KIPSEC_ESP_TRAILER_BAD_PADDING.  The drop reason
 * %KIPSEC_DROP_BAD_PADDING fits both that and a pad length too large for
 * the packet (%KIPSEC_ESP_TRAILER_TRUNCATED with @plain_len >= 2).
 *
 * Return: the verdict.  *@payload_len and *@next_header are written for
 * %KIPSEC_ESP_TRAILER_OK and %KIPSEC_ESP_TRAILER_DUMMY only.
 */
enum kipsec_esp_trailer_result
kipsec_esp_parse_trailer(const u8 *plain, u32 plain_len, u32 *payload_len,
			 u8 *next_header);

/**
 * kipsec_esp_write_header() - write the 8-byte ESP header
 * @hdr: %KIPSEC_ESP_HDR_LEN bytes
 * @spi: the SA's SPI, host order
 * @seq: the sequence number; only its low 32 bits go on the wire, the
 *	high half of an ESN number is implied (RFC 4303 section 2.2.1)
 */
void kipsec_esp_write_header(u8 *hdr, u32 spi, u64 seq);

/**
 * kipsec_esp_read_header() - read the 8-byte ESP header
 * @hdr: %KIPSEC_ESP_HDR_LEN bytes
 * @spi: out: the SPI, host order
 * @seq_low: out: the sequence number field, host order
 */
void kipsec_esp_read_header(const u8 *hdr, u32 *spi, u32 *seq_low);

/**
 * kipsec_esp_aead_iv() - explicit IV of an AEAD packet
 * @iv: %KIPSEC_ESP_AEAD_IV_LEN bytes
 * @seq: the packet's full sequence number (64 bits with ESN)
 *
 * GCM (RFC 4106 section 3.1), CCM (RFC 4309 section 3.1), GMAC
 * (RFC 4543 section 3.1) and ChaCha20-Poly1305 (RFC 7634 section 2) need an
 * 8-byte IV that never repeats under one key; it need not be
 * unpredictable.  Repeating it is catastrophic for all of them (keystream
 * reuse, and for GCM the authentication key leaks), so the IV is the
 * sequence number itself: the SA's counter never cycles (a counter that
 * would wrap ends the SA and the key with it), so the IV is unique per key
 * by construction, with no extra state and no random source on the fast
 * path.  Big-endian, like RFC 8750's implicit IV; the IV is sent in clear
 * and reveals no more than the sequence number field, except for an ESN
 * SA's high half.
 */
void kipsec_esp_aead_iv(u8 *iv, u64 seq);

/**
 * kipsec_esp_aead_aad() - associated data of an AEAD packet
 * @aad: %KIPSEC_ESP_AAD_MAX_LEN bytes
 * @spi: the SA's SPI, host order
 * @seq: the packet's full sequence number
 * @esn: the SA uses extended sequence numbers
 *
 * RFC 4106 section 5 (and RFC 4309, RFC 4543, RFC 7634 likewise): the AAD
 * is the ESP header, SPI || seq (8 bytes), or with ESN the SPI followed by
 * the whole 64-bit number, SPI || seq_hi || seq_lo (12 bytes), so that the
 * implied high half is authenticated too.  Without ESN the bytes equal
 * the ESP header.  GMAC (RFC 4543 section 3.3) goes on to authenticate
 * the IV and payload after these bytes.  The crypto API's rfc4106, rfc4309,
 * rfc4543 and rfc7539esp templates expect the IV as the last 8 bytes of
 * the associated data, right after what this writes.
 *
 * Return: the AAD length: %KIPSEC_ESP_AAD_LEN or %KIPSEC_ESP_AAD_ESN_LEN.
 */
u32 kipsec_esp_aead_aad(u8 *aad, u32 spi, u64 seq, bool esn);

#endif /* KIPSEC_CORE_ESP_TRAILER_H */
