/*
 * Instruction counts of the runtime's calls, for `make bench` under
 * valgrind --tool=callgrind --toggle-collect=FUNCTION (wall time wobbles on
 * a shared machine; instructions do not).
 *
 * Reads a blob (the .kernel_symbols section of a patched ELF, extracted by
 * objcopy -O binary --only-section) and runs one kind of call K times:
 *
 *   open    ksym_open() of the whole table
 *   name    ksym_name() of K symbols spread evenly over the table
 *   addr    ksym_lookup_addr() of K random addresses over the symbols
 *   bare    bare_search() of the same addresses: a binary search over an
 *           array of starts with a containment check (the practical limit)
 *   lname   ksym_lookup_name() of the names of K symbols spread evenly
 *
 * The addresses and names are prepared before the first measured call, and
 * bare_search is not inlined, so --toggle-collect counts only the calls.
 * usage: insns MODE BLOB K
 * Prints "MODE K count" (count: the table's symbols).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ksym/format.h>
#include <ksym/ksym.h>

#include "blob.h"

#define BARE_SEARCH_ATTR __attribute__((noinline))
#include "bare_search.h"

static volatile uint64_t sink;

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		fprintf(stderr, "insns: out of memory\n");
		exit(1);
	}
	return p;
}

int main(int argc, char **argv)
{
	static unsigned char blob[64 << 20];
	struct ksym_table t;
	const char *why = "", *mode;
	uint64_t x = 0x2545f4914f6cdd1dull;
	uint32_t count;
	size_t n;
	long k;

	if (argc != 4 || (k = atol(argv[3])) < 1) {
		fprintf(stderr, "usage: insns open|name|addr|bare|lname BLOB K\n");
		return 2;
	}
	mode = argv[1];
	n = read_blob(argv[2], blob, sizeof(blob), &count);
	if (!n)
		return 1;

	if (!strcmp(mode, "open")) {
		for (long i = 0; i < k; i++)
			if (ksym_open(&t, blob, n, count, &why) != KSYM_OK) {
				fprintf(stderr, "insns: %s: %s\n", argv[2], why);
				return 1;
			}
		printf("%s %ld %u\n", mode, k, count);
		return 0;
	}
	if (ksym_open(&t, blob, n, count, &why) != KSYM_OK || !count) {
		fprintf(stderr, "insns: %s: %s\n", argv[2], why);
		return 1;
	}

	struct ksym_symbol *syms = xmalloc(count * sizeof(*syms)), s;
	uint64_t *starts = xmalloc(count * sizeof(*starts)), *sizes = xmalloc(count * sizeof(*sizes));
	uint64_t *addrs = xmalloc((size_t)k * sizeof(*addrs));
	char **names = xmalloc((size_t)k * sizeof(*names)), buf[4096];

	for (uint32_t i = 0; i < count; i++) {
		ksym_symbol_at(&t, i, &syms[i]);
		starts[i] = syms[i].start;
		sizes[i] = syms[i].size;
	}
	uint64_t lo = starts[0], hi = starts[count - 1] + sizes[count - 1];

	for (long i = 0; i < k; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		addrs[i] = lo + x % (hi - lo + 1);
		if (!strcmp(mode, "lname")) {
			size_t len = ksym_name(&t, &syms[(uint64_t)i * count / (uint64_t)k], buf, sizeof(buf));

			names[i] = xmalloc(len + 1);
			memcpy(names[i], buf, len + 1);
		}
	}
	for (long i = 0; i < k; i++) {
		if (!strcmp(mode, "name"))
			sink += ksym_name(&t, &syms[(uint64_t)i * count / (uint64_t)k], buf, sizeof(buf));
		else if (!strcmp(mode, "addr"))
			sink += (uint64_t)ksym_lookup_addr(&t, addrs[i], &s);
		else if (!strcmp(mode, "bare"))
			sink += bare_search(starts, sizes, count, addrs[i]);
		else if (!strcmp(mode, "lname"))
			sink += ksym_lookup_name(&t, names[i], &s, 1);
		else {
			fprintf(stderr, "insns: unknown mode %s\n", mode);
			return 2;
		}
	}
	printf("%s %ld %u\n", mode, k, count);
	return 0;
}
