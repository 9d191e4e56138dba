/*
 * Tests of patcher/elf_*.c: reading the ELF, its places (PT_LOAD offsets, the count symbol) and the one-line errors for bad input.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "ksympatch.h"

enum prep { AS_IS, TEXT_FILE, TRUNCATE, DIRECTORY, READ_ONLY, STRIP, MISSING, BAD_ST_NAME, STRTAB_NO_NUL,
	     LOAD_TWICE, LOAD_PAST_EOF, SYMTAB_PAST_EOF, SECTION_PAST_EOF };

/* Program header i of an ELF64 little-endian file (gnu-le): its file offset. */
static uint64_t phdr_at(const char *elf, unsigned i)
{
	size_t size;
	unsigned char *f = (unsigned char *)read_file(elf, &size);
	uint64_t phoff, at;
	uint16_t phentsize;

	memcpy(&phoff, f + 0x20, 8);
	memcpy(&phentsize, f + 0x36, 2);
	at = phoff + (uint64_t)i * phentsize;
	free(f);
	return at;
}

/* File offset of the section header of the section called name (ELF64 little-endian: gnu-le). */
static uint64_t shdr_at(const char *elf, const char *name)
{
	char awk[96];
	struct run r;
	unsigned index;
	size_t size;
	char *f = read_file(elf, &size);
	uint64_t shoff = 0;

	snprintf(awk, sizeof(awk), "$2 == \"%s\" { print $1 }", name);
	r = run("%sreadelf -SW %s | sed -n 's/^ *\\[ *\\([0-9]*\\)\\] /\\1 /p' | awk '%s'", cross(), elf, awk);
	cr_assert(sscanf(r.out, "%u", &index) == 1, "no section %s: %s", name, r.err);
	for (int i = 7; i >= 0; i--)
		shoff = shoff << 8 | (unsigned char)f[0x28 + i]; /* e_shoff */
	free(f);
	run_free(&r);
	return shoff + 64 * (uint64_t)index;
}

struct bad_case {
	char fixture[32];
	enum prep prep;
	char phrase[96];
};

static struct bad_case bad_cases[] = {
	{ "gnu-le", TEXT_FILE, "not an ELF file" },
	{ "gnu-le", TRUNCATE, "truncated" },
	{ "gnu-le", DIRECTORY, "is a directory" },
	{ "gnu-le", READ_ONLY, "not writable" },
	{ "gnu-le", STRIP, "no symbol table (stripped?)" },
	{ "gnu-le", MISSING, "cannot open: No such file" },
	{ "gnu-nosection", AS_IS, "no section .kernel_symbols" },
	{ "gnu-nobits", AS_IS, "no file contents (NOBITS); INCLUDE linker_scripts/kernel_symbols.ld" },
	{ "gnu-unloaded", AS_IS, "outside every PT_LOAD segment's file bytes; INCLUDE" },
	{ "gnu-nocount", AS_IS, "no symbol NUM_KERNEL_SYMBOLS" },
	{ "gnu-count-u32", AS_IS, "NUM_KERNEL_SYMBOLS is 4 bytes, not 8" },
	{ "gnu-count-bss", AS_IS, "NUM_KERNEL_SYMBOLS is in .bss, which has no file contents; define it with KSYM_DEFINE_COUNT()" },
	{ "gnu-small", AS_IS, "table does not fit: needs " },
	{ "lld-small", AS_IS, "256 available; make the placeholder at least 1024 bytes" },
	{ "gnu-two-local-counts", AS_IS,
	  "2 local (static) definitions of NUM_KERNEL_SYMBOLS and no global one, at 0x" },
	{ "gnu-le", BAD_ST_NAME, ".symtab entry 5 has no name string (st_name 0xfffffff past .strtab's" },
	{ "gnu-le", STRTAB_NO_NUL, ".symtab's string table is damaged (it does not end in a NUL)" },
	{ "gnu-le", LOAD_TWICE, "[.kernel_symbols]: section is mapped by 2 overlapping PT_LOAD segments" },
	{ "gnu-le", LOAD_PAST_EOF, "program header 0 maps file bytes past the end of the file" },
	/* one line, libbfd's own warning folded in, and not blaming the (intact) section headers */
	{ "gnu-le", SYMTAB_PAST_EOF, ".symtab claims 16777216 bytes at file offset 0x" },
	/* any other section's bytes past the end: refused too, naming it (libbfd's warning folded in) */
	{ "gnu-le", SECTION_PAST_EOF, ".data claims 4 bytes at file offset 0x7fff0000, past the end of the file" },
};

