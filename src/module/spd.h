/* SPDX-License-Identifier: GPL-2.0 */
/* The Security Policy Database of one namespace. */
#ifndef KIPSEC_SPD_H
#define KIPSEC_SPD_H

#include <linux/rbtree.h>
#include <linux/rhashtable-types.h>
#include <linux/xarray.h>
#include <net/netlink.h>
#include <linux/kipsec.h>
#include "selector.h"
#include "spd_class.h"

struct kipsec_net;

struct kipsec_tmpl {
	struct kipsec_addr src;		/* tunnel endpoints */
	struct kipsec_addr dst;
	u32 reqid;
	u32 spi;			/* 0: any SA */
	u8 family;			/* of the endpoints (tunnel mode) */
	u8 proto;
	u8 mode;
	u8 level;
};

/* One set of templates, applied in order on output. */
struct kipsec_pol_inst {
	u8 ntmpl;
	struct kipsec_tmpl tmpl[KIPSEC_TEMPLATES_MAX];
};

/* The stacked instances of a policy, newest first; replaced, never edited. */
struct kipsec_pol_insts {
	struct rcu_head rcu;
	u8 n;
	struct kipsec_pol_inst inst[];
};

/* What identifies a policy: direction and selector (compared bytewise). */
struct kipsec_pol_key {
	struct kipsec_sel sel;
	u8 dir;
	u8 pad[3];
};

struct kipsec_policy {
	struct rhash_head node;		/* spd.pol_ht, by key: what lookups probe */
	struct kipsec_pol_key key;
	struct kipsec_rank rank;	/* lookup order; fixed once published */
	struct rb_node by_rank;		/* spd.by_rank[dir]: dumps; writers only */
	u32 index;			/* spd.pol_xa */
	u8 action;
	struct kipsec_pol_insts __rcu *insts;	/* NULL unless action ipsec */
	/* Boot-time second a packet last matched it; 0: none yet. */
	time64_t use_time;
	struct rcu_head rcu;
};

struct kipsec_spd {
	/* Per enum kipsec_dir: the selector shapes a lookup probes, RCU. */
	struct kipsec_mask_set __rcu *shapes[3];
	/* Policies per direction: the hooks' cheap "any at all" test. */
	unsigned int dir_count[3];
	struct rb_root by_rank[3];	/* lookup order, for dumps */
	struct rhashtable pol_ht;
	struct xarray pol_xa;
	u64 next_seq;			/* kipsec_rank_new() */
	u32 next_index;
	unsigned int count;
};

/* A request as parsed and validated by the netlink layer. */
struct kipsec_pol_params {
	struct kipsec_pol_key key;
	u8 action;
	u32 priority;
	struct kipsec_pol_inst inst;
};

int kipsec_spd_init(struct kipsec_net *kn);
void kipsec_spd_exit(struct kipsec_net *kn);

/* Writers: under kn->lock. */
struct kipsec_policy *kipsec_policy_find(struct kipsec_net *kn,
					 const struct kipsec_pol_key *key);
struct kipsec_policy *kipsec_policy_by_index(struct kipsec_net *kn, u32 index);
/* A direction's policies in lookup order (dumps): the first, the next. */
struct kipsec_policy *kipsec_policy_first(struct kipsec_net *kn, u8 dir);
struct kipsec_policy *kipsec_policy_next(struct kipsec_policy *pol);
/* How many instances are stacked on @pol (0 unless action ipsec). */
unsigned int kipsec_policy_instances(struct kipsec_net *kn,
				     const struct kipsec_policy *pol);
int kipsec_policy_add(struct kipsec_net *kn,
		      const struct kipsec_pol_params *pp, bool append,
		      struct kipsec_policy **out,
		      struct netlink_ext_ack *extack);
int kipsec_policy_replace(struct kipsec_net *kn, struct kipsec_policy *old,
			  const struct kipsec_pol_params *pp,
			  struct kipsec_policy **out);
/* The position of the instance whose templates name @spi, or -ENOENT. */
int kipsec_policy_find_spi(struct kipsec_net *kn,
			   const struct kipsec_policy *pol, u32 spi);
int kipsec_policy_remove_inst(struct kipsec_net *kn, struct kipsec_policy *pol,
			      unsigned int i);
void kipsec_policy_remove(struct kipsec_net *kn, struct kipsec_policy *pol);
unsigned int kipsec_policy_flush(struct kipsec_net *kn);

/*
 * Readers: under rcu_read_lock(). The first match in lookup order, or NULL.
 * O(distinct selector shapes of the direction), not O(policies).
 */
struct kipsec_policy *kipsec_spd_lookup(struct kipsec_net *kn, u8 dir,
					const struct kipsec_flow *flow);
/*
 * A packet was decided by @pol (KIPSEC_POL_A_IDLE_SECONDS). Not part of the
 * lookup: a packet that a socket's bypass lets through after all did not
 * use the policy.
 */
void kipsec_policy_note_use(struct kipsec_policy *pol);

#endif /* KIPSEC_SPD_H */
