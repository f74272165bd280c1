// SPDX-License-Identifier: GPL-2.0
/*
 * The policy statements: spdadd, spdupdate and spddelete with their
 * selector, direction, priority, action and templates; spdflush, spddump.
 */
#include "setkey_parser.h"

/* prio N | prio -N | prio low|def|high [+ N | - N] (libipsec's rules) */
static bool parse_priority(struct parser *p, u32 *prio)
{
	static const struct {
		const char *name;
		u32 value;
	} bases[] = {
		{ "low", KIPSEC_PRIO_LOW },
		{ "def", KIPSEC_PRIO_DEFAULT },
		{ "high", KIPSEC_PRIO_HIGH },
	};
	const char *what = "a priority after prio (N, -N, or low, def or high, optionally followed by + N or - N)";
	struct kipsec_tok t = p->tok;
	u32 base = KIPSEC_PRIO_DEFAULT;
	bool have_base = false, minus = false;
	u64 n, max;

	if (t.type != KIPSEC_TOK_WORD)
		return expected(p, what);
	for (size_t i = 0; i < KIPSEC_NAMES_COUNT(bases); i++) {
		size_t l = strlen(bases[i].name);

		if (t.len >= l && !strncasecmp(t.text, bases[i].name, l) &&
		    (t.len == l || t.text[l] == '-')) {
			have_base = true;
			base = bases[i].value;
			/* the lexer keeps "def-10" as one word */
			t.text += l;
			t.len -= l;
			t.column += (unsigned int)l;
			break;
		}
	}
	if (have_base && t.len == 0) {
		next_token(p);
		if (p->tok.type == KIPSEC_TOK_PLUS) {
			next_token(p);
			if (!number_arg(p, "a number after +", 0x40000000, &n))
				return false;
			*prio = base - (u32)n;
			return true;
		}
		t = p->tok;
		if (t.type != KIPSEC_TOK_WORD || t.text[0] != '-' ||
		    (t.len > 1 && !isdigit((unsigned char)t.text[1]))) {
			*prio = base;
			return true;
		}
	}
	if (t.text[0] == '-') {
		minus = true;
		t.text++;
		t.len--;
		t.column++;
		if (t.len == 0) {	/* "- 10" */
			next_token(p);
			t = p->tok;
		}
	}
	if (t.type != KIPSEC_TOK_WORD ||
	    text_to_u64(t.text, t.len, &n) == NUMBER_NOT) {
		p->tok = t;
		return expected(p, what);
	}
	/* libipsec's bounds: the result stays within 32 bits */
	max = have_base ? 0x3fffffff : minus ? 0x7fffffff : 0x80000000;
	if (text_to_u64(t.text, t.len, &n) != NUMBER_OK || n > max)
		return error_at(p, pos_of(&t),
				"priority offset %.*s is out of range (at most %llu here)",
				(int)t.len, t.text, (unsigned long long)max);
	*prio = minus ? base + (u32)n : base - (u32)n;
	next_token(p);
	return true;
}

static bool is_level_word(const struct kipsec_tok *t)
{
	size_t len;

	if (t->type != KIPSEC_TOK_WORD)
		return false;
	len = tok_span(t, ':');
	return kipsec_enum_index(kipsec_level_names, t->text, len) >= 0;
}

/* default|use|require|unique, each optionally :REQID (setkey: unique:N) */
static bool parse_level(struct parser *p, struct kipsec_tmpl *t)
{
	const struct kipsec_tok *tok = &p->tok;
	size_t len = tok_span(tok, ':');
	enum number_result r;
	u64 reqid;

	t->level = (u8)kipsec_enum_index(kipsec_level_names, tok->text, len);
	if (len < tok->len) {
		r = text_to_u64(tok->text + len + 1, tok->len - len - 1, &reqid);
		if (r != NUMBER_OK || reqid > UINT32_MAX)
			return error_at(p, pos_at(tok, len + 1),
					"expected a reqid after '%.*s:', got '%.*s'",
					(int)len, tok->text,
					(int)(tok->len - len - 1),
					tok->text + len + 1);
		t->reqid = (u32)reqid;
	}
	next_token(p);
	return true;
}

