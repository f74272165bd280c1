// SPDX-License-Identifier: GPL-2.0
/*
 * The SA statements: add, update, get, delete, deleteall, flush, dump,
 * getspi and alloc-spi, with their options, checked as the kernel checks.
 */
#include "setkey_parser.h"

/* Where an SA statement's parts are, to point at the one a check blames. */
struct sa_places {
	struct pos proto, spi, replay, lifetime, sel;
	struct pos encr_name, encr_key;
	struct pos integ_name, integ_key;
	bool integ_null;	/* -A null: setkey's "no integrity" */
};

/*
 * Where an SA statement's addresses and their [PORT]s are. Ports on SA
 * addresses exist only for ESP in UDP (setkey's esp-udp), so they are
 * read here and judged once the protocol is known (check_encap()).
 */
struct sa_ends {
	struct pos src, dst, sport, dport;
	bool has_sport, has_dport;
	/* NULL: ports and esp-udp may be written; else why they may not */
	const char *no_udp;
};

/* [PORT] after an SA address: a UDP port, 1..65535. */
static bool parse_sa_port(struct parser *p, u16 *port)
{
	struct kipsec_tok t;
	u64 v;

	next_token(p);	/* [ */
	t = p->tok;
	if (t.type != KIPSEC_TOK_WORD ||
	    text_to_u64(t.text, t.len, &v) == NUMBER_NOT)
		return expected(p, "a UDP port number (1-65535, usually 4500)");
	if (text_to_u64(t.text, t.len, &v) == NUMBER_TOO_BIG || v > 65535)
		return error_at(p, pos_of(&t),
				"port %.*s is out of range: a UDP port is 1-65535 (usually 4500)",
				(int)t.len, t.text);
	if (v == 0)
		return error_at(p, pos_of(&t),
				"port 0 cannot carry ESP in UDP: give the port the peer uses, 1-65535 (usually 4500)");
	*port = (u16)v;
	next_token(p);
	if (p->tok.type != KIPSEC_TOK_RBRACKET)
		return expected(p, "']'");
	next_token(p);
	return true;
}

static bool parse_sa_addr(struct parser *p, const char *what,
			  struct kipsec_ip *a, struct sa_ends *ends,
			  bool *has_port, struct pos *port_at, u16 *port)
{
	struct kipsec_tok next;

	if (!parse_addr(p, what, a))
		return false;
	if (p->tok.type == KIPSEC_TOK_SLASH)
		return error_at(p, pos_of(&p->tok),
				"an SA address takes no prefix length");
	if (p->tok.type != KIPSEC_TOK_LBRACKET)
		return true;
	if (ends->no_udp)
		return error_at(p, pos_of(&p->tok), "%s", ends->no_udp);
	next = peek(p);
	*port_at = pos_of(&next);
	*has_port = true;
	return parse_sa_port(p, port);
}

static bool parse_sa_addrs(struct parser *p, struct kipsec_sa *sa,
			   struct sa_ends *ends)
{
	parse_addr_flags(p);
	ends->src = pos_of(&p->tok);
	if (!parse_sa_addr(p, "the source address", &sa->src, ends,
			   &ends->has_sport, &ends->sport, &sa->encap_sport))
		return false;
	ends->dst = pos_of(&p->tok);
	if (!parse_sa_addr(p, "the destination address", &sa->dst, ends,
			   &ends->has_dport, &ends->dport, &sa->encap_dport))
		return false;
	return same_family(p, &sa->src, &sa->dst, ends->dst, "the SA");
}

/*
 * esp, esp-udp (ESP in UDP: *udp set) or ah; with @optional, nothing is
 * fine too (proto 0).
 */
