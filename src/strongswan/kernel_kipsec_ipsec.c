// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <daemon.h>
#include "kernel_kipsec_channel.h"
#include "kernel_kipsec_convert.h"
#include "kernel_kipsec_events.h"
#include "kernel_kipsec_policies.h"
#include "kernel_kipsec_ipsec.h"

typedef struct {
	kernel_ipsec_t public;
	kipsec_channel_t *ch;
	kk_policies_t *policies;
	kk_events_t *events;
} private_kernel_kipsec_ipsec_t;

static status_t status_of(int err)
{
	switch (err) {
	case 0:
		return SUCCESS;
	case -ENOENT:
		return NOT_FOUND;
	case -EOPNOTSUPP:
		return NOT_SUPPORTED;
	default:
		return FAILED;
	}
}

METHOD(kernel_ipsec_t, get_features, kernel_feature_t,
       private_kernel_kipsec_ipsec_t *this)
{
	/* TFC padding is accepted inbound (the inner IP header gives the
	 * payload's length, the rest is trimmed); policies name their SA by
	 * SPI. */
	return KERNEL_ESP_V3_TFC | KERNEL_POLICY_SPI;
}

METHOD(kernel_ipsec_t, get_spi, status_t,
       private_kernel_kipsec_ipsec_t *this, host_t *src, host_t *dst,
       uint8_t protocol, uint32_t *spi)
{
	struct kipsec_op op = { .type = KIPSEC_OP_SA_ALLOC_SPI }, reply;
	char why[256];
	int err;

	op.sa.proto = protocol;
	if (!kk_host_to_ip(src, &op.sa.src) || !kk_host_to_ip(dst, &op.sa.dst))
		return FAILED;
	/* the plugin's own range, else charon's (as XFRM's backend reads) */
	op.sa.spi_min = lib->settings->get_int(lib->settings,
		"%s.plugins.kernel-kipsec.spi_min",
		lib->settings->get_int(lib->settings, "%s.spi_min",
				       KERNEL_SPI_MIN, lib->ns), lib->ns);
	op.sa.spi_max = lib->settings->get_int(lib->settings,
		"%s.plugins.kernel-kipsec.spi_max",
		lib->settings->get_int(lib->settings, "%s.spi_max",
				       KERNEL_SPI_MAX, lib->ns), lib->ns);
	if (op.sa.spi_min > op.sa.spi_max) {
		uint32_t t = op.sa.spi_min;

		op.sa.spi_min = op.sa.spi_max;
		op.sa.spi_max = t;
	}
	err = kipsec_channel_run(this->ch, &op, &reply, why, sizeof(why));
	if (err || !reply.sa.spi) {
		DBG1(DBG_KNL, "kernel-kipsec: allocating an SPI for %H === %H "
		     "failed: %s", src, dst, err ? why : "no SPI in the reply");
		return FAILED;
	}
	*spi = htonl(reply.sa.spi);
	DBG2(DBG_KNL, "kernel-kipsec: got SPI %.8x", reply.sa.spi);
	return SUCCESS;
}

METHOD(kernel_ipsec_t, get_cpi, status_t,
       private_kernel_kipsec_ipsec_t *this, host_t *src, host_t *dst,
       uint16_t *cpi)
{
	return NOT_SUPPORTED;	/* kipsec has no IPComp */
}

