// SPDX-License-Identifier: GPL-2.0
/*
 * SA lifetimes: once a second, while a namespace has SAs, every SA is
 * checked against its soft and hard limits. A soft limit sends one soft
 * EXPIRE (the IKE daemon rekeys); a hard limit sends a hard EXPIRE and
 * removes the SA. Larval SAs (reserved SPIs) lapse the same way. The scan
 * is O(number of SAs) per second. Hard byte and packet limits are enforced
 * by the data path per packet (sa_traffic.c): it stops using the SA at
 * once, marks it spent and runs the scan now, which reports and removes it.
 */
#include <linux/ktime.h>
#include "kipsec.h"
#include "expire.h"
#include "events.h"

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

static void kipsec_expire_scan(struct work_struct *work)
{
	struct kipsec_net *kn = container_of(to_delayed_work(work),
					     struct kipsec_net,
					     sad.expire_work);
	struct kipsec_sa_stats st;
	struct kipsec_sa *sa;
	const char *limit;
	unsigned long index;
	time64_t now;

	mutex_lock(&kn->lock);
	/* After the lock: an SA added meanwhile must not look older. */
	now = ktime_get_seconds();
	xa_for_each(&kn->sad.sa_xa, index, sa) {
		kipsec_sa_read_stats(sa, &st);
		limit = kipsec_limit_reached(&sa->p.hard, sa, now, &st);
		if (limit) {
			pr_debug("SA spi 0x%x: hard limit (%s) reached after %llus\n",
				 sa->p.spi, limit,
				 kipsec_seconds_since(sa->add_time, now));
			kipsec_event_expire(kn, sa, true);
			kipsec_sa_remove(kn, sa);
			continue;
		}
		limit = kipsec_limit_reached(&sa->p.soft, sa, now, &st);
		if (limit && !sa->soft_expired) {
			pr_debug("SA spi 0x%x: soft limit (%s) reached after %llus\n",
				 sa->p.spi, limit,
				 kipsec_seconds_since(sa->add_time, now));
			sa->soft_expired = true;
			kipsec_event_expire(kn, sa, false);
		}
		cond_resched();
	}
	kipsec_expire_kick(kn);
	mutex_unlock(&kn->lock);
}

void kipsec_expire_init(struct kipsec_net *kn)
{
	INIT_DELAYED_WORK(&kn->sad.expire_work, kipsec_expire_scan);
}

void kipsec_expire_kick(struct kipsec_net *kn)
{
	if (kn->sad.count)
		schedule_delayed_work(&kn->sad.expire_work, HZ);
}

void kipsec_expire_now(struct kipsec_net *kn)
{
	mod_delayed_work(system_wq, &kn->sad.expire_work, 0);
}

void kipsec_expire_stop(struct kipsec_net *kn)
{
	cancel_delayed_work_sync(&kn->sad.expire_work);
}
