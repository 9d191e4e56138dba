/* SPDX-License-Identifier: MIT */
/*
 * Exception reports with symbol names from the ksympatch table: the
 * faulting PC and LR, SPSR, the fault status and address registers by
 * name, r0-r12, and a backtrace that walks the EHABI unwind tables
 * (unwind.h), over the console of board/common/plat.h.
 */
#ifndef EXCEPTION_H
#define EXCEPTION_H

#include "exception_frame.h"

/*
 * Called by vectors.S, in SVC mode, with the saved frame.  Prints the
 * report.  Returns only after a BKPT (a Prefetch Abort, debug event), with
 * the frame's PC moved past it; anything else ends in
 * kernel_exception_fatal().  An exception inside the handler prints one
 * line and powers off.
 */
void arm32_handle_exception(struct exception_frame *f);

/* The report on its own. */
void arm32_exception_report(const struct exception_frame *f);

/* Provided by the kernel: runs after the report of a fatal exception. */
__attribute__((noreturn)) void kernel_exception_fatal(void);

#endif /* EXCEPTION_H */
