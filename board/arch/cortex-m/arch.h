/* SPDX-License-Identifier: MIT */
/* What the demo kernel (board/common/main.c) needs to know of Cortex-M. */
#ifndef ARCH_H
#define ARCH_H

#include <stdint.h>

#define ARCH_NAME	"cortex-m"
/* 16-bit encodings on every M profile, so the report's PC is the instruction itself. */
#define ARCH_UNDEF()	__asm__ volatile("udf #0")
#define ARCH_BREAK()	__asm__ volatile("bkpt #0x12")

/*
 * Mainline (ARMv7-M, ARMv8-M Main): configurable faults and their status
 * registers.  ARMv6-M and ARMv8-M Baseline have HardFault only.
 */
#if __ARM_ARCH_ISA_THUMB >= 2
#define CORTEXM_MAINLINE	1
#else
#define CORTEXM_MAINLINE	0
#endif

/*
 * Where a function's code starts: a Thumb code pointer (a function
 * pointer, a vector entry, a stacked LR) has bit 0 set, its symbol in the
 * table does not.  (To be replaced by the runtime's own helper in
 * <ksym/ksym.h> once it has one.)
 */
#define ARCH_CODE_ADDR(fn)	((uintptr_t)(fn) & ~(uintptr_t)1)

#endif /* ARCH_H */
