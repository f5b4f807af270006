/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What kernel/proto/wire.c needs of the kernel, for building it in user
 * space (unit tests, fuzzing, the guest tests that play a peer).
 */
#ifndef HDMABUF_WIRE_HOST_H
#define HDMABUF_WIRE_HOST_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef int32_t s32;
typedef uint64_t u64;

#define MAX_ERRNO	4095

#endif /* HDMABUF_WIRE_HOST_H */
