/*
 * Tests of patcher/encode.c: the table's density on a real program's symbols.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>

#include "helpers.h"
#include "ksympatch.h"

Test(encode, real_program_takes_at_most_14_bytes_a_symbol)
{
	struct run r;
	char *elf = patch_copy("glibc", "-v", &r);
	unsigned count, used, avail;
	double per;

	cr_assert(eq(int, r.status, 0), "%s", r.err);
	cr_assert(sscanf(strrchr(r.out, ':') + 1, " %u symbols, %u of %u bytes (%*[^)]) in %*s %lf bytes/symbol",
			 &count, &used, &avail, &per) == 4, "%s", r.out);
	cr_assert(gt(u32, count, 1500), "a real program: %u symbols", count);
	cr_assert(le(dbl, per, 14.0), "%s", r.out);
	cr_assert(le(dbl, (double)used / count, 14.0));
	run_free(&r);
	free(elf);
}
