/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How SAs and policies are shown: a setkey -D / -DP like text layout with
 * kipsec's counters, a one-line form for events, and JSON objects with
 * stable snake_case keys for -j.
 */
#ifndef KIPSEC_CLI_DUMP_H
#define KIPSEC_CLI_DUMP_H

#include <stdio.h>
#include "json.h"
#include "ops.h"

void kipsec_dump_sa(FILE *f, const struct kipsec_sa *sa);
void kipsec_dump_policy(FILE *f, const struct kipsec_policy *pol);

/* One line, no newline: for `kipsec monitor`. */
void kipsec_brief_sa(FILE *f, const struct kipsec_sa *sa);
void kipsec_brief_policy(FILE *f, const struct kipsec_policy *pol);
/*
 * A KIPSEC_CMD_MAPPING event: the SA as it is (its SRC[SPORT] the old
 * endpoint) and the peer's new address and port.
 */
void kipsec_brief_mapping(FILE *f, const struct kipsec_sa *sa,
			  const struct kipsec_ip *addr, u16 port);

void kipsec_json_sa(struct kipsec_json *j, const char *key,
		    const struct kipsec_sa *sa);
void kipsec_json_policy(struct kipsec_json *j, const char *key,
			const struct kipsec_policy *pol);

#endif /* KIPSEC_CLI_DUMP_H */
