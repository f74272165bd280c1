// SPDX-License-Identifier: GPL-2.0
/*
 * Operations as kipsec netlink requests. What is left unset in the
 * structure is left out, so the kernel applies its documented defaults
 * (transport mode, a 1024-packet replay window, no lifetime limits).
 */
#include <netinet/in.h>
#include <sys/socket.h>
#include "ops_encode.h"

static void put_addr(struct nlmsghdr *nlh, uint16_t type,
		     const struct kipsec_ip *a)
{
	if (a->family)
		mnl_attr_put(nlh, type, a->family == AF_INET ? 4 : 16, a->bytes);
}

static void put_alg(struct nlmsghdr *nlh, uint16_t type,
		    const struct kipsec_alg_key *k)
{
	struct nlattr *nest;

	if (!k->present)
		return;
	nest = mnl_attr_nest_start(nlh, type);
	mnl_attr_put_u16(nlh, KIPSEC_ALG_A_ID, k->id);
	if (k->keylen)
		mnl_attr_put(nlh, KIPSEC_ALG_A_KEY, k->keylen, k->key);
	mnl_attr_nest_end(nlh, nest);
}

static void put_lifetime(struct nlmsghdr *nlh, uint16_t type,
			 const struct kipsec_lifetime *lt)
{
	struct nlattr *nest;

	if (!lt->bytes && !lt->packets && !lt->add_seconds && !lt->use_seconds)
		return;
	nest = mnl_attr_nest_start(nlh, type);
	if (lt->bytes)
		mnl_attr_put_u64(nlh, KIPSEC_LT_A_BYTES, lt->bytes);
	if (lt->packets)
		mnl_attr_put_u64(nlh, KIPSEC_LT_A_PACKETS, lt->packets);
	if (lt->add_seconds)
		mnl_attr_put_u64(nlh, KIPSEC_LT_A_ADD_SECONDS, lt->add_seconds);
	if (lt->use_seconds)
		mnl_attr_put_u64(nlh, KIPSEC_LT_A_USE_SECONDS, lt->use_seconds);
	mnl_attr_nest_end(nlh, nest);
}

/* The selector attributes, in a policy or an SA's KIPSEC_SA_A_SELECTOR. */
static void put_selector(struct nlmsghdr *nlh, const struct kipsec_selector *sel)
{
	put_addr(nlh, KIPSEC_POL_A_SRC, &sel->src);
	mnl_attr_put_u8(nlh, KIPSEC_POL_A_SRC_PLEN, sel->src_plen);
	put_addr(nlh, KIPSEC_POL_A_DST, &sel->dst);
	mnl_attr_put_u8(nlh, KIPSEC_POL_A_DST_PLEN, sel->dst_plen);
	if (sel->has_proto)
		mnl_attr_put_u8(nlh, KIPSEC_POL_A_PROTO, sel->proto);
	if (sel->has_sport)
		mnl_attr_put_u16(nlh, KIPSEC_POL_A_SPORT, sel->sport);
	if (sel->has_dport)
		mnl_attr_put_u16(nlh, KIPSEC_POL_A_DPORT, sel->dport);
	if (sel->has_icmp_type)
		mnl_attr_put_u8(nlh, KIPSEC_POL_A_ICMP_TYPE, sel->icmp_type);
	if (sel->has_icmp_code)
		mnl_attr_put_u8(nlh, KIPSEC_POL_A_ICMP_CODE, sel->icmp_code);
}

void kipsec_encode_sa_id(struct nlmsghdr *nlh, const struct kipsec_sa *sa)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, KIPSEC_A_SA);

	mnl_attr_put_u8(nlh, KIPSEC_SA_A_PROTO, sa->proto);
	mnl_attr_put_u32(nlh, KIPSEC_SA_A_SPI, sa->spi);
	put_addr(nlh, KIPSEC_SA_A_DST, &sa->dst);
	mnl_attr_nest_end(nlh, nest);
}

/*
 * @with_src: an update without algorithms changes an established SA, which
 * is named by DST, SPI and PROTO; the kernel refuses a SRC there.
 */
