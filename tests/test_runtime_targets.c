/*
 * The runtime is a guest in someone else's kernel or firmware: compile
 * runtime/ksym.c for every target the README lists, at -O0, -O1, -O2 and
 * -Os, with nothing but the compiler's own headers (-nostdinc) and the flags
 * the README gives for the target, and check (tests/runtime_target.sh) that
 * the object
 *  - calls nothing it does not define: `nm -u` is empty (no memcpy or memset
 *    for a struct or an initialised array, no libgcc: __aeabi_lmul,
 *    __aeabi_llsl, __ashldi3, __bswapsi2, ...), so it links alone;
 *  - touches no floating-point or SIMD register (a handler that runs before
 *    the FPU is enabled would trap), by the disassembly (tests/fp_insns.sh);
 *  - has no recursion and no frame of unbounded size, and needs no more
 *    stack for any public function than ksym.h promises: the frames of
 *    -fstack-usage summed along the deepest chain of calls;
 * and that the header's call-site distance is the architecture's.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ksym/ksym.h>

#include "helpers.h"

/* What ksym.h promises (the README's table has each target's figures). */
#define STACK_OPTIMISED 304 /* -O1, -O2, -Os */
#define STACK_O0        608
/* ksym_verify(), the full proof (a host tool's or a boot's, not a handler's). */
#define STACK_VERIFY_OPTIMISED 496
#define STACK_VERIFY_O0        896

struct target {
	char name[16];
	char cc[128];   /* the compiler and the flags a kernel for the target uses */
	char flags[40]; /* what the runtime asks for on top (README) */
	char binutils[24];
	char arch[8];   /* for tests/fp_insns.sh */
	int call_back;  /* KSYM_CALL_BACK: the architecture's shortest call, or 1 on x86 */
};

#define ARM_EABI "arm-none-eabi-gcc -mthumb "
#define GRO      "-mgeneral-regs-only"

static struct target targets[] = {
	{ "cortex-m0", ARM_EABI "-mcpu=cortex-m0 -mfloat-abi=soft", "", "arm-none-eabi-", "arm", 2 },
	{ "cortex-m0plus", ARM_EABI "-mcpu=cortex-m0plus -mfloat-abi=soft", "", "arm-none-eabi-", "arm", 2 },
	{ "cortex-m3", ARM_EABI "-mcpu=cortex-m3 -mfloat-abi=soft", "", "arm-none-eabi-", "arm", 2 },
	{ "cortex-m4f", ARM_EABI "-mcpu=cortex-m4 -mfloat-abi=hard -mfpu=fpv4-sp-d16", GRO, "arm-none-eabi-", "arm",
	  2 },
	{ "cortex-m7", ARM_EABI "-mcpu=cortex-m7 -mfloat-abi=hard -mfpu=fpv5-d16", GRO, "arm-none-eabi-", "arm", 2 },
	{ "cortex-m23", ARM_EABI "-mcpu=cortex-m23 -mfloat-abi=soft", "", "arm-none-eabi-", "arm", 2 },
	{ "cortex-m33", ARM_EABI "-mcpu=cortex-m33 -mfloat-abi=hard -mfpu=fpv5-sp-d16", GRO, "arm-none-eabi-", "arm",
	  2 },
	{ "clang-v6m", "clang --target=thumbv6m-none-eabi -mcpu=cortex-m0 -mfloat-abi=soft", "", "arm-none-eabi-",
	  "arm", 2 },
	{ "clang-v7em", "clang --target=thumbv7em-none-eabihf -mcpu=cortex-m4 -mfloat-abi=hard -mfpu=fpv4-sp-d16", "",
	  "arm-none-eabi-", "arm", 2 },
	{ "aarch64", "aarch64-linux-gnu-gcc", GRO, "aarch64-linux-gnu-", "aarch64", 4 },
	{ "aarch64-be", "aarch64-linux-gnu-gcc -mbig-endian", GRO, "aarch64-linux-gnu-", "aarch64", 4 },
	{ "clang-aarch64", "clang --target=aarch64-none-elf", GRO, "aarch64-linux-gnu-", "aarch64", 4 },
	{ "clang-aarch64be", "clang --target=aarch64_be-none-elf", GRO, "aarch64-linux-gnu-", "aarch64", 4 },
	{ "armv7a-thumb", "arm-linux-gnueabihf-gcc -march=armv7-a+fp -mthumb", GRO, "arm-linux-gnueabihf-", "arm", 2 },
	{ "armv7a-arm", "arm-linux-gnueabihf-gcc -march=armv7-a+fp -marm", GRO, "arm-linux-gnueabihf-", "arm", 4 },
	{ "clang-armv7a", "clang --target=armv7a-none-eabihf -mthumb", "", "arm-linux-gnueabihf-", "arm", 2 },
	{ "rv64gc", "riscv64-linux-gnu-gcc -march=rv64gc -mabi=lp64d -mcmodel=medany", "", "riscv64-linux-gnu-",
	  "riscv64", 2 },
	{ "clang-rv64gc", "clang --target=riscv64-none-elf -march=rv64gc -mabi=lp64d -mcmodel=medany", "",
	  "riscv64-linux-gnu-", "riscv64", 2 },
	{ "clang-rv32imac", "clang --target=riscv32-none-elf -march=rv32imac -mabi=ilp32", "", "riscv64-linux-gnu-",
	  "riscv64", 2 },
	{ "i386", "gcc -m32 -fno-pie", GRO, "", "x86", 1 },
	{ "clang-i386", "clang --target=i386-none-elf", GRO, "", "x86", 1 },
	{ "x86_64", "gcc -fno-pie -mno-red-zone -mcmodel=kernel", GRO, "", "x86", 1 },
	{ "clang-x86_64", "clang --target=x86_64-none-elf -mno-red-zone -mcmodel=kernel", GRO, "", "x86", 1 },
};

