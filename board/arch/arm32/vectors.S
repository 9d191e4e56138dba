/* SPDX-License-Identifier: MIT */
/*
 * The PL1 vector table and the exception entry, in Thumb-2 (boot.S sets
 * SCTLR.TE, so the CPU enters the table in Thumb state; every slot is one
 * 4-byte b.w).
 *
 * Strategy: one stack.  Each entry moves its banked LR (made the faulting
 * instruction's address) and SPSR onto the SVC stack with SRS and switches
 * to SVC mode, where the interrupted code's SP and LR are the current ones
 * (the kernel runs in SVC mode only): no abort or undefined-mode stack to
 * set up, and a fault inside the handler stacks below the handler's own
 * frame.  There it pushes r0-r12 and lr, reads the fault status and
 * address registers of its kind, and arm32_exception_entry completes
 * struct exception_frame (exception_frame.h) and calls
 * arm32_handle_exception(frame) on an 8-byte aligned stack.  If that
 * returns, the frame (with any change the handler made to its PC) is
 * restored and RFE returns to the interrupted code.  (An SVC taken in
 * SVC mode overwrites LR itself: its report shows LR equal to PC.)
 */
#include "asm_macros_thumb.h"
#include "exception_frame.h"

#define PSR_MODE_SVC		0x13
#define PSR_T			(1 << 5)

	.syntax	unified
	.thumb

/*
 * One entry.  adjust: what to take from the banked LR to get the faulting
 * instruction, the preferred return address (data abort 8, prefetch abort
 * 4, IRQ/FIQ 4, SVC 0: the next instruction); the undefined-instruction
 * entry, which needs the SPSR's T bit for it, is written out below.
 * fault_regs: which fault status and address registers to read, dfsr
 * (DFSR, DFAR), ifsr (IFSR, IFAR) or none.
 */
	.macro	ENTRY name, kind, adjust, fault_regs
FUNCTION(\name)
	NO_UNWIND
	.if	\adjust
	sub	lr, lr, #\adjust
	.endif
	srsdb	sp!, #PSR_MODE_SVC
	cps	#PSR_MODE_SVC
	push	{r0-r12, lr}
	.ifc	\fault_regs, dfsr
	mrc	p15, 0, r0, c5, c0, 0		/* DFSR */
	mrc	p15, 0, r1, c6, c0, 0		/* DFAR */
	.else
	.ifc	\fault_regs, ifsr
	mrc	p15, 0, r0, c5, c0, 1		/* IFSR */
	mrc	p15, 0, r1, c6, c0, 2		/* IFAR */
	.else
	movs	r0, #0
	movs	r1, #0
	.endif
	.endif
	movs	r2, #\kind
	b	arm32_exception_entry
	END_NO_UNWIND
END_FUNCTION(\name)
	.endm

	.text
	.balign	32
FUNCTION(arm32_vectors)
	NO_UNWIND
	b.w	arm32_vec_reset
	b.w	arm32_vec_undef
	b.w	arm32_vec_svc
	b.w	arm32_vec_pabort
	b.w	arm32_vec_dabort
	b.w	arm32_vec_hyp
	b.w	arm32_vec_irq
	b.w	arm32_vec_fiq
	END_NO_UNWIND
END_FUNCTION(arm32_vectors)

	ENTRY	arm32_vec_reset, EXC_RESET, 0, none
	ENTRY	arm32_vec_svc, EXC_SVC, 0, none
	ENTRY	arm32_vec_pabort, EXC_PABORT, 4, ifsr
	ENTRY	arm32_vec_dabort, EXC_DABORT, 8, dfsr
	ENTRY	arm32_vec_hyp, EXC_HYP, 0, none
	ENTRY	arm32_vec_irq, EXC_IRQ, 4, none
	ENTRY	arm32_vec_fiq, EXC_FIQ, 4, none

/*
 * The undefined instruction is 2 bytes before the banked LR in Thumb
 * state, 4 in ARM state: fix the stacked PC once the frame is there.
 */
FUNCTION(arm32_vec_undef)
	NO_UNWIND
	srsdb	sp!, #PSR_MODE_SVC
	cps	#PSR_MODE_SVC
	push	{r0-r12, lr}
	ldr	r0, [sp, #(EXC_FRAME_SPSR - EXC_FRAME_R0)]
	ldr	r1, [sp, #(EXC_FRAME_PC - EXC_FRAME_R0)]
	tst	r0, #PSR_T
	ite	ne
	subne	r1, r1, #2
	subeq	r1, r1, #4
	str	r1, [sp, #(EXC_FRAME_PC - EXC_FRAME_R0)]
	movs	r0, #0
	movs	r1, #0
	movs	r2, #EXC_UNDEF
	b	arm32_exception_entry
	END_NO_UNWIND
END_FUNCTION(arm32_vec_undef)

/* r0-r12, lr, PC and SPSR are stacked; r0 = FSR, r1 = FAR, r2 = kind. */
FUNCTION(arm32_exception_entry)
	NO_UNWIND
	add	r3, sp, #(EXC_FRAME_SIZE - EXC_FRAME_R0)	/* SP before */
	push	{r0-r3}
	mov	r0, sp
	mov	r4, sp			/* callee-saved: the frame */
	bic	r1, r4, #7		/* the AAPCS wants SP 8-byte aligned */
	mov	sp, r1
	bl	arm32_handle_exception

	mov	sp, r4
	add	sp, sp, #EXC_FRAME_R0
	pop	{r0-r12, lr}
	rfeia	sp!
	END_NO_UNWIND
END_FUNCTION(arm32_exception_entry)

	.section .note.GNU-stack, "", %progbits
