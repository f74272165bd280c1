// SPDX-License-Identifier: GPL-2.0
/* Reading SAs and policies out of kipsec netlink messages. */
#include <errno.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include "algs.h"
#include "ops_decode.h"

struct table {
	const struct nlattr **tb;
	unsigned int max;
};

static int table_cb(const struct nlattr *attr, void *data)
{
	struct table *t = data;
	unsigned int type = mnl_attr_get_type(attr);

	if (type <= t->max)
		t->tb[type] = attr;
	return MNL_CB_OK;
}

static void parse_nested(const struct nlattr *nest, const struct nlattr **tb,
			 unsigned int max)
{
	struct table t = { tb, max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	mnl_attr_parse_nested(nest, table_cb, &t);
}

void kipsec_msg_attrs(const struct nlmsghdr *nlh,
		      const struct nlattr *tb[KIPSEC_A_MAX + 1])
{
	struct table t = { tb, KIPSEC_A_MAX };

	memset(tb, 0, (KIPSEC_A_MAX + 1) * sizeof(*tb));
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), table_cb, &t);
}

/* Each getter: false if @a is absent; *bad set if it is malformed. */
static bool get_u8(const struct nlattr *a, u8 *v, bool *bad)
{
	if (!a)
		return false;
	if (mnl_attr_get_payload_len(a) != 1) {
		*bad = true;
		return false;
	}
	*v = mnl_attr_get_u8(a);
	return true;
}

static bool get_u16(const struct nlattr *a, u16 *v, bool *bad)
{
	if (!a)
		return false;
	if (mnl_attr_get_payload_len(a) != 2) {
		*bad = true;
		return false;
	}
	*v = mnl_attr_get_u16(a);
	return true;
}

static bool get_u32(const struct nlattr *a, u32 *v, bool *bad)
{
	if (!a)
		return false;
	if (mnl_attr_get_payload_len(a) != 4) {
		*bad = true;
		return false;
	}
	*v = mnl_attr_get_u32(a);
	return true;
}

static bool get_u64(const struct nlattr *a, u64 *v, bool *bad)
{
	if (!a)
		return false;
	if (mnl_attr_get_payload_len(a) != 8) {
		*bad = true;
		return false;
	}
	*v = mnl_attr_get_u64(a);
	return true;
}

static bool get_addr(const struct nlattr *a, struct kipsec_ip *addr,
		     bool *bad)
{
	uint16_t len;

	if (!a)
		return false;
	len = mnl_attr_get_payload_len(a);
	if (len != 4 && len != 16) {
		*bad = true;
		return false;
	}
	addr->family = len == 4 ? AF_INET : AF_INET6;
	memcpy(addr->bytes, mnl_attr_get_payload(a), len);
	return true;
}

static bool get_nested(const struct nlattr *a, bool *bad)
{
	if (!a)
		return false;
	if (mnl_attr_validate(a, MNL_TYPE_NESTED)) {
		*bad = true;
		return false;
	}
	return true;
}

static void decode_alg(const struct nlattr *nest, struct kipsec_alg_key *k,
		       bool *bad)
{
	const struct nlattr *tb[KIPSEC_ALG_A_MAX + 1];
	uint16_t len;

	if (!get_nested(nest, bad))
		return;
	parse_nested(nest, tb, KIPSEC_ALG_A_MAX);
	k->present = get_u16(tb[KIPSEC_ALG_A_ID], &k->id, bad);
	if (tb[KIPSEC_ALG_A_KEY]) {
		len = mnl_attr_get_payload_len(tb[KIPSEC_ALG_A_KEY]);
		if (len > KIPSEC_KEY_MAX) {
			*bad = true;
			return;
		}
		memcpy(k->key, mnl_attr_get_payload(tb[KIPSEC_ALG_A_KEY]), len);
		k->keylen = (u8)len;
	}
	/* events never carry keys; null has none to carry */
	k->key_known = tb[KIPSEC_ALG_A_KEY] || k->id == KIPSEC_ENCR_NULL;
}

