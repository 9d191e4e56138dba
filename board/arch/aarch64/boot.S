/* SPDX-License-Identifier: MIT */
/*
 * Entry point.  QEMU enters _start at EL1 (or at EL2 with
 * -M virt,virtualization=on, or on raspi3b; at EL3 on raspi3b with an ELF
 * kernel: drop to EL1 first, through EL2, which every core with EL3 here
 * has), MMU and caches off.  Where every core runs _start (raspi3b with an
 * ELF kernel: no spin-table stub), only the one with MPIDR_EL1.Aff0 == 0
 * goes on; the others wait for an event forever.
 * Set up SCTLR_EL1 (with the data byte order the kernel was built for,
 * before the first data access), then go to aarch64_early: early.S, which
 * has nothing to do for a kernel that runs where it is loaded, or a
 * board's own (virt-higherhalf turns the MMU on there).  It goes on to
 * aarch64_start_kernel, in .text, at the addresses the kernel runs at: the
 * stack and .bss, the vector table, then kernel_main with a zero frame
 * record so backtraces end there.
 */
#include "asm_macros.h"

#define CURRENTEL_EL2		(2 << 2)
#define CURRENTEL_EL3		(3 << 2)
#define MPIDR_AFF0		0xff
#define SCR_EL3_NS_RW		0x431		/* NS, RES1 (bits 4, 5), lower ELs AArch64 */
#define SPSR_EL2H_MASKED	0x3c9		/* DAIF masked, EL2 with SP_EL2 */
#define HCR_EL2_RW		(1 << 31)	/* EL1 is AArch64 */
#define SPSR_EL1H_MASKED	0x3c5		/* DAIF masked, EL1 with SP_EL1 */
#define SCTLR_EL1_RES1		0x30d00800	/* MMU, caches, alignment check off */
#ifdef __AARCH64EB__
#define SCTLR_EL1_ENDIAN	(3 << 24)	/* EE, E0E: data big-endian (virt-be) */
#else
#define SCTLR_EL1_ENDIAN	0
#endif
#define SCTLR_EL1_VALUE		(SCTLR_EL1_RES1 | SCTLR_EL1_ENDIAN)

	.section .text.boot, "ax"

FUNCTION(_start)
	mrs	x0, mpidr_el1
	tst	x0, #MPIDR_AFF0
	b.ne	5f
	mrs	x0, CurrentEL
	cmp	x0, #CURRENTEL_EL3
	b.ne	0f
	mov	x0, #SCR_EL3_NS_RW
	msr	scr_el3, x0
	mov	x0, #SPSR_EL2H_MASKED
	msr	spsr_el3, x0
	adr	x0, 0f
	msr	elr_el3, x0
	eret

0:	mrs	x0, CurrentEL
	cmp	x0, #CURRENTEL_EL2
	b.ne	1f
	mov	x0, #HCR_EL2_RW
	msr	hcr_el2, x0
	mov	x0, #SPSR_EL1H_MASKED
	msr	spsr_el2, x0
	adr	x0, 1f
	msr	elr_el2, x0
	eret

1:	mov	x0, #(SCTLR_EL1_VALUE & 0xffff)
	movk	x0, #(SCTLR_EL1_VALUE >> 16), lsl #16
	msr	sctlr_el1, x0
	isb
	b	aarch64_early

5:	wfe
	b	5b
END_FUNCTION(_start)

	.text

FUNCTION(aarch64_start_kernel)
	adrp	x0, __stack_top
	add	x0, x0, :lo12:__stack_top
	mov	sp, x0

	adrp	x0, __bss_start
	add	x0, x0, :lo12:__bss_start
	adrp	x1, __bss_end
	add	x1, x1, :lo12:__bss_end
2:	cmp	x0, x1
	b.hs	3f
	stp	xzr, xzr, [x0], #16
	b	2b

3:	adrp	x0, aarch64_vectors
	add	x0, x0, :lo12:aarch64_vectors
	msr	vbar_el1, x0
	isb

	mov	x29, xzr
	mov	x30, xzr
	bl	kernel_main
	bl	plat_system_off
4:	wfi
	b	4b
END_FUNCTION(aarch64_start_kernel)

	.section .note.GNU-stack, "", %progbits
