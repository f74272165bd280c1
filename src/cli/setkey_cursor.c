// SPDX-License-Identifier: GPL-2.0
/*
 * The setkey parser's token cursor and its diagnostics: errors and
 * warnings recorded with the line and column they are about.
 */
#include "setkey_parser.h"

void *grow_array(void *array, size_t *cap, size_t want, size_t size)
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

struct pos pos_of(const struct kipsec_tok *t)
{
	return (struct pos){ t->line, t->column };
}

struct pos pos_at(const struct kipsec_tok *t, size_t offset)
{
	return (struct pos){ t->line, t->column + (unsigned int)offset };
}

static void add_diag(struct kipsec_script *s, struct pos at, bool warning,
		     const char *fmt, va_list ap)
{
	struct kipsec_diag *d;
	char buf[512];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	s->diags = grow_array(s->diags, &s->cap_diags, s->n_diags + 1,
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
void diag_at(struct kipsec_script *s, struct pos at, bool warning,
		    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_diag(s, at, warning, fmt, ap);
	va_end(ap);
}

/* Records the statement's first error; always returns false. */
__attribute__((format(printf, 3, 4)))
bool error_at(struct parser *p, struct pos at, const char *fmt, ...)
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

void next_token(struct parser *p)
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
bool expected(struct parser *p, const char *what)
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
bool at_semi(struct parser *p, const char *what)
{
	return p->tok.type == KIPSEC_TOK_SEMI || expected(p, what);
}

/* The token after the current one, leaving the current one as it is. */
struct kipsec_tok peek(const struct parser *p)
{
	struct kipsec_lexer lx = p->lx;
	struct kipsec_tok t;

	kipsec_lex_next(&lx, &t);
	return t;
}

/* Length of the token's text before @c (all of it if there is none). */
size_t tok_span(const struct kipsec_tok *t, char c)
{
	const char *hit = memchr(t->text, c, t->len);

	return hit ? (size_t)(hit - t->text) : t->len;
}

bool is_option(const struct kipsec_tok *t, const char *opt)
{
	return t->type == KIPSEC_TOK_WORD && t->len == strlen(opt) &&
	       !memcmp(t->text, opt, t->len);
}
