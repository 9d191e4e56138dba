/*
 * runtime/ksym.c built for 32-bit addresses (KSYM_ADDR_BITS=32, its default
 * on a 32-bit core) against the 64-bit build that the host tool uses,
 * through the C probe built both ways (tests/probes.h): on every 32-bit
 * table ksympatch writes into a fixture or a board kernel, and on tables
 * encoded where 32 bits are tight (symbols ending at the top of the
 * address space, nested ones there, aliases over several blocks, sizes of
 * nearly 4 GiB), they answer alike, line for line; on damaged copies
 * they give the same verdicts for the same reasons, and the same answers
 * where verify proves the table; a table of 64-bit addresses the 32-bit
 * build refuses in words.  The 64-bit
 * build's answers are checked against nm and addr2line elsewhere
 * (test_cmd_dump.c, test_cmd_lookup.c), and the 32-bit build's on the
 * 32-bit boards (test_qemu.c).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ksym/format.h>
#include <ksym/ksym.h>

#include "helpers.h"
#include "ksympatch.h"
#include "probes.h"

#define MUTANTS 40 /* damaged copies of each 32-bit table */

static int addr32(const unsigned char *in)
{
	return PROBE_TABLE(in)[KSYM_HDR_ADDR_SIZE] == 4;
}

/* The probe input of a patched ELF, written to dir/name. */
static unsigned char *input_file(const char *elf, const char *dir, const char *name, char *path, size_t size,
				 size_t *len)
{
	unsigned char *in = probe_input(elf, len);

	snprintf(path, size, "%s/%s", dir, name);
	write_file(path, in, *len);
	return in;
}

Test(runtime_addr32, answers_as_the_64_bit_build_on_every_32_bit_table)
{
	char *elfs[64], *dir = tmp_dir(), path[600];
	size_t n = patched_elfs(elfs, 64), tables = 0;

	for (size_t i = 0; i < n; i++) {
		size_t len;
		unsigned char *in = input_file(elfs[i], dir, "in", path, sizeof(path), &len);

		if (addr32(in)) {
			char *out = probes_agree("probe_c32", "probe_c", path);

			cr_assert(strncmp(out, "open: ok\nverify: ok\n", 20) == 0, "%s: %.80s", elfs[i], out);
			tables++;
			free(out);
		}
		free(in);
		free(elfs[i]);
	}
	/* Arm and Thumb fixtures, and the Cortex-M, ARMv7-A, RV32 and i386 boards. */
	cr_assert(ge(sz, tables, 8), "32-bit tables: %zu (run make kernels first)", tables);
	free(dir);
}

/* syms (n of them, sorted here) encoded as an ELF32 table: both builds answer alike on it. */
static void expect_agree(struct ksp_sym *syms, size_t n)
{
	struct ksp_blob blob;
	const char *why = NULL;
	char *dir = tmp_dir(), path[600];
	unsigned char *in;

	ksp_sort(syms, n);
	cr_assert(eq(int, ksp_encode(syms, n, 4, 0, &blob, &why), 0), "%s", why);
	in = malloc(9 + blob.size);
	for (int i = 0; i < 8; i++)
		in[i] = (unsigned char)((uint64_t)n >> (8 * i));
	in[8] = 0;
	memcpy(PROBE_TABLE(in), blob.data, blob.size);
	snprintf(path, sizeof(path), "%s/in", dir);
	write_file(path, in, 9 + blob.size);
	free(probes_agree("probe_c32", "probe_c", path));
	free(in);
	free(blob.data);
	free(dir);
}

static char names[600][16];

static void name_them(void)
{
	for (size_t i = 0; i < KSYM_ARRAY_SIZE(names); i++)
		snprintf(names[i], sizeof(names[i]), "s%zu", i % 500);
}

Test(runtime_addr32, answers_as_the_64_bit_build_for_a_symbol_ending_at_the_top, .init = name_them)
{
	struct ksp_sym s[41] = { SYM(UINT32_MAX - 0xff, 0x100, "big", 'T', KSP_GLOBAL) };

	for (int i = 1; i < 41; i++) /* inside it and after it: found through the max-end tree */
		s[i] = (struct ksp_sym)SYM(UINT32_MAX - 0xff + 4 * (uint64_t)i, 2, names[i], 't', KSP_LOCAL);
	expect_agree(s, KSYM_ARRAY_SIZE(s));
}

Test(runtime_addr32, answers_as_the_64_bit_build_for_nested_symbols_near_the_top, .init = name_them)
{
	struct ksp_sym s[600];
	uint64_t x = 12345;

	for (size_t i = 0; i < KSYM_ARRAY_SIZE(s); i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		uint64_t start = UINT32_MAX - 0x7fff + (x >> 33) % 0x8000, size = (x >> 20) % (i % 8 ? 0x40 : 0x3000);

		if (size > UINT32_MAX - start + 1)
			size = UINT32_MAX - start + 1; /* to the top, not past it */
		s[i] = (struct ksp_sym)SYM(start, size, names[i], 't', KSP_LOCAL);
	}
	expect_agree(s, KSYM_ARRAY_SIZE(s));
}

