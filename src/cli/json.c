// SPDX-License-Identifier: GPL-2.0
/* A streaming JSON writer (see json.h). */
#include <inttypes.h>
#include "json.h"

void kipsec_json_init(struct kipsec_json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->has_member[0] = false;
}

static void put_escaped(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* The comma and the key that come before a value. */
static void member(struct kipsec_json *j, const char *key)
{
	if (j->has_member[j->depth])
		fputc(',', j->f);
	j->has_member[j->depth] = true;
	if (key) {
		put_escaped(j->f, key);
		fputc(':', j->f);
	}
}

static void open_container(struct kipsec_json *j, const char *key, char c)
{
	member(j, key);
	fputc(c, j->f);
	if (j->depth + 1 < KIPSEC_JSON_DEPTH)
		j->depth++;
	j->has_member[j->depth] = false;
}

static void close_container(struct kipsec_json *j, char c)
{
	fputc(c, j->f);
	if (j->depth)
		j->depth--;
	if (!j->depth) {	/* a document ends; the next is not a member */
		fputc('\n', j->f);
		j->has_member[0] = false;
	}
}

void kipsec_json_object(struct kipsec_json *j, const char *key)
{
	open_container(j, key, '{');
}

void kipsec_json_array(struct kipsec_json *j, const char *key)
{
	open_container(j, key, '[');
}

void kipsec_json_end_object(struct kipsec_json *j)
{
	close_container(j, '}');
}

void kipsec_json_end_array(struct kipsec_json *j)
{
	close_container(j, ']');
}

void kipsec_json_string(struct kipsec_json *j, const char *key, const char *s)
{
	member(j, key);
	if (s)
		put_escaped(j->f, s);
	else
		fputs("null", j->f);
}

void kipsec_json_u64(struct kipsec_json *j, const char *key, u64 v)
{
	member(j, key);
	fprintf(j->f, "%" PRIu64, v);
}

void kipsec_json_bool(struct kipsec_json *j, const char *key, bool v)
{
	member(j, key);
	fputs(v ? "true" : "false", j->f);
}

void kipsec_json_null(struct kipsec_json *j, const char *key)
{
	member(j, key);
	fputs("null", j->f);
}

void kipsec_json_hex(struct kipsec_json *j, const char *key, const u8 *b,
		     size_t len)
{
	member(j, key);
	fputc('"', j->f);
	for (size_t i = 0; i < len; i++)
		fprintf(j->f, "%02x", b[i]);
	fputc('"', j->f);
}
