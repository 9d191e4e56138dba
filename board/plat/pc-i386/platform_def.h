/* SPDX-License-Identifier: MIT */
/*
 * QEMU PC (-M pc, i440FX) board constants, all in one place, for both PC
 * boards (pc-i386, pc-x86_64); usable from C and assembly.  Generic code
 * never names an address: it calls plat_*().
 */
#ifndef PLATFORM_DEF_H
#define PLATFORM_DEF_H

#define PLAT_NAME		"QEMU pc"
#define PLAT_UART0_PORT		0x3f8		/* COM1, NS16550A, I/O ports */

/*
 * QEMU's isa-debug-exit device (-device isa-debug-exit,iobase=0xf4,
 * iosize=0x04, platform.mk): writing V to its port ends QEMU with status
 * (V << 1) | 1.  PLAT_EXIT_VALUE 0x10 gives 33, which nothing else makes
 * QEMU return (1 is its own error status); platform.mk tells make and the
 * tests to take 33 as a clean power-off.
 */
#define PLAT_DEBUG_EXIT_PORT	0xf4
#define PLAT_EXIT_VALUE		0x10

/*
 * The boot-option word (board/common/demo.h), at 8 MiB: above the kernel
 * and the multiboot information QEMU's loader puts just after it
 * (hw/i386/multiboot.c: the image, page-aligned, then the command lines),
 * below the tables SeaBIOS keeps at the top of RAM, and inside the
 * identity map of both boards.  Nothing writes there between reset, when
 * the generic loader stores it, and the kernel's read.
 */
#define PLAT_BOOT_OPTION_ADDR	0x00800000

/*
 * Both boards identity-map the first GiB and nothing else of the low
 * addresses (board/arch/i386/cpu.c, board/arch/x86_64/boot.S): a load at 1 GiB finds no page table
 * entry and raises a page fault (#PF, not present, read, supervisor).
 */
#define PLAT_IDENTITY_MAP_SIZE	0x40000000
#define PLAT_UNMAPPED_ADDR	0x40000000

#endif /* PLATFORM_DEF_H */
