// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for src/core/replay.c: anti-replay window, ESN inference and
 * outbound sequence numbers.  Prints TAP; exits 0 only if everything passed.
 *
 * Build and run by hand from the top of the tree:
 *
 *   cc -std=c11 -Wall -Wextra -Werror -Isrc/core tests/unit/test_replay.c src/core/replay.c -o /tmp/test_replay
 *   /tmp/test_replay
 *
 * (add -g -fsanitize=address,undefined for a sanitizer run)
 */

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay.h"
#include "tap.h"

typedef enum kipsec_replay_result res_t;

#define U32MAX		0xffffffffULL
#define U64MAX		0xffffffffffffffffULL
#define BLOCK		0x100000000ULL	/* 2^32 */

/*
 * Pseudo-verdict of deliver()/probe(): check() said OK but inferred another
 * full number than the one the sender used, so the ICV would fail.
 */
#define MISINFER	((res_t)99)

static const char *rname(res_t r)
{
	switch (r) {
	case KIPSEC_REPLAY_OK:
		return "OK";
	case KIPSEC_REPLAY_DUPLICATE:
		return "DUPLICATE";
	case KIPSEC_REPLAY_TOO_OLD:
		return "TOO_OLD";
	case KIPSEC_REPLAY_ZERO:
		return "ZERO";
	default:
		return r == MISINFER ? "MISINFER" : "?";
	}
}

/* splitmix64: small, deterministic, good enough for test input */
static u64 rng_state;

static u64 rnd(void)
{
	u64 z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static u64 rnd_below(u64 n)
{
	return n ? rnd() % n : 0;
}

static void shuffle(u64 *v, size_t n)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)rnd_below(i);
		u64 t = v[i - 1];

		v[i - 1] = v[j];
		v[j] = t;
	}
}

static struct kipsec_replay *mk(u32 window, bool esn)
{
	size_t sz = kipsec_replay_size(window);
	struct kipsec_replay *r = sz ? malloc(sz) : NULL;

	if (!r || !kipsec_replay_init(r, window, esn)) {
		fprintf(stderr, "cannot set up window %u\n", window);
		exit(2);
	}
	return r;
}

static u32 ring_bits(const struct kipsec_replay *r)
{
	return r->nwords * KIPSEC_REPLAY_WORD_BITS;
}

/* Check only, as if the ICV then failed: the state must not change. */
static res_t probe(const struct kipsec_replay *r, u64 seq)
{
	u64 full;
	res_t res = kipsec_replay_check(r, (u32)seq, &full);

	if (res == KIPSEC_REPLAY_OK && full != seq)
		return MISINFER;
	return res;
}

/*
 * Put a fresh state at top t.  A receiver cannot learn the high half of the
 * first ESN packet from the wire, so states far from 0 are reached directly.
 */
static res_t seed(struct kipsec_replay *r, u64 t)
{
	return kipsec_replay_advance(r, t);
}

/* What the data path does for a genuine packet carrying seq. */
static res_t deliver(struct kipsec_replay *r, u64 seq)
{
	u64 full;
	res_t res = kipsec_replay_check(r, (u32)seq, &full);

	if (res != KIPSEC_REPLAY_OK)
		return res;
	if (full != seq)
		return MISINFER;
	return kipsec_replay_advance(r, full);
}

#define is_res(got, want, ...)						\
	do {								\
		res_t g_ = (got), w_ = (want);				\
		if (!ok(g_ == w_, __VA_ARGS__))				\
			diag("  got %s, expected %s", rname(g_), rname(w_)); \
	} while (0)

/* ------------------------------------------------------------------ */

static void test_sizes(void)
{
	static const struct {
		u32 req;
		u32 eff;	/* 0 with valid = false: rejected */
		bool valid;
	} t[] = {
		{ 0, 0, true },		{ 1, 0, false },
		{ 31, 0, false },	{ 32, 64, true },
		{ 33, 64, true },	{ 64, 64, true },
		{ 65, 128, true },	{ 100, 128, true },
		{ 1024, 1024, true },	{ 4096, 4096, true },
		{ 65535, 65536, true },	{ 65536, 65536, true },
		{ 65537, 0, false },	{ 0xffffffffU, 0, false },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		size_t sz = kipsec_replay_size(t[i].req);

		if (!t[i].valid) {
			is_uint(sz, 0, "size(%u) rejected", t[i].req);
			continue;
		}
		ok(sz >= sizeof(struct kipsec_replay) +
			  (t[i].eff / 64) * sizeof(u64),
		   "size(%u) = %zu holds the window", t[i].req, sz);
		ok(sz <= sizeof(struct kipsec_replay) +
			  (t[i].eff / 64 + 1) * sizeof(u64),
		   "size(%u) = %zu no more than one spare word", t[i].req, sz);

		struct kipsec_replay *r = malloc(sz);

		ok(r && kipsec_replay_init(r, t[i].req, false),
		   "init(%u) succeeds", t[i].req);
		is_uint(kipsec_replay_window(r), t[i].eff,
			"window %u rounds to %u", t[i].req, t[i].eff);
		is_uint(kipsec_replay_top(r), 0, "fresh top is 0");
		if (t[i].eff)
			ok(ring_bits(r) >= t[i].eff + 64,
			   "ring of %u bits has a spare word", ring_bits(r));
		free(r);
	}

	/* a rejected init must not touch the storage */
	struct kipsec_replay *r = mk(64, false);
	unsigned char before[64];

	if (kipsec_replay_size(64) > sizeof(before))
		exit(2);
	memcpy(before, r, kipsec_replay_size(64));
	ok(!kipsec_replay_init(r, 31, true), "init(31) fails");
	ok(!kipsec_replay_init(r, 70000, true), "init(70000) fails");
	ok(!memcmp(before, r, kipsec_replay_size(64)),
	   "failed init leaves storage alone");
	free(r);
}

