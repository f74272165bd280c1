// SPDX-License-Identifier: GPL-2.0
/*
 * The SPD. Lookup order is priority, then the order policies were added
 * in, as Linux's SPD keeps them (RFC 4301 4.4.1: an ordered list the
 * administrator writes), so a setkey file behaves as it does with XFRM;
 * each policy carries that place as its rank (priority, sequence number).
 *
 * A packet's lookup is the tuple-space search of spd_class.h: for each
 * distinct selector shape of the direction (family, prefix lengths, which
 * of protocol, ports, ICMP type and code are set), the flow masked by the
 * shape is looked up in the hash table by (direction, selector) that the
 * control plane uses anyway; the best-ranked hit wins. That is one probe
 * per shape, however many policies there are, and no lock: the table is an
 * rhashtable and the shape set an RCU-replaced array. The linear walk it
 * replaces lives on as the reference model the classifier is fuzzed
 * against (src/core/spd_ref.c, tests/unit/test_spd_class.c).
 *
 * Writers hold kn->lock. Adding or removing a policy costs a hash insert,
 * an rbtree insert by rank (the dump order) and, only when a shape appears
 * or goes, a copy of the direction's shape set: no walk over policies.
 */
#include <linux/rbtree.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include "kipsec.h"
#include "limits.h"

static const struct rhashtable_params kipsec_pol_ht_params = {
	.key_len = sizeof(struct kipsec_pol_key),
	.key_offset = offsetof(struct kipsec_policy, key),
	.head_offset = offsetof(struct kipsec_policy, node),
	.automatic_shrinking = true,
};

static struct kipsec_mask_set *kipsec_shapes_of(struct kipsec_net *kn, u8 dir)
{
	return rcu_dereference_protected(kn->spd.shapes[dir],
					 lockdep_is_held(&kn->lock));
}

/*
 * The direction's shape set with @sel's shape added, if it lacks it (NULL
 * and 0 otherwise), for kipsec_shapes_commit() once nothing can fail.
 */
static int kipsec_shapes_grow(struct kipsec_net *kn,
			      const struct kipsec_pol_key *key,
			      struct kipsec_mask_set **new)
{
	struct kipsec_mask_set *old = kipsec_shapes_of(kn, key->dir);
	struct kipsec_sel_mask m = kipsec_sel_mask_of(&key->sel);

	*new = NULL;
	if (kipsec_mask_set_find(old, &m) >= 0)
		return 0;
	*new = kmalloc(kipsec_mask_set_size(old ? old->n + 1 : 1),
		       GFP_KERNEL_ACCOUNT);
	if (!*new)
		return -ENOMEM;
	kipsec_mask_set_with(*new, old, &m);
	return 0;
}

/*
 * Counts the new policy of @key in its shape: publishes @new (from
 * kipsec_shapes_grow(), counting it already) after the policy is in the
 * table, so a lookup that sees the shape can find it.
 */
static void kipsec_shapes_commit(struct kipsec_net *kn,
				 const struct kipsec_pol_key *key,
				 struct kipsec_mask_set *new)
{
	struct kipsec_mask_set *old = kipsec_shapes_of(kn, key->dir);
	struct kipsec_sel_mask m = kipsec_sel_mask_of(&key->sel);

	if (!new) {
		kipsec_mask_set_hold(old, &m);
		return;
	}
	rcu_assign_pointer(kn->spd.shapes[key->dir], new);
	if (old)
		kfree_rcu(old, rcu);
}

/* Uncounts a removed policy; its shape goes with the last of it. */
static void kipsec_shapes_release(struct kipsec_net *kn,
				  const struct kipsec_pol_key *key)
{
	struct kipsec_mask_set *old = kipsec_shapes_of(kn, key->dir), *new = NULL;
	struct kipsec_sel_mask m = kipsec_sel_mask_of(&key->sel);

	if (!kipsec_mask_set_release(old, &m))
		return;
	if (old->n > 1) {
		new = kmalloc(kipsec_mask_set_size(old->n - 1),
			      GFP_KERNEL_ACCOUNT);
		/* An unused shape only costs lookups a probe; try next time. */
		if (!new)
			return;
		kipsec_mask_set_without(new, old, &m);
	}
	rcu_assign_pointer(kn->spd.shapes[key->dir], new);
	kfree_rcu(old, rcu);
}

static bool kipsec_rank_less(struct rb_node *a, const struct rb_node *b)
{
	return kipsec_rank_before(&rb_entry(a, struct kipsec_policy, by_rank)->rank,
				  &rb_entry(b, struct kipsec_policy, by_rank)->rank);
}

