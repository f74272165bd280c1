/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Big-endian (network order) loads and stores on byte buffers.
 *
 * The core cannot use htonl() and friends: they live in different headers
 * in the kernel and in libc, and the kernel versions return __be32 types
 * that the native build does not know.  Storing byte by byte also needs no
 * alignment, which matters for fields inside packet buffers (an ESP header
 * after a 14-byte Ethernet header, an AAD buffer on the stack).  Compilers
 * turn these into single (byte-swapping) moves where the target allows it.
 */
#ifndef KIPSEC_CORE_BYTES_H
#define KIPSEC_CORE_BYTES_H

#include "core_types.h"

static inline void kipsec_put_be16(u8 *p, u16 v)
{
	p[0] = (u8)(v >> 8);
	p[1] = (u8)v;
}

static inline void kipsec_put_be32(u8 *p, u32 v)
{
	p[0] = (u8)(v >> 24);
	p[1] = (u8)(v >> 16);
	p[2] = (u8)(v >> 8);
	p[3] = (u8)v;
}

static inline void kipsec_put_be64(u8 *p, u64 v)
{
	kipsec_put_be32(p, (u32)(v >> 32));
	kipsec_put_be32(p + 4, (u32)v);
}

static inline u16 kipsec_get_be16(const u8 *p)
{
	return (u16)((u16)p[0] << 8 | p[1]);
}

static inline u32 kipsec_get_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static inline u64 kipsec_get_be64(const u8 *p)
{
	return (u64)kipsec_get_be32(p) << 32 | kipsec_get_be32(p + 4);
}

#endif /* KIPSEC_CORE_BYTES_H */