/* The kernel reads the global count; a static one of the same name elsewhere stays as it is. */
Test(elf, count_goes_to_the_global_definition_not_a_static_one)
{
	char *elf = patch_copy("gnu-local-count", "", NULL);
	struct run g = run("%sreadelf -sW %s | awk '$5 == \"GLOBAL\" && $8 == \"NUM_KERNEL_SYMBOLS\" { print $2 }'",
			   cross(), elf);
	struct run l = run("%sreadelf -sW %s | awk '$5 == \"LOCAL\" && $8 == \"NUM_KERNEL_SYMBOLS\" { print $2 }'",
			   cross(), elf);
	struct run d = run("%s dump %s | wc -l", tool(), elf), v = run("%s verify %s", tool(), elf);
	size_t size;
	unsigned char *f = (unsigned char *)read_file(elf, &size);
	uint64_t global, local;

	cr_assert(strchr(l.out, '\n') != NULL, "the fixture has a static NUM_KERNEL_SYMBOLS");
	memcpy(&global, f + vaddr_file_offset(elf, strtoull(g.out, NULL, 16)), 8);
	memcpy(&local, f + vaddr_file_offset(elf, strtoull(l.out, NULL, 16)), 8);
	cr_assert(eq(u64, global, strtoull(d.out, NULL, 10)), "the global count is the table's");
	cr_assert(eq(u64, local, 0), "the static one is not touched");
	cr_assert(eq(int, v.status, 0), "%s", v.err);
	run_free(&g);
	run_free(&l);
	run_free(&d);
	run_free(&v);
	free(f);
	free(elf);
}

Test(elf, patched_bytes_sit_where_readelf_maps_them)
{
	char *elf = patch_copy("lld-lma", "", NULL);
	uint64_t sec_off = section_file_offset(elf, ".kernel_symbols");
	uint64_t count_off = symbol_file_offset(elf, "NUM_KERNEL_SYMBOLS");
	struct run d = run("%s dump %s", tool(), elf);
	size_t len;
	unsigned char *bytes = (unsigned char *)read_file(elf, &len);
	uint64_t count = 0;

	cr_assert(eq(int, memcmp(bytes + sec_off, "KSYM", 4), 0));
	for (int i = 0; i < 8; i++) /* lld-lma is little-endian */
		count |= (uint64_t)bytes[count_off + i] << (8 * i);
	cr_assert(eq(u64, count, count_lines(d.out)));
	free(bytes);
	run_free(&d);
	free(elf);
}

ParameterizedTestParameters(elf, rejects_bad_input_and_leaves_it_unchanged)
{
	return cr_make_param_array(struct bad_case, bad_cases, KSP_ARRAY_SIZE(bad_cases));
}

ParameterizedTest(struct bad_case *c, elf, rejects_bad_input_and_leaves_it_unchanged)
{
	char *elf = tmp_copy(c->fixture);
	struct run r;

	switch (c->prep) {
	case TEXT_FILE:
		write_file(elf, "#!/bin/sh\necho not a kernel\n", 28);
		break;
	case BAD_ST_NAME: { /* symbol 5's name offset past the string table (ELF64 LE) */
		uint64_t off, size;

		section_bytes(elf, ".symtab", &off, &size);
		poke_file(elf, off + 5 * 24, "\xff\xff\xff\x0f", 4);
		break;
	}
	case LOAD_TWICE: { /* the GNU_STACK header becomes a copy of the PT_LOAD: two segments map everything */
		size_t size;
		char *f = read_file(elf, &size);

		poke_file(elf, phdr_at(elf, 1), f + phdr_at(elf, 0), 56);
		free(f);
		break;
	}
	case LOAD_PAST_EOF: /* the PT_LOAD's p_filesz reaches past the end of the file */
		poke_file(elf, phdr_at(elf, 0) + 0x20, "\0\0\0\x10\0\0\0\0", 8);
		break;
	case SECTION_PAST_EOF: /* .data's sh_offset: 2 GiB, far past the end of the file */
		poke_file(elf, shdr_at(elf, ".data") + 0x18, "\0\0\xff\x7f\0\0\0\0", 8);
		break;
	case SYMTAB_PAST_EOF: /* .symtab's sh_size: 16 MiB, far past the end of the file */
		poke_file(elf, shdr_at(elf, ".symtab") + 0x20, "\0\0\0\x01\0\0\0\0", 8);
		break;
	case STRTAB_NO_NUL: { /* a string table without one terminator */
		uint64_t off, size;

		section_bytes(elf, ".strtab", &off, &size);
		char *junk = malloc(size);

		memset(junk, 'A', size);
		poke_file(elf, off, junk, size);
		free(junk);
		break;
	}
	case TRUNCATE:
		cr_assert(eq(int, truncate(elf, 2000), 0));
		break;
	case DIRECTORY:
		unlink(elf);
		mkdir(elf, 0755);
		break;
	case READ_ONLY:
		chmod(elf, 0444);
		break;
	case STRIP:
		r = run("%sstrip %s", cross(), elf);
		run_free(&r);
		break;
	case MISSING:
		unlink(elf);
		break;
	case AS_IS:
		break;
	}
	r = expect_refused(elf, c->phrase, "%s patch %s", tool(), elf);
	run_free(&r);
	free(elf);
}