/* SRC-DST of a tunnel template, one word to the lexer */
static bool parse_endpoints(struct parser *p, struct kipsec_tmpl *t)
{
	const struct kipsec_tok *tok = &p->tok;
	size_t src_len = tok_span(tok, '-'), dst_off = src_len + 1;

	if (src_len == tok->len && peek(p).type == KIPSEC_TOK_LBRACKET)
		return error_at(p, pos_at(tok, tok->len),
				"ports on tunnel endpoints (NAT traversal) are not supported");
	if (src_len == tok->len)
		return error_at(p, pos_of(tok),
				"expected the tunnel endpoints SRC-DST, got '%.*s'",
				(int)tok->len, tok->text);
	if (!parse_addr_text(p, tok->text, src_len, pos_of(tok),
			     "the tunnel's source address", &t->src) ||
	    !parse_addr_text(p, tok->text + dst_off, tok->len - dst_off,
			     pos_at(tok, dst_off),
			     "the tunnel's destination address", &t->dst))
		return false;
	if (t->src.family != t->dst.family)
		return error_at(p, pos_at(tok, dst_off),
				"the tunnel endpoints mix address families: %s and %s",
				family_name(t->src.family),
				family_name(t->dst.family));
	next_token(p);
	if (p->tok.type == KIPSEC_TOK_LBRACKET)
		return error_at(p, pos_of(&p->tok),
				"ports on tunnel endpoints (NAT traversal) are not supported");
	return true;
}

static bool is_template_proto(const struct kipsec_tok *t)
{
	return kipsec_tok_is(t, "esp") || kipsec_tok_is(t, "ah") ||
	       kipsec_tok_is(t, "ipcomp");
}

/* PROTO/MODE[/[SRC-DST][/[LEVEL[/SPI]]]] */
static bool parse_template(struct parser *p, struct kipsec_tmpl *t)
{
	struct kipsec_tok start = p->tok, addr_tok = p->tok;
	bool have_addrs = false;
	int mode;

	memset(t, 0, sizeof(*t));
	t->level = KIPSEC_LEVEL_DEFAULT;	/* libipsec's, when none is written */
	if (kipsec_tok_is(&start, "ipcomp"))
		return error_at(p, pos_of(&start), "ipcomp is not supported");
	if (!kipsec_tok_is(&start, "esp") && !kipsec_tok_is(&start, "ah"))
		return expected(p, "a template like esp/transport//require, or ';'");
	t->proto = kipsec_tok_is(&start, "esp") ? IPPROTO_ESP : IPPROTO_AH;
	next_token(p);
	if (p->tok.type != KIPSEC_TOK_SLASH)
		return expected(p, "'/' and the mode (esp/transport//require, esp/tunnel/SRC-DST/require)");
	next_token(p);
	mode = p->tok.type == KIPSEC_TOK_WORD ?
	       kipsec_enum_index(kipsec_mode_names, p->tok.text, p->tok.len) : -1;
	if (mode < 0)
		return expected(p, "the template's mode (transport or tunnel)");
	t->mode = (u8)mode;
	next_token(p);
	if (p->tok.type == KIPSEC_TOK_SLASH) {
		next_token(p);
		if (is_level_word(&p->tok))
			return error_at(p, pos_of(&p->tok),
					"expected SRC-DST endpoints or '/' before the level, as in esp/transport//require");
		if (p->tok.type == KIPSEC_TOK_WORD && !is_template_proto(&p->tok)) {
			addr_tok = p->tok;
			if (!parse_endpoints(p, t))
				return false;
			have_addrs = true;
		}
		if (p->tok.type == KIPSEC_TOK_SLASH) {
			next_token(p);
			if (is_level_word(&p->tok)) {
				if (!parse_level(p, t))
					return false;
				if (p->tok.type == KIPSEC_TOK_SLASH) {
					next_token(p);
					if (!u32_arg(p, "the SA's SPI after the level", &t->spi))
						return false;
				}
			}
		}
	}
	if (t->mode == KIPSEC_MODE_TUNNEL && !have_addrs)
		return error_at(p, pos_of(&start),
				"tunnel mode needs its endpoints: %s/tunnel/SRC-DST/require",
				kipsec_sa_proto_name(t->proto));
	if (t->mode == KIPSEC_MODE_TRANSPORT && have_addrs)
		return error_at(p, pos_of(&addr_tok),
				"transport mode takes no endpoints: %s/transport//require",
				kipsec_sa_proto_name(t->proto));
	return true;
}

