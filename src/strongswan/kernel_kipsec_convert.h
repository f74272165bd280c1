/* SPDX-License-Identifier: GPL-2.0 */
/*
 * strongSwan's view of SAs and policies (host_t, traffic_selector_t,
 * kernel_ipsec_*_t) to kipsec's (src/cli/ops.h) and back. Nothing here
 * talks to the kernel. Where charon asks for something kipsec cannot
 * express, the functions return FALSE with a reason for the log.
 */
#ifndef KERNEL_KIPSEC_CONVERT_H_
#define KERNEL_KIPSEC_CONVERT_H_

#include <kernel/kernel_ipsec.h>
#include "ops.h"

bool kk_host_to_ip(host_t *host, struct kipsec_ip *ip);
/* A new host_t (port 0), or NULL for an address of no family. */
host_t *kk_ip_to_host(const struct kipsec_ip *ip);

/* A policy's selector from a pair of traffic selectors. */
bool kk_selector(traffic_selector_t *src, traffic_selector_t *dst,
		 struct kipsec_selector *sel, const char **why);
/* One side of a selector as a traffic selector (ports: that side's). */
traffic_selector_t *kk_selector_ts(const struct kipsec_selector *sel,
				   bool source);

/*
 * The kipsec priority of a policy charon installs: its class (pass before
 * IPsec, fallback last; a trap just behind the installed policy of its
 * selector), then the more specific selector first; or charon's manual
 * priority as given.
 */
uint32_t kk_priority(const struct kipsec_selector *sel,
		     policy_priority_t prio, uint32_t manual_prio);

/* An SA as charon describes it (add_sa). */
/* Sets @sa's UDP encapsulation ports from @src and @dst; false if it cannot. */
bool kk_sa_encap(struct kipsec_sa *sa, host_t *src, host_t *dst);
bool kk_sa(kernel_ipsec_sa_id_t *id, kernel_ipsec_add_sa_t *data,
	   struct kipsec_sa *sa, const char **why);

#endif /* KERNEL_KIPSEC_CONVERT_H_ */
