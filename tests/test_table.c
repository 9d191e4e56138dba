/*
 * Tests of patcher/table.c: an embedded table that cannot be used is named in words.
 */
#include <criterion/criterion.h>

#include "helpers.h"
#include "ksympatch.h"

/* Overwrite one byte at offset into the .kernel_symbols section of elf. */
static void poke_section(const char *elf, size_t offset, unsigned char value)
{
	poke_file(elf, section_file_offset(elf, ".kernel_symbols") + offset, &value, 1);
}

Test(table, verify_reports_an_unpatched_file)
{
	char *elf = tmp_copy("gnu-le");
	struct run r = run("%s verify %s", tool(), elf);

	expect_failure(&r, elf, "unpatched");
	run_free(&r);
	free(elf);
}

Test(table, verify_reports_a_corrupt_table)
{
	char *elf = patch_copy("gnu-le", "", NULL);
	struct run r;

	poke_section(elf, 100, 0xff); /* past the header: only the checksum can tell */
	r = run("%s verify %s", tool(), elf);
	expect_failure(&r, elf, "corrupt: checksum mismatch");
	run_free(&r);
	free(elf);
}

Test(table, verify_reports_a_wrong_format_version)
{
	char *elf = patch_copy("gnu-le", "", NULL);
	struct run r;

	poke_section(elf, 4, 99);
	r = run("%s verify %s", tool(), elf);
	expect_failure(&r, elf, "wrong format version");
	run_free(&r);
	free(elf);
}
