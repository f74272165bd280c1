// SPDX-License-Identifier: GPL-2.0
/* Traffic selector checks, matching and ordering. */
#include "selector.h"

unsigned int kipsec_af_bits(u8 family)
{
	if (family == KIPSEC_AF_INET)
		return 32;
	if (family == KIPSEC_AF_INET6)
		return 128;
	return 0;
}

bool kipsec_proto_has_ports(u8 proto)
{
	return proto == KIPSEC_PROTO_TCP || proto == KIPSEC_PROTO_UDP ||
	       proto == KIPSEC_PROTO_SCTP || proto == KIPSEC_PROTO_UDPLITE;
}

bool kipsec_proto_is_icmp(u8 proto, u8 family)
{
	return family == KIPSEC_AF_INET ? proto == KIPSEC_PROTO_ICMP :
					  proto == KIPSEC_PROTO_ICMPV6;
}

bool kipsec_prefix_match(const struct kipsec_addr *net,
			 const struct kipsec_addr *addr, unsigned int plen)
{
	unsigned int whole = plen / 8, rest = plen % 8;
	u8 mask;

	if (memcmp(net->b, addr->b, whole))
		return false;
	if (!rest)
		return true;
	mask = (u8)(0xff << (8 - rest));
	return !((net->b[whole] ^ addr->b[whole]) & mask);
}

/* True when no bit of @a at or after position @plen is set. */
static bool kipsec_host_bits_clear(const struct kipsec_addr *a,
				   unsigned int plen)
{
	unsigned int i;

	for (i = plen; i < 128; i++)
		if (a->b[i / 8] & (0x80 >> (i % 8)))
			return false;
	return true;
}

static int kipsec_check_prefix(const char *which, const struct kipsec_addr *a,
			       unsigned int plen, unsigned int bits, char *msg,
			       size_t msglen)
{
	if (plen > bits) {
		snprintf(msg, msglen,
			 "%s prefix /%u is longer than the %u-bit address",
			 which, plen, bits);
		return -EINVAL;
	}
	if (!kipsec_host_bits_clear(a, plen)) {
		snprintf(msg, msglen,
			 "%s address has bits set beyond its /%u prefix",
			 which, plen);
		return -EINVAL;
	}
	return 0;
}

/* Notes which part of the selector a failed check is about. */
static int kipsec_sel_bad(enum kipsec_sel_part *part,
			  enum kipsec_sel_part which, int err)
{
	if (part)
		*part = which;
	return err;
}

int kipsec_sel_check(const struct kipsec_sel *sel, char *msg, size_t msglen,
		     enum kipsec_sel_part *part)
{
	unsigned int bits = kipsec_af_bits(sel->family);
	int err;

	if (!bits) {
		snprintf(msg, msglen, "address family %u is neither IPv4 nor IPv6",
			 sel->family);
		return kipsec_sel_bad(part, KIPSEC_SEL_PART_FAMILY, -EINVAL);
	}
	err = kipsec_check_prefix("source", &sel->src, sel->src_plen, bits,
				  msg, msglen);
	if (err)
		return kipsec_sel_bad(part, KIPSEC_SEL_PART_SRC, err);
	err = kipsec_check_prefix("destination", &sel->dst, sel->dst_plen,
				  bits, msg, msglen);
	if (err)
		return kipsec_sel_bad(part, KIPSEC_SEL_PART_DST, err);
	if (sel->fields & (KIPSEC_SEL_SPORT | KIPSEC_SEL_DPORT) &&
	    (!(sel->fields & KIPSEC_SEL_PROTO) ||
	     !kipsec_proto_has_ports(sel->proto))) {
		snprintf(msg, msglen,
			 "ports need tcp, udp, sctp or udplite as upper-layer protocol");
		return kipsec_sel_bad(part, KIPSEC_SEL_PART_PORTS, -EINVAL);
	}
	if (sel->fields & (KIPSEC_SEL_ICMP_TYPE | KIPSEC_SEL_ICMP_CODE) &&
	    (!(sel->fields & KIPSEC_SEL_PROTO) ||
	     !kipsec_proto_is_icmp(sel->proto, sel->family))) {
		snprintf(msg, msglen, "ICMP type and code need %s as protocol",
			 sel->family == KIPSEC_AF_INET ? "icmp" : "icmp6");
		return kipsec_sel_bad(part, KIPSEC_SEL_PART_UPPER, -EINVAL);
	}
	if ((sel->fields & KIPSEC_SEL_ICMP_CODE) &&
	    !(sel->fields & KIPSEC_SEL_ICMP_TYPE)) {
		snprintf(msg, msglen, "an ICMP code needs an ICMP type");
		return kipsec_sel_bad(part, KIPSEC_SEL_PART_UPPER, -EINVAL);
	}
	return 0;
}

bool kipsec_sel_match(const struct kipsec_sel *sel,
		      const struct kipsec_flow *flow)
{
	u8 f = sel->fields;

	if (sel->family != flow->family ||
	    !kipsec_prefix_match(&sel->dst, &flow->dst, sel->dst_plen) ||
	    !kipsec_prefix_match(&sel->src, &flow->src, sel->src_plen))
		return false;
	if (!(f & KIPSEC_SEL_PROTO))
		return true;
	if (sel->proto != flow->proto)
		return false;
	if (!(f & (KIPSEC_SEL_SPORT | KIPSEC_SEL_DPORT | KIPSEC_SEL_ICMP_TYPE |
		   KIPSEC_SEL_ICMP_CODE)))
		return true;
	if (flow->opaque)
		return false;
	if ((f & KIPSEC_SEL_SPORT) && sel->sport != flow->sport)
		return false;
	if ((f & KIPSEC_SEL_DPORT) && sel->dport != flow->dport)
		return false;
	if ((f & KIPSEC_SEL_ICMP_TYPE) && sel->icmp_type != flow->icmp_type)
		return false;
	if ((f & KIPSEC_SEL_ICMP_CODE) && sel->icmp_code != flow->icmp_code)
		return false;
	return true;
}
