// SPDX-License-Identifier: GPL-2.0
/*
 * The setkey(8) grammar, read by recursive descent:
 *
 *   add|update [-46n] SRC DST esp|ah SPI [options] -E ALG [KEY] [-A ALG KEY] ;
 *   get|delete [-46n] SRC DST esp|ah SPI ;
 *   deleteall [-46n] SRC DST [esp|ah] ;      flush [esp|ah] ;   dump [esp|ah] ;
 *   getspi [-46n] SRC DST esp|ah SPI [-u REQID] ;
 *   alloc-spi [-46n] SRC DST esp|ah [-u REQID] [range MIN MAX] ;
 *   spdadd|spdupdate|spddelete [-46n] SRC[/PLEN][[PORT]] DST[/PLEN][[PORT]]
 *          UPPER [TYPE[,CODE]] -P DIR [prio P] ACTION [TEMPLATE ...] ;
 *   spdflush ;   spddump ;   exit ;
 *
 * Keywords are matched in any case (setkey files say "IPsec" too); options
 * are case-sensitive as in setkey (-E is not -e). The first error of a
 * statement is recorded and the rest of it skipped, so one run reports
 * every bad statement of a file.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include "algs.h"
#include "names.h"
#include "setkey_lex.h"
#include "setkey_parse.h"

#define MAX_ERRORS 20

struct pos {
	unsigned int line, column;
};

struct parser {
	struct kipsec_lexer lx;
	struct kipsec_tok tok;
	struct kipsec_script *s;
	bool failed;		/* the statement being read has its error */
	int family;		/* -4 / -6 before the addresses, else 0 */
};

/* Where an SA statement's parts are, to point at the one a check blames. */
struct sa_places {
	struct pos proto, spi, replay, lifetime, sel;
	struct pos encr_name, encr_key;
	struct pos integ_name, integ_key;
	bool integ_null;	/* -A null: setkey's "no integrity" */
};

/* The same for a policy's selector. */
struct sel_places {
	struct pos src, dst, sport, dport, upper;
};

static void *grow(void *array, size_t *cap, size_t want, size_t size)
{
	size_t n = *cap ? *cap : 16;
	void *p;

	if (want <= *cap)
		return array;
	while (n < want)
		n *= 2;
	p = realloc(array, n * size);
	if (!p) {
		fputs("kipsec: out of memory\n", stderr);
		exit(1);
	}
	*cap = n;
	return p;
}

static struct pos pos_of(const struct kipsec_tok *t)
{
	return (struct pos){ t->line, t->column };
}

static struct pos pos_at(const struct kipsec_tok *t, size_t offset)
{
	return (struct pos){ t->line, t->column + (unsigned int)offset };
}

static void add_diag(struct kipsec_script *s, struct pos at, bool warning,
		     const char *fmt, va_list ap)
{
	struct kipsec_diag *d;
	char buf[512];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	s->diags = grow(s->diags, &s->cap_diags, s->n_diags + 1,
			sizeof(*s->diags));
	d = &s->diags[s->n_diags++];
	d->line = at.line;
	d->column = at.column;
	d->warning = warning;
	d->msg = strdup(buf);
	if (!d->msg) {
		fputs("kipsec: out of memory\n", stderr);
		exit(1);
	}
}

__attribute__((format(printf, 4, 5)))
static void diag_at(struct kipsec_script *s, struct pos at, bool warning,
		    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_diag(s, at, warning, fmt, ap);
	va_end(ap);
}

/* Records the statement's first error; always returns false. */
__attribute__((format(printf, 3, 4)))
static bool error_at(struct parser *p, struct pos at, const char *fmt, ...)
{
	va_list ap;

	if (p->failed)
		return false;
	p->failed = true;
	p->s->n_errors++;
	if (p->tok.type == KIPSEC_TOK_EOF)
		p->s->incomplete = true;
	va_start(ap, fmt);
	add_diag(p->s, at, false, fmt, ap);
	va_end(ap);
	return false;
}