static bool parse_sa_proto(struct parser *p, u8 *proto, bool *udp,
			   const struct sa_ends *ends, bool optional)
{
	static const char *const unsupported[] = {
		"esp-old", "ah-old", "ipcomp", "tcp",
	};

	*proto = 0;
	*udp = false;
	if (kipsec_tok_is(&p->tok, "esp")) {
		*proto = IPPROTO_ESP;
	} else if (kipsec_tok_is(&p->tok, "esp-udp")) {
		if (ends->no_udp)
			return error_at(p, pos_of(&p->tok), "%s", ends->no_udp);
		*proto = IPPROTO_ESP;
		*udp = true;
	} else if (kipsec_tok_is(&p->tok, "ah")) {
		*proto = IPPROTO_AH;
	} else {
		for (size_t i = 0; i < KIPSEC_NAMES_COUNT(unsupported); i++)
			if (kipsec_tok_is(&p->tok, unsupported[i]))
				return error_at(p, pos_of(&p->tok),
						"%s SAs are not supported: kipsec does esp, esp-udp and ah",
						unsupported[i]);
		if (optional)
			return true;
		return expected(p, "the protocol (esp, esp-udp or ah)");
	}
	next_token(p);
	return true;
}

/*
 * esp-udp needs both ports (the kernel takes both or neither), and ports
 * mean nothing without it: setkey for Linux passed them to PF_KEY, which
 * ignored them, so an SA written that way would silently not be what it
 * says.
 */
static bool check_encap(struct parser *p, struct kipsec_sa *sa,
			const struct sa_ends *ends, bool udp)
{
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];

	if (!udp && (ends->has_sport || ends->has_dport))
		return error_at(p, ends->has_sport ? ends->sport : ends->dport,
				sa->proto == IPPROTO_AH ?
				"AH cannot travel in UDP (RFC 3948 encapsulates ESP only): leave the ports out" :
				"ports on SA addresses mean ESP in UDP (NAT traversal): write esp-udp instead of esp, or leave the ports out");
	if (!udp)
		return true;
	if (!ends->has_sport || !ends->has_dport) {
		inet_ntop(sa->src.family, sa->src.bytes, src, sizeof(src));
		inet_ntop(sa->dst.family, sa->dst.bytes, dst, sizeof(dst));
		return error_at(p, ends->has_sport ? ends->dst : ends->src,
				"esp-udp needs the UDP port on both addresses: write %s[%u] %s[%u] esp-udp (4500 is the usual port)",
				src, ends->has_sport ? sa->encap_sport : 4500,
				dst, ends->has_dport ? sa->encap_dport : 4500);
	}
	sa->has_encap = true;
	return true;
}

static bool parse_spi(struct parser *p, u32 *spi)
{
	return u32_arg(p, "the SPI (a number, 0x... for hex)", spi);
}

/* A key: 0x followed by hex digits, or a "quoted string". */
static bool parse_key(struct parser *p, struct kipsec_alg_key *k,
		      const char *what)
{
	const struct kipsec_tok *t = &p->tok;

	if (t->type == KIPSEC_TOK_STRING) {
		if (t->len > KIPSEC_KEY_MAX)
			return error_at(p, pos_of(t),
					"the key is %zu bytes; kipsec takes at most %d",
					t->len, KIPSEC_KEY_MAX);
		memcpy(k->key, t->text, t->len);
		k->keylen = (u8)t->len;
	} else if (t->type == KIPSEC_TOK_WORD && t->len > 2 &&
		   t->text[0] == '0' && (t->text[1] == 'x' || t->text[1] == 'X')) {
		size_t digits = t->len - 2, i, out = 0;
		const char *h = t->text + 2;

		if ((digits + 1) / 2 > KIPSEC_KEY_MAX)
			return error_at(p, pos_of(t),
					"the key is %zu bytes; kipsec takes at most %d",
					(digits + 1) / 2, KIPSEC_KEY_MAX);
		for (i = 0; i < digits; i++)
			if (digit_value(h[i], 16) < 0)
				return error_at(p, pos_at(t, 2 + i),
						"'%c' is not a hex digit (keys in hex are 0x followed by 0-9, a-f)",
						h[i]);
		/* setkey reads an odd digit count as if a 0 led */
		if (digits % 2) {
			warn_at(p, pos_of(t),
				"the key has an odd number of hex digits; read as if it began with 0x0");
			k->key[out++] = (u8)digit_value(h[0], 16);
			h++;
			digits--;
		}
		for (i = 0; i < digits; i += 2)
			k->key[out++] = (u8)(digit_value(h[i], 16) << 4 |
					     digit_value(h[i + 1], 16));
		k->keylen = (u8)out;
	} else {
		return expected(p, what);
	}
	k->key_known = true;
	next_token(p);
	return true;
}

