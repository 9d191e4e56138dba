/*
 * The Rust demo kernels (the boards whose build/boards/BOARD.env says
 * language=rust: board/plat/virt-rust and the like, on the ksym crate),
 * booted in QEMU with each toolchain (gnu: GNU ld, legacy mangling; llvm:
 * ld.lld, v0 mangling) and each fault they have, its reports checked against binutils on
 * the same ELF with demangling on, as the kernel was patched
 * (--demangle): the faulting address and every backtrace frame against
 * addr2line -f -C and nm -S (#0 where it is, the others at their call;
 * LLVM's where binutils' names nothing),
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

#define BOOT_SECONDS 30
#define MAX_CASES    128

/* A boot: a board, a toolchain, a fault (DEMO_FAULT_*) or a damage. */
struct rust_case {
	char board[32];
	char toolchain[8];
	int option;
	char fault[8];
	enum damage damage;
};

/* The value of key in the board's .env, as an unsigned number. */
static unsigned long env_number(const char *board, const char *key)
{
	char *v = board_env(board, key);
	unsigned long n = strtoul(v, NULL, 0);

	free(v);
	return n;
}

/*
 * Every Rust board with every toolchain (or its first only) and every
 * fault of the space-separated list it has (or, with damages, every kind).
 */
static struct criterion_test_params rust_cases(const char *faults, int all_toolchains, int damages)
{
	static const struct { const char *name; int option; } kinds[] = {
		{ "dabort", DEMO_FAULT_DABORT }, { "undef", DEMO_FAULT_UNDEF }, { "brk", DEMO_FAULT_BRK },
		{ "none", DEMO_FAULT_NONE },     { "nested", DEMO_FAULT_NESTED }, { "panic", DEMO_FAULT_PANIC },
	};
	struct run boards = run("grep -l '^language=rust$' %s/boards/*.env | sed 's,.*/,,; s,[.]env$,,'", build_dir());
	struct rust_case *c = cr_malloc(MAX_CASES * sizeof(*c));
	size_t n = 0;

	for (char *s1, *b = strtok_r(boards.out, "\n", &s1); b; b = strtok_r(NULL, "\n", &s1)) {
		char *tcs = board_env(b, "toolchains"), *has = board_env(b, "faults");

		for (char *s2, *tc = strtok_r(tcs, " ", &s2); tc; tc = all_toolchains ? strtok_r(NULL, " ", &s2) : NULL)
			for (size_t k = 0; k < KSP_ARRAY_SIZE(kinds); k++)
				for (int d = 0; d < (damages ? DAMAGE_KINDS : 1); d++) {
					if (!strstr(faults, kinds[k].name) || !strstr(has, kinds[k].name))
						continue;
					cr_assert(n < MAX_CASES);
					memset(&c[n], 0, sizeof(c[n]));
					snprintf(c[n].board, sizeof(c[n].board), "%s", b);
					snprintf(c[n].toolchain, sizeof(c[n].toolchain), "%s", tc);
					snprintf(c[n].fault, sizeof(c[n].fault), "%s", kinds[k].name);
					c[n].option = kinds[k].option;
					c[n].damage = (enum damage)d;
					n++;
				}
		free(tcs);
		free(has);
	}
	run_free(&boards);
	return cr_make_param_array(struct rust_case, c, n, free_param_array);
}

static const char *rust_elf(const struct rust_case *c, const char *which)
{
	static char path[512];

	snprintf(path, sizeof(path), "%s/%s-%s/%s.elf", build_dir(), c->board, c->toolchain, which);
	return path;
}

/* Boot elf on c's board with c's fault; QEMU's output, '\r' removed. */
static struct run boot_rust(const struct rust_case *c, const char *elf)
{
	char *qemu = board_env(c->board, "qemu"), *addr = board_env(c->board, "option_addr");
	struct run r = run("timeout %d %s -kernel %s -device loader,addr=%s,data=%d,data-len=4 </dev/null",
			   BOOT_SECONDS, qemu, elf, addr, c->option);

	cr_assert(eq(int, r.status, 0), "%s: exit %d (124: timed out):\n%s%s", elf, r.status, r.out, r.err);
	strip_cr(r.out);
	free(qemu);
	free(addr);
	return r;
}

