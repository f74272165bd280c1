// SPDX-License-Identifier: GPL-2.0
/* The SPD classifier's shapes, keys, ranks and shape sets (spd_class.h). */
#include "spd_class.h"

/*
 * kipsec_flow_key() must set every field of a selector, or a policy using
 * a new one could never be found: a new field has to be added there too.
 */
_Static_assert(sizeof(struct kipsec_sel) == 44,
	       "struct kipsec_sel changed: update kipsec_flow_key()");

#define KIPSEC_SEL_UPPER (KIPSEC_SEL_SPORT | KIPSEC_SEL_DPORT | \
			  KIPSEC_SEL_ICMP_TYPE | KIPSEC_SEL_ICMP_CODE)

struct kipsec_sel_mask kipsec_sel_mask_of(const struct kipsec_sel *sel)
{
	struct kipsec_sel_mask m = {
		.family = sel->family,
		.src_plen = sel->src_plen,
		.dst_plen = sel->dst_plen,
		.fields = sel->fields,
	};

	return m;
}

/* @a's first @plen bits into @out, which is zeroed beyond them already. */
static void kipsec_addr_prefix(struct kipsec_addr *out,
			       const struct kipsec_addr *a, unsigned int plen)
{
	unsigned int whole = plen / 8, rest = plen % 8;

	memcpy(out->b, a->b, whole);
	if (rest)
		out->b[whole] = a->b[whole] & (u8)(0xff << (8 - rest));
}

bool kipsec_flow_key(const struct kipsec_flow *flow,
		     const struct kipsec_sel_mask *m, struct kipsec_sel *key)
{
	u8 f = m->fields;

	if (flow->family != m->family)
		return false;
	/* RFC 4301: OPAQUE matches only selectors whose ports are ANY. */
	if (flow->opaque && (f & KIPSEC_SEL_UPPER))
		return false;
	/* Unset fields and the padding are zero in every stored selector. */
	memset(key, 0, sizeof(*key));
	key->family = m->family;
	key->src_plen = m->src_plen;
	key->dst_plen = m->dst_plen;
	key->fields = f;
	kipsec_addr_prefix(&key->src, &flow->src, m->src_plen);
	kipsec_addr_prefix(&key->dst, &flow->dst, m->dst_plen);
	if (f & KIPSEC_SEL_PROTO)
		key->proto = flow->proto;
	if (f & KIPSEC_SEL_SPORT)
		key->sport = flow->sport;
	if (f & KIPSEC_SEL_DPORT)
		key->dport = flow->dport;
	if (f & KIPSEC_SEL_ICMP_TYPE)
		key->icmp_type = flow->icmp_type;
	if (f & KIPSEC_SEL_ICMP_CODE)
		key->icmp_code = flow->icmp_code;
	return true;
}

struct kipsec_rank kipsec_rank_new(u32 priority, u64 *next_seq)
{
	struct kipsec_rank r = { .seq = (*next_seq)++, .priority = priority };

	return r;
}

struct kipsec_rank kipsec_rank_replace(const struct kipsec_rank *old,
				       u32 priority, u64 *next_seq)
{
	if (old->priority == priority)
		return *old;
	return kipsec_rank_new(priority, next_seq);
}

size_t kipsec_mask_set_size(u32 n)
{
	return sizeof(struct kipsec_mask_set) +
	       n * sizeof(struct kipsec_mask_slot);
}

/* The sort key of a shape; any total order serves, this one is cheap. */
static u32 kipsec_mask_ord(const struct kipsec_sel_mask *m)
{
	return (u32)m->family << 24 | (u32)m->src_plen << 16 |
	       (u32)m->dst_plen << 8 | m->fields;
}

/* The first slot not ordered before @m: its place, found or not. */
static u32 kipsec_mask_set_place(const struct kipsec_mask_set *set,
				 const struct kipsec_sel_mask *m)
{
	u32 lo = 0, hi = set ? set->n : 0, mid, want = kipsec_mask_ord(m);

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (kipsec_mask_ord(&set->slot[mid].mask) < want)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int kipsec_mask_set_find(const struct kipsec_mask_set *set,
			 const struct kipsec_sel_mask *m)
{
	u32 at = kipsec_mask_set_place(set, m);

	if (set && at < set->n &&
	    kipsec_mask_ord(&set->slot[at].mask) == kipsec_mask_ord(m))
		return (int)at;
	return -1;
}

bool kipsec_mask_set_hold(struct kipsec_mask_set *set,
			  const struct kipsec_sel_mask *m)
{
	int at = kipsec_mask_set_find(set, m);

	if (at < 0)
		return false;
	set->slot[at].users++;
	return true;
}

void kipsec_mask_set_with(struct kipsec_mask_set *new,
			  const struct kipsec_mask_set *old,
			  const struct kipsec_sel_mask *m)
{
	u32 n = old ? old->n : 0, at = kipsec_mask_set_place(old, m);

	memset(&new->rcu, 0, sizeof(new->rcu));
	new->n = n + 1;
	if (at)
		memcpy(new->slot, old->slot, at * sizeof(new->slot[0]));
	new->slot[at].mask = *m;
	new->slot[at].users = 1;
	if (n > at)
		memcpy(&new->slot[at + 1], &old->slot[at],
		       (n - at) * sizeof(new->slot[0]));
}

bool kipsec_mask_set_release(struct kipsec_mask_set *set,
			     const struct kipsec_sel_mask *m)
{
	int at = kipsec_mask_set_find(set, m);

	if (at < 0 || !set->slot[at].users)
		return false;	/* not counted: nothing to release */
	return --set->slot[at].users == 0;
}

void kipsec_mask_set_without(struct kipsec_mask_set *new,
			     const struct kipsec_mask_set *old,
			     const struct kipsec_sel_mask *m)
{
	u32 at = kipsec_mask_set_place(old, m);

	memset(&new->rcu, 0, sizeof(new->rcu));
	new->n = old->n - 1;
	memcpy(new->slot, old->slot, at * sizeof(new->slot[0]));
	memcpy(&new->slot[at], &old->slot[at + 1],
	       (old->n - at - 1) * sizeof(new->slot[0]));
}