static void kipsec_rank_insert(struct kipsec_spd *spd,
			       struct kipsec_policy *pol)
{
	rb_add(&pol->by_rank, &spd->by_rank[pol->key.dir], kipsec_rank_less);
}

struct kipsec_policy *kipsec_policy_first(struct kipsec_net *kn, u8 dir)
{
	struct rb_node *node = rb_first(&kn->spd.by_rank[dir]);

	return node ? rb_entry(node, struct kipsec_policy, by_rank) : NULL;
}

struct kipsec_policy *kipsec_policy_next(struct kipsec_policy *pol)
{
	struct rb_node *node = rb_next(&pol->by_rank);

	return node ? rb_entry(node, struct kipsec_policy, by_rank) : NULL;
}

static struct kipsec_pol_insts *kipsec_insts_alloc(unsigned int n)
{
	struct kipsec_pol_insts *insts;

	return kzalloc(struct_size(insts, inst, n), GFP_KERNEL_ACCOUNT);
}

static void kipsec_policy_free(struct kipsec_policy *pol)
{
	kfree(rcu_dereference_protected(pol->insts, true));
	kfree(pol);
}

static void kipsec_policy_free_rcu(struct rcu_head *head)
{
	kipsec_policy_free(container_of(head, struct kipsec_policy, rcu));
}

static struct kipsec_policy *
kipsec_policy_build(const struct kipsec_pol_params *pp)
{
	struct kipsec_pol_insts *insts = NULL;
	struct kipsec_policy *pol;

	pol = kzalloc(sizeof(*pol), GFP_KERNEL_ACCOUNT);
	if (!pol)
		return NULL;
	if (pp->action == KIPSEC_ACTION_IPSEC) {
		insts = kipsec_insts_alloc(1);
		if (!insts) {
			kfree(pol);
			return NULL;
		}
		insts->n = 1;
		insts->inst[0] = pp->inst;
	}
	pol->key = pp->key;
	pol->action = pp->action;
	RCU_INIT_POINTER(pol->insts, insts);
	return pol;
}

struct kipsec_policy *kipsec_policy_find(struct kipsec_net *kn,
					 const struct kipsec_pol_key *key)
{
	return rhashtable_lookup_fast(&kn->spd.pol_ht, key,
				      kipsec_pol_ht_params);
}

struct kipsec_policy *kipsec_policy_by_index(struct kipsec_net *kn, u32 index)
{
	return xa_load(&kn->spd.pol_xa, index);
}

static struct kipsec_pol_insts *
kipsec_insts_of(struct kipsec_net *kn, const struct kipsec_policy *pol)
{
	return rcu_dereference_protected(pol->insts,
					 lockdep_is_held(&kn->lock));
}

/* Stacks @inst on @pol as its newest instance (an IKE rekey). */
static int kipsec_policy_push(struct kipsec_net *kn, struct kipsec_policy *pol,
			      const struct kipsec_pol_inst *inst,
			      struct netlink_ext_ack *extack)
{
	struct kipsec_pol_insts *old = kipsec_insts_of(kn, pol), *new;

	if (!old) {
		NL_SET_ERR_MSG(extack,
			       "only ipsec policies can stack instances, and the existing policy is not one");
		return -EINVAL;
	}
	if (old->n >= KIPSEC_POLICY_INSTANCES_MAX) {
		NL_SET_ERR_MSG(extack,
			       "a policy stacks at most 4 instances (KIPSEC_POLICY_INSTANCES_MAX): delete the retired SA's instance first (POLICY_DEL with KIPSEC_POL_A_SA_SPI)");
		return -ENOSPC;
	}
	new = kipsec_insts_alloc(old->n + 1);
	if (!new)
		return -ENOMEM;
	new->n = old->n + 1;
	new->inst[0] = *inst;
	memcpy(&new->inst[1], old->inst, old->n * sizeof(old->inst[0]));
	rcu_assign_pointer(pol->insts, new);
	kfree_rcu(old, rcu);
	return 0;
}

int kipsec_policy_add(struct kipsec_net *kn,
		      const struct kipsec_pol_params *pp, bool append,
		      struct kipsec_policy **out,
		      struct netlink_ext_ack *extack)
{
	struct kipsec_spd *spd = &kn->spd;
	struct kipsec_mask_set *shapes = NULL;
	struct kipsec_policy *pol;
	int err;

