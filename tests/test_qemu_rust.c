/*
 * The Rust demo kernel (board/plat/virt-rust, on the ksym crate), booted in
 * QEMU with each toolchain (gnu: GNU ld, legacy mangling; llvm: ld.lld, v0
 * mangling) and each fault it has, its reports checked against binutils on
 * the same ELF with demangling on, as the kernel was patched
 * (--demangle): the faulting address and every backtrace frame against
 * addr2line -f -C and nm -S (#0 where it is, the others at their call),
 * the panic's location and backtrace, the self-test's answers against
 * nm -C; then an unpatched image and damaged tables, which it must call
 * unusable in the C runtime's words while still printing raw addresses.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "damage.h"
#include "demo.h"
#include "helpers.h"
#include "ksympatch.h"

#define RUST_BOARD   "virt-rust"
#define BOOT_SECONDS 30
#define CALL_SIZE    4 /* AArch64: a return address minus 4 is its call */

struct rust_case {
	char toolchain[8];
	int option; /* DEMO_FAULT_* */
	char fault[8];
};

static const struct rust_case fault_cases[] = {
	{ "gnu", DEMO_FAULT_DABORT, "dabort" }, { "gnu", DEMO_FAULT_UNDEF, "undef" },
	{ "gnu", DEMO_FAULT_BRK, "brk" },       { "llvm", DEMO_FAULT_DABORT, "dabort" },
	{ "llvm", DEMO_FAULT_UNDEF, "undef" },  { "llvm", DEMO_FAULT_BRK, "brk" },
};

/* A toolchain, as a parameter (no pointer: each test runs in a process of its own). */
struct rust_tc {
	char name[8];
};

static struct criterion_test_params toolchains(void)
{
	static struct rust_tc tcs[] = { { "gnu" }, { "llvm" } };

	return cr_make_param_array(struct rust_tc, tcs, KSP_ARRAY_SIZE(tcs));
}

static const char *rust_elf(const char *toolchain, const char *which)
{
	static char path[512];

	snprintf(path, sizeof(path), "%s/%s-%s/%s.elf", build_dir(), RUST_BOARD, toolchain, which);
	return path;
}

/* Boot elf with a boot option; QEMU's output, '\r' removed. */
static struct run boot_rust(const char *elf, int option)
{
	char *qemu = board_env(RUST_BOARD, "qemu"), *addr = board_env(RUST_BOARD, "option_addr");
	struct run r = run("timeout %d %s -kernel %s -device loader,addr=%s,data=%d,data-len=4 </dev/null",
			   BOOT_SECONDS, qemu, elf, addr, option);

	cr_assert(eq(int, r.status, 0), "%s: exit %d (124: timed out):\n%s%s", elf, r.status, r.out, r.err);
	strip_cr(r.out);
	free(qemu);
	free(addr);
	return r;
}

/* addr2line -f -C and nm -C -S on elf for addr, looked up at `at`. */
static void expect_sym(const char *elf, uint64_t addr, uint64_t at, const char *got, const char *what)
{
	char want[256], *cross = board_env(RUST_BOARD, "cross");

	addr2line_text(cross, elf, addr, at, 1, want, sizeof(want));
	cr_assert(eq(str, (char *)got, want), "%s: %s at 0x%llx", elf, what, (unsigned long long)addr);
	free(cross);
}

/* Every frame of the report's backtrace against binutils; returns how many there are. */
static int expect_backtrace(const char *elf, const char *out)
{
	const char *p = strstr(out, "Backtrace:\n"), *end = strstr(out, "End of backtrace\n");
	int frames = 0;

	cr_assert(p != NULL && end != NULL, "%s", out);
	for (p = strstr(p, "  #"); p && p < end; p = strstr(p + 1, "  #")) {
		char prefix[24], got[256];
		uint64_t a;

		snprintf(prefix, sizeof(prefix), "  #%d 0x", frames);
		cr_assert(parse_addr_sym(p, prefix, &a, got, sizeof(got)), "%.80s", p);
		expect_sym(elf, a, frames ? a - CALL_SIZE : a, got, "backtrace frame");
		frames++;
	}
	return frames;
}

