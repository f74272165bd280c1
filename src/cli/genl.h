/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KIPSEC_CLI_GENL_H
#define KIPSEC_CLI_GENL_H

#include <stdint.h>
#include <libmnl/libmnl.h>

/* A generic netlink socket bound to the kipsec family. */
struct kipsec_genl {
	struct mnl_socket *nl;
	uint16_t family;
	uint32_t seq;
	uint32_t portid;
	char buf[65536];
};

int kipsec_genl_open(struct kipsec_genl *g);
void kipsec_genl_close(struct kipsec_genl *g);
struct nlmsghdr *kipsec_genl_request(struct kipsec_genl *g, uint8_t cmd,
				     uint16_t flags);
int kipsec_genl_talk(struct kipsec_genl *g, struct nlmsghdr *req,
		     mnl_cb_t cb, void *data);

#endif
