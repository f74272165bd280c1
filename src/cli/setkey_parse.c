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
#include "setkey_parser.h"

#define MAX_ERRORS 20

static bool parse_nothing(struct parser *p, struct kipsec_op *op)
{
	(void)op;
	return at_semi(p, "';'");
}

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
		next_token(p);
		return true;
	}
	if (kipsec_tok_is(&kw, "exit") || kipsec_tok_is(&kw, "quit") ||
	    kipsec_tok_is(&kw, "bye")) {
		next_token(p);
		if (!at_semi(p, "';'"))
			return false;
		s->exit_seen = true;
		next_token(p);
		return true;
	}
	for (size_t i = 0; i < KIPSEC_NAMES_COUNT(statements); i++) {
		if (!kipsec_tok_is(&kw, statements[i].keyword))
			continue;
		memset(&op, 0, sizeof(op));
		op.type = statements[i].type;
		op.line = kw.line;
		op.column = kw.column;
		next_token(p);
		if (!statements[i].parse(p, &op))
			return false;
		next_token(p);	/* the ; */
		s->ops = grow_array(s->ops, &s->cap_ops, s->n_ops + 1, sizeof(op));
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
		next_token(p);
	if (p->tok.type == KIPSEC_TOK_SEMI)
		next_token(p);
}

int kipsec_parse(struct kipsec_script *s, const char *name, const char *text,
		 size_t len, unsigned int first_line)
{
	struct parser p = { .s = s };

	memset(s, 0, sizeof(*s));
	s->name = name;
	kipsec_lex_init(&p.lx, text, len, first_line);
	next_token(&p);
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
