// SPDX-License-Identifier: GPL-2.0
/*
 * Per-namespace state: created for every namespace (existing ones when the
 * module loads, new ones as they appear) and freed when the namespace goes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/printk.h>
#include "kipsec.h"
#include "stats.h"
#include "hooks.h"

unsigned int kipsec_net_id __read_mostly;

static int __net_init kipsec_net_init(struct net *net)
{
	struct kipsec_net *kn = kipsec_net(net);
	int err;

	kn->net = net;
	mutex_init(&kn->lock);
	err = kipsec_stats_init(kn);
	if (err)
		return err;
	err = kipsec_sad_init(kn);
	if (err)
		goto fail_sad;
	err = kipsec_spd_init(kn);
	if (err)
		goto fail_spd;
	err = kipsec_hooks_register(net);
	if (err)
		goto fail_hooks;
	pr_debug("state created for netns %u\n", net->ns.inum);
	return 0;
fail_hooks:
	kipsec_spd_exit(kn);
fail_spd:
	kipsec_sad_exit(kn);
fail_sad:
	kipsec_stats_exit(kn);
	return err;
}

static void __net_exit kipsec_net_exit(struct net *net)
{
	struct kipsec_net *kn = kipsec_net(net);

	kipsec_hooks_unregister(net);
	kipsec_spd_exit(kn);
	kipsec_sad_exit(kn);
	kipsec_stats_exit(kn);
	pr_debug("state freed for netns %u\n", net->ns.inum);
}

static struct pernet_operations kipsec_net_ops = {
	.init = kipsec_net_init,
	.exit = kipsec_net_exit,
	.id = &kipsec_net_id,
	.size = sizeof(struct kipsec_net),
};

int kipsec_netns_register(void)
{
	return register_pernet_subsys(&kipsec_net_ops);
}

void kipsec_netns_unregister(void)
{
	unregister_pernet_subsys(&kipsec_net_ops);
}
