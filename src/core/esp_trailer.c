// SPDX-License-Identifier: GPL-2.0
/*
 * ESP header, padding and trailer (RFC 4303 sections 2.1-2.6) and the IV
 * and AAD of AEAD transforms (RFC 4106 sections 3.1 and 5).  See
 * esp_trailer.h for the contracts.
 */

#include "core_types.h"
#include "bytes.h"
#include "esp_trailer.h"

/*
 * The unit the plaintext must be a multiple of: lcm(block, 4).  Written out
 * instead of computed with a gcd because the block sizes are few and the
 * cases show at a glance that the 4-byte rule is never lost for a block
 * that is not a multiple of 4.  block_len <= KIPSEC_ESP_MAX_BLOCK keeps
 * the product in range.
 */
static u32 kipsec_esp_align(u32 block_len)
{
	if (block_len <= 1)
		return 4;
	if (block_len % 4 == 0)
		return block_len;
	if (block_len % 2 == 0)
		return block_len * 2;
	return block_len * 4;
}

bool kipsec_esp_pad_len(u32 payload_len, u32 block_len, u32 *pad_len)
{
	u32 align, used, pad;

	if (block_len > KIPSEC_ESP_MAX_BLOCK)
		return false;
	align = kipsec_esp_align(block_len);

	/* Reduce first: payload_len + 2 could wrap for a huge length. */
	used = (payload_len % align + KIPSEC_ESP_TRAILER_LEN) % align;
	pad = used ? align - used : 0;
	if (pad > KIPSEC_ESP_MAX_PAD)
		return false;
	*pad_len = pad;
	return true;
}

u32 kipsec_esp_max_payload(u32 room, u32 block_len)
{
	u32 align = kipsec_esp_align(block_len), whole = room - room % align;

	return whole ? whole - KIPSEC_ESP_TRAILER_LEN : 0;
}

bool kipsec_esp_write_trailer(u8 *trailer, u32 pad_len, u8 next_header)
{
	u32 i;

	if (pad_len > KIPSEC_ESP_MAX_PAD)
		return false;
	for (i = 0; i < pad_len; i++)
		trailer[i] = (u8)(i + 1);
	trailer[pad_len] = (u8)pad_len;
	trailer[pad_len + 1] = next_header;
	return true;
}

enum kipsec_esp_trailer_result
kipsec_esp_parse_trailer(const u8 *plain, u32 plain_len, u32 *payload_len,
			 u8 *next_header)
{
	u32 pad_len, payload, i;
	u8 nexthdr, diff = 0;

	if (plain_len < KIPSEC_ESP_TRAILER_LEN)
		return KIPSEC_ESP_TRAILER_TRUNCATED;
	pad_len = plain[plain_len - 2];
	nexthdr = plain[plain_len - 1];
	if (pad_len > plain_len - KIPSEC_ESP_TRAILER_LEN)
		return KIPSEC_ESP_TRAILER_TRUNCATED;
	payload = plain_len - KIPSEC_ESP_TRAILER_LEN - pad_len;

	/*
	 * The ICV was verified before decryption, so the padding is what the
	 * peer sent and there is no padding oracle to fear.  Still, looking
	 * at every byte costs at most 255 loads and keeps the time
	 * independent of where a mismatch is, so nobody has to re-derive
	 * that argument for a NULL-integrity SA.
	 */
	for (i = 0; i < pad_len; i++)
		diff |= plain[payload + i] ^ (u8)(i + 1);
	if (diff)
		return KIPSEC_ESP_TRAILER_BAD_PADDING;

	*payload_len = payload;
	*next_header = nexthdr;
	if (nexthdr == KIPSEC_ESP_NEXTHDR_DUMMY)
		return KIPSEC_ESP_TRAILER_DUMMY;
	return KIPSEC_ESP_TRAILER_OK;
}

void kipsec_esp_write_header(u8 *hdr, u32 spi, u64 seq)
{
	kipsec_put_be32(hdr, spi);
	kipsec_put_be32(hdr + 4, (u32)seq);
}

void kipsec_esp_read_header(const u8 *hdr, u32 *spi, u32 *seq_low)
{
	*spi = kipsec_get_be32(hdr);
	*seq_low = kipsec_get_be32(hdr + 4);
}

void kipsec_esp_aead_iv(u8 *iv, u64 seq)
{
	kipsec_put_be64(iv, seq);
}

u32 kipsec_esp_aead_aad(u8 *aad, u32 spi, u64 seq, bool esn)
{
	kipsec_put_be32(aad, spi);
	if (!esn) {
		kipsec_put_be32(aad + 4, (u32)seq);
		return KIPSEC_ESP_AAD_LEN;
	}
	kipsec_put_be64(aad + 4, seq);
	return KIPSEC_ESP_AAD_ESN_LEN;
}
