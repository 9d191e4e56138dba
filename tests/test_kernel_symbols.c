/*
 * Tests of linker_scripts/kernel_symbols.ld: the placeholder the fragment reserves.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/parameterized.h>
#include <elf.h>

#include "helpers.h"
#include "ksympatch.h"

/* The placeholder is read-only data (readelf's flags: A, no W), under GNU ld and ld.lld alike. */
ParameterizedTestParameters(kernel_symbols, placeholder_is_read_only)
{
	static struct fix linked[] = {
		{ "gnu-le", "", EM_AARCH64 }, { "gnu-be", "", EM_AARCH64 }, { "lld-le", "", EM_AARCH64 },
		{ "lld-be", "", EM_AARCH64 }, { "gnu-lma", "", EM_AARCH64 }, { "lld-lma", "", EM_AARCH64 },
		{ "lld-arm32", "", EM_ARM }, { "lld-thumb", "", EM_ARM }, { "gnu-rv64", "", EM_RISCV },
	};
	return cr_make_param_array(struct fix, linked, KSP_ARRAY_SIZE(linked));
}

ParameterizedTest(struct fix *f, kernel_symbols, placeholder_is_read_only)
{
	struct run r = readelf_sections(fixture(f->name), "$1 == \".kernel_symbols\" { print $2, $7 }");

	cr_assert(eq(str, r.out, "PROGBITS A\n"), "%s: %s", f->name, r.out);
	run_free(&r);
}
