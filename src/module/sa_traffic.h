/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What an SA's packets count: per-CPU packets, bytes and drops, and the
 * hard byte and packet limits, which the data path enforces per packet.
 */
#ifndef KIPSEC_SA_TRAFFIC_H
#define KIPSEC_SA_TRAFFIC_H

#include "kipsec.h"

/* What @sa's counters add up to; any context. */
void kipsec_sa_read_stats(const struct kipsec_sa *sa,
			  struct kipsec_sa_stats *sum);

/* Counts a packet of @bytes that @sa protected (@out) or verified. */
void kipsec_sa_count(struct kipsec_sa *sa, u32 bytes, bool out);

/*
 * Charges a packet of @bytes against @sa's byte and packet limits: false
 * when the SA has already carried all its hard limits allow, and the
 * packet must not pass. The packet that reaches a hard limit passes and
 * leaves the SA spent; one that crosses any limit queues the SA for its
 * EXPIRE.
 */
bool kipsec_sa_charge(struct kipsec_sa *sa, u32 bytes);

/*
 * Brings the charged totals up to what the counters saw, for limits set
 * on an SA that already carried traffic. Under kn->lock.
 */
void kipsec_sa_charge_sync(struct kipsec_sa *sa);

/*
 * Notes a packet left of @sa's replay window (@seq, the full number), for
 * the diagnosis of reordering. Under sa->lock.
 */
void kipsec_sa_note_too_old(struct kipsec_sa *sa, u64 seq);

/* Counts a packet @sa's transform dropped, by the reason's family. */
void kipsec_sa_count_drop(struct kipsec_sa *sa, enum kipsec_drop_reason reason);

/*
 * Has @sa carried all that its hard byte or packet limit allows? It then
 * takes no more packets; the expire work, queued at once, sends the hard
 * EXPIRE and removes it.
 */
static inline bool kipsec_sa_spent(const struct kipsec_sa *sa)
{
	return READ_ONCE(sa->spent);
}

#endif /* KIPSEC_SA_TRAFFIC_H */
