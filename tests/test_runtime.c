/*
 * Runtime unit tests: blobs built in memory (by the encoder, or corrupted
 * from its output and resealed), looked up through the runtime.  No ELF, no
 * files, no QEMU.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ksym/format.h>
#include <ksym/ksym.h>

#include "ksympatch.h"

#define SYM(start_, size_, name_, type_, bind_) \
	{ .start = (start_), .size = (size_), .name = (name_), .type = (type_), .bind = (bind_) }
#define N(a) (sizeof(a) / sizeof((a)[0]))

static struct ksp_blob blob;
static struct ksym_table tab;

/* Encode syms (sorted into table order first) and open the result. */
static void build(struct ksp_sym *syms, size_t n, int addr_size, int big_endian)
{
	const char *why = NULL;

	free(blob.data);
	ksp_sort(syms, n);
	cr_assert(eq(int, ksp_encode(syms, n, addr_size, big_endian, &blob, &why), 0));
	cr_assert(eq(int, ksym_open(&tab, blob.data, blob.size, n, &why), KSYM_OK), "%s", why);
}

/* Recompute the checksum after a test edits the blob on purpose. */
static void reseal(void)
{
	uint32_t sum = ksym_checksum(blob.data, ksym_blob_bytes(&tab));

	memcpy(blob.data + KSYM_HDR_CHECKSUM, &sum, 4); /* host order: tests build little-endian */
}

static const char *lookup(uint64_t addr)
{
	static char buf[128];
	struct ksym_symbol s;

	if (ksym_lookup_addr(&tab, addr, &s) != KSYM_OK)
		return "??";
	ksym_format(buf, sizeof(buf), &s, addr);
	return buf;
}

static void teardown(void)
{
	free(blob.data);
	memset(&blob, 0, sizeof(blob));
}

TestSuite(ksym_lookup, .fini = teardown);
TestSuite(ksym_open, .fini = teardown);
TestSuite(ksym_format, .fini = teardown);

Test(ksym_lookup, empty_table_finds_nothing)
{
	build(NULL, 0, 8, 0);
	cr_assert(eq(u32, tab.count, 0));
	cr_assert(eq(str, (char *)lookup(0), "??"));
	cr_assert(eq(str, (char *)lookup(UINT64_MAX), "??"));
	cr_assert(eq(sz, ksym_lookup_name(&tab, "x", NULL, 0), 0));
}

Test(ksym_lookup, one_symbol_covers_first_to_last_byte_only)
{
	struct ksp_sym s[] = { SYM(0x1000, 0x20, "only", 'T', KSP_GLOBAL) };

	build(s, N(s), 8, 0);
	cr_assert(eq(str, (char *)lookup(0xfff), "??"));
	cr_assert(eq(str, (char *)lookup(0x1000), "only+0x0/0x20"));
	cr_assert(eq(str, (char *)lookup(0x101f), "only+0x1f/0x20"));
	cr_assert(eq(str, (char *)lookup(0x1020), "??"));
}

Test(ksym_lookup, adjacent_symbols_split_at_the_boundary)
{
	struct ksp_sym s[] = {
		SYM(0x110, 0x10, "second", 'T', KSP_GLOBAL),
		SYM(0x100, 0x10, "first", 'T', KSP_GLOBAL),
	};

	build(s, N(s), 8, 0);
	cr_assert(eq(str, (char *)lookup(0x10f), "first+0xf/0x10"));
	cr_assert(eq(str, (char *)lookup(0x110), "second+0x0/0x10"));
}

Test(ksym_lookup, gap_between_functions_is_not_blamed_on_the_previous_one)
{
	struct ksp_sym s[] = {
		SYM(0x100, 0x10, "before", 'T', KSP_GLOBAL),
		SYM(0x200, 0x10, "after", 'T', KSP_GLOBAL),
	};

	build(s, N(s), 8, 0);
	cr_assert(eq(str, (char *)lookup(0x110), "??"));
	cr_assert(eq(str, (char *)lookup(0x1ff), "??"));
	cr_assert(eq(str, (char *)lookup(0x200), "after+0x0/0x10"));
}

Test(ksym_lookup, aliases_prefer_global_then_fewer_underscores)
{
	struct ksp_sym s[] = {
		SYM(0x100, 0x40, "local_alias", 't', KSP_LOCAL),
		SYM(0x100, 0x40, "__memcpy", 'T', KSP_GLOBAL),
		SYM(0x100, 0x40, "memcpy", 'T', KSP_GLOBAL),
		SYM(0x100, 0x40, "weak_memcpy", 'W', KSP_WEAK),
	};

	build(s, N(s), 8, 0);
	cr_assert(eq(str, (char *)lookup(0x120), "memcpy+0x20/0x40"));
}