/* The very first packets of an SA, window on or off. */
static void test_fresh(u32 window, bool esn)
{
	const char *m = esn ? "esn" : "32-bit";
	struct kipsec_replay *r = mk(window, esn);
	u64 full = 1234;

	is_res(kipsec_replay_check(r, 0, &full), KIPSEC_REPLAY_ZERO,
	       "w=%u %s: seq 0 rejected on a fresh SA", window, m);
	is_uint(full, 0, "w=%u %s: seq 0 infers full 0", window, m);
	is_res(kipsec_replay_advance(r, 0), KIPSEC_REPLAY_ZERO,
	       "w=%u %s: advance(0) rejected", window, m);
	is_res(deliver(r, 1), KIPSEC_REPLAY_OK,
	       "w=%u %s: first packet 1 accepted", window, m);
	is_uint(kipsec_replay_top(r), 1, "w=%u %s: top is 1", window, m);
	is_res(deliver(r, 1), window ? KIPSEC_REPLAY_DUPLICATE :
				       KIPSEC_REPLAY_OK,
	       "w=%u %s: 1 again", window, m);
	is_res(deliver(r, 0), KIPSEC_REPLAY_ZERO,
	       "w=%u %s: seq 0 rejected after traffic", window, m);
	is_res(deliver(r, 2), KIPSEC_REPLAY_OK, "w=%u %s: 2", window, m);
	free(r);

	/* a first packet far from 1 simply becomes the top */
	r = mk(window, esn);
	is_res(deliver(r, 0xdeadbeefULL), KIPSEC_REPLAY_OK,
	       "w=%u %s: large first seq accepted", window, m);
	is_uint(kipsec_replay_top(r), 0xdeadbeefULL,
		"w=%u %s: top follows it", window, m);
	is_res(deliver(r, 0xdeadbeefULL - 1), KIPSEC_REPLAY_OK,
	       "w=%u %s: its predecessor accepted", window, m);
	if (window)
		is_res(kipsec_replay_advance(r, 1), KIPSEC_REPLAY_TOO_OLD,
		       "w=%u %s: 1 is far left of it", window, m);
	free(r);
}

/* Left window edge at top T = base + W. */
static void test_edges(u32 window, bool esn, u64 base)
{
	const char *m = esn ? "esn" : "32-bit";
	struct kipsec_replay *r = mk(window, esn);
	u64 w = kipsec_replay_window(r);
	u64 t = base + w;
	u64 full;

	is_res(seed(r, t), KIPSEC_REPLAY_OK,
	       "w=%u %s T=%#llx: top accepted", window, m,
	       (unsigned long long)t);
	is_res(probe(r, t - w + 1), KIPSEC_REPLAY_OK,
	       "w=%u %s: T-W+1 (left edge) acceptable", window, m);
	is_res(kipsec_replay_advance(r, t - w), KIPSEC_REPLAY_TOO_OLD,
	       "w=%u %s: advance(T-W) too old", window, m);
	is_res(kipsec_replay_advance(r, t - w - 1),
	       t - w - 1 ? KIPSEC_REPLAY_TOO_OLD : KIPSEC_REPLAY_ZERO,
	       "w=%u %s: advance(T-W-1) too old (or zero)", window, m);
	if (!esn) {
		is_res(probe(r, t - w), KIPSEC_REPLAY_TOO_OLD,
		       "w=%u %s: T-W too old", window, m);
		is_res(probe(r, t - w - 1),
		       t - w - 1 ? KIPSEC_REPLAY_TOO_OLD : KIPSEC_REPLAY_ZERO,
		       "w=%u %s: T-W-1 too old (or zero)", window, m);
	} else {
		/*
		 * Left of the window the low bits are read as the next 2^32
		 * block (RFC 4303 A2.1), which the ICV then refutes.
		 */
		is_res(kipsec_replay_check(r, (u32)(t - w), &full),
		       KIPSEC_REPLAY_OK,
		       "w=%u %s: T-W taken as next block", window, m);
		is_uint(full, t - w + BLOCK,
			"w=%u %s: T-W inferred 2^32 ahead", window, m);
	}
	is_res(deliver(r, t - w + 1), KIPSEC_REPLAY_OK,
	       "w=%u %s: T-W+1 recorded", window, m);
	is_res(deliver(r, t - w + 1), KIPSEC_REPLAY_DUPLICATE,
	       "w=%u %s: T-W+1 again is a duplicate", window, m);
	is_res(deliver(r, t), KIPSEC_REPLAY_DUPLICATE,
	       "w=%u %s: T again is a duplicate", window, m);
	is_res(deliver(r, t - 1), KIPSEC_REPLAY_OK,
	       "w=%u %s: T-1 accepted", window, m);
	is_res(deliver(r, t + 1), KIPSEC_REPLAY_OK,
	       "w=%u %s: T+1 accepted", window, m);
	is_res(kipsec_replay_advance(r, t - w + 1), KIPSEC_REPLAY_TOO_OLD,
	       "w=%u %s: old left edge fell out", window, m);
	is_res(probe(r, t - w + 2), KIPSEC_REPLAY_OK,
	       "w=%u %s: new left edge T-W+2 acceptable", window, m);
	is_res(deliver(r, t - w + 2), KIPSEC_REPLAY_OK,
	       "w=%u %s: new left edge recorded", window, m);
	free(r);
}

