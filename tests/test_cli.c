#define _GNU_SOURCE
/*
 * ksympatch CLI tests on fixture ELFs built by tests/tests.mk with GNU ld and
 * ld.lld, both byte orders, VMA != LMA, and ELF32.  Expected answers come
 * from binutils (nm -n -S, addr2line -f, readelf) run on the same file.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/parameterized.h>
#include <dirent.h>
#include <elf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "ksympatch.h"

struct fix {
	char name[32];
	char binutils[32]; /* the architecture's binutils prefix; empty: CROSS_COMPILE's */
	int machine;       /* e_machine */
};

static struct fix good_fixtures[] = {
	{ "gnu-le", "", EM_AARCH64 }, { "gnu-be", "", EM_AARCH64 }, { "lld-le", "", EM_AARCH64 },
	{ "lld-be", "", EM_AARCH64 }, { "gnu-lma", "", EM_AARCH64 }, { "lld-lma", "", EM_AARCH64 },
	{ "lld-arm32", "arm-linux-gnueabihf-", EM_ARM }, { "glibc", "", EM_AARCH64 },
	{ "lld-thumb", "arm-linux-gnueabihf-", EM_ARM }, { "gnu-rv64", "riscv64-linux-gnu-", EM_RISCV },
	/* --gc-sections: NUM_KERNEL_SYMBOLS, which nothing reads, survives it (KSYM_DEFINE_COUNT) */
	{ "gnu-gc", "", EM_AARCH64 }, { "lld-gc", "", EM_AARCH64 },
};

/* nm and addr2line for the fixture's architecture. */
static const char *fix_binutils(const struct fix *f)
{
	return f->binutils[0] ? f->binutils : cross();
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static char *patched_copy(const char *name)
{
	char *elf = tmp_copy(name);
	struct run r = run("%s patch %s", tool(), elf);

	cr_assert(eq(int, r.status, 0), "patch %s: %s", name, r.err);
	run_free(&r);
	return elf;
}

static const struct nm_line *find(const struct nm_line *v, size_t n, uint64_t start,
				  const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].start == start && strcmp(v[i].name, name) == 0)
			return &v[i];
	return NULL;
}

/*
 * readelf -SW's section lines, less their "[N]", through an awk program:
 * $1 name, $2 type, $3 address, $4 offset, $5 size, $7 flags.
 */
static struct run readelf_sections(const char *elf, const char *awk)
{
	return run("%sreadelf -SW %s | sed -n 's/^ *\\[ *[0-9]*\\] //p' | awk '%s'", cross(), elf, awk);
}

/* The end of the allocated section that holds addr, from readelf -SW. */
static uint64_t section_end(const char *elf, uint64_t addr)
{
	struct run r = readelf_sections(elf, "$7 ~ /A/ { print $3, $5 }");
	unsigned long long a, size;
	uint64_t end = 0;

	for (const char *p = r.out; sscanf(p, "%llx %llx", &a, &size) == 2; p = strchr(p, '\n') + 1)
		if (addr - a < size)
			end = a + size;
	cr_assert(end != 0, "no section holds 0x%llx: %s%s", (unsigned long long)addr, r.out, r.err);
	run_free(&r);
	return end;
}

/* Is name one of the lines of list? */
static int listed(const char *list, const char *name)
{
	size_t len = strlen(name);

	for (const char *p = list; (p = strstr(p, name)) != NULL; p++)
		if ((p == list || p[-1] == '\n') && p[len] == '\n')
			return 1;
	return 0;
}

ParameterizedTestParameters(ksympatch, dump_matches_nm)
{
	return cr_make_param_array(struct fix, good_fixtures, N(good_fixtures));
}

