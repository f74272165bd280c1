// SPDX-License-Identifier: GPL-2.0
/* Netlink requests on SAs: parsing, validation, replies (see the UAPI). */
#include <linux/in.h>
#include "netlink.h"
#include "nl_reply.h"
#include "events.h"
#include "expire.h"
#include "sa_traffic.h"
#include "extack.h"

static const struct nla_policy kipsec_alg_nl_policy[KIPSEC_ALG_A_MAX + 1] = {
	[KIPSEC_ALG_A_ID] = { .type = NLA_U16 },
	[KIPSEC_ALG_A_KEY] = { .type = NLA_BINARY, .len = KIPSEC_KEY_MAX },
};

static const struct nla_policy kipsec_lt_nl_policy[KIPSEC_LT_A_MAX + 1] = {
	[KIPSEC_LT_A_PAD] = { .type = NLA_REJECT },
	[KIPSEC_LT_A_BYTES] = { .type = NLA_U64 },
	[KIPSEC_LT_A_PACKETS] = { .type = NLA_U64 },
	[KIPSEC_LT_A_ADD_SECONDS] = { .type = NLA_U64 },
	[KIPSEC_LT_A_USE_SECONDS] = { .type = NLA_U64 },
};

/* The policy selector attributes, and only those. */
static const struct nla_policy kipsec_sa_sel_nl_policy[KIPSEC_POL_A_MAX + 1] = {
	[KIPSEC_POL_A_DIR] = { .type = NLA_REJECT },
	KIPSEC_SEL_NL_POLICY,
	[KIPSEC_POL_A_ACTION ... KIPSEC_POL_A_MAX] = { .type = NLA_REJECT },
};

