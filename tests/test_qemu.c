/*
 * QEMU integration tests: boot the demo kernel (GNU and LLVM builds) for each
 * fault kind and check what it prints against binutils on the same ELF:
 * the ELR_EL1 symbol and every backtrace frame against addr2line -f (names)
 * and nm -S (offsets and sizes), the self-test lines against nm.  Then boot
 * an unpatched image and images whose table was damaged after patching:
 * the report must say the table is unusable and still print raw addresses.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/parameterized.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "damage.h"
#include "helpers.h"
#include "platform_def.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define BOOT_TIMEOUT 30 /* seconds; a boot takes about 0.2 */

static const char *kernel(const char *toolchain, const char *which)
{
	static char path[512];

	snprintf(path, sizeof(path), "%s/kernel-%s/%s.elf", build_dir(), toolchain, which);
	return path;
}

/* Boot elf with a fault option; returns QEMU's output and exit status. */
static struct run boot(const char *elf, int fault)
{
	const char *qemu = getenv("KSYM_QEMU");
	char cmd[1024], *w;
	struct run r;

	snprintf(cmd, sizeof(cmd), "timeout %d %s -kernel %s -device loader,addr=%#x,data=%d,data-len=4",
		 BOOT_TIMEOUT, qemu ? qemu : "qemu-system-aarch64 -M virt -nographic -nic none", elf,
		 PLAT_BOOT_OPTION_ADDR, fault);
	r = run("%s </dev/null", cmd);
	cr_assert(eq(int, r.status, 0), "%s: exit %d (124: timed out); output:\n%s%s", cmd,
		  r.status, r.out, r.err);
	w = r.out;
	for (const char *c = r.out; *c; c++) /* the UART sends \r\n */
		if (*c != '\r')
			*w++ = *c;
	*w = '\0';
	return r;
}

/* What binutils says about addr: the name addr2line gives, with nm's start and size. */
static void oracle(const char *elf, uint64_t addr, uint64_t at, char *out, size_t len)
{
	struct run a = run("%saddr2line -f -e %s 0x%" PRIx64 " | head -1", cross(), elf, at);
	struct run nm = run("%snm -S %s", cross(), elf);
	struct nm_line *v;
	size_t n = parse_nm(nm.out, &v);
	char name[128];

	cr_assert(sscanf(a.out, "%127s", name) == 1);
	snprintf(out, len, "??");
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].name, name) && v[i].has_size && at - v[i].start < v[i].size)
			snprintf(out, len, "%s+0x%" PRIx64 "/0x%" PRIx64, name, addr - v[i].start,
				 v[i].size);
	free(v);
	run_free(&a);
	run_free(&nm);
}

/* The symbol text inside <...> after the hex address on a line starting with prefix. */
static int parse_line(const char *text, const char *prefix, uint64_t *addr, char *sym, size_t len)
{
	const char *p = strstr(text, prefix);
	unsigned long long a;
	char s[160] = "";

	if (!p || sscanf(p + strlen(prefix), "%llx <%159[^>]>", &a, s) < 1)
		return 0;
	*addr = a;
	snprintf(sym, len, "%s", s);
	return 1;
}

struct boot_case {
	char toolchain[8];
	char fault[8];
	int option;
	char ec[48];  /* ESR_EL1's class in words */
	char end[48]; /* the last status line */
};

static struct boot_case boot_cases[] = {
	{ "gnu", "dabort", PLAT_FAULT_DABORT, "Data Abort, same EL", "ksympatch-demo: fault reported" },
	{ "gnu", "undef", PLAT_FAULT_UNDEF, "Unknown reason", "ksympatch-demo: fault reported" },
	{ "gnu", "brk", PLAT_FAULT_BRK, "BRK instruction", "ksympatch-demo: PASS" },
	{ "llvm", "dabort", PLAT_FAULT_DABORT, "Data Abort, same EL", "ksympatch-demo: fault reported" },
	{ "llvm", "undef", PLAT_FAULT_UNDEF, "Unknown reason", "ksympatch-demo: fault reported" },
	{ "llvm", "brk", PLAT_FAULT_BRK, "BRK instruction", "ksympatch-demo: PASS" },
};

