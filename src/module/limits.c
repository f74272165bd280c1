// SPDX-License-Identifier: GPL-2.0
/* Per-namespace limits on SAs and policies (see limits.h and README). */
#include <linux/moduleparam.h>
#include "limits.h"

/* Enough for a large concentrator; a stray namespace cannot take the host. */
static unsigned int max_sas = 1 << 20;
module_param(max_sas, uint, 0644);
MODULE_PARM_DESC(max_sas, "most SAs (larval included) per network namespace");

/* Reserved SPIs an IKE daemon has not completed yet (half-open CHILD_SAs). */
static unsigned int max_larval_sas = 1 << 14;
module_param(max_larval_sas, uint, 0644);
MODULE_PARM_DESC(max_larval_sas, "most reserved (larval) SAs per network namespace");

static unsigned int max_policies = 1 << 20;
module_param(max_policies, uint, 0644);
MODULE_PARM_DESC(max_policies, "most policies per network namespace");

int kipsec_limit_sa(const struct kipsec_net *kn, bool larval,
		    struct netlink_ext_ack *extack)
{
	if (kn->sad.count >= READ_ONCE(max_sas)) {
		NL_SET_ERR_MSG(extack,
			       "this network namespace holds as many SAs as allowed (kipsec module parameter max_sas): delete some first");
		return -ENOSPC;
	}
	if (larval && kn->sad.larval >= READ_ONCE(max_larval_sas)) {
		NL_SET_ERR_MSG(extack,
			       "this network namespace holds as many reserved SPIs as allowed (kipsec module parameter max_larval_sas): complete or delete some first");
		return -ENOSPC;
	}
	return 0;
}

int kipsec_limit_policy(const struct kipsec_net *kn,
			struct netlink_ext_ack *extack)
{
	if (kn->spd.count >= READ_ONCE(max_policies)) {
		NL_SET_ERR_MSG(extack,
			       "this network namespace holds as many policies as allowed (kipsec module parameter max_policies): delete some first");
		return -ENOSPC;
	}
	return 0;
}