Test(ksym_lookup, nested_symbol_wins_inside_and_outer_outside)
{
	struct ksp_sym s[] = {
		SYM(0x1000, 0x1000, "outer_buffer", 'D', KSP_GLOBAL),
		SYM(0x1100, 0x10, "inner", 'D', KSP_GLOBAL),
		SYM(0x1200, 0x10, "inner2", 'D', KSP_GLOBAL),
	};

	build(s, N(s), 8, 0);
	cr_assert(eq(str, (char *)lookup(0x1105), "inner+0x5/0x10"));
	cr_assert(eq(str, (char *)lookup(0x1150), "outer_buffer+0x150/0x1000"));
	cr_assert(eq(str, (char *)lookup(0x1fff), "outer_buffer+0xfff/0x1000"));
	cr_assert(eq(str, (char *)lookup(0x2000), "??"));
}

Test(ksym_lookup, highest_address_of_the_address_space)
{
	struct ksp_sym s64[] = { SYM(UINT64_MAX - 0xf, 0x10, "top", 'T', KSP_GLOBAL) };
	struct ksp_sym s32[] = { SYM(UINT32_MAX - 0xf, 0x10, "top32", 'T', KSP_GLOBAL) };

	build(s64, 1, 8, 0);
	cr_assert(eq(str, (char *)lookup(UINT64_MAX), "top+0xf/0x10"));
	build(s32, 1, 4, 0);
	cr_assert(eq(str, (char *)lookup(UINT32_MAX), "top32+0xf/0x10"));
	cr_assert(eq(str, (char *)lookup((uint64_t)UINT32_MAX + 1), "??"));
}

Test(ksym_lookup, repeated_static_name_returns_every_symbol_in_address_order)
{
	struct ksp_sym s[] = {
		SYM(0x300, 0x8, "repeated", 't', KSP_LOCAL),
		SYM(0x100, 0x8, "repeated", 't', KSP_LOCAL),
		SYM(0x200, 0x8, "unique", 'T', KSP_GLOBAL),
	};
	struct ksym_symbol out[4];

	build(s, N(s), 8, 0);
	cr_assert(eq(sz, ksym_lookup_name(&tab, "repeated", out, 4), 2));
	cr_assert(eq(u64, out[0].start, 0x100));
	cr_assert(eq(u64, out[1].start, 0x300));
	cr_assert(eq(sz, ksym_lookup_name(&tab, "unique", out, 4), 1));
	cr_assert(eq(u64, out[0].start, 0x200));
	cr_assert(eq(sz, ksym_lookup_name(&tab, "repeate", out, 4), 0));
	cr_assert(eq(sz, ksym_lookup_name(&tab, "repeated", out, 1), 2), "count even past max");
}

/* Enough names, sharing long prefixes and repeating, to exercise the index sort. */
Test(ksym_lookup, every_name_of_a_large_table_is_found_in_address_order)
{
	enum { COUNT = 3000 };
	static struct ksp_sym s[COUNT];
	static char names[COUNT][48];
	struct ksym_symbol out[8];

	for (int i = 0; i < COUNT; i++) {
		/* 1000 distinct names, each used three times, at descending addresses. */
		snprintf(names[i], sizeof(names[i]), "drivers_net_ethernet_%c%d", 'a' + (i % 1000 * 7) % 26,
			 i % 1000);
		s[i] = (struct ksp_sym)SYM(0x100000 - 0x10 * (uint64_t)i, 0x10, names[i], 't', KSP_LOCAL);
	}
	build(s, COUNT, 8, 0);
	for (int i = 0; i < 1000; i++) {
		cr_assert(eq(sz, ksym_lookup_name(&tab, names[i], out, 8), 3), "%s", names[i]);
		cr_assert(out[0].start < out[1].start && out[1].start < out[2].start);
	}
}

Test(ksym_lookup, identical_names_are_stored_once)
{
	struct ksp_sym s[] = {
		SYM(0x100, 0x8, "repeated", 't', KSP_LOCAL),
		SYM(0x200, 0x8, "repeated", 't', KSP_LOCAL),
	};

	build(s, N(s), 8, 0);
	cr_assert(eq(u32, tab.strings_size, strlen("repeated") + 2));
}

Test(ksym_lookup, same_name_with_another_type_keeps_its_own_entry)
{
	struct ksp_sym s[] = {
		SYM(0x100, 0x8, "init", 't', KSP_LOCAL),
		SYM(0x200, 0x8, "init", 'T', KSP_GLOBAL),
		SYM(0x300, 0x8, "init", 't', KSP_LOCAL),
	};
	struct ksym_symbol out[3];

	build(s, N(s), 8, 0);
	cr_assert(eq(u32, tab.strings_size, 2 * (strlen("init") + 2)), "two entries, t and T");
	cr_assert(eq(sz, ksym_lookup_name(&tab, "init", out, 3), 3));
	cr_assert(eq(chr, out[0].type, 't'));
	cr_assert(eq(chr, out[1].type, 'T'));
	cr_assert(eq(chr, out[2].type, 't'));
}

