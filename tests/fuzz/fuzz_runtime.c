/*
 * libFuzzer target: the runtime on arbitrary bytes.
 *
 * Input: an 8-byte count (NUM_KERNEL_SYMBOLS), a flags byte, then the
 * placeholder contents.  Flag 1 reseals the checksum and flag 2 copies the
 * header's count, so the fuzzer gets past those two checks and into the
 * validation and lookups behind them.  The blob is copied into a buffer of
 * exactly its size, so ASan sees any read past the placeholder.  A symbol
 * that a lookup returns must contain the address it was looked up for, and
 * a name lookup must find the symbol whose name it was given, and a
 * describe must be text, found exactly where a lookup is.
 */
#include <stdlib.h>
#include <string.h>

#include <ksym/format.h>
#include <ksym/ksym.h>

#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct ksym_table t;
	struct ksym_symbol s, out[4];
	uint64_t count;
	unsigned char *blob;
	size_t n;
	char buf[48], name[64];

	blob = fuzz_input(data, size, &n, &count);
	if (!blob)
		return 0;

	/*
	 * ksym_open() proves only the header, layout, checksum, tokens and
	 * indexes: every lookup must be safe (no fault, no loop, a bounded
	 * decode: ASan and the fuzzer's timeout watch) on any table it accepts.
	 * The answers are checked only once ksym_verify() has proved the rest.
	 */
	if (ksym_open(&t, blob, n, count, NULL) == KSYM_OK) {
		struct ksym_table v = t;
		int proved = ksym_verify(&v, NULL) == KSYM_OK;

		for (uint32_t i = 0; i < t.count && i < 64; i++) {
			struct ksym_symbol f;

			ksym_symbol_at(&t, i, &s);
			ksym_format(&t, buf, sizeof(buf), &s, s.start + s.size / 2);
			ksym_describe(&t, s.start + s.size / 2, 0, buf, sizeof(buf));
			if (ksym_name(&t, &s, name, sizeof(name)) < sizeof(name) &&
			    ksym_lookup_name(&t, name, out, 4) == 0 && proved)
				abort(); /* a stored name that its own lookup cannot find */
			if (s.size && ksym_lookup_addr(&t, s.start, &f) != KSYM_OK && proved)
				abort(); /* s contains its start: something must */
			ksym_lookup_addr(&t, s.start + s.size, &f);
			ksym_lookup_addr(&t, s.start - 1, &f);
		}
		ksym_symbol_at(&t, t.count, &s); /* past the end: an empty symbol */
		ksym_name(&t, &s, name, sizeof(name));
		/* Addresses from the input itself. */
		for (size_t k = 0; k + 8 <= size; k += 64) {
			uint64_t a;

			memcpy(&a, data + k, 8);
			if (ksym_lookup_addr(&t, a, &s) == KSYM_OK) {
				if (a - s.start >= s.size)
					abort(); /* the answer must contain the address */
				ksym_format(&t, buf, sizeof(buf), &s, a);
			}
		}
		ksym_lookup_name(&t, "", out, 4);
	}
	/* On any table, opened or refused: a describe is text, and found only where a lookup is. */
	int st = ksym_describe(&t, count, KSYM_CALL_BACK, buf, sizeof(buf));

	if (strlen(buf) >= sizeof(buf) || (st == KSYM_OK) != (t.status == KSYM_OK &&
							ksym_lookup_addr(&t, count - KSYM_CALL_BACK, &s) == KSYM_OK))
		abort();
	free(blob);
	return 0;
}
