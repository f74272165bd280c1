// SPDX-License-Identifier: GPL-2.0
/* The linear reference model of the SPD (spd_ref.h). */
#include "spd_ref.h"

long kipsec_ref_find(const struct kipsec_spd_ref *ref,
		     const struct kipsec_sel *sel)
{
	size_t i;

	for (i = 0; i < ref->n; i++)
		if (!memcmp(&ref->pol[i].sel, sel, sizeof(*sel)))
			return (long)i;
	return -1;
}

int kipsec_ref_add(struct kipsec_spd_ref *ref, const struct kipsec_ref_pol *p)
{
	size_t at = ref->n;

	if (ref->n == ref->cap)
		return -ENOSPC;
	while (at && ref->pol[at - 1].priority > p->priority)
		at--;
	memmove(&ref->pol[at + 1], &ref->pol[at],
		(ref->n - at) * sizeof(ref->pol[0]));
	ref->pol[at] = *p;
	ref->n++;
	return 0;
}

void kipsec_ref_remove(struct kipsec_spd_ref *ref, size_t pos)
{
	memmove(&ref->pol[pos], &ref->pol[pos + 1],
		(ref->n - pos - 1) * sizeof(ref->pol[0]));
	ref->n--;
}

void kipsec_ref_replace(struct kipsec_spd_ref *ref, size_t pos,
			const struct kipsec_ref_pol *p)
{
	if (ref->pol[pos].priority == p->priority) {
		ref->pol[pos] = *p;
		return;
	}
	kipsec_ref_remove(ref, pos);
	kipsec_ref_add(ref, p);	/* cannot fail: one was just removed */
}

const struct kipsec_ref_pol *kipsec_ref_lookup(const struct kipsec_spd_ref *ref,
					       const struct kipsec_flow *flow)
{
	size_t i;

	for (i = 0; i < ref->n; i++)
		if (kipsec_sel_match(&ref->pol[i].sel, flow))
			return &ref->pol[i];
	return NULL;
}
