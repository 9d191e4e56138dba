/*
 * ksym_open() against ksym_verify(): open checks the header, the layout,
 * the checksum, the tokens and the two indexes (O(blocks)); verify proves
 * the rest.  On a table that open accepts but verify refuses (its streams
 * damaged and the checksum resealed), every lookup must still return
 * without reading outside the blob (the sanitizer run watches) and every
 * address answer must contain its address.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ksym/format.h>
#include <ksym/ksym.h>

#include "helpers.h"
#include "ksympatch.h"

#define COUNT 100

static struct ksp_blob blob;
static struct ksp_sym syms[COUNT];
static char names[COUNT][40];

static void teardown(void)
{
	free(blob.data);
	memset(&blob, 0, sizeof(blob));
}

TestSuite(runtime_open, .fini = teardown);

/* COUNT functions with names that share prefixes, encoded into blob. */
static void encode_net(void)
{
	const char *why = NULL;

	for (size_t i = 0; i < COUNT; i++) {
		snprintf(names[i], sizeof(names[i]), "%s_%zu", i % 2 ? "net_xmit" : "net_recv", i * 7919 % 1000);
		syms[i] = (struct ksp_sym){ .start = 0x40080000 + 0x40 * i, .size = 0x3c, .name = names[i],
					    .type = 'T', .bind = KSP_GLOBAL };
	}
	ksp_sort(syms, COUNT);
	cr_assert(eq(int, ksp_encode(syms, COUNT, 8, 0, &blob, &why), 0), "%s", why);
}

/* Every public call on t, at every symbol's addresses and names; answers that claim an address hold it. */
static void exercise(const struct ksym_table *t)
{
	char buf[64];
	struct ksym_symbol s, out[4];

	for (uint32_t i = 0; i <= COUNT; i++) {
		uint64_t a = 0x40080000 + 0x40 * (uint64_t)i - 2;

		ksym_symbol_at(t, i, &s);
		ksym_name(t, &s, buf, sizeof(buf));
		ksym_lookup_name(t, buf, out, 4);
		ksym_lookup_name(t, names[i % COUNT], out, 4);
		if (ksym_lookup_addr(t, a, &s) == KSYM_OK)
			cr_assert(lt(u64, a - s.start, s.size), "0x%llx outside its answer", (unsigned long long)a);
		ksym_describe(t, a, KSYM_CALL_BACK, buf, sizeof(buf));
		cr_assert(lt(u64, strlen(buf), sizeof(buf)));
	}
}

Test(runtime_open, a_good_table_opens_and_verifies_and_lookups_agree)
{
	struct ksym_table t;
	struct ksym_symbol s;
	char buf[64];
	const char *why = NULL;

	encode_net();
	cr_assert(eq(int, ksym_open(&t, blob.data, blob.size, COUNT, &why), KSYM_OK), "%s", why);
	cr_assert(eq(int, ksym_lookup_addr(&t, 0x40080000 + 0x40 * 5 + 4, &s), KSYM_OK));
	ksym_name(&t, &s, buf, sizeof(buf));
	cr_assert(eq(str, buf, (char *)syms[5].name));
	cr_assert(eq(int, ksym_verify(&t, &why), KSYM_OK), "%s", why);
	cr_assert(eq(sz, ksym_lookup_name(&t, syms[5].name, &s, 1), 1));
	cr_assert(eq(u64, s.start, syms[5].start));
}

Test(runtime_open, a_damaged_name_passes_open_fails_verify_and_lookups_stay_safe)
{
	struct ksym_table t;
	const char *why = NULL;
	unsigned char *p;

	encode_net();
	p = blob.data + table_u32(blob.data, KSYM_HDR_NAMES_OFF) + 1; /* the first name's first code */
	/* The last literal: the greatest byte the names use, above every name's first byte. */
	*p = blob.data[KSYM_HDR_NLIT];
	cr_assert(gt(u8, table_alphabet(blob.data)[*p - 1], 'n'));
	table_reseal(blob.data);
	cr_assert(eq(int, ksym_open(&t, blob.data, blob.size, COUNT, &why), KSYM_OK), "%s", why);
	exercise(&t);
	cr_assert(eq(int, ksym_verify(&t, &why), KSYM_ERR_CORRUPT));
	/* The next name shares a prefix with the first that it no longer has. */
	cr_assert(eq(str, (char *)why, "front-coding prefix longer than the previous name"));
	cr_assert(eq(u32, t.count, 0), "a refused table is empty");
}

