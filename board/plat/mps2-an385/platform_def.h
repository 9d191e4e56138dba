/* SPDX-License-Identifier: MIT */
/*
 * Arm MPS2 with the AN385 FPGA image (QEMU -M mps2-an385, Cortex-M3)
 * constants, all in one place; usable from C and assembly.  QEMU models
 * ZBT SSRAM1 at 0 (4 MiB; on the board it is loaded from the SD card and
 * serves as the code memory: the firmware's FLASH region) and ZBT SSRAM2/3
 * at 0x20000000 (4 MiB: its RAM), and starts the core from the vector
 * table at 0.  It loads an ELF's segments at their load addresses (LMA),
 * so .data arrives in flash, where the reset handler copies it from.
 */
#ifndef PLATFORM_DEF_H
#define PLATFORM_DEF_H

#define PLAT_NAME		"MPS2 AN385"
#define PLAT_UART0_BASE		0x40004000	/* CMSDK APB UART 0 */
#define PLAT_NUM_IRQS		32

/*
 * The boot-option word (board/common/demo.h): the last 4 KiB of SSRAM2/3,
 * left out of the linker script's RAM region, so neither the .data copy
 * nor the .bss clear reaches it.
 */
#define PLAT_BOOT_OPTION_ADDR	0x203ff000

/* Nothing answers between the peripherals and the System region: a load is a precise BusFault. */
#define PLAT_UNMAPPED_ADDR	0x50000000

#endif /* PLATFORM_DEF_H */