ParameterizedTest(struct fix *f, ksympatch, dump_matches_nm)
{
	char *elf = patched_copy(f->name);
	struct run d = run("%s dump %s", tool(), elf);
	struct run nm = run("%snm -n -S %s", fix_binutils(f), elf);
	/* Thread-local symbols are offsets into a thread's block, not addresses: never in the table. */
	struct run tls = run("%sreadelf -sW %s | awk '$4 == \"TLS\" { print $8 }'", fix_binutils(f), elf);
	struct nm_line *dl, *nl;
	size_t nd = parse_nm(d.out, &dl), nn = parse_nm(nm.out, &nl);

	cr_assert(eq(int, d.status, 0), "%s", d.err);
	cr_assert(eq(int, nm.status, 0), "%s", nm.err);
	cr_assert(nd > 10, "%s: dump too short", f->name);
	for (size_t i = 0; i < nd; i++) {
		const struct nm_line *o = find(nl, nn, dl[i].start, dl[i].name);

		cr_assert(o != NULL, "%s: dump has %s, nm does not", f->name, dl[i].text);
		if (i)
			cr_assert(dl[i - 1].start <= dl[i].start, "dump not in address order");
		if (o->has_size || !dl[i].has_size) { /* sized, or an object of size 0 */
			cr_assert(eq(str, dl[i].text, (char *)o->text), "%s", f->name);
			continue;
		}
		/* A label without .size runs to the next symbol, or to its section's end (readelf). */
		uint64_t next = section_end(elf, dl[i].start);

		for (size_t j = i + 1; j < nd; j++)
			if (dl[j].start > dl[i].start) {
				next = dl[j].start < next ? dl[j].start : next;
				break;
			}
		cr_assert(eq(u64, dl[i].size, next - dl[i].start), "%s: size of label %s",
			  f->name, dl[i].name);
		cr_assert(eq(int, o->type, dl[i].type));
	}
	/* In nm's order too: the symbols of the dump, as nm lists them, come in the same sequence. */
	for (size_t i = 0, j = 0; i < nn; i++) {
		if (!find(dl, nd, nl[i].start, nl[i].name))
			continue;
		cr_assert(lt(sz, j, nd));
		cr_assert(nl[i].start == dl[j].start && !strcmp(nl[i].name, dl[j].name),
			  "%s: nm lists %s where dump has %s", f->name, nl[i].text, dl[j].text);
		j++;
	}
	for (size_t i = 0; i < nn; i++) {
		if (!nl[i].has_size || !nl[i].size || !strchr("TtDdRrBbWwi", nl[i].type) ||
		    ksp_is_skipped_name(nl[i].name, f->machine) || listed(tls.out, nl[i].name))
			continue;
		cr_assert(find(dl, nd, nl[i].start, nl[i].name) != NULL, "%s: nm has %s, dump does not",
			  f->name, nl[i].text);
	}
	free(dl);
	free(nl);
	run_free(&d);
	run_free(&nm);
	run_free(&tls);
	free(elf);
}

ParameterizedTestParameters(ksympatch, lookup_matches_addr2line)
{
	return cr_make_param_array(struct fix, good_fixtures, N(good_fixtures));
}

/* Is addr inside any sized symbol nm lists, or where an unsized label starts? */
static int covered(const struct nm_line *v, size_t n, uint64_t addr)
{
	for (size_t i = 0; i < n; i++)
		if ((v[i].has_size && addr - v[i].start < v[i].size) || (!v[i].has_size && v[i].start == addr))
			return 1;
	return 0;
}