ParameterizedTestParameters(qemu, fault_report_names_the_faulting_function)
{
	return cr_make_param_array(struct boot_case, boot_cases, N(boot_cases));
}

ParameterizedTest(struct boot_case *c, qemu, fault_report_names_the_faulting_function)
{
	const char *elf = kernel(c->toolchain, "kernel");
	struct run r = boot(elf, c->option);
	char got[160], want[160], fn[32];
	uint64_t addr;
	const char *p;
	int frames = 0;

	cr_assert(parse_line(r.out, "ELR_EL1: 0x", &addr, got, sizeof(got)), "%s", r.out);
	oracle(elf, addr, addr, want, sizeof(want));
	cr_assert(eq(str, got, want), "ELR_EL1 symbol vs addr2line/nm");
	snprintf(fn, sizeof(fn), "demo_fault_%s+", c->fault);
	cr_assert(strncmp(got, fn, strlen(fn)) == 0, "the faulting function is %s: %s", fn, got);
	cr_assert(strstr(r.out, c->ec) != NULL, "ESR class: %s", r.out);

	/* Every frame: looked up at the call site (return address - 4), printed raw. */
	p = strstr(r.out, "Backtrace:\n");
	cr_assert(p != NULL && strstr(p, "End of backtrace\n") != NULL, "%s", r.out);
	for (p = strstr(p, "  #"); p && p < strstr(r.out, "End of backtrace"); p = strstr(p + 1, "  #")) {
		unsigned int n;
		unsigned long long a;

		cr_assert(sscanf(p, "  #%u 0x%llx <%159[^>]>", &n, &a, got) == 3, "%.80s", p);
		oracle(elf, a, n ? a - 4 : a, want, sizeof(want));
		cr_assert(eq(str, got, want), "frame #%u", n);
		frames++;
	}
	cr_assert(frames >= 5, "backtrace too short:\n%s", r.out);
	for (const char *f = "demo_level2\0demo_level1\0demo_run_fault\0kernel_main\0"; *f;
	     f += strlen(f) + 1)
		cr_assert(strstr(strstr(r.out, "Backtrace:"), f) != NULL, "%s not in backtrace", f);
	cr_assert(strstr(r.out, c->end) != NULL, "%s", r.out);
	if (c->option == PLAT_FAULT_BRK)
		cr_assert(strstr(r.out, "carrying on") != NULL, "brk must return and carry on");
	run_free(&r);
}

struct fix {
	char toolchain[8];
};

static struct fix toolchains[] = { { "gnu" }, { "llvm" } };

ParameterizedTestParameters(qemu, selftest_lookups_agree_with_nm)
{
	return cr_make_param_array(struct fix, toolchains, N(toolchains));
}

ParameterizedTest(struct fix *c, qemu, selftest_lookups_agree_with_nm)
{
	const char *elf = kernel(c->toolchain, "kernel");
	struct run r = boot(elf, PLAT_FAULT_NONE);
	int addrs = 0, names = 0;

	cr_assert(strstr(r.out, "selftest: ok\n") != NULL, "%s", r.out);
	cr_assert(strstr(r.out, "ksympatch-demo: PASS\n") != NULL, "%s", r.out);
	for (const char *p = strstr(r.out, "selftest: "); p; p = strstr(p + 1, "selftest: ")) {
		unsigned long long a;
		char sym[160], want[160], name[64];

		if (sscanf(p, "selftest: addr 0x%llx -> %159s", &a, sym) == 2) {
			oracle(elf, a, a, want, sizeof(want));
			cr_assert(eq(str, sym, want));
			addrs++;
		} else if (sscanf(p, "selftest: name %63s -> 0x%llx", name, &a) == 2) {
			struct run nm = run("%snm %s | awk '$3 == \"%s\" {print $1}'", cross(), elf, name);

			cr_assert(eq(u64, a, strtoull(nm.out, NULL, 16)), "%s", name);
			run_free(&nm);
			names++;
		}
	}
	cr_assert(addrs >= 3 && names >= 2, "%s", r.out);
	run_free(&r);
}

