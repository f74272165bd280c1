// SPDX-License-Identifier: GPL-2.0
/*
 * The SPD. Per direction, policies sit in one RCU list in lookup order:
 * priority, then the order they were added in, as Linux's SPD keeps them
 * (RFC 4301 4.4.1: an ordered list the administrator writes), so a
 * setkey file behaves as it does with XFRM. A packet's lookup is the first
 * match of a walk: O(policies) per packet, no lock. Control-plane access
 * is O(1): a hash table by (direction, selector) and an xarray by index.
 * Inserting scans from the tail, which is O(1) for policies added at the
 * lowest-ranked priority so far. Writers hold kn->lock.
 */
#include <linux/rculist.h>
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

/* After every policy of the same or a better (lower) priority. */
static void kipsec_list_insert_ranked(struct kipsec_spd *spd,
				      struct kipsec_policy *pol)
{
	struct list_head *head = &spd->by_dir[pol->key.dir];
	struct kipsec_policy *pos;

	list_for_each_entry_reverse(pos, head, list) {
		if (pos->priority <= pol->priority) {
			list_add_rcu(&pol->list, &pos->list);
			return;
		}
	}
	list_add_rcu(&pol->list, head);
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
	pol->priority = pp->priority;
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
	err = xa_alloc_cyclic(&spd->pol_xa, &pol->index, pol, xa_limit_32b,
			      &spd->next_index, GFP_KERNEL_ACCOUNT);
	if (err < 0)
		goto fail;
	err = rhashtable_insert_fast(&spd->pol_ht, &pol->node,
				     kipsec_pol_ht_params);
	if (err) {
		xa_erase(&spd->pol_xa, pol->index);
		goto fail;
	}
	kipsec_list_insert_ranked(spd, pol);
	spd->count++;
	*out = pol;
	return 0;
fail:
	kipsec_policy_free(pol);
	return err;
}

/*
 * Replaces @old with a policy built from @pp under the same index. The new
 * one enters the list before the old one leaves, so a concurrent lookup
 * always finds one of them.
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
	/* The same policy to the daemon: its idle time goes on. */
	pol->use_time = READ_ONCE(old->use_time);
	err = rhashtable_replace_fast(&kn->spd.pol_ht, &old->node, &pol->node,
				      kipsec_pol_ht_params);
	if (err) {
		kipsec_policy_free(pol);
		return err;
	}
	xa_store(&kn->spd.pol_xa, pol->index, pol, GFP_KERNEL_ACCOUNT);
	/* spdupdate keeps the policy's place unless its priority changes. */
	if (pol->priority == old->priority)
		list_add_rcu(&pol->list, &old->list);
	else
		kipsec_list_insert_ranked(&kn->spd, pol);
	list_del_rcu(&old->list);
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
	list_del_rcu(&pol->list);
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

struct kipsec_policy *kipsec_spd_lookup(struct kipsec_net *kn, u8 dir,
					const struct kipsec_flow *flow)
{
	struct kipsec_policy *pol;

	list_for_each_entry_rcu(pol, &kn->spd.by_dir[dir], list)
		if (kipsec_sel_match(&pol->key.sel, flow))
			return pol;
	return NULL;
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

	for (dir = 0; dir < ARRAY_SIZE(kn->spd.by_dir); dir++)
		INIT_LIST_HEAD(&kn->spd.by_dir[dir]);
	xa_init_flags(&kn->spd.pol_xa, XA_FLAGS_ALLOC1);
	return rhashtable_init(&kn->spd.pol_ht, &kipsec_pol_ht_params);
}

void kipsec_spd_exit(struct kipsec_net *kn)
{
	kipsec_policy_flush(kn);
	rhashtable_destroy(&kn->spd.pol_ht);
	xa_destroy(&kn->spd.pol_xa);
}