#define warn_at(p, at, ...) diag_at((p)->s, at, true, __VA_ARGS__)

static void next(struct parser *p)
{
	kipsec_lex_next(&p->lx, &p->tok);
}

static void describe(const struct kipsec_tok *t, char *buf, size_t len)
{
	switch (t->type) {
	case KIPSEC_TOK_EOF:
		snprintf(buf, len, "end of input");
		break;
	case KIPSEC_TOK_WORD:
		if (t->len > 40)
			snprintf(buf, len, "'%.37s...'", t->text);
		else
			snprintf(buf, len, "'%.*s'", (int)t->len, t->text);
		break;
	case KIPSEC_TOK_STRING:
		snprintf(buf, len, "a quoted string");
		break;
	default:
		snprintf(buf, len, "'%.*s'", (int)t->len, t->text);
		break;
	}
}

/* "expected WHAT, got THIS" at the current token. */
static bool expected(struct parser *p, const char *what)
{
	char got[64];

	if (p->tok.type == KIPSEC_TOK_ERROR)
		return error_at(p, pos_of(&p->tok), "%.*s", (int)p->tok.len,
				p->tok.text);
	describe(&p->tok, got, sizeof(got));
	return error_at(p, pos_of(&p->tok), "expected %s, got %s", what, got);
}

/*
 * Statements end at their ";" without taking it, so that checks of the
 * whole statement still find the parser inside it when they fail.
 */
static bool at_semi(struct parser *p, const char *what)
{
	return p->tok.type == KIPSEC_TOK_SEMI || expected(p, what);
}

/* The token after the current one, leaving the current one as it is. */
static struct kipsec_tok peek(const struct parser *p)
{
	struct kipsec_lexer lx = p->lx;
	struct kipsec_tok t;

	kipsec_lex_next(&lx, &t);
	return t;
}

/* Length of the token's text before @c (all of it if there is none). */
static size_t tok_span(const struct kipsec_tok *t, char c)
{
	const char *hit = memchr(t->text, c, t->len);

	return hit ? (size_t)(hit - t->text) : t->len;
}

static bool is_option(const struct kipsec_tok *t, const char *opt)
{
	return t->type == KIPSEC_TOK_WORD && t->len == strlen(opt) &&
	       !memcmp(t->text, opt, t->len);
}

static int digit_value(char c, unsigned int base)
{
	int d;

	if (c >= '0' && c <= '9')
		d = c - '0';
	else if (c >= 'a' && c <= 'f')
		d = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		d = c - 'A' + 10;
	else
		return -1;
	return d < (int)base ? d : -1;
}

enum number_result { NUMBER_OK, NUMBER_NOT, NUMBER_TOO_BIG };

/* Decimal, or hexadecimal with 0x; @len characters of @s. */
static enum number_result text_to_u64(const char *s, size_t len, u64 *out)
{
	const char *end = s + len;
	unsigned int base = 10;
	u64 v = 0;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (s == end)
		return NUMBER_NOT;
	for (; s < end; s++) {
		int d = digit_value(*s, base);

		if (d < 0)
			return NUMBER_NOT;
		if (v > (UINT64_MAX - (u64)d) / base)
			return NUMBER_TOO_BIG;
		v = v * base + (u64)d;
	}
	*out = v;
	return NUMBER_OK;
}

static bool tok_is_number(const struct kipsec_tok *t)
{
	u64 v;

	return t->type == KIPSEC_TOK_WORD &&
	       text_to_u64(t->text, t->len, &v) != NUMBER_NOT;
}

/* Reads the current token as a number in 0..@max and moves past it. */
static bool number_arg(struct parser *p, const char *what, u64 max, u64 *out)
{
	enum number_result r = NUMBER_NOT;

	if (p->tok.type == KIPSEC_TOK_WORD)
		r = text_to_u64(p->tok.text, p->tok.len, out);
	if (r == NUMBER_NOT)
		return expected(p, what);
	if (r == NUMBER_TOO_BIG || *out > max)
		return error_at(p, pos_of(&p->tok),
				"%.*s is too big for %s (at most %llu)",
				(int)p->tok.len, p->tok.text, what,
				(unsigned long long)max);
	next(p);
	return true;
}

