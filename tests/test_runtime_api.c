/*
 * Runtime tests for what an adopter calls beyond the lookups: names of any
 * length proved sorted by ksym_open(), ksym_describe() (one call from an
 * address to text), and the call-site and code-pointer helpers of ksym.h.
 * Tables are built in memory by the encoder (ksp_encode), and damaged on
 * purpose and resealed where a test needs a table the encoder never writes.
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

/* A global function. */
#define FUNC(start_, size_, name_) \
	{ .start = (start_), .size = (size_), .name = (name_), .type = 'T', .bind = KSP_GLOBAL, .func = 1 }

static struct ksp_blob blob;
static struct ksym_table tab;

static void teardown(void)
{
	free(blob.data);
	memset(&blob, 0, sizeof(blob));
}

TestSuite(runtime_api, .fini = teardown);

/* Encode syms (sorted into table order first), little-endian, 8-byte addresses. */
static void encode(struct ksp_sym *syms, size_t n)
{
	const char *why = NULL;

	free(blob.data);
	ksp_sort(syms, n);
	cr_assert(eq(int, ksp_encode(syms, n, 8, 0, &blob, &why), 0), "%s", why);
}

static int open_blob(size_t n, const char **why)
{
	int err = ksym_open(&tab, blob.data, blob.size, n, why);

	return err ? err : ksym_verify(&tab, why);
}

/* A name of len bytes of fill, then tail. */
static char *long_name(size_t len, char fill, const char *tail)
{
	char *s = malloc(len + strlen(tail) + 1);

	memset(s, fill, len);
	strcpy(s + len, tail);
	return s;
}

Test(runtime_api, names_sharing_300_bytes_round_trip_and_are_found_by_name)
{
	char *a = long_name(300, 'x', "a"), *b = long_name(300, 'x', "b");
	struct ksp_sym s[] = { FUNC(0x1000, 0x10, b), FUNC(0x1010, 0x10, a) };
	struct ksym_symbol got[2];
	char buf[400];
	const char *why = NULL;

	encode(s, 2);
	cr_assert(eq(int, open_blob(2, &why), KSYM_OK), "%s", why);
	cr_assert(eq(sz, ksym_lookup_name(&tab, a, got, 2), 1));
	cr_assert(eq(u64, got[0].start, 0x1010));
	cr_assert(eq(sz, ksym_name(&tab, &got[0], buf, sizeof(buf)), 301));
	cr_assert(eq(str, buf, a));
	cr_assert(eq(sz, ksym_lookup_name(&tab, b, got, 2), 1));
	cr_assert(eq(u64, got[0].start, 0x1000));
	free(a);
	free(b);
}

/*
 * The second name's last stored byte, its only suffix byte ("b" after a
 * prefix of 300 shared bytes): the last code of the stream before its 0,
 * a literal: the alphabet then maps it to a smaller byte.
 */
Test(runtime_api, unsorted_names_past_256_shared_bytes_are_corrupt)
{
	char *a = long_name(300, 'x', "a"), *b = long_name(300, 'x', "b");
	struct ksp_sym s[] = { FUNC(0x1000, 0x10, a), FUNC(0x1010, 0x10, b) };
	const char *why = NULL;
	uint32_t end;

	encode(s, 2);
	end = table_u32(blob.data, KSYM_HDR_END);
	cr_assert(eq(u8, blob.data[end - 2], table_literal(blob.data, 'b')), "the encoder stored the suffix otherwise");
	cr_assert(eq(u8, blob.data[end - 1], 0));
	table_alphabet(blob.data)[blob.data[end - 2] - 1] = '0'; /* now x...x0 after x...xa */
	table_reseal(blob.data);
	cr_assert(eq(int, open_blob(2, &why), KSYM_ERR_CORRUPT));
	cr_assert(eq(str, (char *)why, "names are not sorted"));
	free(a);
	free(b);
}

/* Field i (bits wide, MSB first) of the bit-packed array at base. */
static uint32_t perm_field(uint32_t base, uint32_t i, unsigned bits)
{
	uint32_t v = 0;

	for (unsigned k = 0; k < bits; k++) {
		uint32_t bit = i * bits + k;

		v = v << 1 | (blob.data[base + bit / 8] >> (7 - bit % 8) & 1);
	}
	return v;
}

static void set_perm_field(uint32_t base, uint32_t i, unsigned bits, uint32_t v)
{
	for (unsigned k = 0; k < bits; k++) {
		uint32_t bit = i * bits + k;
		unsigned char mask = (unsigned char)(0x80 >> bit % 8);

		if (v >> (bits - 1 - k) & 1)
			blob.data[base + bit / 8] |= mask;
		else
			blob.data[base + bit / 8] &= (unsigned char)~mask;
	}
}