/* The interrupted calls, innermost first, all in the backtrace. */
static void expect_callers(const char *out)
{
	const char *bt = strstr(out, "Backtrace:");

	for (const char *f = "rkernel::demo::level2+\0rkernel::demo::level1+\0rkernel::demo::run_fault+\0"
			     "kernel_main+\0_start+\0";
	     *f; f += strlen(f) + 1) {
		cr_assert(strstr(bt, f) != NULL, "%s not in the backtrace:\n%s", f, out);
		bt = strstr(bt, f);
	}
}

ParameterizedTestParameters(qemu_rust, exception_report_names_every_address_as_addr2line_C_does)
{
	return cr_make_param_array(struct rust_case, (void *)fault_cases, KSP_ARRAY_SIZE(fault_cases));
}

ParameterizedTest(const struct rust_case *c, qemu_rust, exception_report_names_every_address_as_addr2line_C_does)
{
	const char *elf = rust_elf(c->toolchain, "kernel");
	struct run r = boot_rust(elf, c->option);
	const char *p = strstr(r.out, "\nELR_EL1: 0x");
	char got[256], fn[48];
	uint64_t addr;

	cr_assert(p != NULL && parse_addr_sym(p + 1, "ELR_EL1: 0x", &addr, got, sizeof(got)), "%s", r.out);
	expect_sym(elf, addr, addr, got, "ELR_EL1");
	snprintf(fn, sizeof(fn), "rkernel::demo::fault_%s+", c->fault);
	cr_assert(strncmp(got, fn, strlen(fn)) == 0, "the faulting function is %s: %s", fn, got);
	cr_assert(ge(int, expect_backtrace(elf, r.out), 6), "%s", r.out);
	expect_callers(r.out);
	if (c->option == DEMO_FAULT_BRK)
		cr_assert(strstr(r.out, "carrying on\nksympatch-demo: PASS\n") != NULL, "%s", r.out);
	else
		cr_assert(strstr(r.out, "ksympatch-demo: fault reported\n") != NULL, "%s", r.out);
	run_free(&r);
}

ParameterizedTestParameters(qemu_rust, panic_report_gives_the_location_and_a_symbolized_backtrace)
{
	return toolchains();
}

ParameterizedTest(const struct rust_tc *tc, qemu_rust, panic_report_gives_the_location_and_a_symbolized_backtrace)
{
	const char *elf = rust_elf(tc->name, "kernel");
	struct run r = boot_rust(elf, DEMO_FAULT_PANIC);
	const char *bt = strstr(r.out, "Backtrace:");

	cr_assert(strstr(r.out, "\n*** panicked at 'demo panic, 3 calls deep', src/demo.rs:") != NULL, "%s", r.out);
	cr_assert(ge(int, expect_backtrace(elf, r.out), 7), "%s", r.out);
	cr_assert(bt && strstr(bt, "<core::panicking::panic_fmt+") && strstr(bt, "<rkernel::demo::fault_panic+"),
		  "%s", r.out);
	expect_callers(r.out);
	cr_assert(strstr(r.out, "ksympatch-demo: panic reported\n") != NULL, "%s", r.out);
	run_free(&r);
}

ParameterizedTestParameters(qemu_rust, selftest_answers_agree_with_nm_C)
{
	return toolchains();
}

