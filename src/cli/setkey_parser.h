/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the files of the setkey parser share, and nothing else of the CLI
 * includes: the parser's state, where a statement's parts were written,
 * and the steps one file provides to the others. setkey_parse.c is the
 * grammar driver; setkey_cursor.c the token cursor and the diagnostics;
 * setkey_values.c numbers and addresses; setkey_selector.c selectors;
 * setkey_sa.c the SA statements; setkey_spd.c the policy statements.
 */
#ifndef KIPSEC_CLI_SETKEY_PARSER_H
#define KIPSEC_CLI_SETKEY_PARSER_H

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

/* Where a selector's parts are, to point at the one a check blames. */
struct sel_places {
	struct pos src, dst, sport, dport, upper;
};

/* setkey_cursor.c: the token cursor, and errors and warnings by place. */
void *grow_array(void *array, size_t *cap, size_t want, size_t size);
struct pos pos_of(const struct kipsec_tok *t);
struct pos pos_at(const struct kipsec_tok *t, size_t offset);
void diag_at(struct kipsec_script *s, struct pos at, bool warning,
	     const char *fmt, ...);
bool error_at(struct parser *p, struct pos at, const char *fmt, ...);
void next_token(struct parser *p);
bool expected(struct parser *p, const char *what);
bool at_semi(struct parser *p, const char *what);
struct kipsec_tok peek(const struct parser *p);
size_t tok_span(const struct kipsec_tok *t, char c);
bool is_option(const struct kipsec_tok *t, const char *opt);
#define warn_at(p, at, ...) diag_at((p)->s, at, true, __VA_ARGS__)

/* setkey_values.c: numbers and addresses. */
enum number_result { NUMBER_OK, NUMBER_NOT, NUMBER_TOO_BIG };
int digit_value(char c, unsigned int base);
enum number_result text_to_u64(const char *s, size_t len, u64 *out);
bool tok_is_number(const struct kipsec_tok *t);
bool number_arg(struct parser *p, const char *what, u64 max, u64 *out);
bool u32_arg(struct parser *p, const char *what, u32 *out);
const char *family_name(int family);
bool parse_addr_text(struct parser *p, const char *text, size_t len,
		     struct pos at, const char *what, struct kipsec_ip *a);
bool parse_addr(struct parser *p, const char *what, struct kipsec_ip *a);
bool same_family(struct parser *p, const struct kipsec_ip *src,
		 const struct kipsec_ip *dst, struct pos dst_at, const char *what);
void parse_addr_flags(struct parser *p);

/* setkey_selector.c: selectors, and the kernel's rules for them. */
void sel_of(const struct kipsec_selector *in, struct kipsec_sel *sel);
bool parse_selector(struct parser *p, struct kipsec_selector *sel);

/* setkey_sa.c: the SA statements. */
bool parse_sa_add(struct parser *p, struct kipsec_op *op);
bool parse_sa_id(struct parser *p, struct kipsec_op *op);
bool parse_deleteall(struct parser *p, struct kipsec_op *op);
bool parse_sa_proto_filter(struct parser *p, struct kipsec_op *op);
bool parse_getspi(struct parser *p, struct kipsec_op *op);
bool parse_alloc_spi(struct parser *p, struct kipsec_op *op);

/* setkey_spd.c: the policy statements. */
bool parse_spd(struct parser *p, struct kipsec_op *op);

#endif /* KIPSEC_CLI_SETKEY_PARSER_H */
