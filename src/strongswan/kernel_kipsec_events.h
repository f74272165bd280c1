/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipsec's events group, read on charon's watcher thread: soft and hard
 * EXPIRE become charon's rekeys and deletes, ACQUIRE its trap negotiations.
 */
#ifndef KERNEL_KIPSEC_EVENTS_H_
#define KERNEL_KIPSEC_EVENTS_H_

typedef struct kk_events_t kk_events_t;

/* NULL (logged) if the group cannot be joined. */
kk_events_t *kk_events_create(void);
void kk_events_destroy(kk_events_t *this);

#endif /* KERNEL_KIPSEC_EVENTS_H_ */
