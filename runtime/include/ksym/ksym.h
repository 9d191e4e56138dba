/* SPDX-License-Identifier: MIT */
/*
 * ksym: look up the kernel's own symbols in the table that ksympatch wrote
 * into the .kernel_symbols placeholder after the link.
 *
 * Freestanding: no libc, no allocation, no locks, no global state.  Every
 * function here is safe to call from an exception handler, also on a table
 * that is unpatched or corrupt: ksym_open() checks the header, bounds,
 * indexes and checksum once, every later read stays inside the bounds it
 * checked, and each lookup checks what it decodes; ksym_verify() proves the
 * whole table.  A bad table gives an error code, never a fault or a loop.  Address lookups are a binary search over block heads and the
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
	KSYM_ERR_VERSION = -3,   /* another format version, or 64-bit addresses on a 32-bit build */
	KSYM_ERR_NOT_FOUND = -4, /* no symbol contains the address */
};

/* A validated table.  Fill it with ksym_open(); treat the fields as private. */
struct ksym_table {
	const unsigned char *blob;
	uint64_t base;        /* block heads are relative to it, unless KSYM_FLAG_WIDE (then 0) */
	uint32_t count;
	uint32_t nblocks;
	uint32_t blocks_off;
	uint32_t tree_off;   /* 0: no max-end tree */
	uint32_t tree_leaves; /* leaves of the tree: a power of two >= nblocks */
	uint32_t records_off;
	uint32_t restarts_off;
	uint32_t perm_off;    /* the name hints */
	uint32_t rec_names_off; /* the record -> name permutation, after the hints */
	uint32_t names_off;
	uint32_t end;
	uint8_t addr_size;
	uint8_t head_size;    /* bytes of a block head: 4, or addr_size with KSYM_FLAG_WIDE */
	uint8_t off_size;     /* bytes of a block offset or a name restart: 4, or 2 with KSYM_FLAG_SHORT */
	uint8_t big_endian;
	uint8_t opened;       /* 1 once ksym_open() ran on it (0 in a zeroed table) */
	int8_t status;        /* what ksym_open() returned */
	uint8_t nlit;         /* literal codes 1 .. nlit: the alphabet, after the token pairs */
	uint8_t nesc;         /* escape bytes: codes from wide on take two bytes */
	uint16_t ntok;        /* token codes nlit + 1 .. nlit + ntok */
	uint8_t pair_bytes;   /* ksym_pair_bytes(nesc): bytes of a token pair */
	uint16_t wide;        /* ksym_wide(nesc): the first two-byte code */
	uint16_t end_short;   /* the first one-byte token code that ends a name (none: past the last) */
	uint16_t end_long;    /* the first two-byte token code that ends a name (none: past the last) */
	uint8_t pad_shift;
	uint8_t perm_bits;
	uint8_t hint_bits;    /* ksym_hint_bits(perm_bits) */
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

/* The number of elements of an array (not a pointer), for freestanding code. */
#define KSYM_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Validate the blob of blob_size bytes at blob (the placeholder section) with
 * count records (the value of NUM_KERNEL_SYMBOLS).  On success returns
 * KSYM_OK and fills *t.  On failure returns an error and, if why is not
 * NULL, points *why at a static string saying what is wrong; *t is then
 * usable but empty (lookups find nothing, ksym_describe() says why).
 * Checks the header, the layout, the checksum, the tokens and the two
 * indexes: O(blocks), 30 to 60 instructions a symbol (ksym_verify() proves
 * the rest).  Stack: no function here needs more than 304 bytes optimised
 * (-O1, -O2, -Os; 200 on every Cortex-M core with GCC) or 608 at -O0,
 * callees included, on any target the README lists, but ksym_verify(): 496
 * and 896 (make test checks them).
 *
 * The runtime holds addresses in its pointers' width unless ksym.c is
 * built with KSYM_ADDR_BITS=64 (or 32): on a 32-bit core it reads tables of
 * 32-bit addresses, a 32-bit kernel's, and refuses one of 64-bit addresses
 * with KSYM_ERR_VERSION; lookups of addresses past 32 bits find nothing.
 */
int ksym_open(struct ksym_table *t, const void *blob, uint64_t blob_size,
	      uint64_t count, const char **why);

/*
 * Prove the whole table that ksym_open() accepted: every record and name
 * decoded, sort orders, permutations, the max-end tree (docs/FORMAT.md,
 * "Validation").  O(n); ksympatch verify and dump run it, a kernel may at
 * boot.  ksym_open() itself checks only the header, the layout, the
 * checksum, the tokens and the two indexes, so that it costs O(blocks);
 * lookups on a table that was opened but not verified check what they
 * decode and can neither fault nor loop, though on a damaged table (one
 * that passed the checksum) they may give wrong answers.  Returns KSYM_OK,
 * or an error (as ksym_open(), *t then empty), or t's open error.
 */
int ksym_verify(struct ksym_table *t, const char **why);

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
 * O(log n) and a bounded decode whatever the nesting and however many
 * aliases share an address.  Returns KSYM_OK or KSYM_ERR_NOT_FOUND.
 *
 * addr is a code address as the table has it.  Two kinds need adjusting
 * first (both helpers are below):
 *  - a return address (a backtrace frame, a saved link register) points
 *    after its call, which may be a function's last instruction, so that
 *    the next function would be blamed: look up ksym_call_site(ra), and
 *    print ra itself;
 *  - a code pointer on 32-bit ARM (a vector entry, a function pointer, LR)
 *    has bit 0 set for Thumb code: look up ksym_code_addr(p).
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

/*
 * One call from an address to text: look addr - back up and write
 * "name+0xoff/0xsize" with the offset of addr itself, and return KSYM_OK;
 * or else write addr in hex ("0x40080a04") and return why not
 * (KSYM_ERR_NOT_FOUND, or the error ksym_open() returned on t; a table
 * that was never opened, all zero, gives KSYM_ERR_UNPATCHED);
 * ksym_strerror() says it in words.  back is 0 for an address in the code
 * (a PC), KSYM_CALL_BACK for a return address: the frame is named after
 * the call and the offset is the return address's, as Linux's %pB prints
 * it.  buf is always NUL-terminated when len > 0, cut short if it does not
 * fit.  (Named after what it gives, a description of an address; ksym_format
 * formats a symbol already looked up.)
 */
int ksym_describe(const struct ksym_table *t, uint64_t addr, uint64_t back, char *buf, size_t len);

/*
 * How far before a return address its call starts, at least: every
 * instruction of AArch64 and of ARM state is 4 bytes; a Thumb call is 4
 * bytes (bl) or 2 (blx reg), a RISC-V one 4 or 8 (jal, auipc+jalr) or 2
 * (c.jalr) with compressed instructions, and ra - 2 lands inside any of
 * them; an x86 call is 2 to 7 bytes and ra - 1 is inside it.  Chosen by the
 * compiler's predefined macros for the code being built; elsewhere 1,
 * which is inside the call on any architecture.
 */
#if defined(__aarch64__) || (defined(__arm__) && !defined(__thumb__))
#define KSYM_CALL_BACK 4
#elif defined(__thumb__) || defined(__riscv)
#define KSYM_CALL_BACK 2
#else
#define KSYM_CALL_BACK 1 /* x86 (__i386__, __x86_64__), and any other */
#endif

/* The address to look a return address up at: inside its call. */
static inline uint64_t ksym_call_site(uint64_t ra)
{
	return ra - KSYM_CALL_BACK;
}

/*
 * A code pointer as the table has it: on 32-bit ARM, bit 0 cleared (it
 * marks Thumb code; no instruction starts at an odd address); elsewhere
 * unchanged.
 */
static inline uint64_t ksym_code_addr(uint64_t p)
{
#if defined(__arm__)
	return p & ~(uint64_t)1;
#else
	return p;
#endif
}

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
