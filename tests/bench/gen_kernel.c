/*
 * Generate a large synthetic kernel as AArch64 assembly, for the benchmark
 * and the kill test: N functions with kernel-like names (20 to 60 bytes,
 * shared subsystem prefixes, one in eight static), each with .type and .size,
 * a few data objects, and NUM_KERNEL_SYMBOLS.  Assembly builds in seconds
 * where C would take minutes.
 *
 * usage: gen_kernel N OUT.S
 * Prints the placeholder size the table needs (for --defsym KSYM_TABLE_SIZE).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"

int main(int argc, char **argv)
{
	long n;
	FILE *f;
	unsigned long long table = 32 + 8; /* header, alignment slack */
	char name[128];

	if (argc != 3 || (n = atol(argv[1])) <= 0) {
		fprintf(stderr, "usage: gen_kernel N OUT.S\n");
		return 2;
	}
	f = fopen(argv[2], "w");
	if (!f) {
		perror(argv[2]);
		return 1;
	}
	fprintf(f, "\t.section .text.boot, \"ax\"\n\t.global _start\n\t.type _start, %%function\n"
		   "_start:\n\tb kernel_main\n\t.size _start, . - _start\n\n\t.text\n");
	for (long i = 0; i < n; i++) {
		int len = i == 0 ? snprintf(name, sizeof(name), "kernel_main")
				 : bench_name(name, sizeof(name), (unsigned long)i);

		table += 22 + (unsigned long long)len;
		if (i % 8)
			fprintf(f, "\t.global %s\n", name);
		fprintf(f, "\t.type %s, %%function\n%s:\n", name, name);
		for (long k = 0; k <= i % 6; k++)
			fputs("\tnop\n", f);
		fprintf(f, "\tret\n\t.size %s, . - %s\n", name, name);
	}
	fputs("\n\t.section .rodata\n", f);
	for (int i = 0; i < 8; i++) {
		fprintf(f, "\t.global config_table_%d\n\t.type config_table_%d, %%object\n"
			   "config_table_%d:\n\t.zero %d\n\t.size config_table_%d, . - config_table_%d\n",
			i, i, i, 16 * (i + 1), i, i);
		table += 22 + 14;
	}
	fputs("\t.section .kernel_symbols.head, \"a\"\n\t.balign 8\n\t.quad 0\n", f); /* KSYM_DEFINE_TABLE_HEAD() */
	fputs("\t.section .rodata.ksym_count, \"a\"\n\t.balign 8\n\t.global NUM_KERNEL_SYMBOLS\n"
	      "\t.type NUM_KERNEL_SYMBOLS, %object\nNUM_KERNEL_SYMBOLS:\n\t.quad 0\n"
	      "\t.size NUM_KERNEL_SYMBOLS, 8\n", f);
	table += 22 + 18 + 22 + 6; /* NUM_KERNEL_SYMBOLS, _start */
	if (fclose(f)) {
		perror(argv[2]);
		return 1;
	}
	printf("%llu\n", (table + 4095) / 4096 * 4096);
	return 0;
}
