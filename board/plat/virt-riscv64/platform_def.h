/* SPDX-License-Identifier: MIT */
/*
 * QEMU virt (riscv64) board constants, all in one place; usable from C and
 * assembly.  Generic code never names an address: it calls plat_*().
 */
#ifndef PLATFORM_DEF_H
#define PLATFORM_DEF_H

#define PLAT_NAME		"QEMU virt"
#define PLAT_RAM_BASE		0x80000000
#define PLAT_UART0_BASE		0x10000000	/* NS16550A, byte registers */

/* SBI System Reset extension ("SRST"), called with ecall. */
#define PLAT_SBI_EXT_SRST	0x53525354
#define PLAT_SBI_SRST_FID_RESET	0
#define PLAT_SBI_SRST_SHUTDOWN	0
#define PLAT_SBI_SRST_NO_REASON	0

/*
 * The boot-option word (board/common/demo.h) lives in the last page of the
 * free RAM below the image, 0x80080000..0x801fffff: OpenSBI v1.1 (QEMU
 * 7.2's) occupies 288 KiB from 0x80000000 and its PMP region hides
 * 0x80000000..0x8007ffff from S-mode (its banner lists it as Domain0
 * Region01), QEMU puts the device tree at the top of RAM (0x87e00000 with
 * -m 128M, Next Arg1 in the banner) and the kernel starts at 0x80200000.
 * Neither firmware nor QEMU writes there, so the word the generic loader
 * stores at reset is still there when the kernel reads it.
 */
#define PLAT_BOOT_OPTION_ADDR	0x801ff000

/*
 * A hole in virt's memory map (`info mtree` in QEMU 7.2) between fw_cfg
 * (0x10100000) and flash0 (0x20000000): nothing answers there, so a load
 * raises a load access fault.
 */
#define PLAT_UNMAPPED_ADDR	0x18000000

#endif /* PLATFORM_DEF_H */