const struct nla_policy kipsec_sa_nl_policy[KIPSEC_SA_A_MAX + 1] = {
	[KIPSEC_SA_A_PAD] = { .type = NLA_REJECT },
	[KIPSEC_SA_A_PROTO] = NLA_POLICY_RANGE(NLA_U8, IPPROTO_ESP, IPPROTO_AH),
	/* 1-255 are reserved (RFC 4303 2.1), 0 is no SA. */
	[KIPSEC_SA_A_SPI] = NLA_POLICY_MIN(NLA_U32, 256),
	[KIPSEC_SA_A_SRC] = KIPSEC_ADDR_NL_POLICY,
	[KIPSEC_SA_A_DST] = KIPSEC_ADDR_NL_POLICY,
	[KIPSEC_SA_A_MODE] = NLA_POLICY_MAX(NLA_U8, KIPSEC_MODE_TUNNEL),
	[KIPSEC_SA_A_REQID] = { .type = NLA_U32 },
	[KIPSEC_SA_A_REPLAY_WINDOW] = { .type = NLA_U32 },
	[KIPSEC_SA_A_FLAGS] = NLA_POLICY_MASK(NLA_U32, KIPSEC_SA_F_ALL),
	[KIPSEC_SA_A_ENCR] = NLA_POLICY_NESTED(kipsec_alg_nl_policy),
	[KIPSEC_SA_A_INTEG] = NLA_POLICY_NESTED(kipsec_alg_nl_policy),
	[KIPSEC_SA_A_LIFETIME_SOFT] = NLA_POLICY_NESTED(kipsec_lt_nl_policy),
	[KIPSEC_SA_A_LIFETIME_HARD] = NLA_POLICY_NESTED(kipsec_lt_nl_policy),
	[KIPSEC_SA_A_TUNNEL_DF] = NLA_POLICY_MAX(NLA_U8, KIPSEC_DF_CLEAR),
	[KIPSEC_SA_A_SPI_MIN] = NLA_POLICY_MIN(NLA_U32, 256),
	[KIPSEC_SA_A_SPI_MAX] = { .type = NLA_U32 },
	/* Reply-only attributes are refused in requests. */
	[KIPSEC_SA_A_STATE] = { .type = NLA_REJECT },
	[KIPSEC_SA_A_CURRENT] = { .type = NLA_REJECT },
	[KIPSEC_SA_A_STATS] = { .type = NLA_REJECT },
	/* Starting points for a new SA (migration between gateways). */
	[KIPSEC_SA_A_SEQ_OUT] = { .type = NLA_U64 },
	[KIPSEC_SA_A_SEQ_IN] = { .type = NLA_U64 },
	[KIPSEC_SA_A_SELECTOR] = NLA_POLICY_NESTED(kipsec_sa_sel_nl_policy),
	[KIPSEC_SA_A_ENCAP_SPORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[KIPSEC_SA_A_ENCAP_DPORT] = NLA_POLICY_MIN(NLA_U16, 1),
};

/* What a request must name, per command. */
enum kipsec_sa_need {
	KIPSEC_SA_NEED_ID,	/* DST, SPI, PROTO */
	KIPSEC_SA_NEED_FULL,	/* ID, SRC, algorithms */
	KIPSEC_SA_NEED_ALLOC,	/* PROTO, SRC, DST */
};

static const char *const kipsec_sa_attr_names[KIPSEC_SA_A_MAX + 1] = {
	[KIPSEC_SA_A_PROTO] = "protocol (KIPSEC_SA_A_PROTO)",
	[KIPSEC_SA_A_SPI] = "SPI (KIPSEC_SA_A_SPI)",
	[KIPSEC_SA_A_SRC] = "source address (KIPSEC_SA_A_SRC)",
	[KIPSEC_SA_A_DST] = "destination address (KIPSEC_SA_A_DST)",
};

static int kipsec_sa_require(struct nlattr **tb, enum kipsec_sa_need need,
			     struct nlattr *nest, struct netlink_ext_ack *extack)
{
	static const int id[] = { KIPSEC_SA_A_DST, KIPSEC_SA_A_SPI,
				  KIPSEC_SA_A_PROTO };
	static const int full[] = { KIPSEC_SA_A_DST, KIPSEC_SA_A_SPI,
				    KIPSEC_SA_A_PROTO, KIPSEC_SA_A_SRC };
	static const int alloc[] = { KIPSEC_SA_A_PROTO, KIPSEC_SA_A_SRC,
				     KIPSEC_SA_A_DST };
	const int *list = need == KIPSEC_SA_NEED_ID ? id :
			  need == KIPSEC_SA_NEED_FULL ? full : alloc;
	unsigned int n = need == KIPSEC_SA_NEED_ID ? ARRAY_SIZE(id) :
			 need == KIPSEC_SA_NEED_FULL ? ARRAY_SIZE(full) :
			 ARRAY_SIZE(alloc);
	char msg[96];
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (tb[list[i]])
			continue;
		snprintf(msg, sizeof(msg), "the SA needs its %s",
			 kipsec_sa_attr_names[list[i]]);
		kipsec_extack(extack, msg);
		NL_SET_BAD_ATTR(extack, nest);
		return -EINVAL;
	}
	return 0;
}

static int kipsec_parse_alg(struct nlattr *attr, bool *has, u16 *id,
			    u32 *keylen, const u8 **key, const char *what,
			    struct netlink_ext_ack *extack)
{
	struct nlattr *tb[KIPSEC_ALG_A_MAX + 1];
	char msg[64];
	int err;

	err = nla_parse_nested(tb, KIPSEC_ALG_A_MAX, attr, kipsec_alg_nl_policy,
			       extack);
	if (err)
		return err;
	if (!tb[KIPSEC_ALG_A_ID]) {
		snprintf(msg, sizeof(msg), "the %s transform needs its ID", what);
		kipsec_extack(extack, msg);
		return -EINVAL;
	}
	*has = true;
	*id = nla_get_u16(tb[KIPSEC_ALG_A_ID]);
	*keylen = tb[KIPSEC_ALG_A_KEY] ? nla_len(tb[KIPSEC_ALG_A_KEY]) : 0;
	*key = tb[KIPSEC_ALG_A_KEY] ? nla_data(tb[KIPSEC_ALG_A_KEY]) : NULL;
	return 0;
}

