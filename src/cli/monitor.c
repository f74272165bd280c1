// SPDX-License-Identifier: GPL-2.0
/*
 * `kipsec monitor` (and setkey's -x): the module's events, one line each
 * as they arrive, until killed; with -j one JSON object per line. As with
 * setkey, -xx stamps each event (seconds since the epoch) and -H adds the
 * bytes of each message.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/kipsec.h>
#include "commands.h"
#include "dump.h"
#include "genl.h"
#include "names.h"
#include "ops_decode.h"
#include "setkey_print.h"

static const char *const event_names[] = {
	[KIPSEC_CMD_SA_NEW] = "sa-new",
	[KIPSEC_CMD_SA_UPDATE] = "sa-update",
	[KIPSEC_CMD_SA_DEL] = "sa-del",
	[KIPSEC_CMD_SA_FLUSH] = "sa-flush",
	[KIPSEC_CMD_POLICY_NEW] = "policy-new",
	[KIPSEC_CMD_POLICY_UPDATE] = "policy-update",
	[KIPSEC_CMD_POLICY_DEL] = "policy-del",
	[KIPSEC_CMD_POLICY_FLUSH] = "policy-flush",
	[KIPSEC_CMD_EXPIRE] = "expire",
	[KIPSEC_CMD_ACQUIRE] = "acquire",
	[KIPSEC_CMD_MAPPING] = "mapping",
};

struct event {
	const char *name;		/* "sa-new" */
	const struct nlattr *tb[KIPSEC_A_MAX + 1];
	bool has_sa, has_policy;
	struct kipsec_sa sa;
	struct kipsec_policy pol;
	u8 proto_filter;
	bool hard;
	/* MAPPING: where the peer's authenticated packets now come from */
	bool has_mapping;
	struct kipsec_ip mapping_addr;
	u16 mapping_port;
};

static void print_text(const struct event *ev, u8 cmd)
{
	char src[KIPSEC_ADDR_STRLEN], dst[KIPSEC_ADDR_STRLEN];

	fputs(ev->name, stdout);
	switch (cmd) {
	case KIPSEC_CMD_SA_FLUSH:
		printf(" %s", ev->proto_filter ?
		       kipsec_sa_proto_name(ev->proto_filter) : "all");
		break;
	case KIPSEC_CMD_EXPIRE:
		printf(" %s", ev->hard ? "hard" : "soft");
		break;
	case KIPSEC_CMD_ACQUIRE:
		if (ev->has_sa)
			printf(" %s %s %s reqid=%u",
			       kipsec_format_addr(&ev->sa.src, src, sizeof(src)),
			       kipsec_format_addr(&ev->sa.dst, dst, sizeof(dst)),
			       kipsec_sa_proto_name(ev->sa.proto) ?
			       kipsec_sa_proto_name(ev->sa.proto) : "?",
			       ev->sa.reqid);
		if (ev->has_policy) {
			fputs(" for ", stdout);
			kipsec_brief_policy(stdout, &ev->pol);
		}
		putchar('\n');
		return;
	case KIPSEC_CMD_MAPPING:
		if (ev->has_sa && ev->has_mapping) {
			putchar(' ');
			kipsec_brief_mapping(stdout, &ev->sa, &ev->mapping_addr,
					     ev->mapping_port);
			putchar('\n');
			return;
		}
		break;
	}
	if (ev->has_sa) {
		putchar(' ');
		kipsec_brief_sa(stdout, &ev->sa);
	}
	if (ev->has_policy) {
		putchar(' ');
		kipsec_brief_policy(stdout, &ev->pol);
	}
	putchar('\n');
}

/* The message as it came, 16 bytes a line (setkey -H). */
static void print_hex(const struct nlmsghdr *nlh)
{
	const unsigned char *b = (const unsigned char *)nlh;

	for (uint32_t i = 0; i < nlh->nlmsg_len; i++)
		printf("%s%02x%s", i % 16 ? " " : "\t", b[i],
		       i % 16 == 15 || i + 1 == nlh->nlmsg_len ? "\n" : "");
}

