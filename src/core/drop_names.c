// SPDX-License-Identifier: GPL-2.0
/* Printable names of the drop reasons, shared by the module and the CLI. */
#include "core_types.h"
#include "drop_names.h"
#include <linux/kipsec.h>

static const char *const kipsec_drop_names[__KIPSEC_DROP_MAX] = {
	[KIPSEC_DROP_POLICY_DISCARD] = "policy_discard",
	[KIPSEC_DROP_NO_SA_OUT] = "no_sa_out",
	[KIPSEC_DROP_SEQ_EXHAUSTED] = "seq_exhausted",
	[KIPSEC_DROP_SA_EXPIRED] = "sa_expired",
	[KIPSEC_DROP_NO_SA_IN] = "no_sa_in",
	[KIPSEC_DROP_REPLAY] = "replay",
	[KIPSEC_DROP_INTEGRITY] = "integrity",
	[KIPSEC_DROP_BAD_PADDING] = "bad_padding",
	[KIPSEC_DROP_MALFORMED] = "malformed",
	[KIPSEC_DROP_POLICY_MISMATCH] = "policy_mismatch",
	[KIPSEC_DROP_UNPROTECTED] = "unprotected",
	[KIPSEC_DROP_SELECTOR_MISMATCH] = "selector_mismatch",
	[KIPSEC_DROP_TOO_BIG] = "too_big",
	[KIPSEC_DROP_NO_ROUTE] = "no_route",
	[KIPSEC_DROP_NO_MEMORY] = "no_memory",
	[KIPSEC_DROP_CRYPTO_ERROR] = "crypto_error",
	[KIPSEC_DROP_DUMMY] = "dummy",
	[KIPSEC_DROP_CONNTRACK] = "conntrack",
	[KIPSEC_DROP_CRYPTO_BUSY] = "crypto_busy",
	[KIPSEC_DROP_ROUTE_GONE] = "route_gone",
	[KIPSEC_DROP_ENCAP_MALFORMED] = "encap_malformed",
	[KIPSEC_DROP_ENCAP_NO_SA] = "encap_no_sa",
	[KIPSEC_DROP_ENCAP_MISMATCH] = "encap_mismatch",
	[KIPSEC_DROP_NATT_KEEPALIVE] = "natt_keepalive",
};

const char *kipsec_drop_name(unsigned int reason)
{
	if (reason == KIPSEC_DROP_UNSPEC || reason > KIPSEC_DROP_MAX)
		return NULL;
	return kipsec_drop_names[reason];
}
