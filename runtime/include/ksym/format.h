/* SPDX-License-Identifier: MIT */
/*
 * The on-image symbol table format, version 6: the one definition of the
 * layout, shared by the runtime (which reads it) and the patcher (which
 * writes it).  docs/FORMAT.md explains it in prose and says what each part
 * costs; keep the two in step and bump KSYM_FORMAT_VERSION on any change.
 *
 * Strategy: dense, and still searchable in place.  Everything is an offset
 * from the start of the blob (nothing to relocate); every multi-byte field
 * is in the target's byte order (named in the header) and is read a byte at
 * a time, so no field needs alignment.  Two views of the same symbols:
 *
 *   address order  records in blocks of KSYM_BLOCK; a block index of
 *                  <first start, stream offset> for a binary search, then a
 *                  varint stream: per record a code byte (type, how the start
 *                  follows the previous record's end) and the size, in units
 *                  of its type's size shift
 *   name order     names front-coded against the previous name, with a full
 *                  name every KSYM_RESTART names (binary-searchable), the rest
 *                  of each name compressed with a learned table of byte-pair
 *                  tokens; a bit-packed permutation takes a record to its
 *                  name, and a hint of a few bits a name back to the group
 *                  of KSYM_NAME_GROUP records that holds it (found there by
 *                  the permutation: a candidate checked, not trusted)
 *
 *   offset          contents
 *   0               header (KSYM_HDR_SIZE bytes, fields below)
 *   KSYM_HDR_TYPES  the nm type letters in use, KSYM_MAX_TYPES bytes (0 = unused)
 *   KSYM_HDR_SHIFTS each type's size shift, KSYM_MAX_TYPES bytes: a record's
 *                   size is its varint << the shift of its type (at most 31)
 *   KSYM_HDR_TOKENS ntok token pairs: token nlit + 1 + i stands for its two
 *                   codes (literals or earlier tokens), a byte each, or
 *                   with escape codes (nesc > 0) 12 bits each, the pair in
 *                   3 bytes: ksym_pair_bytes()
 *   + pairs         the alphabet, nlit bytes: literal code c is byte c - 1
 *   blocks_off      ceil(count / KSYM_BLOCK) block entries: start of the
 *                   block's first record less base (u32; with KSYM_FLAG_WIDE
 *                   the start itself, addr_size bytes), stream offset (u32;
 *                   u16 with KSYM_FLAG_SHORT)
 *   tree_off        only with KSYM_FLAG_TREE: a max-end tree over the blocks,
 *                   node i the greatest end under it less base, in the
 *                   block heads' width (u32, or addr_size bytes)
 *   records_off     the record stream
 *   restarts_off    ceil(count / KSYM_RESTART) offsets into the name stream
 *                   (u32; u16 with KSYM_FLAG_SHORT)
 *   perm_off        name position -> record group (count fields of
 *                   ksym_hint_bits() bits), then record number -> name
 *                   position (count fields of perm_bits bits), MSB first
 *   names_off       the name stream, up to end
 */
#ifndef KSYM_FORMAT_H
#define KSYM_FORMAT_H

#include <stdint.h>

#define KSYM_MAGIC0 'K'
#define KSYM_MAGIC1 'S'
#define KSYM_MAGIC2 'Y'
#define KSYM_MAGIC3 'M'

#define KSYM_FORMAT_VERSION 6

