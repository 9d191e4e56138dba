/*
 * Symbol selection unit tests: plain arrays in, selected symbols out.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/parameterized.h>
#include <elf.h>
#include <string.h>

#include "ksympatch.h"

struct skip_case {
	char name[48];
	int machine;
	int skipped;
};

ParameterizedTestParameters(select, skip_list)
{
	static struct skip_case cases[] = {
		{ "$x", EM_AARCH64, 1 }, { "$d", EM_AARCH64, 1 }, { "$t", EM_ARM, 1 }, { "$a", EM_ARM, 1 },
		{ "$x.12", EM_AARCH64, 1 }, { "$d.0", EM_ARM, 1 },
		{ ".Ltmp3", EM_AARCH64, 1 }, { ".L.str", EM_RISCV, 1 },
		{ "__AArch64ADRPThunk_kernel_main", EM_AARCH64, 1 }, { "__AArch64AbsLongThunk_x", EM_AARCH64, 1 },
		/* binutils 2.40 on RISC-V: $x followed by the ISA string, and $d */
		{ "$xrv64i2p1_m2p0_a2p1_f2p2_d2p2_c2p0_zicsr2p0", EM_RISCV, 1 }, { "$x", EM_RISCV, 1 },
		{ "$d", EM_RISCV, 1 },
		{ "$xyz", EM_AARCH64, 0 }, { "$xrv64i2p1", EM_AARCH64, 0 }, { "x$d", EM_RISCV, 0 },
		{ "kernel_main", EM_AARCH64, 0 }, { "Lfoo", EM_AARCH64, 0 },
		/* stub suffixes are a rule for the linker's symbols: ksp_select applies them */
		{ "__kernel_main_veneer", EM_AARCH64, 0 }, { "veneer_table", EM_AARCH64, 0 },
	};
	return cr_make_param_array(struct skip_case, cases, KSP_ARRAY_SIZE(cases));
}

ParameterizedTest(struct skip_case *c, select, skip_list)
{
	cr_assert(eq(int, ksp_is_skipped_name(c->name, c->machine), c->skipped), "%s", c->name);
}

static const struct ksp_section sections[] = {
	{ .vma = 0x1000, .size = 0x100, .alloc = 1, .code = 1 }, /* .text */
	{ .vma = 0x2000, .size = 0x100, .alloc = 1 },            /* .data */
	{ .vma = 0, .size = 0x40 },                               /* .comment */
};

#define ELF_SYM(name_, addr_, size_, sec_, kind_, bind_) \
	{ .name = (name_), .addr = (addr_), .size = (size_), .section = (sec_), \
	  .kind = (kind_), .bind = (bind_), .type = 'T' }

Test(select, keeps_functions_objects_and_code_labels_only)
{
	struct ksp_elf_sym in[] = {
		ELF_SYM("func", 0x1000, 0x20, 0, KSP_FUNC, KSP_GLOBAL),
		ELF_SYM("object", 0x2000, 0x8, 1, KSP_OBJECT, KSP_GLOBAL),
		ELF_SYM(".text", 0x1000, 0, 0, KSP_SECTION_SYM, KSP_LOCAL),
		ELF_SYM("fixture.c", 0, 0, -1, KSP_FILE_SYM, KSP_LOCAL),
		ELF_SYM("absolute", 0x8000, 0, -1, KSP_NOTYPE, KSP_GLOBAL),
		ELF_SYM("data_label", 0x2010, 0, 1, KSP_NOTYPE, KSP_GLOBAL),
		ELF_SYM("not_loaded", 0x0, 4, 2, KSP_OBJECT, KSP_GLOBAL),
		ELF_SYM("$x", 0x1000, 0, 0, KSP_NOTYPE, KSP_LOCAL),
		ELF_SYM("entry", 0x1040, 0, 0, KSP_NOTYPE, KSP_GLOBAL),
	};
	struct ksp_sym out[9];
	size_t n = ksp_select(in, 9, sections, 3, EM_AARCH64, out);

	cr_assert(eq(sz, n, 3));
	cr_assert(eq(str, (char *)out[0].name, "func"));
	cr_assert(eq(str, (char *)out[1].name, "entry"));
	cr_assert(eq(str, (char *)out[2].name, "object"));
}

Test(select, size0_label_reaches_the_next_symbol_or_the_section_end)
{
	struct ksp_elf_sym in[] = {
		ELF_SYM("vectors", 0x1000, 0, 0, KSP_NOTYPE, KSP_GLOBAL),
		ELF_SYM("vectors_alias", 0x1000, 0, 0, KSP_NOTYPE, KSP_GLOBAL),
		ELF_SYM("next_func", 0x1080, 0x10, 0, KSP_FUNC, KSP_GLOBAL),
		ELF_SYM("tail_label", 0x10c0, 0, 0, KSP_FUNC, KSP_GLOBAL),
		ELF_SYM("empty_object", 0x2000, 0, 1, KSP_OBJECT, KSP_GLOBAL),
	};
	struct ksp_sym out[5];
	size_t n = ksp_select(in, 5, sections, 3, EM_AARCH64, out);

	cr_assert(eq(sz, n, 5));
	cr_assert(eq(u64, out[0].size, 0x80), "vectors runs to next_func");
	cr_assert(eq(u64, out[1].size, 0x80), "an alias label gets the same size");
	cr_assert(eq(u64, out[3].size, 0x40), "the last label runs to the end of .text");
	cr_assert(eq(u64, out[4].size, 0), "data objects keep their size 0");
}

