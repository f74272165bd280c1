// SPDX-License-Identifier: GPL-2.0
/*
 * The SAD: SAs of one namespace in a resizable hash table keyed by
 * (destination, SPI, protocol), read under RCU (O(1) per packet), and an
 * xarray giving each SA an index so dumps can resume in O(1). Templates
 * find outbound SAs through two more: by (src, dst, proto), and by that
 * and the reqid for templates that name one, so a concentrator's thousands
 * of CHILD_SAs between two gateways are not walked per packet. Writers
 * hold kn->lock.
 */
#include <linux/memcontrol.h>
#include <linux/random.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include "kipsec.h"
#include "limits.h"
#include "acquire.h"
#include "sa_due.h"
#include "crypto.h"
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>

static const struct rhashtable_params kipsec_sa_ht_params = {
	.key_len = sizeof(struct kipsec_sa_id),
	.key_offset = offsetof(struct kipsec_sa, id),
	.head_offset = offsetof(struct kipsec_sa, node),
	.automatic_shrinking = true,
};

static const struct rhashtable_params kipsec_sa_addr_params = {
	.key_len = sizeof(struct kipsec_sa_addrs),
	.key_offset = offsetof(struct kipsec_sa, out.addrs),
	.head_offset = offsetof(struct kipsec_sa, by_addrs),
	.automatic_shrinking = true,
};

static const struct rhashtable_params kipsec_sa_reqid_params = {
	.key_len = sizeof(struct kipsec_sa_out_key),
	.key_offset = offsetof(struct kipsec_sa, out),
	.head_offset = offsetof(struct kipsec_sa, by_reqid),
	.automatic_shrinking = true,
};

/* SAs in a cache of their own: kmalloc would round each up to 1 KiB. */
static struct kmem_cache *kipsec_sa_cache;

void kipsec_sa_id_from_params(struct kipsec_sa_id *id,
			      const struct kipsec_sa_params *p)
{
	memset(id, 0, sizeof(*id));
	id->dst = p->dst;
	id->spi = p->spi;
	id->proto = p->proto;
	id->family = p->family;
}

struct kipsec_sa *kipsec_sa_lookup(struct kipsec_net *kn,
				   const struct kipsec_sa_id *id)
{
	return rhashtable_lookup_fast(&kn->sad.sa_ht, id, kipsec_sa_ht_params);
}

bool kipsec_sa_carries(const struct kipsec_sa *sa,
		       const struct kipsec_flow *flow)
{
	return !sa->p.sel.family || kipsec_sel_match(&sa->p.sel, flow);
}

/* Is @sa, a candidate for the template, newer than @best? */
static bool kipsec_sa_better(const struct kipsec_sa *sa,
			     const struct kipsec_sa *best, u8 mode, u32 spi,
			     const struct kipsec_flow *flow)
{
	if (sa->state != KIPSEC_SA_MATURE || sa->p.mode != mode ||
	    (spi && sa->p.spi != spi) || !kipsec_sa_carries(sa, flow))
		return false;
	/* During a rekey the newest SA carries the traffic. */
	return !best || sa->add_time > best->add_time ||
	       (sa->add_time == best->add_time && sa->index > best->index);
}

struct kipsec_sa *kipsec_sa_find_out(struct kipsec_net *kn,
				     const struct kipsec_sa_addrs *addrs,
				     u8 mode, u32 reqid, u32 spi,
				     const struct kipsec_flow *flow)
{
	struct kipsec_sa_out_key key = { .addrs = *addrs, .reqid = reqid };
	struct kipsec_sa *sa, *best = NULL;
	struct rhlist_head *list, *pos;

	if (reqid) {
		list = rhltable_lookup(&kn->sad.reqid_ht, &key,
				       kipsec_sa_reqid_params);
		rhl_for_each_entry_rcu(sa, pos, list, by_reqid)
			if (kipsec_sa_better(sa, best, mode, spi, flow))
				best = sa;
		return best;
	}
	list = rhltable_lookup(&kn->sad.addr_ht, addrs, kipsec_sa_addr_params);
	rhl_for_each_entry_rcu(sa, pos, list, by_addrs)
		if (kipsec_sa_better(sa, best, mode, spi, flow))
			best = sa;
	return best;
}

