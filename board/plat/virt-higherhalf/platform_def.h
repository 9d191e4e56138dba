/* SPDX-License-Identifier: MIT */
/*
 * QEMU virt (aarch64) with the kernel in the higher half: board constants,
 * all in one place; usable from C, assembly and (by value) the linker
 * script, linker_scripts/virt-higherhalf.ld, which repeats the layout.
 *
 * Memory map, once early.S has the MMU on (4 KiB granule, 39-bit halves,
 * 1 GiB level-1 blocks, board/arch/aarch64/mmu.h):
 *
 *   TTBR0  0x00000000-0x3fffffff -> same, Device-nGnRnE (PL011, ...)
 *          0x40000000-0x7fffffff -> same, Normal (RAM, and .text.boot,
 *                                   which runs there before and while the
 *                                   MMU goes on)
 *   TTBR1  0xffffffffc0000000-   -> 0x40000000, Normal: the kernel, linked
 *          0xffffffffffffffff       at PLAT_KERNEL_VIRT_BASE + offset
 *
 * The UART and the boot-option word stay where they are, reached through
 * the TTBR0 identity map: the same addresses work with the MMU off and on,
 * and the generic loader's physical address is the one the kernel reads.
 */
#ifndef PLATFORM_DEF_H
#define PLATFORM_DEF_H

#define PLAT_NAME		"QEMU virt, higher half"
#define PLAT_RAM_BASE		0x40000000
#define PLAT_DEVICE_BASE	0x00000000
#define PLAT_UART0_BASE		0x09000000

/*
 * Where QEMU loads the image (its first byte, _start): 512 KiB into RAM,
 * leaving room for a device tree and the boot-option word, as on virt.
 */
#define PLAT_KERNEL_LOAD_ADDR	0x40080000

/* Where TTBR1 maps PLAT_RAM_BASE: virtual = physical + PLAT_KERNEL_VIRT_OFFSET. */
#define PLAT_KERNEL_VIRT_BASE	0xffffffffc0000000
#define PLAT_KERNEL_VIRT_OFFSET	(PLAT_KERNEL_VIRT_BASE - PLAT_RAM_BASE)

/* PSCI 0.2 function ids, through hvc, or smc with EL2 (virt's plat.c). */
#define PLAT_PSCI_SYSTEM_OFF	0x84000008

/*
 * The boot-option word (board/common/demo.h): in the last page of the free
 * RAM below the image (PLAT_KERNEL_LOAD_ADDR), as on virt; a physical
 * address, read through the identity map.
 */
#define PLAT_BOOT_OPTION_ADDR	0x4007f000

/*
 * The 1 GiB just below the kernel's window has no TTBR1 entry: a load
 * there takes a level-1 translation fault (Data Abort, same EL), with the
 * address in FAR_EL1.
 */
#define PLAT_UNMAPPED_ADDR	0xffffffff80000000

#endif /* PLATFORM_DEF_H */
