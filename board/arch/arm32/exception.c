/* SPDX-License-Identifier: MIT */
/*
 * The exception report for ARMv7-A.  Strategy: validate the symbol table
 * once per report with ksym_kernel_open(); if it is unusable, say why and
 * print the same report with raw addresses only.  The report names the
 * exception and the interrupted mode, the faulting PC and LR with their
 * symbols, SPSR, the fault status register decoded (DFSR/IFSR, short- or
 * long-descriptor format) and the fault address (DFAR/IFAR), r0-r12.
 *
 * The backtrace is the best the ABI allows for Thumb-2: an EHABI unwind
 * (unwind.c) from the interrupted registers through .ARM.exidx/.ARM.extab,
 * which GCC and clang both emit with -funwind-tables; frame pointers would
 * serve clang only.  It starts at the faulting PC, goes through the
 * faulting function (a leaf that saved nothing returns through LR) and
 * every caller up to _start, whose "cannot unwind" entry ends it.  Return
 * addresses are printed with the Thumb bit cleared and looked up 2 bytes
 * before (the call, 2 or 4 bytes long).  Board-specific parts are plat_
 * calls; what every architecture's report prints alike is
 * board/common/report.c.
 */
#include "exception.h"
#include "plat.h"
#include "report.h"
#include "unwind.h"

#define MAX_FRAMES		32
#define PSR_MODE(psr)		((psr) & 0x1f)
#define PSR_T			(1u << 5)
#define FSR_LPAE		(1u << 9)	/* long-descriptor format */
#define FSR_WNR			(1u << 11)	/* a write (DFSR) */
#define FSR_SHORT_FS(fsr)	((((fsr) >> 6) & 0x10) | ((fsr) & 0x0f))
#define FSR_LONG_STATUS(fsr)	((fsr) & 0x3f)
#define FS_DEBUG_EVENT		0x02	/* short format */
#define STATUS_DEBUG_EVENT	0x22	/* long format */

extern const uint32_t __exidx_start[], __exidx_end[];
extern const uint32_t __extab_start[], __extab_end[];

static const char *const kind_names[8] = {
	"Reset", "Undefined Instruction", "Supervisor Call", "Prefetch Abort",
	"Data Abort", "Hyp Trap", "IRQ", "FIQ",
};

/* Short-descriptor fault status, FS = FSR[10,3:0] (ARM DDI 0406C B3.13.3). */
static const struct report_code short_fs[] = {
	{ 0x01, "alignment fault" },
	{ 0x02, "debug event" },
	{ 0x03, "access flag fault, section" },
	{ 0x04, "fault on instruction cache maintenance" },
	{ 0x05, "translation fault, section" },
	{ 0x06, "access flag fault, page" },
	{ 0x07, "translation fault, page" },
	{ 0x08, "synchronous external abort" },
	{ 0x09, "domain fault, section" },
	{ 0x0b, "domain fault, page" },
	{ 0x0c, "synchronous external abort on table walk, level 1" },
	{ 0x0d, "permission fault, section" },
	{ 0x0e, "synchronous external abort on table walk, level 2" },
	{ 0x0f, "permission fault, page" },
	{ 0x16, "asynchronous external abort" },
	{ 0x18, "asynchronous parity error" },
	{ 0x19, "synchronous parity error" },
	{ 0x1a, "coprocessor abort" },
};

/* Long-descriptor fault status, STATUS = FSR[5:0] (B3.13.3). */
static const struct report_code long_status[] = {
	{ 0x05, "translation fault, level 1" },
	{ 0x06, "translation fault, level 2" },
	{ 0x07, "translation fault, level 3" },
	{ 0x09, "access flag fault, level 1" },
	{ 0x0a, "access flag fault, level 2" },
	{ 0x0b, "access flag fault, level 3" },
	{ 0x0d, "permission fault, level 1" },
	{ 0x0e, "permission fault, level 2" },
	{ 0x0f, "permission fault, level 3" },
	{ 0x10, "synchronous external abort" },
	{ 0x11, "asynchronous external abort" },
	{ 0x18, "synchronous parity error" },
	{ 0x19, "asynchronous parity error" },
	{ 0x21, "alignment fault" },
	{ 0x22, "debug event" },
};

static const struct report_code modes[] = {
	{ 0x10, "USR" }, { 0x11, "FIQ" }, { 0x12, "IRQ" }, { 0x13, "SVC" },
	{ 0x16, "MON" }, { 0x17, "ABT" }, { 0x1a, "HYP" }, { 0x1b, "UND" },
	{ 0x1f, "SYS" },
};

