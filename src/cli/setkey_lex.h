/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tokens of setkey(8) syntax, with the line and column each starts at.
 *
 * Words are runs of anything but white space and the characters
 * ; / [ ] , + " #  so that addresses (10.0.0.1, fec0::1, a-b endpoint
 * pairs), options (-E, -lh) and names (hmac-sha256, unique:2) are single
 * words; "#" starts a comment to the end of the line, as in setkey.
 * Tokens point into the text, which must outlive them.
 */
#ifndef KIPSEC_CLI_SETKEY_LEX_H
#define KIPSEC_CLI_SETKEY_LEX_H

#include <stdbool.h>
#include <stddef.h>

enum kipsec_tok_type {
	KIPSEC_TOK_EOF,
	KIPSEC_TOK_WORD,
	KIPSEC_TOK_STRING,	/* "..." (text excludes the quotes) */
	KIPSEC_TOK_SEMI,
	KIPSEC_TOK_SLASH,
	KIPSEC_TOK_LBRACKET,
	KIPSEC_TOK_RBRACKET,
	KIPSEC_TOK_COMMA,
	KIPSEC_TOK_PLUS,
	KIPSEC_TOK_ERROR,	/* text is a message: what is wrong here */
};

struct kipsec_tok {
	enum kipsec_tok_type type;
	const char *text;
	size_t len;
	unsigned int line, column;	/* 1-based; a tab counts as one column */
};

struct kipsec_lexer {
	const char *p, *end;
	unsigned int line, column;
};

void kipsec_lex_init(struct kipsec_lexer *lx, const char *text, size_t len,
		     unsigned int first_line);
void kipsec_lex_next(struct kipsec_lexer *lx, struct kipsec_tok *tok);

/* Is the token the word @word, in any case? */
bool kipsec_tok_is(const struct kipsec_tok *tok, const char *word);

#endif /* KIPSEC_CLI_SETKEY_LEX_H */
