// SPDX-License-Identifier: GPL-2.0
#include <daemon.h>
#include "kernel_kipsec_routes.h"

struct kk_route_t {
	chunk_t dst_net;
	uint8_t prefixlen;
	host_t *gateway;	/* NULL: the peer is on the link */
	host_t *src_ip;
	char *if_name;
};

static void free_route(kk_route_t *r)
{
	chunk_free(&r->dst_net);
	DESTROY_IF(r->gateway);
	DESTROY_IF(r->src_ip);
	free(r->if_name);
	free(r);
}

kk_route_t *kk_route_install(kernel_ipsec_policy_id_t *id,
			     kernel_ipsec_manage_policy_t *data)
{
	host_t *net = NULL;
	kk_route_t *r;
	uint8_t plen;
	status_t status;

	if (id->dir != POLICY_OUT || data->type != POLICY_IPSEC ||
	    data->sa->mode != MODE_TUNNEL || !data->src || !data->dst ||
	    !lib->settings->get_bool(lib->settings, "%s.install_routes", TRUE,
				     lib->ns))
		return NULL;
	if (!id->dst_ts->to_subnet(id->dst_ts, &net, &plen)) {
		DESTROY_IF(net);
		return NULL;
	}
	/*
	 * A route to a net that holds the peer would take IKE and ESP to the
	 * peer into it too (from the inner address): leave that to the
	 * administrator, as for a whole-address-space tunnel.
	 */
	if (data->dst->is_anyaddr(data->dst) ||
	    id->dst_ts->includes(id->dst_ts, data->dst)) {
		DBG2(DBG_KNL, "kernel-kipsec: no route for %R: it holds the peer",
		     id->dst_ts);
		net->destroy(net);
		return NULL;
	}
	INIT(r,
		.dst_net = chunk_clone(net->get_address(net)),
		.prefixlen = plen,
	);
	net->destroy(net);
	if (charon->kernel->get_address_by_ts(charon->kernel, id->src_ts,
					      &r->src_ip, NULL) != SUCCESS) {
		DBG2(DBG_KNL, "kernel-kipsec: no route for %R: no local address "
		     "in %R", id->dst_ts, id->src_ts);
		free_route(r);
		return NULL;
	}
	r->gateway = charon->kernel->get_nexthop(charon->kernel, data->dst, -1,
						 data->src, &r->if_name);
	if (!r->if_name &&
	    !charon->kernel->get_interface(charon->kernel, data->src,
					   &r->if_name)) {
		DBG1(DBG_KNL, "kernel-kipsec: no route for %R: no interface "
		     "for %H", id->dst_ts, data->src);
		free_route(r);
		return NULL;
	}
	status = charon->kernel->add_route(charon->kernel, r->dst_net,
					   r->prefixlen, r->gateway, r->src_ip,
					   r->if_name, FALSE);
	if (status != SUCCESS && status != ALREADY_DONE) {
		DBG1(DBG_KNL, "kernel-kipsec: installing the route to %R from "
		     "%H failed", id->dst_ts, r->src_ip);
		free_route(r);
		return NULL;
	}
	DBG2(DBG_KNL, "kernel-kipsec: route to %R from %H via %H dev %s",
	     id->dst_ts, r->src_ip, r->gateway, r->if_name);
	return r;
}

void kk_route_remove(kk_route_t *r)
{
	if (!r)
		return;
	charon->kernel->del_route(charon->kernel, r->dst_net, r->prefixlen,
				  r->gateway, r->src_ip, r->if_name, FALSE);
	free_route(r);
}
