/*
 * Damaged tables for the QEMU boots (tests/damage.h).
 *
 * Strategy: find the table where the ELF's section header says it is, read
 * its header in the byte order it names (so any ELF class and byte order
 * will do), change one field, and reseal the checksum with the runtime's
 * own function, so the check behind the checksum is the one that fires.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>
#include <string.h>

#include <ksym/format.h>
#include <ksym/ksym.h>

#include "damage.h"
#include "helpers.h"

static uint64_t get(const unsigned char *p, unsigned n, int big)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v = v << 8 | p[big ? i : n - 1 - i];
	return v;
}

static void set(unsigned char *p, uint64_t v, unsigned n, int big)
{
	for (unsigned i = 0; i < n; i++)
		p[big ? n - 1 - i : i] = (unsigned char)(v >> (8 * i));
}

const char *damage_table(const char *elf, enum damage kind)
{
	static const char *const why[DAMAGE_KINDS] = {
		[DAMAGE_BAD_MAGIC] = "bad magic",
		[DAMAGE_COUNT_TOO_LARGE] = "record count disagrees with NUM_KERNEL_SYMBOLS",
		[DAMAGE_NAME_PREFIX] = "front-coding prefix longer than the previous name",
		[DAMAGE_BLOCKS_UNSORTED] = "block index is not sorted",
	};
	uint64_t sec = section_file_offset(elf, ".kernel_symbols");
	size_t size;
	unsigned char *f = (unsigned char *)read_file(elf, &size), *b = f + sec;
	int big = b[KSYM_HDR_ENDIAN] == KSYM_ENDIAN_BIG;
	uint32_t count = (uint32_t)get(b + KSYM_HDR_COUNT, 4, big);
	struct ksym_table t;

	cr_assert(eq(int, ksym_open(&t, b, size - sec, count, NULL), KSYM_OK), "%s: not a good table", elf);
	cr_assert(count > 2 * KSYM_BLOCK, "%s: the damage needs three blocks", elf);
	switch (kind) {
	case DAMAGE_BAD_MAGIC:
		b[0] = 'X';
		break;
	case DAMAGE_COUNT_TOO_LARGE:
		set(f + symbol_file_offset(elf, "NUM_KERNEL_SYMBOLS"), 1u << 30, 8, big);
		break;
	case DAMAGE_NAME_PREFIX: { /* the second restart's name claims 127 bytes of the one before */
		uint32_t r1 = (uint32_t)get(b + t.restarts_off + t.off_size, t.off_size, big);

		b[t.names_off + r1] = 0x7f;
		break;
	}
	case DAMAGE_BLOCKS_UNSORTED: /* block 2 starts before block 1 (where block 0 does, or at 0) */
		set(b + t.blocks_off + 2 * (t.head_size + t.off_size), 0, t.head_size, big);
		break;
	case DAMAGE_KINDS:
		break;
	}
	set(b + KSYM_HDR_CHECKSUM, ksym_checksum(b, ksym_blob_bytes(&t)), 4, big);
	write_file(elf, f, size);
	free(f);
	return why[kind];
}
