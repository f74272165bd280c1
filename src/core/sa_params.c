// SPDX-License-Identifier: GPL-2.0
/* The rules an SA's parameters follow. */
#include <linux/kipsec.h>
#include "sa_params.h"

static bool kipsec_limit_ok(u64 soft, u64 hard)
{
	return !soft || !hard || soft <= hard;
}

bool kipsec_lifetime_soft_below_hard(const struct kipsec_lifetime *soft,
				     const struct kipsec_lifetime *hard,
				     const char **which)
{
	if (!kipsec_limit_ok(soft->bytes, hard->bytes))
		*which = "bytes";
	else if (!kipsec_limit_ok(soft->packets, hard->packets))
		*which = "packets";
	else if (!kipsec_limit_ok(soft->add_seconds, hard->add_seconds))
		*which = "seconds since add";
	else if (!kipsec_limit_ok(soft->use_seconds, hard->use_seconds))
		*which = "seconds since first use";
	else
		return true;
	return false;
}

/* Notes which part of the SA a failed check is about; returns -EINVAL. */
static int kipsec_bad(enum kipsec_sa_field *field, enum kipsec_sa_field which)
{
	if (field)
		*field = which;
	return -EINVAL;
}

int kipsec_sa_params_check(const struct kipsec_sa_params *p, char *msg,
			   size_t msglen, enum kipsec_sa_field *field)
{
	const char *which;
	int err;

	if (p->spi < 256) {
		snprintf(msg, msglen,
			 "SPI %u is reserved (RFC 4303: 1-255); use 256 or above",
			 p->spi);
		return kipsec_bad(field, KIPSEC_SA_FIELD_SPI);
	}
	if (!kipsec_af_bits(p->family)) {
		snprintf(msg, msglen, "addresses must be IPv4 or IPv6, both the same family");
		return kipsec_bad(field, KIPSEC_SA_FIELD_ADDRS);
	}
	if (p->mode != KIPSEC_MODE_TRANSPORT && p->mode != KIPSEC_MODE_TUNNEL) {
		snprintf(msg, msglen, "mode %u is neither transport (0) nor tunnel (1)",
			 p->mode);
		return kipsec_bad(field, KIPSEC_SA_FIELD_MODE);
	}
	if (p->replay_window &&
	    (p->replay_window < 32 ||
	     p->replay_window > KIPSEC_REPLAY_WINDOW_MAX)) {
		snprintf(msg, msglen,
			 "replay window %u is out of range: 0 (off) or 32 to %u",
			 p->replay_window, KIPSEC_REPLAY_WINDOW_MAX);
		return kipsec_bad(field, KIPSEC_SA_FIELD_REPLAY);
	}
	if (p->flags & ~(u32)KIPSEC_SA_F_ALL) {
		snprintf(msg, msglen, "unknown SA flags 0x%x", p->flags &
			 ~(u32)KIPSEC_SA_F_ALL);
		return kipsec_bad(field, KIPSEC_SA_FIELD_FLAGS);
	}
	if (p->tunnel_df > KIPSEC_DF_CLEAR) {
		snprintf(msg, msglen, "tunnel DF setting %u is not copy, set or clear",
			 p->tunnel_df);
		return kipsec_bad(field, KIPSEC_SA_FIELD_DF);
	}
	if (!(p->flags & KIPSEC_SA_F_ESN) &&
	    (p->seq_out > 0xffffffffULL || p->seq_in > 0xffffffffULL)) {
		snprintf(msg, msglen,
			 "sequence numbers above 2^32 - 1 need extended sequence numbers (flag esn)");
		return kipsec_bad(field, KIPSEC_SA_FIELD_SEQ);
	}
	if (!kipsec_lifetime_soft_below_hard(&p->soft, &p->hard, &which)) {
		snprintf(msg, msglen,
			 "the soft lifetime (%s) must not exceed the hard one",
			 which);
		return kipsec_bad(field, KIPSEC_SA_FIELD_LIFETIME);
	}
	if (!p->encap_sport != !p->encap_dport) {
		snprintf(msg, msglen,
			 "UDP encapsulation needs both ports, source and destination (4500 and 4500 as IKE uses them), or neither");
		return kipsec_bad(field, KIPSEC_SA_FIELD_ENCAP);
	}
	if (p->encap_sport && p->proto != KIPSEC_PROTO_ESP) {
		snprintf(msg, msglen,
			 "only ESP travels in UDP (RFC 3948); AH protects the IP addresses a NAT rewrites and cannot cross one");
		return kipsec_bad(field, KIPSEC_SA_FIELD_ENCAP);
	}
	err = kipsec_algs_check(&p->algs, msg, msglen, field);
	if (err)
		return err;
	if (p->sel.family) {
		err = kipsec_sel_check(&p->sel, msg, msglen, NULL);
		if (err)
			return kipsec_bad(field, KIPSEC_SA_FIELD_SELECTOR);
		if (p->mode == KIPSEC_MODE_TRANSPORT && p->sel.family != p->family) {
			snprintf(msg, msglen,
				 "a transport-mode SA's selector must be of the SA's address family (tunnel mode may carry the other family)");
			return kipsec_bad(field, KIPSEC_SA_FIELD_SELECTOR);
		}
	}
	if (p->replay_window && !kipsec_algs_authenticate(&p->algs)) {
		snprintf(msg, msglen,
			 "replay window %u needs integrity protection, which this SA lacks: a forged sequence number would move the window (RFC 4303 3.4.3); add an integrity algorithm, use an AEAD (aes-gcm-16), or turn anti-replay off (window 0)",
			 p->replay_window);
		return kipsec_bad(field, KIPSEC_SA_FIELD_REPLAY);
	}
	return 0;
}
