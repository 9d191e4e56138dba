/*
 * Tests of patcher/table.c: an embedded table that cannot be used is named in words; names come back
 * whole, and on one line.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ksym/format.h>

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

	poke_section(elf, KSYM_HDR_SIZE + 4, 0xff); /* past the header: only the checksum can tell */
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

/* No buffer of the tool's cuts a name: a 600-byte function name comes back whole. */
Test(table, long_names_come_back_whole)
{
	char name[601], code[3200], *dir;

	memset(name, 'n', 600);
	name[600] = '\0';
	memcpy(name, "long_", 5);
	snprintf(code, sizeof(code),
		 "\t.global _start\n\t.type _start, %%function\n_start:\n\tnop\n\t.size _start, . - _start\n"
		 "\t.global %s\n\t.type %s, %%function\n%s:\n\tnop\n\tnop\n\tret\n\t.size %s, . - %s\n",
		 name, name, name, name, name);
	dir = asm_kernel(code);

	struct run nm = run("%snm %s/k.elf | awk '$3 == \"%s\" { print $1 }'", cross(), dir, name);
	unsigned long long at = strtoull(nm.out, NULL, 16);
	struct run l = run("%s lookup %s/k.elf %llx", tool(), dir, at + 4);
	struct run d = run("%s dump %s/k.elf", tool(), dir);
	char *want;

	cr_assert(asprintf(&want, "%llx %s+0x4/0xc\n", at + 4, name) > 0);
	cr_assert(eq(str, l.out, want), "lookup keeps the whole name and +off/size");
	cr_assert(strstr(d.out, name) != NULL, "dump keeps the whole name");
	run_free(&nm);
	run_free(&l);
	run_free(&d);
	free(want);
	free(dir);
}

/* Rename the symbol called from to to (same length) in elf's .strtab. */
static void rename_in_strtab(const char *elf, const char *from, const char *to)
{
	uint64_t off, size;
	size_t len;
	char *f = read_file(elf, &len), *at;

	section_bytes(elf, ".strtab", &off, &size);
	at = memmem(f + off, size, from, strlen(from) + 1);
	cr_assert(at != NULL && strlen(from) == strlen(to), "%s not in .strtab", from);
	poke_file(elf, (uint64_t)(at - f), to, strlen(to));
	free(f);
}

/* A name with control bytes: one symbol, one line, in dump and lookup alike (nm would print two). */
Test(table, a_name_with_a_newline_stays_on_one_line)
{
	char *elf = tmp_copy("gnu-le");

	rename_in_strtab(elf, "large_function", "large\nfunc\\ion");

	struct run p = run("%s patch %s", tool(), elf);
	struct run nm = run("%snm -n %s", cross(), elf), d = run("%s dump %s", tool(), elf);
	struct run a = run("%snm %s | awk '$3 == \"large\" { print $1 }'", cross(), elf);
	struct run l;

	cr_assert(eq(int, p.status, 0), "%s", p.err);
	cr_assert(strstr(nm.out, "\nfunc\\ion\n") != NULL, "nm prints the name raw, over two lines: %s", nm.out);
	for (const char *line = d.out; *line; line = strchr(line, '\n') + 1)
		cr_assert(strspn(line, "0123456789abcdef") == 16 && line[16] == ' ', "a line of its own: %.40s", line);
	cr_assert(strstr(d.out, " large\\nfunc\\\\ion\n") != NULL, "%s", d.out);
	a.out[strcspn(a.out, "\n")] = '\0';
	l = run("%s lookup %s 0x%s \"$(printf '0x1\\n2')\"", tool(), elf, a.out);
	cr_assert(eq(int, l.status, 1), "%s", l.err);
	cr_assert(eq(sz, count_lines(l.out), 2), "one line an answer: %s", l.out);
	cr_assert(strstr(l.out, "large\\nfunc\\\\ion+0x0/") != NULL, "%s", l.out);
	cr_assert(strstr(l.out, "\n0x1\\n2 ??\n") != NULL, "%s", l.out);
	cr_assert(eq(sz, count_lines(l.err), 1), "%s", l.err);
	run_free(&p);
	run_free(&nm);
	run_free(&d);
	run_free(&a);
	run_free(&l);
	free(elf);
}
