/* SPDX-License-Identifier: GPL-2.0 */
/*
 * When to ask the IKE daemon for a missing SA (KIPSEC_CMD_ACQUIRE): once
 * per policy, template and addresses, again only after acquire_expires
 * seconds or once an SA for it has been installed (and gone again).
 */
#ifndef KIPSEC_ACQUIRE_H
#define KIPSEC_ACQUIRE_H

#include "kipsec.h"
#include "sad.h"
#include "spd.h"

int kipsec_acquires_init(struct kipsec_net *kn);
void kipsec_acquires_exit(struct kipsec_net *kn);

/*
 * True when @pol's template @t, wanting an SA between @addrs, should
 * raise an ACQUIRE now; it then counts as sent. Any context but hardirq.
 */
bool kipsec_acquire_due(struct kipsec_net *kn, const struct kipsec_policy *pol,
			const struct kipsec_tmpl *t,
			const struct kipsec_sa_addrs *addrs);

/* @sa (complete) is in the SAD: what it answers may be asked for again. */
void kipsec_acquire_answered(struct kipsec_net *kn, const struct kipsec_sa *sa);

#endif /* KIPSEC_ACQUIRE_H */
