/*
 * Runtime unit tests: blobs built in memory (by the encoder, or corrupted
 * from its output and resealed), looked up through the runtime.  No ELF, no
 * files, no QEMU.
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
	cr_assert(eq(int, ksym_verify(&tab, &why), KSYM_OK), "%s", why);
}

static const char *lookup(uint64_t addr)
{
	static char buf[128];
	struct ksym_symbol s;

	if (ksym_lookup_addr(&tab, addr, &s) != KSYM_OK)
		return "??";
	ksym_format(&tab, buf, sizeof(buf), &s, addr);
	return buf;
}

static void teardown(void)
{
	free(blob.data);
	memset(&blob, 0, sizeof(blob));
}

TestSuite(runtime, .fini = teardown);


Test(runtime, lookup_empty_table_finds_nothing)
{
	build(NULL, 0, 8, 0);
	cr_assert(eq(u32, tab.count, 0));
	cr_assert(eq(str, (char *)lookup(0), "??"));
	cr_assert(eq(str, (char *)lookup(UINT64_MAX), "??"));
	cr_assert(eq(sz, ksym_lookup_name(&tab, "x", NULL, 0), 0));
}

Test(runtime, lookup_one_symbol_covers_first_to_last_byte_only)
{
	struct ksp_sym s[] = { SYM(0x1000, 0x20, "only", 'T', KSP_GLOBAL) };

	build(s, KSP_ARRAY_SIZE(s), 8, 0);
	cr_assert(eq(str, (char *)lookup(0xfff), "??"));
	cr_assert(eq(str, (char *)lookup(0x1000), "only+0x0/0x20"));
	cr_assert(eq(str, (char *)lookup(0x101f), "only+0x1f/0x20"));
	cr_assert(eq(str, (char *)lookup(0x1020), "??"));
}

Test(runtime, lookup_adjacent_symbols_split_at_the_boundary)
{
	struct ksp_sym s[] = {
		SYM(0x110, 0x10, "second", 'T', KSP_GLOBAL),
		SYM(0x100, 0x10, "first", 'T', KSP_GLOBAL),
	};

	build(s, KSP_ARRAY_SIZE(s), 8, 0);
	cr_assert(eq(str, (char *)lookup(0x10f), "first+0xf/0x10"));
	cr_assert(eq(str, (char *)lookup(0x110), "second+0x0/0x10"));
}

Test(runtime, lookup_gap_between_functions_is_not_blamed_on_the_previous_one)
{
	struct ksp_sym s[] = {
		SYM(0x100, 0x10, "before", 'T', KSP_GLOBAL),
		SYM(0x200, 0x10, "after", 'T', KSP_GLOBAL),
	};

	build(s, KSP_ARRAY_SIZE(s), 8, 0);
	cr_assert(eq(str, (char *)lookup(0x110), "??"));
	cr_assert(eq(str, (char *)lookup(0x1ff), "??"));
	cr_assert(eq(str, (char *)lookup(0x200), "after+0x0/0x10"));
}

Test(runtime, lookup_aliases_prefer_global_then_fewer_underscores)
{
	struct ksp_sym s[] = {
		SYM(0x100, 0x40, "local_alias", 't', KSP_LOCAL),
		SYM(0x100, 0x40, "__memcpy", 'T', KSP_GLOBAL),
		SYM(0x100, 0x40, "memcpy", 'T', KSP_GLOBAL),
		SYM(0x100, 0x40, "weak_memcpy", 'W', KSP_WEAK),
	};

	build(s, KSP_ARRAY_SIZE(s), 8, 0);
	cr_assert(eq(str, (char *)lookup(0x120), "memcpy+0x20/0x40"));
}

Test(runtime, lookup_nested_symbol_wins_inside_and_outer_outside)
{
	struct ksp_sym s[] = {
		SYM(0x1000, 0x1000, "outer_buffer", 'D', KSP_GLOBAL),
		SYM(0x1100, 0x10, "inner", 'D', KSP_GLOBAL),
		SYM(0x1200, 0x10, "inner2", 'D', KSP_GLOBAL),
	};

	build(s, KSP_ARRAY_SIZE(s), 8, 0);
	cr_assert(eq(str, (char *)lookup(0x1105), "inner+0x5/0x10"));
	cr_assert(eq(str, (char *)lookup(0x1150), "outer_buffer+0x150/0x1000"));
	cr_assert(eq(str, (char *)lookup(0x1fff), "outer_buffer+0xfff/0x1000"));
	cr_assert(eq(str, (char *)lookup(0x2000), "??"));
}

Test(runtime, lookup_highest_address_of_the_address_space)
{
	struct ksp_sym s64[] = { SYM(UINT64_MAX - 0xf, 0x10, "top", 'T', KSP_GLOBAL) };
	struct ksp_sym s32[] = { SYM(UINT32_MAX - 0xf, 0x10, "top32", 'T', KSP_GLOBAL) };

	build(s64, 1, 8, 0);
	cr_assert(eq(str, (char *)lookup(UINT64_MAX), "top+0xf/0x10"));
	build(s32, 1, 4, 0);
	cr_assert(eq(str, (char *)lookup(UINT32_MAX), "top32+0xf/0x10"));
	cr_assert(eq(str, (char *)lookup((uint64_t)UINT32_MAX + 1), "??"));
}

/*
 * A symbol that ends exactly at 2^64 (2^32 on ELF32), with enough functions
 * nested in it that the lookup goes through the max-end tree: its last byte
 * is its, not "??".
 */
