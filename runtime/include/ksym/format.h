/* SPDX-License-Identifier: MIT */
/*
 * The on-image symbol table format: the one definition of the layout, shared
 * by the runtime (which reads it) and the patcher (which writes it).
 *
 * Strategy: everything is an offset from the start of the blob, so the blob
 * reads correctly wherever the placeholder section is loaded, and there is
 * nothing to relocate.  Every multi-byte field is stored in the target's byte
 * order (named in the header) at its natural alignment; readers go through
 * accessors, never through a cast struct.  docs/FORMAT.md explains the
 * format in prose; keep the two in step and bump KSYM_FORMAT_VERSION on any
 * change.
 *
 *   offset            contents
 *   0                 header (KSYM_HDR_SIZE bytes, fields below)
 *   KSYM_HDR_SIZE     count records, each <start, size, name_off>,
 *                     sorted by (start, size, binding, name)
 *   index_off         count u32 record numbers, sorted by (name, start, ...)
 *   strings_off       string pool: each entry is the nm type letter, the
 *                     name and a NUL; identical entries are stored once
 *   strings_off + strings_size   end of blob (the rest of the section is 0)
 */
#ifndef KSYM_FORMAT_H
#define KSYM_FORMAT_H

#include <stdint.h>

#define KSYM_MAGIC0 'K'
#define KSYM_MAGIC1 'S'
#define KSYM_MAGIC2 'Y'
#define KSYM_MAGIC3 'M'

#define KSYM_FORMAT_VERSION 1

/* Header byte offsets.  Single bytes need no byte order. */
#define KSYM_HDR_MAGIC        0  /* 4 bytes "KSYM" */
#define KSYM_HDR_VERSION      4  /* u8: KSYM_FORMAT_VERSION */
#define KSYM_HDR_ENDIAN       5  /* u8: KSYM_ENDIAN_LITTLE or _BIG (as ELF EI_DATA) */
#define KSYM_HDR_ADDR_SIZE    6  /* u8: 4 (ELF32) or 8 (ELF64) */
#define KSYM_HDR_RECORD_SIZE  7  /* u8: KSYM_RECORD_SIZE(addr_size) */
#define KSYM_HDR_COUNT        8  /* u32: number of records */
#define KSYM_HDR_SPAN        12  /* u32: lookback span for nested symbols */
#define KSYM_HDR_INDEX_OFF   16  /* u32: offset of the name index */
#define KSYM_HDR_STRINGS_OFF 20  /* u32: offset of the string pool */
#define KSYM_HDR_STRINGS_SIZE 24 /* u32: size of the string pool */
#define KSYM_HDR_CHECKSUM    28  /* u32: ksym_checksum() of the blob, this field as 0 */
#define KSYM_HDR_SIZE        32

#define KSYM_ENDIAN_LITTLE 1
#define KSYM_ENDIAN_BIG    2

/*
 * Record fields.  start is addr_size bytes wide; size and name_off are u32.
 * ELF64: u64 start, u32 size, u32 name_off = 16 bytes, 8-byte aligned.
 * ELF32: u32 start, u32 size, u32 name_off = 12 bytes, 4-byte aligned.
 */
#define KSYM_REC_START 0
#define KSYM_REC_SIZE(addr_size)     (addr_size)
#define KSYM_REC_NAME_OFF(addr_size) ((addr_size) + 4)
#define KSYM_RECORD_SIZE(addr_size)  ((addr_size) + 8)

/* Each string pool entry: type letter, name bytes, NUL. */
#define KSYM_NAME_TYPE 0
#define KSYM_NAME_TEXT 1

/* The blob starts 8-byte aligned; sections inside it keep that alignment. */
#define KSYM_ALIGN 8

/* The checksum: FNV-1a's 64-bit constants, applied to 8-byte words. */
#define KSYM_SUM_BASIS 0xcbf29ce484222325ull
#define KSYM_SUM_PRIME 0x00000100000001b3ull

#endif /* KSYM_FORMAT_H */