/*
 * Two equal 400-byte names at name positions 15 and 16: the second is a
 * restart, which holds its whole name, so open compares all 400 bytes.
 * Swapping the two records' name positions keeps a permutation but puts
 * the equal names out of record order.
 */
Test(runtime_api, equal_long_names_out_of_record_order_are_corrupt)
{
	enum { N = 17 };
	char *y = long_name(400, 'y', ""), shorts[15][8];
	struct ksp_sym s[N];
	const char *why = NULL;
	uint32_t perm, r15, r16;
	unsigned bits;

	for (int i = 0; i < 15; i++) {
		snprintf(shorts[i], sizeof(shorts[i]), "a%02d", i);
		s[i] = (struct ksp_sym)FUNC(0x1000 + 0x10 * (uint64_t)i, 0x10, shorts[i]);
	}
	s[15] = (struct ksp_sym)FUNC(0x2000, 0x10, y);
	s[16] = (struct ksp_sym)FUNC(0x3000, 0x10, y);
	encode(s, N);
	cr_assert(eq(int, open_blob(N, &why), KSYM_OK), "%s", why);
	perm = table_u32(blob.data, KSYM_HDR_PERM_OFF); /* N records: one group, no hints */
	bits = blob.data[KSYM_HDR_PERM_BITS];
	cr_assert(eq(u32, ksym_hint_bits(bits), 0));
	for (r15 = 0; r15 < N && perm_field(perm, r15, bits) != 15; r15++)
		;
	for (r16 = 0; r16 < N && perm_field(perm, r16, bits) != 16; r16++)
		;
	cr_assert(lt(u32, r15, r16), "equal names in record order");
	set_perm_field(perm, r15, bits, 16);
	set_perm_field(perm, r16, bits, 15);
	table_reseal(blob.data);
	cr_assert(eq(int, open_blob(N, &why), KSYM_ERR_CORRUPT));
	cr_assert(eq(str, (char *)why, "names are not sorted"));
	free(y);
}

Test(runtime_api, a_long_run_of_growing_and_shrinking_prefixes_opens)
{
	/* Names whose shared prefixes go up and down within a run, past 256 bytes. */
	enum { N = 40 };
	struct ksp_sym s[N];
	char *names[N];
	const char *why = NULL;

	for (int i = 0; i < N; i++) {
		char tail[16];

		snprintf(tail, sizeof(tail), "%c%d", 'a' + i % 3, i);
		names[i] = long_name(200 + (size_t)(i % 7) * 30, 'z', tail);
		s[i] = (struct ksp_sym)FUNC(0x1000 + 0x10 * (uint64_t)i, 0x10, names[i]);
	}
	encode(s, N);
	cr_assert(eq(int, open_blob(N, &why), KSYM_OK), "%s", why);
	for (int i = 0; i < N; i++) {
		struct ksym_symbol got;
		char buf[512];

		cr_assert(eq(sz, ksym_lookup_name(&tab, names[i], &got, 1), 1), "%d", i);
		ksym_name(&tab, &got, buf, sizeof(buf));
		cr_assert(eq(str, buf, names[i]));
		free(names[i]);
	}
}

/* ---- ksym_describe --------------------------------------------------------- */

static void open_small(void)
{
	static struct ksp_sym s[2];
	const char *why = NULL;

	s[0] = (struct ksp_sym)FUNC(0x40080000, 0x20, "first");
	s[1] = (struct ksp_sym)FUNC(0x40080020, 0x10, "second");
	encode(s, 2);
	cr_assert(eq(int, open_blob(2, &why), KSYM_OK), "%s", why);
}

Test(runtime_api, an_address_inside_a_symbol_is_name_offset_size)
{
	char buf[64];

	open_small();
	cr_assert(eq(int, ksym_describe(&tab, 0x40080004, 0, buf, sizeof(buf)), KSYM_OK));
	cr_assert(eq(str, buf, "first+0x4/0x20"));
}

Test(runtime_api, a_return_address_names_its_call_and_keeps_its_own_offset)
{
	char buf[64];

	open_small();
	/* A call as first's last instruction returns to second's first byte. */
	cr_assert(eq(int, ksym_describe(&tab, 0x40080020, 4, buf, sizeof(buf)), KSYM_OK));
	cr_assert(eq(str, buf, "first+0x20/0x20"));
	cr_assert(eq(int, ksym_describe(&tab, 0x40080020, 0, buf, sizeof(buf)), KSYM_OK));
	cr_assert(eq(str, buf, "second+0x0/0x10"));
}

Test(runtime_api, no_symbol_gives_the_address_in_hex_and_why)
{
	char buf[64];

	open_small();
	cr_assert(eq(int, ksym_describe(&tab, 0x40080030, 0, buf, sizeof(buf)), KSYM_ERR_NOT_FOUND));
	cr_assert(eq(str, buf, "0x40080030"));
	cr_assert(eq(str, (char *)ksym_strerror(KSYM_ERR_NOT_FOUND), "no symbol at this address"));
}

