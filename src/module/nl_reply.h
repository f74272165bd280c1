/* SPDX-License-Identifier: GPL-2.0 */
/* Replies and dumps of the request handlers, alike for SAs and policies. */
#ifndef KIPSEC_NL_REPLY_H
#define KIPSEC_NL_REPLY_H

#include <net/genetlink.h>
#include <linux/xarray.h>

/*
 * Puts @obj into @msg: 0, -EMSGSIZE when it does not fit, or 1 when a dump
 * leaves it out (a filter).
 */
typedef int (*kipsec_nl_fill_fn)(struct sk_buff *msg, const void *obj,
				 const void *arg);

/* Replies to @info's requester with one message of @cmd holding @obj. */
int kipsec_nl_reply(struct genl_info *info, u8 cmd, kipsec_nl_fill_fn fill,
		    const void *obj, const void *arg);

/*
 * One message of @cmd holding @obj, for a dump round: 0, 1 when @fill left
 * it out, -EMSGSIZE when it does not fit (nothing of it stays in @skb). A
 * round that ends with -EMSGSIZE and an empty @skb must fail the dump.
 */
int kipsec_nl_dump_one(struct sk_buff *skb, struct netlink_callback *cb,
		       u8 cmd, kipsec_nl_fill_fn fill, const void *obj,
		       const void *arg);

/*
 * One round of a dump of @xa (under @lock), one message of @cmd per
 * object, resumed at the index saved in cb->args[0].
 */
int kipsec_nl_dump_xa(struct sk_buff *skb, struct netlink_callback *cb,
		      struct mutex *lock, struct xarray *xa, u8 cmd,
		      kipsec_nl_fill_fn fill, const void *arg);

#endif /* KIPSEC_NL_REPLY_H */