static void kipsec_sa_free(struct kipsec_sa *sa)
{
	kipsec_sa_crypto_free(sa);
	kfree(sa->replay);
	free_percpu(sa->counters);
	mem_cgroup_put(sa->memcg);
	/* The keys go with it. */
	memzero_explicit(sa, sizeof(*sa));
	kmem_cache_free(kipsec_sa_cache, sa);
}

/*
 * SAs are freed on a worker of our own, not in the RCU callback (softirq):
 * freeing a crypto transform may sleep (cryptd, pcrypt and hardware
 * engines tear down their own state), as XFRM's state GC knows.
 */
/*
 * SAs whose last reference is gone wait here, module-wide, and are freed
 * in batches after one grace period each: a flush of a hundred thousand
 * SAs costs a few grace periods, not one RCU callback per SA freeing
 * crypto transforms in softirq.
 */
static struct workqueue_struct *kipsec_sa_gc_wq;
static LLIST_HEAD(kipsec_sa_dead);

static void kipsec_sa_gc(struct work_struct *work)
{
	struct llist_node *dead = llist_del_all(&kipsec_sa_dead);
	struct kipsec_sa *sa, *next;

	/* No RCU reader can still see any of them after this. */
	synchronize_rcu();
	llist_for_each_entry_safe(sa, next, dead, gc_node) {
		kipsec_sa_free(sa);
		cond_resched();
	}
}

static DECLARE_WORK(kipsec_sa_gc_work, kipsec_sa_gc);

void kipsec_sa_put(struct kipsec_sa *sa)
{
	/* The first SA on an empty list starts the next batch. */
	if (refcount_dec_and_test(&sa->ref) &&
	    llist_add(&sa->gc_node, &kipsec_sa_dead))
		queue_work(kipsec_sa_gc_wq, &kipsec_sa_gc_work);
}

int kipsec_sa_module_init(void)
{
	/* Charged to the requester's memory cgroup, as everything it makes. */
	kipsec_sa_cache = kmem_cache_create("kipsec_sa", sizeof(struct kipsec_sa),
					    0, SLAB_ACCOUNT, NULL);
	if (!kipsec_sa_cache)
		return -ENOMEM;
	kipsec_sa_gc_wq = alloc_workqueue("kipsec_sa_gc", 0, 0);
	if (!kipsec_sa_gc_wq) {
		kmem_cache_destroy(kipsec_sa_cache);
		return -ENOMEM;
	}
	return 0;
}

void kipsec_sa_module_exit(void)
{
	/* Nothing puts an SA any more: the last batch runs, then it is over. */
	destroy_workqueue(kipsec_sa_gc_wq);
	kmem_cache_destroy(kipsec_sa_cache);
}

/* Builds an SA object from validated parameters; not yet visible to anyone. */
static struct kipsec_sa *kipsec_sa_build(struct kipsec_net *kn,
					 const struct kipsec_sa_params *p,
					 u8 state, const u8 *encr_key,
					 const u8 *integ_key, int *err,
					 struct netlink_ext_ack *extack)
{
	struct kipsec_sa *sa;