Test(runtime, lookup_the_last_byte_through_the_tree_when_a_symbol_ends_at_the_top)
{
	static char names[40][16];
	struct ksp_sym s[41];

	for (int bits = 64; bits >= 32; bits -= 32) {
		uint64_t top = bits == 64 ? UINT64_MAX : UINT32_MAX, big = top - 0xff;

		s[0] = (struct ksp_sym)SYM(big, 0x100, "big", 'T', KSP_GLOBAL);
		for (int i = 0; i < 40; i++) {
			snprintf(names[i], sizeof(names[i]), "inner%d", i);
			s[i + 1] = (struct ksp_sym)SYM(big + 4 * (uint64_t)i, 2, names[i], 't', KSP_LOCAL);
		}
		build(s, KSP_ARRAY_SIZE(s), bits / 8, 0);
		cr_assert(table_u32(blob.data, KSYM_HDR_TREE_OFF) != 0, "the table has a tree");
		cr_assert(eq(str, (char *)lookup(top), "big+0xff/0x100"), "ELF%d", bits);
		cr_assert(eq(str, (char *)lookup(top - 1), "big+0xfe/0x100"), "ELF%d", bits);
		cr_assert(eq(str, (char *)lookup(big + 0xa1), "big+0xa1/0x100"), "ELF%d", bits);
		free(blob.data);
		blob.data = NULL;
	}
}

Test(runtime, lookup_repeated_static_name_returns_every_symbol_in_address_order)
{
	struct ksp_sym s[] = {
		SYM(0x300, 0x8, "repeated", 't', KSP_LOCAL),
		SYM(0x100, 0x8, "repeated", 't', KSP_LOCAL),
		SYM(0x200, 0x8, "unique", 'T', KSP_GLOBAL),
	};
	struct ksym_symbol out[4];

	build(s, KSP_ARRAY_SIZE(s), 8, 0);
	cr_assert(eq(sz, ksym_lookup_name(&tab, "repeated", out, 4), 2));
	cr_assert(eq(u64, out[0].start, 0x100));
	cr_assert(eq(u64, out[1].start, 0x300));
	cr_assert(eq(sz, ksym_lookup_name(&tab, "unique", out, 4), 1));
	cr_assert(eq(u64, out[0].start, 0x200));
	cr_assert(eq(sz, ksym_lookup_name(&tab, "repeate", out, 4), 0));
	cr_assert(eq(sz, ksym_lookup_name(&tab, "repeated", out, 1), 2), "count even past max");
}

/* Enough names, sharing long prefixes and repeating, to exercise the index sort. */
Test(runtime, lookup_every_name_of_a_large_table_is_found_in_address_order)
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

Test(runtime, lookup_same_name_with_another_type_keeps_its_own_entry)
{
	struct ksp_sym s[] = {
		SYM(0x100, 0x8, "init", 't', KSP_LOCAL),
		SYM(0x200, 0x8, "init", 'T', KSP_GLOBAL),
		SYM(0x300, 0x8, "init", 't', KSP_LOCAL),
	};
	struct ksym_symbol out[3];

	build(s, KSP_ARRAY_SIZE(s), 8, 0);
	cr_assert(eq(sz, ksym_lookup_name(&tab, "init", out, 3), 3));
	cr_assert(eq(chr, out[0].type, 't'));
	cr_assert(eq(chr, out[1].type, 'T'));
	cr_assert(eq(chr, out[2].type, 't'));
}

Test(runtime, lookup_big_endian_blob_reads_on_any_host)
{
	struct ksp_sym s[] = {
		SYM(0xffff000040080000, 0x40, "be_func", 'T', KSP_GLOBAL),
		SYM(0xffff000040080040, 0x10, "be_next", 't', KSP_LOCAL),
	};
	struct ksym_symbol out;

	build(s, KSP_ARRAY_SIZE(s), 8, 1);
	cr_assert(eq(u8, blob.data[KSYM_HDR_ENDIAN], KSYM_ENDIAN_BIG));
	cr_assert(eq(u8, blob.data[KSYM_HDR_COUNT + 3], 2), "count is big-endian in the blob");
	cr_assert(eq(str, (char *)lookup(0xffff000040080044), "be_next+0x4/0x10"));
	cr_assert(eq(sz, ksym_lookup_name(&tab, "be_func", &out, 1), 1));
	cr_assert(eq(u64, out.start, 0xffff000040080000));
}

