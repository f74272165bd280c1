// SPDX-License-Identifier: GPL-2.0
/*
 * Anti-replay window (RFC 4303 section 3.4.3, RFC 6479) and ESN inference
 * (RFC 4303 Appendix A).  See replay.h for the locking rules.
 *
 * The bitmap is a ring of 64-bit words and is never shifted as a whole.
 * It holds one word more than the window needs: the window rarely starts
 * on a word boundary, so it touches window/64 + 1 words, and with the spare
 * word the word that the window is about to enter is always one that has
 * already left it and can be zeroed on its own.
 *
 * Ring indices are kept relative to the word of the top sequence number
 * (top_word) rather than computed as (seq / 64) % nwords, so no 64-bit
 * division is needed and nwords need not be a power of two.
 */

#include "core_types.h"
#include "replay.h"

#define KIPSEC_REPLAY_WORD_SHIFT	6
#define KIPSEC_REPLAY_WORD_MASK		(KIPSEC_REPLAY_WORD_BITS - 1)

/*
 * With replay checking off there is no window to anchor ESN inference, so
 * pick the candidate nearest to the top: up to 2^31 behind counts as late.
 */
#define KIPSEC_REPLAY_ESN_OFF_WINDOW	0x80000000U

#define KIPSEC_SEQ32_MAX		0xffffffffULL
#define KIPSEC_SEQ64_MAX		0xffffffffffffffffULL

static bool kipsec_replay_window_valid(u32 window_bits)
{
	return window_bits == 0 ||
	       (window_bits >= KIPSEC_REPLAY_MIN_WINDOW &&
		window_bits <= KIPSEC_REPLAY_MAX_WINDOW);
}

static u32 kipsec_replay_round(u32 window_bits)
{
	return (window_bits + KIPSEC_REPLAY_WORD_MASK) &
	       ~(u32)KIPSEC_REPLAY_WORD_MASK;
}

static u32 kipsec_replay_words(u32 window_bits)
{
	if (!window_bits)
		return 0;
	return (kipsec_replay_round(window_bits) >> KIPSEC_REPLAY_WORD_SHIFT) +
	       1;
}

size_t kipsec_replay_size(u32 window_bits)
{
	if (!kipsec_replay_window_valid(window_bits))
		return 0;
	return sizeof(struct kipsec_replay) +
	       (size_t)kipsec_replay_words(window_bits) * sizeof(u64);
}

bool kipsec_replay_init(struct kipsec_replay *r, u32 window_bits, bool esn)
{
	if (!kipsec_replay_window_valid(window_bits))
		return false;

	r->top = 0;
	r->window = window_bits ? kipsec_replay_round(window_bits) : 0;
	r->nwords = kipsec_replay_words(window_bits);
	r->top_word = 0;
	r->esn = esn;
	memset(r->ring, 0, (size_t)r->nwords * sizeof(u64));
	return true;
}

void kipsec_replay_start_at(struct kipsec_replay *r, u64 top)
{
	/* With an empty ring, any word can hold top's bit. */
	r->top = top;
	r->top_word = 0;
	memset(r->ring, 0, (size_t)r->nwords * sizeof(u64));
}

/*
 * Only valid for seq within the window, i.e. top - seq < window: that keeps
 * the word distance below nwords, so one conditional wrap is enough.
 */
static u32 kipsec_replay_index(const struct kipsec_replay *r, u64 seq)
{
	u32 back = (u32)((r->top >> KIPSEC_REPLAY_WORD_SHIFT) -
			 (seq >> KIPSEC_REPLAY_WORD_SHIFT));

	if (back <= r->top_word)
		return r->top_word - back;
	return r->top_word + r->nwords - back;
}

static u64 kipsec_replay_bit(u64 seq)
{
	return (u64)1 << (seq & KIPSEC_REPLAY_WORD_MASK);
}

