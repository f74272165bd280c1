/* SPDX-License-Identifier: GPL-2.0 */
/* Notifications on the "events" multicast group (never with keys). */
#ifndef KIPSEC_EVENTS_H
#define KIPSEC_EVENTS_H

#include "kipsec.h"

void kipsec_event_sa(struct kipsec_net *kn, const struct kipsec_sa *sa,
		     u8 cmd);
void kipsec_event_policy(struct kipsec_net *kn,
			 const struct kipsec_policy *pol, u8 cmd);
/* SA_FLUSH (with @proto, 0 for all) or POLICY_FLUSH. */
void kipsec_event_flush(struct kipsec_net *kn, u8 cmd, u8 proto);
/*
 * Authenticated ESP in UDP for @sa came from a new endpoint. Any context.
 * False when no event went out (nobody listens, no memory).
 */
bool kipsec_event_mapping(struct kipsec_net *kn, const struct kipsec_sa *sa,
			  const struct kipsec_addr *addr, u16 port);
void kipsec_event_expire(struct kipsec_net *kn, const struct kipsec_sa *sa,
			 bool hard);

/*
 * A packet hit @pol but the SA its template @t asks for is missing: tell
 * the IKE daemon, once per template and addresses until the SA is there
 * or acquire_expires passes (acquire.c). Any context.
 */
void kipsec_event_acquire(struct kipsec_net *kn, struct kipsec_policy *pol,
			  const struct kipsec_tmpl *t,
			  const struct kipsec_sa_addrs *addrs);

#endif /* KIPSEC_EVENTS_H */
