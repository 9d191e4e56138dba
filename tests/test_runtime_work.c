/*
 * How much a lookup decodes, counted rather than timed: this file compiles
 * its own copy of runtime/ksym.c (public names prefixed work_, so it stands
 * beside the real one) with KSYM_COUNT_RECORD() counting every record
 * decoded.  FORMAT.md promises O(log n) and a bounded decode whatever the
 * nesting and however many aliases share an address.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long records_decoded;
#define KSYM_COUNT_RECORD() (records_decoded++)

#define ksym_open        work_ksym_open
#define ksym_verify      work_ksym_verify
#define ksym_blob_bytes  work_ksym_blob_bytes
#define ksym_symbol_at   work_ksym_symbol_at
#define ksym_name        work_ksym_name
#define ksym_lookup_addr work_ksym_lookup_addr
#define ksym_lookup_name work_ksym_lookup_name
#define ksym_format      work_ksym_format
#define ksym_describe    work_ksym_describe
#define ksym_strerror    work_ksym_strerror
#define ksym_checksum    work_ksym_checksum
#include "../runtime/ksym.c"

#include "ksympatch.h"

static struct ksp_blob blob;
static struct ksym_table tab;

static void teardown(void)
{
	free(blob.data);
	memset(&blob, 0, sizeof(blob));
}

TestSuite(runtime_work, .fini = teardown);

static unsigned log2_up(unsigned long n)
{
	unsigned k = 0;

	while ((1ul << k) < n)
		k++;
	return k;
}

/*
 * k aliases at 0x10000 of sizes 1 .. k (names "a000001" ...), a function
 * before and one after; the lookup at 0x10000 + j must answer the alias of
 * size j + 1, the smallest that contains it.
 */
static void aliases(size_t k, struct ksp_sym **out, char **names)
{
	struct ksp_sym *s = calloc(k + 2, sizeof(*s));
	char *pool = malloc((k + 2) * 32);
	const char *why = NULL;

	for (size_t i = 0; i < k + 2; i++) {
		char *name = pool + 32 * i;

		s[i].type = 'T';
		s[i].bind = KSP_GLOBAL;
		s[i].func = 1;
		s[i].name = name;
		if (i < k) {
			snprintf(name, 32, "a%06zu", i + 1);
			s[i].start = 0x10000;
			s[i].size = i + 1;
		} else {
			snprintf(name, 32, i == k ? "before" : "after");
			s[i].start = i == k ? 0x100 : 0x10000 + k + 0x100;
			s[i].size = 0x10;
		}
	}
	ksp_sort(s, k + 2);
	cr_assert(eq(int, ksp_encode(s, k + 2, 8, 0, &blob, &why), 0), "%s", why);
	cr_assert(eq(int, ksym_open(&tab, blob.data, blob.size, k + 2, &why), KSYM_OK), "%s", why);
	*out = s;
	*names = pool;
}

Test(runtime_work, a_lookup_among_4096_aliases_decodes_a_bounded_number_of_records)
{
	enum { K = 4096 };
	struct ksp_sym *s;
	char *pool, buf[32];
	/* Three block decodes (16 records each) and one record per step of the search. */
	unsigned long bound = 3 * KSYM_BLOCK + 2 + log2_up(K / KSYM_BLOCK + 1), worst = 0;
	uint64_t probes[] = { 0, 1, 15, 16, 17, 255, 1000, 2047, 2048, 4000, 4094, 4095 };

	aliases(K, &s, &pool);
	for (size_t i = 0; i < KSYM_ARRAY_SIZE(probes); i++) {
		uint64_t j = probes[i];
		struct ksym_symbol sym;
		char want[16];

		records_decoded = 0;
		cr_assert(eq(int, ksym_lookup_addr(&tab, 0x10000 + j, &sym), KSYM_OK));
		if (records_decoded > worst)
			worst = records_decoded;
		ksym_name(&tab, &sym, buf, sizeof(buf));
		snprintf(want, sizeof(want), "a%06llu", (unsigned long long)j + 1);
		cr_expect(eq(str, buf, want), "at +%llu", (unsigned long long)j);
		cr_expect(eq(u64, sym.size, j + 1));
	}
	cr_expect(le(u64, worst, bound), "a lookup decoded %lu records (bound %lu)", worst, bound);
	free(s);
	free(pool);
}

Test(runtime_work, work_per_lookup_does_not_grow_with_the_number_of_aliases)
{
	unsigned long work[2];
	size_t counts[2] = { 256, 16384 };

	for (int n = 0; n < 2; n++) {
		struct ksp_sym *s;
		char *pool;
		struct ksym_symbol sym;

		aliases(counts[n], &s, &pool);
		records_decoded = 0;
		/* The smallest alias: the search must go all the way to the first block. */
		cr_assert(eq(int, ksym_lookup_addr(&tab, 0x10000, &sym), KSYM_OK));
		cr_assert(eq(u64, sym.size, 1));
		work[n] = records_decoded;
		free(s);
		free(pool);
		free(blob.data);
		blob.data = NULL;
	}
	/* 64 times the aliases: log2 grows by 6 steps, one record each. */
	cr_expect(le(u64, work[1], work[0] + 6), "%lu records for %zu aliases, %lu for %zu", work[0], counts[0],
		  work[1], counts[1]);
}
