/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The route an outbound tunnel policy needs so that the host's own traffic
 * into the tunnel leaves from an address inside the local traffic selector
 * (a virtual IP above all): without it the kernel picks the outgoing
 * interface's address, the packet misses the policy and leaves in clear.
 * charon's XFRM backend adds these routes itself; kernel-netlink's
 * network part keeps them in its table (charon.install_routes).
 */
#ifndef KERNEL_KIPSEC_ROUTES_H_
#define KERNEL_KIPSEC_ROUTES_H_

#include <kernel/kernel_ipsec.h>

typedef struct kk_route_t kk_route_t;

/* NULL when none is needed or possible (logged at level 2). */
kk_route_t *kk_route_install(kernel_ipsec_policy_id_t *id,
			     kernel_ipsec_manage_policy_t *data);
void kk_route_remove(kk_route_t *route);

#endif /* KERNEL_KIPSEC_ROUTES_H_ */
