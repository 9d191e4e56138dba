/* SPDX-License-Identifier: MIT */
/*
 * Fitting: which symbols to give up when the table does not fit the
 * placeholder (--fit), and the data objects --functions-only leaves out.
 *
 * Strategy: rank the symbols that may go (class by class in the order
 * local data, global data, local functions; within a class the longest
 * names first, as they cost the most), then find the smallest number k of
 * them to drop for the encoded table to fit.  The table does not always
 * shrink as symbols go (dropping a name can lengthen its neighbour's entry,
 * move the front-coding restarts, change the tokens), so a binary search
 * finds a k that fits, and then every smaller k is tried, one by one, until
 * FIT_WINDOW in a row do not fit.  Each try is a full encode, so every
 * answer is exact; the smallest k lies more than FIT_WINDOW below one that
 * fits only when the table grows over that many drops in a row.
 */
#include <stdlib.h>
#include <string.h>

#include "ksympatch.h"

static enum ksp_class sym_class(const struct ksp_sym *s)
{
	if (s->func)
		return s->bind == KSP_LOCAL ? KSP_LOCAL_FUNC : KSP_GLOBAL_FUNC;
	return s->bind == KSP_LOCAL ? KSP_LOCAL_DATA : KSP_GLOBAL_DATA;
}

size_t ksp_keep_functions(struct ksp_sym *syms, size_t n)
{
	size_t m = 0;

	for (size_t i = 0; i < n; i++)
		if (syms[i].func)
			syms[m++] = syms[i];
	return m;
}

struct victim {
	uint32_t i;
	uint8_t class;
	size_t len;
};

/* Drop order: class, then longer names first, then later symbols first. */
static int cmp_victim(const void *pa, const void *pb)
{
	const struct victim *a = pa, *b = pb;

	if (a->class != b->class)
		return a->class < b->class ? -1 : 1;
	if (a->len != b->len)
		return a->len > b->len ? -1 : 1;
	return (a->i < b->i) - (a->i > b->i);
}

/* Encode syms without the first k victims; kept (scratch) gets what is left. */
static int encode_without(const struct ksp_sym *syms, size_t n, const struct victim *v, size_t k,
			  unsigned char *drop, struct ksp_sym *kept, size_t *nkept, int addr_size,
			  int big_endian, struct ksp_blob *out, const char **why)
{
	size_t m = 0;

	memset(drop, 0, n);
	for (size_t j = 0; j < k; j++)
		drop[v[j].i] = 1;
	for (size_t i = 0; i < n; i++)
		if (!drop[i])
			kept[m++] = syms[i];
	*nkept = m;
	return ksp_encode(kept, m, addr_size, big_endian, out, why);
}

/* Does the table without the first k victims fit?  1, 0, or -1 (out of memory). */
static int fits(const struct ksp_sym *syms, size_t n, const struct victim *v, size_t k, uint64_t capacity,
		unsigned char *drop, struct ksp_sym *kept, int addr_size, int big_endian, const char **why)
{
	struct ksp_blob b;
	size_t m;

	if (encode_without(syms, n, v, k, drop, kept, &m, addr_size, big_endian, &b, why) < 0)
		return -1;
	free(b.data);
	return b.size <= capacity;
}

#define FIT_WINDOW 16

/* The smallest k that fits (dropping all nv fits): a binary search, then the window below it. */
static int search_fit(const struct ksp_sym *syms, size_t n, const struct victim *v, size_t nv, uint64_t capacity,
		      unsigned char *drop, struct ksp_sym *kept, int addr_size, int big_endian, size_t *best,
		      const char **why)
{
	size_t lo = 0, hi = nv;
	int f;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if ((f = fits(syms, n, v, mid, capacity, drop, kept, addr_size, big_endian, why)) < 0)
			return -1;
		if (f)
			hi = mid;
		else
			lo = mid + 1;
	}
	for (size_t k = lo, misses = 0; k-- > 0 && misses < FIT_WINDOW;) {
		if ((f = fits(syms, n, v, k, capacity, drop, kept, addr_size, big_endian, why)) < 0)
			return -1;
		if (f) {
			lo = k;
			misses = 0;
		} else {
			misses++;
		}
	}
	*best = lo;
	return 0;
}

int ksp_encode_fit(struct ksp_sym *syms, size_t *n, uint64_t capacity, int addr_size,
		   int big_endian, struct ksp_blob *out, struct ksp_fit *fit, const char **why)
{
	struct victim *v = ksp_alloc(*n * sizeof(*v) + 1);
	struct ksp_sym *kept = ksp_alloc(*n * sizeof(*kept) + 1);
	unsigned char *drop = malloc(*n + 1);
	size_t nv = 0, lo = 0, hi, m;
	int ret = -1;

	memset(fit, 0, sizeof(*fit));
	memset(out, 0, sizeof(*out));
	if (!v || !kept || !drop) {
		*why = "out of memory";
		goto out;
	}
	for (size_t i = 0; i < *n; i++) {
		enum ksp_class c = sym_class(&syms[i]);

		fit->total[c]++;
		if (c != KSP_GLOBAL_FUNC)
			v[nv++] = (struct victim){ (uint32_t)i, (uint8_t)c, strlen(syms[i].name) };
	}
	qsort(v, nv, sizeof(*v), cmp_victim);

	/* A k that fits: hi (all droppable gone) is tried first. */
	hi = nv;
	if (encode_without(syms, *n, v, hi, drop, kept, &m, addr_size, big_endian, out, why) < 0)
		goto out;
	if (out->size > capacity) {
		*why = "the global functions alone do not fit";
		goto out;
	}
	if (search_fit(syms, *n, v, nv, capacity, drop, kept, addr_size, big_endian, &lo, why) < 0)
		goto out;
	free(out->data);
	if (encode_without(syms, *n, v, lo, drop, kept, &m, addr_size, big_endian, out, why) < 0)
		goto out;
	for (size_t j = 0; j < lo; j++)
		fit->dropped[v[j].class]++;
	memcpy(syms, kept, m * sizeof(*syms));
	*n = m;
	ret = 0;
out:
	free(v);
	free(kept);
	free(drop);
	return ret;
}
