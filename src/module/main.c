// SPDX-License-Identifier: GPL-2.0
/* kipsec module entry: brings the parts up in dependency order. */
#include <linux/module.h>
#include <net/genetlink.h>
#include "kipsec.h"
#include "extack.h"
#include "esp.h"
#include <linux/wait_bit.h>

static int __init kipsec_init(void)
{
	int err;

	err = kipsec_netns_register();
	if (err)
		return err;
	/* Last: once the family exists, requests may arrive in any netns. */
	err = kipsec_netlink_register();
	if (err) {
		kipsec_netns_unregister();
		return err;
	}
	return 0;
}

static void __exit kipsec_exit(void)
{
	kipsec_netlink_unregister();
	kipsec_netns_unregister();
	/* Packets still in the crypto API hold SAs and call back into us. */
	wait_var_event(&kipsec_inflight, !atomic_read(&kipsec_inflight));
	/* SAs and policies are freed by RCU callbacks: wait for them. */
	rcu_barrier();
	kipsec_extack_exit();
}

module_init(kipsec_init);
module_exit(kipsec_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("IPsec ESP/AH data path behind netfilter hooks");
MODULE_ALIAS_GENL_FAMILY(KIPSEC_GENL_NAME);
