/* SPDX-License-Identifier: MIT */
/*
 * Fitting: which symbols to give up when the table does not fit the
 * placeholder (--fit), and the data objects --functions-only leaves out.
 *
 * Strategy: rank the symbols that may go (class by class in the order
 * local data, global data, local functions; within a class the longest
 * names first, as they cost the most), then binary-search the smallest
 * number of them to drop for the encoded table to fit.  Each try is a full
 * encode, so the answer is exact, and there are about log2(n) tries.
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

	/* The smallest k in [lo, hi] whose table fits: hi (all droppable gone) is tried first. */
	hi = nv;
	if (encode_without(syms, *n, v, hi, drop, kept, &m, addr_size, big_endian, out, why) < 0)
		goto out;
	if (out->size > capacity) {
		*why = "the global functions alone do not fit";
		goto out;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		struct ksp_blob b;

		if (encode_without(syms, *n, v, mid, drop, kept, &m, addr_size, big_endian, &b, why) < 0)
			goto out;
		if (b.size <= capacity)
			hi = mid;
		else
			lo = mid + 1;
		free(b.data);
	}
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
