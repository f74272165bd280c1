/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KIPSEC_EXTACK_H
#define KIPSEC_EXTACK_H

#include <net/netlink.h>

/*
 * kipsec_extack() - attach a message made at run time to a netlink error
 *
 * The extended ACK only stores a pointer that must outlive the request
 * (6.1 has no formatted messages; later kernels cut them at 80 bytes), so
 * messages are kept in a small table of distinct texts freed on unload.
 * Inputs produce few distinct texts; past the table's size a fixed text
 * is used instead.
 */
void kipsec_extack(struct netlink_ext_ack *extack, const char *msg);
void kipsec_extack_exit(void);

#endif /* KIPSEC_EXTACK_H */
