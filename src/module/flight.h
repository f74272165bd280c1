/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Packets in crypto flight: what they hold until their completion, and how
 * a completion is delivered (now, or held back by a test knob).
 */
#ifndef KIPSEC_FLIGHT_H
#define KIPSEC_FLIGHT_H

#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include "kipsec.h"

/*
 * A packet handed to the crypto API may complete later, from another
 * context (cryptd, pcrypt, an engine's interrupt). Until then it holds
 * its namespace's state (kipsec_net_exit() waits for it) and the device it
 * came in on or goes out of (freed only after the completion used it);
 * its context holds the SA. Returns @skb's device, for kipsec_flight_end().
 */
static inline struct net_device *kipsec_flight_begin(struct kipsec_net *kn,
						     struct sk_buff *skb)
{
	percpu_ref_get(&kn->inflight);
	dev_hold(skb->dev);
	return skb->dev;
}

/* The last use of @kn by a packet that was in flight. */
static inline void kipsec_flight_end(struct kipsec_net *kn,
				     struct net_device *dev)
{
	dev_put(dev);
	percpu_ref_put(&kn->inflight);
}

/*
 * Frees a packet's crypto context @ctx (its keys' traces too), drops its
 * reference on @sa and ends its flight: the last use of the namespace.
 */
static inline void kipsec_flight_free(void *ctx, struct kipsec_sa *sa,
				      struct net_device *dev)
{
	struct kipsec_net *kn = sa->kn;

	kipsec_sa_put(sa);
	kfree_sensitive(ctx);
	kipsec_flight_end(kn, dev);
}

/*
 * Calls @finish(@ctx, @err) for a crypto request that ended with @err:
 * right away, or, when the test-only parameter debug_crypto_delay_ms is
 * set, that much later from a worker (with bottom halves off, as a
 * completion runs), as behind a slow asynchronous engine. Holding
 * completions back widens every window in which a packet in flight
 * outlives what it uses, so tests can hit them on purpose.
 */
void kipsec_flight_finish(void (*finish)(void *ctx, int err), void *ctx,
			  int err);

int kipsec_flight_init(void);
void kipsec_flight_exit(void);

#endif /* KIPSEC_FLIGHT_H */
