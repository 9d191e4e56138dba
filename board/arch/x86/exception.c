/* SPDX-License-Identifier: MIT */
/*
 * The x86 exception report, one source for i386 and x86_64.  Strategy:
 * validate the symbol table once per report with ksym_kernel_open(); if it
 * is unusable, say why and print the same report with raw addresses only.
 * What every architecture prints alike is board/common/report.c; the
 * register frame is the architecture's exception_frame.h, whose fields
 * have the same names on both (ip, flags, bp, ...), so only the register
 * list and the names of the instruction pointer and flags differ here.
 *
 * The report names the vector (#PF Page fault), decodes the error code in
 * words (a page fault's present/write/user/fetch bits, a selector's table
 * and index), prints CR2 for a page fault, the instruction pointer with
 * its symbol, the flags, CS and SS and the general registers.
 *
 * The backtrace starts at the instruction pointer and follows the frame
 * pointer chain that GCC and clang keep with -fno-omit-frame-pointer (leaf
 * functions included, on x86): EBP/RBP points at the saved caller's frame
 * pointer, the return address is the word above it.  Each record is
 * checked before it is read: aligned (X86_FRAME_ALIGN), inside the stack
 * (__stack_bottom..__stack_top), strictly increasing, at most REPORT_MAX_FRAMES.
 * A return address is looked up at the call site (address - 1: a call is
 * 2 to 7 bytes and ends where the return address is) but printed raw.  The
 * boot code calls kernel_main with a zero frame pointer, which ends the
 * walk.
 *
 * The interrupted function needs care: GCC 12 keeps no frame in a leaf
 * function that does not touch the stack (-fno-omit-frame-pointer and
 * -mno-omit-leaf-frame-pointer notwithstanding), and a fault in a
 * prologue, before `push %rbp; mov %rsp, %rbp` has run, looks the same.
 * The frame pointer is then still the caller's, and the walk would skip
 * the caller.  So, with a usable table, the report reads the interrupted
 * function's first bytes: when it has no such prologue, or the fault is
 * before its end, the return address is on top of the trap-time stack
 * (one word up after the push), and it is taken if it returns into
 * another function of the table.  (A frameless leaf that pushes a
 * register first still hides its caller.)
 */
#include "exception.h"
#include "plat.h"
#include "report.h"

#define DIGITS		(2 * sizeof(uintptr_t))
#define WORD		sizeof(uintptr_t)

#define REG(name, field)	{ name, offsetof(struct exception_frame, field) }
static const struct reg {
	const char *name;
	size_t offset;
} regs[] = {
#ifdef __x86_64__
#define PC_NAME		"RIP"
#define FLAGS_NAME	"RFLAGS"
	REG("RAX", ax), REG("RBX", bx), REG("RCX", cx), REG("RDX", dx),
	REG("RSI", si), REG("RDI", di), REG("RBP", bp), REG("RSP", sp),
	REG(" R8", r8), REG(" R9", r9), REG("R10", r10), REG("R11", r11),
	REG("R12", r12), REG("R13", r13), REG("R14", r14), REG("R15", r15),
#else
#define PC_NAME		"EIP"
#define FLAGS_NAME	"EFLAGS"
	REG("EAX", ax), REG("EBX", bx), REG("ECX", cx), REG("EDX", dx),
	REG("ESI", si), REG("EDI", di), REG("EBP", bp), REG("ESP", sp),
#endif
};

