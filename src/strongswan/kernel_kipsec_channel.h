/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The plugin's request socket to the kipsec module: one netlink socket,
 * one request at a time (charon calls its kernel interface from many
 * threads), built on the CLI's netlink layer (src/cli/genl.c, ops_*.c) so
 * the attributes are encoded and decoded in one place.
 */
#ifndef KERNEL_KIPSEC_CHANNEL_H_
#define KERNEL_KIPSEC_CHANNEL_H_

#include <stddef.h>
#include <stdint.h>
#include "ops.h"

typedef struct kipsec_channel_t kipsec_channel_t;

/* Opens the socket; NULL (with a log line saying why) if there is no module. */
kipsec_channel_t *kipsec_channel_create(void);
void kipsec_channel_destroy(kipsec_channel_t *ch);

/*
 * Sends @op and waits for the kernel's answer. A GET, or an ALLOC_SPI,
 * fills @reply (may be NULL otherwise) from the reply's SA or policy; an
 * SA's keys stay in the kernel.
 * Returns 0 or a negative errno; the kernel's explanation, if any, goes
 * to @why (always a string).
 */
int kipsec_channel_run(kipsec_channel_t *ch, const struct kipsec_op *op,
		       struct kipsec_op *reply, char *why, size_t why_len);
/* An SA_GET whose reply keeps the keys (to move the SA); wipe @reply. */
int kipsec_channel_get_keyed(kipsec_channel_t *ch, const struct kipsec_op *op,
			     struct kipsec_op *reply, char *why, size_t why_len);

/*
 * KIPSEC_CMD_SOCKET_BYPASS for the socket with this SO_COOKIE. The
 * registration lives as long as this channel's socket.
 */
int kipsec_channel_bypass(kipsec_channel_t *ch, uint64_t cookie,
			  char *why, size_t why_len);

#endif /* KERNEL_KIPSEC_CHANNEL_H_ */