Test(elf, fifo_as_input_fails_at_once)
{
	char *dir = tmp_dir();
	struct run r = run("mkfifo %s/in && timeout 10 %s dump %s/in", dir, tool(), dir);

	cr_assert(eq(int, r.status, 1), "exit %d (124: it hung)", r.status);
	cr_assert(strstr(r.err, "not a regular file") != NULL, "%s", r.err);
	run_free(&r);
	free(dir);
}

/* e_shnum 0: the count is in section 0's sh_size (ELF extended numbering, for 0xff00+ sections). */
Test(elf, extended_section_numbering_is_read_as_binutils_does)
{
	char *elf = tmp_copy("gnu-le");
	size_t size;
	unsigned char *f = (unsigned char *)read_file(elf, &size);
	uint64_t shoff, shnum = 0;
	uint32_t shstrndx = 0;

	memcpy(&shoff, f + 0x28, 8); /* ELF64 little-endian */
	memcpy(&shnum, f + 0x3c, 2);
	memcpy(&shstrndx, f + 0x3e, 2);
	memcpy(f + shoff + 0x20, &shnum, 8);    /* section 0's sh_size: the count */
	memcpy(f + shoff + 0x28, &shstrndx, 4); /* section 0's sh_link: the names' section */
	memset(f + 0x3c, 0, 2);                 /* e_shnum = 0 */
	memset(f + 0x3e, 0xff, 2);              /* e_shstrndx = SHN_XINDEX */
	write_file(elf, f, size);

	struct run h = run("%sreadelf -h %s", cross(), elf);
	struct run p = run("%s patch %s", tool(), elf);
	struct run d = run("%s dump %s", tool(), elf), nm = run("%snm -n -S %s", cross(), elf);
	char want[64];

	snprintf(want, sizeof(want), "Number of section headers:         0 (%llu)", (unsigned long long)shnum);
	cr_assert(strstr(h.out, want) != NULL, "binutils reads it so: %s", h.out);
	cr_assert(eq(int, p.status, 0), "%s", p.err);
	cr_assert(gt(sz, count_lines(d.out), 10));
	for (const char *l = d.out; *l; l = strchr(l, '\n') + 1) {
		char line[256];

		snprintf(line, sizeof(line), "%.*s", (int)(strchr(l, '\n') - l + 1), l);
		cr_assert(strstr(nm.out, line) != NULL || strstr(line, "bare_label"), "not in nm: %s", line);
	}
	run_free(&h);
	run_free(&p);
	run_free(&d);
	run_free(&nm);
	free(f);
	free(elf);
}

/*
 * A GNU unique object (nm's 'u': C++ inline statics, template statics) is
 * global, as for nm: --fit drops the local data objects before it.
 */
Test(elf, a_gnu_unique_object_is_global_data_to_fit)
{
	char code[40000], *dir;
	size_t n = 0;
	struct run r, d;

	n += (size_t)snprintf(code + n, sizeof(code) - n,
			      "\t.global _start\n\t.type _start, %%function\n_start:\n\tnop\n\t.size _start, 4\n\t.data\n");
	for (int i = 0; i < 400; i++)
		n += (size_t)snprintf(code + n, sizeof(code) - n,
				      "\t.type local_object_%d, %%object\nlocal_object_%d:\n\t.quad %d\n"
				      "\t.size local_object_%d, 8\n", i, i, i, i);
	snprintf(code + n, sizeof(code) - n, "\t.global unique_object\n\t.type unique_object, %%gnu_unique_object\n"
		 "unique_object:\n\t.quad 1\n\t.size unique_object, 8\n");
	dir = asm_kernel_unpatched(code, 2048);
	r = run("%s patch --fit %s/k.elf", tool(), dir);
	cr_assert(eq(int, r.status, 0), "%s", r.err);
	cr_assert(strstr(r.err, " of 400 local data objects") != NULL, "%s", r.err);
	d = run("%s dump %s/k.elf | grep -c ' u unique_object$'", tool(), dir);
	cr_assert(eq(str, d.out, "1\n"), "the unique object is kept, with nm's letter");
	run_free(&r);
	run_free(&d);
	free(dir);
}
