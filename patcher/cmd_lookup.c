/* SPDX-License-Identifier: MIT */
/*
 * ksympatch lookup: addresses to name+0xoff/0xsize, as addr2line answers
 * and with the kernel's own lookup code (table.c); names to every symbol
 * of that name (--name); return addresses looked up at their call site
 * (-r), as the kernel's backtraces do; or a whole log, each 0x... address
 * in it annotated in place (--annotate), as Linux's decode_stacktrace.sh.
 *
 * Strategy: one answer a token, one line an answer, whatever the names
 * hold (they are escaped), so the output stays line for line with the
 * input.
 */
#include <ctype.h>
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "table.h"

/* What one lookup answered: printed, or not an address at all (printed too), or out of memory. */
enum answer { ANSWERED, NOT_AN_ADDRESS, OUT_OF_MEMORY };

struct lookup {
	const char *path;
	const struct ksym_table *table;
	enum answer (*one)(struct lookup *l, const char *tok);
	uint64_t back; /* -r: how far before a return address its call lies; 0 without -r */
	struct ksp_text buf;
	int bad; /* tokens that were not addresses */
};

/*
 * How far before a return address its call lies, at least, by the ELF's
 * machine (as the runtime's KSYM_CALL_BACK is for the code it is built
 * in): AArch64's instructions are 4 bytes; a 32-bit ARM call is 4 bytes in
 * ARM state and 2 or 4 in Thumb, RISC-V's 2, 4 or 8, and ra - 2 is inside
 * each; x86's call is 2 to 7 bytes, ra - 1 inside it.
 */
static uint64_t call_back(int machine)
{
	switch (machine) {
	case EM_AARCH64:
		return 4;
	case EM_ARM:
	case EM_RISCV:
		return 2;
	default:
		return 1;
	}
}

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

/* The text for addr, name+0xoff/0xsize (the offset is addr's, looked up at addr - back); NULL: none. */
static const char *describe(struct lookup *l, uint64_t addr, int *oom)
{
	struct ksym_symbol s;
	const char *text;

	*oom = 0;
	if (addr < l->back || ksym_lookup_addr(l->table, addr - l->back, &s) != KSYM_OK)
		return NULL;
	text = ksp_text_at(&l->buf, l->table, &s, addr);
	*oom = !text;
	return text;
}

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
static enum answer lookup_addr(struct lookup *l, const char *tok)
{
	uint64_t addr;
	const char *text;
	int oom;

	if (parse_addr(tok, &addr) < 0)
		return print_unknown(tok) < 0 ? OUT_OF_MEMORY : NOT_AN_ADDRESS;
	text = describe(l, addr, &oom);
	if (oom)
		return OUT_OF_MEMORY;
	if (!text)
		return print_unknown(tok) < 0 ? OUT_OF_MEMORY : ANSWERED;
	printf("%s %s\n", tok, text);
	return ANSWERED;
}

/*
 * lookup --name: every symbol called tok (overloads that demangle to one
 * name are several), one `nm -n -S` line each, or "NAME ??" when there is
 * none: a name that is not there is an answer too.
 */
static enum answer lookup_name(struct lookup *l, const char *tok)
{
	size_t n = ksym_lookup_name(l->table, tok, NULL, 0);
	struct ksym_symbol *s = n ? calloc(n, sizeof(*s)) : NULL;
	enum answer ret = ANSWERED;

	if (!n)
		return print_unknown(tok) < 0 ? OUT_OF_MEMORY : ANSWERED;
	if (!s)
		return OUT_OF_MEMORY;
	ksym_lookup_name(l->table, tok, s, n);
	for (size_t i = 0; i < n && ret == ANSWERED; i++) {
		const char *name = ksp_text_name(&l->buf, l->table, &s[i]);

		if (name)
			ksp_print_nm_line(&s[i], name, 2 * l->table->addr_size);
		else
			ret = OUT_OF_MEMORY;
	}
	free(s);
	return ret;
}

/* Part of a word: an address glued to one (x0x1, 0x1_a) is not an address. */
static int is_word_byte(int c)
{
	return isalnum(c) || c == '_';
}

/*
 * The 0x address at p[0 .. end), if one starts there: its length, with
 * its value in *addr (at most 16 significant digits), or 0.
 */
static size_t address_at(const char *line, const char *p, const char *end, uint64_t *addr)
{
	const char *hex = p + 2, *q = hex;

	if (end - p < 3 || p[0] != '0' || (p[1] != 'x' && p[1] != 'X') || (p > line && is_word_byte((unsigned char)p[-1])))
		return 0;
	while (q < end && isxdigit((unsigned char)*q))
		q++;
	if (q == hex || (q < end && is_word_byte((unsigned char)*q)))
		return 0;
	while (hex < q - 1 && *hex == '0') /* leading zeros do not count */
		hex++;
	if (q - hex > 16)
		return 0;
	*addr = 0;
	for (const char *d = hex; d < q; d++)
		*addr = *addr << 4 | (uint64_t)(isdigit((unsigned char)*d) ? *d - '0' : (*d | 0x20) - 'a' + 10);
	return (size_t)(q - p);
}

/*
 * --annotate: the line (len bytes, NULs and all) as it is, with
 * " <name+0xoff/0xsize>" after each 0x address the table names, unless
 * " <" follows it already (a report that has its symbols).
 */
static enum answer annotate(struct lookup *l, const char *line, size_t len)
{
	const char *p = line, *end = line + len;

	while (p < end) {
		const char *text = NULL;
		uint64_t addr;
		size_t n = address_at(line, p, end, &addr);
		int oom = 0;

		if (!n) {
			putchar(*p++);
			continue;
		}
		fwrite(p, 1, n, stdout);
		p += n;
		if (end - p < 2 || p[0] != ' ' || p[1] != '<')
			text = describe(l, addr, &oom);
		if (oom)
			return OUT_OF_MEMORY;
		if (text)
			printf(" <%s>", text);
	}
	putchar('\n');
	return ANSWERED;
}

/* Answer one token; the first that is not an address is named (where: "" or " standard input line N:"). */
static int answer(struct lookup *l, const char *tok, const char *where)
{
	switch (l->one(l, tok)) {
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

/* Each line of standard input, trimmed, empty ones skipped; with --annotate every line whole. */
static int lookup_stdin(struct lookup *l, int annotating)
{
	char *line = NULL, where[48];
	size_t cap = 0;
	ssize_t len;
	unsigned long n = 0;
	int ret = 0;

	while (ret == 0 && (len = getline(&line, &cap, stdin)) > 0) {
		char *p = line, *end = line + len;

		n++;
		while (!annotating && isspace((unsigned char)*p))
			p++;
		while (end > p && (annotating ? end[-1] == '\n' || end[-1] == '\r' : isspace((unsigned char)end[-1])))
			*--end = '\0';
		snprintf(where, sizeof(where), " standard input line %lu:", n);
		if (annotating && annotate(l, p, (size_t)(end - p)) == OUT_OF_MEMORY) {
			ksp_error(l->path, "out of memory");
			ret = -1;
		} else if (!annotating && *p) {
			ret = answer(l, p, where);
		}
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
	l.back = o->return_addresses ? call_back(elf.machine) : 0;
	ret = 0;
	for (int i = 0; i < nargs && ret == 0; i++)
		ret = answer(&l, args[i], "");
	if (!nargs)
		ret = lookup_stdin(&l, o->annotate);
	if (l.bad)
		ret = -1;
out:
	ksp_text_free(&l.buf);
	ksp_elf_close(&elf);
	return ret;
}
