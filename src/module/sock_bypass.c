// SPDX-License-Identifier: GPL-2.0
/*
 * Per-socket SPD bypass (see KIPSEC_CMD_SOCKET_BYPASS in the UAPI). An IKE
 * daemon must reach its peer before there is an SA, and keep reaching it
 * under a policy that covers all traffic between the hosts; XFRM does that
 * with per-socket policies, kipsec with this set of socket cookies.
 *
 * The set is small (KIPSEC_SOCKET_BYPASS_MAX) and changes only when a
 * daemon starts or stops, so it is an array replaced whole under kn->lock
 * and scanned under RCU: the data path takes no lock and no reference.
 * A registration belongs to the netlink socket that made it, so a daemon
 * that dies cannot leave its sockets' bypass behind for a process that
 * never asked for it (cookies are not reused, but the limit would fill).
 */
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/sock.h>
#include <net/udp.h>
#include "sock_bypass.h"
#include "selector.h"

/*
 * The UDP socket lookups the inbound side needs are exported only for the
 * netfilter socket match and TPROXY (net/ipv4/udp.c, net/ipv6/udp.c).
 */
#if !IS_ENABLED(CONFIG_NF_SOCKET_IPV4) && !IS_ENABLED(CONFIG_NF_TPROXY_IPV4)
#error "udp4_lib_lookup() is not exported: kipsec needs CONFIG_NF_SOCKET_IPV4 or CONFIG_NF_TPROXY_IPV4"
#endif
#if IS_ENABLED(CONFIG_IPV6) && !IS_ENABLED(CONFIG_NF_SOCKET_IPV6) && \
	!IS_ENABLED(CONFIG_NF_TPROXY_IPV6)
#error "udp6_lib_lookup() is not exported: kipsec needs CONFIG_NF_SOCKET_IPV6 or CONFIG_NF_TPROXY_IPV6"
#endif

struct kipsec_bypass_entry {
	u64 cookie;
	u32 portid;		/* the netlink socket that registered it */
};

/* Replaced, never edited, so readers need no lock. */
struct kipsec_bypass_set {
	struct rcu_head rcu;
	unsigned int n;
	struct kipsec_bypass_entry e[];
};

static struct kipsec_bypass_set *kipsec_bypass_of(struct kipsec_net *kn)
{
	return rcu_dereference_protected(kn->bypass,
					 lockdep_is_held(&kn->lock));
}

int kipsec_sock_bypass_add(struct kipsec_net *kn, u64 cookie, u32 portid,
			   struct netlink_ext_ack *extack)
{
	struct kipsec_bypass_set *old, *new;
	unsigned int i, n;
	int err = 0;

	mutex_lock(&kn->lock);
	old = kipsec_bypass_of(kn);
	n = old ? old->n : 0;
	for (i = 0; i < n; i++)
		if (old->e[i].cookie == cookie && old->e[i].portid == portid)
			goto out;	/* already there: nothing to do */
	if (n >= KIPSEC_SOCKET_BYPASS_MAX) {
		NL_SET_ERR_MSG(extack,
			       "a namespace has at most 16 bypassed sockets (KIPSEC_SOCKET_BYPASS_MAX); they go when the netlink socket that registered them closes");
		err = -ENOSPC;
		goto out;
	}
	new = kmalloc(struct_size(new, e, n + 1), GFP_KERNEL_ACCOUNT);
	if (!new) {
		err = -ENOMEM;
		goto out;
	}
	new->n = n + 1;
	if (n)
		memcpy(new->e, old->e, n * sizeof(new->e[0]));
	new->e[n].cookie = cookie;
	new->e[n].portid = portid;
	rcu_assign_pointer(kn->bypass, new);
	if (old)
		kfree_rcu(old, rcu);
out:
	mutex_unlock(&kn->lock);
	return err;
}

/* Drops every registration of the netlink socket @portid. */
static void kipsec_sock_bypass_release(struct kipsec_net *kn, u32 portid)
{
	struct kipsec_bypass_set *old, *new = NULL;
	unsigned int i, keep = 0;

	mutex_lock(&kn->lock);
	old = kipsec_bypass_of(kn);
	if (!old)
		goto out;
	for (i = 0; i < old->n; i++)
		keep += old->e[i].portid != portid;
	if (keep == old->n)
		goto out;
	if (keep) {
		/*
		 * A socket's release cannot fail, and a registration it
		 * leaves would outlive its owner; the set is at most a few
		 * hundred bytes.
		 */
		new = kmalloc(struct_size(new, e, keep),
			      GFP_KERNEL | __GFP_NOFAIL);
		new->n = 0;
		for (i = 0; i < old->n; i++)
			if (old->e[i].portid != portid)
				new->e[new->n++] = old->e[i];
	}
	rcu_assign_pointer(kn->bypass, new);
	kfree_rcu(old, rcu);
out:
	mutex_unlock(&kn->lock);
}