static const char *fsr_name(uint32_t fsr)
{
	if (fsr & FSR_LPAE)
		return REPORT_TEXT(long_status, FSR_LONG_STATUS(fsr), "unlisted fault status");
	return REPORT_TEXT(short_fs, FSR_SHORT_FS(fsr), "unlisted fault status");
}

static int is_debug_event(uint32_t fsr)
{
	if (fsr & FSR_LPAE)
		return FSR_LONG_STATUS(fsr) == STATUS_DEBUG_EVENT;
	return FSR_SHORT_FS(fsr) == FS_DEBUG_EVENT;
}

static void backtrace(const struct ksym_table *t, const struct exception_frame *f)
{
	const struct arm32_unwind_bounds b = {
		.exidx = __exidx_start,
		.exidx_end = __exidx_end,
		.extab = __extab_start,
		.extab_end = __extab_end,
		.stack_lo = (uint32_t)(uintptr_t)__stack_bottom,
		.stack_hi = (uint32_t)(uintptr_t)__stack_top,
	};
	struct arm32_unwind_regs s;

	for (unsigned int i = 0; i < 13; i++)
		s.r[i] = f->r[i];
	s.r[13] = f->sp;
	s.r[14] = f->lr;
	s.r[15] = f->pc;

	plat_puts("Backtrace:\n");
	report_frame(t, 0, ksym_code_addr(f->pc), 0, 8);
	for (unsigned int n = 1; n < MAX_FRAMES; n++) {
		if (arm32_unwind_frame(&b, &s, n == 1))
			break;
		report_frame(t, n, s.r[15], KSYM_CALL_BACK, 8);
	}
	plat_puts("End of backtrace\n");
}

static void put_reg(const char *name, uint32_t v, int last)
{
	plat_puts(name);
	plat_puts(": ");
	plat_puthex(v, 8);
	plat_puts(last ? "\n" : " ");
}

void arm32_exception_report(const struct exception_frame *f)
{
	static const char *const reg_names[16] = {
		" r0", " r1", " r2", " r3", " r4", " r5", " r6", " r7",
		" r8", " r9", "r10", "r11", "r12", " sp", " lr", " pc",
	};
	struct ksym_table table;
	const struct ksym_table *t;
	const char *fsr = f->kind == EXC_DABORT ? "DFSR" : "IFSR";
	const char *far = f->kind == EXC_DABORT ? "DFAR" : "IFAR";

	plat_puts("\n*** ");
	plat_puts(kind_names[f->kind % 8]);
	plat_puts(" from ");
	plat_puts(REPORT_TEXT(modes, PSR_MODE(f->spsr), "an unknown"));
	plat_puts(" mode\n");
	t = report_table(&table);
	plat_puts("PC: ");
	plat_puthex(f->pc, 8);
	report_sym(t, f->pc, 0, 0);
	/* LR is a return address: where its call is, Thumb bit cleared. */
	plat_puts("\nLR: ");
	plat_puthex(ksym_code_addr(f->lr), 8);
	report_sym(t, ksym_code_addr(f->lr), KSYM_CALL_BACK, 0);
	plat_puts("\nSPSR: ");
	plat_puthex(f->spsr, 8);
	plat_puts(f->spsr & PSR_T ? " (Thumb)\n" : " (ARM)\n");
	if (f->kind == EXC_DABORT || f->kind == EXC_PABORT) {
		plat_puts(fsr);
		plat_puts(": ");
		plat_puthex(f->fsr, 8);
		plat_puts(" (");
		plat_puts(fsr_name(f->fsr));
		if (f->kind == EXC_DABORT)
			plat_puts(f->fsr & FSR_WNR ? ", write" : ", read");
		plat_puts(")\n");
		plat_puts(far);
		plat_puts(": ");
		plat_puthex(f->far, 8);
		report_sym(t, f->far, 0, 1);
		plat_puts("\n");
	}

	for (unsigned int i = 0; i < 16; i++) {
		uint32_t v = i < 13 ? f->r[i] : i == 13 ? f->sp : i == 14 ? f->lr : f->pc;

		put_reg(reg_names[i], v, i % 4 == 3);
	}
	backtrace(t, f);
}

void arm32_handle_exception(struct exception_frame *f)
{
	report_enter("PC", f->pc, 8);
	arm32_exception_report(f);
	if (f->kind == EXC_PABORT && is_debug_event(f->fsr)) {
		plat_puts("bkpt: resuming after the breakpoint\n");
		f->pc += f->spsr & PSR_T ? 2 : 4;
		report_leave();
		return;
	}
	kernel_exception_fatal();
}
