/* SPDX-License-Identifier: MIT */
/*
 * One step of an ARM EHABI unwind (the "Exception Handling ABI for the ARM
 * Architecture", IHI 0038): from a function's registers to its caller's,
 * by the unwind instructions in .ARM.exidx/.ARM.extab.  Pure logic over
 * the tables and the stack it is given: no console, no linker symbols, so
 * it can be checked apart from a boot.  Safe to call from an exception
 * handler: every table entry and stack word is checked against the bounds
 * before it is read.
 */
#ifndef UNWIND_H
#define UNWIND_H

#include <stdint.h>

/* Where the walk may read. */
struct arm32_unwind_bounds {
	const uint32_t *exidx, *exidx_end;	/* sorted {fn prel31, data} pairs */
	const uint32_t *extab, *extab_end;
	uint32_t stack_lo, stack_hi;		/* [lo, hi) */
};

/* The core registers of one frame: r[13] sp, r[14] lr, r[15] pc. */
struct arm32_unwind_regs {
	uint32_t r[16];
};

/*
 * Unwind one frame: s->r[15] is in the function to unwind (the faulting
 * instruction if at_fault, else a return address whose call instruction
 * is looked up 2 bytes before it); on success *s holds the caller's
 * registers, r[15] its return address with the Thumb bit cleared.
 * Returns 0, or -1 when there is no caller to go to (and *s is then
 * undefined): no unwind entry, an entry that says "cannot unwind", an
 * instruction we do not know, a read outside the bounds, or a step that
 * does not move up the stack.
 */
int arm32_unwind_frame(const struct arm32_unwind_bounds *b, struct arm32_unwind_regs *s,
		       int at_fault);

#endif /* UNWIND_H */
