/* SPDX-License-Identifier: MIT */
/*
 * The EL1 vector table.  Each of the 16 entries saves x0/x1, puts its
 * index (0..15) in x1 and branches to aarch64_exception_entry, which saves
 * the rest of struct exception_frame (exception_frame.h), links a
 * frame record {x29, ELR_EL1} into x29 and calls
 * aarch64_handle_exception(frame, index).  If that returns, the frame
 * (with any change the handler made to ELR_EL1) is restored and we eret.
 */
#include "asm_macros.h"
#include "exception_frame.h"

	.macro	VECTOR name, index
	.org	aarch64_vectors + \index * 0x80
FUNCTION(\name)
	sub	sp, sp, #EXC_FRAME_SIZE
	stp	x0, x1, [sp, #EXC_FRAME_X(0)]
	mov	x1, #\index
	b	aarch64_exception_entry
END_FUNCTION(\name)
	.endm

	.text
	.balign	2048
FUNCTION(aarch64_vectors)
	VECTOR	aarch64_vec_el1_sp0_sync, 0
	VECTOR	aarch64_vec_el1_sp0_irq, 1
	VECTOR	aarch64_vec_el1_sp0_fiq, 2
	VECTOR	aarch64_vec_el1_sp0_serror, 3
	VECTOR	aarch64_vec_el1_spx_sync, 4
	VECTOR	aarch64_vec_el1_spx_irq, 5
	VECTOR	aarch64_vec_el1_spx_fiq, 6
	VECTOR	aarch64_vec_el1_spx_serror, 7
	VECTOR	aarch64_vec_el0_a64_sync, 8
	VECTOR	aarch64_vec_el0_a64_irq, 9
	VECTOR	aarch64_vec_el0_a64_fiq, 10
	VECTOR	aarch64_vec_el0_a64_serror, 11
	VECTOR	aarch64_vec_el0_a32_sync, 12
	VECTOR	aarch64_vec_el0_a32_irq, 13
	VECTOR	aarch64_vec_el0_a32_fiq, 14
	VECTOR	aarch64_vec_el0_a32_serror, 15
	.org	aarch64_vectors + 16 * 0x80
END_FUNCTION(aarch64_vectors)

/* x0/x1 are saved and x1 holds the vector index. */
FUNCTION(aarch64_exception_entry)
	stp	x2, x3, [sp, #EXC_FRAME_X(2)]
	stp	x4, x5, [sp, #EXC_FRAME_X(4)]
	stp	x6, x7, [sp, #EXC_FRAME_X(6)]
	stp	x8, x9, [sp, #EXC_FRAME_X(8)]
	stp	x10, x11, [sp, #EXC_FRAME_X(10)]
	stp	x12, x13, [sp, #EXC_FRAME_X(12)]
	stp	x14, x15, [sp, #EXC_FRAME_X(14)]
	stp	x16, x17, [sp, #EXC_FRAME_X(16)]
	stp	x18, x19, [sp, #EXC_FRAME_X(18)]
	stp	x20, x21, [sp, #EXC_FRAME_X(20)]
	stp	x22, x23, [sp, #EXC_FRAME_X(22)]
	stp	x24, x25, [sp, #EXC_FRAME_X(24)]
	stp	x26, x27, [sp, #EXC_FRAME_X(26)]
	stp	x28, x29, [sp, #EXC_FRAME_X(28)]
	add	x2, sp, #EXC_FRAME_SIZE
	stp	x30, x2, [sp, #EXC_FRAME_X(30)]		/* x30, SP */
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #EXC_FRAME_ELR]
	mrs	x3, esr_el1
	mrs	x4, far_el1
	stp	x3, x4, [sp, #EXC_FRAME_ESR]
	stp	x29, x2, [sp, #EXC_FRAME_RECORD]	/* {x29, ELR} */
	add	x29, sp, #EXC_FRAME_RECORD

	mov	x0, sp
	bl	aarch64_handle_exception

	ldp	x2, x3, [sp, #EXC_FRAME_ELR]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	ldp	x0, x1, [sp, #EXC_FRAME_X(0)]
	ldp	x2, x3, [sp, #EXC_FRAME_X(2)]
	ldp	x4, x5, [sp, #EXC_FRAME_X(4)]
	ldp	x6, x7, [sp, #EXC_FRAME_X(6)]
	ldp	x8, x9, [sp, #EXC_FRAME_X(8)]
	ldp	x10, x11, [sp, #EXC_FRAME_X(10)]
	ldp	x12, x13, [sp, #EXC_FRAME_X(12)]
	ldp	x14, x15, [sp, #EXC_FRAME_X(14)]
	ldp	x16, x17, [sp, #EXC_FRAME_X(16)]
	ldp	x18, x19, [sp, #EXC_FRAME_X(18)]
	ldp	x20, x21, [sp, #EXC_FRAME_X(20)]
	ldp	x22, x23, [sp, #EXC_FRAME_X(22)]
	ldp	x24, x25, [sp, #EXC_FRAME_X(24)]
	ldp	x26, x27, [sp, #EXC_FRAME_X(26)]
	ldp	x28, x29, [sp, #EXC_FRAME_X(28)]
	ldr	x30, [sp, #EXC_FRAME_X(30)]
	add	sp, sp, #EXC_FRAME_SIZE
	eret
END_FUNCTION(aarch64_exception_entry)

	.section .note.GNU-stack, "", %progbits
