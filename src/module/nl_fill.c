// SPDX-License-Identifier: GPL-2.0
/*
 * SAs and policies as netlink attributes: what replies, dumps and events
 * carry (see the UAPI), and the address and selector attributes both ways. Shared by the
 * request handlers (nl_sa.c, nl_policy.c) and the event senders
 * (events.c), which therefore need not call each other.
 */
#include <net/genetlink.h>
#include "nl_fill.h"
#include "extack.h"
#include "sa_traffic.h"

int kipsec_nl_get_addr(const struct nlattr *attr, struct kipsec_addr *addr,
		       u8 *family, const char *what,
		       struct netlink_ext_ack *extack)
{
	char msg[96];
	u8 fam;

	switch (nla_len(attr)) {
	case 4:
		fam = KIPSEC_AF_INET;
		break;
	case 16:
		fam = KIPSEC_AF_INET6;
		break;
	default:
		snprintf(msg, sizeof(msg),
			 "the %s address must be 4 (IPv4) or 16 (IPv6) bytes, got %d",
			 what, nla_len(attr));
		kipsec_extack(extack, msg);
		return -EINVAL;
	}
	if (*family && *family != fam) {
		snprintf(msg, sizeof(msg),
			 "the %s address is not of the same family as the other addresses",
			 what);
		kipsec_extack(extack, msg);
		return -EINVAL;
	}
	*family = fam;
	memset(addr, 0, sizeof(*addr));
	nla_memcpy(addr->b, attr, sizeof(addr->b));
	return 0;
}

int kipsec_nl_put_addr(struct sk_buff *msg, int type,
		       const struct kipsec_addr *addr, u8 family)
{
	return nla_put(msg, type, family == KIPSEC_AF_INET ? 4 : 16, addr->b);
}

int kipsec_nl_get_sel(struct nlattr **tb, struct kipsec_sel *sel,
		      struct netlink_ext_ack *extack)
{
	enum kipsec_sel_part part;
	unsigned int bits;
	char msg[96];
	int err;

	memset(sel, 0, sizeof(*sel));
	if (!tb[KIPSEC_POL_A_SRC] || !tb[KIPSEC_POL_A_DST]) {
		NL_SET_ERR_MSG(extack,
			       "a selector needs source and destination (0.0.0.0/0 or ::/0 for any)");
		return -EINVAL;
	}
	err = kipsec_nl_get_addr(tb[KIPSEC_POL_A_SRC], &sel->src, &sel->family,
				 "selector source", extack);
	if (!err)
		err = kipsec_nl_get_addr(tb[KIPSEC_POL_A_DST], &sel->dst,
					 &sel->family, "selector destination",
					 extack);
	if (err)
		return err;
	bits = kipsec_af_bits(sel->family);
	sel->src_plen = tb[KIPSEC_POL_A_SRC_PLEN] ?
			nla_get_u8(tb[KIPSEC_POL_A_SRC_PLEN]) : bits;
	sel->dst_plen = tb[KIPSEC_POL_A_DST_PLEN] ?
			nla_get_u8(tb[KIPSEC_POL_A_DST_PLEN]) : bits;
	if (tb[KIPSEC_POL_A_PROTO]) {
		sel->proto = nla_get_u8(tb[KIPSEC_POL_A_PROTO]);
		sel->fields |= KIPSEC_SEL_PROTO;
	}
	if (tb[KIPSEC_POL_A_SPORT]) {
		sel->sport = nla_get_u16(tb[KIPSEC_POL_A_SPORT]);
		sel->fields |= KIPSEC_SEL_SPORT;
	}
	if (tb[KIPSEC_POL_A_DPORT]) {
		sel->dport = nla_get_u16(tb[KIPSEC_POL_A_DPORT]);
		sel->fields |= KIPSEC_SEL_DPORT;
	}
	if (tb[KIPSEC_POL_A_ICMP_TYPE]) {
		sel->icmp_type = nla_get_u8(tb[KIPSEC_POL_A_ICMP_TYPE]);
		sel->fields |= KIPSEC_SEL_ICMP_TYPE;
	}
	if (tb[KIPSEC_POL_A_ICMP_CODE]) {
		sel->icmp_code = nla_get_u8(tb[KIPSEC_POL_A_ICMP_CODE]);
		sel->fields |= KIPSEC_SEL_ICMP_CODE;
	}
	err = kipsec_sel_check(sel, msg, sizeof(msg), &part);
	if (err) {
		kipsec_extack(extack, msg);
		/* The prefix and its address: the address is always there. */
		if (part == KIPSEC_SEL_PART_SRC)
			NL_SET_BAD_ATTR(extack, tb[KIPSEC_POL_A_SRC]);
		else if (part == KIPSEC_SEL_PART_DST)
			NL_SET_BAD_ATTR(extack, tb[KIPSEC_POL_A_DST]);
	}
	return err;
}

