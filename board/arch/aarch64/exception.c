/* SPDX-License-Identifier: MIT */
/*
 * The exception report.  Strategy: validate the symbol table once per
 * report with ksym_kernel_open(); if it is unusable, say why and print the
 * same report with raw addresses only.  The backtrace starts at ELR_EL1 and
 * follows the interrupted code's frame records {prev x29, x30} from the
 * saved x29, checking each one before reading it: 16-byte aligned, inside
 * the stack, strictly increasing, at most REPORT_MAX_FRAMES.  A return address is
 * looked up at the call site (ksym_call_site(): address - 4) but printed raw, with the offset
 * from the function it returns into.  Board-specific parts are plat_ calls;
 * what every architecture's report prints alike is board/common/report.c.
 */
#include "exception.h"
#include "plat.h"
#include "report.h"

#define ESR_EC(esr)	(((esr) >> 26) & 0x3f)
#define EC_BRK64	0x3c

static const struct report_code ec_names[] = {
	{ 0x00, "Unknown reason / undefined instruction" },
	{ 0x01, "WFI or WFE" },
	{ 0x07, "SIMD/FP access trapped" },
	{ 0x0e, "Illegal execution state" },
	{ 0x15, "SVC instruction (AArch64)" },
	{ 0x16, "HVC instruction (AArch64)" },
	{ 0x17, "SMC instruction (AArch64)" },
	{ 0x18, "MSR/MRS/system instruction" },
	{ 0x20, "Instruction Abort, lower EL" },
	{ 0x21, "Instruction Abort, same EL" },
	{ 0x22, "PC alignment fault" },
	{ 0x24, "Data Abort, lower EL" },
	{ 0x25, "Data Abort, same EL" },
	{ 0x26, "SP alignment fault" },
	{ 0x2f, "SError" },
	{ 0x30, "Breakpoint, lower EL" },
	{ 0x31, "Breakpoint, same EL" },
	{ 0x32, "Software step, lower EL" },
	{ 0x33, "Software step, same EL" },
	{ 0x34, "Watchpoint, lower EL" },
	{ 0x35, "Watchpoint, same EL" },
	{ EC_BRK64, "BRK instruction (AArch64)" },
};

static const char *const vector_kind[4] = {
	"Synchronous exception", "IRQ", "FIQ", "SError",
};

static const char *const vector_from[4] = {
	"current EL, SP_EL0", "current EL, SP_ELx",
	"lower EL, AArch64", "lower EL, AArch32",
};

static void backtrace(const struct ksym_table *t, const struct exception_frame *f)
{
	plat_puts("Backtrace:\n");
	report_frame(t, 0, f->elr, 0, 16);
	report_records(t, 1, f->x[29], 0, 0, 16, 16);
}

void aarch64_exception_report(const struct exception_frame *f, unsigned int index)
{
	struct ksym_table table;
	const struct ksym_table *t;
	unsigned int ec = ESR_EC(f->esr);

	plat_puts("\n*** ");
	plat_puts(vector_kind[index % 4]);
	plat_puts(" from ");
	plat_puts(vector_from[index / 4 % 4]);
	plat_puts("\n");
	t = report_table(&table);
	plat_puts("ELR_EL1: ");
	plat_puthex(f->elr, 16);
	report_sym(t, f->elr, 0, 0);
	plat_puts("\nESR_EL1: ");
	plat_puthex(f->esr, 16);
	plat_puts(" (EC ");
	plat_puthex(ec, 2);
	plat_puts(", ");
	plat_puts(REPORT_TEXT(ec_names, ec, "unlisted exception class"));
	plat_puts(")\nFAR_EL1: ");
	plat_puthex(f->far, 16);
	report_sym(t, f->far, 0, 1);
	plat_puts("\nSPSR_EL1: ");
	plat_puthex(f->spsr, 16);
	plat_puts("\n");

	for (unsigned int i = 0; i < 32; i++) {
		plat_puts(i % 4 ? " " : "");
		if (i < 31) {
			plat_puts(i < 10 ? " x" : "x");
			report_dec(i);
		} else {
			plat_puts(" sp");
		}
		plat_puts(": ");
		plat_puthex(i < 31 ? f->x[i] : f->sp, 16);
		plat_puts(i % 4 == 3 ? "\n" : "");
	}
	backtrace(t, f);
}

void aarch64_handle_exception(struct exception_frame *f, unsigned int index)
{
	report_enter("ELR_EL1", f->elr, 16);
	aarch64_exception_report(f, index);
	if (index % 4 == 0 && ESR_EC(f->esr) == EC_BRK64) {
		plat_puts("brk: resuming after the breakpoint\n");
		f->elr += 4;
		report_leave();
		return;
	}
	kernel_exception_fatal();
}
