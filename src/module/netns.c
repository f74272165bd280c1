// SPDX-License-Identifier: GPL-2.0
/*
 * Per-namespace state: created for every namespace (existing ones when the
 * module loads, new ones as they appear) and freed when the namespace goes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/printk.h>
#include "kipsec.h"
#include "expire.h"
#include "stats.h"
#include "acquire.h"
#include "hooks.h"
#include "sock_bypass.h"

unsigned int kipsec_net_id __read_mostly;

static void kipsec_inflight_release(struct percpu_ref *ref)
{
	struct kipsec_net *kn = container_of(ref, struct kipsec_net, inflight);

	complete(&kn->inflight_gone);
}

static int __net_init kipsec_net_init(struct net *net)
{
	struct kipsec_net *kn = kipsec_net(net);
	int err;

	kn->net = net;
	mutex_init(&kn->lock);
	init_completion(&kn->inflight_gone);
	err = percpu_ref_init(&kn->inflight, kipsec_inflight_release, 0,
			      GFP_KERNEL);
	if (err)
		return err;
	err = kipsec_stats_init(kn);
	if (err)
		goto fail_stats;
	kipsec_expire_init(kn);
	err = kipsec_sad_init(kn);
	if (err)
		goto fail_sad;
	err = kipsec_spd_init(kn);
	if (err)
		goto fail_spd;
	err = kipsec_acquires_init(kn);
	if (err)
		goto fail_acquires;
	err = kipsec_hooks_register(net);
	if (err)
		goto fail_hooks;
	pr_debug("state created for netns %u\n", net->ns.inum);
	return 0;
fail_hooks:
	kipsec_acquires_exit(kn);
fail_acquires:
	kipsec_spd_exit(kn);
fail_spd:
	kipsec_expire_stop(kn);
	kipsec_sad_exit(kn);
fail_sad:
	kipsec_stats_exit(kn);
fail_stats:
	percpu_ref_exit(&kn->inflight);
	return err;
}

static void __net_exit kipsec_net_exit(struct net *net)
{
	struct kipsec_net *kn = kipsec_net(net);

	/*
	 * No packet enters once the hooks are gone; those in crypto flight
	 * complete into this namespace's counters and tables, so wait for
	 * them before freeing anything. They hold their devices, so this
	 * namespace's devices (unregistered before us) waited for them too.
	 */
	kipsec_hooks_unregister(net);
	percpu_ref_kill(&kn->inflight);
	wait_for_completion(&kn->inflight_gone);
	percpu_ref_exit(&kn->inflight);
	kipsec_acquires_exit(kn);
	kipsec_sock_bypass_exit(kn);
	kipsec_spd_exit(kn);
	/* The scan removes SAs: stop it before the SAD goes. */
	kipsec_expire_stop(kn);
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
