/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KIPSEC_EXPIRE_H
#define KIPSEC_EXPIRE_H

struct kipsec_net;
struct kipsec_sa;

void kipsec_expire_init(struct kipsec_net *kn);
/*
 * Looks at @sa's lifetimes now: sends the EXPIRE a reached limit calls
 * for (a hard one removes the SA), and sets the next deadline. For an SA
 * just added or whose lifetimes changed. Under kn->lock.
 */
void kipsec_expire_check(struct kipsec_net *kn, struct kipsec_sa *sa);
/* Stops the lifetime checks of a namespace that is going. */
void kipsec_expire_stop(struct kipsec_net *kn);

#endif /* KIPSEC_EXPIRE_H */
