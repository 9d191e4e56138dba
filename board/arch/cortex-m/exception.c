/* SPDX-License-Identifier: MIT */
/*
 * The exception report for Cortex-M (ARMv6-M, ARMv7-M, ARMv8-M).
 * Strategy: validate the symbol table once per report with
 * ksym_kernel_open(); if it is unusable, say why and print the same report
 * with raw addresses only.  EXC_RETURN (bit 2) says which stack the core
 * stacked the interrupted r0-r3, r12, LR, PC and xPSR on, MSP or PSP;
 * that frame is read only after it is checked to lie inside that stack,
 * whose bounds cortexm_stack_bounds() gives (exception.h).  The report names the exception (IPSR)
 * and the interrupted mode and stack, the stacked PC and LR with their
 * symbols and xPSR; on the Mainline profiles (v7-M, v8-M Main) the fault
 * status registers, decoded bit by bit in words: CFSR (its MMFSR, BFSR and
 * UFSR bytes), HFSR, and MMFAR and BFAR when CFSR says they are valid;
 * ARMv6-M and v8-M Baseline have HardFault only and no status registers,
 * so there the report shows the instruction at PC.  Then r0-r12, the
 * interrupted SP, LR and PC, and a backtrace.
 *
 * The backtrace is an EHABI unwind (board/arch/arm-common/unwind.c, shared
 * with the ARMv7-A report) from the interrupted registers through
 * .ARM.exidx/.ARM.extab, which GCC and clang emit with -funwind-tables.
 * Code pointers in a Cortex-M frame carry the Thumb bit (LR, a vector
 * entry, a function pointer): it is cleared before every lookup, and
 * return addresses are looked up 2 bytes before (the call, 2 or 4 bytes).
 *
 * Without a debugger, bkpt raises a HardFault (HFSR.DEBUGEVT on v7-M and
 * v8-M): the report, then the stacked PC moves past the 2-byte bkpt and
 * the code carries on.  After any other exception the stacked PC becomes
 * kernel_exception_fatal(), so the fatal hook runs once the exception has
 * returned (see exception.h).  Board-specific parts are plat_ calls; what
 * every architecture's report prints alike is board/common/report.c.
 */
#include "arch.h"
#include "exception.h"
#include "mmio.h"
#include "plat.h"
#include "report.h"
#include "unwind.h"

#define MAX_FRAMES		32

/* The System Control Block (ARMv7-M ARM B3.2.2, ARMv8-M ARM D1.2). */
#define SCB_SHCSR		0xe000ed24u
#define SCB_CFSR		0xe000ed28u
#define SCB_HFSR		0xe000ed2cu
#define SCB_DFSR		0xe000ed30u
#define SCB_MMFAR		0xe000ed34u
#define SCB_BFAR		0xe000ed38u
#define SHCSR_FAULTS_ENA	(7u << 16)	/* MEMFAULTENA, BUSFAULTENA, USGFAULTENA */
#define CFSR_MMARVALID		(1u << 7)
#define CFSR_BFARVALID		(1u << 15)
#define HFSR_DEBUGEVT		(1u << 31)

#define EXC_RETURN_THREAD	(1u << 3)	/* returns to Thread mode */
#define EXC_RETURN_PSP		(1u << 2)	/* the frame is on PSP */
#define EXC_RETURN_FTYPE	(1u << 4)	/* clear: the frame holds FP state too */
#define XPSR_T			(1u << 24)
#define XPSR_SPALIGN		(1u << 9)	/* the core added 4 bytes to align the frame */
#define XPSR_EXCEPTION(x)	((x) & 0x1ffu)
#define FP_FRAME_EXTRA		72		/* s0-s15, FPSCR and a reserved word */

#define EXC_HARDFAULT		3		/* IPSR's exception numbers */
#define EXC_DEBUGMONITOR	12

#define INSN_BKPT(h)		(((h) & 0xff00u) == 0xbe00u)
#define INSN_UDF(h)		(((h) & 0xff00u) == 0xde00u)

extern const uint32_t __exidx_start[], __exidx_end[];
extern const uint32_t __extab_start[], __extab_end[];
extern const uint16_t __text_start[], __text_end[];

