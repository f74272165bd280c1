/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KIPSEC_EXPIRE_H
#define KIPSEC_EXPIRE_H

struct kipsec_net;

void kipsec_expire_init(struct kipsec_net *kn);
/* Makes sure the scan runs while the namespace has SAs; under kn->lock. */
void kipsec_expire_kick(struct kipsec_net *kn);
void kipsec_expire_stop(struct kipsec_net *kn);
/* Runs the scan now (an SA is spent); from any context. */
void kipsec_expire_now(struct kipsec_net *kn);

#endif /* KIPSEC_EXPIRE_H */
