/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sockets whose packets bypass the SPD (KIPSEC_CMD_SOCKET_BYPASS): an IKE
 * daemon's own. Registered by netlink, gone with the netlink socket that
 * registered them, read by the hooks under RCU.
 */
#ifndef KIPSEC_SOCK_BYPASS_H
#define KIPSEC_SOCK_BYPASS_H

#include <linux/skbuff.h>
#include <net/netlink.h>
#include "kipsec.h"

struct kipsec_flow;

/* Registers @cookie for the netlink socket @portid; takes kn->lock. */
int kipsec_sock_bypass_add(struct kipsec_net *kn, u64 cookie, u32 portid,
			   struct netlink_ext_ack *extack);
/* Namespace exit, after the hooks are gone. */
void kipsec_sock_bypass_exit(struct kipsec_net *kn);
/* Releases a netlink socket's registrations when it closes. */
int kipsec_sock_bypass_notifier_register(void);
void kipsec_sock_bypass_notifier_unregister(void);

bool __kipsec_sock_bypass_out(struct kipsec_net *kn,
			      const struct sk_buff *skb);
bool __kipsec_sock_bypass_in(struct kipsec_net *kn, struct sk_buff *skb,
			     const struct kipsec_flow *flow);

/*
 * Data path, under rcu_read_lock(). A namespace without registrations pays
 * one pointer test.
 */

/* Was @skb sent by a registered socket? */
static inline bool kipsec_sock_bypass_out(struct kipsec_net *kn,
					  const struct sk_buff *skb)
{
	return rcu_access_pointer(kn->bypass) &&
	       __kipsec_sock_bypass_out(kn, skb);
}

/*
 * Is @skb (plaintext at LOCAL_IN, @flow its selector fields) UDP for a
 * registered socket? Looks the socket up: call it only for a packet that
 * would otherwise be dropped.
 */
static inline bool kipsec_sock_bypass_in(struct kipsec_net *kn,
					 struct sk_buff *skb,
					 const struct kipsec_flow *flow)
{
	return rcu_access_pointer(kn->bypass) &&
	       __kipsec_sock_bypass_in(kn, skb, flow);
}

#endif /* KIPSEC_SOCK_BYPASS_H */
