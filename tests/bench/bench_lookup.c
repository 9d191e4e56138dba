/*
 * The runtime's address lookup, in process: ns per lookup of random
 * addresses in a table of N symbols, for
 *
 *   ksym     ksym_lookup_addr() on the encoded table (what the kernel runs)
 *   bare     a plain binary search over a uint64_t array of start addresses,
 *            then a containment check against a uint64_t array of sizes
 *            (the practical limit: no bounds checks, no byte order, no call)
 *   linear   a scan over the same records, i = 0..count-1, read through
 *            ksym_symbol_at() (the byte-order-aware accessors), stopping at
 *            the first record that contains the address
 *   name     ksym_lookup_name() of random names of the table
 *   gap      ksym_lookup_addr() of addresses in the gaps between functions
 *   nested   the same gap addresses in the same table plus one symbol that
 *            spans all of them (a vector table or linker-script object
 *            around the text): only it contains them, and finding it must
 *            not cost a walk over the symbols in between
 *   ksym_asc, bare_asc
 *            ksym and bare on the same addresses sorted ascending (a
 *            backtrace's or a log's addresses in order: the cache favours
 *            both, and the comparison is of the work left)
 *
 * The table is built in memory with the patcher's own ksp_sort() and
 * ksp_encode(): N functions, sorted and contiguous with small alignment
 * gaps, kernel-like names.  The addresses are precomputed from a fixed-seed
 * xorshift64, uniform over [first start, last end).  Each measurement runs
 * long enough to take about TARGET seconds (calibrated first); the
 * methods alternate, RUNS times, and the medians are printed, with the
 * spread of ksym / bare over the runs' pairs (run r of each, one just after
 * the other).
 *
 * usage: bench_lookup [-r RUNS] [-t TARGET_SECONDS] N...
 * Prints one line per N:
 * "N ksym_ns bare_ns linear_ns bytes_per_symbol name_ns gap_ns nested_ns
 * ksym_asc_ns bare_asc_ns kb_min kb_max kba_min kba_max", kb the ratio on
 * random addresses and kba on ascending ones.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ksym/ksym.h>

#include "bare_search.h"

#include "ksympatch.h"
#include "names.h"

#define NADDR (1u << 20) /* precomputed addresses; a power of two */

enum { M_KSYM, M_BARE, M_KSYM_ASC, M_BARE_ASC, M_NAME, M_GAP, M_NESTED, M_LINEAR, NMETHODS };
static const char *const method_names[NMETHODS] = { "ksym", "bare", "ksym_asc", "bare_asc", "name",
						    "gap", "nested", "linear" };

struct ctx {
	struct ksym_table t, nested;
	const uint64_t *starts, *sizes; /* for the bare search */
	uint32_t count;
	const uint64_t *addrs;  /* NADDR of them */
	const uint64_t *sorted; /* the same, ascending */
	const uint64_t *gaps;   /* NADDR addresses between functions */
	const char *const *names; /* NADDR names of the table */
};

static volatile uint64_t sink;

static uint64_t xs_state = 0x2545f4914f6cdd1dull;