static const char *const exception_names[16] = {
	"Thread", "Reset", "NMI", "HardFault", "MemManage", "BusFault", "UsageFault",
	"SecureFault", "exception 8", "exception 9", "exception 10", "SVCall",
	"DebugMonitor", "exception 13", "PendSV", "SysTick",
};

#if CORTEXM_MAINLINE
/* CFSR bit by bit: MMFSR [7:0], BFSR [15:8], UFSR [31:16] (v7-M B3.2.15). */
static const struct report_code cfsr_bits[] = {
	{ 0, "instruction access violation" },
	{ 1, "data access violation" },
	{ 3, "MemManage fault on unstacking" },
	{ 4, "MemManage fault on stacking" },
	{ 5, "MemManage fault on FP lazy state preservation" },
	{ 7, "MMFAR valid" },
	{ 8, "instruction bus error" },
	{ 9, "precise data bus error" },
	{ 10, "imprecise data bus error" },
	{ 11, "bus fault on unstacking" },
	{ 12, "bus fault on stacking" },
	{ 13, "bus fault on FP lazy state preservation" },
	{ 15, "BFAR valid" },
	{ 16, "undefined instruction" },
	{ 17, "invalid state (EPSR.T or IT)" },
	{ 18, "invalid EXC_RETURN on exception return" },
	{ 19, "no coprocessor" },
	{ 20, "stack overflow (v8-M stack limit)" },
	{ 24, "unaligned access" },
	{ 25, "divide by zero" },
};

static const struct report_code dfsr_bits[] = {
	{ 0, "halt request" },
	{ 1, "breakpoint" },
	{ 2, "watchpoint" },
	{ 3, "vector catch" },
	{ 4, "external debug request" },
};

static const struct report_code hfsr_bits[] = {
	{ 1, "vector table read error" },
	{ 30, "forced: a configurable fault escalated" },
	{ 31, "debug event" },
};
#endif

static uint32_t read_ipsr(void)
{
	uint32_t v;

	__asm__ volatile("mrs %0, ipsr" : "=r"(v));
	return XPSR_EXCEPTION(v);
}

void cortexm_enable_faults(void)
{
#if CORTEXM_MAINLINE
	mmio_write32(SCB_SHCSR, mmio_read32(SCB_SHCSR) | SHCSR_FAULTS_ENA);
#endif
}

static void put_reg(const char *name, uint32_t v, int last)
{
	plat_puts(name);
	plat_puts(": ");
	plat_puthex(v, 8);
	plat_puts(last ? "\n" : " ");
}

/* The exception's name: a system exception, or "IRQ n". */
static void put_exception(uint32_t n)
{
	if (n < 16) {
		plat_puts(exception_names[n]);
		return;
	}
	plat_puts("IRQ ");
	report_hex(n - 16);
}

/* The main stack; a firmware with tasks on PSP overrides this (exception.h). */
__attribute__((weak)) void cortexm_stack_bounds(int psp, uint32_t *lo, uint32_t *hi)
{
	(void)psp;
	*lo = (uint32_t)(uintptr_t)__stack_bottom;
	*hi = (uint32_t)(uintptr_t)__stack_top;
}

/* The stacked frame, if it lies inside the stack it was stacked on; else NULL. */
static struct cortexm_stacked *stacked_frame(const struct exception_frame *f)
{
	uint32_t lo, hi;

	cortexm_stack_bounds(!!(f->exc_return & EXC_RETURN_PSP), &lo, &hi);
	if (f->stacked % 8 || f->stacked < lo || hi < STACKED_SIZE || f->stacked > hi - STACKED_SIZE)
		return NULL;
	return (struct cortexm_stacked *)(uintptr_t)f->stacked;
}

/* The SP of the interrupted code: above the frame the core stacked. */
static uint32_t interrupted_sp(const struct exception_frame *f, const struct cortexm_stacked *s)
{
	uint32_t sp = f->stacked + STACKED_SIZE;

	if (s->xpsr & XPSR_SPALIGN)
		sp += 4;
	if (!(f->exc_return & EXC_RETURN_FTYPE))
		sp += FP_FRAME_EXTRA;
	return sp;
}

