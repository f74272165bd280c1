// SPDX-License-Identifier: GPL-2.0
/*
 * kipsec takes packets at POST_ROUTING (plaintext to protect) and LOCAL_IN
 * (ESP/AH to verify) before conntrack's confirm hook, the last of both,
 * sees them. Unconfirmed, their entries would be allocated and freed again
 * for every packet: replies would find no connection (stateful firewalls
 * drop them), and every ESP packet would be "ct state new". So kipsec
 * confirms them itself. Reached through nf_ct_hook, so the module does not
 * pull in nf_conntrack. The confirm runs no conntrack helper and no
 * sequence adjustment (the plaintext's helpers see it at LOCAL_OUT and
 * FORWARD as usual; ESP has none).
 */
#include <linux/netfilter.h>
#include <net/netfilter/nf_conntrack.h>
#include "conntrack.h"

bool kipsec_ct_confirm(struct sk_buff *skb)
{
#if IS_ENABLED(CONFIG_NF_CONNTRACK)
	const struct nf_ct_hook *hook;
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);
	int verdict = NF_ACCEPT;

	if (!ct || nf_ct_is_confirmed(ct))
		return true;
	rcu_read_lock();
	hook = rcu_dereference(nf_ct_hook);
	if (hook && hook->confirm)
		verdict = hook->confirm(skb);
	rcu_read_unlock();
	return verdict == NF_ACCEPT;
#else
	return true;
#endif
}