static int kipsec_parse_lifetime(struct nlattr *attr,
				 struct kipsec_lifetime *lt,
				 struct netlink_ext_ack *extack)
{
	struct nlattr *tb[KIPSEC_LT_A_MAX + 1];
	int err;

	err = nla_parse_nested(tb, KIPSEC_LT_A_MAX, attr, kipsec_lt_nl_policy,
			       extack);
	if (err)
		return err;
	memset(lt, 0, sizeof(*lt));
	if (tb[KIPSEC_LT_A_BYTES])
		lt->bytes = nla_get_u64(tb[KIPSEC_LT_A_BYTES]);
	if (tb[KIPSEC_LT_A_PACKETS])
		lt->packets = nla_get_u64(tb[KIPSEC_LT_A_PACKETS]);
	if (tb[KIPSEC_LT_A_ADD_SECONDS])
		lt->add_seconds = nla_get_u64(tb[KIPSEC_LT_A_ADD_SECONDS]);
	if (tb[KIPSEC_LT_A_USE_SECONDS])
		lt->use_seconds = nla_get_u64(tb[KIPSEC_LT_A_USE_SECONDS]);
	return 0;
}

static int kipsec_parse_sa_sel(struct nlattr *attr, struct kipsec_sel *sel,
			       struct netlink_ext_ack *extack)
{
	struct nlattr *tb[KIPSEC_POL_A_MAX + 1];
	int err;

	err = nla_parse_nested(tb, KIPSEC_POL_A_MAX, attr,
			       kipsec_sa_sel_nl_policy, extack);
	return err ?: kipsec_nl_get_sel(tb, sel, extack);
}

struct kipsec_sa_req {
	struct nlattr *tb[KIPSEC_SA_A_MAX + 1];
	struct kipsec_sa_params p;
	const u8 *encr_key;
	const u8 *integ_key;
};

