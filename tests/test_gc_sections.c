/*
 * The count survives --gc-sections on a compiler that ignores `retain`
 * (Debian's arm-none-eabi-gcc 12.2.1 does, with a warning): the linker
 * fragment keeps it.  tests/fixtures/gc is a Cortex-M firmware in which
 * nothing reads NUM_KERNEL_SYMBOLS; built with -ffunction-sections
 * -fdata-sections and linked with --gc-sections (GCC and GNU ld, clang and
 * ld.lld), the unused function must be gone, so the collection ran, and
 * the count must be there, 8 bytes, so that patch and verify succeed.  The
 * same link with the fragment's KEEP(*(.ksym_count)) taken out loses the
 * count, so it is the fragment that keeps it.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct toolchain {
	char name[8];
	char cc[128];
	char ld[160]; /* links the objects: $LD -o OUT OBJS */
};

#define M3 "-mthumb -mcpu=cortex-m3 -mfloat-abi=soft"
#define GC_CFLAGS "-O2 -ffreestanding -ffunction-sections -fdata-sections -Wall -Wextra -Werror -Iruntime/include"

static struct toolchain toolchains[] = {
	{ "gnu", "arm-none-eabi-gcc " M3, "arm-none-eabi-gcc " M3 " -nostdlib -Wl,--gc-sections -Wl,-z,noexecstack" },
	{ "llvm", "clang --target=thumbv7m-none-eabi " M3, "ld.lld --gc-sections" },
};

/* Compile the firmware and link it with the fragment found in lds_dir; the ELF's path, malloc'd. */
static char *link_firmware(const struct toolchain *t, const char *dir, const char *lds_dir)
{
	char *elf = malloc(600);
	struct run cc = run("%s " GC_CFLAGS " -c tests/fixtures/gc/firmware.c -o %s/firmware.o", t->cc, dir);

	cr_assert(eq(int, cc.status, 0), "%s: %s", t->cc, cc.err);
	snprintf(elf, 600, "%s/firmware-%s.elf", dir, t->name);
	struct run ld = run("%s -L %s -T tests/fixtures/gc/firmware.ld -o %s %s/firmware.o", t->ld, lds_dir, elf, dir);

	cr_assert(eq(int, ld.status, 0), "%s: %s", t->ld, ld.err);
	run_free(&cc);
	run_free(&ld);
	return elf;
}

/* nm -S's size of name in elf, or -1 when it is not there. */
static long nm_size(const char *elf, const char *name)
{
	struct run nm = run("arm-none-eabi-nm -S %s | awk '$4 == \"%s\" {print $2} $3 == \"%s\" {print \"-\"}'",
			    elf, name, name);
	long size = !nm.out[0] ? -1 : nm.out[0] == '-' ? 0 : strtol(nm.out, NULL, 16);

	run_free(&nm);
	return size;
}

ParameterizedTestParameters(gc_sections, count_nothing_reads_survives_gc_sections)
{
	return cr_make_param_array(struct toolchain, toolchains, N(toolchains));
}

ParameterizedTest(struct toolchain *t, gc_sections, count_nothing_reads_survives_gc_sections)
{
	char *dir = tmp_dir(), *elf = link_firmware(t, dir, "linker_scripts");
	char out[600];

	cr_assert(eq(long, nm_size(elf, "unused_function"), -1), "%s: --gc-sections did not run", t->name);
	cr_assert(gt(long, nm_size(elf, "reset_handler"), 0), "%s: the firmware itself is gone", t->name);
	cr_assert(eq(long, nm_size(elf, "NUM_KERNEL_SYMBOLS"), 8), "%s: the count did not survive", t->name);

	snprintf(out, sizeof(out), "%s/patched.elf", dir);
	struct run p = run("%s patch %s -o %s", tool(), elf, out);
	struct run v = run("%s verify %s", tool(), out);
	struct run d = run("%s dump %s", tool(), out);

	cr_assert(eq(int, p.status, 0), "%s: %s", t->name, p.err);
	cr_assert(eq(int, v.status, 0), "%s: %s", t->name, v.err);
	cr_assert(strstr(d.out, " reset_handler\n") != NULL, "%s", d.out);
	cr_assert(strstr(d.out, " NUM_KERNEL_SYMBOLS\n") != NULL, "%s", d.out);
	run_free(&p);
	run_free(&v);
	run_free(&d);
	struct run rm = run("rm -rf %s", dir);

	run_free(&rm);
	free(elf);
	free(dir);
}

ParameterizedTestParameters(gc_sections, without_the_fragments_keep_the_count_is_collected)
{
	return cr_make_param_array(struct toolchain, toolchains, N(toolchains));
}

ParameterizedTest(struct toolchain *t, gc_sections, without_the_fragments_keep_the_count_is_collected)
{
	char *dir = tmp_dir(), *lds = tmp_dir(), *elf;
	struct run sed = run("sed 's/KEEP(\\*(\\.ksym_count))/*(.ksym_count)/' linker_scripts/kernel_symbols.ld "
			     "> %s/kernel_symbols.ld && ! grep -q 'KEEP(\\*(\\.ksym_count))' %s/kernel_symbols.ld",
			     lds, lds);

	cr_assert(eq(int, sed.status, 0), "the fragment no longer has KEEP(*(.ksym_count)): %s", sed.err);
	elf = link_firmware(t, dir, lds);
	cr_assert(eq(long, nm_size(elf, "unused_function"), -1), "%s: --gc-sections did not run", t->name);
	cr_assert(eq(long, nm_size(elf, "NUM_KERNEL_SYMBOLS"), -1),
		  "%s: the count survives without the fragment's KEEP: the test shows nothing", t->name);
	run_free(&sed);
	struct run rm = run("rm -rf %s %s", dir, lds);

	run_free(&rm);
	free(elf);
	free(dir);
	free(lds);
}