static bool u32_arg(struct parser *p, const char *what, u32 *out)
{
	u64 v;

	if (!number_arg(p, what, UINT32_MAX, &v))
		return false;
	*out = (u32)v;
	return true;
}

static const char *family_name(int family)
{
	return family == AF_INET ? "IPv4" : "IPv6";
}

/* An address in @len bytes of @text, which sits at @at. */
static bool parse_addr_text(struct parser *p, const char *text, size_t len,
			    struct pos at, const char *what,
			    struct kipsec_ip *a)
{
	char buf[INET6_ADDRSTRLEN + 16];

	memset(a, 0, sizeof(*a));
	if (len && len < sizeof(buf)) {
		memcpy(buf, text, len);
		buf[len] = '\0';
		if (strchr(buf, '%'))
			return error_at(p, at,
					"%s: scoped addresses (%%interface) are not supported",
					buf);
		if (inet_pton(AF_INET, buf, a->bytes) == 1)
			a->family = AF_INET;
		else if (inet_pton(AF_INET6, buf, a->bytes) == 1)
			a->family = AF_INET6;
	}
	if (!a->family)
		return error_at(p, at,
				"expected %s (an IPv4 or IPv6 address; names are not resolved), got '%.*s'",
				what, (int)(len > 40 ? 40 : len), text);
	if (p->family && a->family != p->family)
		return error_at(p, at, "%s is an %s address, but -%c was given",
				buf, family_name(a->family),
				p->family == AF_INET ? '4' : '6');
	return true;
}

static bool parse_addr(struct parser *p, const char *what,
		       struct kipsec_ip *a)
{
	if (p->tok.type != KIPSEC_TOK_WORD)
		return expected(p, what);
	if (!parse_addr_text(p, p->tok.text, p->tok.len, pos_of(&p->tok),
			     what, a))
		return false;
	next(p);
	return true;
}

static bool same_family(struct parser *p, const struct kipsec_ip *src,
			const struct kipsec_ip *dst, struct pos dst_at,
			const char *what)
{
	if (src->family == dst->family)
		return true;
	return error_at(p, dst_at,
			"%s mixes address families: the source is %s, the destination %s",
			what, family_name(src->family),
			family_name(dst->family));
}

/* setkey's -4, -6, -n (and combinations like -46n) after the command */
static void parse_addr_flags(struct parser *p)
{
	while (p->tok.type == KIPSEC_TOK_WORD && p->tok.len > 1 &&
	       p->tok.text[0] == '-' &&
	       strspn(p->tok.text + 1, "46n") >= p->tok.len - 1) {
		for (size_t i = 1; i < p->tok.len; i++) {
			if (p->tok.text[i] == '4')
				p->family = AF_INET;
			else if (p->tok.text[i] == '6')
				p->family = AF_INET6;
		}
		next(p);
	}
}

/* ---- SA options ---- */

static bool parse_sa_addr(struct parser *p, const char *what,
			  struct kipsec_ip *a)
{
	if (!parse_addr(p, what, a))
		return false;
	if (p->tok.type == KIPSEC_TOK_LBRACKET)
		return error_at(p, pos_of(&p->tok),
				"ports on SA addresses (NAT traversal) are not supported");
	if (p->tok.type == KIPSEC_TOK_SLASH)
		return error_at(p, pos_of(&p->tok),
				"an SA address takes no prefix length");
	return true;
}

static bool parse_sa_addrs(struct parser *p, struct kipsec_sa *sa)
{
	struct pos dst_at;

	parse_addr_flags(p);
	if (!parse_sa_addr(p, "the source address", &sa->src))
		return false;
	dst_at = pos_of(&p->tok);
	if (!parse_sa_addr(p, "the destination address", &sa->dst))
		return false;
	return same_family(p, &sa->src, &sa->dst, dst_at, "the SA");
}

