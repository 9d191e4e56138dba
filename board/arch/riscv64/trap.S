/* SPDX-License-Identifier: MIT */
/*
 * The S-mode trap entry (stvec, direct mode: one entry for every
 * exception and interrupt).  We trap from S-mode to S-mode on the one
 * kernel stack, so there is no stack to switch and sscratch stays unused:
 * make room for struct exception_frame (exception_frame.h) below sp, save
 * x1..x31, the trap-time sp and sepc/scause/stval/sstatus, link a frame
 * record {s0, sepc} into s0 and call riscv64_handle_trap(frame).  If that
 * returns, the frame (with any change the handler made to sepc) is
 * restored and we sret.
 *
 * Not every exception is delegated to S-mode: OpenSBI v1.1 (QEMU 7.2's)
 * sets medeleg to 0xf0b509 (its banner prints it), which sends
 * breakpoints, misaligned fetches, ecalls from U-mode and page faults
 * here directly but keeps illegal instructions (scause 2) and access
 * faults (5, 7) in M-mode.  For a trap that came from S-mode its
 * sbi_trap_handler() then calls sbi_trap_redirect(): the illegal
 * instruction after its emulation of a few instructions gives up, the load
 * access fault at once.  That writes sepc, scause and stval (the faulting
 * address, or the instruction's bits) as the hardware would have, sets
 * sstatus.SPP/SPIE and mrets to stvec, so this entry sees the same frame
 * as for a delegated trap; `make run FAULT=dabort` and `FAULT=undef` show
 * it.
 */
#include "asm_macros.h"
#include "exception_frame.h"

	.text
	.balign	4	/* stvec's base must be 4-byte aligned */
FUNCTION(riscv64_trap_entry)
	addi	sp, sp, -EXC_FRAME_SIZE
	sd	x1, EXC_FRAME_X(1)(sp)
	.irp	n, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	sd	x\n, EXC_FRAME_X(\n)(sp)
	.endr
	sd	zero, EXC_FRAME_X(0)(sp)
	addi	t0, sp, EXC_FRAME_SIZE
	sd	t0, EXC_FRAME_X(2)(sp)		/* sp before the trap */
	csrr	t0, sepc
	csrr	t1, scause
	csrr	t2, stval
	csrr	t3, sstatus
	sd	t0, EXC_FRAME_SEPC(sp)
	sd	t1, EXC_FRAME_SCAUSE(sp)
	sd	t2, EXC_FRAME_STVAL(sp)
	sd	t3, EXC_FRAME_SSTATUS(sp)
	sd	s0, EXC_FRAME_RECORD(sp)	/* {s0, sepc} */
	sd	t0, EXC_FRAME_RECORD + 8(sp)
	addi	s0, sp, EXC_FRAME_SIZE

	mv	a0, sp
	call	riscv64_handle_trap

	ld	t0, EXC_FRAME_SEPC(sp)
	ld	t1, EXC_FRAME_SSTATUS(sp)
	csrw	sepc, t0
	csrw	sstatus, t1
	ld	x1, EXC_FRAME_X(1)(sp)
	.irp	n, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	ld	x\n, EXC_FRAME_X(\n)(sp)
	.endr
	addi	sp, sp, EXC_FRAME_SIZE
	sret
END_FUNCTION(riscv64_trap_entry)

	.section .note.GNU-stack, "", %progbits
