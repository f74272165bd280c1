// SPDX-License-Identifier: GPL-2.0
/* Splits setkey(8) text into tokens with their line and column. */
#include <string.h>
#include <strings.h>
#include "setkey_lex.h"

void kipsec_lex_init(struct kipsec_lexer *lx, const char *text, size_t len,
		     unsigned int first_line)
{
	lx->p = text;
	lx->end = text + len;
	lx->line = first_line;
	lx->column = 1;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

static bool ends_word(char c)
{
	return is_space(c) || strchr(";/[],+\"#", c) != NULL;
}

static void advance(struct kipsec_lexer *lx)
{
	if (*lx->p == '\n') {
		lx->line++;
		lx->column = 1;
	} else {
		lx->column++;
	}
	lx->p++;
}

static void skip_blanks_and_comments(struct kipsec_lexer *lx)
{
	while (lx->p < lx->end) {
		if (is_space(*lx->p)) {
			advance(lx);
		} else if (*lx->p == '#') {
			while (lx->p < lx->end && *lx->p != '\n')
				advance(lx);
		} else {
			break;
		}
	}
}

static void lex_string(struct kipsec_lexer *lx, struct kipsec_tok *tok)
{
	advance(lx);	/* the opening quote */
	tok->text = lx->p;
	while (lx->p < lx->end && *lx->p != '"' && *lx->p != '\n')
		advance(lx);
	if (lx->p == lx->end || *lx->p == '\n') {
		tok->type = KIPSEC_TOK_ERROR;
		tok->text = "unterminated quoted string (a string ends on its line)";
		tok->len = strlen(tok->text);
		return;
	}
	tok->type = KIPSEC_TOK_STRING;
	tok->len = (size_t)(lx->p - tok->text);
	advance(lx);	/* the closing quote */
}

void kipsec_lex_next(struct kipsec_lexer *lx, struct kipsec_tok *tok)
{
	static const struct {
		char c;
		enum kipsec_tok_type type;
	} punct[] = {
		{ ';', KIPSEC_TOK_SEMI }, { '/', KIPSEC_TOK_SLASH },
		{ '[', KIPSEC_TOK_LBRACKET }, { ']', KIPSEC_TOK_RBRACKET },
		{ ',', KIPSEC_TOK_COMMA }, { '+', KIPSEC_TOK_PLUS },
	};

	skip_blanks_and_comments(lx);
	tok->line = lx->line;
	tok->column = lx->column;
	tok->text = lx->p;
	tok->len = 0;
	if (lx->p == lx->end) {
		tok->type = KIPSEC_TOK_EOF;
		return;
	}
	if (*lx->p == '"') {
		lex_string(lx, tok);
		return;
	}
	for (size_t i = 0; i < sizeof(punct) / sizeof(punct[0]); i++) {
		if (*lx->p == punct[i].c) {
			tok->type = punct[i].type;
			tok->len = 1;
			advance(lx);
			return;
		}
	}
	if ((unsigned char)*lx->p < 0x20 || *lx->p == 0x7f) {
		tok->type = KIPSEC_TOK_ERROR;
		tok->text = "unexpected control character";
		tok->len = strlen(tok->text);
		advance(lx);
		return;
	}
	tok->type = KIPSEC_TOK_WORD;
	while (lx->p < lx->end && !ends_word(*lx->p) &&
	       (unsigned char)*lx->p >= 0x20 && *lx->p != 0x7f)
		advance(lx);
	tok->len = (size_t)(lx->p - tok->text);
}

bool kipsec_tok_is(const struct kipsec_tok *tok, const char *word)
{
	return tok->type == KIPSEC_TOK_WORD && strlen(word) == tok->len &&
	       !strncasecmp(tok->text, word, tok->len);
}
