/*
 * Damaged tables for the QEMU boots (tests/damage.h).
 *
 * Strategy: read the table where the ELF's section header says it is, open
 * it with the runtime to learn its layout, change one field and reseal the
 * checksum with the runtime's own function.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>
#include <string.h>

#include <ksym/format.h>
#include <ksym/ksym.h>

#include "damage.h"
#include "helpers.h"

/* The current layout is read little-endian ELF64 (the GNU virt kernel). */
const char *damage_table(const char *elf, enum damage kind)
{
	static const char *const why[DAMAGE_KINDS] = {
		[DAMAGE_BAD_MAGIC] = "bad magic",
		[DAMAGE_COUNT_TOO_LARGE] = "record count disagrees with NUM_KERNEL_SYMBOLS",
		[DAMAGE_NAME_OFF_PAST_POOL] = "name offset past the string pool",
		[DAMAGE_UNSORTED] = "records are not sorted by address",
	};
	uint64_t sec = section_file_offset(elf, ".kernel_symbols");
	size_t size;
	unsigned char *f = (unsigned char *)read_file(elf, &size), *b = f + sec;
	struct ksym_table t;
	uint64_t huge = 1u << 30;
	uint32_t v, sum;

	memcpy(&v, b + KSYM_HDR_COUNT, 4);
	cr_assert(eq(int, ksym_open(&t, b, 32768, v, NULL), KSYM_OK));
	switch (kind) {
	case DAMAGE_BAD_MAGIC:
		b[0] = 'X';
		break;
	case DAMAGE_COUNT_TOO_LARGE:
		memcpy(f + symbol_file_offset(elf, "NUM_KERNEL_SYMBOLS"), &huge, 8);
		break;
	case DAMAGE_NAME_OFF_PAST_POOL:
		v = 0x7fff0;
		memcpy(b + KSYM_HDR_SIZE + 16 * 3 + KSYM_REC_NAME_OFF(8), &v, 4);
		break;
	case DAMAGE_UNSORTED: {
		unsigned char tmp[16];

		memcpy(tmp, b + KSYM_HDR_SIZE, 16);
		memcpy(b + KSYM_HDR_SIZE, b + KSYM_HDR_SIZE + 16 * 5, 16);
		memcpy(b + KSYM_HDR_SIZE + 16 * 5, tmp, 16);
		break;
	}
	case DAMAGE_KINDS:
		break;
	}
	sum = ksym_checksum(b, ksym_blob_bytes(&t));
	memcpy(b + KSYM_HDR_CHECKSUM, &sum, 4);
	write_file(elf, f, size);
	free(f);
	return why[kind];
}
