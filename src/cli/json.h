/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small streaming JSON writer: it places the commas and escapes strings,
 * the callers say what goes where. Output is compact, one document per line
 * as iproute2's -j prints it.
 */
#ifndef KIPSEC_CLI_JSON_H
#define KIPSEC_CLI_JSON_H

#include <stdio.h>
#include "core_types.h"

#define KIPSEC_JSON_DEPTH 16

struct kipsec_json {
	FILE *f;
	unsigned int depth;
	bool has_member[KIPSEC_JSON_DEPTH];
};

void kipsec_json_init(struct kipsec_json *j, FILE *f);

/* @key is the member name inside an object, NULL inside an array or at top. */
void kipsec_json_object(struct kipsec_json *j, const char *key);
void kipsec_json_array(struct kipsec_json *j, const char *key);
void kipsec_json_end_object(struct kipsec_json *j);
void kipsec_json_end_array(struct kipsec_json *j);

void kipsec_json_string(struct kipsec_json *j, const char *key, const char *s);
void kipsec_json_u64(struct kipsec_json *j, const char *key, u64 v);
void kipsec_json_bool(struct kipsec_json *j, const char *key, bool v);
void kipsec_json_null(struct kipsec_json *j, const char *key);
/* bytes as a lowercase hex string */
void kipsec_json_hex(struct kipsec_json *j, const char *key, const u8 *b,
		     size_t len);

#endif /* KIPSEC_CLI_JSON_H */
