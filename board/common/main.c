/* SPDX-License-Identifier: MIT */
/*
 * The ksympatch demo kernel.  Strategy: check the embedded symbol table
 * against the kernel's own functions (address -> name and name -> address,
 * compared with the function pointers), then raise the fault chosen at boot
 * four calls deep, so the exception report shows names and a backtrace.
 * `make run FAULT=...` picks the fault without a rebuild (board/board.mk,
 * board/common/demo.h):
 *
 *   dabort  load from an address nothing answers at (the default, also for
 *           an unknown boot option)
 *   undef   an undefined instruction (ARCH_UNDEF)
 *   brk     a breakpoint (ARCH_BREAK): reported, then resumed after it
 *   none    no fault
 *   nested  dabort, then another one inside the handler (in the fatal
 *           hook below): reported in one line, then power-off, no loop
 *   shell   no fault: the console monitor (monitor.h) after the self-test,
 *           as when a key is waiting at boot
 *
 * The last line on the UART says how the run ended, then the board powers
 * off (plat_system_off):
 *
 *   ksympatch-demo: PASS                 selftest ok, run ended normally
 *                                        (none, or brk after resuming)
 *   ksympatch-demo: fault reported       selftest ok, the handler reported
 *                                        the fatal fault (dabort, undef)
 *   ksympatch-demo: FAIL <reason>        selftest failed, or a fault that
 *                                        should trap did not
 */
#include <ksym/kernel.h>

#include "arch.h"
#include "demo.h"
#include "exception.h"
#include "mmio.h"
#include "monitor.h"
#include "plat.h"
#include "platform_def.h"
#include "str.h"

#define noinline __attribute__((noinline))

/*
 * Where a function's code starts, as the symbol table has it.  arch.h
 * overrides this where a function pointer carries more (Thumb's bit 0).
 */
#ifndef ARCH_CODE_ADDR
#define ARCH_CODE_ADDR(fn)	((uintptr_t)(fn))
#endif

KSYM_DEFINE_COUNT();

extern char _start[];	/* the entry point, in the architecture's boot.S */
void kernel_main(void);	/* called from boot.S */

static int selftest_ok;
static uint32_t boot_option;

/*
 * An initialised, writable object: in .data, so on a board that runs from
 * flash the reset handler must have copied it to RAM from its load address
 * for the self-test to see these values (QEMU loads them at the load
 * address only); and something for the monitor's `x demo_words` to print.
 */
uint32_t demo_words[5] = { 0x6b73796d, 0x00c0ffee, 0x12345678, 0x89abcdef, 0xfffffffe };

static noinline void demo_fault_dabort(void)
{
	(void)*(volatile uint64_t *)(uintptr_t)PLAT_UNMAPPED_ADDR;
}

static noinline void demo_fault_undef(void)
{
	ARCH_UNDEF();
}

static noinline void demo_fault_brk(void)
{
	ARCH_BREAK();
}

static noinline void demo_no_fault(void)
{
}

static const struct demo_fault {
	uint32_t option;
	const char *name;
	void (*raise)(void);
	int fatal;
} demo_faults[] = {
	{ DEMO_FAULT_DABORT, "dabort", demo_fault_dabort, 1 }, /* the default */
	{ DEMO_FAULT_UNDEF, "undef", demo_fault_undef, 1 },
	{ DEMO_FAULT_BRK, "brk", demo_fault_brk, 0 },
	{ DEMO_FAULT_NONE, "none", demo_no_fault, 0 },
	{ DEMO_FAULT_NESTED, "nested", demo_fault_dabort, 1 },
};

static noinline void demo_level2(void (*raise)(void))
{
	raise();
}

static noinline void demo_level1(void (*raise)(void))
{
	demo_level2(raise);
}

static noinline void demo_run_fault(const struct demo_fault *fault)
{
	plat_puts("fault: ");
	plat_puts(fault->name);
	plat_puts("\n");
	demo_level1(fault->raise);
}

static const struct demo_fault *demo_pick(uint32_t option)
{
	for (unsigned int i = 0; i < KSYM_ARRAY_SIZE(demo_faults); i++)
		if (demo_faults[i].option == option)
			return &demo_faults[i];
	return &demo_faults[0];
}

/*
 * In decimal, by subtracting powers of ten: a 64-bit division needs
 * libgcc on 32-bit targets, and any division does on ARMv6-M.
 */
static void put_dec(uint32_t n)
{
	static const uint32_t tens[] = { 1000000000, 100000000, 10000000, 1000000, 100000,
					 10000, 1000, 100, 10, 1 };
	char s[11];
	unsigned int len = 0;

	for (unsigned int i = 0; i < KSYM_ARRAY_SIZE(tens); i++) {
		char d = '0';

		while (n >= tens[i]) {
			n -= tens[i];
			d++;
		}
		if (len || d != '0' || tens[i] == 1)
			s[len++] = d;
	}
	s[len] = '\0';
	plat_puts(s);
}

/* addr must resolve to name, at the offset of addr from func. */
static int check_addr(const struct ksym_table *t, const char *name, uintptr_t func,
		      uintptr_t addr)
{
	struct ksym_symbol sym;
	char buf[96], got[64];

	plat_puts("selftest: addr ");
	plat_puthex(addr, 16);
	if (ksym_lookup_addr(t, addr, &sym) != KSYM_OK) {
		plat_puts(" -> not found\n");
		return 0;
	}
	ksym_format(t, buf, sizeof(buf), &sym, addr);
	plat_puts(" -> ");
	plat_puts(buf);
	plat_puts("\n");
	return ksym_name(t, &sym, got, sizeof(got)) < sizeof(got) && str_eq(got, name) &&
	       sym.start == func;
}