ParameterizedTest(struct fix *f, ksympatch, lookup_matches_addr2line)
{
	char *elf = patched_copy(f->name);
	struct run nm = run("%snm -n -S %s", fix_binutils(f), elf);
	struct nm_line *nl;
	size_t nn = parse_nm(nm.out, &nl), nf = 0, ng = 0;
	char path[700], gaps_path[700];
	FILE *fa, *fg;

	snprintf(path, sizeof(path), "%s.addrs", elf);
	snprintf(gaps_path, sizeof(gaps_path), "%s.gaps", elf);
	fa = fopen(path, "w");
	fg = fopen(gaps_path, "w");
	for (size_t i = 0; i < nn; i++) {
		const struct nm_line *s = &nl[i];

		if (!s->has_size || !s->size || (s->type != 'T' && s->type != 't') ||
		    ksp_is_skipped_name(s->name, f->machine)) /* linker thunks are left out on purpose */
			continue;
		fprintf(fa, "0x%" PRIx64 "\n0x%" PRIx64 "\n0x%" PRIx64 "\n", s->start,
			s->start + s->size / 2, s->start + s->size - 1);
		nf += 3;
		if (!covered(nl, nn, s->start + s->size)) {
			fprintf(fg, "0x%" PRIx64 "\n", s->start + s->size);
			ng++;
		}
	}
	fclose(fa);
	fclose(fg);
	cr_assert(nf >= 3 * 8, "%s: too few functions", f->name);
	cr_assert(ng >= 3, "%s: the fixture should have gaps", f->name);

	struct run ours = run("%s lookup %s < %s", tool(), elf, path);
	struct run a2l = run("%saddr2line -f -e %s < %s", fix_binutils(f), elf, path);
	struct run gaps = run("%s lookup %s < %s", tool(), elf, gaps_path);
	char *o = ours.out, *a = a2l.out;

	cr_assert(eq(int, ours.status, 0), "%s", ours.err);
	cr_assert(eq(int, a2l.status, 0), "%s", a2l.err);
	cr_assert(eq(sz, count_lines(ours.out), nf));
	for (size_t k = 0; k < nf; k++) {
		char want_name[128], got_name[128];
		unsigned long long addr, off, size;

		cr_assert(sscanf(a, "%127s", want_name) == 1);
		a = strchr(strchr(a, '\n') + 1, '\n') + 1; /* skip name and file:line */
		cr_assert(sscanf(o, "%llx %127[^+]+%llx/%llx", &addr, got_name, &off, &size) == 4,
			  "bad line: %.60s", o);
		o = strchr(o, '\n') + 1;

		/* addr2line names one of the aliases; ours must be one at the same place. */
		const struct nm_line *w = NULL, *g = NULL;

		for (size_t i = 0; i < nn; i++) {
			if (!nl[i].has_size || addr - nl[i].start >= nl[i].size)
				continue;
			if (!strcmp(nl[i].name, want_name))
				w = &nl[i];
			if (!strcmp(nl[i].name, got_name))
				g = &nl[i];
		}
		cr_assert(w != NULL, "%s: addr2line's %s for 0x%llx is not in nm", f->name, want_name, addr);
		cr_assert(g != NULL, "%s: 0x%llx resolved to %s, which does not contain it (addr2line: %s)",
			  f->name, addr, got_name, want_name);
		cr_assert(eq(u64, g->start, w->start), "%s: 0x%llx: %s vs addr2line %s", f->name,
			  addr, got_name, want_name);
		cr_assert(eq(u64, g->size, w->size));
		cr_assert(eq(u64, off, addr - g->start));
		cr_assert(eq(u64, size, g->size));
	}
	/* Gaps: nm says no symbol covers them, so the answer is ??. */
	o = gaps.out;
	for (size_t k = 0; k < ng; k++) {
		cr_assert(strstr(o, " ??\n") == strchr(o, ' '), "%s: gap resolved: %.60s", f->name, o);
		o = strchr(o, '\n') + 1;
	}
	run_free(&ours);
	run_free(&a2l);
	run_free(&gaps);
	run_free(&nm);
	free(nl);
	free(elf);
}

/* The placeholder is read-only data (readelf's flags: A, no W), under GNU ld and ld.lld alike. */
ParameterizedTestParameters(ksympatch, placeholder_is_read_only)
{
	static struct fix linked[] = {
		{ "gnu-le", "", EM_AARCH64 }, { "gnu-be", "", EM_AARCH64 }, { "lld-le", "", EM_AARCH64 },
		{ "lld-be", "", EM_AARCH64 }, { "gnu-lma", "", EM_AARCH64 }, { "lld-lma", "", EM_AARCH64 },
		{ "lld-arm32", "", EM_ARM }, { "lld-thumb", "", EM_ARM }, { "gnu-rv64", "", EM_RISCV },
	};
	return cr_make_param_array(struct fix, linked, N(linked));
}

ParameterizedTest(struct fix *f, ksympatch, placeholder_is_read_only)
{
	struct run r = readelf_sections(fixture(f->name), "$1 == \".kernel_symbols\" { print $2, $7 }");

	cr_assert(eq(str, r.out, "PROGBITS A\n"), "%s: %s", f->name, r.out);
	run_free(&r);
}

/* After .bss in one segment, the file carries .bss: patched, with one warning naming it (readelf). */
Test(ksympatch, placeholder_after_bss_is_patched_with_a_warning)
{
	char *elf = tmp_copy("gnu-bss-first"), *le = tmp_copy("gnu-le");
	struct run bss = readelf_sections(elf, "$1 == \".bss\" { print $2, $5 }");
	struct run r = run("%s patch %s", tool(), elf), quiet = run("%s patch %s", tool(), le);
	unsigned long long size;
	char want[96];

	cr_assert(sscanf(bss.out, "NOBITS %llx", &size) == 1, "%s", bss.out);
	snprintf(want, sizeof(want), "comes after .bss in one loaded segment, so the file carries .bss's %llu bytes", size);
	cr_assert(eq(int, r.status, 0), "%s", r.err);
	cr_assert(eq(sz, count_lines(r.err), 1), "%s", r.err);
	cr_assert(strstr(r.err, want) != NULL, "%s", r.err);
	cr_assert(eq(str, quiet.err, ""), "no warning for the usual layout");
	run_free(&bss);
	run_free(&r);
	run_free(&quiet);
	free(elf);
	free(le);
}

