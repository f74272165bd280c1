/* SPDX-License-Identifier: GPL-2.0 */
/* struct kipsec_op -> kipsec netlink requests (include/uapi/linux/kipsec.h) */
#ifndef KIPSEC_CLI_OPS_ENCODE_H
#define KIPSEC_CLI_OPS_ENCODE_H

#include <libmnl/libmnl.h>
#include "ops.h"

/* The command and extra header flags (NLM_F_DUMP) an operation is sent as. */
void kipsec_op_command(const struct kipsec_op *op, uint8_t *cmd,
		       uint16_t *flags);
/* Its attributes, appended to @nlh. */
void kipsec_encode_op(struct nlmsghdr *nlh, const struct kipsec_op *op);
/* KIPSEC_A_SA naming one SA (DST, SPI, PROTO): get and delete. */
void kipsec_encode_sa_id(struct nlmsghdr *nlh, const struct kipsec_sa *sa);

#endif /* KIPSEC_CLI_OPS_ENCODE_H */
