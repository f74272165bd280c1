// SPDX-License-Identifier: GPL-2.0
/* Netlink requests on policies: parsing, validation, replies (see the UAPI). */
#include <linux/in.h>
#include "netlink.h"
#include "nl_reply.h"
#include "events.h"
#include "extack.h"

static const struct nla_policy kipsec_tmpl_nl_policy[KIPSEC_TMPL_A_MAX + 1] = {
	[KIPSEC_TMPL_A_PROTO] = NLA_POLICY_RANGE(NLA_U8, IPPROTO_ESP, IPPROTO_AH),
	[KIPSEC_TMPL_A_MODE] = NLA_POLICY_MAX(NLA_U8, KIPSEC_MODE_TUNNEL),
	[KIPSEC_TMPL_A_SRC] = KIPSEC_ADDR_NL_POLICY,
	[KIPSEC_TMPL_A_DST] = KIPSEC_ADDR_NL_POLICY,
	[KIPSEC_TMPL_A_LEVEL] = NLA_POLICY_MAX(NLA_U8, KIPSEC_LEVEL_UNIQUE),
	[KIPSEC_TMPL_A_REQID] = { .type = NLA_U32 },
	[KIPSEC_TMPL_A_SPI] = { .type = NLA_U32 },
};

const struct nla_policy kipsec_pol_nl_policy[KIPSEC_POL_A_MAX + 1] = {
	[KIPSEC_POL_A_DIR] = NLA_POLICY_MAX(NLA_U8, KIPSEC_DIR_FWD),
	KIPSEC_SEL_NL_POLICY,
	[KIPSEC_POL_A_ACTION] = NLA_POLICY_MAX(NLA_U8, KIPSEC_ACTION_IPSEC),
	[KIPSEC_POL_A_PRIORITY] = { .type = NLA_U32 },
	[KIPSEC_POL_A_TEMPLATES] = NLA_POLICY_NESTED_ARRAY(kipsec_tmpl_nl_policy),
	[KIPSEC_POL_A_TEMPLATE] = { .type = NLA_REJECT },
	[KIPSEC_POL_A_INDEX] = { .type = NLA_U32 },
	[KIPSEC_POL_A_SA_SPI] = { .type = NLA_U32 },
	[KIPSEC_POL_A_INSTANCES] = { .type = NLA_REJECT },
	[KIPSEC_POL_A_IDLE_SECONDS] = { .type = NLA_REJECT },
};

static int kipsec_parse_tmpl(struct nlattr *attr, struct kipsec_tmpl *t,
			     unsigned int pos, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[KIPSEC_TMPL_A_MAX + 1];
	char msg[96];
	int err;

	err = nla_parse_nested(tb, KIPSEC_TMPL_A_MAX, attr,
			       kipsec_tmpl_nl_policy, extack);
	if (err)
		return err;
	memset(t, 0, sizeof(*t));
	t->level = KIPSEC_LEVEL_REQUIRE;
	if (!tb[KIPSEC_TMPL_A_PROTO] ||
	    (nla_get_u8(tb[KIPSEC_TMPL_A_PROTO]) != IPPROTO_ESP &&
	     nla_get_u8(tb[KIPSEC_TMPL_A_PROTO]) != IPPROTO_AH)) {
		snprintf(msg, sizeof(msg),
			 "template %u needs its protocol, ESP (50) or AH (51)", pos);
		kipsec_extack(extack, msg);
		return -EINVAL;
	}
	t->proto = nla_get_u8(tb[KIPSEC_TMPL_A_PROTO]);
	if (tb[KIPSEC_TMPL_A_MODE])
		t->mode = nla_get_u8(tb[KIPSEC_TMPL_A_MODE]);
	if (tb[KIPSEC_TMPL_A_LEVEL])
		t->level = nla_get_u8(tb[KIPSEC_TMPL_A_LEVEL]);
	if (tb[KIPSEC_TMPL_A_REQID])
		t->reqid = nla_get_u32(tb[KIPSEC_TMPL_A_REQID]);
	if (tb[KIPSEC_TMPL_A_SPI])
		t->spi = nla_get_u32(tb[KIPSEC_TMPL_A_SPI]);

	if (t->mode == KIPSEC_MODE_TUNNEL) {
		if (!tb[KIPSEC_TMPL_A_SRC] || !tb[KIPSEC_TMPL_A_DST]) {
			snprintf(msg, sizeof(msg),
				 "template %u is tunnel mode and needs both tunnel endpoints",
				 pos);
			kipsec_extack(extack, msg);
			return -EINVAL;
		}
		err = kipsec_nl_get_addr(tb[KIPSEC_TMPL_A_SRC], &t->src,
					 &t->family, "tunnel source", extack);
		if (!err)
			err = kipsec_nl_get_addr(tb[KIPSEC_TMPL_A_DST], &t->dst,
						 &t->family,
						 "tunnel destination", extack);
		return err;
	}
	if (tb[KIPSEC_TMPL_A_SRC] || tb[KIPSEC_TMPL_A_DST]) {
		snprintf(msg, sizeof(msg),
			 "template %u is transport mode: tunnel endpoints are not allowed",
			 pos);
		kipsec_extack(extack, msg);
		return -EINVAL;
	}
	return 0;
}