	*err = -ENOMEM;
	sa = kmem_cache_zalloc(kipsec_sa_cache, GFP_KERNEL);
	if (!sa)
		return NULL;
	refcount_set(&sa->ref, 1);
	spin_lock_init(&sa->lock);
	sa->kn = kn;
	/* Its counters come later, from packets: charged here all the same. */
	sa->memcg = get_mem_cgroup_from_mm(current->mm);
	/* ESN inference needs the state even with replay checking off. */
	if (state == KIPSEC_SA_MATURE &&
	    (p->replay_window || (p->flags & KIPSEC_SA_F_ESN))) {
		sa->replay = kzalloc(kipsec_replay_size(p->replay_window),
				     GFP_KERNEL_ACCOUNT);
		if (!sa->replay ||
		    !kipsec_replay_init(sa->replay, p->replay_window,
					p->flags & KIPSEC_SA_F_ESN))
			goto fail;
		kipsec_replay_start_at(sa->replay, p->seq_in);
	}
	sa->seq_out = p->seq_out;
	sa->p = *p;
	sa->state = state;
	kipsec_sa_due_init(sa);
	kipsec_sa_id_from_params(&sa->id, p);
	sa->out.addrs.src = p->src;
	sa->out.addrs.dst = p->dst;
	sa->out.addrs.proto = p->proto;
	sa->out.addrs.family = p->family;
	sa->out.reqid = p->reqid;
	if (encr_key)
		memcpy(sa->encr_key, encr_key, p->algs.encr_keylen);
	if (integ_key)
		memcpy(sa->integ_key, integ_key, p->algs.integ_keylen);
	if (state == KIPSEC_SA_MATURE) {
		*err = kipsec_sa_crypto_init(sa, extack);
		if (*err)
			goto fail;
	}
	/* After the crypto set-up, which can take seconds the first time. */
	sa->add_time = kipsec_boottime_seconds();
	return sa;
fail:
	kipsec_sa_free(sa);
	return NULL;
}

/* Makes @sa findable by templates; on failure it is in neither index. */
static int kipsec_sa_index_out(struct kipsec_sad *sad, struct kipsec_sa *sa)
{
	int err;

	err = rhltable_insert(&sad->addr_ht, &sa->by_addrs,
			      kipsec_sa_addr_params);
	if (err || !sa->out.reqid)
		return err;
	err = rhltable_insert(&sad->reqid_ht, &sa->by_reqid,
			      kipsec_sa_reqid_params);
	if (err)
		rhltable_remove(&sad->addr_ht, &sa->by_addrs,
				kipsec_sa_addr_params);
	return err;
}

static void kipsec_sa_unindex_out(struct kipsec_sad *sad, struct kipsec_sa *sa)
{
	rhltable_remove(&sad->addr_ht, &sa->by_addrs, kipsec_sa_addr_params);
	if (sa->out.reqid)
		rhltable_remove(&sad->reqid_ht, &sa->by_reqid,
				kipsec_sa_reqid_params);
}

static int kipsec_sa_insert(struct kipsec_net *kn, struct kipsec_sa *sa)
{
	struct kipsec_sad *sad = &kn->sad;
	int err;

	/*
	 * The port first: once the SA is in the tables, readers may hold it,
	 * and a failure after that point could not free it at once.
	 */
	if (sa->state == KIPSEC_SA_MATURE) {
		err = kipsec_encap_ports_hold(&sad->encap, &sa->p);
		if (err)
			return err;
		sa->encap_held = true;
	}
	err = xa_alloc_cyclic(&sad->sa_xa, &sa->index, sa, xa_limit_32b,
			      &sad->next_index, GFP_KERNEL_ACCOUNT);
	if (err < 0)
		goto release;
	err = rhashtable_lookup_insert_fast(&sad->sa_ht, &sa->node,
					    kipsec_sa_ht_params);
	if (err) {
		xa_erase(&sad->sa_xa, sa->index);
		goto release;
	}
	err = kipsec_sa_index_out(sad, sa);
	if (err) {
		rhashtable_remove_fast(&sad->sa_ht, &sa->node,
				       kipsec_sa_ht_params);
		xa_erase(&sad->sa_xa, sa->index);
		goto release;
	}
	sad->count++;
	/* IPv6 ESP must be reassembled before LOCAL_IN sees it. */
	if (!kn->defrag6 && !nf_defrag_ipv6_enable(kn->net))
		kn->defrag6 = true;
	return 0;
release:
	if (sa->encap_held) {
		kipsec_encap_ports_release(&sad->encap, &sa->p);
		sa->encap_held = false;
	}
	return err;
}