int kipsec_nl_put_sel(struct sk_buff *msg, const struct kipsec_sel *sel)
{
	if (kipsec_nl_put_addr(msg, KIPSEC_POL_A_SRC, &sel->src, sel->family) ||
	    kipsec_nl_put_addr(msg, KIPSEC_POL_A_DST, &sel->dst, sel->family) ||
	    nla_put_u8(msg, KIPSEC_POL_A_SRC_PLEN, sel->src_plen) ||
	    nla_put_u8(msg, KIPSEC_POL_A_DST_PLEN, sel->dst_plen) ||
	    ((sel->fields & KIPSEC_SEL_PROTO) &&
	     nla_put_u8(msg, KIPSEC_POL_A_PROTO, sel->proto)) ||
	    ((sel->fields & KIPSEC_SEL_SPORT) &&
	     nla_put_u16(msg, KIPSEC_POL_A_SPORT, sel->sport)) ||
	    ((sel->fields & KIPSEC_SEL_DPORT) &&
	     nla_put_u16(msg, KIPSEC_POL_A_DPORT, sel->dport)) ||
	    ((sel->fields & KIPSEC_SEL_ICMP_TYPE) &&
	     nla_put_u8(msg, KIPSEC_POL_A_ICMP_TYPE, sel->icmp_type)) ||
	    ((sel->fields & KIPSEC_SEL_ICMP_CODE) &&
	     nla_put_u8(msg, KIPSEC_POL_A_ICMP_CODE, sel->icmp_code)))
		return -EMSGSIZE;
	return 0;
}

