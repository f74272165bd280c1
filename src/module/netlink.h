/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the netlink handlers and the event senders. */
#ifndef KIPSEC_NETLINK_H
#define KIPSEC_NETLINK_H

#include <net/genetlink.h>
#include <net/sock.h>
#include <linux/version.h>
#include "kipsec.h"
#include "nl_fill.h"

extern struct genl_family kipsec_genl_family;

/* The parsed top-level attributes of a dump request (moved in 6.2). */
static inline struct nlattr **kipsec_dump_attrs(struct netlink_callback *cb)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	return genl_dumpit_info(cb)->info.attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

extern const struct nla_policy kipsec_sa_nl_policy[KIPSEC_SA_A_MAX + 1];
extern const struct nla_policy kipsec_pol_nl_policy[KIPSEC_POL_A_MAX + 1];

int kipsec_nl_sa_new(struct sk_buff *skb, struct genl_info *info);
int kipsec_nl_sa_update(struct sk_buff *skb, struct genl_info *info);
int kipsec_nl_sa_get(struct sk_buff *skb, struct genl_info *info);
int kipsec_nl_sa_dump(struct sk_buff *skb, struct netlink_callback *cb);
int kipsec_nl_sa_del(struct sk_buff *skb, struct genl_info *info);
int kipsec_nl_sa_flush(struct sk_buff *skb, struct genl_info *info);
int kipsec_nl_sa_alloc_spi(struct sk_buff *skb, struct genl_info *info);

int kipsec_nl_policy_new(struct sk_buff *skb, struct genl_info *info);
int kipsec_nl_policy_update(struct sk_buff *skb, struct genl_info *info);
int kipsec_nl_policy_get(struct sk_buff *skb, struct genl_info *info);
int kipsec_nl_policy_dump(struct sk_buff *skb, struct netlink_callback *cb);
int kipsec_nl_policy_del(struct sk_buff *skb, struct genl_info *info);
int kipsec_nl_policy_flush(struct sk_buff *skb, struct genl_info *info);

#endif /* KIPSEC_NETLINK_H */
