// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include <netinet/in.h>
#include <daemon.h>
#include "kernel_kipsec_convert.h"

bool kk_host_to_ip(host_t *host, struct kipsec_ip *ip)
{
	chunk_t addr = host->get_address(host);
	int family = host->get_family(host);

	memset(ip, 0, sizeof(*ip));
	if ((family != AF_INET || addr.len != 4) &&
	    (family != AF_INET6 || addr.len != 16))
		return FALSE;
	ip->family = family;
	memcpy(ip->bytes, addr.ptr, addr.len);
	return TRUE;
}

host_t *kk_ip_to_host(const struct kipsec_ip *ip)
{
	size_t len = ip->family == AF_INET ? 4 : 16;

	if (ip->family != AF_INET && ip->family != AF_INET6)
		return NULL;
	return host_create_from_chunk(ip->family,
				      chunk_create((u_char *)ip->bytes, len), 0);
}

static bool ts_any_port(traffic_selector_t *ts)
{
	return ts->get_from_port(ts) == 0 && ts->get_to_port(ts) == 0xffff;
}

/* Ports of one side: any, or one port (kipsec has no port ranges). */
static bool ts_port(traffic_selector_t *ts, bool *has, u16 *port)
{
	uint16_t from = ts->get_from_port(ts), to = ts->get_to_port(ts);

	*has = FALSE;
	if (ts_any_port(ts))
		return TRUE;
	if (from != to)
		return FALSE;
	*has = TRUE;
	*port = from;
	return TRUE;
}

/*
 * ICMP: strongSwan keeps type (high byte) and code (low byte) in the port
 * range of a selector, of the side that was configured with them.
 */
static bool ts_icmp(traffic_selector_t *src, traffic_selector_t *dst,
		    struct kipsec_selector *sel)
{
	traffic_selector_t *ts = ts_any_port(src) ? dst : src;
	uint16_t from = ts->get_from_port(ts), to = ts->get_to_port(ts);

	if (ts_any_port(ts))
		return TRUE;
	if (traffic_selector_icmp_type(from) != traffic_selector_icmp_type(to))
		return FALSE;
	sel->has_icmp_type = TRUE;
	sel->icmp_type = traffic_selector_icmp_type(from);
	if (traffic_selector_icmp_code(from) == 0 &&
	    traffic_selector_icmp_code(to) == 0xff)
		return TRUE;
	if (from != to)
		return FALSE;
	sel->has_icmp_code = TRUE;
	sel->icmp_code = traffic_selector_icmp_code(from);
	return TRUE;
}

static bool ts_prefix(traffic_selector_t *ts, struct kipsec_ip *ip, u8 *plen)
{
	host_t *net;
	uint8_t bits;
	bool ok;

	/* the subnet comes back even when it is not exact: free it */
	ok = ts->to_subnet(ts, &net, &bits);
	ok = kk_host_to_ip(net, ip) && ok;
	net->destroy(net);
	*plen = bits;
	return ok;
}

bool kk_selector(traffic_selector_t *src, traffic_selector_t *dst,
		 struct kipsec_selector *sel, const char **why)
{
	uint8_t proto = max(src->get_protocol(src), dst->get_protocol(dst));

	memset(sel, 0, sizeof(*sel));
	if (!ts_prefix(src, &sel->src, &sel->src_plen) ||
	    !ts_prefix(dst, &sel->dst, &sel->dst_plen)) {
		*why = "an address range that is not a subnet";
		return FALSE;
	}
	if (sel->src.family != sel->dst.family) {
		*why = "selectors of two address families";
		return FALSE;
	}
	/* charon pairs a protocol's selector with an "any" one: the protocol */
	if (src->get_protocol(src) && dst->get_protocol(dst) &&
	    src->get_protocol(src) != dst->get_protocol(dst)) {
		*why = "selectors of two upper-layer protocols";
		return FALSE;
	}
	sel->has_proto = proto != 0;
	sel->proto = proto;
	if (proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6) {
		if (!ts_icmp(src, dst, sel)) {
			*why = "a range of ICMP types or codes";
			return FALSE;
		}
		return TRUE;
	}
	if (!ts_port(src, &sel->has_sport, &sel->sport) ||
	    !ts_port(dst, &sel->has_dport, &sel->dport)) {
		*why = "a port range (kipsec selectors take one port or any)";
		return FALSE;
	}
	return TRUE;
}