void kipsec_sock_bypass_exit(struct kipsec_net *kn)
{
	struct kipsec_bypass_set *set = rcu_dereference_protected(kn->bypass,
								  true);

	RCU_INIT_POINTER(kn->bypass, NULL);
	if (set)
		kfree_rcu(set, rcu);
}

static bool kipsec_bypassed(const struct kipsec_bypass_set *set, u64 cookie)
{
	unsigned int i;

	/* 0: the socket's cookie was never asked for, so never registered. */
	if (!cookie)
		return false;
	for (i = 0; i < set->n; i++)
		if (set->e[i].cookie == cookie)
			return true;
	return false;
}

static bool kipsec_sock_registered(struct kipsec_net *kn,
				   const struct sock *sk)
{
	const struct kipsec_bypass_set *set = rcu_dereference(kn->bypass);

	return set && net_eq(sock_net(sk), kn->net) &&
	       kipsec_bypassed(set, atomic64_read(&sk->sk_cookie));
}

bool __kipsec_sock_bypass_out(struct kipsec_net *kn, const struct sk_buff *skb)
{
	const struct sock *sk = skb->sk;

	/* Request and timewait sockets have no cookie of their own. */
	return sk && sk_fullsock(sk) && kipsec_sock_registered(kn, sk);
}

/*
 * The socket UDP will deliver @skb to, referenced, or NULL. The same
 * lookup udp_rcv() makes, through the variants exported for netfilter's
 * socket match (udp4_lib_lookup() and udp6_lib_lookup() take a reference,
 * which the caller drops).
 */
static struct sock *kipsec_udp_lookup(struct kipsec_net *kn,
				      struct sk_buff *skb,
				      const struct kipsec_flow *flow)
{
	__be16 sport = htons(flow->sport), dport = htons(flow->dport);

	if (flow->family == KIPSEC_AF_INET) {
		__be32 saddr, daddr;

		memcpy(&saddr, flow->src.b, sizeof(saddr));
		memcpy(&daddr, flow->dst.b, sizeof(daddr));
		return udp4_lib_lookup(kn->net, saddr, sport, daddr, dport,
				       inet_iif(skb));
	}
#if IS_ENABLED(CONFIG_IPV6)
	{
		struct in6_addr saddr, daddr;

		memcpy(&saddr, flow->src.b, sizeof(saddr));
		memcpy(&daddr, flow->dst.b, sizeof(daddr));
		return udp6_lib_lookup(kn->net, &saddr, sport, &daddr, dport,
				       inet6_iif(skb));
	}
#else
	return NULL;
#endif
}

bool __kipsec_sock_bypass_in(struct kipsec_net *kn, struct sk_buff *skb,
			     const struct kipsec_flow *flow)
{
	struct sock *sk;
	bool hit;

	/* A non-first fragment has no ports to look the socket up by. */
	if (flow->proto != IPPROTO_UDP || flow->opaque)
		return false;
	/*
	 * Early demux (connected sockets) or TPROXY already chose the
	 * socket, and UDP delivers to that one.
	 */
	if (skb->sk)
		return sk_fullsock(skb->sk) &&
		       kipsec_sock_registered(kn, skb->sk);
	sk = kipsec_udp_lookup(kn, skb, flow);
	if (!sk)
		return false;
	hit = kipsec_sock_registered(kn, sk);
	sock_put(sk);
	return hit;
}

static int kipsec_netlink_event(struct notifier_block *nb,
				unsigned long event, void *ptr)
{
	const struct netlink_notify *n = ptr;
	struct kipsec_net *kn;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC)
		return NOTIFY_DONE;
	/*
	 * The closing socket holds its namespace, so the state is there.
	 * Its own registrations cannot be in progress: it is being released.
	 */
	kn = kipsec_net(n->net);
	if (rcu_access_pointer(kn->bypass))
		kipsec_sock_bypass_release(kn, n->portid);
	return NOTIFY_DONE;
}

static struct notifier_block kipsec_netlink_notifier = {
	.notifier_call = kipsec_netlink_event,
};

int kipsec_sock_bypass_notifier_register(void)
{
	return netlink_register_notifier(&kipsec_netlink_notifier);
}

void kipsec_sock_bypass_notifier_unregister(void)
{
	netlink_unregister_notifier(&kipsec_netlink_notifier);
}
