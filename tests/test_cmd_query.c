/*
 * Tests of patcher/cmd_query.c: dump against nm -n -S, lookup against addr2line -f, verify.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/parameterized.h>
#include <elf.h>
#include <stdio.h>

#include "helpers.h"
#include "ksympatch.h"

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

/* Is addr inside any sized symbol nm lists, or where an unsized label starts? */
static int covered(const struct nm_line *v, size_t n, uint64_t addr)
{
	for (size_t i = 0; i < n; i++)
		if ((v[i].has_size && addr - v[i].start < v[i].size) || (!v[i].has_size && v[i].start == addr))
			return 1;
	return 0;
}

ParameterizedTestParameters(cmd_query, dump_matches_nm)
{
	return cr_make_param_array(struct fix, good_fixtures, n_good_fixtures);
}

ParameterizedTest(struct fix *f, cmd_query, dump_matches_nm)
{
	char *elf = patch_copy(f->name, "", NULL);
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
		const struct nm_line *o = nm_find(nl, nn, dl[i].start, dl[i].name);

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
		if (!nm_find(dl, nd, nl[i].start, nl[i].name))
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
		cr_assert(nm_find(dl, nd, nl[i].start, nl[i].name) != NULL, "%s: nm has %s, dump does not",
			  f->name, nl[i].text);
	}
	free(dl);
	free(nl);
	run_free(&d);
	run_free(&nm);
	run_free(&tls);
	free(elf);
}

ParameterizedTestParameters(cmd_query, lookup_matches_addr2line)
{
	return cr_make_param_array(struct fix, good_fixtures, n_good_fixtures);
}

ParameterizedTest(struct fix *f, cmd_query, lookup_matches_addr2line)
{
	char *elf = patch_copy(f->name, "", NULL);
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

Test(cmd_query, verify_passes_on_a_patched_file)
{
	char *elf = patch_copy("gnu-le", "", NULL);
	struct run r = run("%s verify %s", tool(), elf);

	cr_assert(eq(int, r.status, 0), "%s", r.err);
	run_free(&r);
	free(elf);
}

Test(cmd_query, verify_names_the_first_stale_symbol_after_a_code_change)
{
	/* gnu-stale is gnu-le relinked after small_leaf grew; give it gnu-le's old table. */
	char *old = patch_copy("gnu-le", "", NULL), *elf = patch_copy("gnu-stale", "", NULL);
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

Test(cmd_query, lookup_takes_addresses_as_arguments_and_rejects_garbage)
{
	char *elf = patch_copy("gnu-le", "", NULL);
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

/* One answer per input line, as addr2line gives, and the first bad line reported once. */
Test(cmd_query, lookup_on_stdin_answers_every_line_and_names_the_bad_one)
{
	char *elf = patch_copy("gnu-le", "", NULL);
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
Test(cmd_query, long_names_come_back_whole)
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

/* A raw image (objcopy -O binary, as the Raspberry Pi boots) made before the patch is caught. */
ParameterizedTestParameters(cmd_query, verify_image_catches_a_raw_image_made_before_the_patch)
{
	static struct fix raw_fixtures[] = {
		{ "gnu-le", "", EM_AARCH64 }, { "gnu-lma", "", EM_AARCH64 }, { "lld-be", "", EM_AARCH64 },
		{ "lld-thumb", "arm-linux-gnueabihf-", EM_ARM },
	};
	return cr_make_param_array(struct fix, raw_fixtures, KSP_ARRAY_SIZE(raw_fixtures));
}

ParameterizedTest(struct fix *f, cmd_query, verify_image_catches_a_raw_image_made_before_the_patch)
{
	static const struct {
		const char *format, *stale;
	} kinds[] = {
		{ "binary", "stale raw image: its symbol table at byte 0x" },
		{ "ihex", "stale Intel HEX image: its symbol table at address 0x" },
		{ "srec", "stale S-record image: its symbol table at address 0x" },
	};

	for (size_t k = 0; k < KSP_ARRAY_SIZE(kinds); k++) {
		char *elf = tmp_copy(f->name);
		const char *o = kinds[k].format;
		struct run mk = run("%sobjcopy -O %s %s %s.stale && %s patch %s && %sobjcopy -O %s %s %s.img",
				    fix_binutils(f), o, elf, elf, tool(), elf, fix_binutils(f), o, elf, elf);
		struct run good = run("%s verify --image %s.img %s", tool(), elf, elf);
		struct run stale = run("%s verify --image %s.stale %s", tool(), elf, elf);

		cr_assert(eq(int, mk.status, 0), "%s", mk.err);
		cr_assert(eq(int, good.status, 0), "%s -O %s: %s", f->name, o, good.err);
		cr_assert(strstr(good.out, ", and so does ") != NULL, "%s", good.out);
		cr_assert(eq(int, stale.status, 1), "%s -O %s", f->name, o);
		cr_assert(eq(sz, count_lines(stale.err), 1), "%s", stale.err);
		cr_assert(strstr(stale.err, kinds[k].stale) != NULL, "%s", stale.err);
		run_free(&mk);
		run_free(&good);
		run_free(&stale);
		free(elf);
	}
}

/* --image takes regular files only, as the ELF argument does: a FIFO does not hang it, a directory is named. */
Test(cmd_query, verify_image_of_a_fifo_or_a_directory_fails_at_once, .timeout = 20)
{
	char *elf = patch_copy("gnu-le", "", NULL), *dir = tmp_dir();
	struct run fifo = run("mkfifo %s/fifo && timeout 10 %s verify --image %s/fifo %s", dir, tool(), dir, elf);
	struct run d = run("%s verify --image %s %s", tool(), dir, elf);

	expect_failure(&fifo, "fifo", "not a regular file (a FIFO or a device?)");
	expect_failure(&d, dir, "is a directory; give the raw image file");
	run_free(&fifo);
	run_free(&d);
	free(dir);
	free(elf);
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
Test(cmd_query, a_name_with_a_newline_stays_on_one_line)
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