/* The halfword at pc, when pc is in the code; else 0 (a lsls r0, r0, #0). */
static uint32_t insn_at(uint32_t pc)
{
	pc &= ~1u;
	if (pc < (uint32_t)(uintptr_t)__text_start || pc >= (uint32_t)(uintptr_t)__text_end)
		return 0;
	return *(const volatile uint16_t *)(uintptr_t)pc;
}

#if CORTEXM_MAINLINE
/* "NAME: 0x... (bit text, bit text)\n" for the set bits of v that tab names. */
static void put_bits(const char *name, uint32_t v, const struct report_code *tab, size_t n)
{
	const char *sep = " (";

	plat_puts(name);
	plat_puts(": ");
	plat_puthex(v, 8);
	for (size_t i = 0; i < n; i++)
		if (v & (1u << tab[i].code)) {
			plat_puts(sep);
			plat_puts(tab[i].text);
			sep = ", ";
		}
	plat_puts(*sep == ',' ? ")\n" : "\n");
}

static void put_fault_status(const struct ksym_table *t)
{
	uint32_t cfsr = mmio_read32(SCB_CFSR), hfsr = mmio_read32(SCB_HFSR);
	uint32_t dfsr = mmio_read32(SCB_DFSR);

	put_bits("CFSR", cfsr, cfsr_bits, KSYM_ARRAY_SIZE(cfsr_bits));
	put_bits("HFSR", hfsr, hfsr_bits, KSYM_ARRAY_SIZE(hfsr_bits));
	if (dfsr)
		put_bits("DFSR", dfsr, dfsr_bits, KSYM_ARRAY_SIZE(dfsr_bits));
	if (cfsr & CFSR_MMARVALID) {
		plat_puts("MMFAR: ");
		plat_puthex(mmio_read32(SCB_MMFAR), 8);
		report_sym(t, mmio_read32(SCB_MMFAR), 0, 1);
		plat_puts("\n");
	}
	if (cfsr & CFSR_BFARVALID) {
		plat_puts("BFAR: ");
		plat_puthex(mmio_read32(SCB_BFAR), 8);
		report_sym(t, mmio_read32(SCB_BFAR), 0, 1);
		plat_puts("\n");
	}
}

/* The status bits are write-one-to-clear: the next report starts clean. */
static void clear_fault_status(void)
{
	mmio_write32(SCB_CFSR, mmio_read32(SCB_CFSR));
	mmio_write32(SCB_HFSR, mmio_read32(SCB_HFSR));
	mmio_write32(SCB_DFSR, mmio_read32(SCB_DFSR));
}
#else
/* ARMv6-M and v8-M Baseline: HardFault alone, no status registers. */
static void put_fault_status(const struct ksym_table *t)
{
	(void)t;
}

static void clear_fault_status(void)
{
}
#endif

/*
 * The instruction at PC when it says why (bkpt, udf), and on the profiles
 * without status registers whatever it is.  QEMU 7.2 escalates a bkpt to
 * HardFault as FORCED where the hardware says DEBUGEVT, and sets no DFSR
 * bit: the instruction tells them apart on every core.
 */
static void put_insn(uint32_t pc)
{
	uint32_t h = insn_at(pc);

	if (!h || (CORTEXM_MAINLINE && !INSN_BKPT(h) && !INSN_UDF(h)))
		return;
	plat_puts("insn at PC: ");
	plat_puthex(h, 4);
	plat_puts(INSN_BKPT(h)  ? " (bkpt, a breakpoint)\n" :
		  INSN_UDF(h) ? " (udf, an undefined instruction)\n" :
				" (HardFault: this profile has no fault status registers)\n");
}

