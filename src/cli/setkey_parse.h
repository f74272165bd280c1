/* SPDX-License-Identifier: GPL-2.0 */
/*
 * setkey(8) statements -> a list of struct kipsec_op, with every syntax
 * error and every check that needs no kernel (algorithms and key lengths,
 * reserved SPIs, prefixes, address families, templates, replay windows)
 * reported as NAME:LINE:COLUMN: message. No netlink here: the unit tests
 * compile this file directly.
 */
#ifndef KIPSEC_CLI_SETKEY_PARSE_H
#define KIPSEC_CLI_SETKEY_PARSE_H

#include <stdio.h>
#include "ops.h"

struct kipsec_diag {
	unsigned int line, column;
	bool warning;
	char *msg;
};

struct kipsec_script {
	const char *name;	/* as messages name the input: a file, "<stdin>" */
	struct kipsec_op *ops;
	size_t n_ops;
	struct kipsec_diag *diags;	/* errors and warnings, in input order */
	size_t n_diags;
	unsigned int n_errors;
	bool incomplete;	/* an error was the input ending mid-statement */
	bool exit_seen;		/* exit/quit/bye: nothing after it was read */
	size_t cap_ops, cap_diags;
};

/*
 * kipsec_parse() - parse @len bytes of @text, named @name in messages
 * @first_line: the line number of the text's first line
 *
 * Fills @s (which kipsec_script_free() releases, whatever the outcome).
 * Return: 0 if there was no error (warnings allowed), -1 otherwise; then
 * s->ops holds only the statements that were valid and must not be applied.
 */
int kipsec_parse(struct kipsec_script *s, const char *name, const char *text,
		 size_t len, unsigned int first_line);
void kipsec_script_free(struct kipsec_script *s);

/* Does @word start a statement (add, spdadd, ...)? */
bool kipsec_is_statement_keyword(const char *word);
/* The word that starts a statement of @type ("add", "spdadd", ...). */
const char *kipsec_op_keyword(enum kipsec_op_type type);

/* Prints the diagnostics as NAME:LINE:COLUMN: [warning: ]message lines. */
void kipsec_script_print_diags(const struct kipsec_script *s, FILE *to);

#endif /* KIPSEC_CLI_SETKEY_PARSE_H */
