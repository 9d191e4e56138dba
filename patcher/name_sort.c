/* SPDX-License-Identifier: MIT */
/*
 * The name index: record numbers sorted by name, equal names by record
 * number, for the name stream's order (encode.c).
 *
 * Strategy: large parts go through an MSD radix sort, one byte at a time,
 * and the rest through multikey quicksort (Bentley & Sedgewick), which
 * partitions on one byte at a time, so the long prefixes kernel names share
 * (drivers_net_...) are compared once per level instead of once per
 * comparison.  Both recurse only into parts of at most half the elements
 * and loop on the largest, so the stack stays O(log n) whatever the names.
 */
#include <stdlib.h>
#include <string.h>

#include "ksympatch.h"
#include "encode.h"

static int byte_at(const struct ksp_name_ref *a, size_t i, size_t d)
{
	return (unsigned char)a[i].name[d];
}

static int cmp_rec(const void *pa, const void *pb)
{
	const struct ksp_name_ref *a = pa, *b = pb;

	return (a->rec > b->rec) - (a->rec < b->rec);
}

/* Small parts: insertion sort on the rest of the name, then the record number. */
static void insertion_sort(struct ksp_name_ref *a, size_t n, size_t d)
{
	for (size_t i = 1; i < n; i++) {
		struct ksp_name_ref v = a[i];
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

static void swap_ref(struct ksp_name_ref *a, size_t i, size_t j)
{
	struct ksp_name_ref t = a[i];

	a[i] = a[j];
	a[j] = t;
}

static void sort_names(struct ksp_name_ref *a, size_t n, size_t d)
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
		struct ksp_name_ref *eq = a + lt, *hi = a + gt;

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

/* How many bytes from d all n names share (at least 1: the caller knows byte d is shared, and not 0). */
static size_t shared_prefix(const struct ksp_name_ref *a, size_t n, size_t d)
{
	const char *first = a[0].name + d;
	size_t len = strlen(first);

	for (size_t i = 1; i < n && len > 1; i++) {
		const char *s = a[i].name + d;
		size_t k = 1;

		if (i + KSP_PREFETCH < n)
			__builtin_prefetch(a[i + KSP_PREFETCH].name + d);
		while (k < len && s[k] == first[k])
			k++;
		len = k;
	}
	return len;
}

static void radix_names(struct ksp_name_ref *a, struct ksp_name_ref *tmp, size_t n, size_t d)
{
	while (n >= RADIX_MIN) {
		size_t count[256] = { 0 }, at[256], big = 1;

		for (size_t i = 0; i < n; i++) {
			if (i + KSP_PREFETCH < n)
				__builtin_prefetch(a[i + KSP_PREFETCH].name + d);
			count[byte_at(a, i, d)]++;
		}
		if (count[byte_at(a, 0, d)] == n && byte_at(a, 0, d)) {
			d += shared_prefix(a, n, d); /* nothing to split on these bytes */
			continue;
		}
		at[0] = 0;
		for (int b = 1; b < 256; b++)
			at[b] = at[b - 1] + count[b - 1];
		for (size_t i = 0; i < n; i++) {
			if (i + KSP_PREFETCH < n)
				__builtin_prefetch(a[i + KSP_PREFETCH].name + d);
			tmp[at[byte_at(a, i, d)]++] = a[i];
		}
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


int ksp_sort_names(struct ksp_name_ref *index, size_t n)
{
	struct ksp_name_ref *tmp;

	if (n < RADIX_MIN) {
		sort_names(index, n, 0);
		return 0;
	}
	tmp = ksp_alloc(n * sizeof(*tmp));
	if (!tmp)
		return -1;
	radix_names(index, tmp, n, 0);
	free(tmp);
	return 0;
}