/* The layout of docs/FORMAT.md, written out byte by byte. */
Test(runtime, lookup_one_record_has_the_documented_layout)
{
	struct ksp_sym s[] = { SYM(0x40080008, 0xc, "bar", 'T', KSP_GLOBAL) };
	unsigned char want[] = {
		'K', 'S', 'Y', 'M', KSYM_FORMAT_VERSION, KSYM_ENDIAN_LITTLE, 8, KSYM_FLAG_SHORT,
		1, 0, 0, 0,       /* count */
		0, 0, 0, 0,       /* checksum, checked below */
		3, 0, 0, 1,       /* 3 literals, no escape bytes, pad unit 1, 1-bit permutations */
		125, 0, 0, 0,     /* blocks_off: header, types, size shifts and the alphabet */
		0, 0, 0, 0,       /* no tree */
		131, 0, 0, 0,     /* records_off: one 6-byte block entry (u16 offset) */
		133, 0, 0, 0,     /* restarts_off: a 2-byte record */
		135, 0, 0, 0,     /* perm_off: one u16 restart */
		136, 0, 0, 0,     /* names_off: no name hints (one group), a 1-byte permutation */
		141, 0, 0, 0,     /* end: a 5-byte name entry */
		0x08, 0x00, 0x08, 0x40, 0, 0, 0, 0, /* base: the first start */
		0, 0,             /* no tokens */
		'T', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* T's sizes in units of 1 << 2 */
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		'a', 'b', 'r',    /* the alphabet: literal codes 1, 2, 3 */
		0, 0, 0, 0, 0, 0, /* block 0: start - base, stream offset */
		0x00, 0x03,       /* code: same start, type 0; size 0xc as 3 units of 4 */
		0, 0,             /* restart 0 at offset 0 */
		0x00,             /* record 0 is name 0 */
		0, 2, 1, 3, 0,    /* shared prefix 0, "bar" as literal codes */
	};
	uint32_t sum;

	build(s, KSP_ARRAY_SIZE(s), 8, 0);
	cr_assert(eq(sz, blob.size, (sizeof(want) + 7) & ~7ul));
	memcpy(&sum, blob.data + KSYM_HDR_CHECKSUM, 4);
	memset(blob.data + KSYM_HDR_CHECKSUM, 0, 4);
	cr_assert(eq(int, memcmp(blob.data, want, sizeof(want)), 0));
	cr_assert(eq(u32, sum, ksym_checksum(want, sizeof(want))));
}

Test(runtime, open_unpatched_placeholder_says_not_patched)
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
	int err = ksym_open(&t, blob.data, blob.size, count, why);

	return err ? err : ksym_verify(&t, why); /* open, then the whole proof */
}

Test(runtime, open_bad_magic_is_corrupt)
{
	const char *why;

	build(three, KSP_ARRAY_SIZE(three), 8, 0);
	blob.data[0] = 'X';
	cr_assert(eq(int, reopen(3, &why), KSYM_ERR_CORRUPT));
	cr_assert(eq(str, (char *)why, "bad magic"));
}

Test(runtime, open_other_version_is_reported_as_such)
{
	build(three, KSP_ARRAY_SIZE(three), 8, 0);
	const char *why;

	blob.data[KSYM_HDR_VERSION] = 1;
	cr_assert(eq(int, reopen(3, &why), KSYM_ERR_VERSION));
	cr_assert(eq(str, (char *)why, "wrong format version"));
}

Test(runtime, open_flipped_byte_fails_the_checksum)
{
	const char *why;

	build(three, KSP_ARRAY_SIZE(three), 8, 0);
	blob.data[table_u32(blob.data, KSYM_HDR_NAMES_OFF) + 1] ^= 0x40;
	cr_assert(eq(int, reopen(3, &why), KSYM_ERR_CORRUPT));
	cr_assert(eq(str, (char *)why, "checksum mismatch"));
}

Test(runtime, open_count_larger_than_the_section_is_corrupt)
{
	const char *why;
	uint32_t huge = 0x10000000;

	build(three, KSP_ARRAY_SIZE(three), 8, 0);
	cr_assert(eq(int, reopen(4, &why), KSYM_ERR_CORRUPT), "count symbol disagrees");
	memcpy(blob.data + KSYM_HDR_COUNT, &huge, 4);
	table_reseal(blob.data);
	cr_assert(eq(int, reopen(huge, &why), KSYM_ERR_CORRUPT));
	cr_assert(eq(str, (char *)why, "table layout does not match its counts"));
}

Test(runtime, open_truncated_blob_is_corrupt)
{
	build(three, KSP_ARRAY_SIZE(three), 8, 0);
	cr_assert(eq(int, ksym_open(&tab, blob.data, blob.size - 8, 3, NULL), KSYM_ERR_CORRUPT));
	cr_assert(eq(int, ksym_open(&tab, blob.data, 8, 3, NULL), KSYM_ERR_CORRUPT));
}

Test(runtime, format_writes_name_offset_and_size)
{
	struct ksp_sym s[] = { SYM(0x40081200, 0x80, "kernel_init", 'T', KSP_GLOBAL) };
	struct ksym_symbol sym;
	char buf[64];

	build(s, KSP_ARRAY_SIZE(s), 8, 0);
	ksym_symbol_at(&tab, 0, &sym);
	cr_assert(eq(sz, ksym_format(&tab, buf, sizeof(buf), &sym, 0x40081234),
		     strlen("kernel_init+0x34/0x80")));
	cr_assert(eq(str, buf, "kernel_init+0x34/0x80"));
}