	pol = kipsec_policy_find(kn, &pp->key);
	if (pol) {
		if (!append) {
			NL_SET_ERR_MSG(extack,
				       "a policy with this selector and direction exists (use spdupdate to replace it)");
			return -EEXIST;
		}
		if (pp->action != KIPSEC_ACTION_IPSEC) {
			NL_SET_ERR_MSG(extack, "only ipsec policies can be stacked");
			return -EINVAL;
		}
		err = kipsec_policy_push(kn, pol, &pp->inst, extack);
		if (!err)
			*out = pol;
		return err;
	}

	err = kipsec_limit_policy(kn, extack);
	if (err)
		return err;
	pol = kipsec_policy_build(pp);
	if (!pol)
		return -ENOMEM;
	err = kipsec_shapes_grow(kn, &pol->key, &shapes);
	if (err)
		goto fail;
	err = xa_alloc_cyclic(&spd->pol_xa, &pol->index, pol, xa_limit_32b,
			      &spd->next_index, GFP_KERNEL_ACCOUNT);
	if (err < 0)
		goto fail;
	pol->rank = kipsec_rank_new(pp->priority, &spd->next_seq);
	err = rhashtable_insert_fast(&spd->pol_ht, &pol->node,
				     kipsec_pol_ht_params);
	if (err) {
		xa_erase(&spd->pol_xa, pol->index);
		goto fail;
	}
	kipsec_shapes_commit(kn, &pol->key, shapes);
	kipsec_rank_insert(spd, pol);
	WRITE_ONCE(spd->dir_count[pol->key.dir], spd->dir_count[pol->key.dir] + 1);
	spd->count++;
	*out = pol;
	return 0;
fail:
	kfree(shapes);
	kipsec_policy_free(pol);
	return err;
}

/*
 * Replaces @old with a policy built from @pp under the same index and key.
 * The hash table swaps one for the other in place, so a concurrent lookup
 * always finds one of them; the shape set stays as it is.
 */
int kipsec_policy_replace(struct kipsec_net *kn, struct kipsec_policy *old,
			  const struct kipsec_pol_params *pp,
			  struct kipsec_policy **out)
{
	struct kipsec_policy *pol;
	int err;

	pol = kipsec_policy_build(pp);
	if (!pol)
		return -ENOMEM;
	pol->index = old->index;
	/* spdupdate keeps the policy's place unless its priority changes. */
	pol->rank = kipsec_rank_replace(&old->rank, pp->priority,
					&kn->spd.next_seq);
	/* The same policy to the daemon: its idle time goes on. */
	pol->use_time = READ_ONCE(old->use_time);
	err = rhashtable_replace_fast(&kn->spd.pol_ht, &old->node, &pol->node,
				      kipsec_pol_ht_params);
	if (err) {
		kipsec_policy_free(pol);
		return err;
	}
	xa_store(&kn->spd.pol_xa, pol->index, pol, GFP_KERNEL_ACCOUNT);
	if (pol->rank.seq == old->rank.seq) {
		rb_replace_node(&old->by_rank, &pol->by_rank,
				&kn->spd.by_rank[pol->key.dir]);
	} else {
		rb_erase(&old->by_rank, &kn->spd.by_rank[pol->key.dir]);
		kipsec_rank_insert(&kn->spd, pol);
	}
	call_rcu(&old->rcu, kipsec_policy_free_rcu);
	*out = pol;
	return 0;
}

static bool kipsec_inst_names_spi(const struct kipsec_pol_inst *inst, u32 spi)
{
	unsigned int i;

	for (i = 0; i < inst->ntmpl; i++)
		if (inst->tmpl[i].spi == spi)
			return true;
	return false;
}

int kipsec_policy_find_spi(struct kipsec_net *kn,
			   const struct kipsec_policy *pol, u32 spi)
{
	const struct kipsec_pol_insts *insts = kipsec_insts_of(kn, pol);
	unsigned int i;

	for (i = 0; insts && i < insts->n; i++)
		if (kipsec_inst_names_spi(&insts->inst[i], spi))
			return i;
	return -ENOENT;
}

unsigned int kipsec_policy_instances(struct kipsec_net *kn,
				     const struct kipsec_policy *pol)
{
	const struct kipsec_pol_insts *insts = kipsec_insts_of(kn, pol);

	return insts ? insts->n : 0;
}

