// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "kipsec": the module's one control interface
 * (see include/uapi/linux/kipsec.h for the contract).
 */
#include <net/genetlink.h>
#include "netlink.h"
#include "stats.h"
#include "sock_bypass.h"

/*
 * What each command takes. An attribute a command's policy leaves out is
 * NLA_UNSPEC there, which strict validation refuses ("Unsupported
 * attribute"), so a misplaced attribute is never silently ignored.
 */
#define KIPSEC_PROTO_FILTER_NL_POLICY					\
	[KIPSEC_A_SA_PROTO_FILTER] =					\
		NLA_POLICY_RANGE(NLA_U8, IPPROTO_ESP, IPPROTO_AH)

static const struct nla_policy kipsec_nl_no_attrs[KIPSEC_A_MAX + 1] = {};

static const struct nla_policy kipsec_nl_sa_cmd[KIPSEC_A_MAX + 1] = {
	[KIPSEC_A_SA] = NLA_POLICY_NESTED(kipsec_sa_nl_policy),
};

static const struct nla_policy kipsec_nl_sa_get_cmd[KIPSEC_A_MAX + 1] = {
	[KIPSEC_A_SA] = NLA_POLICY_NESTED(kipsec_sa_nl_policy),
	KIPSEC_PROTO_FILTER_NL_POLICY,
	[KIPSEC_A_SA_NO_KEYS] = { .type = NLA_FLAG },
};

static const struct nla_policy kipsec_nl_sa_flush_cmd[KIPSEC_A_MAX + 1] = {
	KIPSEC_PROTO_FILTER_NL_POLICY,
};

static const struct nla_policy kipsec_nl_policy_cmd[KIPSEC_A_MAX + 1] = {
	[KIPSEC_A_POLICY] = NLA_POLICY_NESTED(kipsec_pol_nl_policy),
};

static const struct nla_policy kipsec_nl_policy_new_cmd[KIPSEC_A_MAX + 1] = {
	[KIPSEC_A_POLICY] = NLA_POLICY_NESTED(kipsec_pol_nl_policy),
	[KIPSEC_A_POLICY_STACK] = { .type = NLA_FLAG },
};

/* Cookies start at 1: 0 is a socket's before anyone asked for it. */
static const struct nla_policy kipsec_nl_socket_bypass_cmd[KIPSEC_A_MAX + 1] = {
	[KIPSEC_A_SOCKET_COOKIE] = NLA_POLICY_MIN(NLA_U64, 1),
};

#define KIPSEC_OP(_cmd, _doit, _policy, ...)				\
	{ .cmd = (_cmd), .doit = (_doit), .policy = (_policy),		\
	  .maxattr = KIPSEC_A_MAX, __VA_ARGS__ }

static int kipsec_fill_stats(struct sk_buff *msg, struct kipsec_net *kn)
{
	struct nlattr *drops, *encap;
	unsigned int reason, which;

	drops = nla_nest_start(msg, KIPSEC_A_STATS_DROPS);
	if (!drops)
		return -EMSGSIZE;
	for (reason = 1; reason <= KIPSEC_DROP_MAX; reason++)
		if (nla_put_u64_64bit(msg, reason, kipsec_drop_count(kn, reason),
				      KIPSEC_A_PAD))
			return -EMSGSIZE;
	nla_nest_end(msg, drops);
	encap = nla_nest_start(msg, KIPSEC_A_STATS_ENCAP);
	if (!encap)
		return -EMSGSIZE;
	for (which = KIPSEC_ENCS_A_ESP_IN; which <= KIPSEC_ENCS_A_MAX; which++)
		if (nla_put_u64_64bit(msg, which, kipsec_encap_count(kn, which),
				      KIPSEC_ENCS_A_PAD))
			return -EMSGSIZE;
	nla_nest_end(msg, encap);
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

static int kipsec_nl_socket_bypass(struct sk_buff *skb, struct genl_info *info)
{
	struct kipsec_net *kn = kipsec_net(genl_info_net(info));
	struct nlattr *cookie = info->attrs[KIPSEC_A_SOCKET_COOKIE];

	if (!cookie) {
		NL_SET_ERR_MSG(info->extack,
			       "the request needs the socket's cookie (KIPSEC_A_SOCKET_COOKIE, u64, from getsockopt(SOL_SOCKET, SO_COOKIE))");
		return -EINVAL;
	}
	/* The registration lasts as long as the requesting netlink socket. */
	return kipsec_sock_bypass_add(kn, nla_get_u64(cookie), info->snd_portid,
				      info->extack);
}

/* Everything but the statistics needs CAP_NET_ADMIN in the namespace. */
static const struct genl_ops kipsec_genl_ops[] = {
	KIPSEC_OP(KIPSEC_CMD_STATS_GET, kipsec_nl_stats_get, kipsec_nl_no_attrs),
	KIPSEC_OP(KIPSEC_CMD_SA_NEW, kipsec_nl_sa_new, kipsec_nl_sa_cmd,
		  .flags = GENL_UNS_ADMIN_PERM),
	KIPSEC_OP(KIPSEC_CMD_SA_UPDATE, kipsec_nl_sa_update, kipsec_nl_sa_cmd,
		  .flags = GENL_UNS_ADMIN_PERM),
	KIPSEC_OP(KIPSEC_CMD_SA_GET, kipsec_nl_sa_get, kipsec_nl_sa_get_cmd,
		  .dumpit = kipsec_nl_sa_dump, .flags = GENL_UNS_ADMIN_PERM),
	KIPSEC_OP(KIPSEC_CMD_SA_DEL, kipsec_nl_sa_del, kipsec_nl_sa_cmd,
		  .flags = GENL_UNS_ADMIN_PERM),
	KIPSEC_OP(KIPSEC_CMD_SA_FLUSH, kipsec_nl_sa_flush,
		  kipsec_nl_sa_flush_cmd, .flags = GENL_UNS_ADMIN_PERM),
	KIPSEC_OP(KIPSEC_CMD_SA_ALLOC_SPI, kipsec_nl_sa_alloc_spi,
		  kipsec_nl_sa_cmd, .flags = GENL_UNS_ADMIN_PERM),
	KIPSEC_OP(KIPSEC_CMD_POLICY_NEW, kipsec_nl_policy_new,
		  kipsec_nl_policy_new_cmd, .flags = GENL_UNS_ADMIN_PERM),
	KIPSEC_OP(KIPSEC_CMD_POLICY_UPDATE, kipsec_nl_policy_update,
		  kipsec_nl_policy_cmd, .flags = GENL_UNS_ADMIN_PERM),
	KIPSEC_OP(KIPSEC_CMD_POLICY_GET, kipsec_nl_policy_get,
		  kipsec_nl_policy_cmd, .dumpit = kipsec_nl_policy_dump,
		  .flags = GENL_UNS_ADMIN_PERM),
	KIPSEC_OP(KIPSEC_CMD_POLICY_DEL, kipsec_nl_policy_del,
		  kipsec_nl_policy_cmd, .flags = GENL_UNS_ADMIN_PERM),
	KIPSEC_OP(KIPSEC_CMD_POLICY_FLUSH, kipsec_nl_policy_flush,
		  kipsec_nl_no_attrs, .flags = GENL_UNS_ADMIN_PERM),
	KIPSEC_OP(KIPSEC_CMD_SOCKET_BYPASS, kipsec_nl_socket_bypass,
		  kipsec_nl_socket_bypass_cmd, .flags = GENL_UNS_ADMIN_PERM),
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
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = kipsec_genl_ops,
	.n_ops = ARRAY_SIZE(kipsec_genl_ops),
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