Test(runtime, format_truncates_and_terminates_a_short_buffer)
{
	struct ksp_sym s[] = { SYM(0, 0x10, "abcdef", 'T', KSP_GLOBAL) };
	struct ksym_symbol sym;
	char buf[5] = "zzzzz";

	build(s, KSP_ARRAY_SIZE(s), 8, 0);
	ksym_symbol_at(&tab, 0, &sym);
	cr_assert(eq(sz, ksym_format(&tab, buf, sizeof(buf), &sym, 1), strlen("abcdef+0x1/0x10")));
	cr_assert(eq(str, buf, "abcd"));
	cr_assert(eq(sz, ksym_format(&tab, NULL, 0, &sym, 1), strlen("abcdef+0x1/0x10")));
	cr_assert(eq(sz, ksym_name(&tab, &sym, buf, 3), 6));
	cr_assert(eq(str, buf, "ab"));
}

/* The documented definition, computed byte by byte. */
Test(runtime, open_checksum_is_the_documented_fnv_over_words)
{
	unsigned char b[45];
	uint64_t h = KSYM_SUM_BASIS;

	for (size_t i = 0; i < sizeof(b); i++)
		b[i] = (unsigned char)(i * 37 + 11);
	for (size_t i = 0; i < 40; i += 8) {
		uint64_t w = 0;

		for (int k = 0; k < 8; k++)
			if (i + k < KSYM_HDR_CHECKSUM || i + k >= KSYM_HDR_CHECKSUM + 4)
				w |= (uint64_t)b[i + k] << (8 * k);
		h = (h ^ w) * KSYM_SUM_PRIME;
	}
	for (size_t i = 40; i < sizeof(b); i++)
		h = (h ^ b[i]) * KSYM_SUM_PRIME;
	cr_assert(eq(u32, ksym_checksum(b, sizeof(b)), (uint32_t)(h ^ h >> 32)));
}

Test(runtime, format_status_codes_have_words)
{
	cr_assert(eq(str, (char *)ksym_strerror(KSYM_ERR_UNPATCHED), "symbol table not patched"));
	cr_assert(eq(str, (char *)ksym_strerror(KSYM_ERR_CORRUPT), "symbol table corrupt"));
}

/* ---- round trips: everything that goes in comes back out ---- */

/* The answer by brute force: the first record of the greatest start that contains addr. */
static int ref_lookup(const struct ksp_sym *s, size_t n, uint64_t addr)
{
	int best = -1;

	for (size_t i = 0; i < n; i++)
		if (addr - s[i].start < s[i].size && (best < 0 || s[i].start > s[best].start))
			best = (int)i;
	return best;
}

/* Every field of every symbol, every name lookup, and lookups at and around each symbol's ends. */
static void check_roundtrip(struct ksp_sym *s, size_t n, int addr_size, int big_endian)
{
	char *name = malloc(4096);
	struct ksym_symbol got, *all = malloc((n + 1) * sizeof(*all));

	build(s, n, addr_size, big_endian);
	for (size_t i = 0; i < n; i++) {
		ksym_symbol_at(&tab, (uint32_t)i, &got);
		cr_assert(eq(u64, got.start, s[i].start), "symbol %zu", i);
		cr_assert(eq(u64, got.size, s[i].size), "symbol %zu", i);
		cr_assert(eq(chr, got.type, s[i].type), "symbol %zu", i);
		cr_assert(eq(sz, ksym_name(&tab, &got, name, 4096), strlen(s[i].name)));
		cr_assert(eq(str, name, (char *)s[i].name));

		size_t same = 0, k = ksym_lookup_name(&tab, s[i].name, all, n + 1), found = 0;

		for (size_t j = 0; j < n; j++)
			same += strcmp(s[j].name, s[i].name) == 0;
		cr_assert(eq(sz, k, same), "%s", s[i].name);
		for (size_t j = 0; j < k; j++) {
			found |= all[j].index == i;
			cr_assert(j == 0 || all[j - 1].index < all[j].index, "address order");
		}
		cr_assert(found, "%s: the symbol is among its name's", s[i].name);

		uint64_t probe[] = { s[i].start, s[i].start + s[i].size - 1, s[i].start - 1,
				     s[i].start + s[i].size, s[i].start + s[i].size / 2 };

		for (size_t p = 0; p < KSP_ARRAY_SIZE(probe); p++) {
			int want = ref_lookup(s, n, probe[p]);
			int rc = ksym_lookup_addr(&tab, probe[p], &got);

			cr_assert(eq(int, rc, want < 0 ? KSYM_ERR_NOT_FOUND : KSYM_OK), "0x%llx",
				  (unsigned long long)probe[p]);
			if (want >= 0)
				cr_assert(eq(u32, got.index, (uint32_t)want), "0x%llx", (unsigned long long)probe[p]);
		}
	}
	cr_assert(eq(sz, ksym_lookup_name(&tab, "", all, 1), 0));
	free(name);
	free(all);
}

