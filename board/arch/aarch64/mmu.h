/* SPDX-License-Identifier: MIT */
/*
 * Stage-1 EL1 translation with the 4 KiB granule, the minimum a kernel
 * needs to turn the MMU on: the MAIR_EL1 attributes the descriptors index,
 * level-1 block descriptors (1 GiB each, so a board maps RAM and devices
 * with a handful of static entries and no level-2/3 tables), the TCR_EL1
 * fields and the SCTLR_EL1 enable bits.  Usable from C and assembly:
 * 64-bit constants are written as literals, never as shifts of an int.
 * aarch64_mmu_enable() (mmu.S) loads the registers.
 */
#ifndef MMU_H
#define MMU_H

/* MAIR_EL1: attribute index 0 is Device-nGnRnE, 1 Normal write-back. */
#define MMU_ATTR_DEVICE		0
#define MMU_ATTR_NORMAL		1
#define MMU_MAIR_VALUE		((0x00 << (8 * MMU_ATTR_DEVICE)) | \
				 (0xff << (8 * MMU_ATTR_NORMAL)))

/*
 * Descriptor bits.  AF must be set: with the hardware access flag off, a
 * first access through an entry without it takes an Access flag fault.
 * Execute-never for EL0 everywhere (the kernel has no EL0), and for EL1 on
 * devices.
 */
#define MMU_DESC_BLOCK		0x1
#define MMU_DESC_ATTR(idx)	((idx) << 2)
#define MMU_DESC_SH_INNER	(3 << 8)
#define MMU_DESC_AF		(1 << 10)
#define MMU_DESC_PXN		0x0020000000000000
#define MMU_DESC_UXN		0x0040000000000000

/* Level-1 block: 1 GiB, its output address aligned to 1 GiB. */
#define MMU_L1_SHIFT		30
#define MMU_L1_BLOCK_SIZE	0x40000000
#define MMU_L1_NORMAL		(MMU_DESC_BLOCK | MMU_DESC_ATTR(MMU_ATTR_NORMAL) | \
				 MMU_DESC_SH_INNER | MMU_DESC_AF | MMU_DESC_UXN)
#define MMU_L1_DEVICE		(MMU_DESC_BLOCK | MMU_DESC_ATTR(MMU_ATTR_DEVICE) | \
				 MMU_DESC_AF | MMU_DESC_PXN | MMU_DESC_UXN)
#define MMU_L1_BLOCK(pa, attrs)	((pa) | (attrs))

/*
 * 39-bit address spaces (T0SZ = T1SZ = 25): with the 4 KiB granule the
 * walk starts at level 1, one 512-entry table per half.  TTBR0 covers
 * 0 .. 0x7f_ffff_ffff, TTBR1 0xffff_ff80_0000_0000 .. the top.
 */
#define MMU_VA_BITS		39
#define MMU_L1_ENTRIES		512
#define MMU_L1_INDEX(va)	(((va) >> MMU_L1_SHIFT) & (MMU_L1_ENTRIES - 1))

/*
 * TCR_EL1 without IPS, which aarch64_mmu_enable() copies from
 * ID_AA64MMFR0_EL1.PARange.  Walks are inner shareable and cacheable
 * (write-back, write-allocate) in both halves; TG1's encoding of 4 KiB is
 * not TG0's.
 */
#define TCR_T0SZ(bits)		(64 - (bits))
#define TCR_IRGN0_WBWA		(1 << 8)
#define TCR_ORGN0_WBWA		(1 << 10)
#define TCR_SH0_INNER		(3 << 12)
#define TCR_TG0_4K		(0 << 14)
#define TCR_T1SZ(bits)		((64 - (bits)) << 16)
#define TCR_IRGN1_WBWA		(1 << 24)
#define TCR_ORGN1_WBWA		(1 << 26)
#define TCR_SH1_INNER		(3 << 28)
#define TCR_TG1_4K		0x80000000	/* 0b10 << 30 */
#define TCR_IPS_SHIFT		32
#define MMU_TCR_VALUE		(TCR_T0SZ(MMU_VA_BITS) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | \
				 TCR_SH0_INNER | TCR_TG0_4K | TCR_T1SZ(MMU_VA_BITS) | \
				 TCR_IRGN1_WBWA | TCR_ORGN1_WBWA | TCR_SH1_INNER | TCR_TG1_4K)

/* SCTLR_EL1: MMU, data and instruction caches. */
#define SCTLR_EL1_M		(1 << 0)
#define SCTLR_EL1_C		(1 << 2)
#define SCTLR_EL1_I		(1 << 12)

#ifndef __ASSEMBLER__
#include <stdint.h>

/*
 * Turn the MMU on with these translation tables (physical addresses) and
 * TCR_EL1 (MMU_TCR_VALUE or the like, IPS filled in here).  Call with the
 * MMU off, from code that the TTBR0 tables map at its own address, since
 * the next instruction fetch after SCTLR_EL1.M is already translated.
 */
void aarch64_mmu_enable(uint64_t ttbr0, uint64_t ttbr1, uint64_t tcr);
#endif

#endif /* MMU_H */