/* addr2line -f -C and nm -C -S on elf for addr, looked up at `at`. */
static void expect_sym(const struct rust_case *c, const char *elf, uint64_t addr, uint64_t at, const char *got,
		       const char *what)
{
	char want[256], *cross = board_env(c->board, "cross");

	addr2line_text(cross, elf, addr, at, 1, want, sizeof(want));
	/*
	 * binutils 2.40's addr2line names no function at most of kernel_main
	 * in the RISC-V Rust kernels ("??"), whose DWARF llvm-dwarfdump reads
	 * without complaint: there the oracle is LLVM's addr2line and nm.
	 */
	if (!strcmp(want, "??"))
		addr2line_text("llvm-", elf, addr, at, 1, want, sizeof(want));
	cr_assert(eq(str, (char *)got, want), "%s: %s at 0x%llx", elf, what, (unsigned long long)addr);
	free(cross);
}

/* Every frame of the report's backtrace against binutils; returns how many there are. */
static int expect_backtrace(const struct rust_case *c, const char *elf, const char *out)
{
	uint64_t call_size = env_number(c->board, "call_size");
	const char *p = strstr(out, "Backtrace:\n"), *end = strstr(out, "End of backtrace\n");
	int frames = 0;

	cr_assert(p != NULL && end != NULL, "%s", out);
	for (p = strstr(p, "  #"); p && p < end; p = strstr(p + 1, "  #")) {
		char prefix[24], got[256];
		uint64_t a;

		snprintf(prefix, sizeof(prefix), "  #%d 0x", frames);
		cr_assert(parse_addr_sym(p, prefix, &a, got, sizeof(got)), "%.80s", p);
		expect_sym(c, elf, a, frames ? a - call_size : a, got, "backtrace frame");
		frames++;
	}
	return frames;
}

/* The interrupted calls, innermost first, all in the backtrace. */
static void expect_callers(const char *out)
{
	const char *bt = strstr(out, "Backtrace:");

	for (const char *f = "rkernel::demo::level2+\0rkernel::demo::level1+\0rkernel::demo::run_fault+\0"
			     "kernel_main+\0";
	     *f; f += strlen(f) + 1) {
		cr_assert(strstr(bt, f) != NULL, "%s not in the backtrace:\n%s", f, out);
		bt = strstr(bt, f);
	}
}

ParameterizedTestParameters(qemu_rust, exception_report_names_every_address_as_addr2line_C_does)
{
	return rust_cases("dabort undef brk", 1, 0);
}

ParameterizedTest(const struct rust_case *c, qemu_rust, exception_report_names_every_address_as_addr2line_C_does)
{
	const char *elf = rust_elf(c, "kernel");
	char *pc_line = board_env(c->board, "pc_line"), key[24], *cause, prefix[40], got[256], fn[48];
	struct run r = boot_rust(c, elf);
	const char *p;
	uint64_t addr;

	snprintf(prefix, sizeof(prefix), "\n%s: 0x", pc_line);
	p = strstr(r.out, prefix);
	cr_assert(p != NULL && parse_addr_sym(p + 1, prefix + 1, &addr, got, sizeof(got)), "%s", r.out);
	expect_sym(c, elf, addr, addr, got, pc_line);
	snprintf(fn, sizeof(fn), "rkernel::demo::fault_%s+", c->fault);
	cr_assert(strncmp(got, fn, strlen(fn)) == 0, "the faulting function is %s: %s", fn, got);
	snprintf(key, sizeof(key), "cause_%s", c->fault);
	cause = board_env(c->board, key);
	cr_assert(strstr(r.out, cause) != NULL, "cause '%s':\n%s", cause, r.out);
	cr_assert(ge(int, expect_backtrace(c, elf, r.out), 5), "%s", r.out);
	expect_callers(r.out);
	if (c->option == DEMO_FAULT_BRK)
		cr_assert(strstr(r.out, "carrying on\nksympatch-demo: PASS\n") != NULL, "%s", r.out);
	else
		cr_assert(strstr(r.out, "ksympatch-demo: fault reported\n") != NULL, "%s", r.out);
	free(pc_line);
	free(cause);
	run_free(&r);
}

ParameterizedTestParameters(qemu_rust, panic_report_gives_the_location_and_a_symbolized_backtrace)
{
	return rust_cases("panic", 1, 0);
}

