/* SPDX-License-Identifier: GPL-2.0 */
/* What the module's files share: the per-namespace state and its accessors. */
#ifndef KIPSEC_MODULE_H
#define KIPSEC_MODULE_H

#include <linux/types.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <linux/mutex.h>
#include <linux/percpu-refcount.h>
#include <linux/completion.h>
#include <linux/kipsec.h>
#include "sad.h"
#include "spd.h"

struct kipsec_stats;
struct kipsec_acquire_set;
struct kipsec_bypass_set;

/* The ACQUIREs recently sent (acquire.c). */
struct kipsec_acquires {
	struct kipsec_acquire_set *sets;
	u32 seed;
};

/* Everything kipsec keeps for one network namespace. */
struct kipsec_net {
	struct net *net;
	struct kipsec_stats __percpu *stats;
	struct mutex lock;		/* serialises changes to sad, spd, bypass */
	struct kipsec_sad sad;
	struct kipsec_spd spd;
	struct kipsec_acquires acquires;
	/* Sockets whose packets skip the SPD (sock_bypass.c); NULL: none. */
	struct kipsec_bypass_set __rcu *bypass;
	bool defrag6;			/* nf_defrag_ipv6 enabled for us */
	/*
	 * One reference per packet in crypto flight (flight.h): the
	 * namespace's state is freed only after the last one is dropped.
	 */
	struct percpu_ref inflight;
	struct completion inflight_gone;
};

extern unsigned int kipsec_net_id;

static inline struct kipsec_net *kipsec_net(const struct net *net)
{
	return net_generic(net, kipsec_net_id);
}

int kipsec_netns_register(void);
void kipsec_netns_unregister(void);

int kipsec_netlink_register(void);
void kipsec_netlink_unregister(void);

#endif /* KIPSEC_MODULE_H */