/* Returns whether the nest was there; @used: USE_SECONDS was in it. */
static bool decode_lifetime(const struct nlattr *nest,
			    struct kipsec_lifetime *lt, bool *used, bool *bad)
{
	const struct nlattr *tb[KIPSEC_LT_A_MAX + 1];
	bool use;

	if (!get_nested(nest, bad))
		return false;
	parse_nested(nest, tb, KIPSEC_LT_A_MAX);
	get_u64(tb[KIPSEC_LT_A_BYTES], &lt->bytes, bad);
	get_u64(tb[KIPSEC_LT_A_PACKETS], &lt->packets, bad);
	get_u64(tb[KIPSEC_LT_A_ADD_SECONDS], &lt->add_seconds, bad);
	use = get_u64(tb[KIPSEC_LT_A_USE_SECONDS], &lt->use_seconds, bad);
	if (used)
		*used = use;
	return true;
}

static bool decode_stats(const struct nlattr *nest, struct kipsec_sa_stats *st,
			 bool *bad)
{
	const struct nlattr *tb[KIPSEC_SAS_A_MAX + 1];

	if (!get_nested(nest, bad))
		return false;
	parse_nested(nest, tb, KIPSEC_SAS_A_MAX);
	get_u64(tb[KIPSEC_SAS_A_PACKETS_IN], &st->packets_in, bad);
	get_u64(tb[KIPSEC_SAS_A_BYTES_IN], &st->bytes_in, bad);
	get_u64(tb[KIPSEC_SAS_A_PACKETS_OUT], &st->packets_out, bad);
	get_u64(tb[KIPSEC_SAS_A_BYTES_OUT], &st->bytes_out, bad);
	get_u64(tb[KIPSEC_SAS_A_REPLAY_DROPS], &st->replay_drops, bad);
	get_u64(tb[KIPSEC_SAS_A_INTEGRITY_FAILS], &st->integrity_fails, bad);
	get_u64(tb[KIPSEC_SAS_A_OTHER_DROPS], &st->other_drops, bad);
	get_u64(tb[KIPSEC_SAS_A_REPLAY_TOO_OLD], &st->replay_too_old, bad);
	get_u64(tb[KIPSEC_SAS_A_REPLAY_MAX_LAG], &st->replay_max_lag, bad);
	return true;
}

/* The selector attributes of a policy, or of an SA's KIPSEC_SA_A_SELECTOR. */
static void decode_selector(const struct nlattr **tb,
			    struct kipsec_selector *sel, bool *bad)
{
	get_addr(tb[KIPSEC_POL_A_SRC], &sel->src, bad);
	get_addr(tb[KIPSEC_POL_A_DST], &sel->dst, bad);
	if (!get_u8(tb[KIPSEC_POL_A_SRC_PLEN], &sel->src_plen, bad))
		sel->src_plen = sel->src.family == AF_INET ? 32 : 128;
	if (!get_u8(tb[KIPSEC_POL_A_DST_PLEN], &sel->dst_plen, bad))
		sel->dst_plen = sel->dst.family == AF_INET ? 32 : 128;
	sel->has_proto = get_u8(tb[KIPSEC_POL_A_PROTO], &sel->proto, bad);
	sel->has_sport = get_u16(tb[KIPSEC_POL_A_SPORT], &sel->sport, bad);
	sel->has_dport = get_u16(tb[KIPSEC_POL_A_DPORT], &sel->dport, bad);
	sel->has_icmp_type = get_u8(tb[KIPSEC_POL_A_ICMP_TYPE],
				    &sel->icmp_type, bad);
	sel->has_icmp_code = get_u8(tb[KIPSEC_POL_A_ICMP_CODE],
				    &sel->icmp_code, bad);
}

static bool decode_sa_selector(const struct nlattr *nest,
			       struct kipsec_selector *sel, bool *bad)
{
	const struct nlattr *tb[KIPSEC_POL_A_MAX + 1];