static char *name_of(const char *fmt, unsigned long i)
{
	char *p;

	cr_assert(asprintf(&p, fmt, i) > 0);
	return p;
}

static struct ksp_sym *functions(size_t n, uint64_t base, uint64_t stride, const char *fmt)
{
	struct ksp_sym *s = calloc(n + 1, sizeof(*s));

	for (size_t i = 0; i < n; i++)
		s[i] = (struct ksp_sym)SYM(base + stride * i, stride - 4, name_of(fmt, i), i % 3 ? 'T' : 't',
					  i % 3 ? KSP_GLOBAL : KSP_LOCAL);
	return s;
}

static void free_syms(struct ksp_sym *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free((char *)s[i].name);
	free(s);
}

Test(runtime, roundtrip_counts_around_block_and_restart_boundaries)
{
	size_t counts[] = { 0, 1, 2, 15, 16, 17, 31, 32, 33, 255, 257 };

	for (size_t c = 0; c < KSP_ARRAY_SIZE(counts); c++) {
		struct ksp_sym *s = functions(counts[c], 0x40080000, 0x40, "fn_%lu");

		check_roundtrip(s, counts[c], 8, 0);
		check_roundtrip(s, counts[c], 4, 1);
		free_syms(s, counts[c]);
	}
}

Test(runtime, roundtrip_huge_gaps_and_the_largest_sizes)
{
	struct ksp_sym s[] = {
		SYM(0x0, 1, "at_zero", 'T', KSP_GLOBAL),
		SYM(0x1000, 0xffffffff, "four_gib_less_one", 'D', KSP_GLOBAL),
		SYM(0x7fff00000000, 0x10, "far_away", 'T', KSP_GLOBAL),
		SYM(0xffffffff00000000, 0xffffffff, "near_the_top", 'd', KSP_LOCAL),
		SYM(UINT64_MAX, 1, "last_byte", 'r', KSP_LOCAL),
	};

	check_roundtrip(s, KSP_ARRAY_SIZE(s), 8, 0);
	check_roundtrip(s, KSP_ARRAY_SIZE(s), 8, 1);
}

/*
 * A higher-half kernel: boot code linked at its physical address, the rest
 * 0xffffffff80000000 above it.  The span needs wide block heads, and the
 * first symbol is not at 0.
 */
Test(runtime, roundtrip_wide_table_whose_first_symbol_is_not_at_zero)
{
	struct ksp_sym *s = functions(40, 0xffffffffc0083000, 0x40, "high_%lu");

	free((char *)s[0].name);
	s[0] = (struct ksp_sym)SYM(0x40080000, 0xa8, name_of("_start", 0), 'T', KSP_GLOBAL);
	check_roundtrip(s, 40, 8, 0);
	cr_assert(eq(u8, blob.data[KSYM_HDR_FLAGS] & KSYM_FLAG_WIDE, KSYM_FLAG_WIDE));
	check_roundtrip(s, 40, 8, 1);
	free_syms(s, 40);
}

/*
 * Each type's sizes are stored in the units all of them share: functions
 * of whole 4-byte instructions in 4s, objects of odd sizes in bytes, a
 * type whose every size is 0 in bytes.
 */
Test(runtime, sizes_are_stored_in_the_units_their_type_shares)
{
	struct ksp_sym s[] = { SYM(0x1000, 0x40, "f0", 'T', KSP_GLOBAL), SYM(0x1040, 0x1c, "f1", 'T', KSP_GLOBAL),
			       SYM(0x2000, 0x30, "o0", 'D', KSP_GLOBAL), SYM(0x2030, 0x7, "o1", 'D', KSP_GLOBAL),
			       SYM(0x3000, 0, "m0", 'N', KSP_LOCAL) };
	const unsigned char *types, *shifts;

	check_roundtrip(s, KSP_ARRAY_SIZE(s), 8, 0);
	types = blob.data + KSYM_HDR_TYPES;
	shifts = blob.data + KSYM_HDR_SHIFTS;
	for (unsigned i = 0; i < 3; i++) {
		unsigned want = types[i] == 'T' ? 2 : 0;

		cr_assert(eq(u8, shifts[i], want), "type %c", types[i]);
	}
	cr_assert(eq(u8, types[3], 0), "three types");
	check_roundtrip(s, KSP_ARRAY_SIZE(s), 4, 1);
}

