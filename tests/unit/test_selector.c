// SPDX-License-Identifier: GPL-2.0
/* Traffic selectors: validation messages and matching. */
#include "tap.h"
#include "selector.h"

static struct kipsec_addr v4(u8 a, u8 b, u8 c, u8 d)
{
	struct kipsec_addr x = { { a, b, c, d } };

	return x;
}

static struct kipsec_addr v6(u16 first, u16 last)
{
	struct kipsec_addr x = { { 0 } };

	x.b[0] = (u8)(first >> 8);
	x.b[1] = (u8)first;
	x.b[14] = (u8)(last >> 8);
	x.b[15] = (u8)last;
	return x;
}

static struct kipsec_sel sel4(struct kipsec_addr s, u8 sp, struct kipsec_addr d,
			      u8 dp)
{
	struct kipsec_sel sel;

	memset(&sel, 0, sizeof(sel));
	sel.family = KIPSEC_AF_INET;
	sel.src = s;
	sel.src_plen = sp;
	sel.dst = d;
	sel.dst_plen = dp;
	return sel;
}

static struct kipsec_flow flow4(struct kipsec_addr s, struct kipsec_addr d,
				u8 proto, u16 sport, u16 dport)
{
	struct kipsec_flow f;

	memset(&f, 0, sizeof(f));
	f.family = KIPSEC_AF_INET;
	f.src = s;
	f.dst = d;
	f.proto = proto;
	f.sport = sport;
	f.dport = dport;
	return f;
}

static void check_messages(void)
{
	enum kipsec_sel_part part;
	struct kipsec_sel s;
	char msg[128];

	s = sel4(v4(10, 0, 1, 0), 24, v4(10, 0, 2, 0), 24);
	is_int(kipsec_sel_check(&s, msg, sizeof(msg), &part), 0, "the seeds' /24 tunnel selector is valid");
	s.src_plen = 33;
	ok(kipsec_sel_check(&s, msg, sizeof(msg), &part) == -EINVAL &&
	   !strcmp(msg, "source prefix /33 is longer than the 32-bit address") &&
	   part == KIPSEC_SEL_PART_SRC,
	   "a /33 IPv4 prefix is refused: %s", msg);
	s = sel4(v4(10, 0, 1, 5), 24, v4(10, 0, 2, 0), 24);
	ok(kipsec_sel_check(&s, msg, sizeof(msg), &part) == -EINVAL &&
	   strstr(msg, "bits set beyond its /24"), "host bits are refused: %s", msg);
	s = sel4(v4(10, 0, 1, 0), 24, v4(10, 0, 2, 0), 24);
	s.fields = KIPSEC_SEL_DPORT;
	s.dport = 80;
	ok(kipsec_sel_check(&s, msg, sizeof(msg), &part) == -EINVAL &&
	   part == KIPSEC_SEL_PART_PORTS, "a port without a protocol is refused");
	s.fields |= KIPSEC_SEL_PROTO;
	s.proto = KIPSEC_PROTO_ICMP;
	ok(kipsec_sel_check(&s, msg, sizeof(msg), &part) == -EINVAL,
	   "a port with ICMP is refused");
	s.proto = KIPSEC_PROTO_TCP;
	is_int(kipsec_sel_check(&s, msg, sizeof(msg), &part), 0, "a port with TCP is fine");
	s.fields = KIPSEC_SEL_PROTO | KIPSEC_SEL_ICMP_TYPE;
	s.proto = KIPSEC_PROTO_ICMPV6;
	ok(kipsec_sel_check(&s, msg, sizeof(msg), &part) == -EINVAL,
	   "ICMPv6 type on an IPv4 selector is refused");
	s.proto = KIPSEC_PROTO_ICMP;
	is_int(kipsec_sel_check(&s, msg, sizeof(msg), &part), 0, "ICMP type on IPv4 is fine");
	s.fields = KIPSEC_SEL_PROTO | KIPSEC_SEL_ICMP_CODE;
	ok(kipsec_sel_check(&s, msg, sizeof(msg), &part) == -EINVAL &&
	   part == KIPSEC_SEL_PART_UPPER, "an ICMP code without a type is refused");
	s.family = 7;
	ok(kipsec_sel_check(&s, msg, sizeof(msg), &part) == -EINVAL, "unknown family refused");

	memset(&s, 0, sizeof(s));
	s.family = KIPSEC_AF_INET6;
	s.src = v6(0xfec0, 1);
	s.src_plen = 128;
	s.dst = v6(0xfec0, 2);
	s.dst_plen = 128;
	is_int(kipsec_sel_check(&s, msg, sizeof(msg), &part), 0, "the seeds' fec0::1 -> fec0::2 is valid");
	s.dst_plen = 129;
	ok(kipsec_sel_check(&s, msg, sizeof(msg), &part) == -EINVAL &&
	   part == KIPSEC_SEL_PART_DST, "a /129 is refused, blamed on the destination");
}

