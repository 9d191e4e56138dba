/* SPDX-License-Identifier: MIT */
/*
 * The Cortex-M exception report (exception.c): the exception and the
 * interrupted mode and stack, the stacked PC, LR and xPSR with their
 * symbols, on ARMv7-M and ARMv8-M Mainline the fault status registers in
 * words (CFSR, HFSR, MMFAR and BFAR when valid), every core register, and
 * an EHABI backtrace of the interrupted code; over the console of
 * board/common/plat.h.
 */
#ifndef EXCEPTION_H
#define EXCEPTION_H

#include <stdint.h>

#include "exception_frame.h"

/*
 * Called by vectors.S for every exception but reset, on MSP, with the
 * frame it built.  Prints the report.  After a bkpt it moves the stacked
 * PC past it and returns, so the interrupted code carries on.  After any
 * other exception it rewrites the stacked PC to kernel_exception_fatal()
 * and returns: the exception ends and the fatal hook runs in the
 * interrupted mode, where a fault of its own is a new exception (reported
 * as nested) and not a lockup, as a HardFault inside HardFault would be.
 * An exception inside the report prints one line and powers off.
 */
void cortexm_handle_exception(struct exception_frame *f);

/* The report on its own. */
void cortexm_exception_report(const struct exception_frame *f);

/*
 * The bounds [*lo, *hi) of the stack the interrupted code ran on: the
 * process stack (PSP) if psp, else the main stack (MSP).  The report reads
 * the stacked frame and walks the backtrace only inside them.  The
 * default, a weak definition, gives __stack_bottom and __stack_top for
 * both; a firmware whose tasks run on PSP (an RTOS) defines its own, with
 * the current task's stack (FreeRTOS: pxCurrentTCB's stack and depth).
 * Called in the handler: it must not fault.
 */
void cortexm_stack_bounds(int psp, uint32_t *lo, uint32_t *hi);

/* Called once by the reset handler: MemManage, BusFault and UsageFault on (v7-M, v8-M). */
void cortexm_enable_faults(void);

/* Provided by the kernel: runs after the report of a fatal exception. */
__attribute__((noreturn)) void kernel_exception_fatal(void);

#endif /* EXCEPTION_H */
