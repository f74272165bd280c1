// SPDX-License-Identifier: GPL-2.0
/*
 * setkey text from a file, standard input or the command line: the whole
 * of it is parsed and checked before anything is sent, so a file with an
 * error changes nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "apply.h"
#include "commands.h"
#include "setkey_parse.h"
#include "setkey_print.h"

/* What every input does once parsed: report, then show or apply. */
static int run_script(const struct kipsec_script *s,
		      const struct kipsec_opts *opts)
{
	kipsec_script_print_diags(s, stderr);
	if (s->n_errors) {
		fprintf(stderr, "kipsec: %s: %u error%s; nothing was applied\n",
			s->name, s->n_errors, s->n_errors == 1 ? "" : "s");
		return 1;
	}
	if (opts->dry_run) {
		/* -nv: what was understood, as statements kipsec reads back */
		for (size_t i = 0; opts->verbose && i < s->n_ops; i++)
			kipsec_print_op(stdout, &s->ops[i], opts->verbose > 1);
		return 0;
	}
	return s->n_ops ? kipsec_apply(s, opts) : 0;
}

int kipsec_run_text(const char *name, const char *text, size_t len,
		    const struct kipsec_opts *opts)
{
	struct kipsec_script s;
	int rc;

	kipsec_parse(&s, name, text, len, 1);
	rc = run_script(&s, opts);
	kipsec_script_free(&s);
	return rc;
}

static char *read_all(FILE *f, size_t *len)
{
	size_t cap = 1 << 16, n = 0, got;
	char *buf = malloc(cap), *grown;

	while (buf) {
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (n < cap) {
			if (ferror(f)) {
				free(buf);
				return NULL;
			}
			*len = n;
			return buf;
		}
		cap *= 2;
		grown = realloc(buf, cap);
		if (!grown)
			free(buf);
		buf = grown;
	}
	errno = ENOMEM;
	return NULL;
}

int kipsec_run_file(const char *path, const struct kipsec_opts *opts)
{
	bool is_stdin = !strcmp(path, "-");
	FILE *f = is_stdin ? stdin : fopen(path, "r");
	char *text;
	size_t len;
	int rc;

	if (!f) {
		fprintf(stderr, "kipsec: %s: %s\n", path, strerror(errno));
		return 1;
	}
	text = read_all(f, &len);
	if (!text)
		fprintf(stderr, "kipsec: %s: %s\n", is_stdin ? "<stdin>" : path,
			strerror(errno));
	if (!is_stdin)
		fclose(f);
	if (!text)
		return 1;
	rc = kipsec_run_text(is_stdin ? "<stdin>" : path, text, len, opts);
	free(text);
	return rc;
}

/*
 * At a terminal each statement is applied as soon as its ";" is typed:
 * lines collect until they parse as complete statements.
 */
int kipsec_run_interactive(const struct kipsec_opts *opts)
{
	struct kipsec_script s;
	unsigned int first_line = 1, line = 0;
	char *pending = NULL, *input = NULL, *grown;
	size_t pending_len = 0, cap = 0;
	bool done = false;
	ssize_t n;
	int rc = 0;

	if (!isatty(STDIN_FILENO))
		return kipsec_run_file("-", opts);
	while ((n = getline(&input, &cap, stdin)) >= 0) {
		line++;
		grown = realloc(pending, pending_len + (size_t)n + 1);
		if (!grown)
			break;
		pending = grown;
		memcpy(pending + pending_len, input, (size_t)n + 1);
		pending_len += (size_t)n;
		kipsec_parse(&s, "<stdin>", pending, pending_len, first_line);
		if (s.incomplete && s.n_errors == 1) {
			kipsec_script_free(&s);
			continue;
		}
		if (run_script(&s, opts))
			rc = 1;
		done = s.exit_seen;
		kipsec_script_free(&s);
		pending_len = 0;
		first_line = line + 1;
		if (done)
			break;
	}
	free(input);
	free(pending);
	return rc;
}
