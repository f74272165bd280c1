/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KIPSEC_CONNTRACK_H
#define KIPSEC_CONNTRACK_H

#include <linux/skbuff.h>

/*
 * Confirms @skb's conntrack entry, as the confirm hook (the last of
 * POST_ROUTING and LOCAL_IN) would have, for a packet kipsec takes before
 * that hook runs. False when conntrack refuses (an insert clash).
 */
bool kipsec_ct_confirm(struct sk_buff *skb);

#endif /* KIPSEC_CONNTRACK_H */
