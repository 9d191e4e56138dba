/* SPDX-License-Identifier: MIT */
/*
 * Entry point.  QEMU's default firmware, OpenSBI (fw_dynamic, -bios
 * default), runs in M-mode and enters _start in S-mode, MMU off (satp 0),
 * with a0 = hart id and a1 = the device tree, which we do not need.  Mask
 * interrupts, turn the FPU off (sstatus.FS = Off: the kernel keeps no FP
 * state, so an FP instruction must trap rather than go unnoticed), set up
 * the stack and .bss, install the trap entry, then run kernel_main with
 * s0 = ra = 0 so backtraces end there.  gp is left alone: nothing defines
 * __global_pointer$, so no code addresses data through it.
 */
#include "asm_macros.h"

#define SSTATUS_SIE	(1 << 1)
#define SSTATUS_FS	(3 << 13)

	.section .text.boot, "ax"

FUNCTION(_start)
	csrw	sie, zero
	csrci	sstatus, SSTATUS_SIE
	li	t0, SSTATUS_FS
	csrc	sstatus, t0
	la	sp, __stack_top

	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	sd	zero, 8(t0)
	addi	t0, t0, 16
	j	1b

	/* Direct mode (stvec[1:0] = 0): every trap enters at the base. */
2:	la	t0, riscv64_trap_entry
	csrw	stvec, t0

	li	s0, 0
	li	ra, 0
	call	kernel_main
	call	plat_system_off
3:	wfi
	j	3b
END_FUNCTION(_start)

	.section .note.GNU-stack, "", %progbits