/* esp or ah; with @optional, nothing is fine too (proto 0). */
static bool parse_sa_proto(struct parser *p, u8 *proto, bool optional)
{
	static const char *const unsupported[] = {
		"esp-old", "ah-old", "ipcomp", "esp-udp", "tcp",
	};

	*proto = 0;
	if (kipsec_tok_is(&p->tok, "esp")) {
		*proto = IPPROTO_ESP;
	} else if (kipsec_tok_is(&p->tok, "ah")) {
		*proto = IPPROTO_AH;
	} else {
		for (size_t i = 0; i < KIPSEC_NAMES_COUNT(unsupported); i++)
			if (kipsec_tok_is(&p->tok, unsupported[i]))
				return error_at(p, pos_of(&p->tok),
						"%s SAs are not supported: kipsec does esp and ah",
						unsupported[i]);
		if (optional)
			return true;
		return expected(p, "the protocol (esp or ah)");
	}
	next(p);
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
	next(p);
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
	next(p);
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
		next(p);
		return true;
	}
	if (!kipsec_integ_by_name(name, 0))
		return unknown_alg(p, name, false);
	next(p);
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
			next(p);
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
	next(p);
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

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* ---- selectors (spdadd's, and add's -sel) ---- */

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

	next(p);	/* [ */
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
	next(p);
	if (p->tok.type != KIPSEC_TOK_RBRACKET)
		return expected(p, "']'");
	next(p);
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
		next(p);
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
			next(p);
			if (!icmp_number(p, "the ICMP type after type", &sel->icmp_type))
				return false;
			sel->has_icmp_type = true;
		}
		if (kipsec_tok_is(&p->tok, "code")) {
			next(p);
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
	next(p);
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
		next(p);
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
	next(p);
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

static void sel_of(const struct kipsec_selector *in, struct kipsec_sel *sel)
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
	struct kipsec_sel sel;
	char msg[160];

	sel_of(in, &sel);
	if (!kipsec_sel_check(&sel, msg, sizeof(msg)))
		return true;
	if (starts_with(msg, "source"))
		return error_at(p, at->src, "%s", msg);
	if (starts_with(msg, "destination"))
		return error_at(p, at->dst, "%s", msg);
	if (starts_with(msg, "ports"))
		return error_at(p, in->sport ? at->sport : at->dport, "%s", msg);
	return error_at(p, at->upper, "%s", msg);
}

/* "SRC_RANGE DST_RANGE UPPERSPEC", as spdadd and add's -sel write it. */
static bool parse_selector(struct parser *p, struct kipsec_selector *sel)
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

/* ---- SAs ---- */

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
	next(p);
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
			next(p);
			return true;
		}
		mode = p->tok.type == KIPSEC_TOK_WORD ?
		       kipsec_enum_index(kipsec_mode_names, p->tok.text,
					 p->tok.len) : -1;
		if (mode < 0)
			return expected(p, "transport, tunnel or any after -m");
		sa->mode_set = true;
		sa->mode = (u8)mode;
		next(p);
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

static bool parse_sa_add(struct parser *p, struct kipsec_op *op)
{
	struct kipsec_sa *sa = &op->sa;
	struct sa_places at = { 0 };
	bool seen_lifetime = false;
	unsigned int seen = 0;

	if (!parse_sa_addrs(p, sa))
		return false;
	at.proto = pos_of(&p->tok);
	if (!parse_sa_proto(p, &sa->proto, false))
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

/* get, delete */
static bool parse_sa_id(struct parser *p, struct kipsec_op *op)
{
	return parse_sa_addrs(p, &op->sa) &&
	       parse_sa_proto(p, &op->sa.proto, false) &&
	       parse_spi(p, &op->sa.spi) &&
	       at_semi(p, "';'");
}

static bool parse_deleteall(struct parser *p, struct kipsec_op *op)
{
	return parse_sa_addrs(p, &op->sa) &&
	       parse_sa_proto(p, &op->sa.proto, true) &&
	       at_semi(p, "esp, ah or ';'");
}

/* flush, dump */
static bool parse_sa_proto_filter(struct parser *p, struct kipsec_op *op)
{
	return parse_sa_proto(p, &op->sa.proto, true) &&
	       at_semi(p, "esp, ah or ';'");
}

/* setkey's getspi: one SPI (or any when 0), held as a larval SA */
static bool parse_getspi(struct parser *p, struct kipsec_op *op)
{
	struct kipsec_sa *sa = &op->sa;

	struct kipsec_tok t;

	if (!parse_sa_addrs(p, sa) || !parse_sa_proto(p, &sa->proto, false))
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
		next(p);
		if (!u32_arg(p, "the reqid after -u", &sa->reqid))
			return false;
	}
	return at_semi(p, "-u or ';'");
}

