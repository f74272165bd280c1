// SPDX-License-Identifier: GPL-2.0
/*
 * `kipsec stats`: the namespace's drop counters and its ESP-in-UDP
 * counters, as text or JSON.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/kipsec.h>
#include "commands.h"
#include "drop_names.h"
#include "genl.h"

struct drops {
	uint64_t count[__KIPSEC_DROP_MAX];
	bool seen[__KIPSEC_DROP_MAX];
	/* KIPSEC_A_STATS_ENCAP; absent from a module without NAT traversal */
	bool has_encap;
	uint64_t encap[__KIPSEC_ENCS_A_MAX];
};

/* The words for enum kipsec_encap_stats_attr, text and JSON alike. */
static const char *const encap_names[__KIPSEC_ENCS_A_MAX] = {
	[KIPSEC_ENCS_A_ESP_IN] = "esp_in",
	[KIPSEC_ENCS_A_ESP_OUT] = "esp_out",
	[KIPSEC_ENCS_A_IKE_IN] = "ike_in",
};

static void read_encap(const struct nlattr *nest, struct drops *d)
{
	const struct nlattr *a;

	d->has_encap = true;
	mnl_attr_for_each_nested(a, nest) {
		unsigned int type = mnl_attr_get_type(a);

		if (type > KIPSEC_ENCS_A_MAX || !encap_names[type] ||
		    mnl_attr_validate(a, MNL_TYPE_U64) < 0)
			continue;
		d->encap[type] = mnl_attr_get_u64(a);
	}
}

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	struct drops *d = data;
	struct nlattr *attr, *reason;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) == KIPSEC_A_STATS_ENCAP)
			read_encap(attr, d);
		if (mnl_attr_get_type(attr) != KIPSEC_A_STATS_DROPS)
			continue;
		mnl_attr_for_each_nested(reason, attr) {
			unsigned int type = mnl_attr_get_type(reason);

			/* Reasons newer than this CLI are skipped, not misnamed. */
			if (type > KIPSEC_DROP_MAX ||
			    mnl_attr_validate(reason, MNL_TYPE_U64) < 0)
				continue;
			d->count[type] = mnl_attr_get_u64(reason);
			d->seen[type] = true;
		}
	}
	return MNL_CB_OK;
}

/*
 * Not drops: packets that went through UDP encapsulation. Text: after the
 * drops, in the same "NAME COUNT" lines (scripts read every line as a
 * pair), each name starting with "encap_" so it cannot pass for a drop.
 */
static void print_encap(const struct drops *d, bool json)
{
	const char *sep = "";

	if (json && !d->has_encap) {
		printf(",\"encap\":null");
		return;
	}
	if (!d->has_encap)
		return;
	if (json)
		printf(",\"encap\":{");
	for (unsigned int i = 1; i <= KIPSEC_ENCS_A_MAX; i++) {
		if (!encap_names[i])
			continue;
		if (json)
			printf("%s\"%s\":%" PRIu64, sep, encap_names[i],
			       d->encap[i]);
		else
			printf("encap_%-18s%" PRIu64 "\n", encap_names[i],
			       d->encap[i]);
		sep = ",";
	}
	if (json)
		putchar('}');
}

int kipsec_cmd_stats(const struct kipsec_opts *opts)
{
	struct kipsec_genl g;
	struct drops d;
	const char *sep = "";
	int err;

	memset(&d, 0, sizeof(d));
	if (kipsec_genl_open(&g))
		return 1;
	err = kipsec_genl_talk(&g, kipsec_genl_request(&g, KIPSEC_CMD_STATS_GET, 0),
			       stats_cb, &d);
	kipsec_genl_close(&g);
	if (err) {
		fprintf(stderr, "kipsec: reading statistics failed: %s%s%s\n",
			strerror(-err), g.extack[0] ? ": " : "", g.extack);
		return 1;
	}

	if (opts->json)
		printf("{\"drops\":{");
	for (unsigned int r = 1; r <= KIPSEC_DROP_MAX; r++) {
		if (!d.seen[r])
			continue;
		if (opts->json) {
			printf("%s\"%s\":%" PRIu64, sep, kipsec_drop_name(r),
			       d.count[r]);
			sep = ",";
		} else {
			printf("%-24s%" PRIu64 "\n", kipsec_drop_name(r),
			       d.count[r]);
		}
	}
	if (opts->json)
		putchar('}');
	print_encap(&d, opts->json);
	if (opts->json)
		printf("}\n");
	return 0;
}
