/*
 * Tests of patcher/cmd_dump.c: dump against nm -n -S, line by line.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/parameterized.h>
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

ParameterizedTestParameters(cmd_dump, dump_matches_nm)
{
	return cr_make_param_array(struct fix, good_fixtures, n_good_fixtures);
}

ParameterizedTest(struct fix *f, cmd_dump, dump_matches_nm)
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