/*
 * Fill a whole window, jump forward by j, and compare every position of the
 * new window: the jump must clear exactly the bits that left the window.
 */
static void test_jump(u32 window, bool esn, u64 base, u64 j)
{
	const char *m = esn ? "esn" : "32-bit";
	struct kipsec_replay *r = mk(window, esn);
	u64 w = kipsec_replay_window(r);
	u64 t = base + w, nt = t + j;
	unsigned long bad = 0;

	bad += seed(r, t) != KIPSEC_REPLAY_OK;
	for (u64 s = t - w + 1; s < t; s++)
		bad += deliver(r, s) != KIPSEC_REPLAY_OK;
	bad += deliver(r, nt) != KIPSEC_REPLAY_OK;
	bad += kipsec_replay_top(r) != nt;

	for (u64 s = nt - w + 1; s <= nt; s++) {
		res_t want = (s <= t || s == nt) ? KIPSEC_REPLAY_DUPLICATE :
						   KIPSEC_REPLAY_OK;
		res_t got = probe(r, s);

		if (got != want && bad++ < 3)
			diag("  s=T'-%llu: got %s, expected %s",
			     (unsigned long long)(nt - s), rname(got),
			     rname(want));
	}
	bad += kipsec_replay_advance(r, nt - w) != KIPSEC_REPLAY_TOO_OLD;
	if (!esn)
		bad += probe(r, nt - w) != KIPSEC_REPLAY_TOO_OLD;

	/* record the gap; afterwards the whole window is duplicates */
	for (u64 s = nt - w + 1; s < nt; s++)
		if (s > t)
			bad += deliver(r, s) != KIPSEC_REPLAY_OK;
	for (u64 s = nt - w + 1; s <= nt; s++)
		bad += probe(r, s) != KIPSEC_REPLAY_DUPLICATE;

	is_uint(bad, 0, "w=%u %s T=%#llx: full window, jump %llu (ring %u)",
		window, m, (unsigned long long)t, (unsigned long long)j,
		ring_bits(r));
	free(r);
}

static void test_jumps(u32 window, bool esn, u64 base)
{
	struct kipsec_replay *tmp = mk(window, esn);
	u64 w = kipsec_replay_window(tmp);
	u64 rb = ring_bits(tmp);
	const u64 jumps[] = {
		1, 2, 63, 64, 65, w / 2, w - 1, w, w + 1, w + 63, rb - 64,
		rb - 1, rb, rb + 1, 2 * rb, 3 * rb, 7 * rb + 64, 1000 * rb,
	};

	free(tmp);
	for (size_t i = 0; i < sizeof(jumps) / sizeof(jumps[0]); i++)
		test_jump(window, esn, base, jumps[i]);
}

/* Out-of-order bursts behind and ahead of the top. */
static void test_bursts(u32 window, bool esn, u64 base)
{
	const char *m = esn ? "esn" : "32-bit";
	struct kipsec_replay *r = mk(window, esn);
	u64 w = kipsec_replay_window(r);
	u64 t = base + w;
	u64 *v = malloc(w * sizeof(*v));
	unsigned long bad;

	is_res(seed(r, t), KIPSEC_REPLAY_OK, "w=%u %s: burst top", window, m);
	for (u64 i = 0; i < w - 1; i++)
		v[i] = t - w + 1 + i;
	shuffle(v, w - 1);
	bad = 0;
	for (u64 i = 0; i < w - 1; i++)
		bad += deliver(r, v[i]) != KIPSEC_REPLAY_OK;
	is_uint(bad, 0, "w=%u %s: shuffled burst behind top all accepted",
		window, m);
	shuffle(v, w - 1);
	bad = 0;
	for (u64 i = 0; i < w - 1; i++)
		bad += deliver(r, v[i]) != KIPSEC_REPLAY_DUPLICATE;
	is_uint(bad, 0, "w=%u %s: replayed burst behind top all duplicates",
		window, m);

	for (u64 i = 0; i < w; i++)
		v[i] = t + 1 + i;
	shuffle(v, w);
	bad = 0;
	for (u64 i = 0; i < w; i++)
		bad += deliver(r, v[i]) != KIPSEC_REPLAY_OK;
	is_uint(bad, 0, "w=%u %s: shuffled burst ahead of top all accepted",
		window, m);
	is_uint(kipsec_replay_top(r), t + w, "w=%u %s: top is burst maximum",
		window, m);
	shuffle(v, w);
	bad = 0;
	for (u64 i = 0; i < w; i++)
		bad += deliver(r, v[i]) != KIPSEC_REPLAY_DUPLICATE;
	is_uint(bad, 0, "w=%u %s: replayed burst ahead all duplicates",
		window, m);
	is_res(kipsec_replay_advance(r, t), KIPSEC_REPLAY_TOO_OLD,
	       "w=%u %s: old top now left of the window", window, m);
	free(v);
	free(r);
}

