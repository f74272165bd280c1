// SPDX-License-Identifier: GPL-2.0
/*
 * Per-SA traffic counters and the byte/packet limits.
 *
 * The counters are per CPU and u64, changed with this_cpu_add(): one
 * instruction on x86, and safe against a softirq on the same CPU when a
 * packet is counted from process context (local output with synchronous
 * crypto), which a plain ++ through get_cpu_ptr() is not. They are summed
 * when read (kipsec_sa_read_stats()).
 *
 * An SA gets its per-CPU block with its first counted packet, not when it
 * is added: a concentrator holds many SAs that carry nothing (reserved
 * SPIs, SAs whose peer is idle, the outbound half nobody routes to yet),
 * and a block costs its size for every possible CPU, which on a large
 * server is kilobytes. The block is charged to the memory cgroup of whoever
 * added the SA, as the rest of it was, not to whatever context the packet
 * runs in. Until then, and should the atomic allocation fail,
 * the SA counts in shared atomics; drops never allocate, so forged packets
 * cannot make an SA grow.
 *
 * A hard limit of bytes or packets must stop the SA at once, not at some
 * later look (at 10 Gbit/s a second is over a gigabyte past a key-usage
 * limit), and a soft one should start the rekey at once. SAs with such a
 * limit charge each packet against a shared total (one atomic add; SAs
 * without one pay a test of four fields): outbound when the packet is
 * built, before its crypto starts; inbound once its ICV verified, so
 * forged packets cannot use an SA up. The atomic add orders the packets of
 * all CPUs, so the SA carries exactly what its hard limit allows, in
 * flight or not: the packet that reaches the limit passes and leaves the
 * SA spent, any later one is refused. The packet that crosses a limit
 * queues the SA for the expire work (sa_due.c), which sends the EXPIRE.
 */
#include <linux/memcontrol.h>
#include <linux/sched/mm.h>
#include "sa_traffic.h"
#include "sa_due.h"

/* Did adding @n to the total, now @total, reach @limit (0: none)? */
static bool kipsec_crossed(u64 total, u64 n, u64 limit)
{
	return limit && total >= limit && total - n < limit;
}

bool kipsec_sa_charge(struct kipsec_sa *sa, u32 bytes)
{
	u64 max_bytes = READ_ONCE(sa->p.hard.bytes);
	u64 max_packets = READ_ONCE(sa->p.hard.packets);
	u64 soft_bytes = READ_ONCE(sa->p.soft.bytes);
	u64 soft_packets = READ_ONCE(sa->p.soft.packets);
	bool pass = true, spent = false, crossed = false;
	u64 total;

	if (likely(!max_bytes && !max_packets && !soft_bytes && !soft_packets))
		return true;
	if (max_bytes || soft_bytes) {
		total = atomic64_add_return(bytes, &sa->charged_bytes);
		if (max_bytes) {
			pass &= total - bytes < max_bytes;
			spent |= total >= max_bytes;
		}
		crossed |= kipsec_crossed(total, bytes, soft_bytes);
	}
	if (max_packets || soft_packets) {
		total = atomic64_inc_return(&sa->charged_packets);
		if (max_packets) {
			pass &= total - 1 < max_packets;
			spent |= total >= max_packets;
		}
		crossed |= kipsec_crossed(total, 1, soft_packets);
	}
	if (spent && !READ_ONCE(sa->spent)) {
		WRITE_ONCE(sa->spent, true);
		crossed = true;
	}
	if (crossed)
		kipsec_sa_due_now(sa);
	return pass;
}

void kipsec_sa_charge_sync(struct kipsec_sa *sa)
{
	struct kipsec_sa_stats st;
	u64 bytes, packets;

	kipsec_sa_read_stats(sa, &st);
	bytes = st.bytes_in + st.bytes_out;
	packets = st.packets_in + st.packets_out;
	if (atomic64_read(&sa->charged_bytes) < bytes)
		atomic64_set(&sa->charged_bytes, bytes);
	if (atomic64_read(&sa->charged_packets) < packets)
		atomic64_set(&sa->charged_packets, packets);
}

