// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include <daemon.h>
#include <threading/mutex.h>
#include "genl.h"
#include "ops_decode.h"
#include "ops_encode.h"
#include "kernel_kipsec_channel.h"

struct kipsec_channel_t {
	mutex_t *mutex;
	struct kipsec_genl genl;	/* 64 KiB: on the heap with the channel */
};

kipsec_channel_t *kipsec_channel_create(void)
{
	kipsec_channel_t *ch = malloc_thing(kipsec_channel_t);
	int err = kipsec_genl_connect(&ch->genl);

	if (err) {
		if (err == -ENOENT)
			DBG1(DBG_KNL, "kernel-kipsec: the kipsec module is not "
			     "loaded (modprobe kipsec)");
		else
			DBG1(DBG_KNL, "kernel-kipsec: cannot reach the kipsec "
			     "module: %s", strerror(-err));
		free(ch);
		return NULL;
	}
	ch->mutex = mutex_create(MUTEX_TYPE_DEFAULT);
	return ch;
}

void kipsec_channel_destroy(kipsec_channel_t *ch)
{
	kipsec_genl_close(&ch->genl);
	ch->mutex->destroy(ch->mutex);
	free(ch);
}

/* The SA or policy of a reply, decoded into the op waiting for it. */
static int reply_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[KIPSEC_A_MAX + 1];
	struct kipsec_op *reply = data;

	if (!reply)
		return MNL_CB_OK;
	kipsec_msg_attrs(nlh, tb);
	if (tb[KIPSEC_A_SA] && !kipsec_op_is_policy(reply))
		return kipsec_decode_sa(tb[KIPSEC_A_SA], &reply->sa) ?
			MNL_CB_ERROR : MNL_CB_OK;
	if (tb[KIPSEC_A_POLICY] && kipsec_op_is_policy(reply))
		return kipsec_decode_policy(tb[KIPSEC_A_POLICY], &reply->pol) ?
			MNL_CB_ERROR : MNL_CB_OK;
	return MNL_CB_OK;
}

static int finish(kipsec_channel_t *ch, int err, char *why, size_t why_len)
{
	snprintf(why, why_len, "%s", err && ch->genl.extack[0] ?
		 ch->genl.extack : err ? strerror(-err) : "");
	return err;
}

static int run(kipsec_channel_t *ch, const struct kipsec_op *op,
	       struct kipsec_op *reply, bool keys, char *why, size_t why_len)
{
	struct nlmsghdr *nlh;
	uint16_t flags;
	uint8_t cmd;
	int err;

	if (reply) {
		memset(reply, 0, sizeof(*reply));
		reply->type = op->type;
	}
	kipsec_op_command(op, &cmd, &flags);
	ch->mutex->lock(ch->mutex);
	nlh = kipsec_genl_request(&ch->genl, cmd, flags);
	kipsec_encode_op(nlh, op);
	if (op->type == KIPSEC_OP_SA_GET && !keys)
		mnl_attr_put(nlh, KIPSEC_A_SA_NO_KEYS, 0, NULL);
	err = kipsec_genl_talk(&ch->genl, nlh, reply_cb, reply);
	err = finish(ch, err, why, why_len);
	/* the request or its reply carried keys: they go with it */
	if (keys || op->type == KIPSEC_OP_SA_ADD ||
	    op->type == KIPSEC_OP_SA_UPDATE)
		memwipe(ch->genl.buf, sizeof(ch->genl.buf));
	ch->mutex->unlock(ch->mutex);
	return err;
}

int kipsec_channel_run(kipsec_channel_t *ch, const struct kipsec_op *op,
		       struct kipsec_op *reply, char *why, size_t why_len)
{
	return run(ch, op, reply, false, why, why_len);
}

int kipsec_channel_get_keyed(kipsec_channel_t *ch, const struct kipsec_op *op,
			     struct kipsec_op *reply, char *why, size_t why_len)
{
	return run(ch, op, reply, true, why, why_len);
}

int kipsec_channel_bypass(kipsec_channel_t *ch, uint64_t cookie,
			  char *why, size_t why_len)
{
	struct nlmsghdr *nlh;
	int err;

	ch->mutex->lock(ch->mutex);
	nlh = kipsec_genl_request(&ch->genl, KIPSEC_CMD_SOCKET_BYPASS, 0);
	mnl_attr_put_u64(nlh, KIPSEC_A_SOCKET_COOKIE, cookie);
	err = kipsec_genl_talk(&ch->genl, nlh, NULL, NULL);
	err = finish(ch, err, why, why_len);
	ch->mutex->unlock(ch->mutex);
	return err;
}
