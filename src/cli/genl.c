// SPDX-License-Identifier: GPL-2.0
/* Talking to the kipsec generic netlink family through libmnl. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/kipsec.h>
#include "genl.h"

/* A batch is sent in one sendmsg() of at most this many bytes. */
#define BATCH_BYTES (64 * 1024)
/* What one request's replies may take in the receive buffer (skb overhead
 * included, an ACK and a reply), to size batches so no ACK is dropped. */
#define RCVBUF_PER_REQUEST 4096
#define RCVBUF_WANTED (8 * 1024 * 1024)

static void family_groups(const struct nlattr *groups, struct kipsec_genl *g)
{
	const struct nlattr *group, *attr;

	mnl_attr_for_each_nested(group, groups) {
		const char *name = NULL;
		uint32_t id = 0;

		mnl_attr_for_each_nested(attr, group) {
			if (mnl_attr_get_type(attr) == CTRL_ATTR_MCAST_GRP_NAME &&
			    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
				name = mnl_attr_get_str(attr);
			if (mnl_attr_get_type(attr) == CTRL_ATTR_MCAST_GRP_ID &&
			    mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
				id = mnl_attr_get_u32(attr);
		}
		if (name && !strcmp(name, KIPSEC_MCGRP_EVENTS))
			g->events_group = id;
	}
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct kipsec_genl *g = data;
	struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID &&
		    mnl_attr_validate(attr, MNL_TYPE_U16) == 0)
			g->family = mnl_attr_get_u16(attr);
		if (mnl_attr_get_type(attr) == CTRL_ATTR_MCAST_GROUPS &&
		    mnl_attr_validate(attr, MNL_TYPE_NESTED) == 0)
			family_groups(attr, g);
	}
	return MNL_CB_OK;
}

static void put_header(struct kipsec_genl *g, struct nlmsghdr *nlh,
		       uint16_t type, uint8_t cmd, uint8_t version,
		       uint16_t flags)
{
	struct genlmsghdr *genl;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++g->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
}

/*
 * A bigger receive buffer lets more requests go per sendmsg(): each one's
 * ACK waits there until the whole batch was processed.
 */
static void size_batches(struct kipsec_genl *g)
{
	int fd = mnl_socket_get_fd(g->nl), size = RCVBUF_WANTED;
	socklen_t len = sizeof(size);

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, &len) || size < 0)
		size = 0;
	g->batch_max = (unsigned int)size / RCVBUF_PER_REQUEST;
	if (g->batch_max < 8)
		g->batch_max = 8;
	if (g->batch_max > 1024)
		g->batch_max = 1024;
}

int kipsec_genl_connect(struct kipsec_genl *g)
{
	struct nlmsghdr *nlh;
	int err;

	g->family = 0;
	g->events_group = 0;
	g->extack[0] = '\0';
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
	/* A rejected request is not echoed back: smaller error ACKs. */
	mnl_socket_setsockopt(g->nl, NETLINK_CAP_ACK, &(int){ 1 }, sizeof(int));
	size_batches(g);

	nlh = mnl_nlmsg_put_header(g->buf);
	put_header(g, nlh, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, KIPSEC_GENL_NAME);
	err = kipsec_genl_talk(g, nlh, family_cb, g);
	if (!err && !g->family)
		err = -ENOENT;
	if (err)
		mnl_socket_close(g->nl);
	return err;
}

int kipsec_genl_open(struct kipsec_genl *g)
{
	int err = kipsec_genl_connect(g);

	if (!err)
		return 0;
	if (err == -ENOENT)
		fputs("kipsec: the kipsec module is not loaded (try: modprobe kipsec)\n",
		      stderr);
	else
		fprintf(stderr, "kipsec: cannot reach the kernel module: %s\n",
			strerror(-err));
	return err;
}

void kipsec_genl_close(struct kipsec_genl *g)
{
	mnl_socket_close(g->nl);
}

struct nlmsghdr *kipsec_genl_request(struct kipsec_genl *g, uint8_t cmd,
				     uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(g->buf);

	put_header(g, nlh, g->family, cmd, KIPSEC_GENL_VERSION, flags);
	return nlh;
}

int kipsec_genl_subscribe(struct kipsec_genl *g)
{
	int group = (int)g->events_group;

	if (!g->events_group)
		return -ENOENT;
	if (mnl_socket_setsockopt(g->nl, NETLINK_ADD_MEMBERSHIP, &group,
				  sizeof(group)))
		return -errno;
	return 0;
}

/*
 * The error of an NLMSG_ERROR or NLMSG_DONE message (0 for an ACK or a
 * clean end of a dump), and the extended ACK's message into @extack.
 */
