/* SPDX-License-Identifier: GPL-2.0 */
/* kipsec netlink replies and events -> struct kipsec_sa / kipsec_policy */
#ifndef KIPSEC_CLI_OPS_DECODE_H
#define KIPSEC_CLI_OPS_DECODE_H

#include <libmnl/libmnl.h>
#include "ops.h"

/* The top-level attributes of a kipsec message, by type (NULL if absent). */
void kipsec_msg_attrs(const struct nlmsghdr *nlh,
		      const struct nlattr *tb[KIPSEC_A_MAX + 1]);

/*
 * Fill @sa / @pol from a KIPSEC_A_SA / KIPSEC_A_POLICY nest. Attributes
 * this CLI does not know are skipped. Return: 0, or -EBADMSG when a known
 * attribute is malformed.
 */
int kipsec_decode_sa(const struct nlattr *nest, struct kipsec_sa *sa);
int kipsec_decode_policy(const struct nlattr *nest, struct kipsec_policy *pol);

/*
 * The new endpoint a KIPSEC_CMD_MAPPING event reports (KIPSEC_A_MAPPING_ADDR
 * and _PORT). Return: 0, or -EBADMSG unless both are there and well formed.
 */
int kipsec_decode_mapping(const struct nlattr *tb[KIPSEC_A_MAX + 1],
			  struct kipsec_ip *addr, u16 *port);

#endif /* KIPSEC_CLI_OPS_DECODE_H */
