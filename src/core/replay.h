/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Anti-replay window and extended sequence number (ESN) inference for
 * ESP and AH (RFC 4303 section 3.4.3 and Appendix A, RFC 4302, RFC 6479).
 *
 * Kernel-independent: compiled unchanged into kipsec.ko and into the native
 * unit tests.
 *
 * Concurrency: nothing in here takes a lock.  The caller must serialise
 * every kipsec_replay_advance() against all other calls on the same state
 * (typically under the SA's lock).  kipsec_replay_check() only reads, but it
 * must not run concurrently with an advance either, because it reads several
 * fields that an advance changes together.  Its verdict may be stale by the
 * time authentication finishes; that is why kipsec_replay_advance() checks
 * again instead of trusting it.
 */
#ifndef KIPSEC_CORE_REPLAY_H
#define KIPSEC_CORE_REPLAY_H

#include "core_types.h"

/*
 * The window is kept as a ring of 64-bit words.  Requested sizes are rounded
 * up to a multiple of this, so the effective window can be larger than what
 * was asked for (e.g. 32 and 100 become 64 and 128); accepting a slightly
 * larger window is harmless and keeps the bit arithmetic to shifts and masks.
 */
#define KIPSEC_REPLAY_WORD_BITS		64
#define KIPSEC_REPLAY_MIN_WINDOW	32
#define KIPSEC_REPLAY_MAX_WINDOW	65536

/**
 * enum kipsec_replay_result - verdict on an inbound sequence number
 * @KIPSEC_REPLAY_OK: not seen before and not left of the window
 * @KIPSEC_REPLAY_DUPLICATE: inside the window and already marked as seen
 * @KIPSEC_REPLAY_TOO_OLD: left of the window, so it can no longer be judged
 * @KIPSEC_REPLAY_ZERO: sequence number 0, which a sender never uses
 */
enum kipsec_replay_result {
	KIPSEC_REPLAY_OK = 0,
	KIPSEC_REPLAY_DUPLICATE,
	KIPSEC_REPLAY_TOO_OLD,
	KIPSEC_REPLAY_ZERO,
};

/**
 * struct kipsec_replay - receive-side replay state of one SA
 * @top: highest authenticated sequence number so far (full 64 bits for
 *	ESN), 0 while nothing has been received
 * @window: effective window size in bits, 0 when replay checking is off
 * @nwords: number of words in @ring (0 when replay checking is off)
 * @top_word: index in @ring of the word that holds the bit for @top
 * @esn: the SA uses extended (64-bit) sequence numbers
 * @ring: seen-bitmap; bit (s % 64) of a word records sequence number s
 *
 * The storage is allocated by the caller, kipsec_replay_size() bytes of it,
 * and set up with kipsec_replay_init().  Treat the fields as private; use
 * the accessors.
 */
struct kipsec_replay {
	u64 top;
	u32 window;
	u32 nwords;
	u32 top_word;
	bool esn;
	u64 ring[];
};

/**
 * kipsec_replay_size() - bytes of storage needed for a replay state
 * @window_bits: requested window size in bits; 0 disables replay checking
 *
 * Return: the size to allocate, or 0 if @window_bits is neither 0 nor in
 * [%KIPSEC_REPLAY_MIN_WINDOW, %KIPSEC_REPLAY_MAX_WINDOW].
 */
size_t kipsec_replay_size(u32 window_bits);

/**
 * kipsec_replay_init() - set up a replay state for a new SA
 * @r: storage of at least kipsec_replay_size(@window_bits) bytes
 * @window_bits: requested window size in bits; 0 disables replay checking
 * @esn: the SA uses extended sequence numbers
 *
 * The effective window is @window_bits rounded up to a multiple of
 * %KIPSEC_REPLAY_WORD_BITS; see kipsec_replay_window().
 *
 * Return: true on success, false if @window_bits is not acceptable (in
 * which case @r is left untouched).
 */
bool kipsec_replay_init(struct kipsec_replay *r, u32 window_bits, bool esn);

/**
 * kipsec_replay_start_at() - move a fresh window's right edge to @top
 * @r: a state just set up by kipsec_replay_init()
 * @top: highest sequence number to treat as seen so far (an SA taken over
 *	from another gateway); nothing inside the window is marked, so each
 *	number in it is still accepted once
 */
void kipsec_replay_start_at(struct kipsec_replay *r, u64 top);

/**
 * kipsec_replay_check() - judge an inbound sequence number before the ICV
 * @r: replay state
 * @seq_low: the 32-bit sequence number field from the packet
 * @seq_full: out: the full sequence number the packet is assumed to carry
 *
 * For ESN SAs the high 32 bits are not on the wire; they are inferred from
 * the window position as in RFC 4303 Appendix A, and the caller must feed
 * the high half of *@seq_full into the ICV computation.  A wrong guess
 * (a forged or very old packet) then fails authentication.  With replay
 * checking off, an ESN SA infers the high half from a window of 2^31
 * behind the highest sequence number, i.e. whichever candidate is nearest.
 *
 * Nothing is changed; call kipsec_replay_advance() once the ICV verified.
 * *@seq_full is written whatever the verdict, so it can be logged.
 *
 * Return: the verdict for *@seq_full.
 */
enum kipsec_replay_result kipsec_replay_check(const struct kipsec_replay *r,
					      u32 seq_low, u64 *seq_full);

/**
 * kipsec_replay_advance() - record an authenticated sequence number
 * @r: replay state
 * @seq_full: the value kipsec_replay_check() returned in its @seq_full
 *
 * Judges @seq_full again, because another packet with the same number may
 * have been recorded since the check (e.g. while crypto ran asynchronously).
 * Only on %KIPSEC_REPLAY_OK is the number marked as seen, sliding the window
 * forward if it is beyond the top.  The cost does not depend on the window
 * size, except that a jump clears at most the whole ring once.
 *
 * Return: %KIPSEC_REPLAY_OK if recorded, otherwise why not.
 */
enum kipsec_replay_result kipsec_replay_advance(struct kipsec_replay *r,
						u64 seq_full);

/**
 * kipsec_replay_next_out() - allocate an outbound sequence number
 * @counter: the SA's send counter: the last number used, 0 for a new SA
 * @esn: the SA uses extended sequence numbers
 * @out: out: the number to put into the packet (its low 32 bits on the wire)
 *
 * The counter never cycles (RFC 4303 section 3.3.3): once 2^32 - 1 (or
 * 2^64 - 1 with ESN) has been used, the SA must be rekeyed.  The caller
 * serialises calls on the same @counter.
 *
 * Return: true and the number in *@out, or false when the sequence space is
 * exhausted (*@counter and *@out are then left unchanged).
 */
bool kipsec_replay_next_out(u64 *counter, bool esn, u64 *out);

/**
 * kipsec_replay_top() - highest sequence number recorded so far
 * @r: replay state
 *
 * Return: the full (64-bit for ESN) number, or 0 if nothing was recorded.
 */
u64 kipsec_replay_top(const struct kipsec_replay *r);

/**
 * kipsec_replay_window() - effective window size
 * @r: replay state
 *
 * Return: the window size in bits after rounding, 0 if checking is off.
 */
u32 kipsec_replay_window(const struct kipsec_replay *r);

#endif /* KIPSEC_CORE_REPLAY_H */