ParameterizedTest(const struct rust_tc *tc, qemu_rust, selftest_answers_agree_with_nm_C)
{
	const char *elf = rust_elf(tc->name, "kernel");
	struct run r = boot_rust(elf, DEMO_FAULT_NONE);
	char *cross = board_env(RUST_BOARD, "cross");
	int addrs = 0, names = 0;

	cr_assert(strstr(r.out, "selftest: ok\n") != NULL && strstr(r.out, "ksympatch-demo: PASS\n") != NULL, "%s",
		  r.out);
	for (const char *p = strstr(r.out, "selftest: "); p; p = strstr(p + 1, "selftest: ")) {
		char sym[256], name[128];
		unsigned long long a;
		uint64_t at;

		if (parse_addr_sym(p, "selftest: addr 0x", &at, sym, sizeof(sym)) && strstr(p, " -> ") &&
		    sscanf(strstr(p, " -> ") + 4, "%255[^\n]", sym) == 1) {
			expect_sym(elf, at, at, sym, "selftest addr");
			addrs++;
		} else if (sscanf(p, "selftest: name %127s -> 0x%llx", name, &a) == 2) {
			struct run nm = run("%snm -C %s | awk '$3 == \"%s\" {print $1}'", cross, elf, name);

			cr_assert(eq(u64, (uint64_t)a, strtoull(nm.out, NULL, 16)), "%s: %s", elf, name);
			run_free(&nm);
			names++;
		}
	}
	cr_assert(addrs == 3 && names == 3, "%s", r.out);
	free(cross);
	run_free(&r);
}

ParameterizedTestParameters(qemu_rust, symbols_are_mangled_legacy_with_gnu_and_v0_with_llvm)
{
	return toolchains();
}

/* What the table holds demangled, the ELF holds mangled in the scheme of its toolchain. */
ParameterizedTest(const struct rust_tc *tc, qemu_rust, symbols_are_mangled_legacy_with_gnu_and_v0_with_llvm)
{
	char *cross = board_env(RUST_BOARD, "cross");
	struct run nm = run("%snm %s | awk '$3 ~ /level1/ {print $3}'", cross, rust_elf(tc->name, "kernel"));
	const char *want = strcmp(tc->name, "gnu") ? "_RNv" : "_ZN7rkernel4demo6level1";

	cr_assert(strncmp(nm.out, want, strlen(want)) == 0, "%s: %s", tc->name, nm.out);
	run_free(&nm);
	free(cross);
}

Test(qemu_rust, fault_inside_the_handler_is_reported_once)
{
	struct run r = boot_rust(rust_elf("gnu", "kernel"), DEMO_FAULT_NESTED);
	const char *nested = strstr(r.out, "\nnested exception, ELR_EL1: 0x");

	cr_assert(nested != NULL && strstr(nested + 2, "nested exception") == NULL, "%s", r.out);
	cr_assert(strstr(r.out, "ksympatch-demo: fault reported\n") != NULL, "%s", r.out);
	run_free(&r);
}

/* Without a usable table: the reason in the C runtime's words, raw addresses, no names. */
static void expect_unusable(const struct run *r, const char *why)
{
	char want[160];

	snprintf(want, sizeof(want), "symbol table unusable: %s\n", why);
	cr_assert(strstr(r->out, want) != NULL, "want '%s' in:\n%s", want, r->out);
	cr_assert(strstr(r->out, "\nBacktrace:\n  #0 0x") != NULL && strstr(r->out, "\n  #3 0x") != NULL, "%s",
		  r->out);
	cr_assert(strchr(strstr(r->out, "Backtrace:"), '<') == NULL, "no names: %s", r->out);
}

Test(qemu_rust, unpatched_image_says_so_in_words)
{
	struct run r = boot_rust(rust_elf("gnu", "kernel.unpatched"), DEMO_FAULT_DABORT);

	expect_unusable(&r, "symbol table not patched");
	run_free(&r);
}

ParameterizedTestParameters(qemu_rust, damaged_table_is_reported_unusable)
{
	static const enum damage kinds[] = { DAMAGE_BAD_MAGIC, DAMAGE_COUNT_TOO_LARGE, DAMAGE_NAME_PREFIX,
					     DAMAGE_BLOCKS_UNSORTED };

	return cr_make_param_array(enum damage, (void *)kinds, KSP_ARRAY_SIZE(kinds));
}

ParameterizedTest(const enum damage *kind, qemu_rust, damaged_table_is_reported_unusable)
{
	char *elf = tmp_copy_of(rust_elf("llvm", "kernel"));
	const char *why = damage_table(elf, *kind);
	struct run r = boot_rust(elf, DEMO_FAULT_DABORT);

	expect_unusable(&r, why);
	run_free(&r);
	free(elf);
}