Test(runtime_api, an_unusable_table_gives_hex_and_the_open_error)
{
	char buf[64];
	const char *why = NULL;

	open_small();
	blob.data[KSYM_HDR_COUNT] ^= 1; /* now the checksum disagrees */
	cr_assert(eq(int, open_blob(2, &why), KSYM_ERR_CORRUPT));
	cr_assert(eq(int, ksym_describe(&tab, 0x40080004, 0, buf, sizeof(buf)), KSYM_ERR_CORRUPT));
	cr_assert(eq(str, buf, "0x40080004"));

	unsigned char zeros[256] = { 0 };

	cr_assert(eq(int, ksym_open(&tab, zeros, sizeof(zeros), 0, &why), KSYM_ERR_UNPATCHED));
	cr_assert(eq(int, ksym_describe(&tab, 0xabc, 0, buf, sizeof(buf)), KSYM_ERR_UNPATCHED));
	cr_assert(eq(str, buf, "0xabc"));
}

Test(runtime_api, a_table_never_opened_is_unpatched_not_a_fault)
{
	struct ksym_table never;
	char buf[64];

	memset(&never, 0, sizeof(never));
	cr_assert(eq(int, ksym_describe(&never, 0x1234, 0, buf, sizeof(buf)), KSYM_ERR_UNPATCHED));
	cr_assert(eq(str, buf, "0x1234"));
}

Test(runtime_api, a_short_buffer_is_cut_and_terminated)
{
	char buf[8];

	open_small();
	memset(buf, '#', sizeof(buf));
	cr_assert(eq(int, ksym_describe(&tab, 0x40080004, 0, buf, sizeof(buf)), KSYM_OK));
	cr_assert(eq(str, buf, "first+0"));
	cr_assert(eq(int, ksym_describe(&tab, 0x40080030, 0, buf, 5), KSYM_ERR_NOT_FOUND));
	cr_assert(eq(str, buf, "0x40"));
	cr_assert(eq(int, ksym_describe(&tab, 0x40080030, 0, buf, 0), KSYM_ERR_NOT_FOUND));
}

/* ---- helpers ------------------------------------------------------------ */

Test(runtime_api, the_call_site_on_this_host_is_one_byte_back)
{
	/* The tests run on x86-64, where a call is 2 to 7 bytes. */
#if defined(__x86_64__) || defined(__i386__)
	cr_assert(eq(int, KSYM_CALL_BACK, 1));
	cr_assert(eq(u64, ksym_call_site(0x401000), 0x400fff));
#else
	cr_skip_test("the per-target values are in runtime_targets");
#endif
	cr_assert(eq(u64, ksym_code_addr(0x40080a3b), 0x40080a3b), "bit 0 is cleared on 32-bit ARM only");
}

Test(runtime_api, array_size_counts_elements)
{
	uint64_t a[7];
	char b[3];

	cr_assert(eq(sz, KSYM_ARRAY_SIZE(a), 7));
	cr_assert(eq(sz, KSYM_ARRAY_SIZE(b), 3));
}

/*
 * Seven names whose shared prefixes grow one byte a name past a common 300,
 * then one that shares less with its predecessor than the last four did:
 * its check needs a byte of a name older than the suppliers open keeps at
 * hand, found by walking the run.  Stored out of order (the last suffix
 * byte made smaller), it must be refused.
 */
Test(runtime_api, a_shorter_prefix_after_a_long_climb_is_checked_against_the_right_name)
{
	const char *tails[] = { "a", "ab", "abc", "abcd", "abcde", "abcdef", "abcdefg", "ab~" };
	enum { N = 8 };
	char *names[N];
	struct ksp_sym s[N];
	const char *why = NULL;
	uint32_t end;

	for (int i = 0; i < N; i++) {
		names[i] = long_name(300, 'p', tails[i]);
		s[i] = (struct ksp_sym)FUNC(0x1000 + 0x10 * (uint64_t)i, 0x10, names[i]);
	}
	encode(s, N);
	cr_assert(eq(int, open_blob(N, &why), KSYM_OK), "%s", why);
	end = table_u32(blob.data, KSYM_HDR_END);
	cr_assert(eq(u8, blob.data[end - 2], table_literal(blob.data, '~')), "the encoder stored the last suffix otherwise");
	table_alphabet(blob.data)[blob.data[end - 2] - 1] = '!'; /* ...ab! sorts before ...abc */
	table_reseal(blob.data);
	cr_assert(eq(int, open_blob(N, &why), KSYM_ERR_CORRUPT));
	cr_assert(eq(str, (char *)why, "names are not sorted"));
	for (int i = 0; i < N; i++)
		free(names[i]);
}