static bool is_key_token(const struct kipsec_tok *t)
{
	return t->type == KIPSEC_TOK_STRING ||
	       (t->type == KIPSEC_TOK_WORD && t->len >= 2 && t->text[0] == '0' &&
		(t->text[1] == 'x' || t->text[1] == 'X'));
}

/* setkey's other spellings of algorithms kipsec has */
static const char *alg_alias(const char *name)
{
	static const char *const aliases[][2] = {
		{ "rijndael-cbc", "aes-cbc" },
		{ "hmac-sha2-256", "hmac-sha256" },
		{ "hmac-sha2-384", "hmac-sha384" },
		{ "hmac-sha2-512", "hmac-sha512" },
	};

	for (size_t i = 0; i < KIPSEC_NAMES_COUNT(aliases); i++)
		if (!strcmp(name, aliases[i][0]))
			return aliases[i][1];
	return name;
}

/* "aes-gcm-16, aes-gcm-12, ..." */
static void list_algs(char *buf, size_t len, bool encr)
{
	const struct kipsec_alg *a, *prev = NULL;
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; (a = encr ? kipsec_encr_at(i) : kipsec_integ_at(i));
	     prev = a, i++) {
		if (prev && !strcmp(prev->name, a->name))	/* aes-gmac sizes */
			continue;
		used += (size_t)snprintf(buf + used, used < len ? len - used : 0,
					 "%s%s", used ? ", " : "", a->name);
	}
}

/* The algorithm name at the current token, lowercased into @name. */
static bool alg_name_arg(struct parser *p, const char *opt, char *name,
			 size_t len)
{
	const struct kipsec_tok *t = &p->tok;
	const char *alias;
	char what[48];

	if (t->type != KIPSEC_TOK_WORD || t->len >= len) {
		snprintf(what, sizeof(what), "an algorithm after %s", opt);
		return expected(p, what);
	}
	for (size_t i = 0; i < t->len; i++)
		name[i] = (char)tolower((unsigned char)t->text[i]);
	name[t->len] = '\0';
	alias = alg_alias(name);
	if (alias != name)
		strcpy(name, alias);
	return true;
}

static bool unknown_alg(struct parser *p, const char *name, bool encr)
{
	char list[256];

	list_algs(list, sizeof(list), encr);
	return error_at(p, pos_of(&p->tok),
			"unknown %s algorithm '%s' (kipsec has: %s)",
			encr ? "encryption" : "integrity", name, list);
}

static bool parse_encr(struct parser *p, struct kipsec_sa *sa,
		       struct sa_places *at)
{
	const struct kipsec_alg *alg;
	char name[32], what[96];

	if (!alg_name_arg(p, "-E", name, sizeof(name)))
		return false;
	alg = kipsec_encr_by_name(name);
	if (!alg)
		return unknown_alg(p, name, true);
	at->encr_name = pos_of(&p->tok);
	next_token(p);
	sa->encr.present = true;
	sa->encr.id = alg->id;
	at->encr_key = pos_of(&p->tok);
	/* setkey's "-E null" has no key; one given anyway is checked */
	if (alg->id == KIPSEC_ENCR_NULL && !is_key_token(&p->tok)) {
		sa->encr.key_known = true;
		return true;
	}
	snprintf(what, sizeof(what), "the key after -E %s (0x... hex or \"string\")",
		 name);
	return parse_key(p, &sa->encr, what);
}

static bool parse_integ(struct parser *p, struct kipsec_sa *sa,
			struct sa_places *at)
{
	const struct kipsec_alg *alg;
	char name[32], what[96];

	if (!alg_name_arg(p, "-A", name, sizeof(name)))
		return false;
	at->integ_name = pos_of(&p->tok);
	if (!strcmp(name, "null")) {
		at->integ_null = true;
		next_token(p);
		return true;
	}
	if (!kipsec_integ_by_name(name, 0))
		return unknown_alg(p, name, false);
	next_token(p);
	at->integ_key = pos_of(&p->tok);
	snprintf(what, sizeof(what), "the key after -A %s (0x... hex or \"string\")",
		 name);
	if (!parse_key(p, &sa->integ, what))
		return false;
	/* one name, several IDs by key size (aes-gmac for AH) */
	alg = kipsec_integ_by_name(name, sa->integ.keylen);
	sa->integ.present = true;
	sa->integ.id = alg->id;
	return true;
}