/* Offsets from readelf, computed here independently of the patcher. */
/* The kernel reads the global count; a static one of the same name elsewhere stays as it is. */
Test(ksympatch, count_goes_to_the_global_definition_not_a_static_one)
{
	char *elf = patched_copy("gnu-local-count");
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

Test(ksympatch, patched_bytes_sit_where_readelf_maps_them)
{
	char *elf = patched_copy("lld-lma");
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

Test(ksympatch, patch_is_idempotent_and_deterministic)
{
	char *a = tmp_copy("gnu-be"), out[700];
	size_t l0, l1, l2, l3;
	char *orig = read_file(a, &l0);
	struct run r1 = run("%s patch %s -o %s.copy", tool(), a, a);
	char *unchanged = read_file(a, &l3);
	struct run r2 = run("%s patch %s", tool(), a);
	char *p1 = read_file(a, &l1);
	struct run r3 = run("%s patch %s", tool(), a);
	char *p2 = read_file(a, &l2);

	snprintf(out, sizeof(out), "%s.copy", a);
	size_t lc;
	char *copy = read_file(out, &lc);

	cr_assert(eq(int, r1.status + r2.status + r3.status, 0));
	cr_assert(l0 == l3 && memcmp(orig, unchanged, l0) == 0, "-o must leave the input alone");
	cr_assert(l1 == l2 && memcmp(p1, p2, l1) == 0, "patching twice must not change bytes");
	cr_assert(lc == l1 && memcmp(copy, p1, l1) == 0, "-o and in place must agree");
	cr_assert(l0 == l1 && memcmp(orig, p1, l0) != 0, "patching changes the file");
	run_free(&r1);
	run_free(&r2);
	run_free(&r3);
	free(orig);
	free(unchanged);
	free(p1);
	free(p2);
	free(copy);
	free(a);
}

Test(ksympatch, patch_keeps_mode_and_leaves_no_temporary_file)
{
	char *elf = tmp_copy("gnu-le"), *dir = strdup(elf);
	struct stat st;
	int entries = 0;

	chmod(elf, 0751);
	struct run r = run("%s patch -v %s", tool(), elf);

	cr_assert(eq(int, r.status, 0), "%s", r.err);
	cr_assert(strstr(r.out, " symbols, ") && strstr(r.out, " of 32768 bytes (") != NULL, "%s", r.out);
	cr_assert(eq(int, stat(elf, &st), 0));
	cr_assert(eq(u32, st.st_mode & 07777, 0751));
	*strrchr(dir, '/') = '\0';
	DIR *d = opendir(dir);

	for (struct dirent *e; (e = readdir(d));)
		entries += e->d_name[0] != '.' || strncmp(e->d_name, ".ksympatch", 10) == 0;
	closedir(d);
	cr_assert(eq(int, entries, 1), "only the ELF is left in %s", dir);
	run_free(&r);
	free(dir);
	free(elf);
}

Test(ksympatch, verify_passes_on_a_patched_file)
{
	char *elf = patched_copy("gnu-le");
	struct run r = run("%s verify %s", tool(), elf);

	cr_assert(eq(int, r.status, 0), "%s", r.err);
	run_free(&r);
	free(elf);
}

static void expect_failure(struct run *r, const char *file, const char *phrase)
{
	cr_assert(eq(int, r->status, 1), "exit %d, stderr: %s", r->status, r->err);
	cr_assert(eq(sz, count_lines(r->err), 1), "one line: %s", r->err);
	cr_assert(strstr(r->err, file) != NULL, "names the file: %s", r->err);
	cr_assert(strstr(r->err, phrase) != NULL, "says '%s': %s", phrase, r->err);
}

Test(ksympatch, verify_reports_an_unpatched_file)
{
	char *elf = tmp_copy("gnu-le");
	struct run r = run("%s verify %s", tool(), elf);

	expect_failure(&r, elf, "unpatched");
	run_free(&r);
	free(elf);
}

/* Overwrite one byte at offset into the .kernel_symbols section of elf. */
static void poke_section(const char *elf, size_t offset, unsigned char value)
{
	poke_file(elf, section_file_offset(elf, ".kernel_symbols") + offset, &value, 1);
}

Test(ksympatch, verify_reports_a_corrupt_table)
{
	char *elf = patched_copy("gnu-le");
	struct run r;

	poke_section(elf, 100, 0xff); /* past the header: only the checksum can tell */
	r = run("%s verify %s", tool(), elf);
	expect_failure(&r, elf, "corrupt: checksum mismatch");
	run_free(&r);
	free(elf);
}

Test(ksympatch, verify_reports_a_wrong_format_version)
{
	char *elf = patched_copy("gnu-le");
	struct run r;

	poke_section(elf, 4, 99);
	r = run("%s verify %s", tool(), elf);
	expect_failure(&r, elf, "wrong format version");
	run_free(&r);
	free(elf);
}

Test(ksympatch, verify_names_the_first_stale_symbol_after_a_code_change)
{
	/* gnu-stale is gnu-le relinked after small_leaf grew; give it gnu-le's old table. */
	char *old = patched_copy("gnu-le"), *elf = patched_copy("gnu-stale");
	struct run dump = run("%sobjcopy --dump-section .kernel_symbols=%s.sec %s", cross(), old, old);
	struct run upd = run("%sobjcopy --update-section .kernel_symbols=%s.sec %s", cross(), old, elf);
	struct run r = run("%s verify %s", tool(), elf);

	cr_assert(eq(int, dump.status + upd.status, 0), "%s %s", dump.err, upd.err);
	expect_failure(&r, elf, "stale: symbol");
	cr_assert(strstr(r.err, "small_leaf") != NULL, "%s", r.err);
	run_free(&dump);
	run_free(&upd);
	run_free(&r);
	free(old);
	free(elf);
}

/* ---- every rejected input: exit 1, one line naming the file, bytes unchanged ---- */

enum prep { AS_IS, TEXT_FILE, TRUNCATE, DIRECTORY, READ_ONLY, STRIP, MISSING, BAD_ST_NAME, STRTAB_NO_NUL,
	     LOAD_TWICE, LOAD_PAST_EOF };

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

/* File offset and size of a section, from readelf -SW. */
static void section_bytes(const char *elf, const char *name, uint64_t *off, uint64_t *size)
{
	char awk[96];
	struct run r;
	unsigned long long o, z;

	snprintf(awk, sizeof(awk), "$1 == \"%s\" { print $4, $5 }", name);
	r = readelf_sections(elf, awk);

	cr_assert(sscanf(r.out, "%llx %llx", &o, &z) == 2, "no section %s: %s", name, r.err);
	*off = o;
	*size = z;
	run_free(&r);
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
};

ParameterizedTestParameters(ksympatch, rejects_bad_input_and_leaves_it_unchanged)
{
	return cr_make_param_array(struct bad_case, bad_cases, N(bad_cases));
}

ParameterizedTest(struct bad_case *c, ksympatch, rejects_bad_input_and_leaves_it_unchanged)
{
	char *elf = tmp_copy(c->fixture), *before, *after;
	size_t lb = 0, la = 0;
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
	before = read_file(elf, &lb);
	r = run("%s patch %s", tool(), elf);
	expect_failure(&r, elf, c->phrase);
	after = read_file(elf, &la);
	cr_assert(lb == la && (!lb || memcmp(before, after, lb) == 0), "input changed");
	run_free(&r);
	free(before);
	free(after);
	free(elf);
}

Test(ksympatch, usage_errors_exit_2)
{
	struct run r1 = run("%s", tool());
	struct run r2 = run("%s frobnicate x.elf", tool());
	struct run r3 = run("%s patch --no-such-option x.elf", tool());
	struct run r4 = run("%s dump -o y.elf x.elf", tool());
	struct run h = run("%s --help", tool());

	cr_assert(eq(int, r1.status, 2));
	cr_assert(eq(int, r2.status, 2));
	cr_assert(eq(int, r3.status, 2));
	cr_assert(eq(int, r4.status, 2));
	cr_assert(eq(int, h.status, 0));
	cr_assert(strstr(h.out, "usage: ksympatch patch") != NULL);
	run_free(&r1);
	run_free(&r2);
	run_free(&r3);
	run_free(&r4);
	run_free(&h);
}

Test(ksympatch, lookup_takes_addresses_as_arguments_and_rejects_garbage)
{
	char *elf = patched_copy("gnu-le");
	struct run nm = run("%snm %s | awk '$3==\"kernel_main\" {print $1}'", cross(), elf);
	char addr[32];

	snprintf(addr, sizeof(addr), "%.*s", (int)strcspn(nm.out, "\n"), nm.out);
	struct run r = run("%s lookup %s 0x%s %s 0x1", tool(), elf, addr, addr);
	struct run bad = run("%s lookup %s xyz", tool(), elf);
	char want[200];

	snprintf(want, sizeof(want), "0x%s kernel_main+0x0/", addr);
	cr_assert(eq(int, r.status, 0), "%s", r.err);
	cr_assert(strstr(r.out, want) == r.out, "%s", r.out);
	cr_assert(strstr(r.out, "\n0x1 ??\n") != NULL, "%s", r.out);
	cr_assert(eq(int, bad.status, 1));
	cr_assert(strstr(bad.err, "'xyz' is not a hex address") != NULL);
	run_free(&nm);
	run_free(&r);
	run_free(&bad);
	free(elf);
}

Test(ksympatch, options_go_before_or_after_the_command)
{
	char *elf = tmp_copy("gnu-le");
	struct run before = run("%s -v patch %s", tool(), elf), after = run("%s verify %s", tool(), elf);
	struct run unknown = run("%s frobnicate %s", tool(), elf);

	cr_assert(eq(int, before.status, 0), "%s", before.err);
	cr_assert(strstr(before.out, " symbols, ") != NULL, "-v before the command: %s", before.out);
	cr_assert(eq(int, after.status, 0), "%s", after.err);
	cr_assert(eq(int, unknown.status, 2));
	cr_assert(strstr(unknown.err, "unknown command 'frobnicate'") != NULL, "%s", unknown.err);
	run_free(&before);
	run_free(&after);
	run_free(&unknown);
	free(elf);
}

/* One answer per input line, as addr2line gives, and the first bad line reported once. */
Test(ksympatch, lookup_on_stdin_answers_every_line_and_names_the_bad_one)
{
	char *elf = patched_copy("gnu-le");
	struct run nm = run("%snm %s | awk '$3==\"kernel_main\" {print $1}'", cross(), elf);
	char addr[32];

	snprintf(addr, sizeof(addr), "%.*s", (int)strcspn(nm.out, "\n"), nm.out);
	struct run r = run("printf '%s\\nnot-hex\\n0x0x%s\\n0x1\\n' | %s lookup %s", addr, addr, tool(), elf);
	char want[300];

	snprintf(want, sizeof(want), "%s kernel_main+0x0/", addr);
	cr_assert(eq(int, r.status, 1), "a bad line fails the run");
	cr_assert(eq(sz, count_lines(r.out), 4), "one line out per line in: %s", r.out);
	cr_assert(strstr(r.out, want) == r.out, "%s", r.out);
	cr_assert(strstr(r.out, "\nnot-hex ??\n") != NULL, "%s", r.out);
	snprintf(want, sizeof(want), "\n0x0x%s ??\n", addr);
	cr_assert(strstr(r.out, want) != NULL, "0x0x is not an address: %s", r.out);
	cr_assert(eq(sz, count_lines(r.err), 1), "%s", r.err);
	cr_assert(strstr(r.err, elf) != NULL && strstr(r.err, "line 2: 'not-hex' is not a hex address"), "%s", r.err);
	run_free(&nm);
	run_free(&r);
	free(elf);
}

/* No buffer of the tool's cuts a name: a 600-byte function name comes back whole. */
Test(ksympatch, long_names_come_back_whole)
{
	char *dir = tmp_dir(), name[601], path[700];
	FILE *f;

	memset(name, 'n', 600);
	name[600] = '\0';
	memcpy(name, "long_", 5);
	snprintf(path, sizeof(path), "%s/k.S", dir);
	f = fopen(path, "w");
	cr_assert(f != NULL);
	fprintf(f, "\t.section .text.boot, \"ax\"\n\t.global _start\n\t.type _start, %%function\n"
		   "_start:\n\tnop\n\t.size _start, . - _start\n"
		   "\t.global %s\n\t.type %s, %%function\n%s:\n\tnop\n\tnop\n\tret\n\t.size %s, . - %s\n"
		   "\t.section .kernel_symbols.head, \"a\"\n\t.balign 8\n\t.quad 0\n"
		   "\t.section .rodata.ksym_count, \"a\"\n\t.balign 8\n\t.global NUM_KERNEL_SYMBOLS\n"
		   "\t.type NUM_KERNEL_SYMBOLS, %%object\nNUM_KERNEL_SYMBOLS:\n\t.quad 0\n"
		   "\t.size NUM_KERNEL_SYMBOLS, 8\n", name, name, name, name, name);
	fclose(f);

	struct run b = run("%sgcc -c %s/k.S -o %s/k.o && %sld --no-warn-rwx-segments -L linker_scripts "
			   "-T tests/fixtures/fixture.ld -o %s/k.elf %s/k.o && %s patch %s/k.elf",
			   cross(), dir, dir, cross(), dir, dir, tool(), dir);

	cr_assert(eq(int, b.status, 0), "%s", b.err);

	struct run nm = run("%snm %s/k.elf | awk '$3 == \"%s\" { print $1 }'", cross(), dir, name);
	unsigned long long at = strtoull(nm.out, NULL, 16);
	struct run l = run("%s lookup %s/k.elf %llx", tool(), dir, at + 4);
	struct run d = run("%s dump %s/k.elf", tool(), dir);
	char *want;

	cr_assert(asprintf(&want, "%llx %s+0x4/0xc\n", at + 4, name) > 0);
	cr_assert(eq(str, l.out, want), "lookup keeps the whole name and +off/size");
	cr_assert(strstr(d.out, name) != NULL, "dump keeps the whole name");
	run_free(&b);
	run_free(&nm);
	run_free(&l);
	run_free(&d);
	free(want);
	free(dir);
}

/* -o onto a FIFO or a device would replace it with a regular file (it replaced a /dev/null once). */
Test(ksympatch, output_onto_a_fifo_or_device_is_refused_and_a_symlink_is_followed)
{
	char *elf = tmp_copy("gnu-le"), *dir = tmp_dir();
	/* A device node of our own, like /dev/null (as root; a failing tool must not take the real one). */
	struct run r = run("cd %s && mkfifo fifo && cp %s real.elf && ln -s real.elf link.elf && mknod null c 1 3",
			   dir, elf);
	struct run fifo = run("%s patch %s -o %s/fifo", tool(), elf, dir);
	struct run null = run("%s patch %s -o %s/null", tool(), elf, dir);
	struct run link = run("%s patch %s -o %s/link.elf", tool(), elf, dir);
	struct run kinds = run("stat -c %%F %s/fifo %s/link.elf %s/null", dir, dir, dir);
	struct run v = run("%s verify %s/real.elf", tool(), dir);
	struct run longo = run("%s patch %s -o %s/$(printf '%%05000d' 0)", tool(), elf, dir);

	cr_assert(eq(int, r.status, 0), "%s", r.err);
	cr_assert(eq(int, fifo.status, 1));
	cr_assert(strstr(fifo.err, "-o: not a regular file") != NULL, "%s", fifo.err);
	cr_assert(eq(int, null.status, 1));
	cr_assert(eq(int, link.status, 0), "%s", link.err);
	cr_assert(eq(str, kinds.out, "fifo\nsymbolic link\ncharacter special file\n"), "all still what they were");
	cr_assert(eq(int, v.status, 0), "the link's target got the table: %s", v.err);
	cr_assert(eq(int, longo.status, 1));
	cr_assert(strstr(longo.err, "longer than PATH_MAX") != NULL, "%s", longo.err);
	run_free(&r);
	run_free(&fifo);
	run_free(&null);
	run_free(&link);
	run_free(&kinds);
	run_free(&v);
	run_free(&longo);
	free(dir);
	free(elf);
}

Test(ksympatch, fifo_as_input_fails_at_once)
{
	char *dir = tmp_dir();
	struct run r = run("mkfifo %s/in && timeout 10 %s dump %s/in", dir, tool(), dir);

	cr_assert(eq(int, r.status, 1), "exit %d (124: it hung)", r.status);
	cr_assert(strstr(r.err, "not a regular file") != NULL, "%s", r.err);
	run_free(&r);
	free(dir);
}

/* --section names the placeholder: a section with contents that is not one is left alone. */
Test(ksympatch, a_section_that_is_not_a_placeholder_is_not_overwritten)
{
	char *elf = tmp_copy("gnu-le");
	size_t lb, la;
	char *before = read_file(elf, &lb);
	struct run r = run("%s patch --section .text %s", tool(), elf);
	char *after = read_file(elf, &la);

	cr_assert(eq(int, r.status, 1));
	cr_assert(strstr(r.err, "[.text]: not a placeholder") != NULL, "%s", r.err);
	cr_assert(lb == la && memcmp(before, after, lb) == 0, "the file is unchanged");
	run_free(&r);
	free(before);
	free(after);
	free(elf);
}

/* A raw image (objcopy -O binary, as the Raspberry Pi boots) made before the patch is caught. */
ParameterizedTestParameters(ksympatch, verify_image_catches_a_raw_image_made_before_the_patch)
{
	static struct fix raw_fixtures[] = {
		{ "gnu-le", "", EM_AARCH64 }, { "gnu-lma", "", EM_AARCH64 }, { "lld-be", "", EM_AARCH64 },
		{ "lld-thumb", "arm-linux-gnueabihf-", EM_ARM },
	};
	return cr_make_param_array(struct fix, raw_fixtures, N(raw_fixtures));
}

ParameterizedTest(struct fix *f, ksympatch, verify_image_catches_a_raw_image_made_before_the_patch)
{
	char *elf = tmp_copy(f->name);
	struct run mk = run("%sobjcopy -O binary %s %s.stale && %s patch %s && %sobjcopy -O binary %s %s.img",
			    fix_binutils(f), elf, elf, tool(), elf, fix_binutils(f), elf, elf);
	struct run good = run("%s verify --image %s.img %s", tool(), elf, elf);
	struct run stale = run("%s verify --image %s.stale %s", tool(), elf, elf);

	cr_assert(eq(int, mk.status, 0), "%s", mk.err);
	cr_assert(eq(int, good.status, 0), "%s: %s", f->name, good.err);
	cr_assert(strstr(good.out, ", and so does ") != NULL, "%s", good.out);
	cr_assert(eq(int, stale.status, 1), "%s", f->name);
	cr_assert(eq(sz, count_lines(stale.err), 1), "%s", stale.err);
	cr_assert(strstr(stale.err, "stale raw image: its symbol table at byte 0x") != NULL, "%s", stale.err);
	run_free(&mk);
	run_free(&good);
	run_free(&stale);
	free(elf);
}

/* e_shnum 0: the count is in section 0's sh_size (ELF extended numbering, for 0xff00+ sections). */
Test(ksympatch, extended_section_numbering_is_read_as_binutils_does)
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

Test(ksympatch, output_that_cannot_be_written_fails)
{
	char *elf = patched_copy("gnu-le");
	struct run d = run("%s dump %s > /dev/full", tool(), elf);
	struct run l = run("%s lookup %s 0x40080000 > /dev/full", tool(), elf);
	struct run v = run("%s verify %s > /dev/full", tool(), elf);

	cr_assert(eq(int, d.status, 1), "dump: %s", d.err);
	cr_assert(eq(int, l.status, 1), "lookup: %s", l.err);
	cr_assert(eq(int, v.status, 1), "verify: %s", v.err);
	cr_assert(strstr(d.err, "cannot write the output: No space left on device") != NULL, "%s", d.err);
	run_free(&d);
	run_free(&l);
	run_free(&v);
	free(elf);
}

Test(ksympatch, section_and_count_symbol_options_are_honoured)
{
	char *elf = tmp_copy("gnu-le");
	struct run sec = run("%s patch --section .no_such_section %s", tool(), elf);
	struct run cnt = run("%s patch --count-symbol counter %s", tool(), elf);

	expect_failure(&sec, elf, "no section .no_such_section");
	expect_failure(&cnt, elf, "counter is 4 bytes, not 8");
	run_free(&sec);
	run_free(&cnt);
	free(elf);
}

Test(ksympatch, patching_through_a_symlink_patches_the_target_and_keeps_the_link)
{
	char *elf = tmp_copy("gnu-le"), link[700];
	struct run r, v;
	struct stat st;

	snprintf(link, sizeof(link), "%s.link", elf);
	cr_assert(eq(int, symlink(elf, link), 0));
	r = run("%s patch %s", tool(), link);
	v = run("%s verify %s", tool(), elf);
	cr_assert(eq(int, r.status, 0), "%s", r.err);
	cr_assert(eq(int, v.status, 0), "%s", v.err);
	cr_assert(eq(int, lstat(link, &st), 0));
	cr_assert(eq(u32, st.st_mode & S_IFMT, S_IFLNK), "the link is still a link");
	run_free(&r);
	run_free(&v);
	free(elf);
}
