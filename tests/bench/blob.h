/*
 * A table blob for the in-process benchmarks (density.c, insns.c): the
 * .kernel_symbols section of a patched ELF (objcopy -O binary
 * --only-section), read whole, with the count its header holds.
 */
#ifndef BENCH_BLOB_H
#define BENCH_BLOB_H

#include <stdint.h>
#include <stdio.h>

#include <ksym/format.h>

/* Reads path into blob (at most max bytes): its length, the header's count in *count; 0 after a message. */
static size_t read_blob(const char *path, unsigned char *blob, size_t max, uint32_t *count)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f) {
		perror(path);
		return 0;
	}
	n = fread(blob, 1, max, f);
	fclose(f);
	if (n < KSYM_HDR_SIZE) {
		fprintf(stderr, "%s: not a table (%zu bytes)\n", path, n);
		return 0;
	}
	*count = blob[KSYM_HDR_ENDIAN] == KSYM_ENDIAN_BIG
			 ? (uint32_t)blob[8] << 24 | (uint32_t)blob[9] << 16 | (uint32_t)blob[10] << 8 | blob[11]
			 : (uint32_t)blob[11] << 24 | (uint32_t)blob[10] << 16 | (uint32_t)blob[9] << 8 | blob[8];
	return n;
}

#endif
