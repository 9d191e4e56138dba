/* SPDX-License-Identifier: MIT */
/*
 * Symbol selection: which ELF symbols go into the table, and with what size.
 *
 * Strategy: one pass keeps functions and objects in allocated sections and
 * untyped labels in code sections, minus the names on the skip list (a
 * table, not a chain of ifs).  Over the candidates sorted by section and
 * address, a forward sweep drops the untyped labels inside a sized function
 * (places in it) and a backward sweep gives each size-0 code label
 * (assembly entry points without .size) the distance to the next selected
 * symbol in its section, or to the section's end.
 */
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "ksympatch.h"

enum skip_how {
	SKIP_PREFIX,  /* name starts with text */
	SKIP_MAPPING, /* name is text, or text followed by ".N" (ARM and AArch64) */
};

#define ANY_MACHINE 0
#define SKIP(text, how, machine) { text, sizeof(text) - 1, how, machine }

/*
 * Names that are never symbols of the kernel's own, by the rule binutils
 * uses for each architecture (machine: the ELF e_machine it applies to).
 */
static const struct {
	const char *text;
	size_t len;
	enum skip_how how;
	int machine;
} skip_list[] = {
	SKIP("$x", SKIP_MAPPING, ANY_MACHINE), /* AArch64/ARM mapping symbols */
	SKIP("$d", SKIP_MAPPING, ANY_MACHINE),
	SKIP("$t", SKIP_MAPPING, ANY_MACHINE),
	SKIP("$a", SKIP_MAPPING, ANY_MACHINE),
	SKIP("$x", SKIP_PREFIX, EM_RISCV), /* RISC-V: $x, $d, and $x<ISA string> */
	SKIP("$d", SKIP_PREFIX, EM_RISCV),
	SKIP(".L", SKIP_PREFIX, ANY_MACHINE), /* assembler-local labels */
	SKIP("__AArch64ADRPThunk_", SKIP_PREFIX, ANY_MACHINE), /* ld.lld thunks */
	SKIP("__AArch64AbsLongThunk_", SKIP_PREFIX, ANY_MACHINE),
	SKIP("__ARMv7ABSLongThunk_", SKIP_PREFIX, ANY_MACHINE),
	SKIP("__ARMV7PILongThunk_", SKIP_PREFIX, ANY_MACHINE),
	SKIP("__ThumbV7ABSLongThunk_", SKIP_PREFIX, ANY_MACHINE),
	SKIP("__ThumbV7PILongThunk_", SKIP_PREFIX, ANY_MACHINE),
};

/*
 * Suffixes of the stubs GNU ld generates (__foo_veneer, interworking
 * __foo_from_arm): a rule for what the linker makes, so it applies only to
 * symbols the compiler did not (untyped, or unsized); a C function called
 * irq_veneer keeps its name.
 */
static const struct {
	const char *text;
	size_t len;
} stub_suffixes[] = {
	{ "_veneer", 7 }, { "_from_arm", 9 }, { "_from_thumb", 11 },
};

/* text at name[at], comparing the first byte inline: most names differ there. */
static int text_at(const char *name, size_t at, const char *text, size_t n)
{
	return name[at] == text[0] && memcmp(name + at, text, n) == 0;
}

/* Does some entry of the skip list start with byte c?  Most names start none, and are done at once. */
static int is_skip_start(unsigned char c)
{
	static unsigned char starts[256], ready;

	if (!ready) {
		for (size_t i = 0; i < KSP_ARRAY_SIZE(skip_list); i++)
			starts[(unsigned char)skip_list[i].text[0]] = 1;
		ready = 1;
	}
	return starts[c];
}

int ksp_is_skipped_name(const char *name, int machine)
{
	size_t len;

	if (!is_skip_start((unsigned char)name[0]))
		return 0;
	len = strlen(name);
	for (size_t i = 0; i < KSP_ARRAY_SIZE(skip_list); i++) {
		const char *text = skip_list[i].text;
		size_t n = skip_list[i].len;

		if (len < n || (skip_list[i].machine != ANY_MACHINE && skip_list[i].machine != machine))
			continue;
		if (!text_at(name, 0, text, n))
			continue;
		if (skip_list[i].how == SKIP_PREFIX || name[n] == '\0' || name[n] == '.')
			return 1;
	}
	return 0;
}

