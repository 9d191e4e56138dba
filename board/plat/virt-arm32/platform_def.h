/* SPDX-License-Identifier: MIT */
/*
 * QEMU virt (32-bit, -M virt -cpu cortex-a15) board constants, all in one
 * place; usable from C and assembly.  The memory map is the one of the
 * aarch64 virt board: same machine, another CPU.
 */
#ifndef PLATFORM_DEF_H
#define PLATFORM_DEF_H

#define PLAT_NAME		"QEMU virt"
#define PLAT_RAM_BASE		0x40000000
#define PLAT_UART0_BASE		0x09000000

/*
 * PSCI 0.2 SYSTEM_OFF: the SMC32 function id, in r0, through hvc #0 (or
 * smc #0 when the machine has EL2; see plat.c).
 */
#define PLAT_PSCI_SYSTEM_OFF	0x84000008

/*
 * The boot-option word (board/common/demo.h) lives in the last page of the
 * free RAM below the image (virt-arm32.ld), clear of a device tree QEMU
 * may put at PLAT_RAM_BASE.
 */
#define PLAT_BOOT_OPTION_ADDR	0x4007f000

/*
 * A hole in virt's memory map, below the virtio-mmio transports: nothing
 * answers there, so a load raises a synchronous external abort.
 */
#define PLAT_UNMAPPED_ADDR	0x09f00000

#endif /* PLATFORM_DEF_H */
