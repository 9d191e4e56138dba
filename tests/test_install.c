/*
 * Installing: `make install DESTDIR=...` lays out the tool, its manual page,
 * the runtime, the linker fragment and the Rust crate; a kernel outside the tree builds and
 * patches with nothing else, and boots in QEMU; `make uninstall` takes it
 * all away.  The manual
 * page renders without a groff warning and documents every option --help
 * lists.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

/* make, on its own: not a part of the make that runs the tests. */
#define MAKE "env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make --no-print-directory"

Test(install, manual_page_renders_without_warnings)
{
	struct run g = run("groff -man -ww -z docs/ksympatch.1");
	struct run m = run("man -l docs/ksympatch.1 | wc -l");

	cr_assert(eq(int, g.status, 0));
	cr_assert(eq(str, g.err, ""), "groff warns: %s", g.err);
	cr_assert(gt(long, strtol(m.out, NULL, 10), 100), "man -l renders it: %s%s", m.out, m.err);
	run_free(&g);
	run_free(&m);
}

Test(install, manual_page_documents_every_option_of_help)
{
	struct run h = run("%s --help | grep -oE -- '(^| )--?[a-z][a-z-]*' | tr -d ' ' | sort -u", tool());
	struct run page = run("groff -man -Tascii docs/ksympatch.1 2>/dev/null | col -b");
	size_t n = 0;

	cr_assert(eq(int, h.status, 0));
	for (char *opt = strtok(h.out, "\n"); opt; opt = strtok(NULL, "\n"), n++) {
		char word[64];

		snprintf(word, sizeof(word), "%s", opt);
		cr_assert(strstr(page.out, word) != NULL, "the manual page lacks %s", word);
	}
	cr_assert(gt(sz, n, 8), "--help lists the options");
	run_free(&h);
	run_free(&page);
}

Test(install, a_kernel_outside_the_tree_adopts_the_installed_copy)
{
	char *dest = tmp_dir(), *work = tmp_dir();
	struct run in = run(MAKE " install DESTDIR=%s PREFIX=/usr", dest);

	cr_assert(eq(int, in.status, 0), "%s%s", in.out, in.err);

	/* Only the installed files: headers, runtime source, the two fragments, the tool. */
	struct run build = run("cp tests/fixtures/adopter/kernel.c tests/fixtures/adopter/kernel.ld "
			       "tests/fixtures/adopter/Makefile %s && " MAKE " -C %s KSYMPATCH_DIR=%s/usr/share/ksympatch "
			       "CROSS_COMPILE=%s", work, work, dest, cross());
	struct run again = run(MAKE " -q -C %s KSYMPATCH_DIR=%s/usr/share/ksympatch CROSS_COMPILE=%s", work, dest,
			       cross());
	/* The fragment is included before CC is set: the runtime still gets general registers only. */
	struct run nofp = run("sh tests/fp_insns.sh %sobjdump %s/ksym.o aarch64", cross(), work);
	struct run v = run("%s/usr/bin/ksympatch verify %s/kernel.elf", dest, work);
	struct run d = run("%s/usr/bin/ksympatch dump %s/kernel.elf", dest, work);
	struct run nm = run("%snm -n -S %s/kernel.elf | grep -v -e ' [aA] ' -e __kernel_symbols_", cross(), work);
	struct run boot = run("timeout 30 qemu-system-aarch64 -M virt -cpu cortex-a57 -m 128M -nographic -nic none "
			      "-kernel %s/kernel.elf </dev/null", work);
	struct run fn = run("%snm -S %s/kernel.elf | awk '$4 == \"adopter_report\" {print $1, $2}'", cross(), work);
	struct run un = run(MAKE " uninstall DESTDIR=%s PREFIX=/usr", dest);
	struct run left = run("find %s -type f | wc -l", dest);

	cr_assert(eq(int, build.status, 0), "%s%s", build.out, build.err);
	cr_assert(eq(int, again.status, 0), "make takes the patched kernel as up to date");
	cr_assert(eq(str, nofp.out, ""), "the fragment's flags keep the runtime off FP/SIMD registers");
	cr_assert(eq(int, v.status, 0), "%s", v.err);
	cr_assert(eq(str, d.out, nm.out), "dump equals nm -n -S");

	/* Booted: its own lookups, by address and by name, agree with nm. */
	unsigned long long start, size;
	char want[256];

	strip_cr(boot.out);
	cr_assert(eq(int, boot.status, 0), "PSCI power-off ends QEMU (124: timed out)");
	cr_assert(sscanf(fn.out, "%llx %llx", &start, &size) == 2, "%s", fn.out);
	snprintf(want, sizeof(want), "adopter: 0x%016llx <adopter_report+0x4/0x%llx>\nadopter: adopter_report at 0x%016llx\n",
		 start + 4, size, start);
	cr_assert(eq(str, boot.out, want), "the adopter's kernel in QEMU (exit %d)", boot.status);
	cr_assert(eq(int, un.status, 0), "%s", un.err);
	cr_assert(eq(str, left.out, "0\n"), "uninstall leaves no file behind");
	run_free(&in);
	run_free(&build);
	run_free(&again);
	run_free(&nofp);
	run_free(&v);
	run_free(&d);
	run_free(&nm);
	run_free(&boot);
	run_free(&fn);
	run_free(&un);
	run_free(&left);
	free(dest);
	free(work);
}

