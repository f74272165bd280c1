/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The (address, UDP port) pairs of this host that carry ESP in UDP: the
 * destination and encapsulation port of every SA with RFC 3948
 * encapsulation. A UDP packet is looked at as ESP only when it is
 * addressed to one of them, so no other UDP traffic of the namespace is
 * touched (an outbound SA's pair names the peer, which is never local).
 */
#ifndef KIPSEC_ENCAP_PORTS_H
#define KIPSEC_ENCAP_PORTS_H

#include <linux/rhashtable-types.h>
#include "sa_params.h"

struct kipsec_encap_ports {
	struct rhashtable ht;
	unsigned int count;		/* pairs in ht; 0: skip the lookup */
};

int kipsec_encap_ports_init(struct kipsec_encap_ports *ports);
void kipsec_encap_ports_exit(struct kipsec_encap_ports *ports);

/* Writers, under kn->lock: one reference per encapsulating SA. */
int kipsec_encap_ports_hold(struct kipsec_encap_ports *ports,
			    const struct kipsec_sa_params *p);
void kipsec_encap_ports_release(struct kipsec_encap_ports *ports,
				const struct kipsec_sa_params *p);

/* Under rcu_read_lock(): does UDP to (@family @dst, @port) carry ESP? */
bool kipsec_encap_port_used(struct kipsec_encap_ports *ports, u8 family,
			    const struct kipsec_addr *dst, u16 port);

#endif /* KIPSEC_ENCAP_PORTS_H */