/* Header byte offsets.  Single bytes need no byte order; the rest are u32. */
#define KSYM_HDR_MAGIC         0 /* 4 bytes "KSYM" */
#define KSYM_HDR_VERSION       4 /* u8: KSYM_FORMAT_VERSION */
#define KSYM_HDR_ENDIAN        5 /* u8: KSYM_ENDIAN_LITTLE or _BIG (as ELF EI_DATA) */
#define KSYM_HDR_ADDR_SIZE     6 /* u8: 4 (ELF32) or 8 (ELF64) */
#define KSYM_HDR_FLAGS         7 /* u8: KSYM_FLAG_* */
#define KSYM_HDR_COUNT         8 /* u32: number of symbols */
#define KSYM_HDR_CHECKSUM     12 /* u32: ksym_checksum() of the blob, this field as 0 */
#define KSYM_HDR_NLIT         16 /* u8: number of literal codes (the alphabet's bytes) */
#define KSYM_HDR_NESC         17 /* u8: escape bytes, at most KSYM_MAX_ESC (a name code's encoding, below) */
#define KSYM_HDR_PAD_SHIFT    18 /* u8: padding unit between records is 1 << this */
#define KSYM_HDR_PERM_BITS    19 /* u8: bits per permutation field */
#define KSYM_HDR_BLOCKS_OFF   20
#define KSYM_HDR_TREE_OFF     24
#define KSYM_HDR_RECORDS_OFF  28
#define KSYM_HDR_RESTARTS_OFF 32
#define KSYM_HDR_PERM_OFF     36
#define KSYM_HDR_NAMES_OFF    40
#define KSYM_HDR_END          44 /* u32: bytes of the blob in use */
#define KSYM_HDR_BASE         48 /* u64: the first symbol's start */
#define KSYM_HDR_NTOK         56 /* u16: number of tokens, at most KSYM_MAX_TOKENS */
#define KSYM_HDR_TYPES        58
#define KSYM_MAX_TYPES        32
#define KSYM_HDR_SHIFTS       (KSYM_HDR_TYPES + KSYM_MAX_TYPES)
#define KSYM_HDR_TOKENS       (KSYM_HDR_SHIFTS + KSYM_MAX_TYPES)
#define KSYM_HDR_SIZE         KSYM_HDR_TOKENS /* fixed part, before the tokens */

#define KSYM_ENDIAN_LITTLE 1
#define KSYM_ENDIAN_BIG    2

/* The block index has a max-end tree (some symbol reaches past a later block's start). */
#define KSYM_FLAG_TREE 0x01
/* Block heads and tree nodes are whole addresses: the starts (with a tree, the ends) span 4 GiB or more. */
#define KSYM_FLAG_WIDE 0x02
/* Block offsets and name restarts are u16: the record and name streams are each under 64 KiB. */
#define KSYM_FLAG_SHORT 0x04

#define KSYM_BLOCK   16 /* records per block of the address stream */
#define KSYM_NAME_GROUP_SHIFT 5
#define KSYM_NAME_GROUP (1u << KSYM_NAME_GROUP_SHIFT) /* records a name hint points into */
#define KSYM_RESTART 16 /* names per front-coding restart */

/*
 * A record's code byte: the type letter's index in the header's list (low
 * five bits), and in the top three bits how its start follows from the
 * previous record:
 *   KSYM_START_SAME    the same start (an alias), or the first record of a
 *                      block, whose start is in the block index
 *   1 .. 6             previous start + previous size + (code - 1) pad units
 *   KSYM_START_DELTA   a varint follows: start minus the previous start
 * then the size, a varint, in units of 1 << the shift of the record's type
 * (KSYM_HDR_SHIFTS).  Varints are LEB128: 7 bits a byte, low first.
 */
#define KSYM_CODE_TYPE(c)  ((c) & 0x1f)
#define KSYM_CODE_START(c) ((c) >> 5)
#define KSYM_START_SAME    0
#define KSYM_START_DELTA   7
#define KSYM_PAD_CODES     6 /* codes 1..6: 0..5 pad units */

/*
 * A name entry: a varint (LEB128, at most 5 bytes), how many leading bytes
 * it shares with the previous name (0 at every restart), then the rest of
 * the name and its ending 0 as codes.  A code in [1, nlit] is a literal,
 * the alphabet's byte c - 1; one in [nlit + 1, nlit + ntok] a token, which
 * stands for its two codes; any other code is outside the format.
 *
 * A code below ksym_wide(nesc) = 256 - nesc is one byte, its value; a
 * greater one is two: an escape byte e >= that bound, then a byte x, for
 * the code bound + (e - bound) * 256 + x.  Literals are all one byte.
 *
 * The 0 that ends a name is a code of its own or a token's last byte: a
 * token's second code may be 0, or a token that ends in it; its first may
 * be neither.  Among the one-byte token codes, and among the two-byte ones,
 * those that end in 0 come after all the others, so a code ends a name if
 * it is 0 or at least the first of them in its width (ksym_wide()).  Tokens
 * nest at most KSYM_TOKEN_DEPTH deep.
 */