static void print_json(const struct event *ev, u8 cmd,
		       const struct kipsec_opts *opts,
		       const struct nlmsghdr *nlh, const struct timespec *when)
{
	char name[32], addr[KIPSEC_ADDR_STRLEN];
	struct kipsec_json j;

	/* JSON keys and values are snake_case */
	snprintf(name, sizeof(name), "%s", ev->name);
	for (char *c = name; *c; c++)
		if (*c == '-')
			*c = '_';
	kipsec_json_init(&j, stdout);
	kipsec_json_object(&j, NULL);
	kipsec_json_string(&j, "event", name);
	if (opts->timestamps)
		kipsec_json_u64(&j, "time_us", (u64)when->tv_sec * 1000000 +
				(u64)when->tv_nsec / 1000);
	if (cmd == KIPSEC_CMD_SA_FLUSH)
		kipsec_json_string(&j, "proto", ev->proto_filter ?
				   kipsec_sa_proto_name(ev->proto_filter) : NULL);
	if (cmd == KIPSEC_CMD_EXPIRE)
		kipsec_json_bool(&j, "hard", ev->hard);
	if (ev->has_sa)
		kipsec_json_sa(&j, "sa", &ev->sa);
	if (ev->has_policy)
		kipsec_json_policy(&j, "policy", &ev->pol);
	if (ev->has_mapping) {
		kipsec_json_string(&j, "new_addr",
				   kipsec_format_addr(&ev->mapping_addr, addr,
						      sizeof(addr)));
		kipsec_json_u64(&j, "new_port", ev->mapping_port);
	}
	if (opts->hexdump)
		kipsec_json_hex(&j, "raw", (const u8 *)nlh, nlh->nlmsg_len);
	kipsec_json_end_object(&j);
}

static void print_event(const struct nlmsghdr *nlh,
			const struct kipsec_opts *opts)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	struct event ev = { 0 };
	char unknown[32];
	const struct nlattr *filter;

	if (genl->cmd < sizeof(event_names) / sizeof(event_names[0]) &&
	    event_names[genl->cmd]) {
		ev.name = event_names[genl->cmd];
	} else {
		snprintf(unknown, sizeof(unknown), "event-%u", genl->cmd);
		ev.name = unknown;
	}
	kipsec_msg_attrs(nlh, ev.tb);
	ev.has_sa = ev.tb[KIPSEC_A_SA] &&
		    !kipsec_decode_sa(ev.tb[KIPSEC_A_SA], &ev.sa);
	ev.has_policy = ev.tb[KIPSEC_A_POLICY] &&
			!kipsec_decode_policy(ev.tb[KIPSEC_A_POLICY], &ev.pol);
	filter = ev.tb[KIPSEC_A_SA_PROTO_FILTER];
	if (filter && mnl_attr_get_payload_len(filter) == 1)
		ev.proto_filter = mnl_attr_get_u8(filter);
	ev.hard = ev.tb[KIPSEC_A_EXPIRE_HARD] != NULL;
	ev.has_mapping = !kipsec_decode_mapping(ev.tb, &ev.mapping_addr,
					       &ev.mapping_port);
	struct timespec when;

	clock_gettime(CLOCK_REALTIME, &when);
	if (opts->json) {
		print_json(&ev, genl->cmd, opts, nlh, &when);
	} else {
		if (opts->timestamps)
			printf("%lld.%06ld ", (long long)when.tv_sec,
			       when.tv_nsec / 1000);
		print_text(&ev, genl->cmd);
		if (opts->hexdump)
			print_hex(nlh);
	}
	fflush(stdout);
}

int kipsec_cmd_monitor(const struct kipsec_opts *opts)
{
	struct kipsec_genl *g = malloc(sizeof(*g));
	struct nlmsghdr *nlh;
	ssize_t len;
	int err, rest;

	if (!g || kipsec_genl_open(g)) {
		free(g);
		return 1;
	}
	err = kipsec_genl_subscribe(g);
	if (err) {
		fprintf(stderr, "kipsec: cannot listen to the %s group: %s%s\n",
			KIPSEC_MCGRP_EVENTS, strerror(-err),
			err == -EPERM ? " (monitoring needs CAP_NET_ADMIN in"
					" the network namespace: run it as root)" : "");
		kipsec_genl_close(g);
		free(g);
		return 1;
	}
	for (;;) {
		len = mnl_socket_recvfrom(g->nl, g->buf, sizeof(g->buf));
		if (len < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				fputs("kipsec: events were lost: they came faster than they were read\n",
				      stderr);
				continue;
			}
			fprintf(stderr, "kipsec: reading events failed: %s\n",
				strerror(errno));
			break;
		}
		rest = (int)len;
		for (nlh = (struct nlmsghdr *)g->buf; mnl_nlmsg_ok(nlh, rest);
		     nlh = mnl_nlmsg_next(nlh, &rest)) {
			if (nlh->nlmsg_type == g->family &&
			    mnl_nlmsg_get_payload_len(nlh) >= sizeof(struct genlmsghdr))
				print_event(nlh, opts);
		}
	}
	kipsec_genl_close(g);
	free(g);
	return 1;
}