static uint64_t xorshift(void)
{
	xs_state ^= xs_state << 13;
	xs_state ^= xs_state >> 7;
	xs_state ^= xs_state << 17;
	return xs_state;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The first record containing a, through the runtime's accessors; count if none. */
static uint32_t linear_search(const struct ksym_table *t, uint32_t count, uint64_t a,
			      struct ksym_symbol *s)
{
	for (uint32_t i = 0; i < count; i++) {
		ksym_symbol_at(t, i, s);
		if (a - s->start < s->size)
			return i;
	}
	return count;
}

static uint64_t run_method(const struct ctx *c, int m, long iters)
{
	struct ksym_symbol s;
	uint64_t acc = 0;

	for (long k = 0; k < iters; k++) {
		uint64_t a = (m == M_KSYM_ASC || m == M_BARE_ASC ? c->sorted : c->addrs)[(unsigned long)k & (NADDR - 1)];

		switch (m) {
		case M_KSYM:
		case M_KSYM_ASC:
			if (ksym_lookup_addr(&c->t, a, &s) == KSYM_OK)
				acc += s.start;
			break;
		case M_BARE:
		case M_BARE_ASC:
			acc += bare_search(c->starts, c->sizes, c->count, a);
			break;
		case M_NAME:
			acc += ksym_lookup_name(&c->t, c->names[(unsigned long)k & (NADDR - 1)], &s, 1);
			break;
		case M_GAP:
		case M_NESTED:
			if (ksym_lookup_addr(m == M_GAP ? &c->t : &c->nested, c->gaps[(unsigned long)k & (NADDR - 1)],
					     &s) == KSYM_OK)
				acc += s.start;
			break;
		default:
			if (linear_search(&c->t, c->count, a, &s) < c->count)
				acc += s.start;
			break;
		}
	}
	return acc;
}

static double timed(const struct ctx *c, int m, long iters)
{
	double t0 = now();

	sink += run_method(c, m, iters);
	return now() - t0;
}

/* Iterations that take about target seconds, at least NADDR for the searches. */
static long calibrate(const struct ctx *c, int m, double target)
{
	for (long k = 1;; k *= 2) {
		double e = timed(c, m, k);

		if (e >= target / 8) {
			double want = (double)k * target / e;

			if (m != M_LINEAR && want < NADDR)
				want = NADDR;
			return want < 1 ? 1 : (long)want;
		}
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The least and the greatest of a[r] / b[r] over n runs. */
static void pair_spread(const double *a, const double *b, int n, double *lo, double *hi)
{
	*lo = *hi = a[0] / b[0];
	for (int r = 1; r < n; r++) {
		double x = a[r] / b[r];

		*lo = x < *lo ? x : *lo;
		*hi = x > *hi ? x : *hi;
	}
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		fprintf(stderr, "bench_lookup: out of memory\n");
		exit(1);
	}
	return p;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static int bench(uint32_t n, int runs, double target)
{
	struct ksp_sym *syms = xmalloc(n * sizeof(*syms));
	char *names = xmalloc((size_t)n * 96), *np = names;
	uint64_t addr = 0x40080000;
	struct ksp_blob blob;
	const char *why = "";
	struct ctx c;

	/* Functions of 16 to 492 bytes, 0 to 12 bytes of padding between them. */
	for (uint32_t i = 0; i < n; i++) {
		int len = bench_name(np, 96, i);

		syms[i] = (struct ksp_sym){ .start = addr, .size = 4 * (4 + xorshift() % 120),
					    .name = np, .type = i % 8 ? 'T' : 't',
					    .bind = i % 8 ? KSP_GLOBAL : KSP_LOCAL };
		addr += syms[i].size + 4 * (xorshift() % 4);
		np += len + 1;
	}
	ksp_sort(syms, n);
	if (ksp_encode(syms, n, 8, __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__, &blob, &why) < 0) {
		fprintf(stderr, "bench_lookup: ksp_encode: %s\n", why);
		return -1;
	}
	if (ksym_open(&c.t, blob.data, blob.size, blob.count, &why) != KSYM_OK) {
		fprintf(stderr, "bench_lookup: ksym_open: %s\n", why);
		return -1;
	}

	/* The same symbols and one more around all of them, for the gap lookups. */
	struct ksp_sym *with_outer = xmalloc((n + 1) * sizeof(*with_outer));
	struct ksp_blob nested;

	memcpy(with_outer, syms, n * sizeof(*syms));
	with_outer[n] = (struct ksp_sym){ .start = syms[0].start, .size = addr - syms[0].start,
					  .name = "whole_text", .type = 'T', .bind = KSP_GLOBAL, .func = 1 };
	ksp_sort(with_outer, n + 1);
	if (ksp_encode(with_outer, n + 1, 8, __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__, &nested, &why) < 0 ||
	    ksym_open(&c.nested, nested.data, nested.size, nested.count, &why) != KSYM_OK) {
		fprintf(stderr, "bench_lookup: the nested table: %s\n", why);
		return -1;
	}
	free(with_outer);

	uint64_t *starts = xmalloc(n * sizeof(*starts)), *sizes = xmalloc(n * sizeof(*sizes));
	uint64_t *addrs = xmalloc(NADDR * sizeof(*addrs)), *sorted = xmalloc(NADDR * sizeof(*sorted));
	uint64_t lo = syms[0].start, hi = syms[n - 1].start + syms[n - 1].size;

	for (uint32_t i = 0; i < n; i++) {
		starts[i] = syms[i].start;
		sizes[i] = syms[i].size;
	}
	for (uint32_t k = 0; k < NADDR; k++)
		addrs[k] = lo + xorshift() % (hi - lo);
	memcpy(sorted, addrs, NADDR * sizeof(*sorted));
	qsort(sorted, NADDR, sizeof(*sorted), cmp_u64);
	c.starts = starts;
	c.sizes = sizes;
	c.count = blob.count;
	c.addrs = addrs;
	c.sorted = sorted;

	uint64_t *gaps = xmalloc(NADDR * sizeof(*gaps));
	const char **namev = xmalloc(NADDR * sizeof(*namev));

	for (uint32_t k = 0; k < NADDR; k++) {
		uint32_t i;

		do /* the first byte after a function that another does not start at */
			i = (uint32_t)(xorshift() % (n - 1));
		while (syms[i].start + syms[i].size >= syms[i + 1].start);
		gaps[k] = syms[i].start + syms[i].size;
		namev[k] = syms[xorshift() % n].name;
	}
	c.gaps = gaps;
	c.names = namev;
	for (uint32_t k = 0; k < 1000; k++) { /* the gaps are gaps, and only the outer symbol has them */
		struct ksym_symbol a, b;
		char name[16];

		if (ksym_lookup_addr(&c.t, gaps[k], &a) == KSYM_OK ||
		    ksym_lookup_addr(&c.nested, gaps[k], &b) != KSYM_OK ||
		    ksym_name(&c.nested, &b, name, sizeof(name)) != strlen("whole_text")) {
			fprintf(stderr, "bench_lookup: N=%u: gap 0x%llx answered wrong\n", n,
				(unsigned long long)gaps[k]);
			return -1;
		}
	}

	/* The three must agree before their speed means anything. */
	uint32_t checks = n <= 10000 ? 4000 : n <= 100000 ? 400 : 40;

	for (uint32_t k = 0; k < checks; k++) {
		struct ksym_symbol a, b;
		uint64_t x = addrs[k];
		int found = ksym_lookup_addr(&c.t, x, &a) == KSYM_OK;
		uint32_t li = linear_search(&c.t, c.count, x, &b), bi = bare_search(starts, sizes, n, x);
		int bare_found = bi < n;

		if (found != (li < c.count) || found != bare_found ||
		    (found && (a.index != b.index || a.start != starts[bi]))) {
			fprintf(stderr, "bench_lookup: N=%u: the lookups disagree at 0x%llx\n", n,
				(unsigned long long)x);
			return -1;
		}
	}

	long iters[NMETHODS];
	double *ns = xmalloc((size_t)runs * NMETHODS * sizeof(*ns)), med[NMETHODS], kb[2], kba[2];

	for (int m = 0; m < NMETHODS; m++)
		iters[m] = calibrate(&c, m, target);
	for (int r = 0; r < runs; r++)
		for (int m = 0; m < NMETHODS; m++)
			ns[m * runs + r] = timed(&c, m, iters[m]) * 1e9 / (double)iters[m];
	pair_spread(ns + M_KSYM * runs, ns + M_BARE * runs, runs, &kb[0], &kb[1]);
	pair_spread(ns + M_KSYM_ASC * runs, ns + M_BARE_ASC * runs, runs, &kba[0], &kba[1]);
	for (int m = 0; m < NMETHODS; m++) { /* median() sorts: after the pairs */
		med[m] = median(ns + m * runs, runs);
		fprintf(stderr, "  bench_lookup: N=%u %s: %.1f ns/lookup (%ld lookups x %d runs)\n", n,
			method_names[m], med[m], iters[m], runs);
	}
	printf("%u %.2f %.2f %.2f %.2f %.2f %.2f %.2f %.2f %.2f %.2f %.2f %.2f %.2f\n", n, med[M_KSYM], med[M_BARE],
	       med[M_LINEAR], (double)blob.size / blob.count, med[M_NAME], med[M_GAP], med[M_NESTED], med[M_KSYM_ASC],
	       med[M_BARE_ASC], kb[0], kb[1], kba[0], kba[1]);
	fflush(stdout);
	free(ns);
	free(gaps);
	free(namev);
	free(nested.data);
	free(addrs);
	free(sorted);
	free(sizes);
	free(starts);
	free(blob.data);
	free(names);
	free(syms);
	return 0;
}

int main(int argc, char **argv)
{
	int runs = 5, c;
	double target = 0.25;

	while ((c = getopt(argc, argv, "r:t:")) != -1) {
		switch (c) {
		case 'r':
			runs = atoi(optarg);
			break;
		case 't':
			target = atof(optarg);
			break;
		default:
			goto usage;
		}
	}
	if (optind >= argc || runs < 1 || target <= 0)
		goto usage;
	for (int i = optind; i < argc; i++) {
		long n = atol(argv[i]);

		if (n < 1 || n > 100000000) {
			fprintf(stderr, "bench_lookup: bad N '%s'\n", argv[i]);
			return 2;
		}
		if (bench((uint32_t)n, runs, target) < 0)
			return 1;
	}
	return 0;
usage:
	fprintf(stderr, "usage: bench_lookup [-r RUNS] [-t TARGET_SECONDS] N...\n");
	return 2;
}
