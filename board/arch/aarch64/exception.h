/* SPDX-License-Identifier: MIT */
/*
 * Exception reports with symbol names from the ksympatch table: registers,
 * the exception class in words and a frame-pointer backtrace, over the
 * console of board/common/plat.h.  Needs frame pointers in the kernel
 * (-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer
 * -fno-optimize-sibling-calls) for a complete backtrace.
 */
#ifndef EXCEPTION_H
#define EXCEPTION_H

#include "exception_frame.h"

/*
 * Called by vectors.S with the saved frame and the vector index
 * (0..15).  Prints the report.  Returns only after a BRK, with ELR_EL1
 * moved past it; anything else ends in kernel_exception_fatal().  An
 * exception inside the handler prints one line and powers off.
 */
void aarch64_handle_exception(struct exception_frame *f, unsigned int index);

/* The report on its own. */
void aarch64_exception_report(const struct exception_frame *f, unsigned int index);

/* Provided by the kernel: runs after the report of a fatal exception. */
__attribute__((noreturn)) void kernel_exception_fatal(void);

#endif /* EXCEPTION_H */