Test(runtime_addr32, answers_as_the_64_bit_build_for_aliases_filling_blocks, .init = name_them)
{
	struct ksp_sym s[140];

	for (int i = 0; i < 100; i++) /* over six blocks, then their neighbours */
		s[i] = (struct ksp_sym)SYM(0x80000000, 0x10 + (uint64_t)i / 2, names[i], 't', KSP_LOCAL);
	for (int i = 100; i < 140; i++)
		s[i] = (struct ksp_sym)SYM(0x80000000 + 0x40 * (uint64_t)(i - 99), 0x20, names[i], 't', KSP_LOCAL);
	expect_agree(s, KSYM_ARRAY_SIZE(s));
}

Test(runtime_addr32, answers_as_the_64_bit_build_for_gaps_and_sizes_of_nearly_4_gib)
{
	struct ksp_sym s[] = {
		SYM(0, 0x10, "zero", 'T', KSP_GLOBAL),
		SYM(0x1000, 0xffffefff, "nearly_all", 'T', KSP_GLOBAL),
		SYM(0x2000, 0x10, "inside", 'T', KSP_GLOBAL),
		SYM(0xfffffff0, 0x10, "last", 'T', KSP_GLOBAL),
	};

	expect_agree(s, KSYM_ARRAY_SIZE(s));
}

/* The output's first lines: what open and verify say. */
static size_t verdict_len(const char *out)
{
	const char *nl = strchr(out, '\n');

	if (nl && !strncmp(out, "open: ok\n", 9))
		nl = strchr(nl + 1, '\n');
	return nl ? (size_t)(nl - out) : strlen(out);
}

/* Output a (the 32-bit build's) equals b (the 64-bit build's) up to and with b's byte n, its newline or NUL. */
static void expect_same_start(const char *path, const char *a, const char *b, size_t n)
{
	size_t i = 0; /* where they part, for the message */

	while (i < n && a[i] == b[i])
		i++;
	cr_assert(eq(int, strncmp(a, b, n + 1), 0), "%s: the builds part at byte %zu:\n%.120s\n%.120s", path, i,
		  a + (i > 60 ? i - 60 : 0), b + (i > 60 ? i - 60 : 0));
}

Test(runtime_addr32, gives_the_64_bit_builds_verdicts_on_damaged_32_bit_tables)
{
	char *elfs[64], *dir = tmp_dir(), path[600];
	size_t n = patched_elfs(elfs, 64);
	int proved = 0, unproved = 0, refused = 0;
	uint32_t seed = 1;

	for (size_t e = 0; e < n; e++) {
		size_t len;
		unsigned char *in = probe_input(elfs[e], &len), *m = malloc(len);

		for (int k = 0; k < MUTANTS && addr32(in); k++) {
			struct run a, b;

			probe_damage(m, in, len, &seed);
			snprintf(path, sizeof(path), "%s/%zu-%d", dir, e, k);
			write_file(path, m, len);
			a = run("%s/rust/probe_c32 %s", build_dir(), path);
			b = run("%s/rust/probe_c %s", build_dir(), path);
			cr_assert(eq(int, a.status, 0), "%s: %s", path, a.err);
			cr_assert(eq(int, b.status, 0), "%s: %s", path, b.err);
			expect_same_start(path, a.out, b.out,
					  strncmp(b.out, "open: ok\nverify: ok\n", 20) ? verdict_len(b.out) : strlen(b.out));
			proved += !strncmp(b.out, "open: ok\nverify: ok\n", 20);
			unproved += !strncmp(b.out, "open: ok\nverify: ", 17) && strncmp(b.out + 17, "ok\n", 3);
			refused += !!strncmp(b.out, "open: ok\n", 9);
			run_free(&a);
			run_free(&b);
		}
		free(m);
		free(in);
		free(elfs[e]);
	}
	/* Every kind happens: proved, opened but refused by verify, refused at open. */
	cr_assert(gt(int, proved, 0), "proved: %d", proved);
	cr_assert(gt(int, unproved, 5), "opened, not proved: %d", unproved);
	cr_assert(gt(int, refused, 5), "refused: %d", refused);
	free(dir);
}

Test(runtime_addr32, refuses_a_table_of_64_bit_addresses_in_words)
{
	char *elf = patch_copy("glibc", "", NULL), *dir = tmp_dir(), path[600];
	size_t len;
	unsigned char *in = input_file(elf, dir, "in", path, sizeof(path), &len);
	struct run r = run("%s/rust/probe_c32 %s", build_dir(), path);

	cr_assert(eq(int, addr32(in), 0), "glibc: a 64-bit table");
	cr_assert(eq(str, r.out, "open: version 64-bit addresses, and the runtime built for 32-bit ones "
				 "(KSYM_ADDR_BITS)\n"));
	run_free(&r);
	free(in);
	free(dir);
	free(elf);
}