static void test_off(bool esn)
{
	const char *m = esn ? "esn" : "32-bit";
	struct kipsec_replay *r = mk(0, esn);
	static const u64 seq[] = { 5, 5, 3, 1, 1000000, 1, 1000000, 999999 };
	static const u64 top[] = { 5, 5, 5, 5, 1000000, 1000000, 1000000,
				   1000000 };

	is_uint(kipsec_replay_window(r), 0, "off %s: window 0", m);
	for (size_t i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
		is_res(deliver(r, seq[i]), KIPSEC_REPLAY_OK,
		       "off %s: seq %llu accepted", m,
		       (unsigned long long)seq[i]);
		is_uint(kipsec_replay_top(r), top[i], "off %s: top tracked",
			m);
	}
	is_res(deliver(r, 0), KIPSEC_REPLAY_ZERO, "off %s: 0 still rejected",
	       m);
	free(r);

	if (!esn)
		return;

	/* without a window the nearest candidate wins, 2^31 each way */
	static const struct {
		u32 low;
		u64 full;
	} t[] = {
		{ 0xfffffff0U, 0xfffffff0ULL },
		{ 0x8000000cU, 0x8000000cULL },	/* 2^31 - 2 behind */
		{ 0x8000000bU, 0x8000000bULL },	/* 2^31 - 1 behind */
		{ 0x8000000aU, 0x18000000aULL },	/* 2^31 behind: ahead */
		{ 11, 0x10000000bULL },
		{ 9, 0x100000009ULL },
	};
	r = mk(0, true);
	is_res(seed(r, BLOCK + 10), KIPSEC_REPLAY_OK, "off esn: top 2^32+10");
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		u64 full;

		is_res(kipsec_replay_check(r, t[i].low, &full),
		       KIPSEC_REPLAY_OK, "off esn: low %#x accepted",
		       t[i].low);
		is_uint(full, t[i].full, "off esn: low %#x inferred", t[i].low);
	}
	free(r);
}

/* An SA taken over mid-life: the window starts at a given right edge. */
static void test_start_at(u32 window, bool esn, u64 top)
{
	const char *m = esn ? "esn" : "32-bit";
	struct kipsec_replay *r = mk(window, esn);
	u64 w = kipsec_replay_window(r), full;

	kipsec_replay_start_at(r, top);
	is_uint(kipsec_replay_top(r), top, "start %s %u: top %#llx", m, window,
		(unsigned long long)top);
	/* (with ESN the same low bits would mean the next 2^32 block) */
	if (!esn)
		is_res(probe(r, top - w), KIPSEC_REPLAY_TOO_OLD,
		       "start %s %u: left of the window refused", m, window);
	is_res(deliver(r, top), KIPSEC_REPLAY_OK,
	       "start %s %u: the edge itself is accepted once", m, window);
	is_res(deliver(r, top), KIPSEC_REPLAY_DUPLICATE,
	       "start %s %u: and not twice", m, window);
	is_res(deliver(r, top - w + 1), KIPSEC_REPLAY_OK,
	       "start %s %u: the window's left end is accepted", m, window);
	if (!esn) {
		free(r);
		return;
	}
	/* The low half wraps right after the start: inferred as the next block. */
	is_res(kipsec_replay_check(r, (u32)(top + 5), &full), KIPSEC_REPLAY_OK,
	       "start esn %u: low %#x accepted", window, (u32)(top + 5));
	is_uint(full, top + 5, "start esn %u: inferred across the wrap", window);
	is_res(deliver(r, top + 5), KIPSEC_REPLAY_OK,
	       "start esn %u: delivered across the wrap", window);
	is_uint(kipsec_replay_top(r), top + 5, "start esn %u: top moved", window);
	free(r);
}

/* Check, then authenticate, then advance. */
static void test_two_phase(u32 window, bool esn)
{
	const char *m = esn ? "esn" : "32-bit";
	struct kipsec_replay *r = mk(window, esn);
	size_t sz = kipsec_replay_size(window);
	unsigned char *snap = malloc(sz);
	u64 w = kipsec_replay_window(r);
	u64 base = esn ? BLOCK - 5 : 100000;
	u64 f1, f2;

	deliver(r, base);
	deliver(r, base - 3);

	/* two copies of one packet in flight at once */
	is_res(kipsec_replay_check(r, (u32)(base + 2), &f1), KIPSEC_REPLAY_OK,
	       "w=%u %s: first copy passes check", window, m);
	is_res(kipsec_replay_check(r, (u32)(base + 2), &f2), KIPSEC_REPLAY_OK,
	       "w=%u %s: second copy passes check", window, m);
	is_uint(f1, base + 2, "w=%u %s: inferred seq", window, m);
	is_uint(f2, f1, "w=%u %s: same inference", window, m);
	is_res(kipsec_replay_advance(r, f1), KIPSEC_REPLAY_OK,
	       "w=%u %s: first copy advances", window, m);
	is_res(kipsec_replay_advance(r, f2), KIPSEC_REPLAY_DUPLICATE,
	       "w=%u %s: second copy loses the race", window, m);
	is_uint(kipsec_replay_top(r), base + 2, "w=%u %s: top moved", window,
		m);

	/* same for a late packet below the top */
	kipsec_replay_check(r, (u32)(base - 1), &f1);
	kipsec_replay_check(r, (u32)(base - 1), &f2);
	is_res(kipsec_replay_advance(r, f1), KIPSEC_REPLAY_OK,
	       "w=%u %s: late packet advances once", window, m);
	is_res(kipsec_replay_advance(r, f2), KIPSEC_REPLAY_DUPLICATE,
	       "w=%u %s: late packet's twin is a duplicate", window, m);

	/* ICV failures change nothing */
	memcpy(snap, r, sz);
	is_res(probe(r, base + 100), KIPSEC_REPLAY_OK,
	       "w=%u %s: forged packet ahead passes check", window, m);
	is_res(probe(r, base - 2), KIPSEC_REPLAY_OK,
	       "w=%u %s: forged packet behind passes check", window, m);
	ok(!memcmp(snap, r, sz), "w=%u %s: failed ICV leaves state as it was",
	   window, m);
	is_res(deliver(r, base - 2), KIPSEC_REPLAY_OK,
	       "w=%u %s: genuine late packet later accepted", window, m);
	is_res(deliver(r, base + 100), KIPSEC_REPLAY_OK,
	       "w=%u %s: genuine packet with that seq later accepted", window,
	       m);

	/* the window moved on while the packet was being authenticated */
	u64 t = kipsec_replay_top(r);

	is_res(kipsec_replay_check(r, (u32)(t - w + 1), &f1), KIPSEC_REPLAY_OK,
	       "w=%u %s: packet at left edge passes check", window, m);
	is_res(deliver(r, t + 1), KIPSEC_REPLAY_OK,
	       "w=%u %s: meanwhile top moves on", window, m);
	is_res(kipsec_replay_advance(r, f1), KIPSEC_REPLAY_TOO_OLD,
	       "w=%u %s: advance re-checks and finds it too old", window, m);
	free(snap);
	free(r);
}