static void check_matching(void)
{
	struct kipsec_sel s = sel4(v4(10, 0, 1, 0), 24, v4(10, 0, 2, 0), 24);
	struct kipsec_flow f = flow4(v4(10, 0, 1, 7), v4(10, 0, 2, 9), 6, 1234, 80);
	struct kipsec_addr net = v4(192, 168, 0xa0, 0), in = v4(192, 168, 0xbf, 1),
			   out = v4(192, 168, 0xc0, 1);
	unsigned int plen;

	ok(kipsec_sel_match(&s, &f), "a flow inside both prefixes matches");
	f.dst = v4(10, 0, 3, 9);
	ok(!kipsec_sel_match(&s, &f), "a destination outside does not");
	f = flow4(v4(10, 0, 0, 255), v4(10, 0, 2, 9), 6, 1234, 80);
	ok(!kipsec_sel_match(&s, &f), "a source outside does not");
	ok(kipsec_prefix_match(&net, &in, 19) && !kipsec_prefix_match(&net, &out, 19),
	   "a /19 boundary inside a byte");
	for (plen = 0; plen <= 32; plen++)
		if (!kipsec_prefix_match(&net, &net, plen))
			break;
	is_uint(plen, 33, "an address matches its own prefix at every length");

	f = flow4(v4(10, 0, 1, 7), v4(10, 0, 2, 9), 6, 1234, 80);
	s.fields = KIPSEC_SEL_PROTO | KIPSEC_SEL_DPORT;
	s.proto = 6;
	s.dport = 80;
	ok(kipsec_sel_match(&s, &f), "tcp port 80 matches");
	f.dport = 81;
	ok(!kipsec_sel_match(&s, &f), "tcp port 81 does not");
	f.dport = 80;
	f.proto = 17;
	ok(!kipsec_sel_match(&s, &f), "udp port 80 does not match a tcp selector");
	f.proto = 6;
	f.opaque = true;
	ok(!kipsec_sel_match(&s, &f), "a non-first fragment (OPAQUE) does not match a port selector");
	s.fields = KIPSEC_SEL_PROTO;
	ok(kipsec_sel_match(&s, &f), "but matches a protocol-only selector");
	s.fields = KIPSEC_SEL_PROTO | KIPSEC_SEL_ICMP_TYPE;
	s.proto = 1;
	s.icmp_type = 8;
	f = flow4(v4(10, 0, 1, 7), v4(10, 0, 2, 9), 1, 0, 0);
	f.icmp_type = 8;
	ok(kipsec_sel_match(&s, &f), "ICMP echo request matches type 8");
	f.icmp_type = 0;
	ok(!kipsec_sel_match(&s, &f), "an echo reply does not");
	f.family = KIPSEC_AF_INET6;
	ok(!kipsec_sel_match(&s, &f), "another family never matches");
}

int main(void)
{
	check_messages();
	check_matching();
	return tap_done();
}