/* -f WORD: setkey's padding/sequence words and kipsec's SA flags */
static bool parse_f_option(struct parser *p, struct kipsec_sa *sa)
{
	const struct kipsec_tok *t = &p->tok;
	int df;

	for (size_t i = 0; i < KIPSEC_NAMES_COUNT(kipsec_sa_flag_names); i++) {
		if (kipsec_tok_is(t, kipsec_sa_flag_names[i].name)) {
			sa->flags |= kipsec_sa_flag_names[i].flag;
			next_token(p);
			return true;
		}
	}
	/* ip-xfrm's words for the same flags */
	if (kipsec_tok_is(t, "noecn")) {
		sa->flags |= KIPSEC_SA_F_NO_ECN;
	} else if (kipsec_tok_is(t, "dont-encap-dscp")) {
		sa->flags |= KIPSEC_SA_F_NO_DSCP_COPY;
	} else if (t->type == KIPSEC_TOK_WORD && t->len > 3 &&
		   !strncasecmp(t->text, "df-", 3) &&
		   (df = kipsec_enum_index(kipsec_df_names, t->text + 3,
					   t->len - 3)) >= 0) {
		if (sa->df_set)
			return error_at(p, pos_of(t), "the DF option is given twice");
		sa->df_set = true;
		sa->df = (u8)df;
	} else if (kipsec_tok_is(t, "seq-pad") || kipsec_tok_is(t, "nocyclic-seq")) {
		/* what kipsec always does (RFC 4303 padding, no wrap) */
	} else if (kipsec_tok_is(t, "zero-pad") || kipsec_tok_is(t, "random-pad")) {
		warn_at(p, pos_of(t),
			"-f %.*s is ignored: kipsec pads as RFC 4303 says (seq-pad)",
			(int)t->len, t->text);
	} else {
		return expected(p,
				"a word after -f (esn, no-dscp-copy, no-ecn, df-copy, df-set, df-clear, seq-pad, nocyclic-seq)");
	}
	next_token(p);
	return true;
}

static const struct {
	const char *opt;
	size_t offset;
	const char *what;
} lifetime_opts[] = {
	{ "-lh", offsetof(struct kipsec_sa, hard.add_seconds), "seconds after -lh" },
	{ "-ls", offsetof(struct kipsec_sa, soft.add_seconds), "seconds after -ls" },
	{ "-bh", offsetof(struct kipsec_sa, hard.bytes), "bytes after -bh" },
	{ "-bs", offsetof(struct kipsec_sa, soft.bytes), "bytes after -bs" },
	{ "-ph", offsetof(struct kipsec_sa, hard.packets), "packets after -ph" },
	{ "-ps", offsetof(struct kipsec_sa, soft.packets), "packets after -ps" },
	{ "-uh", offsetof(struct kipsec_sa, hard.use_seconds), "seconds after -uh" },
	{ "-us", offsetof(struct kipsec_sa, soft.use_seconds), "seconds after -us" },
};

static int lifetime_opt_index(const struct kipsec_tok *t)
{
	for (size_t i = 0; i < KIPSEC_NAMES_COUNT(lifetime_opts); i++)
		if (is_option(t, lifetime_opts[i].opt))
			return (int)i;
	return -1;
}

