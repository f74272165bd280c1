// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "kipsec": the module's one control interface
 * (see include/uapi/linux/kipsec.h for the contract).
 */
#include <net/genetlink.h>
#include "netlink.h"
#include "stats.h"

static const struct nla_policy kipsec_nl_policy[KIPSEC_A_MAX + 1] = {
	[KIPSEC_A_PAD] = { .type = NLA_REJECT },
	[KIPSEC_A_STATS_DROPS] = { .type = NLA_REJECT },
	[KIPSEC_A_SA] = NLA_POLICY_NESTED(kipsec_sa_nl_policy),
	[KIPSEC_A_POLICY] = NLA_POLICY_NESTED(kipsec_pol_nl_policy),
	[KIPSEC_A_SA_PROTO_FILTER] = { .type = NLA_U8 },
	[KIPSEC_A_SA_NO_KEYS] = { .type = NLA_FLAG },
	[KIPSEC_A_EXPIRE_HARD] = { .type = NLA_REJECT },
};

static int kipsec_fill_stats(struct sk_buff *msg, struct kipsec_net *kn)
{
	struct nlattr *drops;
	unsigned int reason;

	drops = nla_nest_start(msg, KIPSEC_A_STATS_DROPS);
	if (!drops)
		return -EMSGSIZE;
	for (reason = 1; reason <= KIPSEC_DROP_MAX; reason++)
		if (nla_put_u64_64bit(msg, reason, kipsec_drop_count(kn, reason),
				      KIPSEC_A_PAD))
			return -EMSGSIZE;
	nla_nest_end(msg, drops);
	return 0;
}

static int kipsec_nl_stats_get(struct sk_buff *skb, struct genl_info *info)
{
	struct kipsec_net *kn = kipsec_net(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &kipsec_genl_family, 0,
				KIPSEC_CMD_STATS_GET);
	if (!hdr) {
		err = -EMSGSIZE;
		goto fail;
	}
	err = kipsec_fill_stats(msg, kn);
	if (err)
		goto fail;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
fail:
	nlmsg_free(msg);
	return err;
}

/* Everything but the statistics needs CAP_NET_ADMIN in the namespace. */
static const struct genl_ops kipsec_genl_ops[] = {
	{ .cmd = KIPSEC_CMD_STATS_GET, .doit = kipsec_nl_stats_get },
	{ .cmd = KIPSEC_CMD_SA_NEW, .doit = kipsec_nl_sa_new,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = KIPSEC_CMD_SA_UPDATE, .doit = kipsec_nl_sa_update,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = KIPSEC_CMD_SA_GET, .doit = kipsec_nl_sa_get,
	  .dumpit = kipsec_nl_sa_dump, .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = KIPSEC_CMD_SA_DEL, .doit = kipsec_nl_sa_del,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = KIPSEC_CMD_SA_FLUSH, .doit = kipsec_nl_sa_flush,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = KIPSEC_CMD_SA_ALLOC_SPI, .doit = kipsec_nl_sa_alloc_spi,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = KIPSEC_CMD_POLICY_NEW, .doit = kipsec_nl_policy_new,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = KIPSEC_CMD_POLICY_UPDATE, .doit = kipsec_nl_policy_update,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = KIPSEC_CMD_POLICY_GET, .doit = kipsec_nl_policy_get,
	  .dumpit = kipsec_nl_policy_dump, .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = KIPSEC_CMD_POLICY_DEL, .doit = kipsec_nl_policy_del,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = KIPSEC_CMD_POLICY_FLUSH, .doit = kipsec_nl_policy_flush,
	  .flags = GENL_UNS_ADMIN_PERM },
};

/*
 * Events reveal SPIs, sequence numbers, traffic counters and, through
 * ACQUIRE, when a process tried to reach a peer: listening needs
 * CAP_NET_ADMIN in the namespace, as for XFRM's groups.
 */
#ifndef GENL_MCAST_CAP_NET_ADMIN
#error "this kernel's genetlink cannot restrict a multicast group to CAP_NET_ADMIN (GENL_MCAST_CAP_NET_ADMIN, in 6.1 stable and 6.6+)"
#endif
static const struct genl_multicast_group kipsec_genl_mcgrps[] = {
	{ .name = KIPSEC_MCGRP_EVENTS, .flags = GENL_MCAST_CAP_NET_ADMIN },
};

struct genl_family kipsec_genl_family __ro_after_init = {
	.name = KIPSEC_GENL_NAME,
	.version = KIPSEC_GENL_VERSION,
	.maxattr = KIPSEC_A_MAX,
	.policy = kipsec_nl_policy,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = kipsec_genl_ops,
	.n_ops = ARRAY_SIZE(kipsec_genl_ops),
	.resv_start_op = KIPSEC_CMD_MAX + 1,
	.mcgrps = kipsec_genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(kipsec_genl_mcgrps),
};

int kipsec_netlink_register(void)
{
	return genl_register_family(&kipsec_genl_family);
}

void kipsec_netlink_unregister(void)
{
	genl_unregister_family(&kipsec_genl_family);
}
