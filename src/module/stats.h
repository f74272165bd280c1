/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KIPSEC_STATS_H
#define KIPSEC_STATS_H

#include <linux/percpu.h>
#include "kipsec.h"

/*
 * Per-CPU drop counters of one namespace, summed over CPUs when read, so
 * the hot path is one this_cpu_inc() with no lock and no shared cache
 * line; u64, so they do not wrap on 32-bit machines either.
 */
struct kipsec_stats {
	u64 drops[__KIPSEC_DROP_MAX];
	u64 encap[__KIPSEC_ENCS_A_MAX];	/* enum kipsec_encap_stats_attr */
};

static inline void kipsec_count_drop(struct kipsec_net *kn,
				     enum kipsec_drop_reason reason)
{
	this_cpu_inc(kn->stats->drops[reason]);
}

static inline void kipsec_count_encap(struct kipsec_net *kn,
				      enum kipsec_encap_stats_attr which)
{
	this_cpu_inc(kn->stats->encap[which]);
}

u64 kipsec_encap_count(const struct kipsec_net *kn,
		       enum kipsec_encap_stats_attr which);
u64 kipsec_drop_count(const struct kipsec_net *kn,
		      enum kipsec_drop_reason reason);
int kipsec_stats_init(struct kipsec_net *kn);
void kipsec_stats_exit(struct kipsec_net *kn);

#endif /* KIPSEC_STATS_H */
