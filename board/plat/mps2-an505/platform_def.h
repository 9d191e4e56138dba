/* SPDX-License-Identifier: MIT */
/*
 * Arm MPS2 with the AN505 FPGA image (QEMU -M mps2-an505: Cortex-M33,
 * ARMv8-M Mainline with the Security Extension, in the IoT Kit subsystem)
 * constants, all in one place; usable from C and assembly.  The core
 * resets in Secure state with the SAU off, so every address is Secure,
 * and reads its vector table at the Secure alias of ZBT SSRAM1,
 * 0x10000000 (QEMU's init-svtor; the firmware's FLASH region, 4 MiB).
 * RAM is the Secure alias of ZBT SSRAM2, 0x38000000 (2 MiB); peripherals
 * have their Secure aliases at 0x5xxxxxxx.  The memory and peripheral
 * protection controllers reset to Secure-only, which Secure firmware
 * needs no change to.
 */
#ifndef PLATFORM_DEF_H
#define PLATFORM_DEF_H

#define PLAT_NAME		"MPS2 AN505"
#define PLAT_UART0_BASE		0x50200000	/* CMSDK APB UART 0, Secure alias */
#define PLAT_NUM_IRQS		92

/* The boot-option word (board/common/demo.h): the last 4 KiB of SSRAM2, outside the RAM region. */
#define PLAT_BOOT_OPTION_ADDR	0x381ff000

/* Nothing at all is mapped between 0x58000000 and PSRAM at 0x80000000: a load is a precise BusFault. */
#define PLAT_UNMAPPED_ADDR	0x60000000

#endif /* PLATFORM_DEF_H */
