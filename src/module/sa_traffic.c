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

void kipsec_sa_count(struct kipsec_sa *sa, u32 bytes, bool out)
{
	if (out) {
		this_cpu_inc(sa->stats->packets_out);
		this_cpu_add(sa->stats->bytes_out, bytes);
	} else {
		this_cpu_inc(sa->stats->packets_in);
		this_cpu_add(sa->stats->bytes_in, bytes);
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
	if (reason == KIPSEC_DROP_REPLAY)
		this_cpu_inc(sa->stats->replay_drops);
	else if (reason == KIPSEC_DROP_INTEGRITY)
		this_cpu_inc(sa->stats->integrity_fails);
	else
		this_cpu_inc(sa->stats->other_drops);
}