/* Removes instance @i; the policy goes with its last one. */
int kipsec_policy_remove_inst(struct kipsec_net *kn, struct kipsec_policy *pol,
			      unsigned int i)
{
	struct kipsec_pol_insts *old = kipsec_insts_of(kn, pol), *new;
	unsigned int j;

	if (old->n == 1) {
		kipsec_policy_remove(kn, pol);
		return 0;
	}
	new = kipsec_insts_alloc(old->n - 1);
	if (!new)
		return -ENOMEM;
	new->n = old->n - 1;
	for (j = 0; j < old->n; j++)
		if (j != i)
			new->inst[j < i ? j : j - 1] = old->inst[j];
	rcu_assign_pointer(pol->insts, new);
	kfree_rcu(old, rcu);
	return 0;
}

void kipsec_policy_remove(struct kipsec_net *kn, struct kipsec_policy *pol)
{
	struct kipsec_spd *spd = &kn->spd;

	rhashtable_remove_fast(&spd->pol_ht, &pol->node, kipsec_pol_ht_params);
	xa_erase(&spd->pol_xa, pol->index);
	kipsec_shapes_release(kn, &pol->key);
	rb_erase(&pol->by_rank, &spd->by_rank[pol->key.dir]);
	WRITE_ONCE(spd->dir_count[pol->key.dir], spd->dir_count[pol->key.dir] - 1);
	spd->count--;
	call_rcu(&pol->rcu, kipsec_policy_free_rcu);
}

unsigned int kipsec_policy_flush(struct kipsec_net *kn)
{
	struct kipsec_policy *pol;
	unsigned long index;
	unsigned int n = 0;

	xa_for_each(&kn->spd.pol_xa, index, pol) {
		kipsec_policy_remove(kn, pol);
		n++;
		cond_resched();
	}
	return n;
}

/* What kipsec_spd_find() probes: the direction searched. */
struct kipsec_spd_probe {
	struct rhashtable *ht;
	u8 dir;
};

/* The classifier's exact lookup: the policy of this direction and selector. */
static const struct kipsec_rank *kipsec_spd_find(const void *table,
						 const struct kipsec_sel *sel)
{
	const struct kipsec_spd_probe *probe = table;
	struct kipsec_pol_key key = { .sel = *sel, .dir = probe->dir };
	struct kipsec_policy *pol;

	pol = rhashtable_lookup(probe->ht, &key, kipsec_pol_ht_params);
	return pol ? &pol->rank : NULL;
}

struct kipsec_policy *kipsec_spd_lookup(struct kipsec_net *kn, u8 dir,
					const struct kipsec_flow *flow)
{
	struct kipsec_spd_probe probe = { .ht = &kn->spd.pol_ht, .dir = dir };
	const struct kipsec_rank *rank;

	rank = kipsec_class_lookup(rcu_dereference(kn->spd.shapes[dir]), flow,
				   kipsec_spd_find, &probe);
	return rank ? container_of(rank, struct kipsec_policy, rank) : NULL;
}

void kipsec_policy_note_use(struct kipsec_policy *pol)
{
	time64_t now = kipsec_boottime_seconds();

	/*
	 * At most one write a second: every CPU passing packets through the
	 * policy reads this cache line, and writing it per packet would
	 * bounce it between them.
	 */
	if (READ_ONCE(pol->use_time) != now)
		WRITE_ONCE(pol->use_time, now);
}

int kipsec_spd_init(struct kipsec_net *kn)
{
	unsigned int dir;

	for (dir = 0; dir < ARRAY_SIZE(kn->spd.by_rank); dir++)
		kn->spd.by_rank[dir] = RB_ROOT;
	xa_init_flags(&kn->spd.pol_xa, XA_FLAGS_ALLOC1);
	return rhashtable_init(&kn->spd.pol_ht, &kipsec_pol_ht_params);
}

void kipsec_spd_exit(struct kipsec_net *kn)
{
	struct kipsec_mask_set *shapes;
	unsigned int dir;

	/* Nobody else can hold it now; the lock is for lockdep's checks. */
	mutex_lock(&kn->lock);
	kipsec_policy_flush(kn);
	mutex_unlock(&kn->lock);
	/* Shapes left unused when memory was short to shrink their set. */
	for (dir = 0; dir < ARRAY_SIZE(kn->spd.shapes); dir++) {
		shapes = rcu_dereference_protected(kn->spd.shapes[dir], true);
		RCU_INIT_POINTER(kn->spd.shapes[dir], NULL);
		if (shapes)
			kfree_rcu(shapes, rcu);
	}
	rhashtable_destroy(&kn->spd.pol_ht);
	xa_destroy(&kn->spd.pol_xa);
}
