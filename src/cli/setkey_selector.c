// SPDX-License-Identifier: GPL-2.0
/*
 * Selectors, as spdadd and add's -sel write them: ADDRESS[/PLEN][[PORT]]
 * twice and the upper-layer protocol, checked by the kernel's own rules.
 */
#include "setkey_parser.h"

/*
 * setkey's kernel ignored the bits beyond a prefix; kipsec's refuses them,
 * so they are cleared here, with a warning, and such files keep working.
 */
static void clear_host_bits(struct parser *p, const struct kipsec_tok *addr,
			    struct kipsec_ip *a, unsigned int plen)
{
	struct kipsec_ip masked = *a;
	char buf[INET6_ADDRSTRLEN];

	for (unsigned int bit = plen; bit < kipsec_af_bits(a->family); bit++)
		masked.bytes[bit / 8] &= (u8)~(0x80u >> (bit % 8));
	if (!memcmp(&masked, a, sizeof(masked)))
		return;
	inet_ntop(masked.family, masked.bytes, buf, sizeof(buf));
	warn_at(p, pos_of(addr), "%.*s/%u has host bits set; kipsec uses %s/%u",
		(int)addr->len, addr->text, plen, buf, plen);
	*a = masked;
}

static bool parse_port(struct parser *p, u16 *port)
{
	struct kipsec_tok t;
	struct servent *se;
	char name[64];
	u64 v;

	next_token(p);	/* [ */
	t = p->tok;
	if (kipsec_tok_is(&t, "any")) {
		*port = 0;
	} else if (t.type == KIPSEC_TOK_WORD &&
		   text_to_u64(t.text, t.len, &v) == NUMBER_OK) {
		if (v > 65535)
			return error_at(p, pos_of(&t),
					"port %llu is out of range (0-65535)",
					(unsigned long long)v);
		*port = (u16)v;
	} else if (t.type == KIPSEC_TOK_WORD && t.len < sizeof(name)) {
		memcpy(name, t.text, t.len);
		name[t.len] = '\0';
		se = getservbyname(name, NULL);
		if (!se)
			return expected(p, "a port number, a service name or any");
		*port = ntohs((u16)se->s_port);
	} else {
		return expected(p, "a port number, a service name or any");
	}
	next_token(p);
	if (p->tok.type != KIPSEC_TOK_RBRACKET)
		return expected(p, "']'");
	next_token(p);
	return true;
}

/* ADDRESS[/PREFIXLEN][[PORT]] */
static bool parse_selector_addr(struct parser *p, const char *what,
				struct kipsec_ip *a, u8 *plen, u16 *port,
				struct pos *port_at)
{
	struct kipsec_tok addr_tok = p->tok;
	u64 v;

	if (!parse_addr(p, what, a))
		return false;
	*plen = (u8)kipsec_af_bits(a->family);
	if (p->tok.type == KIPSEC_TOK_SLASH) {
		next_token(p);
		if (!number_arg(p, "a prefix length after '/'", 255, &v))
			return false;
		*plen = (u8)v;
		/* a prefix too long is kipsec_sel_check()'s to report */
		if (*plen <= kipsec_af_bits(a->family))
			clear_host_bits(p, &addr_tok, a, *plen);
	}
	*port_at = pos_of(&p->tok);
	*port = 0;
	if (p->tok.type == KIPSEC_TOK_LBRACKET)
		return parse_port(p, port);
	return true;
}

static bool icmp_number(struct parser *p, const char *what, u8 *v)
{
	u64 n;

	if (!number_arg(p, what, 255, &n))
		return false;
	*v = (u8)n;
	return true;
}

/*
 * After icmp/icmp6: setkey's "TYPE[,CODE]", where 0 means any (the kernel
 * can tell no difference, setkey(8) says); or kipsec's "type T [code C]",
 * which takes 0 as the value 0.
 */
static bool parse_icmp(struct parser *p, struct kipsec_selector *sel)
{
	u8 v;

	if (kipsec_tok_is(&p->tok, "type") || kipsec_tok_is(&p->tok, "code")) {
		if (kipsec_tok_is(&p->tok, "type")) {
			next_token(p);
			if (!icmp_number(p, "the ICMP type after type", &sel->icmp_type))
				return false;
			sel->has_icmp_type = true;
		}
		if (kipsec_tok_is(&p->tok, "code")) {
			next_token(p);
			if (!icmp_number(p, "the ICMP code after code", &sel->icmp_code))
				return false;
			sel->has_icmp_code = true;
		}
		return true;
	}
	if (!tok_is_number(&p->tok))
		return true;
	if (!icmp_number(p, "the ICMP type", &v))
		return false;
	sel->has_icmp_type = v != 0;
	sel->icmp_type = v;
	if (p->tok.type != KIPSEC_TOK_COMMA)
		return true;
	next_token(p);
	if (!icmp_number(p, "the ICMP code after ','", &v))
		return false;
	sel->has_icmp_code = v != 0;
	sel->icmp_code = v;
	return true;
}

