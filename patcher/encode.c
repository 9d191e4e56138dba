/* SPDX-License-Identifier: MIT */
/*
 * Blob encoder: selected symbols in, the bytes of the on-image table out
 * (layout in runtime/include/ksym/format.h and docs/FORMAT.md).
 *
 * Strategy: sort the record numbers by name (radix sort, then multikey
 * quicksort): that is the name index, and it also puts equal names side by
 * side, so one pass over it writes the string pool with each distinct
 * (type, name) entry stored once.  Every field is written through
 * put32()/put64(), which take the target's byte order, so the host's order
 * never leaks into the blob.  The checksum is computed by the runtime's own
 * function.
 */
#include <stdlib.h>
#include <string.h>

#include <ksym/format.h>
#include <ksym/ksym.h>

#include "ksympatch.h"

struct writer {
	unsigned char *p;
	int big_endian;
};

static void put32(const struct writer *w, size_t off, uint32_t v)
{
	unsigned char *p = w->p + off;

	if (w->big_endian) {
		p[0] = (unsigned char)(v >> 24);
		p[1] = (unsigned char)(v >> 16);
		p[2] = (unsigned char)(v >> 8);
		p[3] = (unsigned char)v;
	} else {
		p[0] = (unsigned char)v;
		p[1] = (unsigned char)(v >> 8);
		p[2] = (unsigned char)(v >> 16);
		p[3] = (unsigned char)(v >> 24);
	}
}

static void put64(const struct writer *w, size_t off, uint64_t v)
{
	put32(w, off + (w->big_endian ? 4 : 0), (uint32_t)v);
	put32(w, off + (w->big_endian ? 0 : 4), (uint32_t)(v >> 32));
}

/*
 * The name index: record numbers sorted by name, equal names by record
 * number.  Multikey quicksort (Bentley & Sedgewick) partitions on one byte
 * at a time, so the long prefixes kernel names share (drivers_net_...) are
 * compared once per level instead of once per comparison.  It recurses only
 * into parts of at most half the elements and loops on the largest, so the
 * stack stays O(log n) whatever the names.
 */
struct name_ref {
	const char *name;
	uint32_t rec;
};

static int byte_at(const struct name_ref *a, size_t i, size_t d)
{
	return (unsigned char)a[i].name[d];
}

static int cmp_rec(const void *pa, const void *pb)
{
	const struct name_ref *a = pa, *b = pb;

	return (a->rec > b->rec) - (a->rec < b->rec);
}

/* Small parts: insertion sort on the rest of the name, then the record number. */
static void insertion_sort(struct name_ref *a, size_t n, size_t d)
{
	for (size_t i = 1; i < n; i++) {
		struct name_ref v = a[i];
		size_t j = i;

		for (; j > 0; j--) {
			int c = strcmp(a[j - 1].name + d, v.name + d);

			if (c < 0 || (c == 0 && a[j - 1].rec < v.rec))
				break;
			a[j] = a[j - 1];
		}
		a[j] = v;
	}
}

static void swap_ref(struct name_ref *a, size_t i, size_t j)
{
	struct name_ref t = a[i];

	a[i] = a[j];
	a[j] = t;
}

static void sort_names(struct name_ref *a, size_t n, size_t d)
{
	while (n > 16) {
		/* Median of three bytes as the pivot. */
		int x = byte_at(a, 0, d), y = byte_at(a, n / 2, d), z = byte_at(a, n - 1, d);
		int pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
		size_t lt = 0, i = 0, gt = n;

		/* Three-way partition: [0, lt) < pivot, [lt, gt) == pivot, [gt, n) > pivot. */
		while (i < gt) {
			int c = byte_at(a, i, d);

			if (c < pivot)
				swap_ref(a, lt++, i++);
			else if (c > pivot)
				swap_ref(a, i, --gt);
			else
				i++;
		}

		size_t n_lt = lt, n_eq = gt - lt, n_gt = n - gt;
		struct name_ref *eq = a + lt, *hi = a + gt;

		if (pivot == 0) { /* equal names: order by record number */
			qsort(eq, n_eq, sizeof(*eq), cmp_rec);
			n_eq = 0;
		}
		/* Recurse into the two smaller parts, loop on the largest. */
		if (n_eq >= n_lt && n_eq >= n_gt) {
			sort_names(a, n_lt, d);
			sort_names(hi, n_gt, d);
			a = eq;
			n = n_eq;
			d++;
		} else if (n_lt >= n_gt) {
			sort_names(eq, n_eq, d + 1);
			sort_names(hi, n_gt, d);
			n = n_lt;
		} else {
			sort_names(a, n_lt, d);
			sort_names(eq, n_eq, d + 1);
			a = hi;
			n = n_gt;
		}
	}
	insertion_sort(a, n, d);
}