Test(runtime_open, a_name_code_of_no_literal_or_token_passes_open_and_fails_verify)
{
	struct ksym_table t;
	struct ksym_symbol s;
	char buf[64];
	const char *why = NULL;

	encode_net();
	cr_assert(lt(u32, blob.data[KSYM_HDR_NLIT] + table_ntok(blob.data), 255u), "a code is left over");
	/* The first name's first code: one past the last token. */
	blob.data[table_u32(blob.data, KSYM_HDR_NAMES_OFF) + 1] =
		(unsigned char)(blob.data[KSYM_HDR_NLIT] + table_ntok(blob.data) + 1);
	table_reseal(blob.data);
	cr_assert(eq(int, ksym_open(&t, blob.data, blob.size, COUNT, &why), KSYM_OK), "%s", why);
	exercise(&t);
	ksym_symbol_at(&t, 0, &s);
	cr_assert(eq(sz, ksym_name(&t, &s, buf, sizeof(buf)), 0), "the name with the bad code reads empty");
	cr_assert(eq(int, ksym_verify(&t, &why), KSYM_ERR_CORRUPT));
	cr_assert(eq(str, (char *)why, "name runs past the table or holds a code of no literal or token"));
}

/* Reseal blob after a damage and check that ksym_open() refuses it, saying why. */
static void seal_and_expect_open_to_refuse(const char *reason)
{
	struct ksym_table t;
	const char *why = NULL;

	table_reseal(blob.data);
	cr_assert(eq(int, ksym_open(&t, blob.data, blob.size, COUNT, &why), KSYM_ERR_CORRUPT));
	cr_assert(eq(str, (char *)why, (char *)reason));
}

Test(runtime_open, names_end_inside_tokens_and_read_back_whole)
{
	struct ksym_table t;
	struct ksym_symbol s;
	char buf[64];
	const char *why = NULL;
	unsigned ending = 0, zeros = 0;

	encode_net();
	for (unsigned i = 0; i < table_ntok(blob.data); i++)
		ending += (unsigned)table_ends_name(blob.data, blob.data[KSYM_HDR_NLIT] + 1 + i);
	for (uint32_t o = table_u32(blob.data, KSYM_HDR_NAMES_OFF); o < table_u32(blob.data, KSYM_HDR_END); o++)
		zeros += blob.data[o] == 0;
	cr_assert(gt(u32, ending, 0), "no token holds a name's 0");
	cr_assert(lt(u32, zeros, COUNT), "every name still ends in a 0 code of its own (%u)", zeros);
	cr_assert(eq(int, ksym_open(&t, blob.data, blob.size, COUNT, &why), KSYM_OK), "%s", why);
	cr_assert(eq(int, ksym_verify(&t, &why), KSYM_OK), "%s", why);
	for (uint32_t i = 0; i < COUNT; i++) {
		ksym_symbol_at(&t, i, &s);
		ksym_name(&t, &s, buf, sizeof(buf));
		cr_assert(eq(str, buf, (char *)syms[i].name));
	}
}

Test(runtime_open, the_tokens_that_end_a_name_come_after_all_the_others)
{
	unsigned nlit, ntok, ending = 0;

	encode_net();
	nlit = blob.data[KSYM_HDR_NLIT];
	ntok = table_ntok(blob.data);
	for (unsigned c = nlit + 1; c <= nlit + ntok; c++) {
		if (ending)
			cr_assert(table_ends_name(blob.data, c), "token %u, after one that ends a name, does not", c);
		ending += table_ends_name(blob.data, c);
	}
	cr_assert(gt(u32, ending, 0), "some token ends a name");
	cr_assert(lt(u32, ending, ntok), "some token does not");
}

/*
 * Token k, which does not end a name, made to end one (its second code 0),
 * with token k + 1 after it still not ending one and not built of it.
 */