static void kipsec_sa_remove_unindexed(struct kipsec_net *kn,
				       struct kipsec_sa *sa);

/*
 * Drops an SA that failed to enter the tables: a reader may have found it
 * in one it entered before the failure, so it goes after a grace period.
 */
static void kipsec_sa_discard(struct kipsec_sa *sa)
{
	sa->state = KIPSEC_SA_EXPIRED;
	kipsec_sa_put(sa);
}

int kipsec_sa_add(struct kipsec_net *kn, const struct kipsec_sa_params *p,
		  const u8 *encr_key, const u8 *integ_key,
		  struct kipsec_sa **out, struct netlink_ext_ack *extack)
{
	struct kipsec_sa *sa;
	int err;

	err = kipsec_limit_sa(kn, false, extack);
	if (err)
		return err;
	sa = kipsec_sa_build(kn, p, KIPSEC_SA_MATURE, encr_key, integ_key,
			     &err, extack);
	if (!sa)
		return err;
	err = kipsec_sa_insert(kn, sa);
	if (err) {
		if (err == -EEXIST)
			NL_SET_ERR_MSG(extack,
				       "an SA with this destination, SPI and protocol exists (use update, or delete it first)");
		kipsec_sa_discard(sa);
		return err;
	}
	kipsec_acquire_answered(kn, sa);
	*out = sa;
	return 0;
}

int kipsec_sa_complete_larval(struct kipsec_net *kn, struct kipsec_sa *larval,
			      const struct kipsec_sa_params *p,
			      const u8 *encr_key, const u8 *integ_key,
			      struct kipsec_sa **out,
			      struct netlink_ext_ack *extack)
{
	struct kipsec_sa *sa;
	int err;

	sa = kipsec_sa_build(kn, p, KIPSEC_SA_MATURE, encr_key, integ_key,
			     &err, extack);
	if (!sa)
		return err;
	err = kipsec_encap_ports_hold(&kn->sad.encap, &sa->p);
	if (err) {
		kipsec_sa_free(sa);
		return err;
	}
	sa->encap_held = true;
	/* Keeps the reserved index and swaps the object in one step for readers. */
	sa->index = larval->index;
	err = rhashtable_replace_fast(&kn->sad.sa_ht, &larval->node, &sa->node,
				      kipsec_sa_ht_params);
	if (err) {
		NL_SET_ERR_MSG(extack, "the reserved SA changed while it was updated");
		kipsec_encap_ports_release(&kn->sad.encap, &sa->p);
		kipsec_sa_free(sa);
		return err;
	}
	xa_store(&kn->sad.sa_xa, sa->index, sa, GFP_KERNEL_ACCOUNT);
	kn->sad.larval--;
	kipsec_sa_unindex_out(&kn->sad, larval);
	err = kipsec_sa_index_out(&kn->sad, sa);
	/* Its reservation deadline goes with it; the new SA gets its own. */
	kipsec_sa_due_cancel(larval);
	larval->state = KIPSEC_SA_EXPIRED;
	kipsec_sa_put(larval);
	if (err) {
		/* Unreachable by templates, but valid: drop it cleanly. */
		kipsec_sa_remove_unindexed(kn, sa);
		return err;
	}
	kipsec_acquire_answered(kn, sa);
	*out = sa;
	return 0;
}

/*
 * Picks a random free SPI in [spi_min, spi_max]: a random start, then the
 * next free value, so a nearly full small range still finds its last SPI.
 * The probe count is bounded, so a huge full range fails rather than spins.
 */
int kipsec_sa_alloc_spi(struct kipsec_net *kn, struct kipsec_sa_params *p,
			u32 spi_min, u32 spi_max, struct kipsec_sa **out,
			struct netlink_ext_ack *extack)
{
	u64 range = (u64)spi_max - spi_min + 1;
	u64 start = get_random_u32() % range, i;
	struct kipsec_sa_id id;
	struct kipsec_sa *sa;
	int err;

