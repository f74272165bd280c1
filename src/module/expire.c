// SPDX-License-Identifier: GPL-2.0
/*
 * SA lifetimes. An SA is looked at when it is added or its lifetimes
 * change, when its next time deadline passes, and when the data path saw
 * it cross a byte or packet limit or carry its first packet (sa_due.c
 * queues it); never by a scan of the SAD. A soft limit sends one soft
 * EXPIRE (the IKE daemon rekeys); a hard limit sends a hard EXPIRE and
 * removes the SA. Larval SAs (reserved SPIs) lapse the same way. Times
 * are boot-time seconds: a host that slept past a deadline expires the SA
 * when it wakes, as its peer already has. Hard byte and packet limits are
 * also enforced per packet (sa_traffic.c): the SA carries nothing more.
 */
#include <linux/ktime.h>
#include <linux/llist.h>
#include "kipsec.h"
#include "expire.h"
#include "events.h"
#include "sa_due.h"
#include "sa_traffic.h"

/* Which limit of @lt the SA has reached, or NULL. */
static const char *kipsec_limit_reached(const struct kipsec_lifetime *lt,
					const struct kipsec_sa *sa,
					time64_t now,
					const struct kipsec_sa_stats *st)
{
	if (lt->add_seconds &&
	    kipsec_seconds_since(sa->add_time, now) >= lt->add_seconds)
		return "seconds since add";
	if (lt->use_seconds && sa->use_time &&
	    kipsec_seconds_since(sa->use_time, now) >= lt->use_seconds)
		return "seconds since first use";
	if (lt->bytes && st->bytes_in + st->bytes_out >= lt->bytes)
		return "bytes";
	if (lt->packets && st->packets_in + st->packets_out >= lt->packets)
		return "packets";
	if (lt == &sa->p.hard && READ_ONCE(sa->spent))
		return "bytes or packets, seen by the data path";
	return NULL;
}

/* The earlier of @deadline (0: none) and @start + @seconds, if both set. */
static time64_t kipsec_sooner(time64_t deadline, time64_t start, u64 seconds)
{
	time64_t at;

	if (!start || !seconds)
		return deadline;
	at = start + (time64_t)min_t(u64, seconds, S64_MAX / 2);
	return !deadline || at < deadline ? at : deadline;
}

/* The next boot-time second at which a time limit of @sa may be reached. */
static time64_t kipsec_next_deadline(const struct kipsec_sa *sa)
{
	time64_t use = READ_ONCE(sa->use_time), at = 0;

	at = kipsec_sooner(at, sa->add_time, sa->p.hard.add_seconds);
	at = kipsec_sooner(at, use, sa->p.hard.use_seconds);
	if (!sa->soft_expired) {
		at = kipsec_sooner(at, sa->add_time, sa->p.soft.add_seconds);
		at = kipsec_sooner(at, use, sa->p.soft.use_seconds);
	}
	return at;
}

void kipsec_expire_check(struct kipsec_net *kn, struct kipsec_sa *sa)
{
	time64_t now = kipsec_boottime_seconds();
	struct kipsec_sa_stats st;
	const char *limit;

	lockdep_assert_held(&kn->lock);
	if (sa->state == KIPSEC_SA_EXPIRED || kn->sad.expire_stopped)
		return;
	kipsec_sa_read_stats(sa, &st);
	limit = kipsec_limit_reached(&sa->p.hard, sa, now, &st);
	if (limit) {
		pr_debug("SA spi 0x%x: hard limit (%s) reached after %llus\n",
			 sa->p.spi, limit, kipsec_seconds_since(sa->add_time, now));
		kipsec_event_expire(kn, sa, true);
		kipsec_sa_remove(kn, sa);
		return;
	}
	limit = kipsec_limit_reached(&sa->p.soft, sa, now, &st);
	if (limit && !sa->soft_expired) {
		pr_debug("SA spi 0x%x: soft limit (%s) reached after %llus\n",
			 sa->p.spi, limit, kipsec_seconds_since(sa->add_time, now));
		sa->soft_expired = true;
		kipsec_event_expire(kn, sa, false);
	}
	kipsec_sa_due_at(sa, kipsec_next_deadline(sa));
}

static void kipsec_expire_work(struct work_struct *work)
{
	struct kipsec_net *kn = container_of(work, struct kipsec_net,
					     sad.expire_work);
	struct kipsec_sa *sa, *next;
	struct llist_node *due;

	mutex_lock(&kn->lock);
	due = kipsec_sa_due_take(kn);
	llist_for_each_entry_safe(sa, next, due, due_node) {
		kipsec_sa_due_taken(sa);
		kipsec_expire_check(kn, sa);
		kipsec_sa_put(sa);
		cond_resched();
	}
	mutex_unlock(&kn->lock);
}

void kipsec_expire_init(struct kipsec_net *kn)
{
	init_llist_head(&kn->sad.due);
	INIT_WORK(&kn->sad.expire_work, kipsec_expire_work);
}

void kipsec_expire_stop(struct kipsec_net *kn)
{
	struct kipsec_sa *sa, *next;
	struct llist_node *due;
	unsigned long index;

	/*
	 * No request comes any more and the data path is gone: once the
	 * timers are stopped nothing queues an SA but the work itself, and
	 * the flag keeps it from arming a timer again.
	 */
	mutex_lock(&kn->lock);
	kn->sad.expire_stopped = true;
	xa_for_each(&kn->sad.sa_xa, index, sa)
		kipsec_sa_due_cancel(sa);
	mutex_unlock(&kn->lock);
	cancel_work_sync(&kn->sad.expire_work);
	due = kipsec_sa_due_take(kn);
	llist_for_each_entry_safe(sa, next, due, due_node)
		kipsec_sa_put(sa);
}