/* Parses KIPSEC_A_SA into @r: defaults first, then what the request says. */
static int kipsec_parse_sa(struct genl_info *info, enum kipsec_sa_need need,
			   struct kipsec_sa_req *r)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *nest = info->attrs[KIPSEC_A_SA];
	struct nlattr **tb = r->tb;
	struct kipsec_sa_params *p = &r->p;
	int err;

	memset(r, 0, sizeof(*r));
	if (!nest) {
		NL_SET_ERR_MSG(extack, "the request needs an SA (KIPSEC_A_SA)");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, KIPSEC_SA_A_MAX, nest, kipsec_sa_nl_policy,
			       extack);
	if (err)
		return err;
	err = kipsec_sa_require(tb, need, nest, extack);
	if (err)
		return err;

	p->proto = nla_get_u8(tb[KIPSEC_SA_A_PROTO]);
	p->algs.proto = p->proto;
	if (p->proto != IPPROTO_ESP && p->proto != IPPROTO_AH) {
		NL_SET_ERR_MSG_ATTR(extack, tb[KIPSEC_SA_A_PROTO],
				    "the SA protocol must be ESP (50) or AH (51)");
		return -EINVAL;
	}
	if (tb[KIPSEC_SA_A_DST]) {
		err = kipsec_nl_get_addr(tb[KIPSEC_SA_A_DST], &p->dst,
					 &p->family, "destination", extack);
		if (err)
			return err;
	}
	if (tb[KIPSEC_SA_A_SRC]) {
		err = kipsec_nl_get_addr(tb[KIPSEC_SA_A_SRC], &p->src,
					 &p->family, "source", extack);
		if (err)
			return err;
	}
	if (tb[KIPSEC_SA_A_SPI])
		p->spi = nla_get_u32(tb[KIPSEC_SA_A_SPI]);
	if (tb[KIPSEC_SA_A_MODE])
		p->mode = nla_get_u8(tb[KIPSEC_SA_A_MODE]);
	if (tb[KIPSEC_SA_A_REQID])
		p->reqid = nla_get_u32(tb[KIPSEC_SA_A_REQID]);
	if (tb[KIPSEC_SA_A_REPLAY_WINDOW])
		p->replay_window = nla_get_u32(tb[KIPSEC_SA_A_REPLAY_WINDOW]);
	if (tb[KIPSEC_SA_A_FLAGS])
		p->flags = nla_get_u32(tb[KIPSEC_SA_A_FLAGS]);
	if (tb[KIPSEC_SA_A_TUNNEL_DF])
		p->tunnel_df = nla_get_u8(tb[KIPSEC_SA_A_TUNNEL_DF]);
	if (tb[KIPSEC_SA_A_SEQ_OUT])
		p->seq_out = nla_get_u64(tb[KIPSEC_SA_A_SEQ_OUT]);
	if (tb[KIPSEC_SA_A_SEQ_IN])
		p->seq_in = nla_get_u64(tb[KIPSEC_SA_A_SEQ_IN]);
	if (tb[KIPSEC_SA_A_ENCAP_SPORT])
		p->encap_sport = nla_get_u16(tb[KIPSEC_SA_A_ENCAP_SPORT]);
	if (tb[KIPSEC_SA_A_ENCAP_DPORT])
		p->encap_dport = nla_get_u16(tb[KIPSEC_SA_A_ENCAP_DPORT]);
	if (tb[KIPSEC_SA_A_ENCR]) {
		err = kipsec_parse_alg(tb[KIPSEC_SA_A_ENCR], &p->algs.has_encr,
				       &p->algs.encr_id, &p->algs.encr_keylen,
				       &r->encr_key, "encryption", extack);
		if (err)
			return err;
	}
	if (tb[KIPSEC_SA_A_INTEG]) {
		err = kipsec_parse_alg(tb[KIPSEC_SA_A_INTEG],
				       &p->algs.has_integ, &p->algs.integ_id,
				       &p->algs.integ_keylen, &r->integ_key,
				       "integrity", extack);
		if (err)
			return err;
	}
	if (tb[KIPSEC_SA_A_LIFETIME_SOFT]) {
		err = kipsec_parse_lifetime(tb[KIPSEC_SA_A_LIFETIME_SOFT],
					    &p->soft, extack);
		if (err)
			return err;
	}
	if (tb[KIPSEC_SA_A_LIFETIME_HARD]) {
		err = kipsec_parse_lifetime(tb[KIPSEC_SA_A_LIFETIME_HARD],
					    &p->hard, extack);
		if (err)
			return err;
	}
	if (tb[KIPSEC_SA_A_SELECTOR]) {
		err = kipsec_parse_sa_sel(tb[KIPSEC_SA_A_SELECTOR], &p->sel,
					  extack);
		if (err)
			return err;
	}
	if (!tb[KIPSEC_SA_A_REPLAY_WINDOW])
		p->replay_window = kipsec_algs_default_replay_window(&p->algs);
	return 0;
}

/* The attribute that sets each part of an SA the core's checks can blame. */
static const int kipsec_sa_field_attr[] = {
	[KIPSEC_SA_FIELD_PROTO] = KIPSEC_SA_A_PROTO,
	[KIPSEC_SA_FIELD_SPI] = KIPSEC_SA_A_SPI,
	[KIPSEC_SA_FIELD_ADDRS] = KIPSEC_SA_A_DST,
	[KIPSEC_SA_FIELD_MODE] = KIPSEC_SA_A_MODE,
	[KIPSEC_SA_FIELD_REPLAY] = KIPSEC_SA_A_REPLAY_WINDOW,
	[KIPSEC_SA_FIELD_FLAGS] = KIPSEC_SA_A_FLAGS,
	[KIPSEC_SA_FIELD_DF] = KIPSEC_SA_A_TUNNEL_DF,
	[KIPSEC_SA_FIELD_SEQ] = KIPSEC_SA_A_SEQ_OUT,
	[KIPSEC_SA_FIELD_LIFETIME] = KIPSEC_SA_A_LIFETIME_SOFT,
	[KIPSEC_SA_FIELD_ENCR] = KIPSEC_SA_A_ENCR,
	[KIPSEC_SA_FIELD_ENCR_KEY] = KIPSEC_SA_A_ENCR,
	[KIPSEC_SA_FIELD_INTEG] = KIPSEC_SA_A_INTEG,
	[KIPSEC_SA_FIELD_INTEG_KEY] = KIPSEC_SA_A_INTEG,
	[KIPSEC_SA_FIELD_SELECTOR] = KIPSEC_SA_A_SELECTOR,
	[KIPSEC_SA_FIELD_ENCAP] = KIPSEC_SA_A_ENCAP_SPORT,
};

