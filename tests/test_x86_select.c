/*
 * The selection rules on x86 (EM_386, EM_X86_64), against binutils on the
 * same ELF: `ksympatch dump` is `nm -n -S` less what the rules leave out,
 * on the x86 fixtures (tests/x86_fixtures.mk: GCC + GNU ld and clang +
 * ld.lld, i386 with -fpic and x86_64, assembler-local labels kept in the
 * symbol table) and on the PC kernels that boot in the QEMU tests.
 *
 *  - assembler-local labels (.L..., clang's .L1$pb too) are never kept,
 *    though nm lists them;
 *  - __x86.get_pc_thunk.* (GCC, i386 -fpic) are kept: real functions a
 *    fault or a backtrace can be in, as Linux's kallsyms keeps them; GCC
 *    gives them no size, so the table gives them the distance to the next
 *    symbol, which is the thunk's code by objdump -d;
 *  - functions compiled into .text.unlikely (cold, GCC's .cold parts) and
 *    .text.startup (objdump -t on the object says where) are kept like
 *    any other function.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/parameterized.h>
#include <elf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "ksympatch.h"

struct x86_elf {
	char name[32];	/* a fixture, or BOARD-TOOLCHAIN of a booted kernel */
	int machine;
	int booted;	/* build/BOARD-TOOLCHAIN/kernel.elf, as it booted */
};

static struct x86_elf elves[] = {
	{ "gnu-i386", EM_386, 0 },		{ "lld-i386", EM_386, 0 },
	{ "gnu-x86_64", EM_X86_64, 0 },	{ "lld-x86_64", EM_X86_64, 0 },
	{ "pc-i386-gnu", EM_386, 1 },		{ "pc-i386-llvm", EM_386, 1 },
	{ "pc-x86_64-gnu", EM_X86_64, 1 },	{ "pc-x86_64-llvm", EM_X86_64, 1 },
};

/* A patched ELF of e: a patched copy of the fixture, or the booted kernel itself. */
static char *patched(const struct x86_elf *e)
{
	char path[512];

	if (e->booted) {
		snprintf(path, sizeof(path), "%s/%s/kernel.elf", build_dir(), e->name);
		return tmp_copy_of(path);
	}
	return patch_copy(e->name, "", NULL);
}

static const struct nm_line *by_name(const struct nm_line *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].name, name))
			return &v[i];
	return NULL;
}

/* The ELF's e_machine, by readelf -h. */
static int machine_of(const char *elf)
{
	struct run r = run("readelf -h %s | awk '/Machine:/ { $1 = \"\"; print }'", elf);
	int m = strstr(r.out, "80386") ? EM_386 : strstr(r.out, "X86-64") ? EM_X86_64 : -1;

	run_free(&r);
	return m;
}

ParameterizedTestParameters(x86_select, dump_is_nm_less_the_assembler_local_labels)
{
	return cr_make_param_array(struct x86_elf, elves, KSP_ARRAY_SIZE(elves));
}

/*
 * Every dump line is nm's line for that symbol (an unsized code label:
 * with the distance to the next symbol nm lists), every sized function and
 * object nm lists is in the dump, and no .L label is, though the fixtures'
 * nm lists some.
 */
ParameterizedTest(struct x86_elf *e, x86_select, dump_is_nm_less_the_assembler_local_labels)
{
	char *elf = patched(e);
	struct run d = run("%s dump %s", tool(), elf), nm = run("nm -n -S %s", elf);
	struct nm_line *dl, *nl;
	size_t nd = parse_nm(d.out, &dl), nn = parse_nm(nm.out, &nl), locals = 0;

	cr_assert(eq(int, machine_of(elf), e->machine), "%s", e->name);
	cr_assert(eq(int, d.status, 0), "%s", d.err);
	cr_assert(gt(sz, nd, 8), "%s: dump too short", e->name);
	for (size_t i = 0; i < nd; i++) {
		const struct nm_line *o = NULL;

		for (size_t j = 0; j < nn && !o; j++)
			if (nl[j].start == dl[i].start && !strcmp(nl[j].name, dl[i].name))
				o = &nl[j];
		cr_assert(o != NULL, "%s: dump has %s, nm does not", e->name, dl[i].text);
		cr_assert(strncmp(dl[i].name, ".L", 2) != 0, "%s: %s", e->name, dl[i].text);
		if (o->has_size || !dl[i].has_size) {
			cr_assert(eq(str, dl[i].text, (char *)o->text), "%s", e->name);
			continue;
		}
		cr_assert(eq(chr, dl[i].type, o->type), "%s: %s", e->name, dl[i].text);
		cr_assert(strchr("Tt", o->type) != NULL, "%s: only code labels get a size: %s", e->name, o->text);
		for (const struct nm_line *next = o + 1; next < nl + nn; next++)
			if (next->start > o->start) {
				cr_assert(eq(u64, dl[i].size, next->start - o->start), "%s: size of %s", e->name,
					  o->name);
				break;
			}
	}
	for (size_t j = 0; j < nn; j++) {
		int in_dump = 0;

		locals += !strncmp(nl[j].name, ".L", 2);
		if (!nl[j].has_size || !nl[j].size || !strchr("TtDdRrBb", nl[j].type))
			continue;
		for (size_t i = 0; i < nd && !in_dump; i++)
			in_dump = dl[i].start == nl[j].start && !strcmp(dl[i].name, nl[j].name);
		cr_assert(in_dump, "%s: nm has %s, dump does not", e->name, nl[j].text);
	}
	if (!e->booted)
		cr_assert(gt(sz, locals, 1), "%s: the fixture keeps .L labels (-Wa,-L):\n%s", e->name, nm.out);
	free(dl);
	free(nl);
	run_free(&d);
	run_free(&nm);
	free(elf);
}

