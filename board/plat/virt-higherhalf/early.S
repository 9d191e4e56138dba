/* SPDX-License-Identifier: MIT */
/*
 * The early hook of the higher-half kernel (board/arch/aarch64/boot.S has
 * parked the other cores, dropped to EL1 and left SCTLR_EL1 little-endian
 * with the MMU off).  QEMU loads the image by its program headers'
 * physical addresses and enters _start (e_entry, also physical).
 *
 * Strategy: aarch64_early, in .text.boot, is linked where it runs (VMA =
 * LMA = 0x4008....): it touches no memory but its own page tables, turns
 * the MMU on with the static tables below (TTBR0: identity map of devices
 * and RAM; TTBR1: the kernel's window, platform_def.h) and jumps to
 * aarch64_start_kernel's higher-half address, an absolute literal: it
 * holds for any distance between the halves (adrp reaches only +-4 GiB).
 * Its own tables it finds with adrp, which yields the link address, here
 * the physical one.  From aarch64_start_kernel on (stack, .bss, vectors,
 * kernel_main), everything runs at higher-half addresses.
 */
#include "asm_macros.h"
#include "mmu.h"
#include "platform_def.h"

/*
 * The linker script repeats the layout (it cannot include this header);
 * these absolute symbols let it ASSERT that both agree.  Absolute symbols
 * stay out of the table ksympatch builds.
 */
	.global	virt_hh_load_addr, virt_hh_virt_offset
	.set	virt_hh_load_addr, PLAT_KERNEL_LOAD_ADDR
	.set	virt_hh_virt_offset, PLAT_KERNEL_VIRT_OFFSET

	.section .text.boot, "ax"

FUNCTION(aarch64_early)
	/* The tables are in .rodata.boot, linked 1:1: adrp gives physical addresses. */
	adrp	x0, virt_hh_ttbr0_l1
	adrp	x1, virt_hh_ttbr1_l1
	ldr	x2, =MMU_TCR_VALUE
	bl	aarch64_mmu_enable

	ldr	x0, =aarch64_start_kernel
	br	x0
	.ltorg
END_FUNCTION(aarch64_early)

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


	.section .note.GNU-stack, "", %progbits
