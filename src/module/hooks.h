/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KIPSEC_HOOKS_H
#define KIPSEC_HOOKS_H

#include <linux/netfilter.h>
#include "kipsec.h"

int kipsec_hooks_register(struct net *net);
void kipsec_hooks_unregister(struct net *net);

unsigned int kipsec_output_hook(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state);
unsigned int kipsec_local_in_hook(void *priv, struct sk_buff *skb,
				  const struct nf_hook_state *state);
unsigned int kipsec_forward_hook(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state);

#endif /* KIPSEC_HOOKS_H */