/*
 * GCC's i386 PC thunks: in the dump at nm's address, sized by the code
 * objdump -d shows for them, and named so by addr2line and by lookup.
 */
Test(x86_select, get_pc_thunks_are_kept_with_the_size_of_their_code)
{
	struct x86_elf e = elves[0];
	char *elf = patched(&e);
	struct run d = run("%s dump %s", tool(), elf), nm = run("nm -n -S %s", elf);
	struct nm_line *dl, *nl;
	size_t nd = parse_nm(d.out, &dl), nn = parse_nm(nm.out, &nl), thunks = 0;

	for (size_t j = 0; j < nn; j++) {
		const struct nm_line *t = by_name(dl, nd, nl[j].name);
		struct run code, a2l, look;
		unsigned long long bytes;

		if (strncmp(nl[j].name, "__x86.get_pc_thunk.", 19))
			continue;
		thunks++;
		cr_assert(t != NULL, "%s is not in the dump", nl[j].name);
		cr_assert(eq(u64, t->start, nl[j].start));
		/* The bytes of its instructions, from the disassembly. */
		code = run("objdump -d --start-address=0x%" PRIx64 " --stop-address=0x%" PRIx64
			   " %s | awk -F'\\t' '/^ *[0-9a-f]+:/ { n += split($2, b, \" \") } END { print n }'",
			   nl[j].start, nl[j].start + t->size, elf);
		bytes = strtoull(code.out, NULL, 10);
		cr_assert(eq(u64, t->size, bytes), "%s: size vs objdump -d", nl[j].name);
		a2l = run("addr2line -f -e %s 0x%" PRIx64 " | head -1", elf, nl[j].start + t->size - 1);
		a2l.out[strcspn(a2l.out, "\n")] = '\0';
		cr_assert(eq(str, a2l.out, nl[j].name));
		look = run("%s lookup %s 0x%" PRIx64, tool(), elf, nl[j].start + t->size - 1);
		cr_assert(strstr(look.out, nl[j].name) != NULL, "%s", look.out);
		run_free(&code);
		run_free(&a2l);
		run_free(&look);
	}
	cr_assert(ge(sz, thunks, 1), "GCC -m32 -fpic calls a get_pc_thunk:\n%s", nm.out);
	free(dl);
	free(nl);
	run_free(&d);
	run_free(&nm);
	free(elf);
}

ParameterizedTestParameters(x86_select, cold_and_startup_functions_are_kept)
{
	return cr_make_param_array(struct x86_elf, elves, 4);
}

/* The object's section for a symbol, by objdump -t ("" if it has none). */
static void section_in_object(const char *obj, const char *name, char *out, size_t len)
{
	struct run r = run("objdump -t %s | awk '$NF == \"%s\" { print $(NF - 2) }'", obj, name);

	r.out[strcspn(r.out, "\n")] = '\0';
	snprintf(out, len, "%s", r.out);
	run_free(&r);
}

ParameterizedTest(struct x86_elf *e, x86_select, cold_and_startup_functions_are_kept)
{
	static const struct {
		const char *name, *section;
	} funcs[] = {
		{ "x86_cold_path", ".text.unlikely" },
		{ "x86_startup", ".text.startup" },
		{ "x86_split.cold", ".text.unlikely" }, /* GCC only */
	};
	char *elf = patched(e), obj[512], sec[64];
	struct run d = run("%s dump %s", tool(), elf), nm = run("nm -n -S %s", elf);
	struct nm_line *dl, *nl;
	size_t nd = parse_nm(d.out, &dl), nn = parse_nm(nm.out, &nl), found = 0;

	snprintf(obj, sizeof(obj), "%s/fixtures/%s/select.c.o", build_dir(), e->name);
	for (size_t i = 0; i < KSP_ARRAY_SIZE(funcs); i++) {
		const struct nm_line *n = by_name(nl, nn, funcs[i].name), *t = by_name(dl, nd, funcs[i].name);

		section_in_object(obj, funcs[i].name, sec, sizeof(sec));
		if (!n) {
			cr_assert(strstr(funcs[i].name, ".cold") && !strncmp(e->name, "lld", 3),
				  "%s: nm lists no %s", e->name, funcs[i].name);
			continue;
		}
		/* clang names the cold section ".text.unlikely." */
		cr_assert(strncmp(sec, funcs[i].section, strlen(funcs[i].section)) == 0, "%s: %s is in %s", e->name,
			  funcs[i].name, sec);
		cr_assert(t != NULL, "%s: %s is not in the dump", e->name, funcs[i].name);
		cr_assert(eq(str, (char *)t->text, (char *)n->text), "%s", e->name);
		found++;
	}
	cr_assert(ge(sz, found, 2));
	free(dl);
	free(nl);
	run_free(&d);
	run_free(&nm);
	free(elf);
}