/* One option of add/update, at the current token. */
static bool parse_sa_option(struct parser *p, struct kipsec_sa *sa,
			    struct sa_places *at, unsigned int *seen,
			    bool *seen_lifetime)
{
	static const char *const options[] = { "-m", "-r", "-u", "-E", "-A", "-f",
						"-sel" };
	struct kipsec_tok opt = p->tok;
	int known = -1, lifetime = lifetime_opt_index(&opt), mode;

	for (size_t i = 0; i < KIPSEC_NAMES_COUNT(options); i++)
		if (is_option(&opt, options[i]))
			known = (int)i;
	if (is_option(&opt, "-ctx") || is_option(&opt, "-C") ||
	    is_option(&opt, "-R"))
		return error_at(p, pos_of(&opt),
				"%.*s (security contexts, IPcomp) is not supported",
				(int)opt.len, opt.text);
	if (known < 0 && lifetime < 0)
		return expected(p,
				"an option (-m, -r, -u, -f, -E, -A, -sel, -lh, -ls, -bh, -bs, -ph, -ps, -uh, -us) or ';'");
	/* all but -f (which adds flags) once */
	if (known >= 0 && !is_option(&opt, "-f")) {
		if (*seen & (1u << known))
			return error_at(p, pos_of(&opt), "%s is given twice",
					options[known]);
		*seen |= 1u << known;
	}
	next_token(p);
	if (lifetime >= 0 && !*seen_lifetime) {
		*seen_lifetime = true;
		at->lifetime = pos_of(&opt);
	}
	if (lifetime >= 0)
		return number_arg(p, lifetime_opts[lifetime].what, UINT64_MAX,
				  (u64 *)((char *)sa +
					  lifetime_opts[lifetime].offset));
	if (is_option(&opt, "-m")) {
		if (kipsec_tok_is(&p->tok, "any")) {
			next_token(p);
			return true;
		}
		mode = p->tok.type == KIPSEC_TOK_WORD ?
		       kipsec_enum_index(kipsec_mode_names, p->tok.text,
					 p->tok.len) : -1;
		if (mode < 0)
			return expected(p, "transport, tunnel or any after -m");
		sa->mode_set = true;
		sa->mode = (u8)mode;
		next_token(p);
		return true;
	}
	if (is_option(&opt, "-r")) {
		at->replay = pos_of(&p->tok);
		sa->replay_set = true;
		if (!u32_arg(p, "the replay window in packets after -r",
			     &sa->replay_window))
			return false;
		/* setkey files written for Linux's PF_KEY often say -r 4 .. -r 31. */
		if (sa->replay_window && sa->replay_window < 32) {
			warn_at(p, at->replay,
				"replay window %u is below kipsec's smallest: 32 is used",
				sa->replay_window);
			sa->replay_window = 32;
		}
		return true;
	}
	if (is_option(&opt, "-u"))
		return u32_arg(p, "the reqid after -u", &sa->reqid);
	if (is_option(&opt, "-sel")) {
		at->sel = pos_of(&p->tok);
		sa->has_sel = true;
		return parse_selector(p, &sa->sel);
	}
	if (is_option(&opt, "-f"))
		return parse_f_option(p, sa);
	if (is_option(&opt, "-E"))
		return parse_encr(p, sa, at);
	return parse_integ(p, sa, at);
}

/* The statement as the kernel's rules (src/core/sa_params.c) see it. */
static void sa_params_of(const struct kipsec_sa *sa, struct kipsec_sa_params *p)
{
	memset(p, 0, sizeof(*p));
	p->proto = sa->proto;
	p->family = sa->src.family;	/* AF_INET == KIPSEC_AF_INET, ... */
	p->mode = sa->mode_set ? sa->mode : KIPSEC_MODE_TRANSPORT;
	p->tunnel_df = sa->df;
	p->spi = sa->spi;
	p->reqid = sa->reqid;
	p->flags = sa->flags;
	memcpy(p->src.b, sa->src.bytes, sizeof(p->src.b));
	memcpy(p->dst.b, sa->dst.bytes, sizeof(p->dst.b));
	p->algs.proto = sa->proto;
	p->algs.has_encr = sa->encr.present;
	p->algs.encr_id = sa->encr.id;
	p->algs.encr_keylen = sa->encr.keylen;
	p->algs.has_integ = sa->integ.present;
	p->algs.integ_id = sa->integ.id;
	p->algs.integ_keylen = sa->integ.keylen;
	p->replay_window = sa->replay_set ? sa->replay_window :
			   kipsec_algs_default_replay_window(&p->algs);
	p->soft = sa->soft;
	p->hard = sa->hard;
	if (sa->has_sel)
		sel_of(&sa->sel, &p->sel);
}