Test(runtime_open, a_token_that_ends_a_name_before_one_that_does_not_is_refused_by_open)
{
	unsigned nlit, k = 0;

	encode_net();
	nlit = blob.data[KSYM_HDR_NLIT];
	for (; k + 1 < table_ntok(blob.data); k++) {
		unsigned a = table_pair(blob.data, k + 1, 0), b = table_pair(blob.data, k + 1, 1);

		if (!table_ends_name(blob.data, nlit + 2 + k) && a != nlit + 1 + k && b != nlit + 1 + k)
			break;
	}
	cr_assert(lt(u32, k + 1, table_ntok(blob.data)), "two tokens that do not end a name");
	table_set_pair(blob.data, k, table_pair(blob.data, k, 0), 0);
	seal_and_expect_open_to_refuse("a token that ends a name comes before one that does not");
}

Test(runtime_open, a_token_that_goes_on_past_a_names_end_is_refused_by_open)
{
	unsigned nlit, i = 0, j;

	encode_net();
	nlit = blob.data[KSYM_HDR_NLIT];
	while (i < table_ntok(blob.data) && !table_ends_name(blob.data, nlit + 1 + i))
		i++;
	j = i + 1;
	cr_assert(lt(u32, j, table_ntok(blob.data)), "a token that ends a name, and one after it");
	table_set_pair(blob.data, j, nlit + 1 + i, table_pair(blob.data, j, 1)); /* token j = (token i, ...) */
	seal_and_expect_open_to_refuse("token continues past the end of a name");
}

Test(runtime_open, a_token_that_begins_with_a_nul_is_refused_by_open)
{
	encode_net();
	cr_assert(gt(u32, table_ntok(blob.data), 0));
	table_set_pair(blob.data, 0, 0, table_pair(blob.data, 0, 1));
	seal_and_expect_open_to_refuse("token begins with a NUL byte");
}

Test(runtime_open, an_alphabet_holding_a_nul_is_refused_by_open)
{
	encode_net();
	table_alphabet(blob.data)[0] = 0;
	seal_and_expect_open_to_refuse("alphabet holds a NUL byte");
}

Test(runtime_open, streams_of_garbage_pass_open_and_no_lookup_faults_or_loops)
{
	uint32_t rec;
	struct ksym_table t;
	const char *why = NULL;

	encode_net();
	rec = table_u32(blob.data, KSYM_HDR_RECORDS_OFF);
	/* Every record byte and every name byte but the restarts' first, and both permutations. */
	for (uint32_t o = rec; o < table_u32(blob.data, KSYM_HDR_RESTARTS_OFF); o++)
		blob.data[o] = (unsigned char)(0xa5 ^ o * 31);
	for (uint32_t o = table_u32(blob.data, KSYM_HDR_PERM_OFF); o < table_u32(blob.data, KSYM_HDR_END); o++)
		blob.data[o] = (unsigned char)(0xff - o);
	for (uint32_t r = 0; r < (COUNT + KSYM_RESTART - 1) / KSYM_RESTART; r++)
		blob.data[table_u32(blob.data, KSYM_HDR_NAMES_OFF) + table_restart(blob.data, r)] = 0;
	table_reseal(blob.data);
	cr_assert(eq(int, ksym_open(&t, blob.data, blob.size, COUNT, &why), KSYM_OK), "%s", why);
	exercise(&t);
	cr_assert(eq(int, ksym_verify(&t, &why), KSYM_ERR_CORRUPT));
}

Test(runtime_open, a_token_that_expands_to_itself_is_refused_by_open)
{
	encode_net();
	cr_assert(gt(u32, table_ntok(blob.data), 0));
	table_set_pair(blob.data, 0, table_pair(blob.data, 0, 0), blob.data[KSYM_HDR_NLIT] + 1u); /* (x, itself) */
	seal_and_expect_open_to_refuse("token refers to itself or a later token");
}

Test(runtime_open, a_restart_that_shares_a_prefix_is_refused_by_open)
{
	uint32_t r1;

	encode_net();
	r1 = table_restart(blob.data, 1);
	blob.data[table_u32(blob.data, KSYM_HDR_NAMES_OFF) + r1] = 3;
	seal_and_expect_open_to_refuse("front-coding prefix longer than the previous name");
}

Test(runtime_open, verify_on_a_table_never_opened_says_unpatched)
{
	struct ksym_table t;
	const char *why = NULL;

	memset(&t, 0, sizeof(t));
	cr_assert(eq(int, ksym_verify(&t, &why), KSYM_ERR_UNPATCHED));
}