static int message_error(const struct nlmsghdr *nlh, char *extack, size_t len)
{
	unsigned int offset;
	struct nlattr *attr;
	int error;

	extack[0] = '\0';
	if (nlh->nlmsg_type == NLMSG_DONE) {
		if (mnl_nlmsg_get_payload_len(nlh) < sizeof(int))
			return 0;
		memcpy(&error, mnl_nlmsg_get_payload(nlh), sizeof(error));
		offset = sizeof(int);
	} else {
		const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);

		if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*err)))
			return -EBADMSG;
		error = err->error;
		offset = sizeof(*err);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			offset += mnl_nlmsg_get_payload_len(&err->msg);
	}
	if (error && (nlh->nlmsg_flags & NLM_F_ACK_TLVS)) {
		mnl_attr_for_each(attr, nlh, offset) {
			if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
			    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
				snprintf(extack, len, "%s", mnl_attr_get_str(attr));
		}
	}
	return error > 0 ? -error : error;
}

int kipsec_genl_talk(struct kipsec_genl *g, struct nlmsghdr *req,
		     mnl_cb_t cb, void *data)
{
	uint32_t seq = req->nlmsg_seq;
	struct nlmsghdr *nlh;
	ssize_t len;
	int ret, rest;

	g->extack[0] = '\0';
	if (mnl_socket_sendto(g->nl, req, req->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		len = mnl_socket_recvfrom(g->nl, g->buf, sizeof(g->buf));
		if (len < 0)
			return -errno;
		rest = (int)len;
		for (nlh = (struct nlmsghdr *)g->buf; mnl_nlmsg_ok(nlh, rest);
		     nlh = mnl_nlmsg_next(nlh, &rest)) {
			/* left over from an earlier request */
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR ||
			    nlh->nlmsg_type == NLMSG_DONE)
				return message_error(nlh, g->extack,
						     sizeof(g->extack));
			if (nlh->nlmsg_type < NLMSG_MIN_TYPE || !cb)
				continue;
			errno = 0;
			ret = cb(nlh, data);
			if (ret < MNL_CB_STOP)
				return errno ? -errno : -EIO;
			if (ret == MNL_CB_STOP)
				return 0;
		}
	}
}

void kipsec_batch_init(struct kipsec_batch *b, struct kipsec_genl *g,
		       kipsec_batch_error_cb on_error, void *ctx)
{
	memset(b, 0, sizeof(*b));
	b->g = g;
	b->on_error = on_error;
	b->ctx = ctx;
}

static void close_open_request(struct kipsec_batch *b)
{
	if (b->open) {
		b->len += MNL_ALIGN(b->open->nlmsg_len);
		b->open = NULL;
	}
}

struct nlmsghdr *kipsec_batch_add(struct kipsec_batch *b, uint8_t cmd,
				  uint16_t flags, size_t tag)
{
	struct nlmsghdr *nlh;
	int err;

	close_open_request(b);
	if (b->count >= b->g->batch_max ||
	    b->len + KIPSEC_BATCH_MSG_MAX > BATCH_BYTES) {
		err = kipsec_batch_flush(b);
		if (err) {
			errno = -err;
			return NULL;
		}
	}
	if (!b->buf) {
		b->buf = malloc(BATCH_BYTES);
		b->tags = malloc(b->g->batch_max * sizeof(*b->tags));
		if (!b->buf || !b->tags) {
			errno = ENOMEM;
			return NULL;
		}
		b->cap = BATCH_BYTES;
	}
	nlh = mnl_nlmsg_put_header(b->buf + b->len);
	put_header(b->g, nlh, b->g->family, cmd, KIPSEC_GENL_VERSION, flags);
	if (!b->count)
		b->first_seq = nlh->nlmsg_seq;
	b->tags[b->count++] = tag;
	b->open = nlh;
	return nlh;
}

int kipsec_batch_flush(struct kipsec_batch *b)
{
	struct kipsec_genl *g = b->g;
	unsigned int acked = 0, count;
	struct nlmsghdr *nlh;
	ssize_t len;
	int err = 0, rest;

	close_open_request(b);
	count = b->count;
	b->count = 0;
	if (!count)
		return 0;
	if (mnl_socket_sendto(g->nl, b->buf, b->len) < 0)
		err = -errno;
	b->len = 0;
	/* Every request has NLM_F_ACK: exactly one ACK or error each. */
	while (!err && acked < count) {
		len = mnl_socket_recvfrom(g->nl, g->buf, sizeof(g->buf));
		if (len < 0) {
			err = -errno;
			break;
		}
		rest = (int)len;
		for (nlh = (struct nlmsghdr *)g->buf; mnl_nlmsg_ok(nlh, rest);
		     nlh = mnl_nlmsg_next(nlh, &rest)) {
			uint32_t i = nlh->nlmsg_seq - b->first_seq;
			int error;

			if (nlh->nlmsg_type != NLMSG_ERROR || i >= count)
				continue;
			acked++;
			error = message_error(nlh, g->extack, sizeof(g->extack));
			if (error)
				b->on_error(b->ctx, b->tags[i], -error,
					    g->extack);
		}
	}
	return err;
}

void kipsec_batch_free(struct kipsec_batch *b)
{
	free(b->buf);
	free(b->tags);
	b->buf = NULL;
	b->tags = NULL;
}
