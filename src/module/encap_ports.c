// SPDX-License-Identifier: GPL-2.0
/* The registry of (address, port) pairs that carry ESP in UDP. */
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include "encap_ports.h"

struct kipsec_encap_key {
	struct kipsec_addr dst;
	u16 port;
	u8 family;
	u8 pad;
};

struct kipsec_encap_port {
	struct rhash_head node;
	struct kipsec_encap_key key;
	unsigned int users;		/* SAs naming the pair; under kn->lock */
	struct rcu_head rcu;
};

static const struct rhashtable_params kipsec_encap_params = {
	.key_len = sizeof(struct kipsec_encap_key),
	.key_offset = offsetof(struct kipsec_encap_port, key),
	.head_offset = offsetof(struct kipsec_encap_port, node),
	.automatic_shrinking = true,
};

static void kipsec_encap_key(struct kipsec_encap_key *key, u8 family,
			     const struct kipsec_addr *dst, u16 port)
{
	memset(key, 0, sizeof(*key));
	key->dst = *dst;
	key->port = port;
	key->family = family;
}

int kipsec_encap_ports_init(struct kipsec_encap_ports *ports)
{
	ports->count = 0;
	return rhashtable_init(&ports->ht, &kipsec_encap_params);
}

/* Every SA released its pair before the namespace goes. */
void kipsec_encap_ports_exit(struct kipsec_encap_ports *ports)
{
	WARN_ON_ONCE(ports->count);
	rhashtable_destroy(&ports->ht);
}

int kipsec_encap_ports_hold(struct kipsec_encap_ports *ports,
			    const struct kipsec_sa_params *p)
{
	struct kipsec_encap_port *e;
	struct kipsec_encap_key key;
	int err;

	if (!p->encap_dport)
		return 0;
	kipsec_encap_key(&key, p->family, &p->dst, p->encap_dport);
	e = rhashtable_lookup_fast(&ports->ht, &key, kipsec_encap_params);
	if (e) {
		e->users++;
		return 0;
	}
	e = kzalloc(sizeof(*e), GFP_KERNEL_ACCOUNT);
	if (!e)
		return -ENOMEM;
	e->key = key;
	e->users = 1;
	err = rhashtable_insert_fast(&ports->ht, &e->node, kipsec_encap_params);
	if (err) {
		kfree(e);
		return err;
	}
	WRITE_ONCE(ports->count, ports->count + 1);
	return 0;
}

void kipsec_encap_ports_release(struct kipsec_encap_ports *ports,
				const struct kipsec_sa_params *p)
{
	struct kipsec_encap_port *e;
	struct kipsec_encap_key key;

	if (!p->encap_dport)
		return;
	kipsec_encap_key(&key, p->family, &p->dst, p->encap_dport);
	e = rhashtable_lookup_fast(&ports->ht, &key, kipsec_encap_params);
	if (WARN_ON_ONCE(!e) || --e->users)
		return;
	rhashtable_remove_fast(&ports->ht, &e->node, kipsec_encap_params);
	WRITE_ONCE(ports->count, ports->count - 1);
	kfree_rcu(e, rcu);
}

bool kipsec_encap_port_used(struct kipsec_encap_ports *ports, u8 family,
			    const struct kipsec_addr *dst, u16 port)
{
	struct kipsec_encap_key key;

	if (!READ_ONCE(ports->count))
		return false;
	kipsec_encap_key(&key, family, dst, port);
	return rhashtable_lookup(&ports->ht, &key, kipsec_encap_params);
}