/*
 * From a checkout, with no install: the fragment finds the headers, the
 * linker fragment and the built tool itself.  And a patch that fails on a
 * rebuild (a placeholder made too small) leaves no kernel.elf behind, not
 * the previous one.
 */
Test(install, a_checkout_serves_as_it_is_and_a_failed_rebuild_leaves_no_kernel)
{
	char *work = tmp_dir(), cwd[512], *ksympatch = realpath(tool(), NULL);

	cr_assert(getcwd(cwd, sizeof(cwd)) != NULL && ksympatch != NULL);

	struct run build = run("cp tests/fixtures/adopter/kernel.c tests/fixtures/adopter/kernel.ld "
			       "tests/fixtures/adopter/Makefile %s && " MAKE " -C %s KSYMPATCH_DIR=%s/runtime "
			       "CROSS_COMPILE=%s KSYMPATCH=%s", work, work, cwd, cross(), ksympatch);
	struct run v = run("%s verify %s/kernel.elf", tool(), work);
	struct run nofp = run("sh tests/fp_insns.sh %sobjdump %s/ksym.o aarch64", cross(), work);
	struct run small = run("touch %s/kernel.c && " MAKE " -C %s KSYMPATCH_DIR=%s/runtime CROSS_COMPILE=%s "
			       "KSYMPATCH=%s LDFLAGS=--defsym=KSYM_TABLE_SIZE=256", work, work, cwd, cross(), ksympatch);
	struct run gone = run("test ! -e %s/kernel.elf", work);
	/* Included before CC is set: the flags follow the CC set after it, not make's default cc. */
	struct run rv = run("printf 'include %s/runtime/ksympatch.mk\\nCC := riscv64-linux-gnu-gcc\\n"
			    "$(info $(KSYM_CFLAGS))\\nall:;@:\\n' | " MAKE " -s -f -", cwd);
	struct run a64 = run("printf 'include %s/runtime/ksympatch.mk\\nCC := %sgcc\\n"
			     "$(info $(KSYM_CFLAGS))\\nall:;@:\\n' | " MAKE " -s -f -", cwd, cross());

	cr_assert(eq(int, build.status, 0), "%s%s", build.out, build.err);
	cr_assert(eq(int, v.status, 0), "%s", v.err);
	cr_assert(eq(str, nofp.out, ""), "general registers only");
	cr_assert(small.status != 0, "the patch must fail: %s", small.err);
	cr_assert(strstr(small.err, "table does not fit") != NULL, "%s", small.err);
	cr_assert(eq(int, gone.status, 0), "the previous kernel.elf is still there after a failed patch");
	cr_assert(strstr(rv.out, "-ffreestanding") && !strstr(rv.out, "-mgeneral-regs-only"), "%s%s", rv.out, rv.err);
	cr_assert(strstr(a64.out, "-mgeneral-regs-only") != NULL, "%s%s", a64.out, a64.err);
	run_free(&build);
	run_free(&v);
	run_free(&nofp);
	run_free(&small);
	run_free(&gone);
	run_free(&rv);
	run_free(&a64);
	free(ksympatch);
	free(work);
}

/* The Rust crate installed under share/ksympatch/rust builds from there, as a path dependency would. */
Test(install, installed_rust_crate_builds_from_its_own_files)
{
	char *dest = tmp_dir();
	struct run in = run(MAKE " install DESTDIR=%s PREFIX=/usr", dest);
	struct run cargo;

	cr_assert(eq(int, in.status, 0), "%s%s", in.out, in.err);
	cargo = run("cd %s/usr/share/ksympatch/rust && RUSTC=/usr/bin/rustc /usr/bin/cargo build -q --offline "
		    "--target-dir %s/target",
		    dest, dest);
	cr_assert(eq(int, cargo.status, 0), "%s%s", cargo.out, cargo.err);
	run_free(&in);
	run_free(&cargo);
	free(dest);
}