traffic_selector_t *kk_selector_ts(const struct kipsec_selector *sel,
				   bool source)
{
	const struct kipsec_ip *ip = source ? &sel->src : &sel->dst;
	uint8_t plen = source ? sel->src_plen : sel->dst_plen;
	uint16_t from = 0, to = 0xffff;
	bool has_port = source ? sel->has_sport : sel->has_dport;
	host_t *net = kk_ip_to_host(ip);

	if (!net)
		return NULL;
	if (has_port)
		from = to = source ? sel->sport : sel->dport;
	if (source && sel->has_icmp_type) {
		from = sel->icmp_type << 8;
		to = from | 0xff;
		if (sel->has_icmp_code)
			from = to = from | sel->icmp_code;
	}
	return traffic_selector_create_from_subnet(net, plen,
						   sel->has_proto ? sel->proto : 0,
						   from, to);
}

/* Classes wide enough that no selector's specificity crosses into the next. */
#define KK_PRIO_CLASS	0x20000u

uint32_t kk_priority(const struct kipsec_selector *sel,
		     policy_priority_t prio, uint32_t manual_prio)
{
	uint32_t priority = KK_PRIO_CLASS * 2, specific;

	if (manual_prio)
		return manual_prio;
	switch (prio) {
	case POLICY_PRIORITY_PASS:
		priority = KK_PRIO_CLASS;
		break;
	case POLICY_PRIORITY_FALLBACK:
		priority = KK_PRIO_CLASS * 3;
		break;
	case POLICY_PRIORITY_ROUTED:
		/* a trap serves only while no CHILD_SA holds its selector */
		priority += 1;
		break;
	default:
		break;
	}
	/* prefix lengths first (at most 256), then protocol, then ports */
	specific = (sel->src_plen + sel->dst_plen) << 8;
	if (sel->has_proto)
		specific += 0x80;
	if (sel->has_sport || sel->has_icmp_type)
		specific += 0x20;
	if (sel->has_dport || sel->has_icmp_code)
		specific += 0x20;
	return priority - specific;
}

/*
 * A soft limit at or past the hard one can never fire first: no soft limit.
 * charon passes such pairs: rekey_time = 0 with a life_time makes its
 * jitter subtract from 0 and wrap (XFRM takes them silently; kipsec
 * refuses soft > hard).
 */
static uint64_t soft_limit(uint64_t soft, uint64_t hard)
{
	return hard && soft >= hard ? 0 : soft;
}

static void lifetimes(lifetime_cfg_t *lt, struct kipsec_sa *sa)
{
	if (!lt)
		return;
	sa->soft.add_seconds = soft_limit(lt->time.rekey, lt->time.life);
	sa->soft.bytes = soft_limit(lt->bytes.rekey, lt->bytes.life);
	sa->soft.packets = soft_limit(lt->packets.rekey, lt->packets.life);
	sa->hard.add_seconds = lt->time.life;
	sa->hard.bytes = lt->bytes.life;
	sa->hard.packets = lt->packets.life;
}

/* The SA's own traffic selector, when charon negotiated exactly one pair. */
static void sa_selector(kernel_ipsec_add_sa_t *data, struct kipsec_sa *sa)
{
	traffic_selector_t *src, *dst;
	const char *why;

	if (!data->src_ts || !data->dst_ts ||
	    data->src_ts->get_count(data->src_ts) != 1 ||
	    data->dst_ts->get_count(data->dst_ts) != 1)
		return;
	data->src_ts->get_first(data->src_ts, (void **)&src);
	data->dst_ts->get_first(data->dst_ts, (void **)&dst);
	sa->has_sel = kk_selector(src, dst, &sa->sel, &why);
}

/* The outer DSCP follows the inner one only in the directions charon asks. */
static bool dscp_copied(dscp_copy_t copy, bool inbound)
{
	switch (copy) {
	case DSCP_COPY_YES:
		return TRUE;
	case DSCP_COPY_IN_ONLY:
		return inbound;
	case DSCP_COPY_NO:
		return FALSE;
	case DSCP_COPY_OUT_ONLY:
	default:
		return !inbound;
	}
}