static int linker_stub(const struct ksp_elf_sym *s)
{
	size_t len;

	if (s->kind == KSP_FUNC && s->size)
		return 0; /* the compiler's: sized and typed */
	len = strlen(s->name);
	for (size_t i = 0; i < KSP_ARRAY_SIZE(stub_suffixes); i++)
		if (len >= stub_suffixes[i].len &&
		    text_at(s->name, len - stub_suffixes[i].len, stub_suffixes[i].text, stub_suffixes[i].len))
			return 1;
	return 0;
}

static int keep(const struct ksp_elf_sym *s, const struct ksp_section *sections,
		size_t nsections, int machine)
{
	if (s->section < 0 || (size_t)s->section >= nsections)
		return 0; /* undefined or absolute */
	if (!sections[s->section].alloc || !s->name[0] || ksp_is_skipped_name(s->name, machine) ||
	    linker_stub(s))
		return 0;
	switch (s->kind) {
	case KSP_FUNC:
	case KSP_OBJECT:
		return 1;
	case KSP_NOTYPE:
		return sections[s->section].code;
	default:
		return 0; /* section and file symbols */
	}
}

static int cmp_section_start(const void *pa, const void *pb)
{
	const struct ksp_sym *a = pa, *b = pb;

	if (a->section != b->section)
		return a->section < b->section ? -1 : 1;
	return a->start < b->start ? -1 : a->start > b->start;
}

/* The greatest last byte of the sized symbols seen, if any (a last byte, not an end: 2^64 fits). */
struct reach {
	int any;
	uint64_t last;
};

static void extend(struct reach *r, const struct ksp_sym *s)
{
	if (s->size && (!r->any || s->start + (s->size - 1) > r->last))
		*r = (struct reach){ 1, s->start + (s->size - 1) };
}

static int is_inside(const struct reach *r, uint64_t addr)
{
	return r->any && addr <= r->last;
}

/*
 * Forward sweep over out (sorted by section and start): a size-0 label
 * strictly inside a sized symbol of its section is a place in that
 * function, and goes (glibc's __wrap_main inside _start: the function keeps
 * its addresses, as addr2line says), unless the assembler typed it as a
 * function: then it is an entry point (lk's exception stubs inside its
 * sized vector table), kept, and may reach no further than the enclosing
 * symbol (bound).  reach covers the sized symbols that start earlier in
 * the section; group adds the ones that start here.  Returns how many stay.
 */
static size_t drop_inner_labels(struct ksp_sym *out, size_t m, const struct ksp_section *sections)
{
	struct reach reach = { 0 }, group = { 0 };
	size_t k = 0;

	for (size_t i = 0; i < m; i++) {
		struct ksp_sym s = out[i];

		if (i == 0 || s.section != out[i - 1].section)
			reach = group = (struct reach){ 0 };
		else if (s.start != out[i - 1].start)
			reach = group;
		extend(&group, &s);
		s.bound = UINT64_MAX;
		if (s.size == 0 && sections[s.section].code && is_inside(&reach, s.start)) {
			if (!s.typed_func)
				continue;
			s.bound = reach.last;
		}
		out[k++] = s;
	}
	return k;
}

/*
 * Backward sweep: a size-0 code label reaches the nearest greater start in
 * its section, or the section's end, and no further than its bound.
 * next is the last byte before that start (a last byte: a section that
 * ends at 2^64 has one).
 */
static void size_labels(struct ksp_sym *out, size_t m, const struct ksp_section *sections)
{
	struct reach next = { 0 };

	for (size_t i = m; i-- > 0;) {
		const struct ksp_section *sec = &sections[out[i].section];
		uint64_t last;

		if (i + 1 == m || out[i + 1].section != out[i].section)
			next = (struct reach){ sec->size != 0, sec->vma + (sec->size - 1) };
		else if (out[i + 1].start != out[i].start)
			next = (struct reach){ 1, out[i + 1].start - 1 };
		last = next.last < out[i].bound ? next.last : out[i].bound;
		if (out[i].size == 0 && sec->code && next.any && last >= out[i].start)
			out[i].size = last - out[i].start + 1;
	}
}