#define KSYM_TOKEN_DEPTH 16
#define KSYM_MAX_TOKENS  1024
#define KSYM_MAX_ESC     4

/* The first two-byte code: 256 without escape bytes (every code one byte). */
static inline unsigned ksym_wide(unsigned nesc)
{
	return 256u - nesc;
}

/* Bytes of a token pair in the header: two 8-bit codes, or with escapes two 12-bit ones. */
static inline unsigned ksym_pair_bytes(unsigned nesc)
{
	return nesc ? 3u : 2u;
}

/* The checksum: FNV-1a's 64-bit constants, applied to 8-byte words. */
#define KSYM_SUM_BASIS 0xcbf29ce484222325ull
#define KSYM_SUM_PRIME 0x00000100000001b3ull

/* The blob starts 8-byte aligned; the patcher pads its size to a multiple of 8. */
#define KSYM_ALIGN 8

/* Bits of a permutation field for count records (KSYM_HDR_PERM_BITS): at least 1. */
static inline unsigned ksym_perm_bits(uint64_t count)
{
	uint32_t top = (uint32_t)(count - 1); /* shifted in 32 bits: a 64-bit variable shift is a libgcc call on ARMv6-M */
	unsigned bits = 1;

	if (count > 1 && count - 1 > UINT32_MAX)
		return 32;
	while (bits < 32 && count > 1 && top >> bits)
		bits++;
	return bits;
}

/* Bits of a name hint, the record's group: perm_bits less the group's, or 0 (one group). */
static inline unsigned ksym_hint_bits(unsigned perm_bits)
{
	return perm_bits > KSYM_NAME_GROUP_SHIFT ? perm_bits - KSYM_NAME_GROUP_SHIFT : 0;
}

/* The end of [start, start + size), saturated at addr_max (the top of the address space). */
static inline uint64_t ksym_end(uint64_t start, uint64_t size, uint64_t addr_max)
{
	return size > addr_max - start ? addr_max : start + size;
}

/*
 * Does a record (or a set of them) whose end, from ksym_end(), is end reach
 * addr?  An end saturated at addr_max may stand for the end of the address
 * space (2^64, or 2^32 on ELF32), past its last byte: it reaches addr_max
 * too.  (A record that ends exactly at addr_max is then taken to reach it
 * as well: that only costs a look at the record, which decides.)
 */
static inline int ksym_reaches(uint64_t end, uint64_t addr, uint64_t addr_max)
{
	return end > addr || end == addr_max;
}

/*
 * The rule that decides KSYM_FLAG_TREE, for the encoder (is a tree needed?)
 * and the runtime (is the table without one honest?) alike: a block's first
 * record must not start before the end of any record before it, unless
 * that record is one of its aliases (the same start) in an earlier block,
 * which a lookup finds by the block heads.  Feed every record in table
 * order, with its end from ksym_end().
 */
struct ksym_reach {
	uint64_t reach;       /* the greatest end of the records before the current start */
	uint64_t group_reach; /* the same, before the current group of equal starts */
	uint64_t last;        /* the previous record's start */
	uint64_t addr_max;    /* the top of the address space */
	uint32_t n;           /* records fed so far */
};

static inline void ksym_reach_init(struct ksym_reach *r, uint64_t addr_max)
{
	r->reach = 0;
	r->group_reach = 0;
	r->last = 0;
	r->addr_max = addr_max;
	r->n = 0;
}

/*
 * Feed the next record.  Returns 1 when it is the first record of a block
 * (but the first block) and a record before it reaches past its start: the
 * table then needs the max-end tree.
 */
static inline int ksym_reach_next(struct ksym_reach *r, uint64_t start, uint64_t end)
{
	int past = r->n % KSYM_BLOCK == 0 && r->n &&
		   ksym_reaches(start > r->last ? r->reach : r->group_reach, start, r->addr_max);

	if (r->n == 0 || start != r->last)
		r->group_reach = r->reach;
	if (end > r->reach)
		r->reach = end;
	r->last = start;
	r->n++;
	return past;
}

#endif /* KSYM_FORMAT_H */
