// SPDX-License-Identifier: GPL-2.0
/*
 * Delivery of crypto completions, and the test knob that holds them back.
 * A hardware engine, cryptd (where AES-NI cannot use the FPU in softirq)
 * or pcrypt completes a request later, from another context; packets wait
 * in flight meanwhile, holding what flight.h says. Races between such a
 * packet and the teardown of what it uses are narrow with a fast engine;
 * debug_crypto_delay_ms makes them wide, for the tests.
 */
#include <linux/bottom_half.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include "flight.h"

static unsigned int debug_crypto_delay_ms;
module_param(debug_crypto_delay_ms, uint, 0644);
MODULE_PARM_DESC(debug_crypto_delay_ms,
		 "testing only: hold every crypto completion back this many ms");

/*
 * Our own queue, so that module exit can drain it: a worker that has run
 * its last completion still returns through this file's code.
 */
static struct workqueue_struct *kipsec_delay_wq;

struct kipsec_delayed_finish {
	struct delayed_work work;
	void (*finish)(void *ctx, int err);
	void *ctx;
	int err;
};

static void kipsec_delayed_finish(struct work_struct *work)
{
	struct kipsec_delayed_finish *d =
		container_of(to_delayed_work(work),
			     struct kipsec_delayed_finish, work);

	local_bh_disable();
	d->finish(d->ctx, d->err);
	local_bh_enable();
	kfree(d);
}

void kipsec_flight_finish(void (*finish)(void *ctx, int err), void *ctx,
			  int err)
{
	unsigned int delay_ms = READ_ONCE(debug_crypto_delay_ms);
	struct kipsec_delayed_finish *d;

	if (likely(!delay_ms))
		goto now;
	d = kmalloc(sizeof(*d), GFP_ATOMIC);
	if (!d)
		goto now;
	INIT_DELAYED_WORK(&d->work, kipsec_delayed_finish);
	d->finish = finish;
	d->ctx = ctx;
	d->err = err;
	queue_delayed_work(kipsec_delay_wq, &d->work,
			   msecs_to_jiffies(delay_ms));
	return;
now:
	finish(ctx, err);
}

int kipsec_flight_init(void)
{
	kipsec_delay_wq = alloc_workqueue("kipsec_delay", 0, 0);
	return kipsec_delay_wq ? 0 : -ENOMEM;
}

void kipsec_flight_exit(void)
{
	destroy_workqueue(kipsec_delay_wq);
}