/* Where in the statement the part a check blamed was written. */
static struct pos blame_sa(const struct sa_places *at,
			   enum kipsec_sa_field field)
{
	switch (field) {
	case KIPSEC_SA_FIELD_SPI:
		return at->spi;
	case KIPSEC_SA_FIELD_REPLAY:
		return at->replay;
	case KIPSEC_SA_FIELD_LIFETIME:
		return at->lifetime;
	case KIPSEC_SA_FIELD_SELECTOR:
		return at->sel;
	case KIPSEC_SA_FIELD_ENCR:
		return at->encr_name;
	case KIPSEC_SA_FIELD_ENCR_KEY:
		return at->encr_key;
	case KIPSEC_SA_FIELD_INTEG:
		return at->integ_name;
	case KIPSEC_SA_FIELD_INTEG_KEY:
		return at->integ_key;
	default:
		return at->proto;
	}
}

static bool check_sa(struct parser *p, const struct kipsec_op *op,
		     const struct sa_places *at)
{
	const struct kipsec_sa *sa = &op->sa;
	const struct kipsec_alg *e, *i;
	struct kipsec_sa_params params;
	enum kipsec_sa_field field;
	const char *which;
	char msg[200];

	/* update of a full SA: lifetimes and options only; the rest is set */
	if (op->type == KIPSEC_OP_SA_UPDATE && !sa->encr.present &&
	    !sa->integ.present && !at->integ_null) {
		if (!kipsec_lifetime_soft_below_hard(&sa->soft, &sa->hard, &which))
			return error_at(p, at->lifetime,
					"the soft lifetime (%s) must not exceed the hard one",
					which);
		return true;
	}
	sa_params_of(sa, &params);
	if (kipsec_sa_params_check(&params, msg, sizeof(msg), &field))
		return error_at(p, blame_sa(at, field), "%s", msg);

	e = sa->encr.present ? kipsec_encr_by_id(sa->encr.id) : NULL;
	i = sa->integ.present ? kipsec_integ_by_id(sa->integ.id) : NULL;
	if (e && e->deprecated)
		warn_at(p, at->encr_name,
			"%s is deprecated (RFC 8221): use aes-gcm-16, or aes-cbc with hmac-sha256",
			e->name);
	if (i && i->deprecated)
		warn_at(p, at->integ_name,
			"%s is deprecated (RFC 8221): use hmac-sha256", i->name);
	if (e && e->kind == KIPSEC_ALG_CIPHER && !i)
		warn_at(p, at->encr_name,
			"ESP with %s but no integrity algorithm can be forged and is unsafe unless AH protects the same traffic: add -A hmac-sha256, or use aes-gcm-16",
			e->name);
	if ((sa->df_set || (sa->flags & ~KIPSEC_SA_F_ESN)) &&
	    !(sa->mode_set && sa->mode == KIPSEC_MODE_TUNNEL))
		warn_at(p, at->proto,
			"the DF, DSCP and ECN options act on the outer header of tunnel mode; this SA is not -m tunnel");
	return true;
}

bool parse_sa_add(struct parser *p, struct kipsec_op *op)
{
	struct kipsec_sa *sa = &op->sa;
	struct sa_places at = { 0 };
	struct sa_ends ends = { 0 };
	bool seen_lifetime = false, udp;
	unsigned int seen = 0;

	if (!parse_sa_addrs(p, sa, &ends))
		return false;
	at.proto = pos_of(&p->tok);
	if (!parse_sa_proto(p, &sa->proto, &udp, &ends, false) ||
	    !check_encap(p, sa, &ends, udp))
		return false;
	at.spi = pos_of(&p->tok);
	if (!parse_spi(p, &sa->spi))
		return false;
	at.encr_name = at.encr_key = at.integ_name = at.integ_key = at.proto;
	at.replay = at.lifetime = at.proto;
	while (p->tok.type == KIPSEC_TOK_WORD && p->tok.text[0] == '-')
		if (!parse_sa_option(p, sa, &at, &seen, &seen_lifetime))
			return false;
	return at_semi(p, "an option (-m, -r, -u, -f, -E, -A, -lh, ...) or ';'") &&
	       check_sa(p, op, &at);
}

/*
 * get, delete: the kernel names an SA by DST, SPI and protocol, so the
 * ports of an esp-udp line are checked as add checks them but not sent.
 */