/* Block offsets and restarts are u16 while both streams are under 64 KiB, u32 from there. */
Test(runtime, offsets_are_u16_only_while_both_streams_are_under_64_kib)
{
	enum { N = 40000 }; /* records of 2 bytes: 80,000 bytes of record stream */
	struct ksp_sym *s = functions(N, 0x40080000, 0x40, "f%lu");
	struct ksym_symbol got;
	char name[32];

	build(s, 40, 8, 1);
	cr_assert(eq(u8, blob.data[KSYM_HDR_FLAGS] & KSYM_FLAG_SHORT, KSYM_FLAG_SHORT));
	build(s, N, 8, 1);
	cr_assert(eq(u8, blob.data[KSYM_HDR_FLAGS] & KSYM_FLAG_SHORT, 0));
	for (uint32_t i = 0; i < N; i += 997) {
		cr_assert(eq(int, ksym_lookup_addr(&tab, s[i].start + 1, &got), KSYM_OK));
		cr_assert(eq(u32, got.index, i));
		ksym_name(&tab, &got, name, sizeof(name));
		cr_assert(eq(str, name, (char *)s[i].name));
	}
	free_syms(s, N);
}

/*
 * Tree nodes are ends less base in the block heads' width: a table whose
 * starts fit in 4 GiB of base but whose ends do not (a symbol of nearly
 * 4 GiB near the top of the range, over later blocks) must go wide; one
 * whose ends fit stays narrow.  Both answer as the reference does.
 */
Test(runtime, tree_nodes_take_wide_heads_only_when_an_end_is_4_gib_past_the_base)
{
	enum { N = 40 };
	struct ksp_sym *s = functions(N, 0x40080000, 0x40, "f_%lu");

	for (size_t i = 20; i < N; i++)
		s[i].start += 0xf0000000ull; /* blocks after the big symbol's start, inside it */
	free((char *)s[19].name);
	s[19] = (struct ksp_sym)SYM(0x40080000ull + 0xf0000000 - 0x40, 0xfffff000, name_of("huge_%lu", 19), 'T',
				    KSP_GLOBAL);
	check_roundtrip(s, N, 8, 0);
	cr_assert(eq(u8, blob.data[KSYM_HDR_FLAGS] & ~KSYM_FLAG_SHORT, KSYM_FLAG_TREE | KSYM_FLAG_WIDE));
	s[19].size = 0x08000000; /* still over the later blocks, its end now within 4 GiB of the base */
	check_roundtrip(s, N, 8, 0);
	cr_assert(eq(u8, blob.data[KSYM_HDR_FLAGS] & ~KSYM_FLAG_SHORT, KSYM_FLAG_TREE));
	free_syms(s, N);
}

Test(runtime, roundtrip_names_of_one_byte_and_of_thousands)
{
	enum { LONG = 1500 };
	char *a = malloc(LONG + 1), *b = malloc(LONG + 1);

	memset(a, 'x', LONG);
	a[LONG] = '\0';
	memcpy(b, a, LONG + 1);
	b[LONG - 1] = 'y'; /* shares 1499 bytes with a: the shared prefix is a long varint */

	struct ksp_sym s[] = {
		SYM(0x100, 4, "a", 'T', KSP_GLOBAL), SYM(0x104, 4, a, 'T', KSP_GLOBAL),
		SYM(0x108, 4, b, 'T', KSP_GLOBAL),   SYM(0x10c, 4, "b", 't', KSP_LOCAL),
	};

	check_roundtrip(s, KSP_ARRAY_SIZE(s), 8, 0);
	free(a);
	free(b);
}

Test(runtime, roundtrip_names_that_share_nothing_or_everything)
{
	static const char *const distinct[] = { "a", "Zeta", "0x", "_", "mid", "~tilde", "$dollar", "." };
	struct ksp_sym s[64];

	for (size_t i = 0; i < 64; i++) /* 8 distinct first bytes, then 56 copies of one name */
		s[i] = (struct ksp_sym)SYM(0x1000 + 0x10 * i, 0x10, i < 8 ? distinct[i] : "same_name_everywhere",
					  'T', KSP_GLOBAL);
	check_roundtrip(s, 64, 8, 0);
}

/*
 * More than the token sample (128 KiB) of names whose suffixes alternate
 * long and short (P, then P plus one byte): every other suffix is sampled,
 * and those are all long, twice the average.  The sample's buffer must be
 * sized by what is sampled, not by the average.
 */
Test(runtime, roundtrip_a_token_sample_of_long_suffixes_fits_its_buffer)
{
	enum { PAIRS = 1000, LONG = 200 };
	struct ksp_sym *s = calloc(2 * PAIRS, sizeof(*s));
	char tail[LONG + 1];

	for (size_t k = 0; k < PAIRS; k++) {
		char *p, *q;

		for (size_t j = 0; j < LONG; j++)
			tail[j] = (char)('a' + (k * 7 + j * 13) % 26);
		tail[LONG] = '\0';
		cr_assert(asprintf(&p, "%04zu_%s", k, tail) > 0);
		cr_assert(asprintf(&q, "%sx", p) > 0);
		s[2 * k] = (struct ksp_sym)SYM(0x1000 + 0x20 * 2 * k, 0x10, p, 'T', KSP_GLOBAL);
		s[2 * k + 1] = (struct ksp_sym)SYM(0x1000 + 0x20 * (2 * k + 1), 0x10, q, 'T', KSP_GLOBAL);
	}
	check_roundtrip(s, 2 * PAIRS, 8, 0);
	free_syms(s, 2 * PAIRS);
}