/* -P DIR [prio P] ACTION [TEMPLATE ...] */
static bool parse_policy(struct parser *p, struct kipsec_op *op)
{
	struct kipsec_policy *pol = &op->pol;
	int dir, action;

	dir = p->tok.type == KIPSEC_TOK_WORD ?
	      kipsec_enum_index(kipsec_dir_names, p->tok.text, p->tok.len) : -1;
	if (dir < 0)
		return expected(p, "the direction (in, out or fwd) after -P");
	pol->dir = (u8)dir;
	next_token(p);
	pol->priority = KIPSEC_PRIO_DEFAULT;
	if (kipsec_tok_is(&p->tok, "prio") || kipsec_tok_is(&p->tok, "priority")) {
		next_token(p);
		if (!parse_priority(p, &pol->priority))
			return false;
	}
	if (op->type == KIPSEC_OP_POLICY_DELETE && p->tok.type == KIPSEC_TOK_SEMI)
		return true;
	if (kipsec_tok_is(&p->tok, "entrust"))
		return error_at(p, pos_of(&p->tok),
				"entrust is not supported: use discard, none or ipsec");
	if (kipsec_tok_is(&p->tok, "bypass"))
		action = KIPSEC_ACTION_BYPASS;
	else
		action = p->tok.type == KIPSEC_TOK_WORD ?
			 kipsec_enum_index(kipsec_action_names, p->tok.text,
					   p->tok.len) : -1;
	if (action < 0)
		return expected(p, "the action (discard, none or ipsec)");
	pol->has_action = true;
	pol->action = (u8)action;
	next_token(p);
	if (action != KIPSEC_ACTION_IPSEC)
		return at_semi(p, "';' (only ipsec policies take templates)");
	while (p->tok.type != KIPSEC_TOK_SEMI) {
		if (pol->n_tmpl == KIPSEC_TEMPLATES_MAX)
			return error_at(p, pos_of(&p->tok),
					"a policy takes at most %d templates",
					KIPSEC_TEMPLATES_MAX);
		if (p->tok.type == KIPSEC_TOK_EOF && pol->n_tmpl)
			return expected(p, "another template or ';'");
		if (!parse_template(p, &pol->tmpl[pol->n_tmpl]))
			return false;
		pol->n_tmpl++;
	}
	if (!pol->n_tmpl)
		return error_at(p, pos_of(&p->tok),
				"an ipsec policy needs at least one template, like esp/transport//require");
	return true;
}

bool parse_spd(struct parser *p, struct kipsec_op *op)
{
	struct kipsec_policy *pol = &op->pol;

	parse_addr_flags(p);
	if (!parse_selector(p, &pol->sel))
		return false;
	if (is_option(&p->tok, "-ctx"))
		return error_at(p, pos_of(&p->tok),
				"security contexts (-ctx) are not supported");
	if (!is_option(&p->tok, "-P"))
		return expected(p, "-P and the policy");
	next_token(p);
	return parse_policy(p, op);
}
