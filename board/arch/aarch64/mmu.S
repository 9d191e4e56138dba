/* SPDX-License-Identifier: MIT */
/*
 * aarch64_mmu_enable(ttbr0, ttbr1, tcr): load MAIR_EL1, TCR_EL1 and both
 * translation table base registers, drop stale TLB entries and
 * instructions, then set SCTLR_EL1.M, .C and .I (mmu.h).
 *
 * It lives in .text.boot because it runs with the MMU off, before the
 * kernel's own (virtual) addresses mean anything: a board links .text.boot
 * at its load address and maps it 1:1 through TTBR0, so the instruction
 * after the SCTLR_EL1 write is fetched through that identity mapping and
 * the return address, a physical one, stays valid.  The tables are static
 * data the loader wrote, never written by the CPU with the caches off, so
 * no cache maintenance on them is needed before cacheable walks read them.
 */
#include "asm_macros.h"
#include "mmu.h"

	.section .text.boot, "ax"

/* x0: TTBR0_EL1, x1: TTBR1_EL1, x2: TCR_EL1 without IPS.  Clobbers x3, x4. */
FUNCTION(aarch64_mmu_enable)
	/* The output size is what this CPU has: PARange into TCR_EL1.IPS. */
	mrs	x3, id_aa64mmfr0_el1
	bfi	x2, x3, #TCR_IPS_SHIFT, #3
	msr	tcr_el1, x2
	mov	x3, #MMU_MAIR_VALUE
	msr	mair_el1, x3
	msr	ttbr0_el1, x0
	msr	ttbr1_el1, x1
	isb

	/* Nothing translated before may survive: TLBs and the I-cache. */
	tlbi	vmalle1
	ic	iallu
	dsb	ish
	isb

	mrs	x3, sctlr_el1
	mov	x4, #(SCTLR_EL1_M | SCTLR_EL1_C | SCTLR_EL1_I)
	orr	x3, x3, x4
	msr	sctlr_el1, x3
	isb
	ret
END_FUNCTION(aarch64_mmu_enable)

	.section .note.GNU-stack, "", %progbits
