/* SPDX-License-Identifier: GPL-2.0 */
/* SAs and policies as netlink attributes, for replies, dumps and events. */
#ifndef KIPSEC_NL_FILL_H
#define KIPSEC_NL_FILL_H

#include <net/netlink.h>
#include "kipsec.h"

int kipsec_nl_fill_sa(struct sk_buff *msg, const struct kipsec_sa *sa,
		      bool with_keys);
int kipsec_nl_fill_policy(struct sk_buff *msg, const struct kipsec_net *kn,
			  const struct kipsec_policy *pol);

/* Address attributes: 4 bytes IPv4, 16 bytes IPv6. */
int kipsec_nl_get_addr(const struct nlattr *attr, struct kipsec_addr *addr,
		       u8 *family, const char *what,
		       struct netlink_ext_ack *extack);
int kipsec_nl_put_addr(struct sk_buff *msg, int type,
		       const struct kipsec_addr *addr, u8 family);

#endif /* KIPSEC_NL_FILL_H */