static void encode_sa(struct nlmsghdr *nlh, const struct kipsec_sa *sa,
		      bool with_src)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, KIPSEC_A_SA);

	mnl_attr_put_u8(nlh, KIPSEC_SA_A_PROTO, sa->proto);
	mnl_attr_put_u32(nlh, KIPSEC_SA_A_SPI, sa->spi);
	if (with_src)
		put_addr(nlh, KIPSEC_SA_A_SRC, &sa->src);
	put_addr(nlh, KIPSEC_SA_A_DST, &sa->dst);
	if (sa->mode_set)
		mnl_attr_put_u8(nlh, KIPSEC_SA_A_MODE, sa->mode);
	if (sa->reqid)
		mnl_attr_put_u32(nlh, KIPSEC_SA_A_REQID, sa->reqid);
	if (sa->replay_set)
		mnl_attr_put_u32(nlh, KIPSEC_SA_A_REPLAY_WINDOW,
				 sa->replay_window);
	if (sa->flags)
		mnl_attr_put_u32(nlh, KIPSEC_SA_A_FLAGS, sa->flags);
	if (sa->df_set)
		mnl_attr_put_u8(nlh, KIPSEC_SA_A_TUNNEL_DF, sa->df);
	put_alg(nlh, KIPSEC_SA_A_ENCR, &sa->encr);
	put_alg(nlh, KIPSEC_SA_A_INTEG, &sa->integ);
	put_lifetime(nlh, KIPSEC_SA_A_LIFETIME_SOFT, &sa->soft);
	put_lifetime(nlh, KIPSEC_SA_A_LIFETIME_HARD, &sa->hard);
	if (sa->has_seq) {
		mnl_attr_put_u64(nlh, KIPSEC_SA_A_SEQ_OUT, sa->seq_out);
		mnl_attr_put_u64(nlh, KIPSEC_SA_A_SEQ_IN, sa->seq_in);
	}
	/* the kernel keeps a full SA's ports, as it keeps its SRC */
	if (sa->has_encap && with_src) {
		mnl_attr_put_u16(nlh, KIPSEC_SA_A_ENCAP_SPORT, sa->encap_sport);
		mnl_attr_put_u16(nlh, KIPSEC_SA_A_ENCAP_DPORT, sa->encap_dport);
	}
	if (sa->has_sel) {
		struct nlattr *sel = mnl_attr_nest_start(nlh,
							 KIPSEC_SA_A_SELECTOR);

		put_selector(nlh, &sa->sel);
		mnl_attr_nest_end(nlh, sel);
	}
	mnl_attr_nest_end(nlh, nest);
}

static void encode_alloc_spi(struct nlmsghdr *nlh, const struct kipsec_sa *sa)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, KIPSEC_A_SA);

	mnl_attr_put_u8(nlh, KIPSEC_SA_A_PROTO, sa->proto);
	put_addr(nlh, KIPSEC_SA_A_SRC, &sa->src);
	put_addr(nlh, KIPSEC_SA_A_DST, &sa->dst);
	if (sa->reqid)
		mnl_attr_put_u32(nlh, KIPSEC_SA_A_REQID, sa->reqid);
	if (sa->spi_min || sa->spi_max) {
		mnl_attr_put_u32(nlh, KIPSEC_SA_A_SPI_MIN, sa->spi_min);
		mnl_attr_put_u32(nlh, KIPSEC_SA_A_SPI_MAX, sa->spi_max);
	}
	mnl_attr_nest_end(nlh, nest);
}

/* direction and selector: what names a policy */
static void put_policy_id(struct nlmsghdr *nlh, const struct kipsec_policy *pol)
{
	mnl_attr_put_u8(nlh, KIPSEC_POL_A_DIR, pol->dir);
	put_selector(nlh, &pol->sel);
}

static void encode_policy(struct nlmsghdr *nlh, const struct kipsec_policy *pol,
			  bool id_only)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, KIPSEC_A_POLICY);
	struct nlattr *tmpls, *tmpl;

	put_policy_id(nlh, pol);
	if (id_only) {
		if (pol->instance_spi)
			mnl_attr_put_u32(nlh, KIPSEC_POL_A_SA_SPI,
					 pol->instance_spi);
		mnl_attr_nest_end(nlh, nest);
		return;
	}
	mnl_attr_put_u8(nlh, KIPSEC_POL_A_ACTION, pol->action);
	/* always: setkey's policies without "prio" have libipsec's default */
	mnl_attr_put_u32(nlh, KIPSEC_POL_A_PRIORITY, pol->priority);
	if (pol->n_tmpl) {
		tmpls = mnl_attr_nest_start(nlh, KIPSEC_POL_A_TEMPLATES);
		for (unsigned int i = 0; i < pol->n_tmpl; i++) {
			const struct kipsec_tmpl *t = &pol->tmpl[i];

			tmpl = mnl_attr_nest_start(nlh, KIPSEC_POL_A_TEMPLATE);
			mnl_attr_put_u8(nlh, KIPSEC_TMPL_A_PROTO, t->proto);
			mnl_attr_put_u8(nlh, KIPSEC_TMPL_A_MODE, t->mode);
			put_addr(nlh, KIPSEC_TMPL_A_SRC, &t->src);
			put_addr(nlh, KIPSEC_TMPL_A_DST, &t->dst);
			/* always: the kernel's default (require) is not setkey's */
			mnl_attr_put_u8(nlh, KIPSEC_TMPL_A_LEVEL, t->level);
			if (t->reqid)
				mnl_attr_put_u32(nlh, KIPSEC_TMPL_A_REQID, t->reqid);
			if (t->spi)
				mnl_attr_put_u32(nlh, KIPSEC_TMPL_A_SPI, t->spi);
			mnl_attr_nest_end(nlh, tmpl);
		}
		mnl_attr_nest_end(nlh, tmpls);
	}
	mnl_attr_nest_end(nlh, nest);
	if (pol->stack)
		mnl_attr_put(nlh, KIPSEC_A_POLICY_STACK, 0, NULL);
}

