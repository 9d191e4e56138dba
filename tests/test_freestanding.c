/*
 * The runtime is a guest in someone else's kernel: compile runtime/ksym.c
 * for every architecture and compiler we support, with nothing but the
 * compiler's own headers (-nostdinc), and check that the object calls
 * nothing it does not define (no libgcc: __bswapsi2, __aeabi_uldivmod, or
 * an invented memcpy) and touches no floating-point or SIMD register (a
 * kernel that has not enabled them would trap), with the flags the README
 * gives for each architecture.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>

#include "helpers.h"
#include "ksympatch.h"


struct target {
	char cc[96];    /* the compiler and the flags a kernel for it uses */
	char flags[96]; /* what the runtime asks for on top (README) */
	char binutils[32];
	char arch[8];   /* for tests/fp_insns.sh */
};

static struct target targets[] = {
	{ "aarch64-linux-gnu-gcc", "-mgeneral-regs-only", "aarch64-linux-gnu-", "aarch64" },
	{ "aarch64-linux-gnu-gcc -mbig-endian", "-mgeneral-regs-only", "aarch64-linux-gnu-", "aarch64" },
	{ "clang --target=aarch64-none-elf", "-mgeneral-regs-only", "aarch64-linux-gnu-", "aarch64" },
	{ "clang --target=aarch64_be-none-elf", "-mgeneral-regs-only", "aarch64-linux-gnu-", "aarch64" },
	{ "riscv64-linux-gnu-gcc -march=rv64gc -mabi=lp64d -mcmodel=medany", "", "riscv64-linux-gnu-", "riscv64" },
	{ "clang --target=riscv64-none-elf -march=rv64gc -mabi=lp64d -mcmodel=medany", "", "riscv64-linux-gnu-",
	  "riscv64" },
	{ "arm-linux-gnueabihf-gcc -march=armv7-a+fp -mthumb", "-mgeneral-regs-only", "arm-linux-gnueabihf-", "arm" },
	{ "clang --target=armv7a-none-eabihf -mthumb", "", "arm-linux-gnueabihf-", "arm" },
	/* x86: SSE is on by default for x86_64 (GCC and clang copy through %xmm without the flag) */
	{ "gcc -m32 -march=i686 -fno-pie", "-mgeneral-regs-only", "", "x86" },
	{ "gcc -m64 -mcmodel=kernel -mno-red-zone -fno-pie", "-mgeneral-regs-only", "", "x86" },
	{ "clang --target=i686-unknown-none-elf", "-mgeneral-regs-only", "", "x86" },
	{ "clang --target=x86_64-unknown-none-elf -mcmodel=kernel -mno-red-zone", "-mgeneral-regs-only", "", "x86" },
};

ParameterizedTestParameters(freestanding, runtime_needs_no_library_and_no_fp_registers)
{
	return cr_make_param_array(struct target, targets, KSP_ARRAY_SIZE(targets));
}

ParameterizedTest(struct target *t, freestanding, runtime_needs_no_library_and_no_fp_registers)
{
	char *dir = tmp_dir();
	struct run cc = run("%s %s -O2 -ffreestanding -nostdinc -isystem \"$(%s -print-file-name=include)\" "
			    "-Wall -Wextra -Werror -Iruntime/include -c runtime/ksym.c -o %s/ksym.o",
			    t->cc, t->flags, t->cc, dir);

	cr_assert(eq(int, cc.status, 0), "%s: %s", t->cc, cc.err);

	struct run undef = run("%snm -u %s/ksym.o", t->binutils, dir);
	struct run fp = run("sh tests/fp_insns.sh %sobjdump %s/ksym.o %s", t->binutils, dir, t->arch);

	cr_assert(eq(int, undef.status, 0));
	cr_assert(eq(str, undef.out, ""), "%s: calls what it does not define:\n%s", t->cc, undef.out);
	cr_assert(eq(int, fp.status, 0));
	cr_assert(eq(str, fp.out, ""), "%s: FP/SIMD instructions:\n%s", t->cc, fp.out);
	run_free(&cc);
	run_free(&undef);
	run_free(&fp);
	struct run rm = run("rm -rf %s", dir);

	run_free(&rm);
	free(dir);
}
