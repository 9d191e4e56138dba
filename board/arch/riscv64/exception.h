/* SPDX-License-Identifier: MIT */
/*
 * S-mode trap reports with symbol names from the ksympatch table: the
 * cause in words, the supervisor CSRs, x1..x31 by ABI name and a
 * frame-pointer backtrace, over the console of board/common/plat.h.  Needs
 * frame pointers in the kernel (-fno-omit-frame-pointer
 * -fno-optimize-sibling-calls) for a complete backtrace.
 */
#ifndef EXCEPTION_H
#define EXCEPTION_H

#include "exception_frame.h"

/*
 * Called by trap.S with the saved frame.  Prints the report.  Returns only
 * after an ebreak, with sepc moved past it; anything else ends in
 * kernel_exception_fatal().  A trap inside the handler prints one line and
 * powers off.
 */
void riscv64_handle_trap(struct exception_frame *f);

/* The report on its own. */
void riscv64_trap_report(const struct exception_frame *f);

/* Provided by the kernel: runs after the report of a fatal exception. */
__attribute__((noreturn)) void kernel_exception_fatal(void);

#endif /* EXCEPTION_H */