/* name must resolve to func, and only to it. */
static int check_name(const struct ksym_table *t, const char *name, uintptr_t func)
{
	struct ksym_symbol sym;
	size_t n = ksym_lookup_name(t, name, &sym, 1);

	plat_puts("selftest: name ");
	plat_puts(name);
	if (n == 0) {
		plat_puts(" -> not found\n");
		return 0;
	}
	plat_puts(" -> ");
	plat_puthex(sym.start, 16);
	plat_puts("\n");
	return n == 1 && sym.start == func;
}

static int selftest(void)
{
	struct ksym_table t;
	const char *why = NULL;
	int err = ksym_kernel_open(&t, &why);
	int ok = 1;

	if (err) {
		plat_puts("symbol table unusable: ");
		plat_puts(why ? why : ksym_strerror(err));
		plat_puts("\nselftest: FAILED (no symbol table)\n");
		return 0;
	}
	plat_puts("symbol table: ");
	put_dec((uint32_t)ksym_kernel_count());
	plat_puts(" symbols\n");

	ok &= check_addr(&t, "kernel_main", ARCH_CODE_ADDR(kernel_main), ARCH_CODE_ADDR(kernel_main));
	ok &= check_addr(&t, "plat_puts", ARCH_CODE_ADDR(plat_puts), ARCH_CODE_ADDR(plat_puts));
	ok &= check_addr(&t, "demo_level1", ARCH_CODE_ADDR(demo_level1),
			 ARCH_CODE_ADDR(demo_level1) + 4);
	ok &= check_addr(&t, "_start", ARCH_CODE_ADDR(_start), ARCH_CODE_ADDR(_start) + 8);
	ok &= check_name(&t, "kernel_main", ARCH_CODE_ADDR(kernel_main));
	ok &= check_name(&t, "plat_puts", ARCH_CODE_ADDR(plat_puts));
	ok &= check_name(&t, "_start", ARCH_CODE_ADDR(_start));
	if (*(volatile uint32_t *)&demo_words[4] != 0xfffffffe) {
		plat_puts("selftest: .data is not initialised (not copied from its load address?)\n");
		ok = 0;
	}
	plat_puts(ok ? "selftest: ok\n" : "selftest: FAILED (a lookup disagrees)\n");
	return ok;
}

/* ---- the console monitor's side of the demo ---- */

static noinline void demo_hello(void)
{
	plat_puts("hello from demo_hello\n");
}

static noinline void demo_selftest(void)
{
	selftest_ok = selftest();
}

/* bt: a breakpoint, whose report is a backtrace from here; it resumes. */
static noinline void demo_backtrace(void)
{
	ARCH_BREAK();
}

static int demo_fault_by_name(const char *kind)
{
	for (unsigned int i = 0; i < KSYM_ARRAY_SIZE(demo_faults); i++)
		if (demo_faults[i].raise != demo_no_fault && str_eq(demo_faults[i].name, kind)) {
			boot_option = demo_faults[i].option; /* the fatal hook nests on it */
			demo_run_fault(&demo_faults[i]);
			return 1;
		}
	return 0;
}

static noinline __attribute__((noreturn)) void demo_monitor(int first)
{
	static const struct monitor_call calls[] = {
		{ "demo_hello", demo_hello, 0 },
		{ "demo_selftest", demo_selftest, 0 },
	};
	struct monitor_call allowed[KSYM_ARRAY_SIZE(calls)];
	struct ksym_table t;
	struct monitor m = {
		.table = ksym_kernel_open(&t, NULL) == KSYM_OK ? &t : NULL,
		.calls = allowed,
		.ncalls = KSYM_ARRAY_SIZE(calls),
		.addr_digits = 2 * sizeof(uintptr_t),
		.puts = plat_puts,
		.puthex = plat_puthex,
		.backtrace = demo_backtrace,
		.fault = demo_fault_by_name,
		.off = plat_system_off,
	};

	for (unsigned int i = 0; i < m.ncalls; i++) {
		allowed[i] = calls[i];
		allowed[i].addr = ARCH_CODE_ADDR(calls[i].fn);
	}
	plat_puts("monitor: sym ADDR, addr NAME, x NAME, bt, call NAME, fault KIND, help, off\n");
	monitor_run(&m, plat_getc, first);
	plat_system_off();
}

void kernel_exception_fatal(void)
{
	plat_puts(selftest_ok ? "ksympatch-demo: fault reported\n" :
		  "ksympatch-demo: FAIL selftest (then fault reported)\n");
	if (boot_option == DEMO_FAULT_NESTED) {
		plat_puts("nested: faulting again inside the handler\n");
		demo_fault_dabort();
	}
	plat_system_off();
}

void kernel_main(void)
{
	const struct demo_fault *fault = demo_pick(boot_option = mmio_read32(PLAT_BOOT_OPTION_ADDR));

	int key;

	plat_puts("ksympatch demo kernel on " PLAT_NAME " (" ARCH_NAME ")\n");
	selftest_ok = selftest();
	key = plat_getc();
	if (boot_option == DEMO_FAULT_SHELL || key >= 0)
		demo_monitor(key);
	demo_run_fault(fault);
	if (fault->option == DEMO_FAULT_BRK)
		plat_puts("brk: returned from the breakpoint handler, carrying on\n");

	if (fault->fatal)
		plat_puts("ksympatch-demo: FAIL the fault did not trap\n");
	else if (!selftest_ok)
		plat_puts("ksympatch-demo: FAIL selftest\n");
	else
		plat_puts("ksympatch-demo: PASS\n");
}
