/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KIPSEC_EXTACK_H
#define KIPSEC_EXTACK_H

#include <net/netlink.h>

/*
 * kipsec_extack() - attach a message made at run time to a netlink error
 *
 * The extended ACK keeps only a pointer, read when the ACK is built right
 * after the request handler returns. A text that fits the request's own
 * buffer (kernels with formatted messages, 6.3 on: 79 bytes) goes there;
 * a longer one, or any on 6.1, into the next slot of a fixed ring, which
 * nothing can exhaust: a slot is written again only after as many other
 * messages as the ring has slots, and always stays NUL-terminated.
 */
void kipsec_extack(struct netlink_ext_ack *extack, const char *msg);

#endif /* KIPSEC_EXTACK_H */