static const struct report_code vector_names[] = {
	{ 0, "#DE Divide error" },
	{ 1, "#DB Debug" },
	{ 2, "NMI Non-maskable interrupt" },
	{ 3, "#BP Breakpoint" },
	{ 4, "#OF Overflow" },
	{ 5, "#BR BOUND range exceeded" },
	{ 6, "#UD Invalid opcode" },
	{ 7, "#NM Device not available" },
	{ 8, "#DF Double fault" },
	{ 9, "Coprocessor segment overrun" },
	{ 10, "#TS Invalid TSS" },
	{ 11, "#NP Segment not present" },
	{ 12, "#SS Stack-segment fault" },
	{ 13, "#GP General protection" },
	{ 14, "#PF Page fault" },
	{ 16, "#MF x87 floating-point error" },
	{ 17, "#AC Alignment check" },
	{ 18, "#MC Machine check" },
	{ 19, "#XM SIMD floating-point exception" },
	{ 20, "#VE Virtualization exception" },
	{ 21, "#CP Control protection" },
	{ 28, "#HV Hypervisor injection" },
	{ 29, "#VC VMM communication" },
	{ 30, "#SX Security exception" },
};

#define X86_VECTOR_TS	10
#define X86_VECTOR_NP	11
#define X86_VECTOR_SS	12
#define X86_VECTOR_GP	13
#define X86_VECTOR_PF	14

/* Page-fault error code bits (Intel SDM vol. 3, 4.7). */
#define PF_P		(1u << 0)	/* protection violation; clear: not present */
#define PF_W		(1u << 1)
#define PF_U		(1u << 2)
#define PF_RSVD		(1u << 3)
#define PF_I		(1u << 4)
#define PF_PK		(1u << 5)
#define PF_SS		(1u << 6)

/* Selector error code bits (#TS, #NP, #SS, #GP). */
#define SEL_EXT		(1u << 0)
#define SEL_IDT		(1u << 1)
#define SEL_LDT		(1u << 2)

static int has_error_code(uintptr_t vector)
{
	return vector < 32 && ((X86_ERROR_CODE_VECTORS >> vector) & 1);
}

static void put_page_fault_code(uintptr_t e)
{
	plat_puts(e & PF_P ? "protection violation" : "not present");
	plat_puts(e & PF_W ? ", write" : ", read");
	plat_puts(e & PF_U ? ", user" : ", supervisor");
	plat_puts(e & PF_I ? ", instruction fetch" : ", data");
	if (e & PF_RSVD)
		plat_puts(", reserved bit set");
	if (e & PF_PK)
		plat_puts(", protection key");
	if (e & PF_SS)
		plat_puts(", shadow stack");
}

static void put_selector_code(uintptr_t e)
{
	if (!e) {
		plat_puts("no selector");
		return;
	}
	plat_puts(e & SEL_IDT ? "IDT vector " : e & SEL_LDT ? "LDT selector " : "GDT selector ");
	report_hex(e & SEL_IDT ? (e & 0xffff) >> 3 : e & 0xfff8);
	if (e & SEL_EXT)
		plat_puts(", external event");
}

static void put_cause(const struct exception_frame *f)
{
	plat_puts(REPORT_TEXT(vector_names, (uint32_t)f->vector, "Reserved vector"));
	plat_puts(" (vector ");
	report_dec((unsigned int)f->vector);
	if (has_error_code(f->vector)) {
		plat_puts(", error code ");
		report_hex(f->error);
		if (f->vector == X86_VECTOR_PF) {
			plat_puts(": ");
			put_page_fault_code(f->error);
		} else if (f->vector >= X86_VECTOR_TS && f->vector <= X86_VECTOR_GP) {
			plat_puts(": ");
			put_selector_code(f->error);
		}
	}
	plat_puts(")");
}

/* Whether a symbol of the table contains addr; its start in *start. */
static int lookup(const struct ksym_table *t, uintptr_t addr, uintptr_t *start)
{
	struct ksym_symbol sym;

	if (!t || ksym_lookup_addr(t, addr, &sym) != KSYM_OK)
		return 0;
	*start = (uintptr_t)sym.start;
	return 1;
}

