/*
 * Name codes in one byte or two (format.h): a table learns more tokens
 * than fit in a byte only where that makes it smaller (long C++ names, not
 * short C ones), numbers the tokens that end a name last in each width, and
 * every name reads back exactly through either width; a token nested deeper
 * than the readers' stack is a bad name where it is read, which
 * ksym_verify() finds.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ksym/format.h>
#include <ksym/ksym.h>

#include "helpers.h"
#include "ksympatch.h"

#define MAX 1200

static struct ksp_blob blob;
static struct ksp_sym syms[MAX];
static char names[MAX][640];
static uint32_t count;

static void teardown(void)
{
	free(blob.data);
	memset(&blob, 0, sizeof(blob));
}

TestSuite(name_codes, .fini = teardown);

/* Functions named after the lines of text, in a table of their own. */
static void encode_names(char *text)
{
	const char *why = NULL;

	count = 0;
	for (char *save = NULL, *l = strtok_r(text, "\n", &save); l && count < MAX; l = strtok_r(NULL, "\n", &save)) {
		snprintf(names[count], sizeof(names[count]), "%s", l);
		syms[count] = (struct ksp_sym){ .start = 0x40080000 + 0x40 * count, .size = 0x3c,
						.name = names[count], .type = 'T', .bind = KSP_GLOBAL };
		count++;
	}
	ksp_sort(syms, count);
	cr_assert(eq(int, ksp_encode(syms, count, 8, 0, &blob, &why), 0), "%s", why);
}

/* The llvm fixture's 1,000 mangled C++ names (libLLVM's, 70 bytes on average). */
static void encode_cxx(void)
{
	char path[600], *text;

	snprintf(path, sizeof(path), "%s/fixtures/llvm/names", build_dir());
	text = read_file(path, NULL);
	cr_assert(text != NULL, "%s: make fixtures first", path);
	encode_names(text);
	free(text);
}

/* Every name by its record and by itself, through t. */
static void expect_every_name(const struct ksym_table *t)
{
	for (uint32_t i = 0; i < count; i++) {
		struct ksym_symbol s, found;
		char buf[640];

		ksym_symbol_at(t, i, &s);
		cr_assert(eq(sz, ksym_name(t, &s, buf, sizeof(buf)), strlen(syms[i].name)));
		cr_assert(eq(str, buf, (char *)syms[i].name));
		cr_assert(eq(sz, ksym_lookup_name(t, syms[i].name, &found, 1), 1), "%s", syms[i].name);
		cr_assert(eq(u32, found.index, i));
	}
}

Test(name_codes, long_cxx_names_take_two_byte_codes_and_read_back_exactly)
{
	struct ksym_table t;
	const char *why = NULL;
	unsigned nlit;

	encode_cxx();
	nlit = blob.data[KSYM_HDR_NLIT];
	cr_assert(eq(u32, count, 1000));
	cr_assert(gt(u32, blob.data[KSYM_HDR_NESC], 0), "escape bytes");
	cr_assert(gt(u32, nlit + table_ntok(blob.data), ksym_wide(blob.data[KSYM_HDR_NESC])), "two-byte tokens");
	cr_assert(eq(int, ksym_open(&t, blob.data, blob.size, count, &why), KSYM_OK), "%s", why);
	cr_assert(eq(int, ksym_verify(&t, &why), KSYM_OK), "%s", why);
	expect_every_name(&t);
}

/* C names of about 15 bytes, subsystem_verb_N, as glibc's and a C kernel's are. */
Test(name_codes, short_c_names_keep_every_code_in_one_byte)
{
	static const char *const subsys[] = { "vfs", "net", "mm", "sched", "irq", "dev", "fs", "tty" };
	static const char *const verbs[] = { "init", "read", "write", "open", "close", "alloc", "free" };
	char *text = malloc(MAX * 40);
	size_t at = 0;

	for (size_t i = 0; i < MAX; i++)
		at += (size_t)sprintf(text + at, "%s_%s_%zu\n", subsys[i % 8], verbs[i / 8 % 7], i);
	encode_names(text);
	free(text);
	cr_assert(eq(u32, blob.data[KSYM_HDR_NESC], 0));
	cr_assert(le(u32, blob.data[KSYM_HDR_NLIT] + table_ntok(blob.data), 255));
}

Test(name_codes, the_tokens_that_end_a_name_come_last_in_each_width)
{
	unsigned nlit, last, wide, seen[2] = { 0, 0 }, ending[2] = { 0, 0 };

	encode_cxx();
	nlit = blob.data[KSYM_HDR_NLIT];
	last = nlit + table_ntok(blob.data);
	wide = ksym_wide(blob.data[KSYM_HDR_NESC]);
	for (unsigned c = nlit + 1; c <= last; c++) {
		int w = c >= wide, e = table_ends_name(blob.data, c);

		if (ending[w])
			cr_assert(e, "token %u, after one of its width that ends a name, does not", c);
		ending[w] += (unsigned)e;
		seen[w]++;
	}
	for (int w = 0; w < 2; w++) {
		cr_assert(gt(u32, ending[w], 0), "width %d: some token ends a name", w + 1);
		cr_assert(lt(u32, ending[w], seen[w]), "width %d: some token does not", w + 1);
	}
}

/*
 * The first 16 tokens that do not end a name made a chain, each of the one
 * before and a literal, and every later one of the chain's last: those are
 * 17 deep.  Open proves no depth, so it accepts the table; each name that
 * holds such a token reads back empty, and verify refuses the table.
 */
Test(name_codes, a_token_nested_deeper_than_the_stack_makes_its_names_bad_and_verify_refuses_it)
{
	struct ksym_table t;
	const char *why = NULL;
	unsigned nlit, chain = 0, prev = 1, empty = 0;

	encode_cxx();
	nlit = blob.data[KSYM_HDR_NLIT];
	for (unsigned i = 0; i < table_ntok(blob.data); i++) {
		if (table_ends_name(blob.data, nlit + 1 + i))
			continue;
		table_set_pair(blob.data, i, prev, 1);
		if (chain < KSYM_TOKEN_DEPTH)
			prev = nlit + 1 + i;
		chain++;
	}
	cr_assert(gt(u32, chain, KSYM_TOKEN_DEPTH));
	table_reseal(blob.data);
	cr_assert(eq(int, ksym_open(&t, blob.data, blob.size, count, &why), KSYM_OK), "%s", why);
	for (uint32_t i = 0; i < count; i++) {
		struct ksym_symbol s;
		char buf[640];

		ksym_symbol_at(&t, i, &s);
		empty += ksym_name(&t, &s, buf, sizeof(buf)) == 0;
	}
	cr_assert(gt(u32, empty, 0), "names read back empty");
	cr_assert(eq(int, ksym_verify(&t, &why), KSYM_ERR_CORRUPT));
	cr_assert(eq(str, (char *)why, "name runs past the table or holds a code of no literal or token"));
}
