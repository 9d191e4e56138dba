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
 * loop.  Address lookups are a binary search over the records sorted by
 * start; name lookups are a binary search over the name-sorted index.
 */
#ifndef KSYM_KSYM_H
#define KSYM_KSYM_H

#include <stddef.h>
#include <stdint.h>

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
	uint32_t count;
	uint32_t span;
	uint32_t index_off;
	uint32_t strings_off;
	uint32_t strings_size;
	uint8_t addr_size;
	uint8_t record_size;
	uint8_t swap; /* blob byte order differs from this CPU's */
};

/* One symbol as read from the table.  name points into the blob. */
struct ksym_symbol {
	uint64_t start;
	uint64_t size;
	const char *name;
	char type; /* nm's letter: T t D d R r B b W ... */
};

/*
 * Validate the blob of blob_size bytes at blob (the placeholder section) with
 * count records (the value of NUM_KERNEL_SYMBOLS).  On success returns
 * KSYM_OK and fills *t.  On failure returns an error and, if why is not
 * NULL, points *why at a static string saying what is wrong.
 */
int ksym_open(struct ksym_table *t, const void *blob, uint64_t blob_size,
	      uint64_t count, const char **why);

/* Total bytes of the blob the table uses (header to end of string pool). */
uint64_t ksym_blob_bytes(const struct ksym_table *t);

/* Record i in address order, i < t->count. */
void ksym_symbol_at(const struct ksym_table *t, uint32_t i,
		    struct ksym_symbol *out);

/*
 * The symbol whose range [start, start + size) contains addr.  When several
 * do, the one with the greatest start wins, then the smallest size, then the
 * table's order (global before weak before local, then by name).
 * Returns KSYM_OK or KSYM_ERR_NOT_FOUND.
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
size_t ksym_format(char *buf, size_t len, const struct ksym_symbol *sym,
		   uint64_t addr);

/* A short phrase for a status code, e.g. "symbol table not patched". */
const char *ksym_strerror(int status);

/*
 * The blob's checksum over its first len bytes (the header's checksum field
 * reads as 0): FNV-1a style, one 64-bit multiply per 8-byte little-endian
 * word, folded to 32 bits.  Every step is invertible, so any single changed
 * byte changes the sum.
 */
uint32_t ksym_checksum(const unsigned char *blob, uint64_t len);

#endif /* KSYM_KSYM_H */