	if (!get_nested(nest, bad))
		return false;
	parse_nested(nest, tb, KIPSEC_POL_A_MAX);
	decode_selector(tb, sel, bad);
	return true;
}

/* The UAPI sends both ports or neither; one alone is a malformed SA. */
static void decode_encap(const struct nlattr **tb, struct kipsec_sa *sa,
			 bool *bad)
{
	bool sport = get_u16(tb[KIPSEC_SA_A_ENCAP_SPORT], &sa->encap_sport, bad);
	bool dport = get_u16(tb[KIPSEC_SA_A_ENCAP_DPORT], &sa->encap_dport, bad);

	if (sport != dport)
		*bad = true;
	sa->has_encap = sport && dport;
}

int kipsec_decode_sa(const struct nlattr *nest, struct kipsec_sa *sa)
{
	const struct nlattr *tb[KIPSEC_SA_A_MAX + 1];
	bool bad = false;

	memset(sa, 0, sizeof(*sa));
	if (!get_nested(nest, &bad))
		return -EBADMSG;
	parse_nested(nest, tb, KIPSEC_SA_A_MAX);
	get_u8(tb[KIPSEC_SA_A_PROTO], &sa->proto, &bad);
	get_u32(tb[KIPSEC_SA_A_SPI], &sa->spi, &bad);
	get_addr(tb[KIPSEC_SA_A_SRC], &sa->src, &bad);
	get_addr(tb[KIPSEC_SA_A_DST], &sa->dst, &bad);
	sa->mode_set = get_u8(tb[KIPSEC_SA_A_MODE], &sa->mode, &bad);
	get_u32(tb[KIPSEC_SA_A_REQID], &sa->reqid, &bad);
	sa->replay_set = get_u32(tb[KIPSEC_SA_A_REPLAY_WINDOW],
				 &sa->replay_window, &bad);
	get_u32(tb[KIPSEC_SA_A_FLAGS], &sa->flags, &bad);
	sa->df_set = get_u8(tb[KIPSEC_SA_A_TUNNEL_DF], &sa->df, &bad);
	decode_alg(tb[KIPSEC_SA_A_ENCR], &sa->encr, &bad);
	decode_alg(tb[KIPSEC_SA_A_INTEG], &sa->integ, &bad);
	decode_lifetime(tb[KIPSEC_SA_A_LIFETIME_SOFT], &sa->soft, NULL, &bad);
	decode_lifetime(tb[KIPSEC_SA_A_LIFETIME_HARD], &sa->hard, NULL, &bad);
	get_u32(tb[KIPSEC_SA_A_SPI_MIN], &sa->spi_min, &bad);
	get_u32(tb[KIPSEC_SA_A_SPI_MAX], &sa->spi_max, &bad);
	sa->has_state = get_u8(tb[KIPSEC_SA_A_STATE], &sa->state, &bad);
	sa->has_current = decode_lifetime(tb[KIPSEC_SA_A_CURRENT], &sa->current,
					  &sa->used, &bad);
	sa->has_seq = get_u64(tb[KIPSEC_SA_A_SEQ_OUT], &sa->seq_out, &bad);
	sa->has_seq |= get_u64(tb[KIPSEC_SA_A_SEQ_IN], &sa->seq_in, &bad);
	sa->has_stats = decode_stats(tb[KIPSEC_SA_A_STATS], &sa->stats, &bad);
	sa->has_sel = decode_sa_selector(tb[KIPSEC_SA_A_SELECTOR], &sa->sel,
					 &bad);
	decode_encap(tb, sa, &bad);
	return bad ? -EBADMSG : 0;
}

