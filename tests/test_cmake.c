/*
 * The CMake package (cmake/ksympatchConfig.cmake): the mps2-an385 demo
 * firmware (tests/fixtures/cmake) configured with arm-none-eabi-gcc and
 * built through ksympatch_add(), once from the checkout
 * (-Dksympatch_DIR=cmake) and once from a `make install` into a
 * temporary DESTDIR (-DCMAKE_PREFIX_PATH), where its tool, runtime and
 * linker fragment are the installed ones.  Each build must leave the
 * linker's output as firmware.elf.unpatched (which verify calls
 * unpatched) and the patched firmware.elf (which verify accepts), and the
 * firmware must boot in QEMU, pass its self-test and name the faulting
 * function as addr2line and nm -S do.  A patch that fails must leave no
 * firmware.elf, so the next build links again.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "ksympatch.h"

#define MAKE "env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make --no-print-directory"
#define CMAKE "env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS cmake"

/* Configure and build tests/fixtures/cmake in dir with the extra -D options. */
static struct run cmake_build(const char *dir, const char *defs)
{
	char here[512];
	struct run r;

	cr_assert(getcwd(here, sizeof(here)) != NULL);
	r = run(CMAKE " -S tests/fixtures/cmake -B %s -DCMAKE_TOOLCHAIN_FILE=%s/tests/fixtures/cmake/arm-none-eabi.cmake "
		    "-DKSYM_CHECKOUT=%s %s && " CMAKE " --build %s", dir, here, here, defs, dir);
	return r;
}

/* Built in dir: the two files, verify on each, and a boot that faults and is reported by name. */
static void check_firmware(const char *dir)
{
	char *qemu = board_env("mps2-an385", "qemu"), *addr = board_env("mps2-an385", "option_addr");
	struct run un = run("%s verify %s/firmware.elf.unpatched", tool(), dir);
	struct run v = run("%s verify %s/firmware.elf", tool(), dir);
	struct run boot = run("timeout 30 %s -kernel %s/firmware.elf -device loader,addr=%s,data=1,data-len=4 </dev/null",
			      qemu, dir, addr);
	unsigned long long pc;
	const char *p;
	char got[128], want[128];

	cr_assert(eq(int, un.status, 1), "%s", un.err);
	cr_assert(strstr(un.err, "unpatched") != NULL, "%s", un.err);
	cr_assert(eq(int, v.status, 0), "%s", v.err);
	strip_cr(boot.out);
	cr_assert(eq(int, boot.status, 0), "%s", boot.out);
	cr_assert(strstr(boot.out, "selftest: ok\n") != NULL, "%s", boot.out);
	p = strstr(boot.out, "\nPC: 0x");
	cr_assert(p != NULL && sscanf(p, "\nPC: 0x%llx <%127[^>]>", &pc, got) == 2, "%s", boot.out);

	struct run a = run("arm-none-eabi-addr2line -f -i -e %s/firmware.elf 0x%llx | tail -2 | head -1", dir, pc);
	struct run nm = run("arm-none-eabi-nm -S %s/firmware.elf | awk '$4 == \"demo_fault_dabort\" {print $1, $2}'", dir);
	unsigned long long start, size;

	a.out[strcspn(a.out, "\n")] = '\0';
	cr_assert(eq(str, a.out, "demo_fault_dabort"));
	cr_assert(sscanf(nm.out, "%llx %llx", &start, &size) == 2, "%s", nm.out);
	snprintf(want, sizeof(want), "demo_fault_dabort+0x%llx/0x%llx", pc - start, size);
	cr_assert(eq(str, got, want), "PC symbol vs addr2line and nm -S");
	cr_assert(strstr(boot.out, "ksympatch-demo: fault reported\n") != NULL, "%s", boot.out);
	run_free(&un);
	run_free(&v);
	run_free(&boot);
	run_free(&a);
	run_free(&nm);
	free(qemu);
	free(addr);
}

Test(cmake, firmware_built_with_the_checkouts_package_is_patched_and_boots)
{
	char *dir = tmp_dir(), *tool_dir = realpath(build_dir(), NULL), defs[1200], here[512];
	struct run b;

	cr_assert(getcwd(here, sizeof(here)) != NULL);
	snprintf(defs, sizeof(defs), "-Dksympatch_DIR=%s/cmake -DKSYMPATCH_EXECUTABLE=%s/ksympatch", here, tool_dir);
	free(tool_dir);
	b = cmake_build(dir, defs);
	cr_assert(eq(int, b.status, 0), "%s%s", b.out, b.err);
	check_firmware(dir);
	run_free(&b);
	struct run rm = run("rm -rf %s", dir);

	run_free(&rm);
	free(dir);
}

Test(cmake, firmware_built_with_the_installed_package_is_patched_and_boots)
{
	char *dest = tmp_dir(), *dir = tmp_dir(), defs[1200];
	struct run in = run(MAKE " install DESTDIR=%s PREFIX=/usr", dest);
	struct run b;

	cr_assert(eq(int, in.status, 0), "%s%s", in.out, in.err);
	snprintf(defs, sizeof(defs), "-DCMAKE_PREFIX_PATH=%s/usr", dest);
	b = cmake_build(dir, defs);
	cr_assert(eq(int, b.status, 0), "%s%s", b.out, b.err);

	/* The installed copy's files were used: the tool the config found is the one in DESTDIR. */
	struct run cache = run("grep '^KSYMPATCH_EXECUTABLE' %s/CMakeCache.txt", dir);
	char want[600];

	snprintf(want, sizeof(want), "KSYMPATCH_EXECUTABLE:FILEPATH=%s/usr/bin/ksympatch\n", dest);
	cr_assert(eq(str, cache.out, want));
	check_firmware(dir);
	run_free(&in);
	run_free(&b);
	run_free(&cache);
	struct run rm = run("rm -rf %s %s", dir, dest);

	run_free(&rm);
	free(dir);
	free(dest);
}

Test(cmake, a_failed_patch_leaves_no_firmware_to_take_for_patched)
{
	char *dir = tmp_dir(), *tool_dir = realpath(build_dir(), NULL), defs[1200], here[512];
	struct run b;

	cr_assert(getcwd(here, sizeof(here)) != NULL);
	snprintf(defs, sizeof(defs), "-Dksympatch_DIR=%s/cmake -DKSYMPATCH_EXECUTABLE=%s/ksympatch "
		 "-DKSYM_PATCH_ARGS=--section=.no_such_section", here, tool_dir);
	free(tool_dir);
	b = cmake_build(dir, defs);
	cr_assert(ne(int, b.status, 0), "the build fails with the patch: %s", b.out);
	cr_assert(strstr(b.err, "no section .no_such_section") != NULL, "%s", b.err);

	struct run ls = run("test ! -e %s/firmware.elf && test -e %s/firmware.elf.unpatched", dir, dir);

	cr_assert(eq(int, ls.status, 0), "no firmware.elf after a failed patch");
	run_free(&b);
	run_free(&ls);
	struct run rm = run("rm -rf %s", dir);

	run_free(&rm);
	free(dir);
}