static void backtrace(const struct ksym_table *t, const struct exception_frame *f,
		      const struct cortexm_stacked *s)
{
	struct arm32_unwind_bounds b;
	struct arm32_unwind_regs r;

	/* Field by field: a struct initialiser may become a memset call, which ARMv6-M firmware need not have. */
	b.exidx = __exidx_start;
	b.exidx_end = __exidx_end;
	b.extab = __extab_start;
	b.extab_end = __extab_end;
	/* The interrupted code's frames are on the stack its frame is on. */
	cortexm_stack_bounds(!!(f->exc_return & EXC_RETURN_PSP), &b.stack_lo, &b.stack_hi);

	for (unsigned int i = 0; i < 4; i++)
		r.r[i] = s->r0_r3[i];
	for (unsigned int i = 4; i < 12; i++)
		r.r[i] = f->r4_r11[i - 4];
	r.r[12] = s->r12;
	r.r[13] = interrupted_sp(f, s);
	r.r[14] = s->lr;
	r.r[15] = s->pc;

	plat_puts("Backtrace:\n");
	report_frame(t, 0, s->pc & ~1u, 0, 8);
	for (unsigned int n = 1; n < MAX_FRAMES; n++) {
		if (arm32_unwind_frame(&b, &r, n == 1))
			break;
		report_frame(t, n, r.r[15], 2, 8);
	}
	plat_puts("End of backtrace\n");
}

void cortexm_exception_report(const struct exception_frame *f)
{
	static const char *const reg_names[16] = {
		" r0", " r1", " r2", " r3", " r4", " r5", " r6", " r7",
		" r8", " r9", "r10", "r11", "r12", " sp", " lr", " pc",
	};
	const struct cortexm_stacked *s = stacked_frame(f);
	struct ksym_table table;
	const struct ksym_table *t;

	plat_puts("\n*** ");
	put_exception(read_ipsr());
	plat_puts(" from ");
	if (f->exc_return & EXC_RETURN_THREAD)
		plat_puts("Thread mode");
	else if (s) {
		plat_puts("Handler mode (");
		put_exception(XPSR_EXCEPTION(s->xpsr));
		plat_puts(")");
	} else
		plat_puts("Handler mode");
	plat_puts(f->exc_return & EXC_RETURN_PSP ? ", PSP\n" : ", MSP\n");
	t = report_table(&table);
	if (!s) {
		plat_puts("stacked frame at ");
		plat_puthex(f->stacked, 8);
		plat_puts(" is outside the stack: no registers\n");
		put_fault_status(t);
		return;
	}
	plat_puts("PC: ");
	plat_puthex(s->pc, 8);
	report_sym(t, s->pc & ~1u, 0, 0);
	/* LR is a return address: where its call is, Thumb bit cleared. */
	plat_puts("\nLR: ");
	plat_puthex(s->lr & ~1u, 8);
	report_sym(t, s->lr & ~1u, 2, 0);
	plat_puts("\nxPSR: ");
	plat_puthex(s->xpsr, 8);
	plat_puts(s->xpsr & XPSR_T ? " (Thumb)\n" : " (T clear: INVSTATE)\n");
	put_fault_status(t);
	put_insn(s->pc);
	put_reg("EXC_RETURN", f->exc_return, 1);

	for (unsigned int i = 0; i < 16; i++) {
		uint32_t v = i < 4 ? s->r0_r3[i] : i < 12 ? f->r4_r11[i - 4] : i == 12 ? s->r12 :
			     i == 13 ? interrupted_sp(f, s) : i == 14 ? s->lr : s->pc;

		put_reg(reg_names[i], v, i % 4 == 3);
	}
	backtrace(t, f, s);
}

void cortexm_handle_exception(struct exception_frame *f)
{
	struct cortexm_stacked *s = stacked_frame(f);

	uint32_t n = read_ipsr();

	report_enter("PC", s ? s->pc : 0, 8);
	cortexm_exception_report(f);
	/* An interrupt taken just before a bkpt also stacks its address: not a breakpoint. */
	if (s && (n == EXC_HARDFAULT || n == EXC_DEBUGMONITOR) && INSN_BKPT(insn_at(s->pc))) {
		plat_puts("bkpt: resuming after the breakpoint\n");
		s->pc += 2;
		clear_fault_status();
		report_leave();
		return;
	}
	clear_fault_status();
	if (!s)
		kernel_exception_fatal();
	/* Return into the fatal hook, in the mode that faulted. */
	s->pc = (uint32_t)ARCH_CODE_ADDR(kernel_exception_fatal);
	s->xpsr = XPSR_EXCEPTION(s->xpsr) | XPSR_T;
}
