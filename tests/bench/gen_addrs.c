/*
 * Print COUNT pseudo-random hex addresses in [LO, HI), one a line, for the
 * lookup benchmark: the same addresses on every run and every machine
 * (xorshift64 from a fixed seed).
 *
 * usage: gen_addrs LO HI COUNT [SEED]     (LO, HI in hex)
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	uint64_t lo, hi, x = 0x9e3779b97f4a7c15ull;
	long count;

	if (argc < 4 || argc > 5 || (count = atol(argv[3])) <= 0) {
		fprintf(stderr, "usage: gen_addrs LO HI COUNT [SEED]\n");
		return 2;
	}
	lo = strtoull(argv[1], NULL, 16);
	hi = strtoull(argv[2], NULL, 16);
	if (argc == 5)
		x ^= strtoull(argv[4], NULL, 0);
	if (hi <= lo) {
		fprintf(stderr, "gen_addrs: empty range\n");
		return 2;
	}
	for (long i = 0; i < count; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		printf("%" PRIx64 "\n", lo + x % (hi - lo));
	}
	return fflush(stdout) ? 1 : 0;
}