static enum kipsec_replay_result
kipsec_replay_test(const struct kipsec_replay *r, u64 seq)
{
	if (!seq)
		return KIPSEC_REPLAY_ZERO;
	if (seq > r->top || !r->window)
		return KIPSEC_REPLAY_OK;
	if (r->top - seq >= r->window)
		return KIPSEC_REPLAY_TOO_OLD;
	if (r->ring[kipsec_replay_index(r, seq)] & kipsec_replay_bit(seq))
		return KIPSEC_REPLAY_DUPLICATE;
	return KIPSEC_REPLAY_OK;
}

/*
 * Make seq (> top) the new top.  Every word the top moves into may still
 * hold bits from a full ring revolution ago, so it is zeroed; a jump of a
 * whole ring or more invalidates everything, which bounds the work by
 * nwords no matter how far the jump goes.
 */
static void kipsec_replay_slide(struct kipsec_replay *r, u64 seq)
{
	u64 ahead = (seq >> KIPSEC_REPLAY_WORD_SHIFT) -
		    (r->top >> KIPSEC_REPLAY_WORD_SHIFT);
	u32 idx = r->top_word;

	if (ahead >= r->nwords) {
		memset(r->ring, 0, (size_t)r->nwords * sizeof(u64));
		/* only positions relative to top matter, so restart anywhere */
		r->top_word = 0;
		return;
	}

	while (ahead--) {
		if (++idx == r->nwords)
			idx = 0;
		r->ring[idx] = 0;
	}
	r->top_word = idx;
}

/*
 * RFC 4303 Appendix A: the packet is taken to lie in the 2^32 numbers
 * starting at the bottom of the window (top - window + 1).  Where that would
 * put it outside the 64-bit space the other candidate is used instead: below
 * zero cannot have been sent, and beyond 2^64 - 1 neither, so the packet
 * is then judged as the one that does exist (ahead resp. too old).
 */
static u64 kipsec_replay_infer(const struct kipsec_replay *r, u32 seq_low)
{
	u32 win = r->window ? r->window : KIPSEC_REPLAY_ESN_OFF_WINDOW;
	u32 top_hi = (u32)(r->top >> 32);
	u32 top_lo = (u32)r->top;
	u32 bottom_lo = top_lo - (win - 1);
	u32 hi = top_hi;

	if (top_lo >= win - 1) {
		/* window inside one 2^32 block: lower low bits have wrapped */
		if (seq_low < bottom_lo && top_hi != (u32)KIPSEC_SEQ32_MAX)
			hi = top_hi + 1;
	} else {
		/* window straddles a block edge: high low values are late */
		if (seq_low >= bottom_lo && top_hi != 0)
			hi = top_hi - 1;
	}
	return ((u64)hi << 32) | seq_low;
}

enum kipsec_replay_result kipsec_replay_check(const struct kipsec_replay *r,
					      u32 seq_low, u64 *seq_full)
{
	*seq_full = r->esn ? kipsec_replay_infer(r, seq_low) : seq_low;
	return kipsec_replay_test(r, *seq_full);
}

enum kipsec_replay_result kipsec_replay_advance(struct kipsec_replay *r,
						u64 seq_full)
{
	enum kipsec_replay_result res = kipsec_replay_test(r, seq_full);

	if (res != KIPSEC_REPLAY_OK)
		return res;

	if (seq_full > r->top) {
		if (r->window)
			kipsec_replay_slide(r, seq_full);
		r->top = seq_full;
	}
	if (r->window)
		r->ring[kipsec_replay_index(r, seq_full)] |=
			kipsec_replay_bit(seq_full);
	return KIPSEC_REPLAY_OK;
}

bool kipsec_replay_next_out(u64 *counter, bool esn, u64 *out)
{
	u64 limit = esn ? KIPSEC_SEQ64_MAX : KIPSEC_SEQ32_MAX;

	if (*counter >= limit)
		return false;
	*out = ++*counter;
	return true;
}

u64 kipsec_replay_top(const struct kipsec_replay *r)
{
	return r->top;
}

u32 kipsec_replay_window(const struct kipsec_replay *r)
{
	return r->window;
}