Test(ksym_lookup, big_endian_blob_reads_on_any_host)
{
	struct ksp_sym s[] = {
		SYM(0xffff000040080000, 0x40, "be_func", 'T', KSP_GLOBAL),
		SYM(0xffff000040080040, 0x10, "be_next", 't', KSP_LOCAL),
	};
	struct ksym_symbol out;

	build(s, N(s), 8, 1);
	cr_assert(eq(u8, blob.data[KSYM_HDR_ENDIAN], KSYM_ENDIAN_BIG));
	cr_assert(eq(u8, blob.data[KSYM_HDR_COUNT + 3], 2), "count is big-endian in the blob");
	cr_assert(eq(str, (char *)lookup(0xffff000040080044), "be_next+0x4/0x10"));
	cr_assert(eq(sz, ksym_lookup_name(&tab, "be_func", &out, 1), 1));
	cr_assert(eq(u64, out.start, 0xffff000040080000));
}

/* The layout of docs/FORMAT.md, written out byte by byte. */
Test(ksym_lookup, one_record_has_the_documented_layout)
{
	struct ksp_sym s[] = { SYM(0x40080008, 0xc, "bar", 'T', KSP_GLOBAL) };
	unsigned char want[] = {
		'K', 'S', 'Y', 'M', KSYM_FORMAT_VERSION, KSYM_ENDIAN_LITTLE, 8, 16,
		1, 0, 0, 0,      /* count */
		0, 0, 0, 0,      /* span */
		48, 0, 0, 0,     /* index_off = 32 + 16 */
		52, 0, 0, 0,     /* strings_off = 48 + 4 */
		5, 0, 0, 0,      /* strings_size = "Tbar\0" */
		0, 0, 0, 0,      /* checksum, checked below */
		0x08, 0x00, 0x08, 0x40, 0, 0, 0, 0, /* start */
		0x0c, 0, 0, 0,   /* size */
		0, 0, 0, 0,      /* name_off */
		0, 0, 0, 0,      /* index[0] */
		'T', 'b', 'a', 'r', 0,
	};
	uint32_t sum;

	build(s, N(s), 8, 0);
	cr_assert(eq(sz, blob.size, (sizeof(want) + 7) & ~7ul));
	memcpy(&sum, blob.data + KSYM_HDR_CHECKSUM, 4);
	memset(blob.data + KSYM_HDR_CHECKSUM, 0, 4);
	cr_assert(eq(int, memcmp(blob.data, want, sizeof(want)), 0));
	cr_assert(eq(u32, sum, ksym_checksum(want, sizeof(want))));
}

Test(ksym_open, unpatched_placeholder_says_not_patched)
{
	static unsigned char zeros[4096] __attribute__((aligned(8)));
	const char *why;

	cr_assert(eq(int, ksym_open(&tab, zeros, sizeof(zeros), 0, &why), KSYM_ERR_UNPATCHED));
	cr_assert(eq(str, (char *)why, "symbol table not patched"));
	cr_assert(eq(int, ksym_open(&tab, zeros, sizeof(zeros), 3, &why), KSYM_ERR_CORRUPT));
}

static struct ksp_sym three[] = {
	SYM(0x100, 0x10, "alpha", 'T', KSP_GLOBAL),
	SYM(0x200, 0x10, "beta", 'T', KSP_GLOBAL),
	SYM(0x300, 0x10, "gamma", 'T', KSP_GLOBAL),
};

static int reopen(uint64_t count, const char **why)
{
	struct ksym_table t;

	return ksym_open(&t, blob.data, blob.size, count, why);
}

Test(ksym_open, bad_magic_is_corrupt)
{
	const char *why;

	build(three, N(three), 8, 0);
	blob.data[0] = 'X';
	cr_assert(eq(int, reopen(3, &why), KSYM_ERR_CORRUPT));
	cr_assert(eq(str, (char *)why, "bad magic"));
}

Test(ksym_open, other_version_is_reported_as_such)
{
	build(three, N(three), 8, 0);
	blob.data[KSYM_HDR_VERSION] = KSYM_FORMAT_VERSION + 1;
	cr_assert(eq(int, reopen(3, NULL), KSYM_ERR_VERSION));
}

Test(ksym_open, flipped_byte_fails_the_checksum)
{
	const char *why;

	build(three, N(three), 8, 0);
	blob.data[KSYM_HDR_SIZE + 1] ^= 0x40;
	cr_assert(eq(int, reopen(3, &why), KSYM_ERR_CORRUPT));
	cr_assert(eq(str, (char *)why, "checksum mismatch"));
}