/*
 * Large parts first go through an MSD radix sort on byte d: one counting
 * pass splits them into up to 256 buckets, where the quicksort would need
 * about eight partitions.  Like sort_names(), it recurses only into buckets
 * of at most half the elements and loops on the largest.
 */
#define RADIX_MIN 4096

static void radix_names(struct name_ref *a, struct name_ref *tmp, size_t n, size_t d)
{
	while (n >= RADIX_MIN) {
		size_t count[256] = { 0 }, at[256], big = 1;

		for (size_t i = 0; i < n; i++)
			count[byte_at(a, i, d)]++;
		if (count[byte_at(a, 0, d)] == n && byte_at(a, 0, d)) {
			d++; /* a shared prefix: nothing to split on this byte */
			continue;
		}
		at[0] = 0;
		for (int b = 1; b < 256; b++)
			at[b] = at[b - 1] + count[b - 1];
		for (size_t i = 0; i < n; i++)
			tmp[at[byte_at(a, i, d)]++] = a[i];
		memcpy(a, tmp, n * sizeof(*a));

		/* Bucket 0 holds names that end here: equal, so by record number. */
		qsort(a, count[0], sizeof(*a), cmp_rec);
		for (int b = 2; b < 256; b++)
			if (count[b] > count[big])
				big = (size_t)b;
		for (size_t b = 1, off = count[0]; b < 256; off += count[b++])
			if (b != big)
				radix_names(a + off, tmp, count[b], d + 1);
		a += at[big] - count[big];
		n = count[big];
		d++;
	}
	sort_names(a, n, d);
}

/* How far back a lookup must look for a symbol that encloses later ones. */
static uint32_t nested_span(const struct ksp_sym *syms, size_t n)
{
	uint64_t span = 0;

	for (size_t g = 0, next; g < n; g = next) {
		for (next = g; next < n && syms[next].start == syms[g].start; next++)
			;
		if (next == n)
			break;
		for (size_t i = g; i < next; i++)
			if (syms[i].size > syms[next].start - syms[g].start && syms[i].size > span)
				span = syms[i].size;
	}
	return (uint32_t)span;
}

/*
 * The string pool, written in name order: after the index sort equal names
 * are neighbours, so each distinct (type, name) entry is stored once with
 * no hash table, and the pool is written front to back.  Within a run of
 * equal names, seen[] holds the entry already written for each type letter
 * (at most 256).  Sets every record's name_off; returns the pool's size.
 */
static size_t write_pool(const struct writer *w, const struct ksp_sym *syms,
			 const struct name_ref *index, size_t n, int addr_size, size_t strings_off)
{
	char *pool = (char *)w->p + strings_off;
	size_t size = 0, nseen = 0;
	struct {
		char type;
		uint32_t off;
	} seen[256];

	for (size_t k = 0; k < n; k++) {
		const struct ksp_sym *s = &syms[index[k].rec];
		size_t j = 0;

		if (k == 0 || strcmp(index[k].name, index[k - 1].name) != 0)
			nseen = 0; /* a new name */
		while (j < nseen && seen[j].type != s->type)
			j++;
		if (j == nseen) {
			size_t len = strlen(s->name);

			seen[nseen++] = (typeof(seen[0])){ s->type, (uint32_t)size };
			pool[size + KSYM_NAME_TYPE] = s->type;
			memcpy(pool + size + KSYM_NAME_TEXT, s->name, len + 1);
			size += len + 2;
		}
		put32(w, KSYM_HDR_SIZE + index[k].rec * KSYM_RECORD_SIZE(addr_size) +
				 KSYM_REC_NAME_OFF(addr_size), seen[j].off);
	}
	return size;
}

