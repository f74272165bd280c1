/* SPDX-License-Identifier: GPL-2.0 */
/*
 * When an SA's lifetime needs a look: at its next time deadline (one
 * timer per SA, on the boot-time clock, which keeps counting through
 * suspend as the peer's clock does), or at once when the data path saw a
 * byte or packet limit crossed, or the first use of an SA with use-time
 * limits. Either way the SA goes on its namespace's due list and the
 * expire work (expire.c) looks at it under kn->lock: no scan of the SAD.
 */
#ifndef KIPSEC_SA_DUE_H
#define KIPSEC_SA_DUE_H

#include "kipsec.h"

/* Sets up @sa's timer; before the SA is visible to anyone. */
void kipsec_sa_due_init(struct kipsec_sa *sa);

/*
 * Queues @sa for the expire work at boot-time second @when, replacing any
 * deadline it had (0: none). Under kn->lock.
 */
void kipsec_sa_due_at(struct kipsec_sa *sa, time64_t when);

/* Queues @sa for the expire work now. Any context but hardirq. */
void kipsec_sa_due_now(struct kipsec_sa *sa);

/* No deadline any more; waits for a timer that is firing. Process context. */
void kipsec_sa_due_cancel(struct kipsec_sa *sa);

/*
 * Takes the queued SAs off @kn's due list for the expire work: each holds
 * a reference, to be dropped once looked at. Walk the list with
 * llist_for_each_entry_safe() and call kipsec_sa_due_taken() on each SA:
 * from then on it may be queued again, which reuses its list node.
 */
struct llist_node *kipsec_sa_due_take(struct kipsec_net *kn);
void kipsec_sa_due_taken(struct kipsec_sa *sa);

#endif /* KIPSEC_SA_DUE_H */