/* The core's rules; a refusal points at the attribute it is about. */
static int kipsec_check_sa_params(const struct kipsec_sa_req *r,
				  struct netlink_ext_ack *extack)
{
	enum kipsec_sa_field field = KIPSEC_SA_FIELD_PROTO;
	char msg[160];
	int err;

	err = kipsec_sa_params_check(&r->p, msg, sizeof(msg), &field);
	if (!err)
		return 0;
	kipsec_extack(extack, msg);
	if (field < ARRAY_SIZE(kipsec_sa_field_attr))
		NL_SET_BAD_ATTR(extack, r->tb[kipsec_sa_field_attr[field]]);
	return err;
}

static int kipsec_fill_sa_with_keys(struct sk_buff *msg, const void *sa,
				    const void *arg)
{
	return kipsec_nl_fill_sa(msg, sa, *(const bool *)arg);
}

/* Replies to the requester with one SA. */
static int kipsec_reply_sa(struct genl_info *info, const struct kipsec_sa *sa,
			   u8 cmd, bool with_keys)
{
	return kipsec_nl_reply(info, cmd, kipsec_fill_sa_with_keys, sa,
			       &with_keys);
}

static struct kipsec_sa *kipsec_find_sa(struct kipsec_net *kn,
					const struct kipsec_sa_params *p,
					struct netlink_ext_ack *extack)
{
	struct kipsec_sa_id id;
	struct kipsec_sa *sa;

	kipsec_sa_id_from_params(&id, p);
	sa = kipsec_sa_lookup(kn, &id);
	if (!sa)
		NL_SET_ERR_MSG(extack,
			       "no SA with this destination, SPI and protocol");
	return sa;
}

int kipsec_nl_sa_new(struct sk_buff *skb, struct genl_info *info)
{
	struct kipsec_net *kn = kipsec_net(genl_info_net(info));
	struct kipsec_sa_req r;
	struct kipsec_sa *sa;
	int err;

	err = kipsec_parse_sa(info, KIPSEC_SA_NEED_FULL, &r);
	if (!err)
		err = kipsec_check_sa_params(&r, info->extack);
	if (err)
		return err;
	mutex_lock(&kn->lock);
	err = kipsec_sa_add(kn, &r.p, r.encr_key, r.integ_key, &sa,
			    info->extack);
	if (!err) {
		kipsec_event_sa(kn, sa, KIPSEC_CMD_SA_NEW);
		kipsec_expire_check(kn, sa);
	}
	mutex_unlock(&kn->lock);
	return err;
}