METHOD(kernel_ipsec_t, add_sa, status_t,
       private_kernel_kipsec_ipsec_t *this, kernel_ipsec_sa_id_t *id,
       kernel_ipsec_add_sa_t *data)
{
	struct kipsec_op op = {};
	const char *reason;
	char why[256];
	int err;

	if (!kk_sa(id, data, &op.sa, &reason)) {
		memwipe(&op, sizeof(op));
		DBG1(DBG_KNL, "kernel-kipsec: SA %.8x %H === %H: %s",
		     ntohl(id->spi), id->src, id->dst, reason);
		return NOT_SUPPORTED;
	}
	if (data->tfc)
		DBG1(DBG_KNL, "kernel-kipsec: SA %.8x: no TFC padding on output "
		     "(kipsec does not pad)", ntohl(id->spi));
	/* get_spi() reserved the SPI of an inbound SA: complete that one */
	op.type = data->update ? KIPSEC_OP_SA_UPDATE : KIPSEC_OP_SA_ADD;
	err = kipsec_channel_run(this->ch, &op, NULL, why, sizeof(why));
	if (err == -ENOENT && data->update) {
		/* the reservation lapsed (KIPSEC_LARVAL_SECONDS): a slow
		 * IKE_AUTH, EAP with a person typing; the SPI is still ours
		 * to ask for */
		op.type = KIPSEC_OP_SA_ADD;
		err = kipsec_channel_run(this->ch, &op, NULL, why, sizeof(why));
	}
	memwipe(&op, sizeof(op));
	if (err) {
		DBG1(DBG_KNL, "kernel-kipsec: adding SA %.8x %H === %H failed: %s",
		     ntohl(id->spi), id->src, id->dst, why);
		return FAILED;
	}
	DBG2(DBG_KNL, "kernel-kipsec: added SA %.8x %H === %H",
	     ntohl(id->spi), id->src, id->dst);
	return SUCCESS;
}

static void sa_id(kernel_ipsec_sa_id_t *id, struct kipsec_op *op)
{
	op->sa.proto = id->proto;
	op->sa.spi = ntohl(id->spi);
	kk_host_to_ip(id->dst, &op->sa.dst);
}

/* What is left of a limit the SA has already used @used of (0: none). */
static u64 remaining(u64 limit, u64 used)
{
	if (!limit)
		return 0;
	return limit > used ? limit - used : 1;
}

static void remaining_lifetime(struct kipsec_lifetime *lt,
			       const struct kipsec_lifetime *cur)
{
	lt->bytes = remaining(lt->bytes, cur->bytes);
	lt->packets = remaining(lt->packets, cur->packets);
	lt->add_seconds = remaining(lt->add_seconds, cur->add_seconds);
}

/*
 * MOBIKE and NAT-T move an SA to new addresses or ports. kipsec keeps an
 * SA's addresses and encapsulation ports for life and names it by its destination, so the SA is
 * read back with its keys, sequence numbers and what its lifetimes have
 * used, and added anew under the same SPI; the old one goes. With a new
 * destination the new SA comes first (no gap); with the same destination
 * the old one must go first.
 */
METHOD(kernel_ipsec_t, update_sa, status_t,
       private_kernel_kipsec_ipsec_t *this, kernel_ipsec_sa_id_t *id,
       kernel_ipsec_update_sa_t *data)
{
	struct kipsec_op get = { .type = KIPSEC_OP_SA_GET }, sa, del;
	bool same_dst = id->dst->ip_equals(id->dst, data->new_dst);
	char why[256];
	int err;

	sa_id(id, &get);
	del = get;
	del.type = KIPSEC_OP_SA_DELETE;
	err = kipsec_channel_get_keyed(this->ch, &get, &sa, why, sizeof(why));
	if (err) {
		DBG1(DBG_KNL, "kernel-kipsec: SA %.8x to move: %s",
		     ntohl(id->spi), why);
		return status_of(err);
	}
	sa.type = KIPSEC_OP_SA_ADD;
	if (!kk_host_to_ip(data->new_src, &sa.sa.src) ||
	    !kk_host_to_ip(data->new_dst, &sa.sa.dst) ||
	    sa.sa.src.family != sa.sa.dst.family) {
		memwipe(&sa, sizeof(sa));
		return NOT_SUPPORTED;
	}
	sa.sa.has_encap = FALSE;
	if (data->new_encap &&
	    !kk_sa_encap(&sa.sa, data->new_src, data->new_dst)) {
		memwipe(&sa, sizeof(sa));
		DBG1(DBG_KNL, "kernel-kipsec: SA %.8x: UDP encapsulation needs "
		     "ESP and both hosts' ports", ntohl(id->spi));
		return NOT_SUPPORTED;
	}
	if (data->new_reqid)
		sa.sa.reqid = data->new_reqid;
	remaining_lifetime(&sa.sa.soft, &sa.sa.current);
	remaining_lifetime(&sa.sa.hard, &sa.sa.current);
	/* a transport SA's selector names the old hosts: the policies,
	 * which charon moves too, say what the SA may carry */
	if (sa.sa.mode == KIPSEC_MODE_TRANSPORT)
		sa.sa.has_sel = FALSE;
	sa.sa.mode_set = sa.sa.replay_set = sa.sa.df_set = TRUE;
	if (same_dst)
		kipsec_channel_run(this->ch, &del, NULL, why, sizeof(why));
	err = kipsec_channel_run(this->ch, &sa, NULL, why, sizeof(why));
	memwipe(&sa, sizeof(sa));
	if (err) {
		DBG1(DBG_KNL, "kernel-kipsec: moving SA %.8x to %H === %H "
		     "failed: %s", ntohl(id->spi), data->new_src,
		     data->new_dst, why);
		return FAILED;
	}
	if (!same_dst)
		kipsec_channel_run(this->ch, &del, NULL, why, sizeof(why));
	DBG2(DBG_KNL, "kernel-kipsec: moved SA %.8x to %H === %H",
	     ntohl(id->spi), data->new_src, data->new_dst);
	return SUCCESS;
}

