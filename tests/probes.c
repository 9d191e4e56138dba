/* The differential probes' inputs and comparison (tests/probes.h). */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ksym/format.h>

#include "helpers.h"
#include "probes.h"

unsigned char *probe_input(const char *elf, size_t *len)
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

size_t patched_elfs(char **elfs, size_t max)
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

char *probes_agree(const char *a, const char *b, const char *file)
{
	struct run ra = run("%s/rust/%s %s", build_dir(), a, file);
	struct run rb = run("%s/rust/%s %s", build_dir(), b, file);
	char *out;

	cr_assert(eq(int, ra.status, 0), "%s on %s: %s", a, file, ra.err);
	cr_assert(eq(int, rb.status, 0), "%s on %s: %s", b, file, rb.err);
	if (strcmp(ra.out, rb.out) != 0) {
		char *dir = tmp_dir(), pa[600], pb[600];
		struct run d;

		snprintf(pa, sizeof(pa), "%s/%s", dir, a);
		snprintf(pb, sizeof(pb), "%s/%s", dir, b);
		write_file(pa, ra.out, strlen(ra.out));
		write_file(pb, rb.out, strlen(rb.out));
		d = run("diff %s %s | head -8", pa, pb);
		cr_fatal("%s: %s and %s disagree:\n%s", file, a, b, d.out);
	}
	out = strdup(ra.out);
	run_free(&ra);
	run_free(&rb);
	return out;
}

static uint32_t next_rand(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

void probe_damage(unsigned char *m, const unsigned char *in, size_t len, uint32_t *seed)
{
	uint32_t end = table_u32(PROBE_TABLE(in), KSYM_HDR_END);

	memcpy(m, in, len);
	m[8] = 1; /* reseal the checksum after the damage */
	for (uint32_t d = 0, nd = 1 + next_rand(seed) % 4; d < nd; d++) {
		uint32_t at = 16 + next_rand(seed) % (end - 16);

		PROBE_TABLE(m)[at] ^= (unsigned char)(1 + next_rand(seed) % 255);
	}
}