/* An algorithm by IKEv2 transform ID, with its key (salt included). */
static bool set_alg(struct kipsec_alg_key *alg, uint16_t id, chunk_t key)
{
	if (key.len > KIPSEC_KEY_MAX)
		return FALSE;
	alg->present = TRUE;
	alg->id = id;
	alg->keylen = key.len;
	memcpy(alg->key, key.ptr, key.len);
	return TRUE;
}

/*
 * ESP in UDP between the hosts' ports (charon's IKE ports once it found a
 * NAT: usually 4500 here and the NAT's mapping there).
 */
bool kk_sa_encap(struct kipsec_sa *sa, host_t *src, host_t *dst)
{
	sa->has_encap = sa->proto == IPPROTO_ESP && src->get_port(src) &&
			dst->get_port(dst);
	sa->encap_sport = src->get_port(src);
	sa->encap_dport = dst->get_port(dst);
	return sa->has_encap;
}

bool kk_sa(kernel_ipsec_sa_id_t *id, kernel_ipsec_add_sa_t *data,
	   struct kipsec_sa *sa, const char **why)
{
	memset(sa, 0, sizeof(*sa));
	if (id->mark.value || id->if_id || data->mark.value || data->label) {
		*why = "marks, interface IDs and security labels are not supported";
		return FALSE;
	}
	if (data->ipcomp != IPCOMP_NONE) {
		*why = "IPComp is not supported";
		return FALSE;
	}
	if (data->hw_offload == HW_OFFLOAD_YES) {
		*why = "hardware offload is not supported";
		return FALSE;
	}
	if (data->mode != MODE_TRANSPORT && data->mode != MODE_TUNNEL) {
		*why = "only transport and tunnel mode are supported";
		return FALSE;
	}
	if (!kk_host_to_ip(id->src, &sa->src) ||
	    !kk_host_to_ip(id->dst, &sa->dst)) {
		*why = "an SA address of no family";
		return FALSE;
	}
	sa->proto = id->proto;
	sa->spi = ntohl(id->spi);
	if (data->encap && !kk_sa_encap(sa, id->src, id->dst)) {
		*why = "UDP encapsulation needs ESP and both hosts' ports";
		return FALSE;
	}
	sa->mode_set = TRUE;
	sa->mode = data->mode == MODE_TUNNEL ? KIPSEC_MODE_TUNNEL :
					       KIPSEC_MODE_TRANSPORT;
	sa->reqid = data->reqid;
	sa->replay_set = TRUE;
	sa->replay_window = data->replay_window;
	/* kipsec's smallest window is 32: a larger one only tolerates more
	 * reordering; beyond the largest, the SA is refused below */
	if (sa->replay_window && sa->replay_window < 32)
		sa->replay_window = 32;
	if (sa->replay_window > KIPSEC_REPLAY_WINDOW_MAX) {
		*why = "a replay window larger than kipsec's 65536";
		return FALSE;
	}
	if (data->esn)
		sa->flags |= KIPSEC_SA_F_ESN;
	if (!data->copy_ecn)
		sa->flags |= KIPSEC_SA_F_NO_ECN;
	if (!dscp_copied(data->copy_dscp, data->inbound))
		sa->flags |= KIPSEC_SA_F_NO_DSCP_COPY;
	if (data->mode == MODE_TUNNEL) {
		sa->df_set = TRUE;
		sa->df = data->copy_df ? KIPSEC_DF_COPY : KIPSEC_DF_CLEAR;
	}
	if (data->enc_alg != ENCR_UNDEFINED &&
	    !set_alg(&sa->encr, data->enc_alg, data->enc_key)) {
		*why = "an encryption key longer than kipsec takes";
		return FALSE;
	}
	if (data->int_alg != AUTH_UNDEFINED &&
	    !set_alg(&sa->integ, data->int_alg, data->int_key)) {
		*why = "an integrity key longer than kipsec takes";
		return FALSE;
	}
	lifetimes(data->lifetime, sa);
	sa_selector(data, sa);
	return TRUE;
}