METHOD(kernel_ipsec_t, query_sa, status_t,
       private_kernel_kipsec_ipsec_t *this, kernel_ipsec_sa_id_t *id,
       kernel_ipsec_query_sa_t *data, uint64_t *bytes, uint64_t *packets,
       time_t *time)
{
	struct kipsec_op op = { .type = KIPSEC_OP_SA_GET }, reply;
	char why[256];
	int err;

	sa_id(id, &op);
	err = kipsec_channel_run(this->ch, &op, &reply, why, sizeof(why));
	if (err) {
		DBG1(DBG_KNL, "kernel-kipsec: querying SA %.8x failed: %s",
		     ntohl(id->spi), why);
		return status_of(err);
	}
	memwipe(&reply.sa.encr, sizeof(reply.sa.encr));
	memwipe(&reply.sa.integ, sizeof(reply.sa.integ));
	if (bytes)
		*bytes = reply.sa.current.bytes;
	if (packets)
		*packets = reply.sa.current.packets;
	/* as XFRM: when the SA was first used */
	if (time)
		*time = reply.sa.used ?
			time_monotonic(NULL) - reply.sa.current.use_seconds : 0;
	return SUCCESS;
}

METHOD(kernel_ipsec_t, del_sa, status_t,
       private_kernel_kipsec_ipsec_t *this, kernel_ipsec_sa_id_t *id,
       kernel_ipsec_del_sa_t *data)
{
	struct kipsec_op op = { .type = KIPSEC_OP_SA_DELETE };
	char why[256];
	int err;

	sa_id(id, &op);
	err = kipsec_channel_run(this->ch, &op, NULL, why, sizeof(why));
	if (err && err != -ENOENT)
		DBG1(DBG_KNL, "kernel-kipsec: deleting SA %.8x failed: %s",
		     ntohl(id->spi), why);
	else
		DBG2(DBG_KNL, "kernel-kipsec: deleted SA %.8x%s", ntohl(id->spi),
		     err ? " (it was gone already)" : "");
	return status_of(err);
}

METHOD(kernel_ipsec_t, flush_sas, status_t,
       private_kernel_kipsec_ipsec_t *this)
{
	struct kipsec_op op = { .type = KIPSEC_OP_SA_FLUSH };
	char why[256];
	int err;

	err = kipsec_channel_run(this->ch, &op, NULL, why, sizeof(why));
	if (err)
		DBG1(DBG_KNL, "kernel-kipsec: flushing SAs failed: %s", why);
	return status_of(err);
}

