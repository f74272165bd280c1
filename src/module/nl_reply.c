// SPDX-License-Identifier: GPL-2.0
/*
 * Replies and dumps of the request handlers, one way for SAs and policies.
 * A dump round fills the message until an object does not fit and resumes
 * there next time; an object that does not fit even an empty message fails
 * the dump with -EMSGSIZE, where returning the empty message would end the
 * dump as if there were nothing more.
 */
#include "nl_reply.h"
#include "netlink.h"

int kipsec_nl_reply(struct genl_info *info, u8 cmd, kipsec_nl_fill_fn fill,
		    const void *obj, const void *arg)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &kipsec_genl_family, 0, cmd);
	if (!hdr || fill(msg, obj, arg)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

int kipsec_nl_dump_one(struct sk_buff *skb, struct netlink_callback *cb,
		       u8 cmd, kipsec_nl_fill_fn fill, const void *obj,
		       const void *arg)
{
	void *hdr;
	int ret;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &kipsec_genl_family, NLM_F_MULTI, cmd);
	if (!hdr)
		return -EMSGSIZE;
	ret = fill(skb, obj, arg);
	if (ret) {
		genlmsg_cancel(skb, hdr);
		return ret > 0 ? 1 : -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int kipsec_nl_dump_xa(struct sk_buff *skb, struct netlink_callback *cb,
		      struct mutex *lock, struct xarray *xa, u8 cmd,
		      kipsec_nl_fill_fn fill, const void *arg)
{
	unsigned long index = cb->args[0];
	bool full = false;
	void *obj;

	mutex_lock(lock);
	xa_for_each_start(xa, index, obj, index) {
		if (kipsec_nl_dump_one(skb, cb, cmd, fill, obj, arg) < 0) {
			full = true;
			break;
		}
	}
	mutex_unlock(lock);
	if (full && !skb->len)
		return -EMSGSIZE;
	/* Resume at the first object that did not fit (or past the last). */
	cb->args[0] = full ? index : ULONG_MAX;
	return skb->len;
}