size_t ksp_select(const struct ksp_elf_sym *in, size_t n, const struct ksp_section *sections, size_t nsections,
		  int machine, struct ksp_sym *out)
{
	size_t m = 0;
	int labels = 0;

	for (size_t i = 0; i < n; i++) {
		if (!keep(&in[i], sections, nsections, machine))
			continue;
		out[m++] = (struct ksp_sym){
			.start = in[i].addr,
			.size = in[i].size,
			.name = in[i].name,
			.type = in[i].type,
			.bind = (uint8_t)in[i].bind,
			.section = in[i].section,
			.func = in[i].kind != KSP_OBJECT, /* functions and code labels */
			.typed_func = in[i].kind == KSP_FUNC,
		};
		labels |= in[i].size == 0 && sections[in[i].section].code;
	}
	if (labels) {
		qsort(out, m, sizeof(*out), cmp_section_start);
		m = drop_inner_labels(out, m, sections);
		size_labels(out, m, sections);
	}
	ksp_sort(out, m);
	return m;
}

static int cmp_table_order(const void *pa, const void *pb)
{
	const struct ksp_sym *a = pa, *b = pb;
	int c;

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->size != b->size)
		return a->size < b->size ? -1 : 1;
	if (a->bind != b->bind)
		return a->bind < b->bind ? -1 : 1;
	c = (int)strspn(a->name, "_") - (int)strspn(b->name, "_");
	if (c)
		return c;
	c = strcmp(a->name, b->name);
	if (c)
		return c;
	return (a->type > b->type) - (a->type < b->type);
}

/*
 * Sort by start with an LSD radix sort (one pass per byte in which the
 * starts differ), then put each group of equal starts in full table order:
 * groups are small, so this is O(n) where qsort was O(n log n) calls.
 */
struct start_key {
	uint64_t start;
	uint32_t i;
};

static int radix_sort(struct start_key *k, size_t n)
{
	struct start_key *tmp = ksp_alloc(n * sizeof(*tmp));
	uint64_t all_or = 0, all_and = UINT64_MAX;

	if (!tmp)
		return -1;
	for (size_t i = 0; i < n; i++) {
		all_or |= k[i].start;
		all_and &= k[i].start;
	}
	for (int shift = 0; shift < 64; shift += 8) {
		size_t count[257] = { 0 };

		if (!(((all_or ^ all_and) >> shift) & 0xff))
			continue; /* every start has the same byte here */
		for (size_t i = 0; i < n; i++)
			count[((k[i].start >> shift) & 0xff) + 1]++;
		for (int b = 0; b < 256; b++)
			count[b + 1] += count[b];
		for (size_t i = 0; i < n; i++)
			tmp[count[(k[i].start >> shift) & 0xff]++] = k[i];
		memcpy(k, tmp, n * sizeof(*k));
	}
	free(tmp);
	return 0;
}

/*
 * Place j takes the symbol at k[j].i: gathered into a copy, asking for the
 * symbols a few places ahead (they are all over the array; a permutation in
 * place, cycle by cycle, would wait on each).  -1 when out of memory.
 */
#define GATHER_AHEAD 8

static int permute(struct ksp_sym *syms, const struct start_key *k, size_t n)
{
	struct ksp_sym *out = ksp_alloc(n * sizeof(*out));

	if (!out)
		return -1;
	for (size_t j = 0; j < n; j++) {
		if (j + GATHER_AHEAD < n)
			__builtin_prefetch(&syms[k[j + GATHER_AHEAD].i]);
		out[j] = syms[k[j].i];
	}
	memcpy(syms, out, n * sizeof(*syms));
	free(out);
	return 0;
}

void ksp_sort(struct ksp_sym *syms, size_t n)
{
	struct start_key *k;

	if (n < 2)
		return;
	k = ksp_alloc(n * sizeof(*k));
	for (size_t i = 0; k && i < n; i++)
		k[i] = (struct start_key){ syms[i].start, (uint32_t)i };
	if (!k || radix_sort(k, n) < 0 || permute(syms, k, n) < 0) {
		qsort(syms, n, sizeof(*syms), cmp_table_order); /* no memory for the fast path */
		free(k);
		return;
	}
	for (size_t g = 0, e; g < n; g = e) {
		for (e = g + 1; e < n && syms[e].start == syms[g].start; e++)
			;
		if (e - g > 1)
			qsort(syms + g, e - g, sizeof(*syms), cmp_table_order);
	}
	free(k);
}
