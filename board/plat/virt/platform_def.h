/* SPDX-License-Identifier: MIT */
/*
 * QEMU virt board constants, all in one place; usable from C and assembly.
 * The same for the AArch64 boards (virt, virt-be) and virt-arm32: one
 * machine, another CPU.  Generic code never names an address: it calls
 * plat_*().
 */
#ifndef PLATFORM_DEF_H
#define PLATFORM_DEF_H

#define PLAT_NAME		"QEMU virt"
#define PLAT_RAM_BASE		0x40000000
#define PLAT_UART0_BASE		0x09000000

/* PSCI 0.2 SYSTEM_OFF (the SMC32 id), through hvc, or smc with EL2 (plat.c). */
#define PLAT_PSCI_SYSTEM_OFF	0x84000008

/*
 * The boot-option word (board/common/demo.h) lives in the last page of the
 * free RAM below the image (virt.ld, virt-arm32.ld), clear of a device
 * tree QEMU may put at PLAT_RAM_BASE (7.2 leaves it all zero for an ELF
 * kernel).
 */
#define PLAT_BOOT_OPTION_ADDR	0x4007f000

/*
 * A hole in virt's memory map, below the virtio-mmio transports: nothing
 * answers there, so a load raises a synchronous external abort.
 */
#define PLAT_UNMAPPED_ADDR	0x09f00000

#endif /* PLATFORM_DEF_H */
