/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What an SA's packets count: per-CPU packets, bytes and drops, and the
 * hard byte and packet limits, which the data path enforces per packet.
 */
#ifndef KIPSEC_SA_TRAFFIC_H
#define KIPSEC_SA_TRAFFIC_H

#include "kipsec.h"

/*
 * Counts a packet @sa protected (@out) or verified, of @bytes, and charges
 * it against the SA's hard byte and packet limits; the SA is spent from
 * the packet that goes past one of them.
 */
void kipsec_sa_count(struct kipsec_sa *sa, u32 bytes, bool out);

/* Counts a packet @sa's transform dropped, by the reason's family. */
void kipsec_sa_count_drop(struct kipsec_sa *sa, enum kipsec_drop_reason reason);

/*
 * Has @sa carried all that its hard byte or packet limit allows? It then
 * takes no more packets; the lifetime scan, run at once, sends the hard
 * EXPIRE and removes it.
 */
static inline bool kipsec_sa_spent(const struct kipsec_sa *sa)
{
	return READ_ONCE(sa->spent);
}

#endif /* KIPSEC_SA_TRAFFIC_H */