static int kipsec_parse_templates(struct nlattr *attr,
				  struct kipsec_pol_inst *inst,
				  struct netlink_ext_ack *extack)
{
	struct nlattr *t;
	int rem, err;

	nla_for_each_nested(t, attr, rem) {
		if (nla_type(t) != KIPSEC_POL_A_TEMPLATE) {
			NL_SET_ERR_MSG_ATTR(extack, t,
					    "KIPSEC_POL_A_TEMPLATES holds only KIPSEC_POL_A_TEMPLATE entries");
			return -EINVAL;
		}
		if (inst->ntmpl == KIPSEC_TEMPLATES_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, t,
					    "a policy has at most 4 templates");
			return -EINVAL;
		}
		err = kipsec_parse_tmpl(t, &inst->tmpl[inst->ntmpl],
					inst->ntmpl + 1, extack);
		if (err)
			return err;
		inst->ntmpl++;
	}
	return 0;
}

/* Fills @key from the direction and selector attributes and checks it. */
static int kipsec_parse_pol_key(struct nlattr **tb, struct kipsec_pol_key *key,
				struct netlink_ext_ack *extack)
{
	memset(key, 0, sizeof(*key));
	if (!tb[KIPSEC_POL_A_DIR]) {
		NL_SET_ERR_MSG(extack, "a policy needs a direction (KIPSEC_POL_A_DIR)");
		return -EINVAL;
	}
	key->dir = nla_get_u8(tb[KIPSEC_POL_A_DIR]);
	return kipsec_nl_get_sel(tb, &key->sel, extack);
}

static int kipsec_parse_policy_nest(struct genl_info *info,
				    struct nlattr **tb)
{
	struct nlattr *nest = info->attrs[KIPSEC_A_POLICY];

	if (!nest) {
		NL_SET_ERR_MSG(info->extack,
			       "the request needs a policy (KIPSEC_A_POLICY)");
		return -EINVAL;
	}
	return nla_parse_nested(tb, KIPSEC_POL_A_MAX, nest,
				kipsec_pol_nl_policy, info->extack);
}

static int kipsec_parse_policy(struct genl_info *info,
			       struct kipsec_pol_params *pp)
{
	struct nlattr *tb[KIPSEC_POL_A_MAX + 1];
	struct netlink_ext_ack *extack = info->extack;
	int err;

	memset(pp, 0, sizeof(*pp));
	err = kipsec_parse_policy_nest(info, tb);
	if (!err)
		err = kipsec_parse_pol_key(tb, &pp->key, extack);
	if (err)
		return err;
	if (!tb[KIPSEC_POL_A_ACTION]) {
		NL_SET_ERR_MSG(extack,
			       "a policy needs an action: discard, none (bypass) or ipsec");
		return -EINVAL;
	}
	pp->action = nla_get_u8(tb[KIPSEC_POL_A_ACTION]);
	pp->priority = tb[KIPSEC_POL_A_PRIORITY] ?
		       nla_get_u32(tb[KIPSEC_POL_A_PRIORITY]) :
		       KIPSEC_POLICY_PRIORITY_DEFAULT;
	if (tb[KIPSEC_POL_A_TEMPLATES]) {
		if (pp->action != KIPSEC_ACTION_IPSEC) {
			NL_SET_ERR_MSG_ATTR(extack, tb[KIPSEC_POL_A_TEMPLATES],
					    "templates only go with action ipsec");
			return -EINVAL;
		}
		err = kipsec_parse_templates(tb[KIPSEC_POL_A_TEMPLATES],
					     &pp->inst, extack);
		if (err)
			return err;
	}
	if (pp->action == KIPSEC_ACTION_IPSEC && !pp->inst.ntmpl) {
		NL_SET_ERR_MSG(extack,
			       "action ipsec needs at least one template (e.g. esp/transport//require)");
		return -EINVAL;
	}
	return 0;
}