	err = kipsec_limit_sa(kn, true, extack);
	if (err)
		return err;
	for (i = 0; i < range && i < (1u << 20); i++) {
		p->spi = spi_min + (u32)((start + i) % range);
		kipsec_sa_id_from_params(&id, p);
		if (!kipsec_sa_lookup(kn, &id))
			break;
	}
	if (i == range || i == (1u << 20)) {
		NL_SET_ERR_MSG(extack, "no free SPI left in the requested range");
		return -ENOSPC;
	}
	sa = kipsec_sa_build(kn, p, KIPSEC_SA_LARVAL, NULL, NULL, &err, extack);
	if (!sa)
		return err;
	/* IKE must complete the SA in time, or the reservation lapses. */
	sa->p.hard.add_seconds = KIPSEC_LARVAL_SECONDS;
	err = kipsec_sa_insert(kn, sa);
	if (err) {
		kipsec_sa_discard(sa);
		return err;
	}
	kn->sad.larval++;
	*out = sa;
	return 0;
}

static void kipsec_sa_remove_unindexed(struct kipsec_net *kn,
				       struct kipsec_sa *sa)
{
	struct kipsec_sad *sad = &kn->sad;

	rhashtable_remove_fast(&sad->sa_ht, &sa->node, kipsec_sa_ht_params);
	xa_erase(&sad->sa_xa, sa->index);
	sad->count--;
	if (sa->state == KIPSEC_SA_LARVAL)
		sad->larval--;
	kipsec_sa_due_cancel(sa);
	if (sa->encap_held) {
		kipsec_encap_ports_release(&sad->encap, &sa->p);
		sa->encap_held = false;
	}
	/* Packets in flight keep it until they finish. */
	sa->state = KIPSEC_SA_EXPIRED;
	kipsec_sa_put(sa);
}

void kipsec_sa_remove(struct kipsec_net *kn, struct kipsec_sa *sa)
{
	kipsec_sa_unindex_out(&kn->sad, sa);
	kipsec_sa_remove_unindexed(kn, sa);
}

unsigned int kipsec_sa_flush(struct kipsec_net *kn, u8 proto)
{
	struct kipsec_sa *sa;
	unsigned long index;
	unsigned int n = 0;

	xa_for_each(&kn->sad.sa_xa, index, sa) {
		if (proto && sa->id.proto != proto)
			continue;
		kipsec_sa_remove(kn, sa);
		n++;
		cond_resched();
	}
	return n;
}

int kipsec_sad_init(struct kipsec_net *kn)
{
	int err;

	xa_init_flags(&kn->sad.sa_xa, XA_FLAGS_ALLOC1);
	err = rhashtable_init(&kn->sad.sa_ht, &kipsec_sa_ht_params);
	if (err)
		return err;
	err = rhltable_init(&kn->sad.addr_ht, &kipsec_sa_addr_params);
	if (err)
		goto fail_addr;
	err = rhltable_init(&kn->sad.reqid_ht, &kipsec_sa_reqid_params);
	if (err)
		goto fail_reqid;
	err = kipsec_encap_ports_init(&kn->sad.encap);
	if (err)
		goto fail_encap;
	return 0;
fail_encap:
	rhltable_destroy(&kn->sad.reqid_ht);
fail_reqid:
	rhltable_destroy(&kn->sad.addr_ht);
fail_addr:
	rhashtable_destroy(&kn->sad.sa_ht);
	return err;
}

void kipsec_sad_exit(struct kipsec_net *kn)
{
	kipsec_sa_flush(kn, 0);
	if (kn->defrag6)
		nf_defrag_ipv6_disable(kn->net);
	kipsec_encap_ports_exit(&kn->sad.encap);
	rhltable_destroy(&kn->sad.reqid_ht);
	rhltable_destroy(&kn->sad.addr_ht);
	rhashtable_destroy(&kn->sad.sa_ht);
	xa_destroy(&kn->sad.sa_xa);
}
