// SPDX-License-Identifier: GPL-2.0
/*
 * Per-SA traffic counters and the hard byte/packet limits.
 *
 * The counters are per CPU and u64, changed with this_cpu_add(): one
 * instruction on x86, and safe against a softirq on the same CPU when a
 * packet is counted from process context (local output with synchronous
 * crypto), which a plain ++ through get_cpu_ptr() is not. They are summed
 * when read (kipsec_sa_read_stats()).
 *
 * A hard limit of bytes or packets must stop the SA at once, not at the
 * next once-a-second scan (at 10 Gbit/s a second is over a gigabyte past
 * a key-usage limit). SAs with such a limit charge each packet against a
 * shared total (one atomic add; SAs without one pay a test of two fields):
 * outbound when the packet is built, before its crypto starts; inbound once
 * its ICV verified, so forged packets cannot use an SA up. The atomic add
 * orders the packets of all CPUs, so the SA carries exactly what its limit
 * allows, in flight or not: the packet that reaches the limit passes and
 * leaves the SA spent (the scan runs at once), any later one is refused.
 */
#include "sa_traffic.h"
#include "expire.h"

bool kipsec_sa_charge(struct kipsec_sa *sa, u32 bytes)
{
	u64 max_bytes = READ_ONCE(sa->p.hard.bytes);
	u64 max_packets = READ_ONCE(sa->p.hard.packets);
	bool pass = true, spent = false;
	u64 total;

	if (likely(!max_bytes && !max_packets))
		return true;
	if (max_bytes) {
		total = atomic64_add_return(bytes, &sa->charged_bytes);
		pass &= total - bytes < max_bytes;
		spent |= total >= max_bytes;
	}
	if (max_packets) {
		total = atomic64_inc_return(&sa->charged_packets);
		pass &= total - 1 < max_packets;
		spent |= total >= max_packets;
	}
	if (spent && !READ_ONCE(sa->spent)) {
		WRITE_ONCE(sa->spent, true);
		kipsec_expire_now(sa->kn);
	}
	return pass;
}

void kipsec_sa_count(struct kipsec_sa *sa, u32 bytes, bool out)
{
	if (out) {
		this_cpu_inc(sa->stats->packets_out);
		this_cpu_add(sa->stats->bytes_out, bytes);
	} else {
		this_cpu_inc(sa->stats->packets_in);
		this_cpu_add(sa->stats->bytes_in, bytes);
	}
	if (!READ_ONCE(sa->use_time))
		WRITE_ONCE(sa->use_time, ktime_get_seconds());
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
	if (reason == KIPSEC_DROP_REPLAY)
		this_cpu_inc(sa->stats->replay_drops);
	else if (reason == KIPSEC_DROP_INTEGRITY)
		this_cpu_inc(sa->stats->integrity_fails);
	else
		this_cpu_inc(sa->stats->other_drops);
}