int ksp_encode(const struct ksp_sym *syms, size_t n, int addr_size,
	       int big_endian, struct ksp_blob *out, const char **why)
{
	uint64_t addr_max = addr_size == 8 ? UINT64_MAX : UINT32_MAX;
	size_t rec = KSYM_RECORD_SIZE(addr_size);
	size_t index_off = KSYM_HDR_SIZE + n * rec;
	size_t strings_off = index_off + 4 * n;
	size_t pool_cap = 0, pool_size;
	struct name_ref *index = NULL;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if (n > UINT32_MAX / KSYM_RECORD_SIZE(8)) {
		*why = "too many symbols for the format";
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (syms[i].size > UINT32_MAX) {
			*why = "a symbol is 4 GiB or larger";
			return -1;
		}
		if (syms[i].start > addr_max ||
		    (syms[i].size && syms[i].size - 1 > addr_max - syms[i].start)) {
			*why = "a symbol lies outside the address space";
			return -1;
		}
		pool_cap += strlen(syms[i].name) + 2;
	}

	/* The pool is built in place, at its final offset: pages past its end stay untouched. */
	out->data = ksp_alloc(strings_off + pool_cap + KSYM_ALIGN);
	index = ksp_alloc(n * sizeof(*index));
	if (!out->data || !index) {
		*why = "out of memory";
		goto out;
	}

	struct writer w = { out->data, big_endian };
	unsigned char *h = out->data;

	for (size_t i = 0; i < n; i++) {
		size_t r = KSYM_HDR_SIZE + i * rec;

		if (addr_size == 8)
			put64(&w, r + KSYM_REC_START, syms[i].start);
		else
			put32(&w, r + KSYM_REC_START, (uint32_t)syms[i].start);
		put32(&w, r + KSYM_REC_SIZE(addr_size), (uint32_t)syms[i].size);
		index[i] = (struct name_ref){ syms[i].name, (uint32_t)i };
	}
	struct name_ref *tmp = n >= RADIX_MIN ? ksp_alloc(n * sizeof(*tmp)) : NULL;

	if (tmp)
		radix_names(index, tmp, n, 0);
	else
		sort_names(index, n, 0);
	free(tmp);
	for (size_t i = 0; i < n; i++)
		put32(&w, index_off + 4 * i, index[i].rec);
	pool_size = write_pool(&w, syms, index, n, addr_size, strings_off);

	size_t total = strings_off + pool_size;

	if (total > UINT32_MAX) {
		*why = "table larger than 4 GiB";
		goto out;
	}
	/* Round up so the blob can be followed by another aligned one. */
	out->size = (total + KSYM_ALIGN - 1) & ~(size_t)(KSYM_ALIGN - 1);
	memset(h + total, 0, out->size - total);
	memset(h, 0, KSYM_HDR_SIZE);
	memcpy(h + KSYM_HDR_MAGIC, (char[]){ KSYM_MAGIC0, KSYM_MAGIC1, KSYM_MAGIC2, KSYM_MAGIC3 }, 4);
	h[KSYM_HDR_VERSION] = KSYM_FORMAT_VERSION;
	h[KSYM_HDR_ENDIAN] = big_endian ? KSYM_ENDIAN_BIG : KSYM_ENDIAN_LITTLE;
	h[KSYM_HDR_ADDR_SIZE] = (unsigned char)addr_size;
	h[KSYM_HDR_RECORD_SIZE] = (unsigned char)rec;
	put32(&w, KSYM_HDR_COUNT, (uint32_t)n);
	put32(&w, KSYM_HDR_SPAN, nested_span(syms, n));
	put32(&w, KSYM_HDR_INDEX_OFF, (uint32_t)index_off);
	put32(&w, KSYM_HDR_STRINGS_OFF, (uint32_t)strings_off);
	put32(&w, KSYM_HDR_STRINGS_SIZE, (uint32_t)pool_size);
	put32(&w, KSYM_HDR_CHECKSUM, ksym_checksum(h, total));

	out->count = (uint32_t)n;
	ret = 0;
out:
	if (ret) {
		free(out->data);
		out->data = NULL;
		out->size = 0;
	}
	free(index);
	return ret;
}
