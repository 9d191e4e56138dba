/* SPDX-License-Identifier: MIT */
/*
 * The table inside an ELF, as dump, lookup and verify read it: the
 * placeholder section and the count symbol located through the program
 * headers (elf_place.c), then opened with the same runtime code the kernel
 * runs (runtime/ksym.c), so what the host reports is what the kernel sees.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ksym/format.h>

#include "diag.h"
#include "table.h"

int ksp_table_locate(const struct ksp_elf *elf, const struct ksp_options *o, struct ksp_embedded *e)
{
	memset(e, 0, sizeof(*e));
	if (ksp_elf_section(elf, o->section, &e->sec) < 0 ||
	    ksp_elf_count_symbol(elf, o->count_symbol, &e->count) < 0)
		return -1;
	if (e->count.offset < e->sec.offset + e->sec.size && e->sec.offset < e->count.offset + 8) {
		ksp_error(elf->path, "%s lies inside %s; define it outside the placeholder", o->count_symbol,
			  o->section);
		return -1;
	}
	return 0;
}

static void table_error(const struct ksp_elf *elf, const struct ksp_options *o, int status, const char *why)
{
	switch (status) {
	case KSYM_ERR_UNPATCHED:
		ksp_error(elf->path, "[%s]: unpatched: symbol table not patched; run `ksympatch patch %s`",
			  o->section, elf->path);
		break;
	case KSYM_ERR_VERSION:
		ksp_error(elf->path, "[%s]: wrong format version: %s (this ksympatch reads version %d); patch it again",
			  o->section, why, KSYM_FORMAT_VERSION);
		break;
	default:
		ksp_error(elf->path, "[%s]: corrupt: %s; patch it again", o->section, why);
		break;
	}
}

int ksp_table_open(struct ksp_elf *elf, const char *path, const struct ksp_options *o,
		   struct ksp_embedded *e)
{
	const char *why = "";
	int status;

	if (ksp_elf_open(elf, path) < 0 || ksp_table_locate(elf, o, e) < 0)
		return -1;
	e->count_value = ksp_elf_get64(elf, elf->map + e->count.offset);
	e->data = elf->map + e->sec.offset; /* the format reads bytes: any alignment will do */
	status = ksym_open(&e->table, e->data, e->sec.size, e->count_value, &why);
	if (status != KSYM_OK) {
		table_error(elf, o, status, why);
		return -1;
	}
	return 0;
}

int ksp_table_open_verified(struct ksp_elf *elf, const char *path, const struct ksp_options *o,
			    struct ksp_embedded *e)
{
	const char *why = "";
	int status;

	if (ksp_table_open(elf, path, o, e) < 0)
		return -1;
	status = ksym_verify(&e->table, &why);
	if (status != KSYM_OK) {
		table_error(elf, o, status, why);
		return -1;
	}
	return 0;
}

/* Make room for n + 1 bytes at *p (*cap of them now); 0, or -1 when out of memory. */
static int room(char **p, size_t *cap, size_t n)
{
	char *bigger;

	if (n < *cap)
		return 0;
	bigger = realloc(*p, n + 1);
	if (!bigger)
		return -1;
	*p = bigger;
	*cap = n + 1;
	return 0;
}

/* The text, decoded into b->raw, then escaped into b->p (ksp_escape: one answer is one line). */
static const char *fill(struct ksp_text *b, const struct ksym_table *t, const struct ksym_symbol *s,
			uint64_t addr, int with_addr)
{
	size_t n;

	for (;;) {
		n = with_addr ? ksym_format(t, b->raw, b->raw_cap, s, addr) : ksym_name(t, s, b->raw, b->raw_cap);
		if (n < b->raw_cap)
			break;
		if (room(&b->raw, &b->raw_cap, n) < 0)
			return NULL;
	}
	while ((n = ksp_escape(b->p, b->cap, b->raw)) >= b->cap)
		if (room(&b->p, &b->cap, n) < 0)
			return NULL;
	return b->p;
}

void ksp_text_free(struct ksp_text *b)
{
	free(b->p);
	free(b->raw);
}

const char *ksp_text_name(struct ksp_text *b, const struct ksym_table *t, const struct ksym_symbol *s)
{
	return fill(b, t, s, 0, 0);
}

const char *ksp_text_at(struct ksp_text *b, const struct ksym_table *t, const struct ksym_symbol *s,
			uint64_t addr)
{
	return fill(b, t, s, addr, 1);
}

/* One line as nm -n -S prints it, addresses w hex digits wide. */
void ksp_print_nm_line(const struct ksym_symbol *s, const char *name, int w)
{
	if (s->size) /* nm -S prints no size for a symbol of size 0 */
		printf("%0*" PRIx64 " %0*" PRIx64 " %c %s\n", w, s->start, w, s->size, s->type, name);
	else
		printf("%0*" PRIx64 " %c %s\n", w, s->start, s->type, name);
}
