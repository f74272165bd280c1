/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the CLI knows about SAs and policies, independent of where it came
 * from: the setkey parser fills these structures, the netlink encoder sends
 * them, the decoder fills them from the kernel's replies and events, and the
 * printers show them. Nothing here depends on libmnl.
 */
#ifndef KIPSEC_CLI_OPS_H
#define KIPSEC_CLI_OPS_H

#include <linux/kipsec.h>
#include "sa_params.h"	/* struct kipsec_lifetime, the kernel's SA rules */

/* setkey's PRIORITY_{HIGH,DEFAULT,LOW} (libipsec): "prio def" and no prio */
#define KIPSEC_PRIO_HIGH	0x40000000u
#define KIPSEC_PRIO_DEFAULT	KIPSEC_POLICY_PRIORITY_DEFAULT
#define KIPSEC_PRIO_LOW		0xc0000000u

/* An IPv4 or IPv6 address with its family; family 0 means "not given". */
struct kipsec_ip {
	u8 family;		/* AF_INET, AF_INET6 or 0 */
	u8 bytes[16];		/* network byte order; 4 used for IPv4 */
};

/* The traffic a policy applies to, or an SA may carry. */
struct kipsec_selector {
	struct kipsec_ip src, dst;
	u8 src_plen, dst_plen;
	bool has_proto;		/* false: any upper-layer protocol */
	u8 proto;
	/* A port 0 from the kernel (another client) is exact; setkey's [0] is any. */
	bool has_sport, has_dport;
	u16 sport, dport;
	bool has_icmp_type, has_icmp_code;
	u8 icmp_type, icmp_code;
};

struct kipsec_alg_key {
	bool present;
	u16 id;			/* IANA transform ID (algs.h) */
	u8 keylen;		/* bytes, salt included */
	u8 key[KIPSEC_KEY_MAX];
	bool key_known;		/* false in events, which never carry keys */
};

struct kipsec_sa_stats {
	u64 packets_in, bytes_in, packets_out, bytes_out;
	u64 replay_drops, integrity_fails, other_drops;
	u64 replay_too_old, replay_max_lag;	/* of the replay drops */
};

struct kipsec_sa {
	u8 proto;		/* IPPROTO_ESP or IPPROTO_AH; 0: any (filters) */
	u32 spi;
	struct kipsec_ip src, dst;
	bool mode_set;		/* false: setkey's "-m any", the kernel's default */
	u8 mode;		/* enum kipsec_mode */
	u32 reqid;
	bool replay_set;	/* false: the kernel's default window */
	u32 replay_window;
	u32 flags;		/* enum kipsec_sa_flags */
	bool df_set;
	u8 df;			/* enum kipsec_df */
	struct kipsec_alg_key encr, integ;
	struct kipsec_lifetime soft, hard;	/* 0: no limit */
	u32 spi_min, spi_max;	/* KIPSEC_CMD_SA_ALLOC_SPI; 0: the default */
	bool has_sel;		/* false: any traffic */
	struct kipsec_selector sel;
	/*
	 * ESP in UDP (RFC 3948): the ports SRC sends from and DST receives
	 * on, as the SA is written (setkey's esp-udp and ADDRESS[PORT]).
	 */
	bool has_encap;
	u16 encap_sport, encap_dport;	/* 1..65535 when has_encap */

	/*
	 * Sent when set: an SA moved to new addresses continues its
	 * sequence numbers (the setkey parser never sets it).
	 */
	bool has_seq;
	u64 seq_out, seq_in;

	/* Only in replies and events. */
	bool has_state;
	u8 state;		/* enum kipsec_sa_state */
	bool has_current;
	struct kipsec_lifetime current;
	bool used;		/* current.use_seconds is meaningful */
	bool has_stats;
	struct kipsec_sa_stats stats;
};

struct kipsec_tmpl {
	u8 proto;		/* IPPROTO_ESP or IPPROTO_AH */
	u8 mode;		/* enum kipsec_mode */
	struct kipsec_ip src, dst;	/* tunnel endpoints */
	u8 level;		/* enum kipsec_level */
	u32 reqid;		/* 0: any */
	u32 spi;		/* 0: any */
};

/* The templates of one stacked instance of a policy (an IKE rekey). */
struct kipsec_instance {
	u8 n_tmpl;
	struct kipsec_tmpl tmpl[KIPSEC_TEMPLATES_MAX];
};

struct kipsec_policy {
	u8 dir;			/* enum kipsec_dir */
	struct kipsec_selector sel;
	bool has_action;	/* spddelete may name only the direction */
	u8 action;		/* enum kipsec_action */
	u32 priority;
	u8 n_tmpl;
	struct kipsec_tmpl tmpl[KIPSEC_TEMPLATES_MAX];
	/* POLICY_ADD: stack the templates as a new instance (an IKE rekey). */
	bool stack;
	/* POLICY_DELETE: only the instance whose templates name this SPI. */
	u32 instance_spi;

	/* Only in replies and events. */
	bool has_index;
	bool has_idle;
	u64 idle_seconds;	/* since a packet last matched the policy */
	u32 index;
	u32 instances;
	/* The older instances, newest first: their SAs are being retired. */
	u8 n_older;
	struct kipsec_instance older[KIPSEC_POLICY_INSTANCES_MAX - 1];
};

enum kipsec_op_type {
	KIPSEC_OP_SA_ADD,
	KIPSEC_OP_SA_UPDATE,
	KIPSEC_OP_SA_GET,
	KIPSEC_OP_SA_DELETE,
	KIPSEC_OP_SA_DELETEALL,	/* every SA from sa.src to sa.dst (sa.proto: 0 = any) */
	KIPSEC_OP_SA_FLUSH,	/* sa.proto: 0 = all */
	KIPSEC_OP_SA_DUMP,	/* sa.proto: 0 = all */
	KIPSEC_OP_SA_ALLOC_SPI,
	KIPSEC_OP_POLICY_ADD,
	KIPSEC_OP_POLICY_UPDATE,
	KIPSEC_OP_POLICY_DELETE,
	KIPSEC_OP_POLICY_FLUSH,
	KIPSEC_OP_POLICY_DUMP,
	KIPSEC_OP_POLICY_GET,	/* one policy, by direction and selector */
};

/* One statement of a setkey script. */
struct kipsec_op {
	enum kipsec_op_type type;
	unsigned int line, column;	/* where the statement starts */
	union {
		struct kipsec_sa sa;
		struct kipsec_policy pol;
	};
};

static inline bool kipsec_op_is_policy(const struct kipsec_op *op)
{
	return op->type >= KIPSEC_OP_POLICY_ADD;
}

#endif /* KIPSEC_CLI_OPS_H */
