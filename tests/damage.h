/*
 * Damage the symbol table of a patched kernel ELF on purpose, as flash
 * corruption or a bad tool would, for the damaged-table QEMU boots.  The
 * format's knowledge lives here, not in the boot tests: every board's test
 * calls damage_table() and checks that the kernel reports the reason.
 */
#ifndef TESTS_DAMAGE_H
#define TESTS_DAMAGE_H

enum damage { DAMAGE_BAD_MAGIC, DAMAGE_COUNT_TOO_LARGE, DAMAGE_NAME_PREFIX, DAMAGE_BLOCKS_UNSORTED,
	DAMAGE_KINDS };

/*
 * Apply one damage to the table in elf (a patched ELF of any class and byte
 * order), in place, resealing the checksum so the check behind it is the one
 * that fires.  Returns the reason ksym_open() must give (its *why text).
 */
const char *damage_table(const char *elf, enum damage kind);

#endif
