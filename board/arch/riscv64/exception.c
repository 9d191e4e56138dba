/* SPDX-License-Identifier: MIT */
/*
 * The S-mode trap report.  Strategy: validate the symbol table once per
 * report with ksym_kernel_open(); if it is unusable, say why and print the
 * same report with raw addresses only.  Board-specific parts are plat_
 * calls; what every architecture's report prints alike is
 * board/common/report.c.
 *
 * The backtrace starts at sepc and follows the frame records that GCC and
 * clang keep with -fno-omit-frame-pointer: s0 is the frame's CFA (sp on
 * entry), the return address is at s0 - 8 and the caller's s0 at s0 - 16.
 * Each record is checked before it is read: s0 16-byte aligned (the
 * psABI's sp alignment), the record inside the stack, s0 strictly
 * increasing, at most REPORT_MAX_FRAMES.  A return address is looked up at the
 * call site (ksym_call_site(), address - 2 on RISC-V: a call is 4 or 8
 * bytes, or 2 for c.jalr, and address - 2 lands inside any of them) but
 * printed raw, with the offset of the return address itself.
 *
 * The interrupted function needs care, because a leaf function does not
 * follow that layout (read from GCC 12 and clang 14 output):
 *  - GCC's leaf saves only s0, at s0 - 8: the word there is a stack
 *    address, not code.  The return address is still in ra.
 *  - GCC may restore s0 before the leaf's last instruction (sched2 moves
 *    the epilogue's load of s0 up; GCC 12 has no
 *    -mno-omit-leaf-frame-pointer for RISC-V), and a fault in a prologue
 *    or in assembly without a frame looks the same: s0 is still the
 *    caller's, so the walk would skip the caller.  Then ra holds the
 *    return address into the caller, which is neither the one at s0 - 8
 *    nor inside the faulting function (a non-leaf's ra, after a call of
 *    its own, points into itself).  That test needs function bounds, so it
 *    is made only with a usable table.
 *  - clang saves ra in leaf functions too: the usual layout.
 * In both leaf cases the frame after sepc is the trap-time ra, which is
 * what Linux's riscv unwinder does for the first of these.
 */
#include "exception.h"
#include "plat.h"
#include "report.h"


#define SCAUSE_INTERRUPT	(1ull << 63)
#define SCAUSE_CODE(c)		((c) & ~SCAUSE_INTERRUPT)
#define SCAUSE_ILLEGAL		2
#define SCAUSE_BREAKPOINT	3

#define SSTATUS_SPP		(1ull << 8)	/* trapped from S-mode */

/*
 * The exception causes whose stval holds a faulting address, one bit per
 * cause: all in exception_names but the illegal instruction (stval: its
 * bits) and the environment calls (stval: 0).
 */
#define STVAL_ADDR_CAUSES	((1u << 0) | (1u << 1) | (1u << SCAUSE_BREAKPOINT) | \
				 (1u << 4) | (1u << 5) | (1u << 6) | (1u << 7) | \
				 (1u << 12) | (1u << 13) | (1u << 15))

static const struct report_code exception_names[] = {
	{ 0, "Instruction address misaligned" },
	{ 1, "Instruction access fault" },
	{ SCAUSE_ILLEGAL, "Illegal instruction" },
	{ SCAUSE_BREAKPOINT, "Breakpoint" },
	{ 4, "Load address misaligned" },
	{ 5, "Load access fault" },
	{ 6, "Store/AMO address misaligned" },
	{ 7, "Store/AMO access fault" },
	{ 8, "Environment call from U-mode" },
	{ 9, "Environment call from S-mode" },
	{ 12, "Instruction page fault" },
	{ 13, "Load page fault" },
	{ 15, "Store/AMO page fault" },
};

static const struct report_code interrupt_names[] = {
	{ 1, "Supervisor software interrupt" },
	{ 5, "Supervisor timer interrupt" },
	{ 9, "Supervisor external interrupt" },
};

/* x1..x31 by their psABI names, three characters wide. */
static const char *const reg_names[32] = {
	"x0", " ra", " sp", " gp", " tp", " t0", " t1", " t2",
	" s0", " s1", " a0", " a1", " a2", " a3", " a4", " a5",
	" a6", " a7", " s2", " s3", " s4", " s5", " s6", " s7",
	" s8", " s9", "s10", "s11", " t3", " t4", " t5", " t6",
};

static const char *cause_name(uint64_t scause)
{
	uint64_t code = SCAUSE_CODE(scause);
	const char *unlisted = scause & SCAUSE_INTERRUPT ? "unlisted interrupt" :
				"unlisted exception";

	/* Every listed code fits report_code's 32 bits. */
	if (code >> 32)
		return unlisted;
	if (scause & SCAUSE_INTERRUPT)
		return REPORT_TEXT(interrupt_names, (uint32_t)code, unlisted);
	return REPORT_TEXT(exception_names, (uint32_t)code, unlisted);
}

