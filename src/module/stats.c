// SPDX-License-Identifier: GPL-2.0
/*
 * Per-namespace drop and encapsulation counters; /proc/net/kipsec_stat
 * shows the drops (the encapsulation counters go by netlink only).
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>
#include "stats.h"
#include "drop_names.h"

/* The sum over CPUs of the u64 at @offset in struct kipsec_stats. */
static u64 kipsec_stats_sum(const struct kipsec_net *kn, size_t offset)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += *(u64 *)((char *)per_cpu_ptr(kn->stats, cpu) + offset);
	return sum;
}

u64 kipsec_drop_count(const struct kipsec_net *kn,
		      enum kipsec_drop_reason reason)
{
	return kipsec_stats_sum(kn, offsetof(struct kipsec_stats, drops) +
				    reason * sizeof(u64));
}

u64 kipsec_encap_count(const struct kipsec_net *kn,
		       enum kipsec_encap_stats_attr which)
{
	return kipsec_stats_sum(kn, offsetof(struct kipsec_stats, encap) +
				    which * sizeof(u64));
}

/* One "name value" line per reason, as /proc/net/xfrm_stat does. */
static int kipsec_stat_show(struct seq_file *seq, void *v)
{
	struct kipsec_net *kn = kipsec_net(seq_file_single_net(seq));
	unsigned int reason;

	for (reason = 1; reason <= KIPSEC_DROP_MAX; reason++)
		seq_printf(seq, "%-24s%llu\n", kipsec_drop_name(reason),
			   kipsec_drop_count(kn, reason));
	return 0;
}

int kipsec_stats_init(struct kipsec_net *kn)
{
	kn->stats = alloc_percpu(struct kipsec_stats);
	if (!kn->stats)
		return -ENOMEM;
	if (!proc_create_net_single("kipsec_stat", 0444, kn->net->proc_net,
				    kipsec_stat_show, NULL)) {
		free_percpu(kn->stats);
		return -ENOMEM;
	}
	return 0;
}

void kipsec_stats_exit(struct kipsec_net *kn)
{
	remove_proc_entry("kipsec_stat", kn->net->proc_net);
	free_percpu(kn->stats);
}
