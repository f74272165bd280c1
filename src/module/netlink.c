// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "kipsec": the module's one control interface
 * (see include/uapi/linux/kipsec.h for the contract).
 */
#include <net/genetlink.h>
#include "kipsec.h"
#include "stats.h"

static const struct nla_policy kipsec_nl_policy[KIPSEC_A_MAX + 1] = {
	[KIPSEC_A_STATS_DROPS] = { .type = NLA_REJECT },
};

static struct genl_family kipsec_genl_family;

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

static const struct genl_ops kipsec_genl_ops[] = {
	{
		.cmd = KIPSEC_CMD_STATS_GET,
		.doit = kipsec_nl_stats_get,
	},
};

static const struct genl_multicast_group kipsec_genl_mcgrps[] = {
	{ .name = KIPSEC_MCGRP_EVENTS },
};

static struct genl_family kipsec_genl_family __ro_after_init = {
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