ParameterizedTest(const struct rust_case *c, qemu_rust, panic_report_gives_the_location_and_a_symbolized_backtrace)
{
	const char *elf = rust_elf(c, "kernel");
	struct run r = boot_rust(c, elf);
	const char *bt = strstr(r.out, "Backtrace:");

	cr_assert(strstr(r.out, "\n*** panicked at 'demo panic, 3 calls deep', board/common/rust/src/demo.rs:") != NULL, "%s", r.out);
	cr_assert(ge(int, expect_backtrace(c, elf, r.out), 6), "%s", r.out);
	cr_assert(bt && strstr(bt, "<core::panicking::panic_fmt+") && strstr(bt, "<rkernel::demo::fault_panic+"),
		  "%s", r.out);
	expect_callers(r.out);
	cr_assert(strstr(r.out, "ksympatch-demo: panic reported\n") != NULL, "%s", r.out);
	run_free(&r);
}

ParameterizedTestParameters(qemu_rust, selftest_answers_agree_with_nm_C)
{
	return rust_cases("none", 1, 0);
}

ParameterizedTest(const struct rust_case *c, qemu_rust, selftest_answers_agree_with_nm_C)
{
	const char *elf = rust_elf(c, "kernel");
	struct run r = boot_rust(c, elf);
	char *cross = board_env(c->board, "cross");
	int addrs = 0, names = 0;

	cr_assert(strstr(r.out, "selftest: ok\n") != NULL && strstr(r.out, "ksympatch-demo: PASS\n") != NULL, "%s",
		  r.out);
	for (const char *p = strstr(r.out, "selftest: "); p; p = strstr(p + 1, "selftest: ")) {
		char sym[256], name[128];
		unsigned long long a;
		uint64_t at;

		if (parse_addr_sym(p, "selftest: addr 0x", &at, sym, sizeof(sym)) && strstr(p, " -> ") &&
		    sscanf(strstr(p, " -> ") + 4, "%255[^\n]", sym) == 1) {
			expect_sym(c, elf, at, at, sym, "selftest addr");
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
	return rust_cases("none", 1, 0);
}

/* What the table holds demangled, the ELF holds mangled in the scheme of its toolchain. */
ParameterizedTest(const struct rust_case *c, qemu_rust, symbols_are_mangled_legacy_with_gnu_and_v0_with_llvm)
{
	char *cross = board_env(c->board, "cross");
	struct run nm = run("%snm %s | awk '$3 ~ /level1/ {print $3}'", cross, rust_elf(c, "kernel"));
	const char *want = strcmp(c->toolchain, "gnu") ? "_RNv" : "_ZN7rkernel4demo6level1";

	cr_assert(strncmp(nm.out, want, strlen(want)) == 0, "%s %s: %s", c->board, c->toolchain, nm.out);
	run_free(&nm);
	free(cross);
}

ParameterizedTestParameters(qemu_rust, fault_inside_the_handler_is_reported_once)
{
	return rust_cases("nested", 0, 0);
}

ParameterizedTest(const struct rust_case *c, qemu_rust, fault_inside_the_handler_is_reported_once)
{
	struct run r = boot_rust(c, rust_elf(c, "kernel"));
	char *pc_line = board_env(c->board, "pc_line"), prefix[64];
	const char *nested;

	snprintf(prefix, sizeof(prefix), "\nnested exception, %s: 0x", pc_line);
	nested = strstr(r.out, prefix);
	cr_assert(nested != NULL && strstr(nested + 2, "nested exception") == NULL, "%s", r.out);
	cr_assert(strstr(r.out, "ksympatch-demo: fault reported\n") != NULL, "%s", r.out);
	free(pc_line);
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

ParameterizedTestParameters(qemu_rust, unpatched_image_says_so_in_words)
{
	return rust_cases("dabort", 1, 0);
}

ParameterizedTest(const struct rust_case *c, qemu_rust, unpatched_image_says_so_in_words)
{
	struct run r = boot_rust(c, rust_elf(c, "kernel.unpatched"));

	expect_unusable(&r, "symbol table not patched");
	run_free(&r);
}

ParameterizedTestParameters(qemu_rust, damaged_table_is_reported_unusable)
{
	return rust_cases("dabort", 0, 1);
}

ParameterizedTest(const struct rust_case *c, qemu_rust, damaged_table_is_reported_unusable)
{
	char *elf = tmp_copy_of(rust_elf(c, "kernel"));
	const char *why = damage_table(elf, c->damage);
	struct run r = boot_rust(c, elf);

	expect_unusable(&r, why);
	run_free(&r);
	free(elf);
}
