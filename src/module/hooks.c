// SPDX-License-Identifier: GPL-2.0
/*
 * The netfilter hooks, registered in every namespace. A namespace without
 * kipsec configuration pays one empty-list test per packet and sees no
 * other difference.
 */
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include "hooks.h"

/*
 * Outbound after source NAT, so the selectors see final addresses; inbound
 * at the end of LOCAL_IN / FORWARD, after the firewall's filter decisions.
 */
#define KIPSEC_PRI_OUT (NF_IP_PRI_NAT_SRC + 10)
#define KIPSEC_PRI_IN (NF_IP_PRI_LAST - 1)

static const struct nf_hook_ops kipsec_nf_ops[] = {
	{ .hook = kipsec_output_hook, .pf = NFPROTO_IPV4,
	  .hooknum = NF_INET_POST_ROUTING, .priority = KIPSEC_PRI_OUT },
	{ .hook = kipsec_local_in_hook, .pf = NFPROTO_IPV4,
	  .hooknum = NF_INET_LOCAL_IN, .priority = KIPSEC_PRI_IN },
	{ .hook = kipsec_forward_hook, .pf = NFPROTO_IPV4,
	  .hooknum = NF_INET_FORWARD, .priority = KIPSEC_PRI_IN },
	{ .hook = kipsec_output_hook, .pf = NFPROTO_IPV6,
	  .hooknum = NF_INET_POST_ROUTING, .priority = KIPSEC_PRI_OUT },
	{ .hook = kipsec_local_in_hook, .pf = NFPROTO_IPV6,
	  .hooknum = NF_INET_LOCAL_IN, .priority = KIPSEC_PRI_IN },
	{ .hook = kipsec_forward_hook, .pf = NFPROTO_IPV6,
	  .hooknum = NF_INET_FORWARD, .priority = KIPSEC_PRI_IN },
};

int kipsec_hooks_register(struct net *net)
{
	return nf_register_net_hooks(net, kipsec_nf_ops,
				     ARRAY_SIZE(kipsec_nf_ops));
}

void kipsec_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, kipsec_nf_ops, ARRAY_SIZE(kipsec_nf_ops));
}
