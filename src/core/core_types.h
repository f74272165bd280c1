/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Types shared by the kernel-independent core (src/core).
 *
 * The same source files are compiled into kipsec.ko and into the native
 * unit tests and fuzzers, so they may use only what this header provides.
 */
#ifndef KIPSEC_CORE_TYPES_H
#define KIPSEC_CORE_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/string.h>
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#else
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;
#endif

#endif /* KIPSEC_CORE_TYPES_H */