/* Names with long shared prefixes, repeated, so the tokens and front coding both work. */
Test(runtime, roundtrip_kernel_like_names_compress_and_come_back)
{
	static const char *const prefix[] = { "drivers_net_", "kernel_sched_", "__libc_", "_IO_" };
	static const char *const word[] = { "init", "probe", "remove", "xmit_frame", "alloc_pages" };
	enum { COUNT = 2000 };
	struct ksp_sym *s = calloc(COUNT, sizeof(*s));
	size_t raw = 0;

	for (size_t i = 0; i < COUNT; i++) {
		char *p;

		cr_assert(asprintf(&p, "%s%s_%zu", prefix[i % 4], word[i / 4 % 5], i / 20) > 0);
		s[i] = (struct ksp_sym)SYM(0x40000000 + 0x20 * i, 0x1c, p, 'T', KSP_GLOBAL);
		raw += strlen(p) + 22;
	}
	check_roundtrip(s, COUNT, 8, 0);
	cr_assert(lt(sz, blob.size * 3, raw), "v2 is at least 3x smaller than v1 here: %zu vs %zu",
		  blob.size, raw);
	cr_assert(gt(u32, table_ntok(blob.data), 0), "tokens were learned");
	free_syms(s, COUNT);
}

/* Random overlapping and nested symbols, against brute force. */
Test(runtime, roundtrip_nested_and_overlapping_symbols_match_brute_force)
{
	enum { COUNT = 600 };
	struct ksp_sym *s = calloc(COUNT, sizeof(*s));
	uint64_t x = 12345;

	for (size_t i = 0; i < COUNT; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		uint64_t start = 0x8000 + (x >> 33) % 0x4000, size = (x >> 13) % 8 == 0 ? (x >> 20) % 0x3000 : (x >> 20) % 0x40;

		s[i] = (struct ksp_sym)SYM(start, size, name_of("sym_%lu", i % 500), "TtDdWR"[i % 6], (uint8_t)(i % 3));
	}
	check_roundtrip(s, COUNT, 8, 0);
	cr_assert(blob.data[KSYM_HDR_FLAGS] & KSYM_FLAG_TREE, "overlaps need the tree");
	for (uint64_t a = 0x7ff0; a < 0xc100; a += 7) {
		struct ksym_symbol got;
		int want = ref_lookup(s, COUNT, a);

		cr_assert(eq(int, ksym_lookup_addr(&tab, a, &got), want < 0 ? KSYM_ERR_NOT_FOUND : KSYM_OK));
		if (want >= 0)
			cr_assert(eq(u32, got.index, (uint32_t)want), "0x%llx", (unsigned long long)a);
	}
	free_syms(s, COUNT);
}

Test(runtime, roundtrip_one_symbol_spanning_everything_keeps_lookups_exact)
{
	enum { COUNT = 5000 };
	struct ksp_sym *s = functions(COUNT, 0x40080000, 0x20, "f_%lu");

	free((char *)s[0].name);
	s[0] = (struct ksp_sym)SYM(0x40080000, 0x20 * COUNT, name_of("whole_text_%lu", 0), 'T', KSP_GLOBAL);
	for (size_t i = 1; i < COUNT; i++)
		s[i].size = 0x10; /* gaps, which only the outer symbol covers */
	check_roundtrip(s, COUNT, 8, 0);
	cr_assert(eq(str, (char *)lookup(0x40080000 + 0x20 * 77 + 0x18), "whole_text_0+0x9b8/0x27100"));
	free_syms(s, COUNT);
}

/* ---- corrupt tables: every field the runtime trusts is checked by ksym_open ---- */

static void expect_corrupt(const char *want)
{
	const char *why = "";

	table_reseal(blob.data);
	cr_assert(eq(int, reopen(tab.count, &why), KSYM_ERR_CORRUPT));
	cr_assert(eq(str, (char *)why, (char *)want));
}

static struct ksp_sym *many(size_t n)
{
	return functions(n, 0x40080000, 0x40, "drivers_net_ethernet_xmit_%lu");
}

Test(runtime, open_block_index_out_of_order_is_corrupt)
{
	struct ksp_sym *s = many(40);

	build(s, 40, 8, 0);
	memset(blob.data + table_block_entry(blob.data, 1), 0, 4); /* block 1 starts where block 0 does */
	expect_corrupt("block index is not sorted");
	free_syms(s, 40);
}

Test(runtime, open_block_offset_out_of_place_is_corrupt)
{
	struct ksp_sym *s = many(40);

	build(s, 40, 8, 0);
	blob.data[table_block_entry(blob.data, 1) + 4] ^= 1;
	expect_corrupt("block index offset out of place");
	free_syms(s, 40);
}

/* A size whose units, shifted, pass 4 GiB is outside the format; a shift above 31 is a bad header. */
Test(runtime, a_size_shifted_past_4_gib_or_a_shift_above_31_is_corrupt)
{
	struct ksp_sym *s = many(40);

	build(s, 40, 8, 0);
	blob.data[KSYM_HDR_SHIFTS] = 31; /* the first type's sizes (0x3c: 15 units of 4) become 15 << 31 */
	expect_corrupt("record stream runs past its end or out of range");
	blob.data[KSYM_HDR_SHIFTS] = 32;
	expect_corrupt("bad header field");
	free_syms(s, 40);
}

