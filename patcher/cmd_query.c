/* SPDX-License-Identifier: MIT */
/*
 * The commands that read the table back: dump (as nm -n -S), lookup (as
 * addr2line, or by name) and verify (is it the table patch would write?).
 *
 * Strategy: open the embedded table with the runtime the kernel runs
 * (table.c) and print what it answers, so the host shows exactly what the
 * kernel will.  Output is line for line with the input where there is
 * input (lookup), and nm's where nm prints the same thing (dump).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "diag.h"
#include "raw_image.h"
#include "table.h"

/* ---- dump ----------------------------------------------------------------- */

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

/* One line as nm -n -S prints it, addresses w hex digits wide. */
static void print_nm_line(const struct ksym_symbol *s, const char *name, int w)
{
	if (s->size) /* nm -S prints no size for a symbol of size 0 */
		printf("%0*" PRIx64 " %0*" PRIx64 " %c %s\n", w, s->start, w, s->size, s->type, name);
	else
		printf("%0*" PRIx64 " %c %s\n", w, s->start, s->type, name);
}

static void print_group(struct dump_line *g, size_t n, int w)
{
	qsort(g, n, sizeof(*g), cmp_dump_line);
	for (size_t i = 0; i < n; i++) {
		print_nm_line(&g[i].s, g[i].name, w);
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
	if (ksp_table_open(&elf, path, o, &e) < 0)
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

/* ---- lookup --------------------------------------------------------------- */

/* Parse a hex address as addr2line does: optional 0x, hex digits only. */
static int parse_addr(const char *s, uint64_t *out)
{
	char *end;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (!*s || s[strspn(s, "0123456789abcdefABCDEF")]) /* hex digits only: not 0x0x1 */
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 16);
	return errno || *end ? -1 : 0;
}

/* What one lookup answered: printed, not there, or not an address at all. */
enum answer { ANSWERED, NOT_AN_ADDRESS, OUT_OF_MEMORY };

/* "TOKEN ??", the token escaped as names are: one answer, one line. */
static int print_unknown(const char *tok)
{
	char *e = ksp_escaped(tok);

	if (!e)
		return -1;
	printf("%s ??\n", e);
	free(e);
	return 0;
}

/*
 * One answer per address, as addr2line gives: "ADDR name+0xoff/0xsize", or
 * "ADDR ??" when no symbol contains it or it is not an address at all (so
 * the output stays line for line with the input).
 */
static enum answer lookup_addr(const struct ksym_table *t, const char *tok, struct ksp_text *buf)
{
	struct ksym_symbol s;
	uint64_t addr;
	const char *text;

	if (parse_addr(tok, &addr) < 0)
		return print_unknown(tok) < 0 ? OUT_OF_MEMORY : NOT_AN_ADDRESS;
	if (ksym_lookup_addr(t, addr, &s) != KSYM_OK)
		return print_unknown(tok) < 0 ? OUT_OF_MEMORY : ANSWERED;
	text = ksp_text_at(buf, t, &s, addr);
	if (!text)
		return OUT_OF_MEMORY;
	printf("%s %s\n", tok, text);
	return ANSWERED;
}

/*
 * lookup --name: every symbol called tok (overloads that demangle to one
 * name are several), one `nm -n -S` line each, or "NAME ??" when there is
 * none: a name that is not there is an answer too.
 */
static enum answer lookup_name(const struct ksym_table *t, const char *tok, struct ksp_text *buf)
{
	size_t n = ksym_lookup_name(t, tok, NULL, 0);
	struct ksym_symbol *s = n ? calloc(n, sizeof(*s)) : NULL;
	enum answer ret = ANSWERED;

	if (!n)
		return print_unknown(tok) < 0 ? OUT_OF_MEMORY : ANSWERED;
	if (!s)
		return OUT_OF_MEMORY;
	ksym_lookup_name(t, tok, s, n);
	for (size_t i = 0; i < n && ret == ANSWERED; i++) {
		const char *name = ksp_text_name(buf, t, &s[i]);

		if (name)
			print_nm_line(&s[i], name, 2 * t->addr_size);
		else
			ret = OUT_OF_MEMORY;
	}
	free(s);
	return ret;
}

struct lookup {
	const char *path;
	const struct ksym_table *table;
	enum answer (*one)(const struct ksym_table *, const char *, struct ksp_text *);
	struct ksp_text buf;
	int bad; /* tokens that were not addresses */
};

/* Answer one token; the first that is not an address is named (where: "" or " standard input line N"). */
static int answer(struct lookup *l, const char *tok, const char *where)
{
	switch (l->one(l->table, tok, &l->buf)) {
	case OUT_OF_MEMORY:
		ksp_error(l->path, "out of memory");
		return -1;
	case NOT_AN_ADDRESS:
		if (!l->bad++) {
			char *e = ksp_escaped(tok);

			ksp_error(l->path, "lookup:%s '%s' is not a hex address", where, e ? e : "?");
			free(e);
		}
		return 0;
	default:
		return 0;
	}
}

/* Each line of standard input, without its surrounding white space; empty lines are skipped. */
static int lookup_stdin(struct lookup *l)
{
	char *line = NULL, where[48];
	size_t cap = 0;
	unsigned long n = 0;
	int ret = 0;

	while (ret == 0 && getline(&line, &cap, stdin) > 0) {
		char *p = line, *end;

		n++;
		while (isspace((unsigned char)*p))
			p++;
		end = p + strlen(p);
		while (end > p && isspace((unsigned char)end[-1]))
			*--end = '\0';
		snprintf(where, sizeof(where), " standard input line %lu:", n);
		if (*p)
			ret = answer(l, p, where);
	}
	free(line);
	return ret;
}

int ksp_cmd_lookup(const char *path, const struct ksp_options *o, char **args, int nargs)
{
	struct ksp_elf elf;
	struct ksp_embedded e;
	struct lookup l = { .path = path, .one = o->names ? lookup_name : lookup_addr };
	int ret = -1;

	if (ksp_table_open(&elf, path, o, &e) < 0)
		goto out;
	l.table = &e.table;
	ret = 0;
	for (int i = 0; i < nargs && ret == 0; i++)
		ret = answer(&l, args[i], "");
	if (!nargs)
		ret = lookup_stdin(&l);
	if (l.bad)
		ret = -1;
out:
	ksp_text_free(&l.buf);
	ksp_elf_close(&elf);
	return ret;
}

/* ---- verify --------------------------------------------------------------- */

/* Name the first record where the embedded table and the ELF's symbols part. */
static void report_stale(const struct ksp_elf *elf, const struct ksym_table *have,
			 const struct ksp_blob *want_blob)
{
	struct ksym_table want;
	struct ksp_text an = { 0 }, bn = { 0 };
	uint32_t n = have->count < want_blob->count ? have->count : want_blob->count;

	ksym_open(&want, want_blob->data, want_blob->size, want_blob->count, NULL);
	for (uint32_t i = 0; i < n; i++) {
		struct ksym_symbol a, b;

		ksym_symbol_at(have, i, &a);
		ksym_symbol_at(&want, i, &b);
		const char *aname = ksp_text_name(&an, have, &a), *bname = ksp_text_name(&bn, &want, &b);

		if (!aname || !bname) {
			ksp_error(elf->path, "out of memory");
			goto out;
		}
		if (a.start != b.start || a.size != b.size || a.type != b.type || strcmp(aname, bname) != 0) {
			ksp_error(elf->path,
				  "stale: symbol %u is %s at 0x%" PRIx64 " size 0x%" PRIx64
				  " in the table but %s at 0x%" PRIx64 " size 0x%" PRIx64
				  " in the ELF; run `ksympatch patch %s`",
				  i, aname, a.start, a.size, bname, b.start, b.size, elf->path);
			goto out;
		}
	}
	if (have->count != want.count)
		ksp_error(elf->path, "stale: the table has %u symbols, the ELF %u; run `ksympatch patch %s`",
			  have->count, want.count, elf->path);
	else
		ksp_error(elf->path, "stale: the table's bytes differ from what ksympatch writes; run `ksympatch patch %s`",
			  elf->path);
out:
	ksp_text_free(&an);
	ksp_text_free(&bn);
}

/*
 * A raw image made from the ELF (objcopy -O binary, as a Raspberry Pi
 * boots, or -O ihex and -O srec, as firmware is flashed) must carry the
 * same table and count where objcopy puts them: an image made before the
 * patch, or from another build, is caught here rather than at boot.
 */
static int check_raw_image(const struct ksp_elf *elf, const char *path, const struct ksp_embedded *e)
{
	const struct {
		const struct ksp_region *r;
		const char *what;
	} parts[] = { { &e->sec, "symbol table" }, { &e->count, "symbol count" } };
	struct ksp_raw_image raw;
	int ret = -1;

	if (ksp_raw_open(&raw, path) < 0)
		goto out;
	for (size_t i = 0; i < KSP_ARRAY_SIZE(parts); i++) {
		const struct ksp_region *r = parts[i].r;
		unsigned char *buf = malloc(r->size ? r->size : 1);
		uint64_t lma, off;
		int same;

		if (!buf || ksp_elf_raw_place(elf, r->addr, r->size, &lma, &off) < 0) {
			free(buf);
			goto out;
		}
		same = ksp_raw_read(&raw, lma, off, buf, r->size) && !memcmp(buf, elf->map + r->offset, r->size);
		free(buf);
		if (!same) {
			ksp_error(path, "stale %s: its %s at %s 0x%llx is not %s's; make it again with objcopy -O %s after ksympatch patch",
				  ksp_raw_what(&raw), parts[i].what, raw.kind == KSP_RAW_BINARY ? "byte" : "address",
				  (unsigned long long)(raw.kind == KSP_RAW_BINARY ? off : lma), elf->path,
				  ksp_raw_objcopy_format(&raw));
			goto out;
		}
	}
	ret = 0;
out:
	ksp_raw_close(&raw);
	return ret;
}

/* Is the embedded table, with zeros after it, what patch would write? */
static int is_same_table(const struct ksp_embedded *e, const struct ksp_blob *blob)
{
	if (blob->size > e->sec.size || e->count_value != blob->count || memcmp(e->data, blob->data, blob->size))
		return 0;
	for (uint64_t i = blob->size; i < e->sec.size; i++)
		if (e->data[i])
			return 0;
	return 1;
}

int ksp_cmd_verify(const char *path, const struct ksp_options *o, char **args, int nargs)
{
	struct ksp_elf elf;
	struct ksp_embedded e;
	struct ksp_blob blob = { 0 };
	int ret = -1;

	(void)args;
	(void)nargs;
	if (ksp_table_open(&elf, path, o, &e) < 0 || ksp_build_table(&elf, o, e.sec.size, &blob, 0) < 0)
		goto out;
	if (!is_same_table(&e, &blob)) {
		report_stale(&elf, &e.table, &blob);
		goto out;
	}
	if (o->raw_image && check_raw_image(&elf, o->raw_image, &e) < 0)
		goto out;
	printf("%s: symbol table matches the ELF (%u symbols)%s%s\n", path, blob.count,
	       o->raw_image ? ", and so does " : "", o->raw_image ? o->raw_image : "");
	ret = 0;
out:
	free(blob.data);
	ksp_elf_close(&elf);
	return ret;
}