Test(select, stub_suffixes_drop_linker_stubs_not_the_compilers_functions)
{
	struct ksp_elf_sym in[] = {
		ELF_SYM("copy_from_arm", 0x1000, 0x10, 0, KSP_FUNC, KSP_GLOBAL),
		ELF_SYM("irq_veneer", 0x1010, 0x10, 0, KSP_FUNC, KSP_GLOBAL),
		ELF_SYM("ret_from_thumb", 0x1020, 0x10, 0, KSP_FUNC, KSP_LOCAL),
		ELF_SYM("__kernel_main_veneer", 0x1030, 0x8, 0, KSP_NOTYPE, KSP_LOCAL),
		ELF_SYM("__foo_from_thumb", 0x1038, 0, 0, KSP_FUNC, KSP_LOCAL),
	};
	struct ksp_sym out[5];
	size_t n = ksp_select(in, 5, sections, 3, EM_ARM, out);

	cr_assert(eq(sz, n, 3), "the three sized functions, not the two stubs");
	cr_assert(eq(str, (char *)out[0].name, "copy_from_arm"));
	cr_assert(eq(str, (char *)out[1].name, "irq_veneer"));
	cr_assert(eq(str, (char *)out[2].name, "ret_from_thumb"));
}

Test(select, label_inside_a_sized_function_is_a_place_in_it)
{
	struct ksp_elf_sym in[] = {
		ELF_SYM("_start", 0x1000, 0x3c, 0, KSP_FUNC, KSP_GLOBAL),
		ELF_SYM("__wrap_main", 0x1034, 0, 0, KSP_NOTYPE, KSP_LOCAL),
		ELF_SYM("entry", 0x1040, 0, 0, KSP_NOTYPE, KSP_GLOBAL),
	};
	struct ksp_sym out[3];
	size_t n = ksp_select(in, 3, sections, 3, EM_AARCH64, out);

	cr_assert(eq(sz, n, 2), "glibc's __wrap_main inside _start is dropped");
	cr_assert(eq(str, (char *)out[0].name, "_start"));
	cr_assert(eq(str, (char *)out[1].name, "entry"));
	cr_assert(eq(u64, out[1].size, 0xc0), "entry, outside, runs to the section's end");
}

/* lk's FUNCTION/END_FUNCTION vector table holding stubs typed %function but given no .size. */
Test(select, typed_stubs_inside_a_sized_function_are_entry_points_up_to_the_next_stub)
{
	struct ksp_elf_sym in[] = {
		ELF_SYM("exception_table", 0x1000, 0x90, 0, KSP_FUNC, KSP_GLOBAL),
		ELF_SYM("sync_stub", 0x1000, 0, 0, KSP_FUNC, KSP_LOCAL),
		ELF_SYM("irq_stub", 0x1080, 0, 0, KSP_FUNC, KSP_LOCAL),
		ELF_SYM("irq_stub_retry", 0x1084, 0, 0, KSP_NOTYPE, KSP_LOCAL), /* a place in irq_stub */
		ELF_SYM("after_table", 0x10c0, 0x20, 0, KSP_FUNC, KSP_GLOBAL),
	};
	struct ksp_sym out[5];
	size_t n = ksp_select(in, 5, sections, 3, EM_AARCH64, out);

	cr_assert(eq(sz, n, 4), "the untyped label inside goes, the typed stubs stay");
	cr_assert(eq(str, (char *)out[0].name, "sync_stub"), "the smaller symbol comes first at 0x1000");
	cr_assert(eq(u64, out[0].size, 0x80), "sync_stub runs to the next stub");
	cr_assert(eq(str, (char *)out[1].name, "exception_table"));
	cr_assert(eq(str, (char *)out[2].name, "irq_stub"));
	cr_assert(eq(u64, out[2].size, 0x10), "the last stub ends with the table, not at after_table");
	cr_assert(eq(str, (char *)out[3].name, "after_table"));
}

/* A section that ends at 2^64: its last label reaches the last byte, with no end to wrap to 0. */
Test(select, size0_label_at_the_top_of_the_address_space_reaches_the_last_byte)
{
	static const struct ksp_section top[] = {
		{ .vma = 0xffffffffffff0000, .size = 0x10000, .alloc = 1, .code = 1 },
	};
	struct ksp_elf_sym in[] = {
		ELF_SYM("big", 0xffffffffffff0000, 0xff00, 0, KSP_FUNC, KSP_GLOBAL),
		ELF_SYM("last_label", 0xffffffffffffff00, 0, 0, KSP_NOTYPE, KSP_GLOBAL),
		ELF_SYM("inside_the_last", 0xffffffffffffff80, 0, 0, KSP_NOTYPE, KSP_LOCAL),
	};
	struct ksp_sym out[3];
	size_t n = ksp_select(in, 3, top, 1, EM_AARCH64, out);

	cr_assert(eq(sz, n, 3));
	cr_assert(eq(str, (char *)out[1].name, "last_label"));
	cr_assert(eq(u64, out[1].size, 0x80));
	cr_assert(eq(str, (char *)out[2].name, "inside_the_last"));
	cr_assert(eq(u64, out[2].size, 0x80), "runs to 2^64");
}
