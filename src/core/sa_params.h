/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The parameters of an SA as a request states them, and the rules they
 * must follow. Kernel-independent: the module enforces them, the CLI can
 * check them before sending.
 */
#ifndef KIPSEC_SA_PARAMS_H
#define KIPSEC_SA_PARAMS_H

#include "core_types.h"
#include "algs.h"
#include "selector.h"

/* Limits of one lifetime; 0 means no limit. */
struct kipsec_lifetime {
	u64 bytes;
	u64 packets;
	u64 add_seconds;
	u64 use_seconds;
};

struct kipsec_sa_params {
	u8 proto;
	u8 family;
	u8 mode;		/* enum kipsec_mode */
	u8 tunnel_df;		/* enum kipsec_df */
	u32 spi;
	u32 reqid;
	u32 replay_window;
	u32 flags;		/* enum kipsec_sa_flags */
	struct kipsec_addr src;
	struct kipsec_addr dst;
	struct kipsec_alg_choice algs;
	struct kipsec_lifetime soft;
	struct kipsec_lifetime hard;
	u64 seq_out;		/* last sequence number sent */
	u64 seq_in;		/* right edge of the replay window */
	struct kipsec_sel sel;	/* the traffic it may carry; family 0: any */
	/* RFC 3948 UDP encapsulation: both ports, or 0 for plain ESP. */
	u16 encap_sport;
	u16 encap_dport;
};

/*
 * kipsec_sa_params_check() - can an SA be made of @p?
 * Checks the SPI (256 and up; 0-255 are reserved by RFC 4303), family,
 * mode, replay window, flags, DF setting, that every soft limit is below
 * its hard limit, the transforms (kipsec_algs_check()) and the selector
 * (kipsec_sel_check(); in transport mode of the SA's own family). Writes a
 * message a person can act on to @msg and which part of the SA it is about
 * to @field (unless NULL), and returns -EINVAL (-EOPNOTSUPP for an unknown
 * transform) when it cannot.
 */
int kipsec_sa_params_check(const struct kipsec_sa_params *p, char *msg,
			   size_t msglen, enum kipsec_sa_field *field);

/* Does @soft stay at or below @hard wherever both set a limit? */
bool kipsec_lifetime_soft_below_hard(const struct kipsec_lifetime *soft,
				     const struct kipsec_lifetime *hard,
				     const char **which);

#endif /* KIPSEC_SA_PARAMS_H */
