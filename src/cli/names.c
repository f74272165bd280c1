// SPDX-License-Identifier: GPL-2.0
/* The words for the UAPI's enums, shared by the parser and the printers. */
#include <netinet/in.h>
#include <strings.h>
#include <linux/kipsec.h>
#include "names.h"

const char *const kipsec_mode_names[2] = {
	[KIPSEC_MODE_TRANSPORT] = "transport",
	[KIPSEC_MODE_TUNNEL] = "tunnel",
};

const char *const kipsec_level_names[4] = {
	[KIPSEC_LEVEL_DEFAULT] = "default",
	[KIPSEC_LEVEL_USE] = "use",
	[KIPSEC_LEVEL_REQUIRE] = "require",
	[KIPSEC_LEVEL_UNIQUE] = "unique",
};

const char *const kipsec_dir_names[3] = {
	[KIPSEC_DIR_IN] = "in",
	[KIPSEC_DIR_OUT] = "out",
	[KIPSEC_DIR_FWD] = "fwd",
};

const char *const kipsec_action_names[3] = {
	[KIPSEC_ACTION_DISCARD] = "discard",
	[KIPSEC_ACTION_BYPASS] = "none",
	[KIPSEC_ACTION_IPSEC] = "ipsec",
};

const char *const kipsec_df_names[3] = {
	[KIPSEC_DF_COPY] = "copy",
	[KIPSEC_DF_SET] = "set",
	[KIPSEC_DF_CLEAR] = "clear",
};

const char *const kipsec_state_names[3] = {
	[KIPSEC_SA_LARVAL] = "larval",
	[KIPSEC_SA_MATURE] = "mature",
	[KIPSEC_SA_EXPIRED] = "expired",
};

const struct kipsec_flag_name kipsec_sa_flag_names[3] = {
	{ KIPSEC_SA_F_ESN, "esn" },
	{ KIPSEC_SA_F_NO_DSCP_COPY, "no-dscp-copy" },
	{ KIPSEC_SA_F_NO_ECN, "no-ecn" },
};

int kipsec_name_index(const char *const *names, unsigned int n, const char *s,
		      size_t len)
{
	for (unsigned int i = 0; i < n; i++)
		if (names[i] && strlen(names[i]) == len &&
		    !strncasecmp(names[i], s, len))
			return (int)i;
	return -1;
}

const char *kipsec_name_of(const char *const *names, unsigned int n,
			   unsigned int value)
{
	return value < n && names[value] ? names[value] : "?";
}

const char *kipsec_sa_proto_name(u8 proto)
{
	switch (proto) {
	case IPPROTO_ESP:
		return "esp";
	case IPPROTO_AH:
		return "ah";
	default:
		return NULL;
	}
}

/* The first name of each protocol is the one printed. */
static const struct {
	const char *name;
	u8 proto;
} upper_protocols[] = {
	{ "icmp", IPPROTO_ICMP },
	{ "igmp", IPPROTO_IGMP },
	{ "ip4", IPPROTO_IPIP },
	{ "ipip", IPPROTO_IPIP },
	{ "ipencap", IPPROTO_IPIP },
	{ "tcp", IPPROTO_TCP },
	{ "udp", IPPROTO_UDP },
	{ "dccp", IPPROTO_DCCP },
	{ "ipv6", IPPROTO_IPV6 },
	{ "gre", IPPROTO_GRE },
	{ "esp", IPPROTO_ESP },
	{ "ah", IPPROTO_AH },
	{ "icmp6", IPPROTO_ICMPV6 },
	{ "ipv6-icmp", IPPROTO_ICMPV6 },
	{ "icmpv6", IPPROTO_ICMPV6 },
	{ "ospf", 89 },
	{ "pim", IPPROTO_PIM },
	{ "sctp", IPPROTO_SCTP },
	{ "mh", 135 },
	{ "ipv6-mh", 135 },
	{ "udplite", IPPROTO_UDPLITE },
};

bool kipsec_upper_lookup(const char *s, size_t len, u8 *proto)
{
	for (size_t i = 0; i < KIPSEC_NAMES_COUNT(upper_protocols); i++) {
		if (strlen(upper_protocols[i].name) == len &&
		    !strncasecmp(upper_protocols[i].name, s, len)) {
			*proto = upper_protocols[i].proto;
			return true;
		}
	}
	return false;
}

const char *kipsec_upper_name(u8 proto)
{
	for (size_t i = 0; i < KIPSEC_NAMES_COUNT(upper_protocols); i++)
		if (upper_protocols[i].proto == proto)
			return upper_protocols[i].name;
	return NULL;
}
