/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SPD as the simple linear model: one direction's policies in an array
 * in lookup order, found by walking it to the first match. This is how the
 * module looked policies up before the classifier (spd_class.h) and what
 * the classifier must agree with: the native tests compare the two. Not
 * built into the module. The caller owns the array.
 */
#ifndef KIPSEC_SPD_REF_H
#define KIPSEC_SPD_REF_H

#include "selector.h"

struct kipsec_ref_pol {
	struct kipsec_sel sel;
	u32 priority;
	u32 id;			/* the caller's name for the policy */
};

struct kipsec_spd_ref {
	struct kipsec_ref_pol *pol;	/* lookup order */
	size_t n;
	size_t cap;
};

/* The position of the policy with selector @sel (bytewise), or -1. */
long kipsec_ref_find(const struct kipsec_spd_ref *ref,
		     const struct kipsec_sel *sel);
/*
 * Adds @p after every policy of the same or a better (lower) priority;
 * -ENOSPC when the array is full. The caller checks @p's selector is new.
 */
int kipsec_ref_add(struct kipsec_spd_ref *ref, const struct kipsec_ref_pol *p);
void kipsec_ref_remove(struct kipsec_spd_ref *ref, size_t pos);
/*
 * spdupdate: the policy at @pos becomes @p (same selector); it keeps its
 * place if the priority stays, else goes last among its new priority.
 */
void kipsec_ref_replace(struct kipsec_spd_ref *ref, size_t pos,
			const struct kipsec_ref_pol *p);
/* The first policy in lookup order that @flow falls under, or NULL. */
const struct kipsec_ref_pol *kipsec_ref_lookup(const struct kipsec_spd_ref *ref,
					       const struct kipsec_flow *flow);

#endif /* KIPSEC_SPD_REF_H */
