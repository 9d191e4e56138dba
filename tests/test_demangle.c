/*
 * --demangle on a C++ kernel with Rust-mangled labels (tests/fixtures/cxx):
 * the table holds what binutils prints.  --demangle=full is `nm -C` line
 * for line; the default short form is `c++filt -p` (which, verbose, also
 * prints Rust's hash and crate disambiguator: both go).  Overloads that
 * read alike stay separate symbols and a name lookup finds each; verify
 * checks with the option the table was patched with.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

/* nm -n -S's sized lines, less the absolute and placeholder-bound symbols (as the table). */
#define NM_SIZED "| grep -E '^[0-9a-f]+ [0-9a-f]+ ' | grep -v -e ' [aA] ' -e __kernel_symbols_"

Test(demangle, full_dump_equals_nm_C)
{
	char *elf = patch_copy("cxx", "--demangle=full", NULL);
	struct run d = run("%s dump %s", tool(), elf);
	struct run nm = run("%snm -n -S -C %s " NM_SIZED, cross(), elf);

	cr_assert(eq(int, d.status, 0), "%s", d.err);
	cr_assert(strstr(nm.out, "demo::trace(int, int)") != NULL, "the fixture has overloads: %s", nm.out);
	cr_assert(strstr(nm.out, "<mykernel::uart::Uart as core::fmt::Write>::write_str") != NULL,
		  "the fixture has Rust legacy names");
	cr_assert(strstr(nm.out, "mykernel::irq::handle") != NULL, "and Rust v0 names");
	cr_assert(eq(str, d.out, nm.out), "dump vs nm -n -S -C");
	run_free(&d);
	run_free(&nm);
	free(elf);
}

Test(demangle, short_form_is_cxxfilt_p_without_rust_hashes)
{
	char *elf = patch_copy("cxx", "--demangle", NULL);
	struct run d = run("%s dump %s", tool(), elf);
	struct run want = run("%snm -n -S %s " NM_SIZED " | c++filt -p | sed -E 's/::h[0-9a-f]{16}$//; s/\\[[0-9a-f]+\\]//g'",
			      cross(), elf);

	cr_assert(eq(int, d.status, 0), "%s", d.err);
	cr_assert(strstr(d.out, " T demo::Machine::run\n") != NULL, "%s", d.out);
	cr_assert(strstr(d.out, " T core::fmt::write\n") != NULL, "no hash: %s", d.out);
	cr_assert(eq(str, d.out, want.out), "dump vs c++filt -p");
	run_free(&d);
	run_free(&want);
	free(elf);
}

Test(demangle, an_overloaded_name_finds_every_overload)
{
	char *elf = patch_copy("cxx", "--demangle", NULL);
	struct run l = run("%s lookup --name %s 'demo::trace' '(anonymous namespace)::poke' nothing::here", tool(), elf);
	struct run want = run("for f in 'demo::trace' '(anonymous namespace)::poke'; do %snm -n -S -C %s | "
			      "grep -F \" $f(\" | sed -E 's/\\([^()]*\\)$//'; done; echo 'nothing::here ?""?'",
			      cross(), elf);

	cr_assert(eq(int, l.status, 0), "%s", l.err);
	cr_assert(eq(sz, count_lines(l.out), 6), "three trace overloads, two poke, one miss:\n%s", l.out);
	cr_assert(eq(str, l.out, want.out), "lookup --name vs nm -C");
	run_free(&l);
	run_free(&want);
	free(elf);
}

Test(demangle, names_on_standard_input_get_the_same_answers)
{
	char *elf = patch_copy("cxx", "--demangle", NULL);
	struct run args = run("%s lookup --name %s 'demo::Machine::run' 'demo::trace' zz", tool(), elf);
	struct run in = run("printf '  demo::Machine::run \\ndemo::trace\\n\\nzz\\n' | %s lookup -n %s", tool(), elf);

	cr_assert(eq(int, in.status, 0), "%s", in.err);
	cr_assert(eq(sz, count_lines(in.out), 5), "one run, three trace, one miss:\n%s", in.out);
	cr_assert(eq(str, in.out, args.out), "stdin (trimmed, blank lines skipped) as arguments");
	run_free(&args);
	run_free(&in);
	free(elf);
}

Test(demangle, verify_checks_with_the_same_option)
{
	char *elf = patch_copy("cxx", "--demangle", NULL);
	struct run same = run("%s verify --demangle %s", tool(), elf);
	struct run plain = run("%s verify %s", tool(), elf);
	struct run full = run("%s verify --demangle=full %s", tool(), elf);

	cr_assert(eq(int, same.status, 0), "%s", same.err);
	cr_assert(eq(int, plain.status, 1));
	cr_assert(strstr(plain.err, "stale: symbol") != NULL, "%s", plain.err);
	cr_assert(eq(int, full.status, 1));
	run_free(&same);
	run_free(&plain);
	run_free(&full);
	free(elf);
}

Test(demangle, bad_style_and_wrong_command_are_usage_errors)
{
	char *elf = tmp_copy("cxx");
	struct run bad = run("%s patch --demangle=java %s", tool(), elf);
	struct run dump = run("%s dump --demangle %s", tool(), elf);
	struct run cmp = run("cmp %s %s", elf, fixture("cxx"));

	cr_assert(eq(int, bad.status, 2));
	cr_assert(strstr(bad.err, "--demangle takes short or full") != NULL, "%s", bad.err);
	cr_assert(eq(int, dump.status, 2));
	cr_assert(eq(int, cmp.status, 0), "the file is untouched");
	run_free(&bad);
	run_free(&dump);
	run_free(&cmp);
	free(elf);
}
