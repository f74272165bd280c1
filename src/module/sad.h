/* SPDX-License-Identifier: GPL-2.0 */
/* The Security Association Database of one namespace. */
#ifndef KIPSEC_SAD_H
#define KIPSEC_SAD_H

#include <linux/atomic.h>
#include <linux/hrtimer.h>
#include <linux/math64.h>
#include <linux/timekeeping.h>
#include <linux/llist.h>
#include <linux/refcount.h>
#include <linux/rhashtable-types.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <net/netlink.h>
#include <linux/kipsec.h>
#include "sa_params.h"
#include "replay.h"
#include "encap_ports.h"

/* The lookup key of an inbound packet: (destination, SPI, protocol). */
struct kipsec_sa_id {
	struct kipsec_addr dst;
	u32 spi;
	u8 proto;
	u8 family;
	u8 pad[2];
};

/* The key of the index templates resolve SAs with: (src, dst, proto). */
struct kipsec_sa_addrs {
	struct kipsec_addr src;
	struct kipsec_addr dst;
	u8 proto;
	u8 family;
	u8 pad[2];
};

/*
 * The key of the index templates with a reqid resolve SAs with: a
 * concentrator's IKE daemon gives every CHILD_SA its own reqid, often
 * thousands between the same two addresses.
 */
struct kipsec_sa_out_key {
	struct kipsec_sa_addrs addrs;
	u32 reqid;
};

/*
 * An SA's traffic counters (sa_traffic.c changes them): per CPU once the SA
 * carries traffic, shared atomics before that.
 */
enum kipsec_sa_counter {
	KIPSEC_SA_PACKETS_IN,
	KIPSEC_SA_BYTES_IN,
	KIPSEC_SA_PACKETS_OUT,
	KIPSEC_SA_BYTES_OUT,
	KIPSEC_SA_REPLAY_DROPS,
	KIPSEC_SA_INTEGRITY_FAILS,
	KIPSEC_SA_OTHER_DROPS,
	KIPSEC_SA_COUNTERS
};

struct kipsec_sa_counters {
	u64 n[KIPSEC_SA_COUNTERS];
};

/* What an SA's counters add up to (kipsec_sa_read_stats()). */
struct kipsec_sa_stats {
	u64 packets_in;
	u64 bytes_in;
	u64 packets_out;
	u64 bytes_out;
	u64 replay_drops;
	u64 integrity_fails;
	u64 other_drops;
	/* Kept with the window (struct kipsec_sa). */
	u64 replay_too_old;
	u64 replay_max_lag;
};

struct kipsec_sa {
	struct rhash_head node;		/* kn->sa_ht, by id */
	struct rhlist_head by_addrs;	/* kn->sad.addr_ht, by out.addrs */
	struct rhlist_head by_reqid;	/* kn->sad.reqid_ht, by out (reqid set) */
	refcount_t ref;			/* the table's, plus packets in flight */
	spinlock_t lock;		/* seq_out, the replay window, replay_lag */
	struct kipsec_net *kn;
	struct kipsec_sa_id id;
	struct kipsec_sa_out_key out;
	u32 index;			/* kn->sa_xa: dump and scan order */
	u8 state;			/* enum kipsec_sa_state */
	bool soft_expired;		/* the soft EXPIRE was sent */
	struct kipsec_sa_params p;
	time64_t add_time;
	time64_t use_time;		/* 0 until the first packet */
	u64 seq_out;
	struct kipsec_replay *replay;	/* NULL when the window is 0 */
	u64 replay_too_old;		/* drops left of the window */
	u64 replay_max_lag;		/* the furthest such, behind the top */
	/* NULL until the first counted packet (sa_traffic.c). */
	struct kipsec_sa_counters __percpu *counters;
	atomic64_t shared[KIPSEC_SA_COUNTERS];
	/* The requester's, which that block is charged to (NULL: none). */
	struct mem_cgroup *memcg;
	/* Charged against hard byte/packet limits, when set (sa_traffic.c). */
	atomic64_t charged_bytes;
	atomic64_t charged_packets;
	bool spent;			/* a hard byte/packet limit was reached */
	bool encap_held;		/* holds its pair in sad.encap */
	/* The peer's last reported new endpoint (KIPSEC_CMD_MAPPING). */
	struct kipsec_addr mapped_addr;
	u16 mapped_port;
	/* Lifetime checks (sa_due.c): the next deadline, the due list. */
	struct hrtimer due_timer;
	struct llist_node due_node;
	unsigned long due_flags;
	struct crypto_aead *aead;	/* ESP (and AH with AES-GMAC) */
	struct crypto_ahash *ahash;	/* AH with an HMAC or XCBC */
	u8 icv_len;
	u8 iv_len;
	u8 block_len;			/* ESP padding alignment */
	bool counter_iv;		/* IV from the sequence number */
	struct llist_node gc_node;	/* after kipsec_sa_put()'s last */
	/* Keys last: the whole object is zeroed when freed. */
	u8 encr_key[KIPSEC_KEY_MAX];
	u8 integ_key[KIPSEC_KEY_MAX];
};

