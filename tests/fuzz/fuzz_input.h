/*
 * The runtime fuzz target's input format, for the target
 * (fuzz_runtime.c) and the differential probe (tests/probe/probe.c), which
 * reads the same corpus: an 8-byte little-endian count
 * (NUM_KERNEL_SYMBOLS), a flags byte, then the placeholder's contents.
 * Flag 1 reseals the checksum and flag 2 takes the count from the header,
 * so an input gets past those two checks and into what is behind them.
 */
#ifndef FUZZ_INPUT_H
#define FUZZ_INPUT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <ksym/format.h>
#include <ksym/ksym.h>

static uint32_t fuzz_rd32(const unsigned char *p, int big)
{
	return big ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
		   : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* The checksum of a table that a flag asks to be made right again. */
static void fuzz_reseal(unsigned char *b, size_t n)
{
	int big = b[KSYM_HDR_ENDIAN] == KSYM_ENDIAN_BIG;
	uint32_t end = fuzz_rd32(b + KSYM_HDR_END, big), sum;

	if (end < KSYM_HDR_SIZE || end > n)
		return;
	sum = ksym_checksum(b, end);
	for (int i = 0; i < 4; i++)
		b[KSYM_HDR_CHECKSUM + i] = (unsigned char)(sum >> (big ? 24 - 8 * i : 8 * i));
}

/*
 * The placeholder of an input, in a malloc'd buffer of exactly its size
 * (*n bytes, so ASan sees any read past it), with the flags applied and the
 * count in *count; NULL for an input shorter than the count and flags.
 */
static unsigned char *fuzz_input(const unsigned char *data, size_t size, size_t *n, uint64_t *count)
{
	unsigned char *blob;

	if (size < 9)
		return NULL;
	*count = 0;
	for (int i = 7; i >= 0; i--)
		*count = *count << 8 | data[i];
	*n = size - 9;
	blob = malloc(*n ? *n : 1);
	if (!blob)
		return NULL;
	memcpy(blob, data + 9, *n);
	if ((data[8] & 1) && *n >= KSYM_HDR_SIZE)
		fuzz_reseal(blob, *n);
	if ((data[8] & 2) && *n >= KSYM_HDR_SIZE)
		*count = fuzz_rd32(blob + KSYM_HDR_COUNT, blob[KSYM_HDR_ENDIAN] == KSYM_ENDIAN_BIG);
	return blob;
}

#endif
