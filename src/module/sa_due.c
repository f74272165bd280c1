// SPDX-License-Identifier: GPL-2.0
/*
 * The due list of SAs whose lifetime needs a look (sa_due.h). Timers are
 * hrtimers on CLOCK_BOOTTIME in softirq mode, so a deadline that passed
 * during suspend fires on resume, and the callback only queues: the work
 * that takes kn->lock runs in process context.
 */
#include <linux/hrtimer.h>
#include <linux/llist.h>
#include <linux/version.h>
#include <linux/workqueue.h>
#include "sa_due.h"

enum { KIPSEC_SA_DUE_QUEUED };

void kipsec_sa_due_now(struct kipsec_sa *sa)
{
	struct kipsec_sad *sad = &sa->kn->sad;

	if (test_and_set_bit(KIPSEC_SA_DUE_QUEUED, &sa->due_flags))
		return;
	/* The list's reference: the SA may be removed meanwhile. */
	if (!kipsec_sa_hold(sa)) {
		clear_bit(KIPSEC_SA_DUE_QUEUED, &sa->due_flags);
		return;
	}
	llist_add(&sa->due_node, &sad->due);
	queue_work(system_wq, &sad->expire_work);
}

static enum hrtimer_restart kipsec_sa_due_fired(struct hrtimer *timer)
{
	kipsec_sa_due_now(container_of(timer, struct kipsec_sa, due_timer));
	return HRTIMER_NORESTART;
}

void kipsec_sa_due_init(struct kipsec_sa *sa)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
	hrtimer_setup(&sa->due_timer, kipsec_sa_due_fired, CLOCK_BOOTTIME,
		      HRTIMER_MODE_ABS_SOFT);
#else
	hrtimer_init(&sa->due_timer, CLOCK_BOOTTIME, HRTIMER_MODE_ABS_SOFT);
	sa->due_timer.function = kipsec_sa_due_fired;
#endif
}

void kipsec_sa_due_at(struct kipsec_sa *sa, time64_t when)
{
	if (!when) {
		hrtimer_try_to_cancel(&sa->due_timer);
		return;
	}
	hrtimer_start(&sa->due_timer, ktime_set(when, 0),
		      HRTIMER_MODE_ABS_SOFT);
}

void kipsec_sa_due_cancel(struct kipsec_sa *sa)
{
	hrtimer_cancel(&sa->due_timer);
}

struct llist_node *kipsec_sa_due_take(struct kipsec_net *kn)
{
	return llist_del_all(&kn->sad.due);
}

void kipsec_sa_due_taken(struct kipsec_sa *sa)
{
	clear_bit(KIPSEC_SA_DUE_QUEUED, &sa->due_flags);
}
