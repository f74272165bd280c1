// SPDX-License-Identifier: GPL-2.0
/* `kipsec stats`: the namespace's drop counters, as text or JSON. */
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
};

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	struct drops *d = data;
	struct nlattr *attr, *reason;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
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
		printf("}}\n");
	return 0;
}
