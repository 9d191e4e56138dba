/*
 * The practical limit a lookup is measured against (bench_lookup.c, in
 * time; insns.c, in instructions): a plain binary search over an array of
 * starts, then a containment check.  bench_lookup.c lets the compiler
 * inline it, as any caller would; insns.c keeps it out of line
 * (BARE_SEARCH_ATTR), so that callgrind counts its calls alone.
 */
#ifndef BENCH_BARE_SEARCH_H
#define BENCH_BARE_SEARCH_H

#include <stdint.h>

#ifndef BARE_SEARCH_ATTR
#define BARE_SEARCH_ATTR static
#endif

/* The index of the last start <= a if its symbol contains a, else count. */
BARE_SEARCH_ATTR uint32_t bare_search(const uint64_t *starts, const uint64_t *sizes, uint32_t count, uint64_t a)
{
	uint32_t lo = 0, hi = count;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (starts[mid] <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo && a - starts[lo - 1] < sizes[lo - 1] ? lo - 1 : count;
}

#endif
