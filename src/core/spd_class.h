/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SPD classifier: tuple-space search over selector shapes.
 *
 * A selector's shape is its family, its two prefix lengths and which of
 * protocol, ports, ICMP type and code it sets. A flow masked by a shape
 * (kipsec_flow_key()) is a selector; the flow falls under a policy of that
 * shape exactly when that selector is the policy's, bytewise. So one exact
 * hash table keyed by (direction, selector) answers "which policy of this
 * shape matches" in one probe, and a lookup probes once per distinct shape
 * of the direction, keeping the best-ranked hit. Every selector field is
 * part of the shape, so a probe finds at most one policy and nothing is
 * left to compare afterwards.
 *
 * This file is everything of the classifier that needs no lock, hash table
 * or allocator, and both the module (spd.c: RCU, rhashtable, slab) and the
 * native fuzz test (tests/unit/test_spd_class.c: malloc and a plain hash)
 * run it: the shapes and keys, the rank order, the sorted shape set with
 * its per-shape policy counts, and the lookup loop. A shape set is never
 * edited where readers see it except for its counts (which readers do not
 * read): a new or vanished shape means a new set, built here into memory
 * the caller allocated, published and the old one freed by the caller.
 */
#ifndef KIPSEC_SPD_CLASS_H
#define KIPSEC_SPD_CLASS_H

#include "selector.h"

#ifndef __KERNEL__
/* Natively a replaced set is freed at once; the kernel's is an rcu_head. */
struct rcu_head {
	struct rcu_head *next;
	void (*func)(struct rcu_head *head);
};
#endif

#ifndef __always_inline
#define __always_inline inline __attribute__((__always_inline__))
#endif

/* What a lookup masks a flow with to probe for one kind of selector. */
struct kipsec_sel_mask {
	u8 family;
	u8 src_plen;
	u8 dst_plen;
	u8 fields;		/* enum kipsec_sel_fields */
};

/*
 * A policy's place in lookup order: lower priority first, then lower seq
 * (the order policies were added in; a namespace counts them up).
 */
struct kipsec_rank {
	u64 seq;
	u32 priority;
	u32 pad;
};

struct kipsec_mask_slot {
	struct kipsec_sel_mask mask;
	u32 users;		/* policies of this shape; writers only */
};

/* The shapes of one direction's policies, sorted (kipsec_mask_set_find()). */
struct kipsec_mask_set {
	struct rcu_head rcu;
	u32 n;
	struct kipsec_mask_slot slot[];
};

struct kipsec_sel_mask kipsec_sel_mask_of(const struct kipsec_sel *sel);

/*
 * Writes to @key the selector a policy of shape @m must have to cover
 * @flow. False when none can: another family, or a non-first fragment
 * (OPAQUE) against a shape with ports or ICMP type/code.
 */
bool kipsec_flow_key(const struct kipsec_flow *flow,
		     const struct kipsec_sel_mask *m, struct kipsec_sel *key);

static inline bool kipsec_rank_before(const struct kipsec_rank *a,
				      const struct kipsec_rank *b)
{
	if (a->priority != b->priority)
		return a->priority < b->priority;
	return a->seq < b->seq;
}

/* The rank of a policy added now: last among its priority. */
struct kipsec_rank kipsec_rank_new(u32 priority, u64 *next_seq);
/*
 * The rank of a policy replacing one of rank @old (spdupdate): its place
 * if the priority stays, else last among its new priority.
 */
struct kipsec_rank kipsec_rank_replace(const struct kipsec_rank *old,
				       u32 priority, u64 *next_seq);

/* Bytes of a set with @n shapes. */
size_t kipsec_mask_set_size(u32 n);
/* @m's slot in @set (NULL: empty), or -1. */
int kipsec_mask_set_find(const struct kipsec_mask_set *set,
			 const struct kipsec_sel_mask *m);
/*
 * Counts one more policy of shape @m if @set has the shape. False: the
 * caller builds a set with it by kipsec_mask_set_with().
 */
bool kipsec_mask_set_hold(struct kipsec_mask_set *set,
			  const struct kipsec_sel_mask *m);
/* @old (NULL: empty) plus shape @m counted once, into @new of n + 1 slots. */
void kipsec_mask_set_with(struct kipsec_mask_set *new,
			  const struct kipsec_mask_set *old,
			  const struct kipsec_sel_mask *m);
/*
 * Counts one policy of shape @m (which @set has) less. True when it was
 * the shape's last: the caller then replaces the set by one without it
 * (kipsec_mask_set_without(), or none when it was the only shape), or,
 * short of memory, keeps the set; an unused shape costs lookups a probe,
 * never a wrong answer.
 */
bool kipsec_mask_set_release(struct kipsec_mask_set *set,
			     const struct kipsec_sel_mask *m);
/* @old without shape @m (which it has), into @new of n - 1 slots. */
void kipsec_mask_set_without(struct kipsec_mask_set *new,
			     const struct kipsec_mask_set *old,
			     const struct kipsec_sel_mask *m);

/*
 * Looks up the policy whose selector is @key (bytewise) in the caller's
 * table for the direction being searched; its rank, or NULL.
 */
typedef const struct kipsec_rank *(*kipsec_class_find_t)(
	const void *table, const struct kipsec_sel *key);

/*
 * The best-ranked policy covering @flow among the shapes of @set (NULL:
 * none), by the rank @find returned, or NULL. Inline so that a constant
 * @find becomes a direct call: this is the per-packet path.
 */
static __always_inline const struct kipsec_rank *
kipsec_class_lookup(const struct kipsec_mask_set *set,
		    const struct kipsec_flow *flow, kipsec_class_find_t find,
		    const void *table)
{
	const struct kipsec_rank *best = NULL, *r;
	struct kipsec_sel key;
	u32 i;

	for (i = 0; set && i < set->n; i++) {
		if (!kipsec_flow_key(flow, &set->slot[i].mask, &key))
			continue;
		r = find(table, &key);
		if (r && (!best || kipsec_rank_before(r, best)))
			best = r;
	}
	return best;
}

#endif /* KIPSEC_SPD_CLASS_H */
