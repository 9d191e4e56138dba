/* SPDX-License-Identifier: MIT */
/*
 * The pieces every architecture's exception report (board/arch/ARCH/
 * exception.c) prints alike: the symbol-table preamble, " <sym+off/size>"
 * after an address, backtrace frame lines, code-to-text tables and the
 * guard against an exception inside the report.  The register layout, the
 * decoding of the cause and the backtrace walk stay with the architecture.
 *
 * Liftable: a kernel that copies one architecture's exception.c copies
 * report.c and this header with it.  They need only plat_puts(),
 * plat_puthex() and plat_system_off() (plat.h) and the ksym runtime.
 *
 * Safe to call from an exception handler: no allocation, no locks, only
 * the stack and the table that ksym_kernel_open() validated; no FP and no
 * 64-bit division (shifts only), so it builds without libgcc on 32-bit
 * targets, no division (ARMv6-M has no divide instruction) and 64-bit
 * shifts by constants only.
 */
#ifndef REPORT_H
#define REPORT_H

#include <stddef.h>
#include <stdint.h>

#include <ksym/ksym.h>

/*
 * Open the kernel's table into storage: storage when it is usable, else
 * NULL after printing "symbol table unusable: <why>\n".  The report then
 * goes on with raw addresses (report_sym() prints nothing for NULL).
 */
const struct ksym_table *report_table(struct ksym_table *storage);

/*
 * " <name+0xoff/0xsize>" for addr, looked up at addr - back (a return
 * address looks up its call: back is KSYM_CALL_BACK, see ksym_describe()).  Without a table: nothing.  When no symbol
 * contains it: " <unknown>", or nothing if quiet (a data address).
 */
void report_sym(const struct ksym_table *t, uint64_t addr, uint64_t back, int quiet);

/* A backtrace line: "  #n 0x<addr, digits wide> <sym>\n" (n < 100). */
void report_frame(const struct ksym_table *t, unsigned int n, uint64_t addr, uint64_t back,
		  unsigned int digits);

/* The most frames a backtrace prints. */
#define REPORT_MAX_FRAMES 32

/*
 * Frames n, n + 1, ... of a backtrace from the chain of frame records
 * that frame pointers make, then "End of backtrace": each record is
 * {previous fp, return address} at fp - below (AArch64 and x86: 0; RISC-V:
 * 16, below s0), fp a multiple of align (a power of two: a mask, as ARMv6-M
 * divides in libgcc), the record inside the stack
 * (__stack_bottom..__stack_top) and fp above the one before (the first
 * above prev: the frame pointer of a frame already printed, or 0); a zero
 * return address or REPORT_MAX_FRAMES ends it.  Return addresses are looked
 * up at their call and printed raw (report_frame()).
 */
void report_records(const struct ksym_table *t, unsigned int n, uintptr_t fp, uintptr_t prev, uintptr_t below,
		    uintptr_t align, unsigned int digits);

/* n < 100 in decimal. */
void report_dec(unsigned int n);

/*
 * How many hex digits v needs, at least one.  Shifts by a constant only:
 * a 64-bit shift by a variable is a library call on ARMv6-M.
 */
static inline unsigned int report_hex_digits(uint64_t v)
{
	unsigned int digits = 1;

	while (v >>= 4)
		digits++;
	return digits;
}

/* v in hex ("0x" and as many digits as it needs). */
void report_hex(uint64_t v);

/* A code and its text; tables of these are searched by report_text(). */
struct report_code {
	uint32_t code;
	const char *text;
};

/* The text of code in tab[0..n), or unknown. */
const char *report_text(const struct report_code *tab, size_t n, uint32_t code,
			const char *unknown);

#define REPORT_TEXT(tab, code, unknown) \
	report_text(tab, KSYM_ARRAY_SIZE(tab), code, unknown)

/*
 * The guard around a report.  report_enter() returns when no report is
 * under way; an exception inside one prints the single line
 * "\nnested exception, <pc_name>: 0x<pc, digits wide>\n" and powers off,
 * so a fault in the report cannot loop.  report_leave() ends a report
 * after which the interrupted code resumes (a breakpoint).
 */
void report_enter(const char *pc_name, uint64_t pc, unsigned int digits);
void report_leave(void);

#endif /* REPORT_H */