Test(runtime, open_record_varint_running_past_its_stream_is_corrupt)
{
	struct ksp_sym *s = many(40);

	build(s, 40, 8, 0);
	blob.data[table_u32(blob.data, KSYM_HDR_RESTARTS_OFF) - 1] |= 0x80;
	expect_corrupt("record stream runs past its end or out of range");
	free_syms(s, 40);
}

Test(runtime, open_record_type_out_of_range_is_corrupt)
{
	struct ksp_sym *s = many(40);

	build(s, 40, 8, 0);
	blob.data[table_u32(blob.data, KSYM_HDR_RECORDS_OFF)] |= 0x1f;
	expect_corrupt("record type out of range");
	free_syms(s, 40);
}

Test(runtime, open_token_referring_to_a_later_token_is_corrupt)
{
	struct ksp_sym *s = many(40);

	build(s, 40, 8, 0);
	cr_assert(gt(u32, table_ntok(blob.data), 1));
	table_set_pair(blob.data, 0, blob.data[KSYM_HDR_NLIT] + 2u, table_pair(blob.data, 0, 1)); /* token 0 of token 1 */
	expect_corrupt("token refers to itself or a later token");
	free_syms(s, 40);
}

Test(runtime, open_front_coding_prefix_longer_than_the_previous_name_is_corrupt)
{
	struct ksp_sym s[] = { SYM(0x100, 4, "aa", 'T', KSP_GLOBAL), SYM(0x104, 4, "ab", 'T', KSP_GLOBAL) };

	build(s, KSP_ARRAY_SIZE(s), 8, 0);
	blob.data[table_u32(blob.data, KSYM_HDR_NAMES_OFF) + 4] = 3; /* "aa\0" is 4 bytes; then ab's shared prefix */
	expect_corrupt("front-coding prefix longer than the previous name");
}

Test(runtime, open_names_out_of_order_are_corrupt)
{
	struct ksp_sym s[] = { SYM(0x100, 4, "aa", 'T', KSP_GLOBAL), SYM(0x104, 4, "ab", 'T', KSP_GLOBAL) };

	build(s, KSP_ARRAY_SIZE(s), 8, 0);
	cr_assert(eq(u8, blob.data[table_u32(blob.data, KSYM_HDR_NAMES_OFF) + 5], table_literal(blob.data, 'b')));
	table_alphabet(blob.data)[table_literal(blob.data, 'b') - 1] = '0'; /* "ab" becomes "a0" < "aa" */
	expect_corrupt("names are not sorted");
}

Test(runtime, open_name_permutation_that_repeats_a_record_is_corrupt)
{
	build(three, KSP_ARRAY_SIZE(three), 8, 0);
	blob.data[table_u32(blob.data, KSYM_HDR_PERM_OFF)] = 0; /* no hints (one group): records 0..2 -> name 0 */
	expect_corrupt("name permutation is not a permutation");
}

Test(runtime, open_restart_offset_out_of_place_is_corrupt)
{
	struct ksp_sym *s = many(40);

	build(s, 40, 8, 0);
	/* Restart 1 at name 0, an entry that shares nothing too: open takes it, verify does not. */
	memset(blob.data + table_u32(blob.data, KSYM_HDR_RESTARTS_OFF) + table_off_size(blob.data), 0,
	       table_off_size(blob.data));
	expect_corrupt("name restart offset out of place");
	free_syms(s, 40);
}

Test(runtime, open_max_end_tree_that_disagrees_is_corrupt)
{
	struct ksp_sym s[40];

	for (size_t i = 0; i < 40; i++)
		s[i] = (struct ksp_sym)SYM(0x1000 + 0x10 * i, i ? 0x10 : 0x1000, i ? "inner" : "outer", 'D', KSP_GLOBAL);
	build(s, 40, 8, 0);
	cr_assert(blob.data[KSYM_HDR_FLAGS] & KSYM_FLAG_TREE);
	blob.data[table_u32(blob.data, KSYM_HDR_TREE_OFF) + 8] ^= 1; /* the root */
	expect_corrupt("max-end tree disagrees with the records");
}

Test(runtime, open_aliases_out_of_table_order_are_corrupt)
{
	struct ksp_sym s[] = { SYM(0x100, 5, "small", 'T', KSP_GLOBAL), SYM(0x100, 9, "large", 'T', KSP_GLOBAL) };
	unsigned char *rec;

	build(s, KSP_ARRAY_SIZE(s), 8, 0);
	rec = blob.data + table_u32(blob.data, KSYM_HDR_RECORDS_OFF); /* code, size 5, code, size 9 */
	cr_assert(eq(u8, rec[1], 5));
	cr_assert(eq(u8, rec[3], 9));
	rec[1] = 9;
	rec[3] = 5;
	expect_corrupt("symbols at one address are not in table order");
}
