/* SPDX-License-Identifier: MIT */
/*
 * ksympatch dump: the embedded table as nm -n -S prints the same symbols,
 * read back through the runtime the kernel runs (table.c), so the host
 * shows exactly what the kernel will.
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "table.h"

/* One line of dump: a symbol and its decoded name. */
struct dump_line {
	struct ksym_symbol s;
	char *name;
};

/* nm -n's order among symbols at one address: by name, then type letter. */
static int cmp_dump_line(const void *pa, const void *pb)
{
	const struct dump_line *a = pa, *b = pb;
	int c = strcmp(a->name, b->name);

	return c ? c : (a->s.type > b->s.type) - (a->s.type < b->s.type);
}

static void print_group(struct dump_line *g, size_t n, int w)
{
	qsort(g, n, sizeof(*g), cmp_dump_line);
	for (size_t i = 0; i < n; i++) {
		ksp_print_nm_line(&g[i].s, g[i].name, w);
		free(g[i].name);
	}
}

/* Append symbol s and its name to the group of one address, printing the group before when s starts the next. */
static int add_to_group(struct dump_line **g, size_t *n, size_t *cap, const struct ksym_symbol *s,
			const char *name, int w)
{
	if (*n && (*g)[0].s.start != s->start) {
		print_group(*g, *n, w);
		*n = 0;
	}
	if (*n == *cap) {
		struct dump_line *bigger = realloc(*g, (2 * *cap + 8) * sizeof(**g));

		if (!bigger)
			return -1;
		*g = bigger;
		*cap = 2 * *cap + 8;
	}
	(*g)[*n].s = *s;
	(*g)[*n].name = name ? strdup(name) : NULL;
	return (*g)[(*n)++].name ? 0 : -1;
}

/*
 * The table as nm -n -S prints the same symbols: by address, and at one
 * address by name (the table's own order there, smallest and global first,
 * is the lookup's, not nm's).
 */
int ksp_cmd_dump(const char *path, const struct ksp_options *o, char **args, int nargs)
{
	struct ksp_elf elf;
	struct ksp_embedded e;
	struct dump_line *g = NULL;
	struct ksp_text name = { 0 };
	size_t n = 0, cap = 0;
	int ret = -1;

	(void)args;
	(void)nargs;
	if (ksp_table_open_verified(&elf, path, o, &e) < 0)
		goto out;
	for (uint32_t i = 0; i < e.table.count; i++) {
		struct ksym_symbol s;

		ksym_symbol_at(&e.table, i, &s);
		if (add_to_group(&g, &n, &cap, &s, ksp_text_name(&name, &e.table, &s), 2 * e.table.addr_size) < 0) {
			ksp_error(path, "out of memory");
			goto out;
		}
	}
	print_group(g, n, 2 * e.table.addr_size);
	n = 0;
	ret = 0;
out:
	while (n)
		free(g[--n].name);
	free(g);
	ksp_text_free(&name);
	ksp_elf_close(&elf);
	return ret;
}