/* Whether stval holds a faulting address (one of exception_names). */
static int stval_is_addr(uint64_t scause)
{
	return !(scause & SCAUSE_INTERRUPT) && SCAUSE_CODE(scause) < 32 &&
	       ((STVAL_ADDR_CAUSES >> SCAUSE_CODE(scause)) & 1);
}

/* Whether a symbol of the table contains addr. */
static int known(const struct ksym_table *t, uint64_t addr)
{
	struct ksym_symbol sym;

	return t && ksym_lookup_addr(t, addr, &sym) == KSYM_OK;
}

/* Whether a and b lie in one symbol of the table. */
static int same_symbol(const struct ksym_table *t, uint64_t a, uint64_t b)
{
	struct ksym_symbol sa, sb;

	return t && ksym_lookup_addr(t, a, &sa) == KSYM_OK &&
	       ksym_lookup_addr(t, b, &sb) == KSYM_OK && sa.start == sb.start;
}

/* Whether fp can head a frame record {caller's s0, ra} at fp - 16. */
static int record_ok(uint64_t fp, uint64_t prev)
{
	uint64_t lo = (uintptr_t)__stack_bottom, hi = (uintptr_t)__stack_top;

	return fp % 16 == 0 && fp >= lo + 16 && fp <= hi && fp > prev;
}

static void backtrace(const struct ksym_table *t, const struct exception_frame *f)
{
	uint64_t lo = (uintptr_t)__stack_bottom, hi = (uintptr_t)__stack_top;
	uint64_t fp = f->x[8], prev = 0, ra = f->x[1];
	unsigned int n = 1;

	plat_puts("Backtrace:\n");
	report_frame(t, 0, f->sepc, 0, 16);

	/* The interrupted function: a leaf's return address is still in ra. */
	if (record_ok(fp, prev)) {
		uint64_t slot = ((const uint64_t *)(uintptr_t)fp)[-1];

		if (slot >= lo && slot <= hi) {
			/*
			 * GCC leaf: s0 - 8 holds the caller's s0, a stack
			 * address (kernel_main's is __stack_top itself).
			 */
			report_frame(t, n++, ra, KSYM_CALL_BACK, 16);
			prev = fp;
			fp = slot;
		} else if (ra != slot && known(t, ksym_call_site(ra)) &&
			   !same_symbol(t, ksym_call_site(ra), f->sepc)) {
			/* s0 is already (or still) the caller's. */
			report_frame(t, n++, ra, KSYM_CALL_BACK, 16);
		}
	}

	report_records(t, n, fp, prev, 16, 16, 16);
}

void riscv64_trap_report(const struct exception_frame *f)
{
	struct ksym_table table;
	const struct ksym_table *t;

	plat_puts("\n*** ");
	plat_puts(cause_name(f->scause));
	plat_puts(" (scause ");
	report_hex(f->scause);
	plat_puts(")\n");
	t = report_table(&table);
	plat_puts("sepc: ");
	plat_puthex(f->sepc, 16);
	report_sym(t, f->sepc, 0, 0);
	plat_puts("\nscause: ");
	plat_puthex(f->scause, 16);
	plat_puts("\nstval: ");
	plat_puthex(f->stval, 16);
	if (stval_is_addr(f->scause))
		report_sym(t, f->stval, 0, 1);
	else if (f->scause == SCAUSE_ILLEGAL)
		plat_puts(" (the instruction's bits)");
	plat_puts("\nsstatus: ");
	plat_puthex(f->sstatus, 16);
	plat_puts(f->sstatus & SSTATUS_SPP ? " (from S-mode)\n" : " (from U-mode)\n");

	for (unsigned int i = 1; i < 32; i++) {
		plat_puts(i % 4 == 1 ? "" : " ");
		plat_puts(reg_names[i]);
		plat_puts(": ");
		plat_puthex(f->x[i], 16);
		plat_puts(i % 4 == 0 || i == 31 ? "\n" : "");
	}
	backtrace(t, f);
}

/* The length of the instruction at pc: 2 when compressed (low bits not 11). */
static uint64_t insn_len(uint64_t pc)
{
	return (*(const volatile uint16_t *)(uintptr_t)pc & 3) == 3 ? 4 : 2;
}

void riscv64_handle_trap(struct exception_frame *f)
{
	report_enter("sepc", f->sepc, 16);
	riscv64_trap_report(f);
	if (f->scause == SCAUSE_BREAKPOINT) {
		uint64_t len = insn_len(f->sepc);

		plat_puts(len == 2 ? "ebreak: resuming after it (c.ebreak, sepc + 2)\n" :
			  "ebreak: resuming after it (sepc + 4)\n");
		f->sepc += len;
		report_leave();
		return;
	}
	kernel_exception_fatal();
}
