/* SPDX-License-Identifier: GPL-2.0 */
/* charon's kernel_ipsec_t on the kipsec module. */
#ifndef KERNEL_KIPSEC_IPSEC_H_
#define KERNEL_KIPSEC_IPSEC_H_

#include <kernel/kernel_ipsec.h>

/* NULL if the module cannot be reached: charon then takes another backend. */
kernel_ipsec_t *kernel_kipsec_ipsec_create(void);

#endif /* KERNEL_KIPSEC_IPSEC_H_ */
