/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How much one network namespace may hold (module parameters max_sas,
 * max_larval_sas, max_policies): the control plane is open to every
 * namespace's CAP_NET_ADMIN, unprivileged user namespaces included.
 */
#ifndef KIPSEC_LIMITS_H
#define KIPSEC_LIMITS_H

#include <net/netlink.h>
#include "kipsec.h"

/* 0, or -ENOSPC with a message when another SA (@larval: reserved) is too many. */
int kipsec_limit_sa(const struct kipsec_net *kn, bool larval,
		    struct netlink_ext_ack *extack);
/* 0, or -ENOSPC with a message when another policy is too many. */
int kipsec_limit_policy(const struct kipsec_net *kn,
			struct netlink_ext_ack *extack);

#endif /* KIPSEC_LIMITS_H */