static bool parse_alloc_spi(struct parser *p, struct kipsec_op *op)
{
	struct kipsec_sa *sa = &op->sa;
	struct kipsec_tok t;

	if (!parse_sa_addrs(p, sa) || !parse_sa_proto(p, &sa->proto, false))
		return false;
	for (;;) {
		if (is_option(&p->tok, "-u")) {
			next(p);
			if (!u32_arg(p, "the reqid after -u", &sa->reqid))
				return false;
		} else if (kipsec_tok_is(&p->tok, "range")) {
			next(p);
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

/* ---- policies ---- */

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
		next(p);
		if (p->tok.type == KIPSEC_TOK_PLUS) {
			next(p);
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
			next(p);
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
	next(p);
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
	next(p);
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
	next(p);
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
	next(p);
	if (p->tok.type != KIPSEC_TOK_SLASH)
		return expected(p, "'/' and the mode (esp/transport//require, esp/tunnel/SRC-DST/require)");
	next(p);
	mode = p->tok.type == KIPSEC_TOK_WORD ?
	       kipsec_enum_index(kipsec_mode_names, p->tok.text, p->tok.len) : -1;
	if (mode < 0)
		return expected(p, "the template's mode (transport or tunnel)");
	t->mode = (u8)mode;
	next(p);
	if (p->tok.type == KIPSEC_TOK_SLASH) {
		next(p);
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
			next(p);
			if (is_level_word(&p->tok)) {
				if (!parse_level(p, t))
					return false;
				if (p->tok.type == KIPSEC_TOK_SLASH) {
					next(p);
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
	next(p);
	pol->priority = KIPSEC_PRIO_DEFAULT;
	if (kipsec_tok_is(&p->tok, "prio") || kipsec_tok_is(&p->tok, "priority")) {
		next(p);
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
	next(p);
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

static bool parse_spd(struct parser *p, struct kipsec_op *op)
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
	next(p);
	return parse_policy(p, op);
}

static bool parse_nothing(struct parser *p, struct kipsec_op *op)
{
	(void)op;
	return at_semi(p, "';'");
}

/* ---- statements ---- */

static const struct {
	const char *keyword;
	enum kipsec_op_type type;
	bool (*parse)(struct parser *p, struct kipsec_op *op);
} statements[] = {
	{ "add", KIPSEC_OP_SA_ADD, parse_sa_add },
	{ "update", KIPSEC_OP_SA_UPDATE, parse_sa_add },
	{ "get", KIPSEC_OP_SA_GET, parse_sa_id },
	{ "delete", KIPSEC_OP_SA_DELETE, parse_sa_id },
	{ "deleteall", KIPSEC_OP_SA_DELETEALL, parse_deleteall },
	{ "flush", KIPSEC_OP_SA_FLUSH, parse_sa_proto_filter },
	{ "dump", KIPSEC_OP_SA_DUMP, parse_sa_proto_filter },
	/* the first keyword of a type is the one printed */
	{ "alloc-spi", KIPSEC_OP_SA_ALLOC_SPI, parse_alloc_spi },
	{ "getspi", KIPSEC_OP_SA_ALLOC_SPI, parse_getspi },
	{ "spdadd", KIPSEC_OP_POLICY_ADD, parse_spd },
	{ "spdupdate", KIPSEC_OP_POLICY_UPDATE, parse_spd },
	{ "spddelete", KIPSEC_OP_POLICY_DELETE, parse_spd },
	{ "spdflush", KIPSEC_OP_POLICY_FLUSH, parse_nothing },
	{ "spddump", KIPSEC_OP_POLICY_DUMP, parse_nothing },
};

static bool parse_statement(struct parser *p)
{
	struct kipsec_script *s = p->s;
	struct kipsec_tok kw = p->tok;
	struct kipsec_op op;

	if (kw.type == KIPSEC_TOK_SEMI) {	/* an empty statement */
		next(p);
		return true;
	}
	if (kipsec_tok_is(&kw, "exit") || kipsec_tok_is(&kw, "quit") ||
	    kipsec_tok_is(&kw, "bye")) {
		next(p);
		if (!at_semi(p, "';'"))
			return false;
		s->exit_seen = true;
		next(p);
		return true;
	}
	for (size_t i = 0; i < KIPSEC_NAMES_COUNT(statements); i++) {
		if (!kipsec_tok_is(&kw, statements[i].keyword))
			continue;
		memset(&op, 0, sizeof(op));
		op.type = statements[i].type;
		op.line = kw.line;
		op.column = kw.column;
		next(p);
		if (!statements[i].parse(p, &op))
			return false;
		next(p);	/* the ; */
		s->ops = grow(s->ops, &s->cap_ops, s->n_ops + 1, sizeof(op));
		s->ops[s->n_ops++] = op;
		return true;
	}
	return expected(p, "a command (add, update, get, delete, deleteall, flush, dump, getspi, spdadd, spdupdate, spddelete, spdflush, spddump)");
}

bool kipsec_is_statement_keyword(const char *word)
{
	for (size_t i = 0; i < KIPSEC_NAMES_COUNT(statements); i++)
		if (!strcasecmp(word, statements[i].keyword))
			return true;
	return false;
}

const char *kipsec_op_keyword(enum kipsec_op_type type)
{
	for (size_t i = 0; i < KIPSEC_NAMES_COUNT(statements); i++)
		if (statements[i].type == type)
			return statements[i].keyword;
	return "?";
}

/* After an error: on to the next statement. */
static void skip_statement(struct parser *p)
{
	while (p->tok.type != KIPSEC_TOK_SEMI && p->tok.type != KIPSEC_TOK_EOF)
		next(p);
	if (p->tok.type == KIPSEC_TOK_SEMI)
		next(p);
}

int kipsec_parse(struct kipsec_script *s, const char *name, const char *text,
		 size_t len, unsigned int first_line)
{
	struct parser p = { .s = s };

	memset(s, 0, sizeof(*s));
	s->name = name;
	kipsec_lex_init(&p.lx, text, len, first_line);
	next(&p);
	while (p.tok.type != KIPSEC_TOK_EOF && !s->exit_seen) {
		p.failed = false;
		p.family = 0;
		if (!parse_statement(&p))
			skip_statement(&p);
		if (s->n_errors >= MAX_ERRORS && p.tok.type != KIPSEC_TOK_EOF) {
			diag_at(s, pos_of(&p.tok), false,
				"too many errors; the rest is not read");
			break;
		}
	}
	return s->n_errors ? -1 : 0;
}

void kipsec_script_free(struct kipsec_script *s)
{
	for (size_t i = 0; i < s->n_diags; i++)
		free(s->diags[i].msg);
	free(s->diags);
	free(s->ops);
	memset(s, 0, sizeof(*s));
}

void kipsec_script_print_diags(const struct kipsec_script *s, FILE *to)
{
	for (size_t i = 0; i < s->n_diags; i++) {
		const struct kipsec_diag *d = &s->diags[i];

		fprintf(to, "%s:%u:%u: %s%s\n", s->name, d->line, d->column,
			d->warning ? "warning: " : "", d->msg);
	}
}