static int kipsec_fill_policy_of(struct sk_buff *msg, const void *pol,
				 const void *kn)
{
	return kipsec_nl_fill_policy(msg, kn, pol);
}

static int kipsec_reply_policy(struct genl_info *info, struct kipsec_net *kn,
			       const struct kipsec_policy *pol, u8 cmd)
{
	return kipsec_nl_reply(info, cmd, kipsec_fill_policy_of, pol, kn);
}

/*
 * The policy a NEW/UPDATE request committed goes back to the requester
 * only when asked (NLM_F_ECHO, the netlink convention), and a reply that
 * cannot be built or delivered is not an error: the change happened, and
 * reporting a failure would make a daemon retry (and stack another
 * instance).
 */
static void kipsec_echo_policy(struct genl_info *info, struct kipsec_net *kn,
			       const struct kipsec_policy *pol, u8 cmd)
{
	if (info->nlhdr->nlmsg_flags & NLM_F_ECHO)
		kipsec_reply_policy(info, kn, pol, cmd);
}

/* Finds the policy a GET/DEL request names: by index, or by key. */
static int kipsec_find_policy(struct genl_info *info, struct kipsec_net *kn,
			      struct nlattr **tb, struct kipsec_policy **out)
{
	struct kipsec_pol_key key;
	int err;

	if (tb[KIPSEC_POL_A_INDEX]) {
		*out = kipsec_policy_by_index(kn,
					      nla_get_u32(tb[KIPSEC_POL_A_INDEX]));
	} else {
		err = kipsec_parse_pol_key(tb, &key, info->extack);
		if (err)
			return err;
		*out = kipsec_policy_find(kn, &key);
	}
	if (!*out) {
		NL_SET_ERR_MSG(info->extack,
			       "no policy with this selector and direction (or index)");
		return -ENOENT;
	}
	return 0;
}

int kipsec_nl_policy_new(struct sk_buff *skb, struct genl_info *info)
{
	struct kipsec_net *kn = kipsec_net(genl_info_net(info));
	bool append = info->attrs[KIPSEC_A_POLICY_STACK];
	struct kipsec_pol_params pp;
	struct kipsec_policy *pol;
	bool stacked;
	int err;

	err = kipsec_parse_policy(info, &pp);
	if (err)
		return err;
	mutex_lock(&kn->lock);
	/* An instance stacked on an existing policy updates that policy. */
	stacked = append && kipsec_policy_find(kn, &pp.key);
	err = kipsec_policy_add(kn, &pp, append, &pol, info->extack);
	if (!err) {
		kipsec_event_policy(kn, pol, stacked ? KIPSEC_CMD_POLICY_UPDATE :
						       KIPSEC_CMD_POLICY_NEW);
		kipsec_echo_policy(info, kn, pol, KIPSEC_CMD_POLICY_NEW);
	}
	mutex_unlock(&kn->lock);
	return err;
}

int kipsec_nl_policy_update(struct sk_buff *skb, struct genl_info *info)
{
	struct kipsec_net *kn = kipsec_net(genl_info_net(info));
	struct kipsec_pol_params pp;
	struct kipsec_policy *pol;
	int err;

	err = kipsec_parse_policy(info, &pp);
	if (err)
		return err;
	mutex_lock(&kn->lock);
	pol = kipsec_policy_find(kn, &pp.key);
	if (pol)
		err = kipsec_policy_replace(kn, pol, &pp, &pol);
	else
		err = kipsec_policy_add(kn, &pp, false, &pol, info->extack);
	if (!err) {
		kipsec_event_policy(kn, pol, KIPSEC_CMD_POLICY_UPDATE);
		kipsec_echo_policy(info, kn, pol, KIPSEC_CMD_POLICY_UPDATE);
	}
	mutex_unlock(&kn->lock);
	return err;
}