static int kipsec_put_sa_sel(struct sk_buff *msg, const struct kipsec_sel *sel)
{
	struct nlattr *nest;

	if (!sel->family)
		return 0;
	nest = nla_nest_start(msg, KIPSEC_SA_A_SELECTOR);
	if (!nest || kipsec_nl_put_sel(msg, sel))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int kipsec_put_alg(struct sk_buff *msg, int type, u16 id,
			  const u8 *key, u32 keylen, bool with_keys)
{
	struct nlattr *nest = nla_nest_start(msg, type);

	if (!nest || nla_put_u16(msg, KIPSEC_ALG_A_ID, id) ||
	    (with_keys && keylen && nla_put(msg, KIPSEC_ALG_A_KEY, keylen, key)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int kipsec_put_lifetime(struct sk_buff *msg, int type, u64 bytes,
			       u64 packets, u64 add_seconds, u64 use_seconds,
			       bool has_use)
{
	struct nlattr *nest = nla_nest_start(msg, type);

	if (!nest ||
	    nla_put_u64_64bit(msg, KIPSEC_LT_A_BYTES, bytes, KIPSEC_LT_A_PAD) ||
	    nla_put_u64_64bit(msg, KIPSEC_LT_A_PACKETS, packets,
			      KIPSEC_LT_A_PAD) ||
	    nla_put_u64_64bit(msg, KIPSEC_LT_A_ADD_SECONDS, add_seconds,
			      KIPSEC_LT_A_PAD) ||
	    (has_use && nla_put_u64_64bit(msg, KIPSEC_LT_A_USE_SECONDS,
					  use_seconds, KIPSEC_LT_A_PAD)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int kipsec_put_sa_stats(struct sk_buff *msg,
			       const struct kipsec_sa_stats *st)
{
	struct nlattr *nest = nla_nest_start(msg, KIPSEC_SA_A_STATS);

	if (!nest ||
	    nla_put_u64_64bit(msg, KIPSEC_SAS_A_PACKETS_IN, st->packets_in,
			      KIPSEC_SAS_A_PAD) ||
	    nla_put_u64_64bit(msg, KIPSEC_SAS_A_BYTES_IN, st->bytes_in,
			      KIPSEC_SAS_A_PAD) ||
	    nla_put_u64_64bit(msg, KIPSEC_SAS_A_PACKETS_OUT, st->packets_out,
			      KIPSEC_SAS_A_PAD) ||
	    nla_put_u64_64bit(msg, KIPSEC_SAS_A_BYTES_OUT, st->bytes_out,
			      KIPSEC_SAS_A_PAD) ||
	    nla_put_u64_64bit(msg, KIPSEC_SAS_A_REPLAY_DROPS, st->replay_drops,
			      KIPSEC_SAS_A_PAD) ||
	    nla_put_u64_64bit(msg, KIPSEC_SAS_A_INTEGRITY_FAILS,
			      st->integrity_fails, KIPSEC_SAS_A_PAD) ||
	    nla_put_u64_64bit(msg, KIPSEC_SAS_A_OTHER_DROPS, st->other_drops,
			      KIPSEC_SAS_A_PAD) ||
	    nla_put_u64_64bit(msg, KIPSEC_SAS_A_REPLAY_TOO_OLD,
			      st->replay_too_old, KIPSEC_SAS_A_PAD) ||
	    nla_put_u64_64bit(msg, KIPSEC_SAS_A_REPLAY_MAX_LAG,
			      st->replay_max_lag, KIPSEC_SAS_A_PAD))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

int kipsec_nl_fill_sa(struct sk_buff *msg, const struct kipsec_sa *sa,
		      bool with_keys)
{
	const struct kipsec_sa_params *p = &sa->p;
	time64_t now = kipsec_boottime_seconds();
	struct kipsec_sa_stats st;
	struct nlattr *nest;

	kipsec_sa_read_stats(sa, &st);
	nest = nla_nest_start(msg, KIPSEC_A_SA);
	if (!nest ||
	    nla_put_u8(msg, KIPSEC_SA_A_PROTO, p->proto) ||
	    nla_put_u32(msg, KIPSEC_SA_A_SPI, p->spi) ||
	    kipsec_nl_put_addr(msg, KIPSEC_SA_A_SRC, &p->src, p->family) ||
	    kipsec_nl_put_addr(msg, KIPSEC_SA_A_DST, &p->dst, p->family) ||
	    nla_put_u8(msg, KIPSEC_SA_A_MODE, p->mode) ||
	    nla_put_u32(msg, KIPSEC_SA_A_REQID, p->reqid) ||
	    nla_put_u8(msg, KIPSEC_SA_A_STATE, sa->state) ||
	    kipsec_put_sa_sel(msg, &p->sel) ||
	    (p->encap_dport &&
	     (nla_put_u16(msg, KIPSEC_SA_A_ENCAP_SPORT, p->encap_sport) ||
	      nla_put_u16(msg, KIPSEC_SA_A_ENCAP_DPORT, p->encap_dport))))
		return -EMSGSIZE;
	if (sa->state == KIPSEC_SA_LARVAL)
		goto done;
	if (nla_put_u32(msg, KIPSEC_SA_A_REPLAY_WINDOW, p->replay_window) ||
	    nla_put_u32(msg, KIPSEC_SA_A_FLAGS, p->flags) ||
	    nla_put_u8(msg, KIPSEC_SA_A_TUNNEL_DF, p->tunnel_df) ||
	    (p->algs.has_encr &&
	     kipsec_put_alg(msg, KIPSEC_SA_A_ENCR, p->algs.encr_id,
			    sa->encr_key, p->algs.encr_keylen, with_keys)) ||
	    (p->algs.has_integ &&
	     kipsec_put_alg(msg, KIPSEC_SA_A_INTEG, p->algs.integ_id,
			    sa->integ_key, p->algs.integ_keylen, with_keys)) ||
	    kipsec_put_lifetime(msg, KIPSEC_SA_A_LIFETIME_SOFT, p->soft.bytes,
				p->soft.packets, p->soft.add_seconds,
				p->soft.use_seconds, true) ||
	    kipsec_put_lifetime(msg, KIPSEC_SA_A_LIFETIME_HARD, p->hard.bytes,
				p->hard.packets, p->hard.add_seconds,
				p->hard.use_seconds, true) ||
	    kipsec_put_lifetime(msg, KIPSEC_SA_A_CURRENT,
				st.bytes_in + st.bytes_out,
				st.packets_in + st.packets_out,
				kipsec_seconds_since(sa->add_time, now),
				kipsec_seconds_since(sa->use_time, now),
				sa->use_time != 0) ||
	    nla_put_u64_64bit(msg, KIPSEC_SA_A_SEQ_OUT, sa->seq_out,
			      KIPSEC_SA_A_PAD) ||
	    nla_put_u64_64bit(msg, KIPSEC_SA_A_SEQ_IN,
			      sa->replay ? kipsec_replay_top(sa->replay) : 0,
			      KIPSEC_SA_A_PAD) ||
	    kipsec_put_sa_stats(msg, &st))
		return -EMSGSIZE;
done:
	nla_nest_end(msg, nest);
	return 0;
}

static int kipsec_put_tmpl(struct sk_buff *msg, const struct kipsec_tmpl *t)
{
	struct nlattr *nest = nla_nest_start(msg, KIPSEC_POL_A_TEMPLATE);

	if (!nest || nla_put_u8(msg, KIPSEC_TMPL_A_PROTO, t->proto) ||
	    nla_put_u8(msg, KIPSEC_TMPL_A_MODE, t->mode) ||
	    nla_put_u8(msg, KIPSEC_TMPL_A_LEVEL, t->level) ||
	    nla_put_u32(msg, KIPSEC_TMPL_A_REQID, t->reqid) ||
	    nla_put_u32(msg, KIPSEC_TMPL_A_SPI, t->spi))
		return -EMSGSIZE;
	if (t->mode == KIPSEC_MODE_TUNNEL &&
	    (kipsec_nl_put_addr(msg, KIPSEC_TMPL_A_SRC, &t->src, t->family) ||
	     kipsec_nl_put_addr(msg, KIPSEC_TMPL_A_DST, &t->dst, t->family)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/* The largest policy, in attributes: four instances of four IPv6 tunnels. */
static size_t kipsec_nl_policy_worst_size(void)
{
	size_t tmpl = nla_total_size(0) + 2 * nla_total_size(1) +
		      nla_total_size(1) + 2 * nla_total_size(4) +
		      2 * nla_total_size(16);
	size_t inst = nla_total_size(0) + KIPSEC_TEMPLATES_MAX * tmpl;
	size_t sel = 2 * nla_total_size(16) + 5 * nla_total_size(1) +
		     2 * nla_total_size(2);

	return nla_total_size(0) + nla_total_size(1) + sel +
	       nla_total_size(1) + 3 * nla_total_size(4) +
	       nla_total_size_64bit(8) + KIPSEC_POLICY_INSTANCES_MAX * inst;
}

/* Instances go out newest first, one KIPSEC_POL_A_TEMPLATES each. */
static int kipsec_put_insts(struct sk_buff *msg,
			    const struct kipsec_pol_insts *insts)
{
	unsigned int i, j;

	if (nla_put_u32(msg, KIPSEC_POL_A_INSTANCES, insts->n))
		return -EMSGSIZE;
	for (i = 0; i < insts->n; i++) {
		struct nlattr *nest = nla_nest_start(msg, KIPSEC_POL_A_TEMPLATES);

		if (!nest)
			return -EMSGSIZE;
		for (j = 0; j < insts->inst[i].ntmpl; j++)
			if (kipsec_put_tmpl(msg, &insts->inst[i].tmpl[j]))
				return -EMSGSIZE;
		nla_nest_end(msg, nest);
	}
	return 0;
}

int kipsec_nl_fill_policy(struct sk_buff *msg, const struct kipsec_net *kn,
			  const struct kipsec_policy *pol)
{
	time64_t use = READ_ONCE(pol->use_time);
	const struct kipsec_pol_insts *insts;
	struct nlattr *nest;

	/*
	 * Every message is allocated NLMSG_GOODSIZE: the stacking limit keeps
	 * the largest policy (and an ACQUIRE, which adds one SA's worth) well
	 * inside it.
	 */
	BUILD_BUG_ON(GENL_HDRLEN + kipsec_nl_policy_worst_size() + 256 >
		     NLMSG_GOODSIZE);
	/* Under kn->lock, or from the data path under rcu_read_lock(). */
	insts = rcu_dereference_check(pol->insts, lockdep_is_held(&kn->lock));
	nest = nla_nest_start(msg, KIPSEC_A_POLICY);
	if (!nest ||
	    nla_put_u8(msg, KIPSEC_POL_A_DIR, pol->key.dir) ||
	    kipsec_nl_put_sel(msg, &pol->key.sel) ||
	    nla_put_u8(msg, KIPSEC_POL_A_ACTION, pol->action) ||
	    nla_put_u32(msg, KIPSEC_POL_A_PRIORITY, pol->rank.priority) ||
	    nla_put_u32(msg, KIPSEC_POL_A_INDEX, pol->index) ||
	    (use && nla_put_u64_64bit(msg, KIPSEC_POL_A_IDLE_SECONDS,
				      kipsec_seconds_since(use,
							   kipsec_boottime_seconds()),
				      KIPSEC_POL_A_PAD)) ||
	    (insts && kipsec_put_insts(msg, insts)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}
