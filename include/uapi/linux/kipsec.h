/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * kipsec: an IPsec (ESP/AH) data path behind netfilter hooks.
 *
 * This header is the contract between kipsec.ko and everything that
 * configures it (the kipsec CLI, IKE daemons). It documents every command
 * and attribute; a change here is a change of the contract.
 *
 * Transport
 * =========
 * Generic netlink family KIPSEC_GENL_NAME ("kipsec"), version
 * KIPSEC_GENL_VERSION. All state is per network namespace: a request acts on
 * the namespace of the socket that sent it. Requests are validated strictly
 * (unknown attributes, wrong lengths and out-of-range values are rejected);
 * a rejected request changes nothing and its extended ACK carries a message
 * a person can act on.
 *
 * Multicast group KIPSEC_MCGRP_EVENTS ("events") carries notifications.
 *
 * Commands
 * ========
 * KIPSEC_CMD_STATS_GET (doit; no privilege needed)
 *   Request: no attributes.
 *   Reply (KIPSEC_CMD_STATS_GET):
 *     KIPSEC_A_STATS_DROPS  nested; one u64 attribute per drop reason whose
 *                           attribute type is the enum kipsec_drop_reason
 *                           value and whose payload is the number of packets
 *                           this namespace dropped for that reason since the
 *                           namespace (or the module) came up. Every reason
 *                           up to the module's KIPSEC_DROP_MAX is present;
 *                           a newer module may add reasons at the end.
 *
 * Attributes
 * ==========
 * KIPSEC_A_PAD          padding for 64-bit attributes (never sent alone)
 * KIPSEC_A_STATS_DROPS  see KIPSEC_CMD_STATS_GET
 */
#ifndef _UAPI_LINUX_KIPSEC_H
#define _UAPI_LINUX_KIPSEC_H

#define KIPSEC_GENL_NAME	"kipsec"
#define KIPSEC_GENL_VERSION	1
#define KIPSEC_MCGRP_EVENTS	"events"

enum kipsec_cmd {
	KIPSEC_CMD_UNSPEC,
	KIPSEC_CMD_STATS_GET,
	__KIPSEC_CMD_MAX
};
#define KIPSEC_CMD_MAX (__KIPSEC_CMD_MAX - 1)

enum kipsec_attr {
	KIPSEC_A_UNSPEC,
	KIPSEC_A_PAD,
	KIPSEC_A_STATS_DROPS,
	__KIPSEC_A_MAX
};
#define KIPSEC_A_MAX (__KIPSEC_A_MAX - 1)

/*
 * Why a packet was dropped. Each reason has a per-namespace counter
 * (KIPSEC_CMD_STATS_GET, /proc/net/kipsec_stat, `kipsec stats`).
 *
 * KIPSEC_DROP_POLICY_DISCARD   a policy with action discard matched
 * KIPSEC_DROP_NO_SA_OUT        an ipsec policy's required SA is missing
 *                              (an ACQUIRE is sent to the IKE daemon)
 * KIPSEC_DROP_SEQ_EXHAUSTED    the SA's outbound sequence number would wrap
 * KIPSEC_DROP_SA_EXPIRED       the SA reached its hard lifetime
 * KIPSEC_DROP_NO_SA_IN         ESP/AH for an SPI with no SA here
 * KIPSEC_DROP_REPLAY           sequence number already seen or left of the
 *                              anti-replay window
 * KIPSEC_DROP_INTEGRITY        ICV verification failed
 * KIPSEC_DROP_BAD_PADDING      ESP padding or pad length invalid
 * KIPSEC_DROP_MALFORMED        truncated or unparsable ESP/AH/IP header
 * KIPSEC_DROP_POLICY_MISMATCH  the protection applied differs from what the
 *                              inbound policy requires
 * KIPSEC_DROP_UNPROTECTED      plaintext matched a policy requiring IPsec
 * KIPSEC_DROP_SELECTOR_MISMATCH  decapsulated addresses outside the SA's
 *                              policy selectors (tunnel mode)
 * KIPSEC_DROP_TOO_BIG          does not fit the path MTU and may not be
 *                              fragmented (an ICMP error was sent)
 * KIPSEC_DROP_NO_ROUTE         no route for the outer (tunnel) header
 * KIPSEC_DROP_NO_MEMORY        an allocation failed
 * KIPSEC_DROP_CRYPTO_ERROR     the crypto API failed for another reason
 */
enum kipsec_drop_reason {
	KIPSEC_DROP_UNSPEC,
	KIPSEC_DROP_POLICY_DISCARD,
	KIPSEC_DROP_NO_SA_OUT,
	KIPSEC_DROP_SEQ_EXHAUSTED,
	KIPSEC_DROP_SA_EXPIRED,
	KIPSEC_DROP_NO_SA_IN,
	KIPSEC_DROP_REPLAY,
	KIPSEC_DROP_INTEGRITY,
	KIPSEC_DROP_BAD_PADDING,
	KIPSEC_DROP_MALFORMED,
	KIPSEC_DROP_POLICY_MISMATCH,
	KIPSEC_DROP_UNPROTECTED,
	KIPSEC_DROP_SELECTOR_MISMATCH,
	KIPSEC_DROP_TOO_BIG,
	KIPSEC_DROP_NO_ROUTE,
	KIPSEC_DROP_NO_MEMORY,
	KIPSEC_DROP_CRYPTO_ERROR,
	__KIPSEC_DROP_MAX
};
#define KIPSEC_DROP_MAX (__KIPSEC_DROP_MAX - 1)

#endif /* _UAPI_LINUX_KIPSEC_H */
