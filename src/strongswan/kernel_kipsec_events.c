// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <daemon.h>
#include <kernel/kernel_listener.h>
#include <linux/genetlink.h>
#include "genl.h"
#include "ops_decode.h"
#include "kernel_kipsec_convert.h"
#include "kernel_kipsec_events.h"

struct kk_events_t {
	struct kipsec_genl genl;
};

static void expire(const struct nlattr **tb, bool hard)
{
	struct kipsec_sa sa;
	host_t *dst;

	if (!tb[KIPSEC_A_SA] || kipsec_decode_sa(tb[KIPSEC_A_SA], &sa) ||
	    !(dst = kk_ip_to_host(&sa.dst))) {
		DBG1(DBG_KNL, "kernel-kipsec: an EXPIRE without its SA");
		return;
	}
	DBG1(DBG_KNL, "kernel-kipsec: %s EXPIRE for SA %.8x (%s)",
	     hard ? "hard" : "soft", sa.spi,
	     sa.proto == IPPROTO_ESP ? "ESP" : "AH");
	charon->kernel->expire(charon->kernel, sa.proto, htonl(sa.spi), dst,
			       hard);
	dst->destroy(dst);
}

/*
 * ACQUIRE: the policy's reqid starts charon's trap negotiation. charon
 * proposes the packet as the first traffic selectors and, for a trap with
 * a wildcard peer, takes the peer from the packet's destination. In
 * transport mode kipsec's SA addresses are the packet's; in tunnel mode
 * the policy's selector stands for the packet.
 */
static void acquire(const struct nlattr **tb)
{
	kernel_acquire_data_t data = {};
	struct kipsec_policy pol;
	struct kipsec_sa sa;

	if (!tb[KIPSEC_A_SA] || kipsec_decode_sa(tb[KIPSEC_A_SA], &sa) ||
	    !tb[KIPSEC_A_POLICY] ||
	    kipsec_decode_policy(tb[KIPSEC_A_POLICY], &pol)) {
		DBG1(DBG_KNL, "kernel-kipsec: an ACQUIRE without its policy or SA");
		return;
	}
	if (!sa.reqid) {
		DBG1(DBG_KNL, "kernel-kipsec: ACQUIRE for a policy without a "
		     "reqid (not charon's): ignored");
		return;
	}
	if (sa.mode == KIPSEC_MODE_TRANSPORT) {
		struct kipsec_selector host = {
			.src = sa.src, .dst = sa.dst,
			.src_plen = sa.src.family == AF_INET ? 32 : 128,
			.dst_plen = sa.dst.family == AF_INET ? 32 : 128,
		};

		pol.sel = host;
	}
	data.src = kk_selector_ts(&pol.sel, TRUE);
	data.dst = kk_selector_ts(&pol.sel, FALSE);
	if (!data.src || !data.dst) {
		DBG1(DBG_KNL, "kernel-kipsec: an ACQUIRE without addresses");
		DESTROY_IF(data.src);
		DESTROY_IF(data.dst);
		return;
	}
	DBG1(DBG_KNL, "kernel-kipsec: ACQUIRE for reqid %u", sa.reqid);
	charon->kernel->acquire(charon->kernel, sa.reqid, &data);
	DESTROY_IF(data.src);
	DESTROY_IF(data.dst);
}

/* MAPPING: the peer's NAT rebound; charon decides whether the SA moves. */
static void mapping(const struct nlattr **tb)
{
	struct kipsec_ip addr;
	struct kipsec_sa sa;
	host_t *dst, *remote;
	u16 port;

	if (!tb[KIPSEC_A_SA] || kipsec_decode_sa(tb[KIPSEC_A_SA], &sa) ||
	    kipsec_decode_mapping(tb, &addr, &port) ||
	    !(dst = kk_ip_to_host(&sa.dst))) {
		DBG1(DBG_KNL, "kernel-kipsec: a MAPPING without its SA or endpoint");
		return;
	}
	remote = kk_ip_to_host(&addr);
	if (remote) {
		remote->set_port(remote, port);
		DBG1(DBG_KNL, "kernel-kipsec: NAT mapping of SA %.8x changed to "
		     "%#H", sa.spi, remote);
		charon->kernel->mapping(charon->kernel, sa.proto, htonl(sa.spi),
					dst, remote);
		remote->destroy(remote);
	}
	dst->destroy(dst);
}

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[KIPSEC_A_MAX + 1];
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);

	kipsec_msg_attrs(nlh, tb);
	switch (genl->cmd) {
	case KIPSEC_CMD_EXPIRE:
		expire(tb, tb[KIPSEC_A_EXPIRE_HARD] != NULL);
		break;
	case KIPSEC_CMD_ACQUIRE:
		acquire(tb);
		break;
	case KIPSEC_CMD_MAPPING:
		mapping(tb);
		break;
	default:	/* SA and policy changes: charon made them */
		break;
	}
	return MNL_CB_OK;
}

static bool receive(void *data, int fd, watcher_event_t event)
{
	kk_events_t *this = data;
	ssize_t len;

	/* all that is queued: fewer wake-ups in a burst */
	for (;;) {
		len = recv(fd, this->genl.buf, sizeof(this->genl.buf),
			   MSG_DONTWAIT);
		if (len < 0 && errno == EINTR)
			continue;
		if (len < 0 && errno == ENOBUFS) {
			/* an EXPIRE may be among them: a rekey charon misses */
			DBG1(DBG_KNL, "kernel-kipsec: events were lost (the "
			     "receive queue overflowed)");
			continue;
		}
		if (len < 0) {
			if (errno != EAGAIN)
				DBG1(DBG_KNL, "kernel-kipsec: reading events "
				     "failed: %s", strerror(errno));
			return TRUE;
		}
		mnl_cb_run(this->genl.buf, len, 0, 0, event_cb, this);
	}
}

kk_events_t *kk_events_create(void)
{
	kk_events_t *this = malloc_thing(kk_events_t);
	int err = kipsec_genl_connect(&this->genl), rcvbuf = 4 << 20;

	if (!err) {
		err = kipsec_genl_subscribe(&this->genl);
		if (err)
			kipsec_genl_close(&this->genl);
	}
	if (err) {
		DBG1(DBG_KNL, "kernel-kipsec: cannot join kipsec's events: %s",
		     strerror(-err));
		free(this);
		return NULL;
	}
	/*
	 * A flush or a burst of expiries can outrun charon's watcher thread;
	 * a lost EXPIRE is a missed rekey. Ask for room (root may exceed
	 * rmem_max; otherwise the kernel caps the request).
	 */
	if (setsockopt(mnl_socket_get_fd(this->genl.nl), SOL_SOCKET,
		       SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		setsockopt(mnl_socket_get_fd(this->genl.nl), SOL_SOCKET,
			   SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	lib->watcher->add(lib->watcher, mnl_socket_get_fd(this->genl.nl),
			  WATCHER_READ, receive, this);
	return this;
}

void kk_events_destroy(kk_events_t *this)
{
	lib->watcher->remove(lib->watcher, mnl_socket_get_fd(this->genl.nl));
	kipsec_genl_close(&this->genl);
	free(this);
}