void kipsec_op_command(const struct kipsec_op *op, uint8_t *cmd,
		       uint16_t *flags)
{
	static const uint8_t commands[] = {
		[KIPSEC_OP_SA_ADD] = KIPSEC_CMD_SA_NEW,
		[KIPSEC_OP_SA_UPDATE] = KIPSEC_CMD_SA_UPDATE,
		[KIPSEC_OP_SA_GET] = KIPSEC_CMD_SA_GET,
		[KIPSEC_OP_SA_DELETE] = KIPSEC_CMD_SA_DEL,
		[KIPSEC_OP_SA_DELETEALL] = KIPSEC_CMD_SA_GET,	/* a dump first */
		[KIPSEC_OP_SA_FLUSH] = KIPSEC_CMD_SA_FLUSH,
		[KIPSEC_OP_SA_DUMP] = KIPSEC_CMD_SA_GET,
		[KIPSEC_OP_SA_ALLOC_SPI] = KIPSEC_CMD_SA_ALLOC_SPI,
		[KIPSEC_OP_POLICY_ADD] = KIPSEC_CMD_POLICY_NEW,
		[KIPSEC_OP_POLICY_UPDATE] = KIPSEC_CMD_POLICY_UPDATE,
		[KIPSEC_OP_POLICY_DELETE] = KIPSEC_CMD_POLICY_DEL,
		[KIPSEC_OP_POLICY_FLUSH] = KIPSEC_CMD_POLICY_FLUSH,
		[KIPSEC_OP_POLICY_DUMP] = KIPSEC_CMD_POLICY_GET,
		[KIPSEC_OP_POLICY_GET] = KIPSEC_CMD_POLICY_GET,
	};

	*cmd = commands[op->type];
	*flags = 0;
	if (op->type == KIPSEC_OP_SA_DUMP || op->type == KIPSEC_OP_SA_DELETEALL ||
	    op->type == KIPSEC_OP_POLICY_DUMP)
		*flags = NLM_F_DUMP;
}

void kipsec_encode_op(struct nlmsghdr *nlh, const struct kipsec_op *op)
{
	switch (op->type) {
	case KIPSEC_OP_SA_ADD:
		encode_sa(nlh, &op->sa, true);
		break;
	case KIPSEC_OP_SA_UPDATE:
		encode_sa(nlh, &op->sa, op->sa.encr.present || op->sa.integ.present);
		break;
	case KIPSEC_OP_SA_GET:
	case KIPSEC_OP_SA_DELETE:
		kipsec_encode_sa_id(nlh, &op->sa);
		break;
	case KIPSEC_OP_SA_DELETEALL:
	case KIPSEC_OP_SA_FLUSH:
	case KIPSEC_OP_SA_DUMP:
		if (op->sa.proto)
			mnl_attr_put_u8(nlh, KIPSEC_A_SA_PROTO_FILTER,
					op->sa.proto);
		/* deleteall only needs to know which SAs match. */
		if (op->type == KIPSEC_OP_SA_DELETEALL)
			mnl_attr_put(nlh, KIPSEC_A_SA_NO_KEYS, 0, NULL);
		break;
	case KIPSEC_OP_SA_ALLOC_SPI:
		encode_alloc_spi(nlh, &op->sa);
		break;
	case KIPSEC_OP_POLICY_ADD:
	case KIPSEC_OP_POLICY_UPDATE:
		encode_policy(nlh, &op->pol, false);
		break;
	case KIPSEC_OP_POLICY_DELETE:
	case KIPSEC_OP_POLICY_GET:
		encode_policy(nlh, &op->pol, true);
		break;
	case KIPSEC_OP_POLICY_FLUSH:
	case KIPSEC_OP_POLICY_DUMP:
		break;
	}
}
