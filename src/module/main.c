// SPDX-License-Identifier: GPL-2.0
/* kipsec module entry: brings the parts up in dependency order. */
#include <linux/module.h>
#include <net/genetlink.h>
#include "kipsec.h"
#include "flight.h"
#include "sock_bypass.h"

static int __init kipsec_init(void)
{
	int err;

	err = kipsec_sa_module_init();
	if (err)
		return err;
	err = kipsec_flight_init();
	if (err)
		goto fail_flight;
	err = kipsec_netns_register();
	if (err)
		goto fail_netns;
	/* Before the family: no registration may miss its owner's release. */
	err = kipsec_sock_bypass_notifier_register();
	if (err)
		goto fail_notifier;
	/* Last: once the family exists, requests may arrive in any netns. */
	err = kipsec_netlink_register();
	if (err)
		goto fail_netlink;
	return 0;
fail_netlink:
	kipsec_sock_bypass_notifier_unregister();
fail_notifier:
	kipsec_netns_unregister();
fail_netns:
	kipsec_flight_exit();
fail_flight:
	kipsec_sa_module_exit();
	return err;
}

static void __exit kipsec_exit(void)
{
	kipsec_netlink_unregister();
	kipsec_sock_bypass_notifier_unregister();
	/* Each namespace's exit waited for its packets in crypto flight. */
	kipsec_netns_unregister();
	/*
	 * The last completion may still be returning through our code after
	 * its final put; completions run with bottom halves off, so one grace
	 * period covers them.
	 */
	synchronize_rcu();
	kipsec_flight_exit();
	/* Policies are freed by RCU callbacks, SAs after them: wait. */
	rcu_barrier();
	kipsec_sa_module_exit();
}

module_init(kipsec_init);
module_exit(kipsec_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("IPsec ESP/AH data path behind netfilter hooks");
MODULE_ALIAS_GENL_FAMILY(KIPSEC_GENL_NAME);
