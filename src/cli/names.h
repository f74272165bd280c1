/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The words the CLI reads and prints for the UAPI's enums, in one place so
 * the parser, the setkey printer and the dump agree. Algorithm names live in
 * src/core/algs.c and drop reasons in src/core/drop_names.c.
 */
#ifndef KIPSEC_CLI_NAMES_H
#define KIPSEC_CLI_NAMES_H

#include "core_types.h"

/* Indexed by the enum value (enum kipsec_mode, _level, _dir, ...). */
extern const char *const kipsec_mode_names[2];
extern const char *const kipsec_level_names[4];
extern const char *const kipsec_dir_names[3];
extern const char *const kipsec_action_names[3];
extern const char *const kipsec_df_names[3];
extern const char *const kipsec_state_names[3];

#define KIPSEC_NAMES_COUNT(table) (sizeof(table) / sizeof((table)[0]))

/* Index of @s (@len bytes, any case) in @names, or -1. */
int kipsec_name_index(const char *const *names, unsigned int n, const char *s,
		      size_t len);
/* The name of @value in @names, or "?" when out of range. */
const char *kipsec_name_of(const char *const *names, unsigned int n,
			   unsigned int value);

#define kipsec_enum_name(table, value) \
	kipsec_name_of(table, KIPSEC_NAMES_COUNT(table), value)
#define kipsec_enum_index(table, s, len) \
	kipsec_name_index(table, KIPSEC_NAMES_COUNT(table), s, len)

/* "esp", "ah", or NULL for another protocol number. */
const char *kipsec_sa_proto_name(u8 proto);

/* The SA flags as the -f option spells them (enum kipsec_sa_flags). */
struct kipsec_flag_name {
	u32 flag;
	const char *name;
};
extern const struct kipsec_flag_name kipsec_sa_flag_names[3];

/*
 * Upper-layer protocols of policy selectors: the names setkey users write
 * (built in, so /etc/protocols is not needed). kipsec_upper_name() returns
 * NULL for a number without a name here.
 */
bool kipsec_upper_lookup(const char *s, size_t len, u8 *proto);
const char *kipsec_upper_name(u8 proto);

#endif /* KIPSEC_CLI_NAMES_H */