static bool parse_upper(struct parser *p, struct kipsec_selector *sel)
{
	struct kipsec_tok t = p->tok;
	struct protoent *pe;
	char name[64];
	u64 v;
	u8 proto;

	if (t.type != KIPSEC_TOK_WORD)
		return expected(p, "the upper-layer protocol (any, tcp, udp, icmp, icmp6, a number)");
	if (kipsec_tok_is(&t, "any")) {
		next_token(p);
		return true;
	}
	if (text_to_u64(t.text, t.len, &v) == NUMBER_OK) {
		if (v > 255)
			return error_at(p, pos_of(&t),
					"protocol %llu is out of range (0-255)",
					(unsigned long long)v);
		proto = (u8)v;
	} else if (!kipsec_upper_lookup(t.text, t.len, &proto)) {
		pe = NULL;
		if (t.len < sizeof(name)) {
			memcpy(name, t.text, t.len);
			name[t.len] = '\0';
			pe = getprotobyname(name);
		}
		if (!pe)
			return expected(p, "the upper-layer protocol (any, tcp, udp, icmp, icmp6, a name from /etc/protocols, a number)");
		proto = (u8)pe->p_proto;
	}
	next_token(p);
	/* 255 is setkey's IPSEC_ULPROTO_ANY; 0 is "any" to XFRM as well */
	if (proto == 0 || proto == 255)
		return true;
	sel->has_proto = true;
	sel->proto = proto;
	if (proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6)
		return parse_icmp(p, sel);
	if (tok_is_number(&p->tok) || kipsec_tok_is(&p->tok, "type") ||
	    kipsec_tok_is(&p->tok, "code"))
		return error_at(p, pos_of(&p->tok),
				"only icmp and icmp6 take a type and code after the protocol");
	return true;
}

void sel_of(const struct kipsec_selector *in, struct kipsec_sel *sel)
{
	memset(sel, 0, sizeof(*sel));
	memcpy(sel->src.b, in->src.bytes, sizeof(sel->src.b));
	memcpy(sel->dst.b, in->dst.bytes, sizeof(sel->dst.b));
	sel->family = in->src.family;
	sel->src_plen = in->src_plen;
	sel->dst_plen = in->dst_plen;
	sel->proto = in->proto;
	sel->sport = in->sport;
	sel->dport = in->dport;
	sel->icmp_type = in->icmp_type;
	sel->icmp_code = in->icmp_code;
	sel->fields = (in->has_proto ? KIPSEC_SEL_PROTO : 0) |
		      (in->has_sport ? KIPSEC_SEL_SPORT : 0) |
		      (in->has_dport ? KIPSEC_SEL_DPORT : 0) |
		      (in->has_icmp_type ? KIPSEC_SEL_ICMP_TYPE : 0) |
		      (in->has_icmp_code ? KIPSEC_SEL_ICMP_CODE : 0);
}

/* The kernel's selector rules (src/core/selector.c), checked here too. */
static bool check_selector(struct parser *p, const struct kipsec_selector *in,
			   const struct sel_places *at)
{
	enum kipsec_sel_part part;
	struct kipsec_sel sel;
	char msg[160];

	sel_of(in, &sel);
	if (!kipsec_sel_check(&sel, msg, sizeof(msg), &part))
		return true;
	switch (part) {
	case KIPSEC_SEL_PART_SRC:
		return error_at(p, at->src, "%s", msg);
	case KIPSEC_SEL_PART_DST:
		return error_at(p, at->dst, "%s", msg);
	case KIPSEC_SEL_PART_PORTS:
		return error_at(p, in->sport ? at->sport : at->dport, "%s", msg);
	default:
		return error_at(p, at->upper, "%s", msg);
	}
}

/* "SRC_RANGE DST_RANGE UPPERSPEC", as spdadd and add's -sel write it. */
bool parse_selector(struct parser *p, struct kipsec_selector *sel)
{
	struct sel_places at;

	at.src = pos_of(&p->tok);
	if (!parse_selector_addr(p, "the source address", &sel->src,
				 &sel->src_plen, &sel->sport, &at.sport))
		return false;
	at.dst = pos_of(&p->tok);
	if (!parse_selector_addr(p, "the destination address", &sel->dst,
				 &sel->dst_plen, &sel->dport, &at.dport))
		return false;
	if (!same_family(p, &sel->src, &sel->dst, at.dst, "the selector"))
		return false;
	sel->has_sport = sel->sport;
	sel->has_dport = sel->dport;
	at.upper = pos_of(&p->tok);
	return parse_upper(p, sel) && check_selector(p, sel, &at);
}