/* A fault inside the handler: one line, then power-off (boot() checks the exit). */
Test(qemu, fault_inside_the_handler_is_reported_once_without_a_loop)
{
	struct run r = boot(kernel("gnu", "kernel"), PLAT_FAULT_NESTED);
	uint64_t addr;
	char sym[160], want[160];
	const char *nested = strstr(r.out, "\nnested exception, ELR_EL1: 0x");

	cr_assert(strstr(r.out, "ksympatch-demo: fault reported\n") != NULL, "%s", r.out);
	cr_assert(nested != NULL, "%s", r.out);
	cr_assert(strstr(nested + 2, "nested exception") == NULL, "reported once: %s", r.out);
	cr_assert(parse_line(nested, "ELR_EL1: 0x", &addr, sym, sizeof(sym)));
	oracle(kernel("gnu", "kernel"), addr, addr, want, sizeof(want));
	cr_assert(strncmp(want, "demo_fault_dabort+", 18) == 0, "the second fault: %s", want);
	run_free(&r);
}

/* The report without a usable table: its reason in words, raw addresses, power-off. */
static void expect_unusable_report(const struct run *r, const char *why)
{
	char want[128];
	uint64_t addr;
	char sym[160];

	snprintf(want, sizeof(want), "symbol table unusable: %s\n", why);
	cr_assert(strstr(r->out, want) != NULL, "want '%s' in:\n%s", want, r->out);
	cr_assert(parse_line(r->out, "ELR_EL1: 0x", &addr, sym, sizeof(sym)), "%s", r->out);
	cr_assert(eq(str, sym, ""), "no name without a table");
	cr_assert(strstr(r->out, "\nESR_EL1: 0x") != NULL);
	cr_assert(strstr(r->out, "\nBacktrace:\n  #0 0x") != NULL, "%s", r->out);
	cr_assert(strstr(r->out, "\n  #3 0x") != NULL, "raw backtrace addresses: %s", r->out);
	cr_assert(strstr(r->out, "End of backtrace\n") != NULL);
	cr_assert(strchr(strstr(r->out, "Backtrace:"), '<') == NULL, "no names: %s", r->out);
}

ParameterizedTestParameters(qemu, unpatched_image_says_so_in_words)
{
	return cr_make_param_array(struct fix, toolchains, N(toolchains));
}

ParameterizedTest(struct fix *c, qemu, unpatched_image_says_so_in_words)
{
	struct run r = boot(kernel(c->toolchain, "kernel.unpatched"), PLAT_FAULT_DABORT);

	expect_unusable_report(&r, "symbol table not patched");
	run_free(&r);
}

/* ---- tables damaged after patching (flash corruption, a bad tool) ---- */

struct damage_case {
	enum damage damage;
};

static struct damage_case damage_cases[] = {
	{ DAMAGE_BAD_MAGIC }, { DAMAGE_COUNT_TOO_LARGE }, { DAMAGE_NAME_PREFIX }, { DAMAGE_BLOCKS_UNSORTED },
};

ParameterizedTestParameters(qemu, damaged_table_is_reported_unusable)
{
	return cr_make_param_array(struct damage_case, damage_cases, N(damage_cases));
}

ParameterizedTest(struct damage_case *c, qemu, damaged_table_is_reported_unusable)
{
	char *elf = tmp_copy_of(kernel("gnu", "kernel"));
	const char *why = damage_table(elf, c->damage);
	struct run r = boot(elf, PLAT_FAULT_DABORT);

	expect_unusable_report(&r, why);
	run_free(&r);
	free(elf);
}