/* What may change on an established SA: lifetimes and the tunnel DF bit. */
static int kipsec_update_mature(struct kipsec_net *kn, struct kipsec_sa *sa,
				struct kipsec_sa_req *r,
				struct netlink_ext_ack *extack)
{
	static const int fixed[] = { KIPSEC_SA_A_SRC, KIPSEC_SA_A_MODE,
				     KIPSEC_SA_A_REQID, KIPSEC_SA_A_FLAGS,
				     KIPSEC_SA_A_REPLAY_WINDOW,
				     KIPSEC_SA_A_ENCR, KIPSEC_SA_A_INTEG,
				     KIPSEC_SA_A_SEQ_OUT, KIPSEC_SA_A_SEQ_IN,
				     KIPSEC_SA_A_SELECTOR,
				     KIPSEC_SA_A_ENCAP_SPORT,
				     KIPSEC_SA_A_ENCAP_DPORT };
	struct kipsec_lifetime soft = sa->p.soft, hard = sa->p.hard;
	const char *which;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fixed); i++) {
		if (!r->tb[fixed[i]])
			continue;
		NL_SET_ERR_MSG_ATTR(extack, r->tb[fixed[i]],
				    "only the lifetimes and tunnel DF of an established SA can change; add a new SA to rekey");
		return -EINVAL;
	}
	if (r->tb[KIPSEC_SA_A_LIFETIME_SOFT])
		soft = r->p.soft;
	if (r->tb[KIPSEC_SA_A_LIFETIME_HARD])
		hard = r->p.hard;
	if (!kipsec_lifetime_soft_below_hard(&soft, &hard, &which)) {
		NL_SET_ERR_MSG(extack, "the soft lifetime must not exceed the hard one");
		return -EINVAL;
	}
	sa->p.soft = soft;
	sa->p.hard = hard;
	if (r->tb[KIPSEC_SA_A_LIFETIME_SOFT])
		sa->soft_expired = false;
	if (r->tb[KIPSEC_SA_A_TUNNEL_DF])
		WRITE_ONCE(sa->p.tunnel_df, r->p.tunnel_df);
	/* New byte or packet limits count what the SA already carried. */
	kipsec_sa_charge_sync(sa);
	kipsec_event_sa(kn, sa, KIPSEC_CMD_SA_UPDATE);
	kipsec_expire_check(kn, sa);
	return 0;
}

int kipsec_nl_sa_update(struct sk_buff *skb, struct genl_info *info)
{
	struct kipsec_net *kn = kipsec_net(genl_info_net(info));
	struct kipsec_sa *sa, *done;
	struct kipsec_sa_req r;
	int err;

	err = kipsec_parse_sa(info, KIPSEC_SA_NEED_ID, &r);
	if (err)
		return err;
	mutex_lock(&kn->lock);
	sa = kipsec_find_sa(kn, &r.p, info->extack);
	if (!sa) {
		err = -ENOENT;
	} else if (sa->state != KIPSEC_SA_LARVAL) {
		err = kipsec_update_mature(kn, sa, &r, info->extack);
	} else {
		/* The reservation's source and reqid hold unless restated. */
		if (!r.tb[KIPSEC_SA_A_SRC])
			r.p.src = sa->p.src;
		if (!r.tb[KIPSEC_SA_A_REQID])
			r.p.reqid = sa->p.reqid;
		err = kipsec_check_sa_params(&r, info->extack);
		if (!err)
			err = kipsec_sa_complete_larval(kn, sa, &r.p,
							r.encr_key,
							r.integ_key, &done,
							info->extack);
		if (!err) {
			kipsec_event_sa(kn, done, KIPSEC_CMD_SA_UPDATE);
			kipsec_expire_check(kn, done);
		}
	}
	mutex_unlock(&kn->lock);
	return err;
}

int kipsec_nl_sa_get(struct sk_buff *skb, struct genl_info *info)
{
	struct kipsec_net *kn = kipsec_net(genl_info_net(info));
	struct kipsec_sa_req r;
	struct kipsec_sa *sa;
	int err;

	if (info->attrs[KIPSEC_A_SA_PROTO_FILTER]) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[KIPSEC_A_SA_PROTO_FILTER],
				    "the protocol filter is for dumps: one SA is named by DST, SPI and PROTO");
		return -EINVAL;
	}
	err = kipsec_parse_sa(info, KIPSEC_SA_NEED_ID, &r);
	if (err)
		return err;
	mutex_lock(&kn->lock);
	sa = kipsec_find_sa(kn, &r.p, info->extack);
	err = sa ? kipsec_reply_sa(info, sa, KIPSEC_CMD_SA_GET,
				   !info->attrs[KIPSEC_A_SA_NO_KEYS]) : -ENOENT;
	mutex_unlock(&kn->lock);
	return err;
}

struct kipsec_sa_dump {
	u8 proto;		/* 0: every protocol */
	bool with_keys;
};