/* The SA's per-CPU block, allocated now if it has none; NULL if that fails. */
static struct kipsec_sa_counters __percpu *
kipsec_sa_counters_get(struct kipsec_sa *sa)
{
	struct kipsec_sa_counters __percpu *c = READ_ONCE(sa->counters);
	struct mem_cgroup *old;

	if (likely(c))
		return c;
	/* Softirq or process context with BHs off: no sleeping allocation. */
	old = set_active_memcg(sa->memcg);
	c = alloc_percpu_gfp(struct kipsec_sa_counters,
			     GFP_ATOMIC | __GFP_NOWARN | __GFP_ACCOUNT);
	set_active_memcg(old);
	if (!c)
		return NULL;
	/* Another CPU's first packet may have been quicker. */
	if (cmpxchg(&sa->counters, NULL, c)) {
		free_percpu(c);
		c = READ_ONCE(sa->counters);
	}
	return c;
}

static void kipsec_sa_add_count(struct kipsec_sa *sa,
				struct kipsec_sa_counters __percpu *c,
				enum kipsec_sa_counter which, u64 n)
{
	if (likely(c))
		this_cpu_add(c->n[which], n);
	else
		atomic64_add(n, &sa->shared[which]);
}

void kipsec_sa_count(struct kipsec_sa *sa, u32 bytes, bool out)
{
	struct kipsec_sa_counters __percpu *c = kipsec_sa_counters_get(sa);

	if (out) {
		kipsec_sa_add_count(sa, c, KIPSEC_SA_PACKETS_OUT, 1);
		kipsec_sa_add_count(sa, c, KIPSEC_SA_BYTES_OUT, bytes);
	} else {
		kipsec_sa_add_count(sa, c, KIPSEC_SA_PACKETS_IN, 1);
		kipsec_sa_add_count(sa, c, KIPSEC_SA_BYTES_IN, bytes);
	}
	if (unlikely(!READ_ONCE(sa->use_time))) {
		WRITE_ONCE(sa->use_time, kipsec_boottime_seconds());
		/* Its use-time deadlines start now. */
		if (sa->p.soft.use_seconds || sa->p.hard.use_seconds)
			kipsec_sa_due_now(sa);
	}
}

void kipsec_sa_note_too_old(struct kipsec_sa *sa, u64 seq)
{
	u64 lag = kipsec_replay_top(sa->replay) - seq;

	WRITE_ONCE(sa->replay_too_old, sa->replay_too_old + 1);
	if (lag > sa->replay_max_lag)
		WRITE_ONCE(sa->replay_max_lag, lag);
}

void kipsec_sa_count_drop(struct kipsec_sa *sa, enum kipsec_drop_reason reason)
{
	enum kipsec_sa_counter which = KIPSEC_SA_OTHER_DROPS;

	if (reason == KIPSEC_DROP_REPLAY)
		which = KIPSEC_SA_REPLAY_DROPS;
	else if (reason == KIPSEC_DROP_INTEGRITY)
		which = KIPSEC_SA_INTEGRITY_FAILS;
	kipsec_sa_add_count(sa, READ_ONCE(sa->counters), which, 1);
}

void kipsec_sa_read_stats(const struct kipsec_sa *sa,
			  struct kipsec_sa_stats *sum)
{
	struct kipsec_sa_counters __percpu *c = READ_ONCE(sa->counters);
	u64 n[KIPSEC_SA_COUNTERS];
	int i, cpu;

	for (i = 0; i < KIPSEC_SA_COUNTERS; i++)
		n[i] = atomic64_read(&sa->shared[i]);
	if (c) {
		for_each_possible_cpu(cpu) {
			const struct kipsec_sa_counters *pc = per_cpu_ptr(c, cpu);

			for (i = 0; i < KIPSEC_SA_COUNTERS; i++)
				n[i] += pc->n[i];
		}
	}
	sum->packets_in = n[KIPSEC_SA_PACKETS_IN];
	sum->bytes_in = n[KIPSEC_SA_BYTES_IN];
	sum->packets_out = n[KIPSEC_SA_PACKETS_OUT];
	sum->bytes_out = n[KIPSEC_SA_BYTES_OUT];
	sum->replay_drops = n[KIPSEC_SA_REPLAY_DROPS];
	sum->integrity_fails = n[KIPSEC_SA_INTEGRITY_FAILS];
	sum->other_drops = n[KIPSEC_SA_OTHER_DROPS];
	/* Written under sa->lock; a diagnostic, read without it. */
	sum->replay_too_old = READ_ONCE(sa->replay_too_old);
	sum->replay_max_lag = READ_ONCE(sa->replay_max_lag);
}
