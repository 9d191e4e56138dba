/*
 * Tests of patcher/build.c: a table that does not fit is named with the size that would.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>

#include "helpers.h"
#include "ksympatch.h"

Test(build, too_small_a_placeholder_names_the_size_that_fits_and_the_options)
{
	struct run r;
	char *elf = patch_copy("glibc-16k", "-v", &r);
	unsigned need, avail, at_least;

	cr_assert(eq(int, r.status, 1));
	cr_assert(eq(sz, count_lines(r.err), 1), "%s", r.err);
	cr_assert(sscanf(strstr(r.err, "needs "), "needs %u bytes, %u available; make the placeholder at least %u",
			 &need, &avail, &at_least) == 3, "%s", r.err);
	cr_assert(eq(u32, avail, 16384));
	cr_assert(eq(u32, at_least, (need + 1023) / 1024 * 1024), "rounded up to 1 KiB");
	cr_assert(strstr(r.err, "--functions-only keeps ") != NULL, "%s", r.err);
	cr_assert(strstr(r.err, "--fit") != NULL, "%s", r.err);
	run_free(&r);
	free(elf);
}