/*
 * Seconds from @then to @now, never negative: a timestamp taken by another
 * context (an SA added while the lifetime scan waited for the lock, a first
 * packet on another CPU) can be newer than @now.
 */
static inline u64 kipsec_seconds_since(time64_t then, time64_t now)
{
	return now > then ? now - then : 0;
}

/*
 * Boot-time seconds, exact: the coarse clock lags by up to a tick, so a
 * deadline timer would fire and find its second not yet begun.
 */
static inline time64_t kipsec_boottime_seconds(void)
{
	return div_u64(ktime_get_boottime_ns(), NSEC_PER_SEC);
}

struct kipsec_net;

struct kipsec_sad {
	struct rhashtable sa_ht;
	struct rhltable addr_ht;
	struct rhltable reqid_ht;
	struct xarray sa_xa;
	u32 next_index;
	unsigned int count;		/* SAs, larval ones included */
	unsigned int larval;		/* SPIs reserved by ALLOC_SPI */
	struct llist_head due;		/* SAs to look at (sa_due.c) */
	struct work_struct expire_work;	/* looks at them (expire.c) */
	bool expire_stopped;		/* the namespace is going */
	struct kipsec_encap_ports encap;	/* ESP-in-UDP pairs of mature SAs */
};

/* The SAs' slab cache and the worker that frees SAs, for the module's life. */
int kipsec_sa_module_init(void);
void kipsec_sa_module_exit(void);

int kipsec_sad_init(struct kipsec_net *kn);
void kipsec_sad_exit(struct kipsec_net *kn);

/* Readers: under rcu_read_lock(). */
struct kipsec_sa *kipsec_sa_lookup(struct kipsec_net *kn,
				   const struct kipsec_sa_id *id);

/* Writers: under kn->lock. */
int kipsec_sa_add(struct kipsec_net *kn, const struct kipsec_sa_params *p,
		  const u8 *encr_key, const u8 *integ_key,
		  struct kipsec_sa **out, struct netlink_ext_ack *extack);
int kipsec_sa_complete_larval(struct kipsec_net *kn, struct kipsec_sa *sa,
			      const struct kipsec_sa_params *p,
			      const u8 *encr_key, const u8 *integ_key,
			      struct kipsec_sa **out,
			      struct netlink_ext_ack *extack);
int kipsec_sa_alloc_spi(struct kipsec_net *kn, struct kipsec_sa_params *p,
			u32 spi_min, u32 spi_max, struct kipsec_sa **out,
			struct netlink_ext_ack *extack);
void kipsec_sa_remove(struct kipsec_net *kn, struct kipsec_sa *sa);
unsigned int kipsec_sa_flush(struct kipsec_net *kn, u8 proto);

/*
 * The newest mature SA from @src to @dst of @proto that fits a template
 * (@mode, and @reqid / @spi where they are not 0) and whose selector takes
 * @flow. Under rcu_read_lock().
 */
struct kipsec_sa *kipsec_sa_find_out(struct kipsec_net *kn,
				     const struct kipsec_sa_addrs *addrs,
				     u8 mode, u32 reqid, u32 spi,
				     const struct kipsec_flow *flow);

/* May @sa carry @flow? Yes when it has no selector or the selector matches. */
bool kipsec_sa_carries(const struct kipsec_sa *sa,
		       const struct kipsec_flow *flow);
/* Takes a reference for use outside rcu_read_lock(); false if it is dying. */
static inline bool kipsec_sa_hold(struct kipsec_sa *sa)
{
	return refcount_inc_not_zero(&sa->ref);
}
void kipsec_sa_put(struct kipsec_sa *sa);

/* Larval SAs have no transform yet: no packet may use them. */
static inline bool kipsec_sa_ready(const struct kipsec_sa *sa)
{
	return sa->aead || sa->ahash;
}

void kipsec_sa_id_from_params(struct kipsec_sa_id *id,
			      const struct kipsec_sa_params *p);

#endif /* KIPSEC_SAD_H */
