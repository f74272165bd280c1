/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Traffic selectors (RFC 4301 4.4.1.1): validation and matching a packet's
 * flow. Kernel-independent.
 */
#ifndef KIPSEC_SELECTOR_H
#define KIPSEC_SELECTOR_H

#include "core_types.h"

/* The values of AF_INET and AF_INET6 on Linux, for code without socket.h. */
#define KIPSEC_AF_INET 2
#define KIPSEC_AF_INET6 10

#define KIPSEC_PROTO_ICMP 1
#define KIPSEC_PROTO_TCP 6
#define KIPSEC_PROTO_UDP 17
#define KIPSEC_PROTO_ESP 50
#define KIPSEC_PROTO_ICMPV6 58
#define KIPSEC_PROTO_SCTP 132
#define KIPSEC_PROTO_UDPLITE 136

/* An IPv4 address uses the first 4 bytes; the rest stays zero. */
struct kipsec_addr {
	u8 b[16];
};

/* Which optional selector fields are set; an unset field matches anything. */
enum kipsec_sel_fields {
	KIPSEC_SEL_PROTO = 1 << 0,
	KIPSEC_SEL_SPORT = 1 << 1,
	KIPSEC_SEL_DPORT = 1 << 2,
	KIPSEC_SEL_ICMP_TYPE = 1 << 3,
	KIPSEC_SEL_ICMP_CODE = 1 << 4,
};

/* Compared with memcmp(): keep it free of padding holes, zero unset fields. */
struct kipsec_sel {
	struct kipsec_addr src;
	struct kipsec_addr dst;
	u16 sport;
	u16 dport;
	u8 family;
	u8 src_plen;
	u8 dst_plen;
	u8 proto;
	u8 icmp_type;
	u8 icmp_code;
	u8 fields;		/* enum kipsec_sel_fields */
	u8 pad;
};

/* What the SPD lookup knows about a packet. */
struct kipsec_flow {
	struct kipsec_addr src;
	struct kipsec_addr dst;
	u16 sport;
	u16 dport;
	u8 family;
	u8 proto;
	u8 icmp_type;
	u8 icmp_code;
	bool opaque;		/* a non-first fragment: ports/type unknown */
};

unsigned int kipsec_af_bits(u8 family);
bool kipsec_proto_has_ports(u8 proto);
bool kipsec_proto_is_icmp(u8 proto, u8 family);

/*
 * kipsec_sel_check() - is @sel well formed?
 * Checks the family, prefix lengths against the address size, that no bit
 * beyond a prefix is set, that ports come only with a port protocol and
 * ICMP type/code only with ICMP of the family. On failure writes a message
 * a person can act on to @msg, which part of the selector it is about to
 * @part (unless NULL), and returns -EINVAL.
 */
enum kipsec_sel_part {
	KIPSEC_SEL_PART_FAMILY,
	KIPSEC_SEL_PART_SRC,		/* source address or prefix */
	KIPSEC_SEL_PART_DST,
	KIPSEC_SEL_PART_PORTS,
	KIPSEC_SEL_PART_UPPER,		/* protocol, ICMP type and code */
};

int kipsec_sel_check(const struct kipsec_sel *sel, char *msg, size_t msglen,
		     enum kipsec_sel_part *part);

/* Does @flow fall under @sel? (RFC 4301: OPAQUE matches only ANY ports.) */
bool kipsec_sel_match(const struct kipsec_sel *sel,
		      const struct kipsec_flow *flow);

bool kipsec_prefix_match(const struct kipsec_addr *net,
			 const struct kipsec_addr *addr, unsigned int plen);

#endif /* KIPSEC_SELECTOR_H */
