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

/* The selector attributes' types: a policy's, and an SA's KIPSEC_SA_A_SELECTOR. */
/* An IPv4 (4 bytes) or IPv6 (16 bytes) address. */
#define KIPSEC_ADDR_NL_POLICY	NLA_POLICY_RANGE(NLA_BINARY, 4, 16)

#define KIPSEC_SEL_NL_POLICY						\
	[KIPSEC_POL_A_SRC] = KIPSEC_ADDR_NL_POLICY,			\
	[KIPSEC_POL_A_DST] = KIPSEC_ADDR_NL_POLICY,			\
	[KIPSEC_POL_A_SRC_PLEN] = NLA_POLICY_MAX(NLA_U8, 128),		\
	[KIPSEC_POL_A_DST_PLEN] = NLA_POLICY_MAX(NLA_U8, 128),		\
	[KIPSEC_POL_A_PROTO] = { .type = NLA_U8 },			\
	[KIPSEC_POL_A_SPORT] = { .type = NLA_U16 },			\
	[KIPSEC_POL_A_DPORT] = { .type = NLA_U16 },			\
	[KIPSEC_POL_A_ICMP_TYPE] = { .type = NLA_U8 },			\
	[KIPSEC_POL_A_ICMP_CODE] = { .type = NLA_U8 }

/*
 * Selector attributes (KIPSEC_POL_A_SRC ... _ICMP_CODE in @tb): both
 * addresses required, then checked by kipsec_sel_check().
 */
int kipsec_nl_get_sel(struct nlattr **tb, struct kipsec_sel *sel,
		      struct netlink_ext_ack *extack);
int kipsec_nl_put_sel(struct sk_buff *msg, const struct kipsec_sel *sel);

#endif /* KIPSEC_NL_FILL_H */
