/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct kipsec_op -> setkey(8) text that kipsec_parse() reads back into
 * the same structure. The dump uses the pieces (selectors, templates) for
 * its own layout.
 */
#ifndef KIPSEC_CLI_SETKEY_PRINT_H
#define KIPSEC_CLI_SETKEY_PRINT_H

#include <stdio.h>
#include "ops.h"

#define KIPSEC_ADDR_STRLEN 46	/* INET6_ADDRSTRLEN */

/* The address as text; "?" for none. Returns @buf. */
char *kipsec_format_addr(const struct kipsec_ip *a, char *buf, size_t len);

/*
 * An SA's "SRC DST", each address with its UDP port in brackets when the
 * SA has encapsulation ("192.0.2.10[4500] 198.51.100.1[4500]").
 */
void kipsec_print_sa_addrs(FILE *f, const struct kipsec_sa *sa);
/* "esp-udp" for ESP with encapsulation, else "esp", "ah" or NULL. */
const char *kipsec_sa_proto_word(const struct kipsec_sa *sa);

/* "0x0011..." (or "" for an empty key) */
void kipsec_print_key(FILE *f, const struct kipsec_alg_key *k);
/* The setkey name of an SA's algorithm ("aes-cbc"), or NULL if unknown. */
const char *kipsec_encr_name(u16 id);
const char *kipsec_integ_name(u16 id);

/*
 * "SRC[/PLEN][[PORT]] DST... UPPER [TYPE,CODE]"; @full prints every prefix
 * length and port ("[any]"), as setkey's spddump does.
 */
void kipsec_print_selector(FILE *f, const struct kipsec_selector *sel,
			   bool full);
/* "esp/tunnel/SRC-DST/require[:REQID][/SPI]" */
void kipsec_print_template(FILE *f, const struct kipsec_tmpl *t);
/* "prio N" / "prio -N" / "prio high"...; the default prints as "prio def"
 * with @show_default, else as nothing. */
void kipsec_print_priority(FILE *f, u32 prio, bool show_default);
/* "DIR [prio P] ACTION [TEMPLATE ...]" (what follows -P) */
void kipsec_print_policy_rule(FILE *f, const struct kipsec_policy *pol);

/* The whole statement, ";" and newline included. */
void kipsec_print_op(FILE *f, const struct kipsec_op *op, bool keys);

#endif /* KIPSEC_CLI_SETKEY_PRINT_H */
