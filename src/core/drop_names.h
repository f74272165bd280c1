/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KIPSEC_DROP_NAMES_H
#define KIPSEC_DROP_NAMES_H

/*
 * kipsec_drop_name() - the stable, printable name of a drop reason
 * @reason: an enum kipsec_drop_reason value
 *
 * Names are what /proc/net/kipsec_stat, `kipsec stats` and its JSON show;
 * scripts key on them, so they never change once released.
 * Return: the name, or NULL for a value this build does not know.
 */
const char *kipsec_drop_name(unsigned int reason);

#endif /* KIPSEC_DROP_NAMES_H */
