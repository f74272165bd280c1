// SPDX-License-Identifier: GPL-2.0
/* Sends notifications to the namespace's "events" listeners. */
#include "events.h"
#include "netlink.h"
#include "acquire.h"

enum { KIPSEC_MCGRP_EVENTS_ID };

/* Starts an event message, or returns NULL when nobody listens. */
static struct sk_buff *kipsec_event_start_gfp(struct kipsec_net *kn, u8 cmd,
					      void **hdr, gfp_t gfp)
{
	struct sk_buff *msg;

	if (!genl_has_listeners(&kipsec_genl_family, kn->net,
				KIPSEC_MCGRP_EVENTS_ID))
		return NULL;
	msg = genlmsg_new(NLMSG_GOODSIZE, gfp);
	if (!msg)
		return NULL;
	*hdr = genlmsg_put(msg, 0, 0, &kipsec_genl_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static struct sk_buff *kipsec_event_start(struct kipsec_net *kn, u8 cmd,
					  void **hdr)
{
	return kipsec_event_start_gfp(kn, cmd, hdr, GFP_KERNEL);
}

static void kipsec_event_send_gfp(struct kipsec_net *kn, struct sk_buff *msg,
				  void *hdr, int err, gfp_t gfp)
{
	if (err) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&kipsec_genl_family, kn->net, msg, 0,
				KIPSEC_MCGRP_EVENTS_ID, gfp);
}

static void kipsec_event_send(struct kipsec_net *kn, struct sk_buff *msg,
			      void *hdr, int err)
{
	kipsec_event_send_gfp(kn, msg, hdr, err, GFP_KERNEL);
}

void kipsec_event_sa(struct kipsec_net *kn, const struct kipsec_sa *sa,
		     u8 cmd)
{
	struct sk_buff *msg;
	void *hdr;

	msg = kipsec_event_start(kn, cmd, &hdr);
	if (msg)
		kipsec_event_send(kn, msg, hdr, kipsec_nl_fill_sa(msg, sa, false));
}

void kipsec_event_policy(struct kipsec_net *kn,
			 const struct kipsec_policy *pol, u8 cmd)
{
	struct sk_buff *msg;
	void *hdr;

	msg = kipsec_event_start(kn, cmd, &hdr);
	if (msg)
		kipsec_event_send(kn, msg, hdr,
				  kipsec_nl_fill_policy(msg, kn, pol));
}

void kipsec_event_flush(struct kipsec_net *kn, u8 cmd, u8 proto)
{
	struct sk_buff *msg;
	void *hdr;
	int err = 0;

	msg = kipsec_event_start(kn, cmd, &hdr);
	if (!msg)
		return;
	if (proto)
		err = nla_put_u8(msg, KIPSEC_A_SA_PROTO_FILTER, proto);
	kipsec_event_send(kn, msg, hdr, err);
}

void kipsec_event_expire(struct kipsec_net *kn, const struct kipsec_sa *sa,
			 bool hard)
{
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = kipsec_event_start(kn, KIPSEC_CMD_EXPIRE, &hdr);
	if (!msg)
		return;
	err = kipsec_nl_fill_sa(msg, sa, false);
	if (!err && hard)
		err = nla_put_flag(msg, KIPSEC_A_EXPIRE_HARD);
	kipsec_event_send(kn, msg, hdr, err);
}

void kipsec_event_acquire(struct kipsec_net *kn, struct kipsec_policy *pol,
			  const struct kipsec_tmpl *t,
			  const struct kipsec_sa_addrs *addrs)
{
	struct sk_buff *msg;
	struct nlattr *nest;
	void *hdr;
	int err;

	/* Only a listening daemon can answer: nothing is remembered for none. */
	if (!genl_has_listeners(&kipsec_genl_family, kn->net,
				KIPSEC_MCGRP_EVENTS_ID) ||
	    !kipsec_acquire_due(kn, pol, t, addrs))
		return;
	msg = kipsec_event_start_gfp(kn, KIPSEC_CMD_ACQUIRE, &hdr, GFP_ATOMIC);
	if (!msg)
		return;
	err = kipsec_nl_fill_policy(msg, kn, pol);
	nest = err ? NULL : nla_nest_start(msg, KIPSEC_A_SA);
	if (!nest ||
	    nla_put_u8(msg, KIPSEC_SA_A_PROTO, t->proto) ||
	    nla_put_u8(msg, KIPSEC_SA_A_MODE, t->mode) ||
	    nla_put_u32(msg, KIPSEC_SA_A_REQID, t->reqid) ||
	    kipsec_nl_put_addr(msg, KIPSEC_SA_A_SRC, &addrs->src, addrs->family) ||
	    kipsec_nl_put_addr(msg, KIPSEC_SA_A_DST, &addrs->dst, addrs->family))
		err = -EMSGSIZE;
	else
		nla_nest_end(msg, nest);
	kipsec_event_send_gfp(kn, msg, hdr, err, GFP_ATOMIC);
}

bool kipsec_event_mapping(struct kipsec_net *kn, const struct kipsec_sa *sa,
			  const struct kipsec_addr *addr, u16 port)
{
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = kipsec_event_start_gfp(kn, KIPSEC_CMD_MAPPING, &hdr, GFP_ATOMIC);
	if (!msg)
		return false;
	err = kipsec_nl_fill_sa(msg, sa, false);
	if (!err &&
	    (kipsec_nl_put_addr(msg, KIPSEC_A_MAPPING_ADDR, addr,
				sa->p.family) ||
	     nla_put_u16(msg, KIPSEC_A_MAPPING_PORT, port)))
		err = -EMSGSIZE;
	kipsec_event_send_gfp(kn, msg, hdr, err, GFP_ATOMIC);
	return !err;
}
