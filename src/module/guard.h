/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU recursion guards, each tied to the skb it covers:
 * - out: the ESP packet kipsec is sending must not be looked up again when
 *   it passes POST_ROUTING on its way out;
 * - in: a decapsulated packet being delivered synchronously carries the SA
 *   that protected it, so the inbound policy check downstream knows. While
 *   it is delivered, other packets (a TCP ACK, say) pass through the hooks
 *   and must not inherit it: they are different skbs.
 * Depth is bounded; past it, delivery fails closed (the packet is dropped
 * as if it had arrived unprotected).
 */
#ifndef KIPSEC_GUARD_H
#define KIPSEC_GUARD_H

#include <linux/percpu.h>
#include <linux/skbuff.h>

#define KIPSEC_GUARD_DEPTH 4

struct kipsec_sa;

struct kipsec_guard {
	unsigned int depth;
	const struct sk_buff *skb[KIPSEC_GUARD_DEPTH];
	struct kipsec_sa *sa[KIPSEC_GUARD_DEPTH];
};

DECLARE_PER_CPU(struct kipsec_guard, kipsec_out_guard);
DECLARE_PER_CPU(struct kipsec_guard, kipsec_in_guard);

/* Callers run with bottom halves disabled, so the CPU cannot change. */
static inline bool kipsec_guard_push(struct kipsec_guard __percpu *g,
				     const struct sk_buff *skb,
				     struct kipsec_sa *sa)
{
	struct kipsec_guard *this = this_cpu_ptr(g);

	if (this->depth == KIPSEC_GUARD_DEPTH)
		return false;
	this->skb[this->depth] = skb;
	this->sa[this->depth] = sa;
	this->depth++;
	return true;
}

static inline void kipsec_guard_pop(struct kipsec_guard __percpu *g)
{
	this_cpu_ptr(g)->depth--;
}

/* Is @skb covered by the guard? Its SA (if any) goes to @sa. */
static inline bool kipsec_guard_covers(struct kipsec_guard __percpu *g,
				       const struct sk_buff *skb,
				       struct kipsec_sa **sa)
{
	struct kipsec_guard *this = this_cpu_ptr(g);
	unsigned int i;

	for (i = 0; i < this->depth; i++) {
		if (this->skb[i] == skb) {
			if (sa)
				*sa = this->sa[i];
			return true;
		}
	}
	return false;
}

#endif /* KIPSEC_GUARD_H */