static void decode_template(const struct nlattr *nest, struct kipsec_tmpl *t,
			    bool *bad)
{
	const struct nlattr *tb[KIPSEC_TMPL_A_MAX + 1];

	memset(t, 0, sizeof(*t));
	t->level = KIPSEC_LEVEL_REQUIRE;	/* the UAPI's default */
	if (!get_nested(nest, bad))
		return;
	parse_nested(nest, tb, KIPSEC_TMPL_A_MAX);
	get_u8(tb[KIPSEC_TMPL_A_PROTO], &t->proto, bad);
	get_u8(tb[KIPSEC_TMPL_A_MODE], &t->mode, bad);
	get_addr(tb[KIPSEC_TMPL_A_SRC], &t->src, bad);
	get_addr(tb[KIPSEC_TMPL_A_DST], &t->dst, bad);
	get_u8(tb[KIPSEC_TMPL_A_LEVEL], &t->level, bad);
	get_u32(tb[KIPSEC_TMPL_A_REQID], &t->reqid, bad);
	get_u32(tb[KIPSEC_TMPL_A_SPI], &t->spi, bad);
}

static void decode_instance(const struct nlattr *nest, u8 *n,
			    struct kipsec_tmpl *tmpl, bool *bad)
{
	const struct nlattr *t;

	mnl_attr_for_each_nested(t, nest) {
		if (mnl_attr_get_type(t) != KIPSEC_POL_A_TEMPLATE)
			continue;
		if (*n == KIPSEC_TEMPLATES_MAX) {
			*bad = true;
			return;
		}
		decode_template(t, &tmpl[(*n)++], bad);
	}
}

int kipsec_decode_policy(const struct nlattr *nest, struct kipsec_policy *pol)
{
	const struct nlattr *tb[KIPSEC_POL_A_MAX + 1];
	const struct nlattr *inst;
	unsigned int n_inst = 0;
	bool bad = false;

	memset(pol, 0, sizeof(*pol));
	if (!get_nested(nest, &bad))
		return -EBADMSG;
	parse_nested(nest, tb, KIPSEC_POL_A_MAX);
	get_u8(tb[KIPSEC_POL_A_DIR], &pol->dir, &bad);
	decode_selector(tb, &pol->sel, &bad);
	pol->has_action = get_u8(tb[KIPSEC_POL_A_ACTION], &pol->action, &bad);
	get_u32(tb[KIPSEC_POL_A_PRIORITY], &pol->priority, &bad);
	pol->has_index = get_u32(tb[KIPSEC_POL_A_INDEX], &pol->index, &bad);
	get_u32(tb[KIPSEC_POL_A_INSTANCES], &pol->instances, &bad);
	pol->has_idle = get_u64(tb[KIPSEC_POL_A_IDLE_SECONDS],
				&pol->idle_seconds, &bad);
	/* One TEMPLATES per instance, newest first: that one is the policy's. */
	mnl_attr_for_each_nested(inst, nest) {
		if (mnl_attr_get_type(inst) != KIPSEC_POL_A_TEMPLATES ||
		    !get_nested(inst, &bad))
			continue;
		if (n_inst == 0) {
			decode_instance(inst, &pol->n_tmpl, pol->tmpl, &bad);
		} else if (pol->n_older < KIPSEC_POLICY_INSTANCES_MAX - 1) {
			struct kipsec_instance *o = &pol->older[pol->n_older++];

			decode_instance(inst, &o->n_tmpl, o->tmpl, &bad);
		} else {
			bad = true;
		}
		n_inst++;
	}
	return bad ? -EBADMSG : 0;
}

int kipsec_decode_mapping(const struct nlattr *tb[KIPSEC_A_MAX + 1],
			  struct kipsec_ip *addr, u16 *port)
{
	const struct nlattr *a = tb[KIPSEC_A_MAPPING_ADDR];
	const struct nlattr *p = tb[KIPSEC_A_MAPPING_PORT];
	uint16_t len;

	if (!a || !p || mnl_attr_validate(p, MNL_TYPE_U16) < 0)
		return -EBADMSG;
	len = mnl_attr_get_payload_len(a);
	if (len != 4 && len != 16)
		return -EBADMSG;
	memset(addr, 0, sizeof(*addr));
	addr->family = len == 4 ? AF_INET : AF_INET6;
	memcpy(addr->bytes, mnl_attr_get_payload(a), len);
	*port = mnl_attr_get_u16(p);
	return 0;
}