/* endbr32/endbr64, which -fcf-protection puts first in a function. */
static const uint8_t endbr[] = { 0xf3, 0x0f, 0x1e, 0xfa + (sizeof(uintptr_t) == 4) };
/* push %ebp; mov %esp, %ebp (i386) or push %rbp; mov %rsp, %rbp (x86_64). */
#ifdef __x86_64__
static const uint8_t prologue[] = { 0x55, 0x48, 0x89, 0xe5 };
#else
static const uint8_t prologue[] = { 0x55, 0x89, 0xe5 };
#endif

static int bytes_at(uintptr_t addr, const uint8_t *want, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (((const volatile uint8_t *)addr)[i] != want[i])
			return 0;
	return 1;
}

/*
 * The return address of an interrupted function that has no frame of its
 * own (yet), or 0 when it has one or none can be told (see the top).
 */
static uintptr_t frameless_return(const struct ksym_table *t, const struct exception_frame *f)
{
	uintptr_t lo = (uintptr_t)__stack_bottom, hi = (uintptr_t)__stack_top;
	uintptr_t start, code, slot = f->sp, ra, caller;

	if (!lookup(t, f->ip, &start))
		return 0;
	code = start + (bytes_at(start, endbr, sizeof(endbr)) ? sizeof(endbr) : 0);
	if (bytes_at(code, prologue, sizeof(prologue))) {
		if (f->ip > code + 1)
			return 0;	/* set up (between the epilogue's pop and ret, it skips the caller) */
		if (f->ip > code)
			slot += WORD;		/* after the push: one word up */
	}
	if (slot % WORD || slot < lo || slot > hi - WORD)
		return 0;
	ra = *(const uintptr_t *)slot;
	if (!lookup(t, ksym_call_site(ra), &caller) || caller == start)
		return 0;
	return ra;
}

static void backtrace(const struct ksym_table *t, const struct exception_frame *f)
{
	uintptr_t ra = frameless_return(t, f);
	unsigned int n = 1;

	plat_puts("Backtrace:\n");
	report_frame(t, 0, f->ip, 0, DIGITS);
	if (ra)
		report_frame(t, n++, ra, KSYM_CALL_BACK, DIGITS);
	report_records(t, n, f->bp, 0, 0, X86_FRAME_ALIGN, DIGITS);
}

void x86_exception_report(const struct exception_frame *f)
{
	struct ksym_table table;
	const struct ksym_table *t;

	plat_puts("\n*** ");
	put_cause(f);
	plat_puts(" in ring ");
	report_dec((unsigned int)(f->cs & 3));
	plat_puts("\n");
	t = report_table(&table);
	plat_puts(PC_NAME ": ");
	plat_puthex(f->ip, DIGITS);
	report_sym(t, f->ip, 0, 0);
	if (f->vector == X86_VECTOR_PF) {
		plat_puts("\nCR2: ");
		plat_puthex(f->cr2, DIGITS);
		report_sym(t, f->cr2, 0, 1);
		plat_puts(" (the faulting address)");
	}
	plat_puts("\n" FLAGS_NAME ": ");
	plat_puthex(f->flags, DIGITS);
	plat_puts("\nCS: ");
	plat_puthex(f->cs & 0xffff, 4);
	plat_puts("  SS: ");
	plat_puthex(f->ss & 0xffff, 4);
	plat_puts("\n");
	for (unsigned int i = 0; i < KSYM_ARRAY_SIZE(regs); i++) {
		plat_puts(i % 4 ? "  " : "");
		plat_puts(regs[i].name);
		plat_puts(": ");
		plat_puthex(*(const uintptr_t *)((const char *)f + regs[i].offset), DIGITS);
		plat_puts(i % 4 == 3 ? "\n" : "");
	}
	backtrace(t, f);
}

void x86_handle_exception(struct exception_frame *f)
{
	report_enter(PC_NAME, f->ip, DIGITS);
	x86_exception_report(f);
	if (f->vector == X86_VECTOR_BP) {
		/* A trap: the saved instruction pointer is already past the int3. */
		plat_puts("int3: resuming after it\n");
		report_leave();
		return;
	}
	kernel_exception_fatal();
}
