/* SPDX-License-Identifier: MIT */
/*
 * Entry point of the higher-half kernel.  QEMU loads the image by its
 * program headers' physical addresses and enters _start (e_entry, also
 * physical) at EL1, or at EL2 with -M virt,virtualization=on (drop to EL1
 * first), MMU and caches off.
 *
 * Strategy: two stages.  _start, in .text.boot, is linked where it runs
 * (VMA = LMA = 0x40080000): it touches no memory but its own page tables,
 * turns the MMU on with the static tables below (TTBR0: identity map of
 * devices and RAM; TTBR1: the kernel's window, platform_def.h) and jumps to
 * _start_high's higher-half address, an absolute literal: it holds for any
 * distance between the halves (adrp reaches only +-4 GiB).  Its own tables
 * it finds with adrp, which yields the link address, here the physical one.
 * _start_high, in .text like the rest of the kernel, sets the
 * stack, clears .bss and installs the vector table through higher-half
 * addresses, and runs kernel_main with a zero frame record so backtraces
 * end there.
 */
#include "asm_macros.h"
#include "mmu.h"
#include "platform_def.h"

#define CURRENTEL_EL2		(2 << 2)
#define HCR_EL2_RW		(1 << 31)	/* EL1 is AArch64 */
#define SPSR_EL1H_MASKED	0x3c5		/* DAIF masked, EL1 with SP_EL1 */
#define SCTLR_EL1_RES1		0x30d00800	/* MMU, caches, alignment check off */

/*
 * The linker script repeats the layout (it cannot include this header);
 * these absolute symbols let it ASSERT that both agree.  Absolute symbols
 * stay out of the table ksympatch builds.
 */
	.global	virt_hh_load_addr, virt_hh_virt_offset
	.set	virt_hh_load_addr, PLAT_KERNEL_LOAD_ADDR
	.set	virt_hh_virt_offset, PLAT_KERNEL_VIRT_OFFSET

	.section .text.boot, "ax"

FUNCTION(_start)
	mrs	x0, CurrentEL
	cmp	x0, #CURRENTEL_EL2
	b.ne	1f
	mov	x0, #HCR_EL2_RW
	msr	hcr_el2, x0
	mov	x0, #SPSR_EL1H_MASKED
	msr	spsr_el2, x0
	adr	x0, 1f
	msr	elr_el2, x0
	eret

	/* Little-endian, MMU off: a known state for aarch64_mmu_enable. */
1:	mov	x0, #(SCTLR_EL1_RES1 & 0xffff)
	movk	x0, #(SCTLR_EL1_RES1 >> 16), lsl #16
	msr	sctlr_el1, x0
	isb

	/* The tables are in .rodata.boot, linked 1:1: adrp gives physical addresses. */
	adrp	x0, virt_hh_ttbr0_l1
	adrp	x1, virt_hh_ttbr1_l1
	ldr	x2, =MMU_TCR_VALUE
	bl	aarch64_mmu_enable

	ldr	x0, =_start_high
	br	x0
	.ltorg
END_FUNCTION(_start)

/*
 * One level-1 table per half, each a single page of 1 GiB blocks; entries
 * not written here are zero, invalid, and fault.
 */
	.section .rodata.boot, "a"
	.balign	4096
	.type	virt_hh_ttbr0_l1, %object
virt_hh_ttbr0_l1:
	.org	virt_hh_ttbr0_l1 + MMU_L1_INDEX(PLAT_DEVICE_BASE) * 8
	.quad	MMU_L1_BLOCK(PLAT_DEVICE_BASE, MMU_L1_DEVICE)
	.org	virt_hh_ttbr0_l1 + MMU_L1_INDEX(PLAT_RAM_BASE) * 8
	.quad	MMU_L1_BLOCK(PLAT_RAM_BASE, MMU_L1_NORMAL)
	.org	virt_hh_ttbr0_l1 + MMU_L1_ENTRIES * 8
	.size	virt_hh_ttbr0_l1, . - virt_hh_ttbr0_l1

	.type	virt_hh_ttbr1_l1, %object
virt_hh_ttbr1_l1:
	.org	virt_hh_ttbr1_l1 + MMU_L1_INDEX(PLAT_KERNEL_VIRT_BASE) * 8
	.quad	MMU_L1_BLOCK(PLAT_RAM_BASE, MMU_L1_NORMAL)
	.org	virt_hh_ttbr1_l1 + MMU_L1_ENTRIES * 8
	.size	virt_hh_ttbr1_l1, . - virt_hh_ttbr1_l1

	.text

/* Running at the higher-half address: from here on adrp gives those. */
FUNCTION(_start_high)
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
END_FUNCTION(_start_high)

	.section .note.GNU-stack, "", %progbits
