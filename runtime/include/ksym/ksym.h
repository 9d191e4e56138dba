/* SPDX-License-Identifier: MIT */
/*
 * ksym: look up the kernel's own symbols in the table that ksympatch wrote
 * into the .kernel_symbols placeholder after the link.
 *
 * Freestanding: no libc, no allocation, no locks, no global state.  Every
 * function here is safe to call from an exception handler, also on a table
 * that is unpatched or corrupt: ksym_open() checks the whole blob once
 * (header, bounds, order, checksum) and every later read stays inside the
 * bounds it checked.  A bad table gives an error code, never a fault or a
 * loop.  Address lookups are a binary search over block heads and the
 * decoding of one block; name lookups a binary search over front-coding
 * restarts and the decoding of a few names (docs/FORMAT.md).
 */
#ifndef KSYM_KSYM_H
#define KSYM_KSYM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum ksym_status {
	KSYM_OK = 0,
	KSYM_ERR_UNPATCHED = -1, /* placeholder still as linked: run ksympatch */
	KSYM_ERR_CORRUPT = -2,   /* bad header, bounds, order or checksum */
	KSYM_ERR_VERSION = -3,   /* written by another format version */
	KSYM_ERR_NOT_FOUND = -4, /* no symbol contains the address */
};

/* A validated table.  Fill it with ksym_open(); treat the fields as private. */
struct ksym_table {
	const unsigned char *blob;
	uint64_t base;        /* block heads are relative to it, unless head_size is addr_size */
	uint32_t count;
	uint32_t nblocks;
	uint32_t blocks_off;
	uint32_t tree_off;   /* 0: no max-end tree */
	uint32_t tree_leaves; /* leaves of the tree: a power of two >= nblocks */
	uint32_t records_off;
	uint32_t restarts_off;
	uint32_t perm_off;
	uint32_t names_off;
	uint32_t end;
	uint8_t addr_size;
	uint8_t head_size;    /* bytes of a block head: 4, or addr_size with KSYM_FLAG_WIDE */
	uint8_t big_endian;
	uint8_t tok_first;
	uint8_t ntok;
	uint8_t pad_shift;
	uint8_t perm_bits;
};

/*
 * One symbol as read from the table.  The name is not stored as text:
 * ksym_name() decodes it into a buffer of the caller's.
 */
struct ksym_symbol {
	uint64_t start;
	uint64_t size;
	uint32_t index; /* position in address order */
	char type;      /* nm's letter: T t D d R r B b W ... */
};

/*
 * Validate the blob of blob_size bytes at blob (the placeholder section) with
 * count records (the value of NUM_KERNEL_SYMBOLS).  On success returns
 * KSYM_OK and fills *t.  On failure returns an error and, if why is not
 * NULL, points *why at a static string saying what is wrong.  Uses about
 * 600 bytes of stack.
 */
int ksym_open(struct ksym_table *t, const void *blob, uint64_t blob_size,
	      uint64_t count, const char **why);

/* Total bytes of the blob the table uses. */
uint64_t ksym_blob_bytes(const struct ksym_table *t);

/* Symbol i in address order, i < t->count. */
void ksym_symbol_at(const struct ksym_table *t, uint32_t i,
		    struct ksym_symbol *out);

/*
 * The symbol's name into buf (always NUL-terminated when len > 0, cut short
 * if it does not fit).  Returns the length of the whole name, like snprintf,
 * so a caller can retry with a larger buffer.
 */
size_t ksym_name(const struct ksym_table *t, const struct ksym_symbol *sym,
		 char *buf, size_t len);

/*
 * The symbol whose range [start, start + size) contains addr.  When several
 * do, the one with the greatest start wins, then the smallest size, then the
 * table's order (global before weak before local, then by name).
 * O(log n) whatever the nesting.  Returns KSYM_OK or KSYM_ERR_NOT_FOUND.
 */
int ksym_lookup_addr(const struct ksym_table *t, uint64_t addr,
		     struct ksym_symbol *out);

/*
 * All symbols called name, in address order: fills up to max of them into
 * out and returns how many there are in all (0 when there is none).
 */
size_t ksym_lookup_name(const struct ksym_table *t, const char *name,
			struct ksym_symbol *out, size_t max);

/*
 * Write "name+0xoff/0xsize" for addr in sym into buf (always NUL-terminated
 * when len > 0, truncated if it does not fit).  Returns the length of the
 * whole text, like snprintf.
 */
size_t ksym_format(const struct ksym_table *t, char *buf, size_t len,
		   const struct ksym_symbol *sym, uint64_t addr);

/* A short phrase for a status code, e.g. "symbol table not patched". */
const char *ksym_strerror(int status);

/*
 * The blob's checksum over its first len bytes (the header's checksum field
 * reads as 0): FNV-1a style, one 64-bit multiply per 8-byte little-endian
 * word, folded to 32 bits.  Every step is invertible, so any single changed
 * byte changes the sum.
 */
uint32_t ksym_checksum(const unsigned char *blob, uint64_t len);

#ifdef __cplusplus
}
#endif

#endif /* KSYM_KSYM_H */