int kipsec_nl_policy_get(struct sk_buff *skb, struct genl_info *info)
{
	struct kipsec_net *kn = kipsec_net(genl_info_net(info));
	struct nlattr *tb[KIPSEC_POL_A_MAX + 1];
	struct kipsec_policy *pol;
	int err;

	err = kipsec_parse_policy_nest(info, tb);
	if (err)
		return err;
	mutex_lock(&kn->lock);
	err = kipsec_find_policy(info, kn, tb, &pol);
	if (!err)
		err = kipsec_reply_policy(info, kn, pol, KIPSEC_CMD_POLICY_GET);
	mutex_unlock(&kn->lock);
	return err;
}

/*
 * Where a policy dump resumes in the direction cb->args[0]: at the policy
 * whose index is cb->args[1] - 1 (0: none) if it is still there, else
 * after the first cb->args[2] policies of the direction.
 */
static struct kipsec_policy *kipsec_dump_resume(struct kipsec_net *kn,
						struct netlink_callback *cb)
{
	unsigned long skip = cb->args[2];
	struct kipsec_policy *pol;

	pol = cb->args[1] ? xa_load(&kn->spd.pol_xa, cb->args[1] - 1) : NULL;
	if (pol && pol->key.dir == cb->args[0])
		return pol;
	pol = kipsec_policy_first(kn, cb->args[0]);
	while (pol && skip--)
		pol = kipsec_policy_next(pol);
	return pol;
}

/* Policies in lookup order, direction by direction (see the UAPI). */
int kipsec_nl_policy_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct kipsec_net *kn = kipsec_net(sock_net(skb->sk));
	struct kipsec_policy *pol;
	int ret = 0;

	mutex_lock(&kn->lock);
	for (; cb->args[0] < ARRAY_SIZE(kn->spd.by_rank); cb->args[0]++) {
		for (pol = kipsec_dump_resume(kn, cb); pol;
		     pol = kipsec_policy_next(pol)) {
			ret = kipsec_nl_dump_one(skb, cb, KIPSEC_CMD_POLICY_GET,
						 kipsec_fill_policy_of, pol, kn);
			if (ret < 0) {
				cb->args[1] = (unsigned long)pol->index + 1;
				goto out;
			}
			cb->args[2]++;
		}
		cb->args[1] = 0;
		cb->args[2] = 0;
	}
out:
	mutex_unlock(&kn->lock);
	if (ret < 0 && !skb->len)
		return -EMSGSIZE;
	return skb->len;
}

int kipsec_nl_policy_del(struct sk_buff *skb, struct genl_info *info)
{
	struct kipsec_net *kn = kipsec_net(genl_info_net(info));
	struct nlattr *tb[KIPSEC_POL_A_MAX + 1];
	struct kipsec_policy *pol;
	int err, inst = -1;

	err = kipsec_parse_policy_nest(info, tb);
	if (err)
		return err;
	mutex_lock(&kn->lock);
	err = kipsec_find_policy(info, kn, tb, &pol);
	if (err)
		goto out;
	if (tb[KIPSEC_POL_A_SA_SPI]) {
		inst = kipsec_policy_find_spi(kn, pol,
					      nla_get_u32(tb[KIPSEC_POL_A_SA_SPI]));
		if (inst < 0) {
			NL_SET_ERR_MSG(info->extack,
				       "no instance of this policy names that SPI");
			err = -ENOENT;
			goto out;
		}
	}
	if (inst >= 0 && kipsec_policy_instances(kn, pol) > 1) {
		/* The policy stays: listeners see what is left of it. */
		err = kipsec_policy_remove_inst(kn, pol, inst);
		if (!err)
			kipsec_event_policy(kn, pol, KIPSEC_CMD_POLICY_UPDATE);
	} else {
		/* The event shows the policy as it was before the removal. */
		kipsec_event_policy(kn, pol, KIPSEC_CMD_POLICY_DEL);
		kipsec_policy_remove(kn, pol);
	}
out:
	mutex_unlock(&kn->lock);
	return err;
}

int kipsec_nl_policy_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct kipsec_net *kn = kipsec_net(genl_info_net(info));

	mutex_lock(&kn->lock);
	kipsec_policy_flush(kn);
	kipsec_event_flush(kn, KIPSEC_CMD_POLICY_FLUSH, 0);
	mutex_unlock(&kn->lock);
	return 0;
}