Test(ksym_open, count_larger_than_the_section_is_corrupt)
{
	const char *why;
	uint32_t huge = 0x10000000;

	build(three, N(three), 8, 0);
	cr_assert(eq(int, reopen(4, &why), KSYM_ERR_CORRUPT), "count symbol disagrees");
	memcpy(blob.data + KSYM_HDR_COUNT, &huge, 4);
	reseal();
	cr_assert(eq(int, reopen(huge, &why), KSYM_ERR_CORRUPT));
	cr_assert(eq(str, (char *)why, "table runs past the placeholder"));
}

Test(ksym_open, truncated_blob_is_corrupt)
{
	build(three, N(three), 8, 0);
	cr_assert(eq(int, ksym_open(&tab, blob.data, blob.size - 8, 3, NULL), KSYM_ERR_CORRUPT));
	cr_assert(eq(int, ksym_open(&tab, blob.data, 8, 3, NULL), KSYM_ERR_CORRUPT));
}

Test(ksym_open, name_offset_past_the_pool_is_corrupt)
{
	const char *why;
	uint32_t bad = 0xfff0;

	build(three, N(three), 8, 0);
	memcpy(blob.data + KSYM_HDR_SIZE + KSYM_REC_NAME_OFF(8), &bad, 4);
	reseal();
	cr_assert(eq(int, reopen(3, &why), KSYM_ERR_CORRUPT));
	cr_assert(eq(str, (char *)why, "name offset past the string pool"));
}

Test(ksym_open, unsorted_records_are_corrupt)
{
	const char *why;
	unsigned char tmp[16], *r0;

	build(three, N(three), 8, 0);
	r0 = blob.data + KSYM_HDR_SIZE;
	memcpy(tmp, r0, 16);
	memcpy(r0, r0 + 32, 16);
	memcpy(r0 + 32, tmp, 16);
	reseal();
	cr_assert(eq(int, reopen(3, &why), KSYM_ERR_CORRUPT));
	cr_assert(eq(str, (char *)why, "records are not sorted by address"));
}

Test(ksym_open, unsorted_name_index_is_corrupt)
{
	const char *why;
	uint32_t *index;

	build(three, N(three), 8, 0);
	index = (uint32_t *)(blob.data + tab.index_off);
	index[0] = 2;
	index[2] = 0;
	reseal();
	cr_assert(eq(int, reopen(3, &why), KSYM_ERR_CORRUPT));
	cr_assert(eq(str, (char *)why, "name index is not sorted"));
}

Test(ksym_format, writes_name_offset_and_size)
{
	struct ksym_symbol s = { .start = 0x40081200, .size = 0x80, .name = "kernel_init" };
	char buf[64];

	cr_assert(eq(sz, ksym_format(buf, sizeof(buf), &s, 0x40081234), strlen("kernel_init+0x34/0x80")));
	cr_assert(eq(str, buf, "kernel_init+0x34/0x80"));
}

Test(ksym_format, truncates_and_terminates_a_short_buffer)
{
	struct ksym_symbol s = { .start = 0, .size = 0x10, .name = "abcdef" };
	char buf[5] = "zzzzz";

	cr_assert(eq(sz, ksym_format(buf, sizeof(buf), &s, 1), strlen("abcdef+0x1/0x10")));
	cr_assert(eq(str, buf, "abcd"));
	cr_assert(eq(sz, ksym_format(NULL, 0, &s, 1), strlen("abcdef+0x1/0x10")));
}

/* The documented definition, computed byte by byte. */
Test(ksym_open, checksum_is_the_documented_fnv_over_words)
{
	unsigned char b[45];
	uint64_t h = KSYM_SUM_BASIS;

	for (size_t i = 0; i < sizeof(b); i++)
		b[i] = (unsigned char)(i * 37 + 11);
	for (size_t i = 0; i < 40; i += 8) {
		uint64_t w = 0;

		for (int k = 0; k < 8; k++)
			if (i + k < 28 || i + k >= 32)
				w |= (uint64_t)b[i + k] << (8 * k);
		h = (h ^ w) * KSYM_SUM_PRIME;
	}
	for (size_t i = 40; i < sizeof(b); i++)
		h = (h ^ b[i]) * KSYM_SUM_PRIME;
	cr_assert(eq(u32, ksym_checksum(b, sizeof(b)), (uint32_t)(h ^ h >> 32)));
}

Test(ksym_format, status_codes_have_words)
{
	cr_assert(eq(str, (char *)ksym_strerror(KSYM_ERR_UNPATCHED), "symbol table not patched"));
	cr_assert(eq(str, (char *)ksym_strerror(KSYM_ERR_CORRUPT), "symbol table corrupt"));
}
