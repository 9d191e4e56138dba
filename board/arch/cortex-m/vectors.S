/* SPDX-License-Identifier: MIT */
/*
 * The vector table, the reset handler and the exception entry of a
 * Cortex-M firmware, in instructions every M profile has (ARMv6-M's
 * Thumb subset), so one file serves M0 to M33.
 *
 * Strategy: the table sits at the reset address in flash (the linker
 * script puts .vectors first): the initial MSP, then _start, then one
 * entry for every other exception and the board's PLAT_NUM_IRQS
 * interrupts.  _start copies .data from flash (its LMA) to RAM and zeroes
 * .bss, then runs kernel_main on the main stack (or on PSP, built with
 * -DCORTEXM_THREAD_PSP=BYTES).  Every other exception
 * goes to cortexm_exception_entry, which completes struct exception_frame
 * (exception_frame.h) below the core's own stacking: EXC_RETURN, the
 * address of the frame the core stacked (MSP or PSP, EXC_RETURN bit 2)
 * and r4-r11, and calls cortexm_handle_exception(frame).  When that
 * returns, r4-r11 come back and EXC_RETURN ends the exception, through
 * the stacked PC the handler may have changed.  _start and the entry
 * have EHABI "cannot unwind" entries, so backtraces end there.
 */
#include "asm_macros_thumb.h"
#include "exception_frame.h"
#include "platform_def.h"

	.syntax	unified
	.thumb

	.section .vectors, "a"
	.balign	128
	.global	cortexm_vectors
	.type	cortexm_vectors, %object
cortexm_vectors:
	.word	__stack_top
	.word	_start				/* a Thumb symbol: bit 0 is set */
	.rept	14 + PLAT_NUM_IRQS		/* NMI .. SysTick, then the IRQs */
	.word	cortexm_exception_entry
	.endr
	.size	cortexm_vectors, . - cortexm_vectors

	.section .text.boot, "ax"

FUNCTION(_start)
	NO_UNWIND
	ldr	r0, =__stack_top		/* as the table says; again after a debugger's reset */
	msr	msp, r0

	ldr	r0, =__data_start		/* .data: RAM, from its copy in flash */
	ldr	r1, =__data_end
	ldr	r2, =__data_load
1:	cmp	r0, r1
	bhs	2f
	ldr	r3, [r2]
	str	r3, [r0]
	adds	r0, r0, #4
	adds	r2, r2, #4
	b	1b

2:	ldr	r0, =__bss_start
	ldr	r1, =__bss_end
	movs	r2, #0
3:	cmp	r0, r1
	bhs	4f
	str	r2, [r0]
	adds	r0, r0, #4
	b	3b

4:	bl	cortexm_enable_faults
#ifdef CORTEXM_THREAD_PSP
	/*
	 * Thread mode on the process stack, as an RTOS task runs: PSP starts
	 * CORTEXM_THREAD_PSP bytes below the main stack's top, which stays
	 * the handlers' (board mps2-an385-psp).
	 */
	ldr	r0, =__stack_top - CORTEXM_THREAD_PSP
	msr	psp, r0
	movs	r0, #2				/* CONTROL.SPSEL */
	msr	control, r0
	isb
#endif
	movs	r7, #0				/* no caller's frame */
	bl	kernel_main
	bl	plat_system_off
5:	wfi
	b	5b
	.ltorg
	END_NO_UNWIND
END_FUNCTION(_start)

	.text

FUNCTION(cortexm_exception_entry)
	NO_UNWIND
	mov	r0, lr				/* EXC_RETURN */
	mrs	r1, msp				/* bit 2 clear: the core stacked on MSP */
	movs	r2, #4
	tst	r0, r2
	beq	1f
	mrs	r1, psp				/* ... set: on PSP */
1:	mov	r2, r10				/* r4-r11 above EXC_RETURN and the frame, in order */
	mov	r3, r11
	push	{r2, r3}
	mov	r2, r8
	mov	r3, r9
	push	{r2, r3}
	push	{r0, r1, r4-r7}
	mov	r0, sp				/* struct exception_frame */
	bl	cortexm_handle_exception
	pop	{r0, r1, r4-r7}
	pop	{r2, r3}
	mov	r8, r2
	mov	r9, r3
	pop	{r2, r3}
	mov	r10, r2
	mov	r11, r3
	bx	r0
	END_NO_UNWIND
END_FUNCTION(cortexm_exception_entry)

/*
 * Each unwind entry names the EHABI personality routine that would run it
 * (an R_ARM_NONE dependency on __aeabi_unwind_cpp_pr0/1/2, from both
 * compilers).  This firmware reads the entries itself (unwind.c) and
 * never calls one; the names only have to resolve.  Defined here, not
 * PROVIDEd by the linker script: a firmware that links libgcc.a would
 * otherwise get libgcc's unwinder for them, and its dependencies (abort).
 * Absolute, so they stay out of the symbol table ksympatch builds.
 */
	.global	__aeabi_unwind_cpp_pr0, __aeabi_unwind_cpp_pr1, __aeabi_unwind_cpp_pr2
	.set	__aeabi_unwind_cpp_pr0, 0
	.set	__aeabi_unwind_cpp_pr1, 0
	.set	__aeabi_unwind_cpp_pr2, 0

	.section .note.GNU-stack, "", %progbits
