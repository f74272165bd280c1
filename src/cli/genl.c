// SPDX-License-Identifier: GPL-2.0
/* Talking to the kipsec generic netlink family through libmnl. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <linux/genetlink.h>
#include <linux/kipsec.h>
#include "genl.h"

static int family_id_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID &&
		    mnl_attr_validate(attr, MNL_TYPE_U16) == 0)
			*(uint16_t *)data = mnl_attr_get_u16(attr);
	}
	return MNL_CB_OK;
}

static struct nlmsghdr *put_request(struct kipsec_genl *g, uint16_t type,
				    uint8_t cmd, uint8_t version,
				    uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(g->buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++g->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

int kipsec_genl_open(struct kipsec_genl *g)
{
	struct nlmsghdr *nlh;
	int err;

	g->family = 0;
	g->seq = (uint32_t)time(NULL);
	g->nl = mnl_socket_open(NETLINK_GENERIC);
	if (!g->nl)
		return -errno;
	if (mnl_socket_bind(g->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		mnl_socket_close(g->nl);
		return err;
	}
	g->portid = mnl_socket_get_portid(g->nl);
	/* Extended ACK messages explain rejections; older kernels ignore it. */
	mnl_socket_setsockopt(g->nl, NETLINK_EXT_ACK, &(int){ 1 }, sizeof(int));

	nlh = put_request(g, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, KIPSEC_GENL_NAME);
	err = kipsec_genl_talk(g, nlh, family_id_cb, &g->family);
	if (err == -ENOENT) {
		fprintf(stderr,
			"kipsec: the kipsec module is not loaded (try: modprobe kipsec)\n");
	}
	if (err || !g->family) {
		mnl_socket_close(g->nl);
		return err ? err : -ENOENT;
	}
	return 0;
}

void kipsec_genl_close(struct kipsec_genl *g)
{
	mnl_socket_close(g->nl);
}

struct nlmsghdr *kipsec_genl_request(struct kipsec_genl *g, uint8_t cmd,
				     uint16_t flags)
{
	return put_request(g, g->family, cmd, KIPSEC_GENL_VERSION, flags);
}

/* Prints the kernel's extended ACK message for a failed request, if any. */
static void print_extack(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	unsigned int offset = sizeof(*err);
	struct nlattr *attr;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || err->error == 0)
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		offset += mnl_nlmsg_get_payload_len(&err->msg);
	mnl_attr_for_each(attr, nlh, offset) {
		if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			fprintf(stderr, "kipsec: %s\n", mnl_attr_get_str(attr));
	}
}

static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);

	(void)data;
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*err))) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	print_extack(nlh);
	if (err->error) {
		errno = -err->error;
		return MNL_CB_ERROR;
	}
	return MNL_CB_STOP;
}

/*
 * Sends @req and runs @cb on every reply until the ACK (or the end of a
 * dump). Returns 0 or a negative errno, after printing the kernel's message.
 */
int kipsec_genl_talk(struct kipsec_genl *g, struct nlmsghdr *req,
		     mnl_cb_t cb, void *data)
{
	mnl_cb_t ctl_cb[NLMSG_MIN_TYPE] = { [NLMSG_ERROR] = error_cb };
	uint32_t seq = req->nlmsg_seq;
	ssize_t len;
	int ret;

	if (mnl_socket_sendto(g->nl, req, req->nlmsg_len) < 0)
		return -errno;
	do {
		len = mnl_socket_recvfrom(g->nl, g->buf, sizeof(g->buf));
		if (len < 0)
			return -errno;
		ret = mnl_cb_run2(g->buf, (size_t)len, seq, g->portid, cb, data,
				  ctl_cb, NLMSG_MIN_TYPE);
	} while (ret > MNL_CB_STOP);
	return ret < 0 ? -errno : 0;
}
