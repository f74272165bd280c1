/* SPDX-License-Identifier: GPL-2.0 */
/*
 * charon's policies, counted. charon adds the same policy (direction and
 * selector) once per CHILD_SA that uses it: the trap that waits for
 * traffic, the CHILD_SA, the CHILD_SA replacing it during a rekey. kipsec
 * holds each such policy once, with one stacked instance per user whose
 * templates name that user's SA by SPI (KERNEL_POLICY_SPI): outbound the
 * newest instance, so the new SA takes over exactly when charon installs
 * its policy; inbound any instance, so both SAs are accepted until the old
 * one goes. The policy leaves kipsec with its last user.
 */
#ifndef KERNEL_KIPSEC_POLICIES_H_
#define KERNEL_KIPSEC_POLICIES_H_

#include <kernel/kernel_ipsec.h>
#include "kernel_kipsec_channel.h"

typedef struct kk_policies_t kk_policies_t;

kk_policies_t *kk_policies_create(kipsec_channel_t *ch);
/* Removes from kipsec every policy still counted here, then frees. */
void kk_policies_destroy(kk_policies_t *this);

status_t kk_policies_add(kk_policies_t *this, kernel_ipsec_policy_id_t *id,
			 kernel_ipsec_manage_policy_t *data);
status_t kk_policies_del(kk_policies_t *this, kernel_ipsec_policy_id_t *id,
			 kernel_ipsec_manage_policy_t *data);
/* When a packet last matched the policy (time_monotonic), 0 if none has. */
status_t kk_policies_query(kk_policies_t *this, kernel_ipsec_policy_id_t *id,
			   time_t *use_time);
status_t kk_policies_flush(kk_policies_t *this);

#endif /* KERNEL_KIPSEC_POLICIES_H_ */