/* RFC 4303 Appendix A cases, one state per row with only top recorded. */
static void test_esn_table(void)
{
	static const struct {
		u32 window;
		u64 top;
		u32 low;
		u64 full;
		res_t res;
		const char *what;
	} t[] = {
		/* top just below the 2^32 edge */
		{ 64, 0xfffffff0ULL, 5, 0x100000005ULL, KIPSEC_REPLAY_OK,
		  "low wrapped: next block" },
		{ 64, 0xfffffff0ULL, 0xfffffff0U, 0xfffffff0ULL,
		  KIPSEC_REPLAY_DUPLICATE, "top itself" },
		{ 64, 0xfffffff0ULL, 0xfffffff1U, 0xfffffff1ULL,
		  KIPSEC_REPLAY_OK, "just ahead, same block" },
		{ 64, 0xfffffff0ULL, 0xffffffb1U, 0xffffffb1ULL,
		  KIPSEC_REPLAY_OK, "left edge, same block" },
		{ 64, 0xfffffff0ULL, 0xffffffb0U, 0x1ffffffb0ULL,
		  KIPSEC_REPLAY_OK, "left of window: next block" },
		/* top just wrapped: the window straddles the edge */
		{ 64, 0x100000005ULL, 0xfffffff0U, 0xfffffff0ULL,
		  KIPSEC_REPLAY_OK, "late from before the wrap: block - 1" },
		{ 64, 0x100000005ULL, 0xffffffc6U, 0xffffffc6ULL,
		  KIPSEC_REPLAY_OK, "left edge across the wrap" },
		{ 64, 0x100000005ULL, 0xffffffc5U, 0x1ffffffc5ULL,
		  KIPSEC_REPLAY_OK, "left of window across the wrap" },
		{ 64, 0x100000005ULL, 0, 0x100000000ULL, KIPSEC_REPLAY_OK,
		  "low 0 after the wrap is a valid seq" },
		{ 64, 0x100000005ULL, 3, 0x100000003ULL, KIPSEC_REPLAY_OK,
		  "late from after the wrap" },
		{ 64, 0x100000005ULL, 5, 0x100000005ULL,
		  KIPSEC_REPLAY_DUPLICATE, "top itself after the wrap" },
		{ 64, 0x100000005ULL, 6, 0x100000006ULL, KIPSEC_REPLAY_OK,
		  "ahead after the wrap" },
		/* bottom exactly on / just before the edge */
		{ 64, 0x10000003fULL, 0, 0x100000000ULL, KIPSEC_REPLAY_OK,
		  "window exactly one block: left edge" },
		{ 64, 0x10000003fULL, 0xffffffffU, 0x1ffffffffULL,
		  KIPSEC_REPLAY_OK, "window exactly one block: ahead" },
		{ 64, 0x10000003eULL, 0xffffffffU, 0xffffffffULL,
		  KIPSEC_REPLAY_OK, "window one past the edge: late" },
		{ 64, 0x10000003eULL, 0xfffffffeU, 0x1fffffffeULL,
		  KIPSEC_REPLAY_OK, "window one past the edge: ahead" },
		{ 64, 0x200000000ULL, 0, 0x200000000ULL,
		  KIPSEC_REPLAY_DUPLICATE, "top at block start" },
		{ 64, 0x200000000ULL, 0xffffffffU, 0x1ffffffffULL,
		  KIPSEC_REPLAY_OK, "top at block start: late" },
		{ 64, 0x200000000ULL, 0xffffffc1U, 0x1ffffffc1ULL,
		  KIPSEC_REPLAY_OK, "top at block start: left edge" },
		{ 64, 0x200000000ULL, 0xffffffc0U, 0x2ffffffc0ULL,
		  KIPSEC_REPLAY_OK, "top at block start: left of window" },
		/* start of the SA: no block below 0 */
		{ 64, 0, 0, 0, KIPSEC_REPLAY_ZERO, "fresh: 0 is invalid" },
		{ 64, 0, 1, 1, KIPSEC_REPLAY_OK, "fresh: 1" },
		{ 64, 0, 0xffffffffU, 0xffffffffULL, KIPSEC_REPLAY_OK,
		  "fresh: high low bits stay in block 0" },
		{ 64, 10, 0xfffffff0U, 0xfffffff0ULL, KIPSEC_REPLAY_OK,
		  "small top: high low bits are ahead" },
		{ 64, 10, 3, 3, KIPSEC_REPLAY_OK, "small top: in window" },
		{ 64, 10, 10, 10, KIPSEC_REPLAY_DUPLICATE, "small top: top" },
		{ 64, 10, 0, 0, KIPSEC_REPLAY_ZERO, "small top: 0" },
		{ 64, 63, 0, 0, KIPSEC_REPLAY_ZERO, "top = W-1: 0" },
		{ 64, 64, 0, BLOCK, KIPSEC_REPLAY_OK,
		  "top = W: 0 is left of window, next block" },
		/* larger window */
		{ 1024, 0x300000100ULL, 0xfffffd01U, 0x2fffffd01ULL,
		  KIPSEC_REPLAY_OK, "w1024 straddling: left edge" },
		{ 1024, 0x300000100ULL, 0xfffffd00U, 0x3fffffd00ULL,
		  KIPSEC_REPLAY_OK, "w1024 straddling: left of window" },
		{ 1024, 0x3fffffc00ULL, 0x1000U, 0x400001000ULL,
		  KIPSEC_REPLAY_OK, "w1024 near edge: wrapped" },
		{ 1024, 0x3fffffc00ULL, 0xfffff801U, 0x3fffff801ULL,
		  KIPSEC_REPLAY_OK, "w1024 near edge: left edge" },
		/* end of the 64-bit space: there is no block after it */
		{ 64, 0xffffffff00000100ULL, 5, 0xffffffff00000005ULL,
		  KIPSEC_REPLAY_TOO_OLD, "last block: left of window is old" },
		{ 64, 0xffffffff00000100ULL, 0xc1U, 0xffffffff000000c1ULL,
		  KIPSEC_REPLAY_OK, "last block: left edge" },
		{ 64, 0xffffffff00000010ULL, 0xfffffff0U, 0xfffffffefffffff0ULL,
		  KIPSEC_REPLAY_OK, "last block straddling: late" },
		{ 64, 0xfffffffffffffff0ULL, 0xffffffffU, U64MAX,
		  KIPSEC_REPLAY_OK, "last seq of the space" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct kipsec_replay *r = mk(t[i].window, true);
		u64 full = 0;

		if (t[i].top)
			kipsec_replay_advance(r, t[i].top);
		is_res(kipsec_replay_check(r, t[i].low, &full), t[i].res,
		       "esn top=%#llx low=%#x: %s verdict",
		       (unsigned long long)t[i].top, t[i].low, t[i].what);
		is_uint(full, t[i].full, "esn top=%#llx low=%#x: %s seq",
			(unsigned long long)t[i].top, t[i].low, t[i].what);
		free(r);
	}

	/* a stream across the wrap, late packets from both sides */
	struct kipsec_replay *r = mk(64, true);
	static const u64 flow[] = {
		0xfffffffaULL, 0xfffffffdULL, 0x100000002ULL, 0xfffffffcULL,
		0xffffffffULL, 0x100000000ULL, 0x100000001ULL, 0xfffffffbULL,
		0xfffffffeULL, 0x100000003ULL,
	};
	unsigned long bad = 0;

	for (size_t i = 0; i < sizeof(flow) / sizeof(flow[0]); i++)
		bad += deliver(r, flow[i]) != KIPSEC_REPLAY_OK;
	is_uint(bad, 0, "esn: reordered stream across 2^32 accepted");
	for (size_t i = 0; i < sizeof(flow) / sizeof(flow[0]); i++)
		bad += deliver(r, flow[i]) != KIPSEC_REPLAY_DUPLICATE;
	is_uint(bad, 0, "esn: replayed stream across 2^32 all duplicates");
	is_uint(kipsec_replay_top(r), 0x100000003ULL, "esn: top after wrap");
	free(r);
}

static void test_outbound(void)
{
	u64 c = 0, out = 0;

	ok(kipsec_replay_next_out(&c, false, &out) && out == 1,
	   "out: first number is 1");
	ok(kipsec_replay_next_out(&c, false, &out) && out == 2,
	   "out: then 2");

	c = U32MAX - 1;
	ok(kipsec_replay_next_out(&c, false, &out) && out == U32MAX,
	   "out 32-bit: 2^32-1 may be used once");
	out = 42;
	ok(!kipsec_replay_next_out(&c, false, &out),
	   "out 32-bit: exhausted after 2^32-1");
	ok(c == U32MAX && out == 42, "out 32-bit: exhaustion changes nothing");
	ok(!kipsec_replay_next_out(&c, false, &out),
	   "out 32-bit: stays exhausted");

	c = U32MAX - 1;
	ok(kipsec_replay_next_out(&c, true, &out) && out == U32MAX,
	   "out esn: 2^32-1");
	ok(kipsec_replay_next_out(&c, true, &out) && out == BLOCK,
	   "out esn: continues with 2^32");
	ok((u32)out == 0, "out esn: low half on the wire wraps to 0");

	c = U64MAX - 1;
	ok(kipsec_replay_next_out(&c, true, &out) && out == U64MAX,
	   "out esn: 2^64-1 may be used once");
	out = 42;
	ok(!kipsec_replay_next_out(&c, true, &out),
	   "out esn: exhausted after 2^64-1");
	ok(c == U64MAX && out == 42, "out esn: exhaustion changes nothing");
}

/* ------------------------------------------------------------------ */
/* Randomized comparison against an obviously correct model. */

struct ref {
	u64 *slot;	/* open-addressed set of recorded seqs, 0 = empty */
	size_t cap;
	u64 top;
	u64 win;	/* effective window */
	bool esn;
	u64 max;	/* largest sequence number of the space */
};

static size_t ref_hash(const struct ref *m, u64 x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (size_t)x & (m->cap - 1);
}

static bool ref_seen(const struct ref *m, u64 x)
{
	for (size_t i = ref_hash(m, x); m->slot[i]; i = (i + 1) & (m->cap - 1))
		if (m->slot[i] == x)
			return true;
	return false;
}

static void ref_add(struct ref *m, u64 x)
{
	size_t i = ref_hash(m, x);

	while (m->slot[i] && m->slot[i] != x)
		i = (i + 1) & (m->cap - 1);
	m->slot[i] = x;
	if (x > m->top)
		m->top = x;
}

static res_t ref_verdict(const struct ref *m, u64 x)
{
	if (x == 0)
		return KIPSEC_REPLAY_ZERO;
	if (x > m->top || m->win == 0)
		return KIPSEC_REPLAY_OK;
	if (m->top - x >= m->win)
		return KIPSEC_REPLAY_TOO_OLD;
	return ref_seen(m, x) ? KIPSEC_REPLAY_DUPLICATE : KIPSEC_REPLAY_OK;
}

/*
 * RFC 4303 A2.1 restated: the number with these low bits in the 2^32 numbers
 * from the bottom of the window (top - W + 1) upwards.  If that falls below
 * 0 or above 2^64 - 1, the only existing candidate 2^32 away is taken.
 */
static u64 ref_infer(const struct ref *m, u32 low)
{
	u64 w = m->win ? m->win : 0x80000000ULL;

	if (m->top >= w - 1) {
		u64 bottom = m->top - (w - 1);
		u64 d = (u32)(low - (u32)bottom);

		if (bottom > U64MAX - d)
			return bottom - (BLOCK - d);
		return bottom + d;
	}
	/* bottom is negative: -nb */
	u64 nb = w - 1 - m->top;
	u64 d = (u32)(low + (u32)nb);

	return d >= nb ? d - nb : d + BLOCK - nb;
}

static u64 add_sat(const struct ref *m, u64 a, u64 d)
{
	if (a > m->max - d)
		return m->max - rnd_below(4);
	return a + d;
}

static u64 sub_sat(u64 a, u64 d)
{
	return a > d ? a - d : 0;
}

struct rstats {
	unsigned long ops, bad, verdict[4], advanced, raced;
};

static void cmp_check(struct kipsec_replay *r, const struct ref *m, u32 low,
		      struct rstats *st, u64 *full_out, res_t *res_out)
{
	u64 full, want_full = m->esn ? ref_infer(m, low) : low;
	res_t res = kipsec_replay_check(r, low, &full);
	res_t want = ref_verdict(m, want_full);

	if (res != want || full != want_full) {
		if (st->bad++ < 5)
			diag("  op %lu top=%#llx low=%#x: got %s/%#llx, expected %s/%#llx",
			     st->ops, (unsigned long long)m->top, low,
			     rname(res), (unsigned long long)full,
			     rname(want), (unsigned long long)want_full);
	}
	if (res <= KIPSEC_REPLAY_ZERO)
		st->verdict[res]++;
	*full_out = full;
	*res_out = res;
}

static void cmp_advance(struct kipsec_replay *r, struct ref *m, u64 full,
			struct rstats *st)
{
	res_t want = ref_verdict(m, full);
	res_t got = kipsec_replay_advance(r, full);

	if (got != want && st->bad++ < 5)
		diag("  op %lu advance(%#llx) top=%#llx: got %s, expected %s",
		     st->ops, (unsigned long long)full,
		     (unsigned long long)m->top, rname(got), rname(want));
	if (want == KIPSEC_REPLAY_OK) {
		ref_add(m, full);
		st->advanced++;
	} else {
		st->raced++;
	}
}

static void test_random(u32 window, bool esn, u64 start, unsigned long nops)
{
	struct kipsec_replay *r = mk(window, esn);
	struct ref m = {
		.cap = (size_t)1 << 21,
		.win = window ? ((u64)window + 63) / 64 * 64 : 0,
		.esn = esn,
		.max = esn ? U64MAX : U32MAX,
	};
	struct rstats st = { 0 };
	u64 near = m.win ? m.win : 256;
	u64 rb = window ? ring_bits(r) : 256;
	u64 hist[64] = { 0 }, pend[16];
	unsigned int nhist = 0, npend = 0;

	unsigned long epoch_start = 0, epochs = 0;

	m.slot = malloc(m.cap * sizeof(*m.slot));
	if (!m.slot)
		exit(2);
	rng_state = 0x5eed0000ULL ^ ((u64)window << 1) ^ esn ^ start;

	for (st.ops = 0; st.ops < nops; st.ops++) {
		u64 top, t = 0, full;
		bool forged = false;
		unsigned int k = (unsigned int)rnd_below(100);
		res_t res;

		/*
		 * Once the sequence space is nearly used up most traffic is
		 * clamped to its end; start a new SA to keep the mix useful.
		 */
		if (st.ops == 0 || (m.top > m.max - ((u64)1 << 22) &&
				    st.ops - epoch_start >= 5000)) {
			kipsec_replay_init(r, window, esn);
			memset(m.slot, 0, m.cap * sizeof(*m.slot));
			m.top = 0;
			npend = 0;
			nhist = 0;
			memset(hist, 0, sizeof(hist));
			if (start) {
				kipsec_replay_advance(r, start);
				ref_add(&m, start);
			}
			epoch_start = st.ops;
			epochs++;
		}
		top = m.top;

		if (k < 35)
			t = sub_sat(add_sat(&m, top, rnd_below(9)),
				    rnd_below(near + near / 4 + 3));
		else if (k < 55)
			t = add_sat(&m, top, 1 + rnd_below(64));
		else if (k < 65)
			/* around the left edge, or the top itself */
			t = sub_sat(add_sat(&m, top, 1), rnd_below(4) ?
					    m.win + 1 - rnd_below(3) :
					    rnd_below(2));
		else if (k < 70)
			t = add_sat(&m, top, near + rnd_below(4 * rb));
		else if (k < 73)
			t = add_sat(&m, top, rb * (1 + rnd_below(3)));
		else if (k < 75)
			t = add_sat(&m, top, rnd_below((u64)1 << 24));
		else if (k < 87)
			t = hist[rnd_below(64)];
		else if (k < 97)
			forged = true;
		/* else: t = 0 */

		u32 low = forged ? (u32)rnd() : (u32)t;

		cmp_check(r, &m, low, &st, &full, &res);

		/* the ICV passes only if the inferred seq is the one sent */
		if (!forged && res == KIPSEC_REPLAY_OK && full == t) {
			unsigned int d = (unsigned int)rnd_below(100);

			if (d < 5) {
				/* lost to an ICV failure, never advanced */
			} else if (d < 20 && npend < 16) {
				pend[npend++] = full;	/* async crypto */
			} else {
				cmp_advance(r, &m, full, &st);
				if (d > 96)
					cmp_advance(r, &m, full, &st);
			}
			hist[nhist++ % 64] = t;
		}

		/* async completions arrive in any order */
		if (npend && rnd_below(5) == 0) {
			unsigned int i = (unsigned int)rnd_below(npend);

			cmp_advance(r, &m, pend[i], &st);
			pend[i] = pend[--npend];
		}

		if (kipsec_replay_top(r) != m.top && st.bad++ < 5)
			diag("  op %lu: top %#llx, expected %#llx", st.ops,
			     (unsigned long long)kipsec_replay_top(r),
			     (unsigned long long)m.top);

		/* every so often compare the whole window (or a sample) */
		if (st.ops % 997 == 0) {
			u64 lo = sub_sat(m.top, m.win + 2);
			u64 hi = add_sat(&m, m.top, 2);
			bool all = hi - lo <= 4100;
			unsigned long n = all ? (unsigned long)(hi - lo + 1) :
						600;

			for (unsigned long i = 0; i < n; i++) {
				u64 s = all ? lo + i : lo + rnd_below(hi - lo);

				cmp_check(r, &m, (u32)s, &st, &full, &res);
			}
		}
	}

	is_uint(st.bad, 0,
		"random w=%u %s start=%#llx: %lu ops match the model", window,
		esn ? "esn" : "32-bit", (unsigned long long)start, nops);
	diag("  verdicts OK %lu DUP %lu OLD %lu ZERO %lu; advanced %lu, refused %lu; %lu SA(s), last top %#llx",
	     st.verdict[0], st.verdict[1], st.verdict[2], st.verdict[3],
	     st.advanced, st.raced, epochs, (unsigned long long)m.top);
	if (window)
		ok(st.verdict[KIPSEC_REPLAY_DUPLICATE] && st.raced &&
		   (esn || (st.verdict[KIPSEC_REPLAY_TOO_OLD] &&
			    st.verdict[KIPSEC_REPLAY_ZERO])),
		   "random w=%u %s: every verdict was exercised", window,
		   esn ? "esn" : "32-bit");
	free(m.slot);
	free(r);
}

/* ------------------------------------------------------------------ */

int main(void)
{
	static const u32 windows[] = { 32, 64, 100, 1024, 4096, 65536 };
	const size_t nw = sizeof(windows) / sizeof(windows[0]);

	rng_state = 1;
	test_sizes();

	for (size_t i = 0; i < nw; i++) {
		u32 w = windows[i];
		u64 ew = (w + 63) / 64 * 64;
		u64 rb = ew + 64;
		/* highest 32-bit base at which test_jumps() stays in range */
		u64 hi32 = U32MAX - ew - 1000 * rb - 64;

		for (int esn = 0; esn <= 1; esn++) {
			test_fresh(w, esn);
			test_two_phase(w, esn);
		}
		test_edges(w, false, 1);
		test_edges(w, false, 0xfffffff0ULL - ew);
		test_edges(w, true, 1);
		test_edges(w, true, BLOCK - ew - 3);	/* top below edge */
		test_edges(w, true, BLOCK - ew / 2);	/* straddles */
		test_edges(w, true, 7 * BLOCK);	/* bottom on edge */

		test_jumps(w, false, 1);
		test_jumps(w, false, hi32);
		test_jumps(w, true, BLOCK - ew - 3);
		test_jumps(w, true, 5 * BLOCK - ew / 2);

		test_bursts(w, false, 1);
		test_bursts(w, false, U32MAX - 2 * ew);
		test_bursts(w, true, BLOCK - ew - ew / 2);
		test_bursts(w, true, 3 * BLOCK - ew / 2);
	}
	test_fresh(0, false);
	test_fresh(0, true);
	test_off(false);
	test_off(true);
	for (size_t i = 0; i < nw; i++) {
		test_start_at(windows[i], false, 0xfffffff0ULL);
		test_start_at(windows[i], false, 100000);
		test_start_at(windows[i], true, BLOCK - 3);
		test_start_at(windows[i], true, 9 * BLOCK - 2);
	}
	test_esn_table();
	test_outbound();

	static const struct {
		u32 window;
		bool esn;
		u64 start;
	} rc[] = {
		{ 32, false, 0 },
		{ 64, false, 0 },
		{ 100, false, 1000 },
		{ 1024, false, 0xf0000000ULL },
		{ 4096, false, 0 },
		{ 65536, false, 0 },
		{ 0, false, 0 },
		{ 32, true, U64MAX - 100000 },
		{ 64, true, 0xfffff000ULL },
		{ 100, true, 0 },
		{ 1024, true, 0 },
		{ 4096, true, 0x3ffff0000ULL },
		{ 65536, true, U64MAX - ((u64)1 << 40) },
		{ 0, true, 0xffffff00ULL },
	};

	for (size_t i = 0; i < sizeof(rc) / sizeof(rc[0]); i++)
		test_random(rc[i].window, rc[i].esn, rc[i].start, 300000);

	return tap_done();
}