METHOD(kernel_ipsec_t, add_policy, status_t,
       private_kernel_kipsec_ipsec_t *this, kernel_ipsec_policy_id_t *id,
       kernel_ipsec_manage_policy_t *data)
{
	return kk_policies_add(this->policies, id, data);
}

METHOD(kernel_ipsec_t, query_policy, status_t,
       private_kernel_kipsec_ipsec_t *this, kernel_ipsec_policy_id_t *id,
       kernel_ipsec_query_policy_t *data, time_t *use_time)
{
	return kk_policies_query(this->policies, id, use_time);
}

METHOD(kernel_ipsec_t, del_policy, status_t,
       private_kernel_kipsec_ipsec_t *this, kernel_ipsec_policy_id_t *id,
       kernel_ipsec_manage_policy_t *data)
{
	return kk_policies_del(this->policies, id, data);
}

METHOD(kernel_ipsec_t, flush_policies, status_t,
       private_kernel_kipsec_ipsec_t *this)
{
	return kk_policies_flush(this->policies);
}

/*
 * IKE's own packets must pass whatever policy covers the peers: kipsec
 * exempts the socket by its cookie, for as long as this plugin's netlink
 * socket lives.
 */
METHOD(kernel_ipsec_t, bypass_socket, bool,
       private_kernel_kipsec_ipsec_t *this, int fd, int family)
{
	uint64_t cookie = 0;
	socklen_t len = sizeof(cookie);
	char why[256];

	if (getsockopt(fd, SOL_SOCKET, SO_COOKIE, &cookie, &len)) {
		DBG1(DBG_KNL, "kernel-kipsec: the IKE socket's cookie: %s",
		     strerror(errno));
		return FALSE;
	}
	if (kipsec_channel_bypass(this->ch, cookie, why, sizeof(why))) {
		DBG1(DBG_KNL, "kernel-kipsec: exempting the IKE socket from "
		     "policies failed: %s", why);
		return FALSE;
	}
	return TRUE;
}

METHOD(kernel_ipsec_t, enable_udp_decap, bool,
       private_kernel_kipsec_ipsec_t *this, int fd, int family, uint16_t port)
{
	/*
	 * Nothing to set on the socket: kipsec takes ESP out of UDP at
	 * LOCAL_IN for the ports its SAs name, before any socket, and lets
	 * packets with the non-ESP marker through to this one.
	 */
	DBG2(DBG_KNL, "kernel-kipsec: port %u carries ESP in UDP for SAs that "
	     "name it", port);
	return TRUE;
}

METHOD(kernel_ipsec_t, destroy, void, private_kernel_kipsec_ipsec_t *this)
{
	if (this->events)
		kk_events_destroy(this->events);
	kk_policies_destroy(this->policies);
	kipsec_channel_destroy(this->ch);
	free(this);
}

kernel_ipsec_t *kernel_kipsec_ipsec_create(void)
{
	private_kernel_kipsec_ipsec_t *this;
	kipsec_channel_t *ch = kipsec_channel_create();

	if (!ch)
		return NULL;
	INIT(this,
		.public = {
			.get_features = _get_features,
			.get_spi = _get_spi,
			.get_cpi = _get_cpi,
			.add_sa = _add_sa,
			.update_sa = _update_sa,
			.query_sa = _query_sa,
			.del_sa = _del_sa,
			.flush_sas = _flush_sas,
			.add_policy = _add_policy,
			.query_policy = _query_policy,
			.del_policy = _del_policy,
			.flush_policies = _flush_policies,
			.bypass_socket = _bypass_socket,
			.enable_udp_decap = _enable_udp_decap,
			.destroy = _destroy,
		},
		.ch = ch,
		.policies = kk_policies_create(ch),
		.events = kk_events_create(),
	);
	if (!this->events) {
		destroy(this);
		return NULL;
	}
	DBG1(DBG_KNL, "kernel-kipsec: charon's SAs and policies go to kipsec");
	return &this->public;
}
