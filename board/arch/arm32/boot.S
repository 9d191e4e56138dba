/* SPDX-License-Identifier: MIT */
/*
 * Entry point, in Thumb-2.  QEMU enters _start in SVC mode (or in HYP mode
 * with -M virt,virtualization=on: drop to SVC first), MMU and caches off,
 * in the state the entry address's bit 0 asks for.  Mask interrupts, set
 * SCTLR (SCTLR.TE: exceptions are taken in Thumb state, as the vectors
 * are written), the SVC stack and .bss, install the vector table in VBAR,
 * then run kernel_main.  _start has an EHABI "cannot unwind" entry, so
 * backtraces end there.
 */
#include "asm_macros_thumb.h"

#define PSR_MODE_MASK		0x1f
#define PSR_MODE_SVC		0x13
#define PSR_MODE_HYP		0x1a
#define PSR_T			(1 << 5)
#define PSR_AIF			(7 << 6)
#define SCTLR_M			(1 << 0)	/* MMU */
#define SCTLR_A			(1 << 1)	/* alignment check */
#define SCTLR_C			(1 << 2)	/* data cache */
#define SCTLR_I			(1 << 12)	/* instruction cache */
#define SCTLR_V			(1 << 13)	/* high vectors instead of VBAR */
#define SCTLR_EE		(1 << 25)	/* big-endian exceptions */
#define SCTLR_TE		(1 << 30)	/* exceptions in Thumb state */

	.syntax	unified
	.thumb
	.arch_extension virt

	.section .text.boot, "ax"

FUNCTION(_start)
	NO_UNWIND
	cpsid	aif
	mrs	r0, cpsr
	and	r0, r0, #PSR_MODE_MASK
	cmp	r0, #PSR_MODE_HYP
	bne	1f
	mov	r0, #(PSR_MODE_SVC | PSR_AIF | PSR_T)
	msr	spsr_cxsf, r0		/* HYP's own SPSR; SPSR_hyp is for MON */
	adr	r0, 1f
	msr	elr_hyp, r0
	eret

	.balign	4
1:	mrc	p15, 0, r0, c1, c0, 0
	bic	r0, r0, #(SCTLR_M | SCTLR_A | SCTLR_C)	/* one Thumb-2 immediate each */
	bic	r0, r0, #(SCTLR_I | SCTLR_V)
	bic	r0, r0, #SCTLR_EE
	orr	r0, r0, #SCTLR_TE
	mcr	p15, 0, r0, c1, c0, 0
	isb

	movw	r0, #:lower16:__stack_top
	movt	r0, #:upper16:__stack_top
	mov	sp, r0

	movw	r0, #:lower16:__bss_start
	movt	r0, #:upper16:__bss_start
	movw	r1, #:lower16:__bss_end
	movt	r1, #:upper16:__bss_end
	movs	r2, #0
	movs	r3, #0
2:	cmp	r0, r1
	bhs	3f
	stmia	r0!, {r2, r3}
	b	2b

	/* A Thumb symbol's address has bit 0 set; VBAR wants the table's. */
3:	movw	r0, #:lower16:arm32_vectors
	movt	r0, #:upper16:arm32_vectors
	bic	r0, r0, #1
	mcr	p15, 0, r0, c12, c0, 0
	isb

	movs	r7, #0
	bl	kernel_main
	bl	plat_system_off
4:	wfi
	b	4b
	END_NO_UNWIND
END_FUNCTION(_start)

	.section .note.GNU-stack, "", %progbits