static int kipsec_fill_dumped_sa(struct sk_buff *msg, const void *obj,
				 const void *arg)
{
	const struct kipsec_sa_dump *d = arg;
	const struct kipsec_sa *sa = obj;

	if (d->proto && sa->p.proto != d->proto)
		return 1;
	return kipsec_nl_fill_sa(msg, sa, d->with_keys);
}

int kipsec_nl_sa_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr **attrs = kipsec_dump_attrs(cb);
	struct nlattr *filter = attrs[KIPSEC_A_SA_PROTO_FILTER];
	struct kipsec_net *kn = kipsec_net(sock_net(skb->sk));
	struct kipsec_sa_dump d = {
		.proto = filter ? nla_get_u8(filter) : 0,
		.with_keys = !attrs[KIPSEC_A_SA_NO_KEYS],
	};

	return kipsec_nl_dump_xa(skb, cb, &kn->lock, &kn->sad.sa_xa,
				 KIPSEC_CMD_SA_GET, kipsec_fill_dumped_sa, &d);
}

int kipsec_nl_sa_del(struct sk_buff *skb, struct genl_info *info)
{
	struct kipsec_net *kn = kipsec_net(genl_info_net(info));
	struct kipsec_sa_req r;
	struct kipsec_sa *sa;
	int err;

	err = kipsec_parse_sa(info, KIPSEC_SA_NEED_ID, &r);
	if (err)
		return err;
	mutex_lock(&kn->lock);
	sa = kipsec_find_sa(kn, &r.p, info->extack);
	if (sa) {
		kipsec_event_sa(kn, sa, KIPSEC_CMD_SA_DEL);
		kipsec_sa_remove(kn, sa);
	}
	mutex_unlock(&kn->lock);
	return sa ? 0 : -ENOENT;
}

int kipsec_nl_sa_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct kipsec_net *kn = kipsec_net(genl_info_net(info));
	struct nlattr *filter = info->attrs[KIPSEC_A_SA_PROTO_FILTER];
	u8 proto = filter ? nla_get_u8(filter) : 0;	/* ESP or AH: policy */

	mutex_lock(&kn->lock);
	kipsec_sa_flush(kn, proto);
	kipsec_event_flush(kn, KIPSEC_CMD_SA_FLUSH, proto);
	mutex_unlock(&kn->lock);
	return 0;
}

int kipsec_nl_sa_alloc_spi(struct sk_buff *skb, struct genl_info *info)
{
	struct kipsec_net *kn = kipsec_net(genl_info_net(info));
	u32 spi_min = 256, spi_max = U32_MAX;
	struct kipsec_sa_req r;
	struct kipsec_sa *sa;
	int err;

	err = kipsec_parse_sa(info, KIPSEC_SA_NEED_ALLOC, &r);
	if (err)
		return err;
	if (r.tb[KIPSEC_SA_A_SPI_MIN])
		spi_min = nla_get_u32(r.tb[KIPSEC_SA_A_SPI_MIN]);
	if (r.tb[KIPSEC_SA_A_SPI_MAX])
		spi_max = nla_get_u32(r.tb[KIPSEC_SA_A_SPI_MAX]);
	if (spi_min < 256 || spi_min > spi_max) {
		NL_SET_ERR_MSG(info->extack,
			       "the SPI range must lie within 256 .. 2^32-1 with min <= max");
		return -EINVAL;
	}
	mutex_lock(&kn->lock);
	err = kipsec_sa_alloc_spi(kn, &r.p, spi_min, spi_max, &sa,
				  info->extack);
	/* A larval SA lapses by the scan, like any other. */
	if (!err) {
		/*
		 * The reply is the command's result: when it cannot reach
		 * the requester, no SPI stays reserved for nobody.
		 */
		err = kipsec_reply_sa(info, sa, KIPSEC_CMD_SA_ALLOC_SPI, false);
		if (err) {
			kipsec_sa_remove(kn, sa);
		} else {
			/* Listeners learn of it before its update or expiry. */
			kipsec_event_sa(kn, sa, KIPSEC_CMD_SA_NEW);
			kipsec_expire_check(kn, sa);
		}
	}
	mutex_unlock(&kn->lock);
	return err;
}