bool parse_sa_id(struct parser *p, struct kipsec_op *op)
{
	struct sa_ends ends = { 0 };
	bool udp;

	return parse_sa_addrs(p, &op->sa, &ends) &&
	       parse_sa_proto(p, &op->sa.proto, &udp, &ends, false) &&
	       check_encap(p, &op->sa, &ends, udp) &&
	       parse_spi(p, &op->sa.spi) &&
	       at_semi(p, "';'");
}

/* esp-udp SAs are ESP SAs: "esp" filters take them in. */
#define ESP_COVERS_UDP "esp-udp SAs are ESP SAs: write esp, which covers them"

bool parse_deleteall(struct parser *p, struct kipsec_op *op)
{
	struct sa_ends ends = {
		.no_udp = "deleteall takes no ports: it removes the SAs between the two addresses, esp-udp ones too (esp covers them)",
	};
	bool udp;

	if (!parse_sa_addrs(p, &op->sa, &ends))
		return false;
	ends.no_udp = ESP_COVERS_UDP;
	return parse_sa_proto(p, &op->sa.proto, &udp, &ends, true) &&
	       at_semi(p, "esp, ah or ';'");
}

/* flush, dump */
bool parse_sa_proto_filter(struct parser *p, struct kipsec_op *op)
{
	const struct sa_ends ends = { .no_udp = ESP_COVERS_UDP };
	bool udp;

	return parse_sa_proto(p, &op->sa.proto, &udp, &ends, true) &&
	       at_semi(p, "esp, ah or ';'");
}

/*
 * getspi, alloc-spi: a larval SA has no ports yet; the update that
 * completes it gives them.
 */
static const struct sa_ends larval_ends = {
	.no_udp = "a reserved SPI has no ports yet: write esp here, and esp-udp with the ports in the update that completes the SA",
};

/* setkey's getspi: one SPI (or any when 0), held as a larval SA */
bool parse_getspi(struct parser *p, struct kipsec_op *op)
{
	struct kipsec_sa *sa = &op->sa;

	struct sa_ends ends = larval_ends;
	struct kipsec_tok t;
	bool udp;

	if (!parse_sa_addrs(p, sa, &ends) ||
	    !parse_sa_proto(p, &sa->proto, &udp, &ends, false))
		return false;
	t = p->tok;
	if (!parse_spi(p, &sa->spi))
		return false;
	if (sa->spi && sa->spi < 256)
		return error_at(p, pos_of(&t),
				"SPI %u is reserved (RFC 4303: 1-255); use 256 or above, or 0 for any",
				sa->spi);
	sa->spi_min = sa->spi_max = sa->spi;
	sa->spi = 0;
	if (is_option(&p->tok, "-u")) {
		next_token(p);
		if (!u32_arg(p, "the reqid after -u", &sa->reqid))
			return false;
	}
	return at_semi(p, "-u or ';'");
}

bool parse_alloc_spi(struct parser *p, struct kipsec_op *op)
{
	struct kipsec_sa *sa = &op->sa;
	struct sa_ends ends = larval_ends;
	struct kipsec_tok t;
	bool udp;

	if (!parse_sa_addrs(p, sa, &ends) ||
	    !parse_sa_proto(p, &sa->proto, &udp, &ends, false))
		return false;
	for (;;) {
		if (is_option(&p->tok, "-u")) {
			next_token(p);
			if (!u32_arg(p, "the reqid after -u", &sa->reqid))
				return false;
		} else if (kipsec_tok_is(&p->tok, "range")) {
			next_token(p);
			t = p->tok;
			if (!parse_spi(p, &sa->spi_min))
				return false;
			if (!parse_spi(p, &sa->spi_max))
				return false;
			if (sa->spi_min > sa->spi_max)
				return error_at(p, pos_of(&t),
						"the range's minimum %u is above its maximum %u",
						sa->spi_min, sa->spi_max);
			if (sa->spi_min < 256)
				return error_at(p, pos_of(&t),
						"the range's minimum %u is a reserved SPI (RFC 4303: 1-255); start at 256 or above",
						sa->spi_min);
		} else {
			return at_semi(p, "-u, range MIN MAX or ';'");
		}
	}
}
