/*
 * Tests of patcher/cli.c: the command line.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "helpers.h"
#include "ksympatch.h"

Test(cli, usage_errors_exit_2)
{
	struct run r1 = run("%s", tool());
	struct run r2 = run("%s frobnicate x.elf", tool());
	struct run r3 = run("%s patch --no-such-option x.elf", tool());
	struct run r4 = run("%s dump -o y.elf x.elf", tool());
	struct run h = run("%s --help", tool());

	cr_assert(eq(int, r1.status, 2));
	cr_assert(eq(int, r2.status, 2));
	cr_assert(eq(int, r3.status, 2));
	cr_assert(eq(int, r4.status, 2));
	cr_assert(eq(int, h.status, 0));
	cr_assert(strstr(h.out, "usage: ksympatch patch") != NULL);
	run_free(&r1);
	run_free(&r2);
	run_free(&r3);
	run_free(&r4);
	run_free(&h);
}

Test(cli, options_go_before_or_after_the_command)
{
	char *elf = tmp_copy("gnu-le");
	struct run before = run("%s -v patch %s", tool(), elf), after = run("%s patch %s -v", tool(), elf);
	struct run unknown = run("%s frobnicate %s", tool(), elf);

	cr_assert(eq(int, before.status, 0), "%s", before.err);
	cr_assert(strstr(before.out, " symbols, ") != NULL, "-v before the command: %s", before.out);
	cr_assert(eq(int, after.status, 0), "%s", after.err);
	cr_assert(strstr(after.out, " symbols, ") != NULL, "-v after the file: %s", after.out);
	cr_assert(eq(int, unknown.status, 2));
	cr_assert(strstr(unknown.err, "unknown command 'frobnicate'") != NULL, "%s", unknown.err);
	run_free(&before);
	run_free(&after);
	run_free(&unknown);
	free(elf);
}

/* An option given to a command that does not take it: the message names that option alone, and whose it is. */
Test(cli, an_option_of_another_command_is_named_alone)
{
	static const struct {
		const char *args, *want;
	} cases[] = {
		{ "-v verify x.elf", "ksympatch: -v is an option of patch\n" },
		{ "dump -o y.elf x.elf", "ksympatch: -o is an option of patch\n" },
		{ "lookup --fit x.elf", "ksympatch: --fit is an option of patch and verify\n" },
		{ "patch --image r.img x.elf", "ksympatch: --image is an option of verify\n" },
		{ "verify --name x.elf", "ksympatch: --name is an option of lookup\n" },
	};

	for (size_t i = 0; i < KSP_ARRAY_SIZE(cases); i++) {
		struct run r = run("%s %s", tool(), cases[i].args);

		cr_assert(eq(int, r.status, 2), "%s", cases[i].args);
		cr_assert(strstr(r.err, cases[i].want) == r.err, "%s: %s", cases[i].args, r.err);
		run_free(&r);
	}
}

/* What a command writes on stdout must reach it: patch -v's summary too. */
Test(cli, output_that_cannot_be_written_is_a_failure)
{
	char *elf = tmp_copy("gnu-le");
	struct run p = run("%s -v patch %s > /dev/full", tool(), elf), d = run("%s dump %s > /dev/full", tool(), elf);

	expect_failure(&p, elf, "cannot write the output");
	expect_failure(&d, elf, "cannot write the output");
	run_free(&p);
	run_free(&d);
	free(elf);
}

/* A file name with a newline stays on the message's one line. */
Test(cli, a_file_name_with_a_newline_is_escaped_in_messages)
{
	char *dir = tmp_dir();
	struct run r = run("f=\"%s/$(printf 'nl\\nx.elf')\" && printf 'not an ELF' > \"$f\" && %s dump \"$f\"", dir,
			   tool());

	cr_assert(eq(int, r.status, 1), "%s", r.err);
	cr_assert(eq(sz, count_lines(r.err), 1), "%s", r.err);
	cr_assert(strstr(r.err, "/nl\\nx.elf: not an ELF file") != NULL, "%s", r.err);
	run_free(&r);
	free(dir);
}
