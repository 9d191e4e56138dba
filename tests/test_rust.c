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

#define MUTANTS 60 /* damaged copies of each table */

/* The probe input for a patched ELF: its count (u64, little-endian), flags, the placeholder. */
static unsigned char *probe_input(const char *elf, size_t *len)
{
	struct run n = run("%s dump %s | wc -l", tool(), elf);
	uint64_t off, size, count = strtoull(n.out, NULL, 10);
	size_t file_len;
	char *file = read_file(elf, &file_len);
	unsigned char *in;

	section_bytes(elf, ".kernel_symbols", &off, &size);
	cr_assert(off + size <= file_len);
	in = malloc(9 + size);
	for (int i = 0; i < 8; i++)
		in[i] = (unsigned char)(count >> (8 * i));
	in[8] = 0;
	memcpy(in + 9, file + off, size);
	*len = 9 + size;
	run_free(&n);
	free(file);
	return in;
}

/* Both probes on the input in file: equal output, both exiting 0; the C probe's output. */
static char *expect_same_answers(const char *file)
{
	struct run c = run("%s/rust/probe_c %s", build_dir(), file);
	struct run rs = run("%s/rust/probe %s", build_dir(), file);
	char *out;

	cr_assert(eq(int, c.status, 0), "C probe on %s: %s", file, c.err);
	cr_assert(eq(int, rs.status, 0), "Rust probe on %s: %s", file, rs.err);
	if (strcmp(c.out, rs.out) != 0) {
		char *dir = tmp_dir(), a[600], b[600];
		struct run d;

		snprintf(a, sizeof(a), "%s/c", dir);
		snprintf(b, sizeof(b), "%s/rust", dir);
		write_file(a, c.out, strlen(c.out));
		write_file(b, rs.out, strlen(rs.out));
		d = run("diff %s %s | head -8", a, b);
		cr_fatal("%s: the crate and the C runtime disagree:\n%s", file, d.out);
	}
	out = strdup(c.out);
	run_free(&c);
	run_free(&rs);
	return out;
}

/* The patched ELFs: every fixture the patcher handles, the C++ one demangled, every board kernel. */
static size_t patched_elfs(char **elfs, size_t max)
{
	size_t n = 0;
	struct run k = run("ls %s/*/kernel.elf", build_dir());

	for (size_t i = 0; i < n_good_fixtures && n < max; i++)
		elfs[n++] = patch_copy(good_fixtures[i].name, "", NULL);
	elfs[n++] = patch_copy("cxx", "--demangle=full", NULL);
	for (char *save, *l = strtok_r(k.out, "\n", &save); l && n < max; l = strtok_r(NULL, "\n", &save))
		elfs[n++] = strdup(l);
	run_free(&k);
	return n;
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

/* A small deterministic generator, so a failure names a mutant that can be made again. */
static uint32_t next_rand(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
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
		uint32_t end = table_u32(in + 9, 44);

		if (in[9 + 5] == 2) /* big-endian: the header's end as the table has it */
			end = __builtin_bswap32(end);
		for (int k = 0; k < MUTANTS; k++) {
			char *out;

			memcpy(m, in, len);
			m[8] = 1; /* reseal the checksum after the damage */
			for (uint32_t d = 0, nd = 1 + next_rand(&seed) % 4; d < nd; d++) {
				uint32_t at = 16 + next_rand(&seed) % (end - 16);

				m[9 + at] ^= (unsigned char)(1 + next_rand(&seed) % 255);
			}
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
