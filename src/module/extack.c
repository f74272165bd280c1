// SPDX-License-Identifier: GPL-2.0
/* Run-time error texts that stay valid for as long as netlink needs them. */
#include <linux/spinlock.h>
#include <linux/string.h>
#include "extack.h"

#define KIPSEC_EXTACK_SLOTS 256
#define KIPSEC_EXTACK_LEN 256	/* the longest message is about 230 bytes */

/*
 * No table of texts that fills up: a request from any namespace could
 * otherwise use it up for every other namespace. The last byte of each
 * slot is never written, so a reader always finds the end of a string.
 */
static char kipsec_extack_ring[KIPSEC_EXTACK_SLOTS][KIPSEC_EXTACK_LEN];
static unsigned int kipsec_extack_next;
static DEFINE_SPINLOCK(kipsec_extack_lock);

void kipsec_extack(struct netlink_ext_ack *extack, const char *msg)
{
	char *slot;

	if (!extack)
		return;
#ifdef NETLINK_MAX_FMTMSG_LEN
	if (strscpy(extack->_msg_buf, msg, sizeof(extack->_msg_buf)) >= 0) {
		extack->_msg = extack->_msg_buf;
		return;
	}
#endif
	spin_lock(&kipsec_extack_lock);
	slot = kipsec_extack_ring[kipsec_extack_next];
	kipsec_extack_next = (kipsec_extack_next + 1) % KIPSEC_EXTACK_SLOTS;
	strscpy(slot, msg, KIPSEC_EXTACK_LEN - 1);
	spin_unlock(&kipsec_extack_lock);
	/* Not NL_SET_ERR_MSG(): it takes string literals only. */
	extack->_msg = slot;
}
