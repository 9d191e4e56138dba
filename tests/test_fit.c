/*
 * Tests of patcher/fit.c: --functions-only and --fit keep what they promise (checked against nm).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>

#include "helpers.h"
#include "ksympatch.h"

static int is_function_letter(char type)
{
	return strchr("TtWwi", type) != NULL;
}

Test(fit, functions_only_keeps_exactly_the_functions_nm_lists)
{
	struct run r;
	char *elf = patch_copy("glibc", "-v --functions-only", &r);

	cr_assert(eq(int, r.status, 0), "%s", r.err);

	struct run d = run("%s dump %s", tool(), elf), nm = run("%snm -n -S %s", cross(), elf);
	struct run v = run("%s verify --functions-only %s", tool(), elf), v0 = run("%s verify %s", tool(), elf);
	struct nm_line *dl, *nl;
	size_t nd = parse_nm(d.out, &dl), nn = parse_nm(nm.out, &nl), functions = 0;

	for (size_t i = 0; i < nd; i++) {
		cr_assert(is_function_letter(dl[i].type), "a data object is left: %s", dl[i].text);
		cr_assert(nm_find(nl, nn, dl[i].start, dl[i].name) != NULL, "not in nm: %s", dl[i].text);
	}
	for (size_t i = 0; i < nn; i++) {
		if (!nl[i].has_size || !nl[i].size || !is_function_letter(nl[i].type))
			continue;
		functions++;
		cr_assert(nm_find(dl, nd, nl[i].start, nl[i].name) != NULL, "function missing: %s", nl[i].text);
	}
	cr_assert(gt(sz, functions, 1000));
	cr_assert(eq(int, v.status, 0), "verify with the same selection: %s", v.err);
	cr_assert(eq(int, v0.status, 1), "verify without it sees another table");
	run_free(&r);
	run_free(&d);
	run_free(&nm);
	run_free(&v);
	run_free(&v0);
	free(dl);
	free(nl);
	free(elf);
}

Test(fit, fit_drops_data_first_keeps_every_global_function_and_warns_once)
{
	struct run r;
	char *elf = patch_copy("glibc-16k", "-v --fit", &r);

	cr_assert(eq(int, r.status, 0), "%s", r.err);
	cr_assert(eq(sz, count_lines(r.err), 1), "one warning line: %s", r.err);
	cr_assert(strstr(r.err, "warning: --fit dropped ") != NULL, "%s", r.err);

	struct run d = run("%s dump %s", tool(), elf), nm = run("%snm -n -S %s", cross(), elf);
	struct run full = run("%s patch -v %s -o %s.full", tool(), fixture("glibc"), elf);
	struct run v = run("%s verify --fit %s", tool(), elf);
	struct nm_line *dl, *nl;
	size_t nd = parse_nm(d.out, &dl), nn = parse_nm(nm.out, &nl), local_data = 0;
	unsigned dropped, total, kept;

	for (size_t i = 0; i < nd; i++) {
		cr_assert(nm_find(nl, nn, dl[i].start, dl[i].name) != NULL, "not in nm: %s", dl[i].text);
		local_data += !is_function_letter(dl[i].type) && dl[i].type >= 'a';
	}
	for (size_t i = 0; i < nn; i++)
		if (nl[i].has_size && nl[i].size && strchr("TWi", nl[i].type))
			cr_assert(nm_find(dl, nd, nl[i].start, nl[i].name) != NULL, "global function dropped: %s",
				  nl[i].text);
	cr_assert(eq(sz, local_data, 0), "local data objects go first");
	cr_assert(sscanf(strstr(r.err, "dropped "), "dropped %u of %u", &dropped, &total) == 2);
	cr_assert(sscanf(strrchr(r.out, ':') + 1, " %u symbols", &kept) == 1);
	cr_assert(eq(u32, kept + dropped, total));
	cr_assert(eq(sz, nd, kept));
	cr_assert(strstr(full.out, " symbols") != NULL, "%s", full.err);
	cr_assert(eq(u32, (unsigned)strtoul(strrchr(full.out, ':') + 1, NULL, 10), total), "total as without --fit");
	cr_assert(eq(int, v.status, 0), "verify --fit: %s", v.err);
	run_free(&r);
	run_free(&d);
	run_free(&nm);
	run_free(&full);
	run_free(&v);
	free(dl);
	free(nl);
	free(elf);
}
