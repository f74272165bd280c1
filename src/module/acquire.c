// SPDX-License-Identifier: GPL-2.0
/*
 * Remembers which ACQUIREs were sent, so that a daemon negotiating one SA
 * is not asked again for every packet, while every other peer behind the
 * same wildcard policy still raises its own request (XFRM keeps a larval
 * "acquire" state per flow for the same reason, net.core.xfrm_acq_expires).
 *
 * The memory is a fixed set-associative table per namespace: a scan of a
 * million addresses cannot grow it, and an entry pushed out by others only
 * costs a repeated ACQUIRE, never a missing one.
 */
#include <linux/jhash.h>
#include <linux/moduleparam.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "acquire.h"

static unsigned int acquire_expires = 30;
module_param(acquire_expires, uint, 0644);
MODULE_PARM_DESC(acquire_expires,
		 "seconds before a packet still without SA asks the IKE daemon again (as net.core.xfrm_acq_expires)");

#define KIPSEC_ACQUIRE_SETS	64
#define KIPSEC_ACQUIRE_WAYS	4

struct kipsec_acquire_entry {
	struct kipsec_sa_addrs addrs;	/* proto, family, src, dst */
	u32 policy;			/* index of the policy */
	u32 reqid;			/* the template's: 0 is any */
	u8 mode;
	bool used;
	unsigned long sent;		/* jiffies */
};

struct kipsec_acquire_set {
	spinlock_t lock;
	struct kipsec_acquire_entry way[KIPSEC_ACQUIRE_WAYS];
};

int kipsec_acquires_init(struct kipsec_net *kn)
{
	struct kipsec_acquires *acq = &kn->acquires;
	unsigned int i;

	acq->sets = kvcalloc(KIPSEC_ACQUIRE_SETS, sizeof(*acq->sets),
			     GFP_KERNEL_ACCOUNT);
	if (!acq->sets)
		return -ENOMEM;
	for (i = 0; i < KIPSEC_ACQUIRE_SETS; i++)
		spin_lock_init(&acq->sets[i].lock);
	acq->seed = get_random_u32();
	return 0;
}

void kipsec_acquires_exit(struct kipsec_net *kn)
{
	kvfree(kn->acquires.sets);
}

/* The set depends on what an SA can answer: not on reqid (0 is any). */
static struct kipsec_acquire_set *
kipsec_acquire_set(struct kipsec_net *kn, const struct kipsec_sa_addrs *addrs,
		   u8 mode)
{
	u32 words[4 + 4 + 1];

	memcpy(words, &addrs->src, sizeof(addrs->src));
	memcpy(words + 4, &addrs->dst, sizeof(addrs->dst));
	words[8] = addrs->proto | addrs->family << 8 | mode << 16;
	return &kn->acquires.sets[jhash2(words, ARRAY_SIZE(words),
					 kn->acquires.seed) %
				  KIPSEC_ACQUIRE_SETS];
}

static bool kipsec_acquire_same_addrs(const struct kipsec_sa_addrs *a,
				      const struct kipsec_sa_addrs *b)
{
	return a->proto == b->proto && a->family == b->family &&
	       !memcmp(&a->src, &b->src, sizeof(a->src)) &&
	       !memcmp(&a->dst, &b->dst, sizeof(a->dst));
}

bool kipsec_acquire_due(struct kipsec_net *kn, const struct kipsec_policy *pol,
			const struct kipsec_tmpl *t,
			const struct kipsec_sa_addrs *addrs)
{
	unsigned long now = jiffies;
	unsigned long hold = (unsigned long)READ_ONCE(acquire_expires) * HZ;
	struct kipsec_acquire_set *set = kipsec_acquire_set(kn, addrs, t->mode);
	struct kipsec_acquire_entry *e, *oldest = NULL;
	bool due = true;
	unsigned int i;

	spin_lock_bh(&set->lock);
	for (i = 0; i < KIPSEC_ACQUIRE_WAYS; i++) {
		e = &set->way[i];
		if (e->used && e->policy == pol->index && e->reqid == t->reqid &&
		    e->mode == t->mode &&
		    kipsec_acquire_same_addrs(&e->addrs, addrs)) {
			oldest = e;
			due = !time_before(now, e->sent + hold);
			break;
		}
		if (!oldest || !e->used ||
		    (oldest->used && time_before(e->sent, oldest->sent)))
			oldest = e;
	}
	if (due) {
		oldest->addrs = *addrs;
		oldest->policy = pol->index;
		oldest->reqid = t->reqid;
		oldest->mode = t->mode;
		oldest->used = true;
		oldest->sent = now;
	}
	spin_unlock_bh(&set->lock);
	return due;
}

void kipsec_acquire_answered(struct kipsec_net *kn, const struct kipsec_sa *sa)
{
	struct kipsec_acquire_set *set = kipsec_acquire_set(kn, &sa->out.addrs,
							    sa->p.mode);
	struct kipsec_acquire_entry *e;
	unsigned int i;

	spin_lock_bh(&set->lock);
	for (i = 0; i < KIPSEC_ACQUIRE_WAYS; i++) {
		e = &set->way[i];
		if (e->used && e->mode == sa->p.mode &&
		    (!e->reqid || e->reqid == sa->p.reqid) &&
		    kipsec_acquire_same_addrs(&e->addrs, &sa->out.addrs))
			e->used = false;
	}
	spin_unlock_bh(&set->lock);
}
