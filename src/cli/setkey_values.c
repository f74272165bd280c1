// SPDX-License-Identifier: GPL-2.0
/* Values in setkey statements: numbers (decimal or 0x) and addresses. */
#include "setkey_parser.h"

int digit_value(char c, unsigned int base)
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

/* Decimal, or hexadecimal with 0x; @len characters of @s. */
enum number_result text_to_u64(const char *s, size_t len, u64 *out)
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

bool tok_is_number(const struct kipsec_tok *t)
{
	u64 v;

	return t->type == KIPSEC_TOK_WORD &&
	       text_to_u64(t->text, t->len, &v) != NUMBER_NOT;
}

/* Reads the current token as a number in 0..@max and moves past it. */
bool number_arg(struct parser *p, const char *what, u64 max, u64 *out)
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
	next_token(p);
	return true;
}

bool u32_arg(struct parser *p, const char *what, u32 *out)
{
	u64 v;

	if (!number_arg(p, what, UINT32_MAX, &v))
		return false;
	*out = (u32)v;
	return true;
}

const char *family_name(int family)
{
	return family == AF_INET ? "IPv4" : "IPv6";
}

/* An address in @len bytes of @text, which sits at @at. */
bool parse_addr_text(struct parser *p, const char *text, size_t len,
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

bool parse_addr(struct parser *p, const char *what,
		       struct kipsec_ip *a)
{
	if (p->tok.type != KIPSEC_TOK_WORD)
		return expected(p, what);
	if (!parse_addr_text(p, p->tok.text, p->tok.len, pos_of(&p->tok),
			     what, a))
		return false;
	next_token(p);
	return true;
}

bool same_family(struct parser *p, const struct kipsec_ip *src,
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
void parse_addr_flags(struct parser *p)
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
		next_token(p);
	}
}
