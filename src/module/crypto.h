/* SPDX-License-Identifier: GPL-2.0 */
/* The crypto API transform behind an SA, and the compat for its callbacks. */
#ifndef KIPSEC_CRYPTO_H
#define KIPSEC_CRYPTO_H

#include <linux/version.h>
#include <crypto/aead.h>
#include <net/netlink.h>

struct kipsec_sa;

int kipsec_sa_crypto_init(struct kipsec_sa *sa, struct netlink_ext_ack *extack);
void kipsec_sa_crypto_free(struct kipsec_sa *sa);

/* Completion callbacks take the request's data directly since 6.3. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#define KIPSEC_CRYPTO_DONE(name, data) void name(void *data, int err)
#define KIPSEC_CRYPTO_DATA(data) (data)
#else
#define KIPSEC_CRYPTO_DONE(name, data) \
	void name(struct crypto_async_request *data##_req, int err)
#define KIPSEC_CRYPTO_DATA(data) ((data##_req)->data)
#endif

#endif /* KIPSEC_CRYPTO_H */
