/* SPDX-License-Identifier: MIT */
/*
 * BBC micro:bit (QEMU -M microbit: Nordic nRF51822, Cortex-M0, ARMv6-M)
 * constants, all in one place; usable from C and assembly.  256 KiB of
 * flash at 0, where the core finds its vector table at reset, and 16 KiB
 * of SRAM at 0x20000000.  QEMU loads an ELF's segments at their load
 * addresses, into flash too.  (QEMU's MPS2 machines refuse a Cortex-M0,
 * so an ARMv6-M core needs this board.)
 */
#ifndef PLATFORM_DEF_H
#define PLATFORM_DEF_H

#define PLAT_NAME		"BBC micro:bit"
#define PLAT_UART0_BASE		0x40002000	/* the nRF51's one UART */
#define PLAT_NUM_IRQS		32

/*
 * The boot-option word (board/common/demo.h): the last 256 bytes of SRAM,
 * left out of the linker script's RAM region.
 */
#define PLAT_BOOT_OPTION_ADDR	0x20003f00

/* Nothing is mapped between the GPIO block's region and the System region: a load is a HardFault. */
#define PLAT_UNMAPPED_ADDR	0x60000000

#endif /* PLATFORM_DEF_H */