static const char *const levels[] = { "-O0", "-O1", "-O2", "-Os" };

ParameterizedTestParameters(runtime_targets, links_alone_without_fp_within_its_stack_at_every_level)
{
	return cr_make_param_array(struct target, targets, KSYM_ARRAY_SIZE(targets));
}

/* Every finding of runtime_target.sh that is not a stack or size line. */
static void expect_clean(const struct target *t, const char *level, const char *out)
{
	char *copy = strdup(out), *save = NULL;
	int o0 = !strcmp(level, "-O0"), stacks = 0;

	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char fn[64];
		int bytes;

		if (sscanf(line, "stack %63s %d", fn, &bytes) == 2) {
			int limit = strcmp(fn, "ksym_verify") ? (o0 ? STACK_O0 : STACK_OPTIMISED)
							      : (o0 ? STACK_VERIFY_O0 : STACK_VERIFY_OPTIMISED);

			cr_expect(le(int, bytes, limit), "%s %s: %s needs %d bytes of stack", t->name, level, fn,
				  bytes);
			stacks++;
		} else if (strncmp(line, "text ", 5) != 0) {
			cr_expect(0, "%s %s %s: %s", t->name, level, t->flags, line);
		}
	}
	cr_expect(ge(int, stacks, 9), "%s %s: no stack figures for the public functions:\n%s", t->name, level, out);
	free(copy);
}

ParameterizedTest(struct target *t, runtime_targets, links_alone_without_fp_within_its_stack_at_every_level)
{
	for (size_t i = 0; i < KSYM_ARRAY_SIZE(levels); i++) {
		/* Under the build directory: the script keeps its findings there for the same inputs. */
		struct run r = run("sh tests/runtime_target.sh %s/runtime-targets/%s/%s \"%s\" %s %s %s %s 2>&1",
				   build_dir(), t->name, levels[i] + 1, t->binutils, t->arch, t->cc, t->flags, levels[i]);

		cr_assert(eq(int, r.status, 0), "%s %s: %s", t->name, levels[i], r.out);
		expect_clean(t, levels[i], r.out);
		run_free(&r);
	}

	/* The header's call-site distance, as the target's compiler sees it. */
	struct run cpp = run("printf '#include <ksym/ksym.h>\\nKSYM_CALL_BACK\\n' | %s -E -P -ffreestanding -nostdinc "
			     "-isystem \"$(%s -print-file-name=include)\" -Iruntime/include - | tail -n 1",
			     t->cc, t->cc);

	cr_assert(eq(int, cpp.status, 0), "%s", cpp.err);
	cr_expect(eq(int, atoi(cpp.out), t->call_back), "%s: KSYM_CALL_BACK is %s", t->name, cpp.out);
	run_free(&cpp);
}
