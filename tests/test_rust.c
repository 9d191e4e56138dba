/*
 * The Rust crate (runtime/rust) against the C runtime, table for table:
 * the two probes (runtime/rust/examples/probe.rs and tests/probe/probe.c)
 * print what each reader answers on one input (open and verify results
 * with their reasons, every symbol with its name, lookups of addresses
 * around every symbol and from the input itself, lookups of every name),
 * and the outputs must be equal, on the tables ksympatch writes into every
 * fixture and board kernel, on damaged copies of them (bytes changed and
 * the checksum resealed, so that open accepts many and the lookups run on
 * tables verify refuses, with verify's reason), and on the fuzz corpus.  The C runtime's own
 * answers are checked against nm and addr2line elsewhere (test_cmd_dump.c,
 * test_cmd_lookup.c, test_qemu.c); the crate's tests (cargo test) check
 * the crate's against nm directly.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "ksympatch.h"
#include "probes.h"

#define MUTANTS 60 /* damaged copies of each table */

/* Both probes on the input in file: the C probe's output. */
static char *expect_same_answers(const char *file)
{
	return probes_agree("probe_c", "probe", file);
}

Test(rust, crate_and_c_runtime_agree_on_every_fixture_and_board_kernel)
{
	char *elfs[64], *dir = tmp_dir(), path[600];
	size_t n = patched_elfs(elfs, 64);

	cr_assert(ge(sz, n, n_good_fixtures + 20), "the board kernels: run make kernels first");
	for (size_t i = 0; i < n; i++) {
		size_t len;
		unsigned char *in = probe_input(elfs[i], &len);
		char *out;

		snprintf(path, sizeof(path), "%s/in", dir);
		write_file(path, in, len);
		out = expect_same_answers(path);
		cr_assert(strncmp(out, "open: ok\nverify: ok\n", 20) == 0, "%s: %.80s", elfs[i], out);
		free(out);
		free(in);
		free(elfs[i]);
	}
	free(dir);
}

Test(rust, crate_and_c_runtime_agree_on_damaged_tables)
{
	static const char *const fixtures[] = { "glibc", "gnu-be", "lld-thumb", "gnu-rv64", "llvm" };
	char *dir = tmp_dir(), path[600];
	int opened_unproved = 0, refused = 0;
	uint32_t seed = 1;

	for (size_t f = 0; f < KSP_ARRAY_SIZE(fixtures); f++) {
		char *elf = patch_copy(fixtures[f], "", NULL);
		size_t len;
		unsigned char *in = probe_input(elf, &len), *m = malloc(len);

		for (int k = 0; k < MUTANTS; k++) {
			char *out;

			probe_damage(m, in, len, &seed);
			snprintf(path, sizeof(path), "%s/%s-%d", dir, fixtures[f], k);
			write_file(path, m, len);
			out = expect_same_answers(path);
			opened_unproved += strncmp(out, "open: ok\nverify: ", 17) == 0 && strncmp(out + 17, "ok\n", 3) != 0;
			refused += strncmp(out, "open: corrupt", 13) == 0;
			free(out);
		}
		free(m);
		free(in);
		free(elf);
	}
	/* Both kinds happen: refused at open, and lookups on tables only open accepted. */
	cr_assert(gt(int, opened_unproved, 20), "opened, not proved: %d", opened_unproved);
	cr_assert(gt(int, refused, 20), "refused: %d", refused);
	free(dir);
}

/* Every file of a directory (a corpus) through both probes; returns how many. */
static int agree_on_dir(const char *path, int max)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)) && n < max) {
		char file[1024];

		if (e->d_name[0] == '.')
			continue;
		snprintf(file, sizeof(file), "%s/%s", path, e->d_name);
		free(expect_same_answers(file));
		n++;
	}
	if (d)
		closedir(d);
	return n;
}

Test(rust, crate_and_c_runtime_agree_on_the_fuzz_corpus)
{
	char seeds[512], corpus[512];
	int n;

	snprintf(seeds, sizeof(seeds), "%s/fuzz/seeds/runtime", build_dir());
	snprintf(corpus, sizeof(corpus), "%s/fuzz/corpus/runtime", build_dir());
	n = agree_on_dir(seeds, 1000) + agree_on_dir("tests/fuzz/regressions/runtime", 1000);
	cr_assert(ge(int, n, 10), "the seeds: make test builds them");
	/*
	 * What the fuzzer found so far, where it has run: a copy, as a fuzz run
	 * (make test's smoke run goes alongside) may add and remove files.
	 */
	{
		char *dir = tmp_dir(), copy[600];
		struct run cp = run("cp -r %s %s/corpus 2>/dev/null", corpus, dir);

		snprintf(copy, sizeof(copy), "%s/corpus", dir);
		agree_on_dir(copy, 400);
		run_free(&cp);
		free(dir);
	}
}
