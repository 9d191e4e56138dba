/*
 * Where a table's bytes go: the density table of `make bench`.
 *
 * Reads a blob (the .kernel_symbols section of a patched ELF, extracted by
 * objcopy -O binary --only-section), opens it with the runtime, and splits
 * its size into the parts of docs/FORMAT.md: the fixed header with the type
 * letters and the tokens; addresses (the block index, the max-end tree, and
 * the record stream less its size varints); sizes (the size varints); names
 * (restart offsets and the name stream); the index (the two permutations).
 *
 * usage: density LABEL BLOB
 * Prints "LABEL count bytes fixed addresses sizes names index".
 */
#include <stdio.h>
#include <stdlib.h>

#include <ksym/format.h>
#include <ksym/ksym.h>

#include "blob.h"

static unsigned varint_len(uint64_t v)
{
	unsigned n = 1;

	for (; v >= 0x80; v >>= 7)
		n++;
	return n;
}

int main(int argc, char **argv)
{
	static unsigned char blob[64 << 20];
	struct ksym_table t;
	const char *why = "";
	uint32_t count;
	size_t n;

	if (argc != 3) {
		fprintf(stderr, "usage: density LABEL BLOB\n");
		return 2;
	}
	n = read_blob(argv[2], blob, sizeof(blob), &count);
	if (!n)
		return 1;

	if (ksym_open(&t, blob, n, count, &why) != KSYM_OK) {
		fprintf(stderr, "density: %s: %s\n", argv[2], why);
		return 1;
	}

	uint64_t sizes = 0;

	for (uint32_t i = 0; i < t.count; i++) {
		struct ksym_symbol s;
		unsigned k = 0; /* the type's place in the header, for its size shift */

		ksym_symbol_at(&t, i, &s);
		while (k + 1 < KSYM_MAX_TYPES && blob[KSYM_HDR_TYPES + k] != (unsigned char)s.type)
			k++;
		sizes += varint_len(s.size >> blob[KSYM_HDR_SHIFTS + k]); /* in its type's units */
	}
	printf("%s %u %u %u %llu %llu %u %u\n", argv[1], t.count, t.end, t.blocks_off,
	       (unsigned long long)(t.restarts_off - t.blocks_off - sizes), (unsigned long long)sizes,
	       t.perm_off - t.restarts_off + t.end - t.names_off, t.names_off - t.perm_off);
	return 0;
}
