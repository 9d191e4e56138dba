/* SPDX-License-Identifier: MIT */
/*
 * Raspberry Pi 3 Model B (QEMU 7.2 -M raspi3b, BCM2837, four Cortex-A53)
 * board constants, all in one place; usable from C and assembly.  What
 * QEMU does was found by experiment with QEMU 7.2 on this machine (`info
 * mtree -f` in the monitor, and probe images printing CurrentEL and
 * MPIDR_EL1 on the UART):
 *
 * - A raw -kernel image (kernel8.img, what the Pi's firmware boots) is
 *   loaded at 0x80000 and entered at EL2 by core 0 only; QEMU's own stub at
 *   0x0 parks cores 1-3 on the spin tables at 0xd8..0xf0, as the Pi's
 *   armstub8 does.  An ELF given to -kernel instead is entered by all four
 *   cores at EL3: board/arch/aarch64/boot.S parks the cores whose
 *   MPIDR_EL1.Aff0 is not 0 and drops from EL3 (or EL2) to EL1.
 * - RAM is 1 GiB from 0; the peripherals sit at 0x3f000000 and the ARM
 *   local control block at 0x40000000.  The first -serial (stdio under
 *   -nographic) is PL011 UART0, the Pi's "UART0".
 */
#ifndef PLATFORM_DEF_H
#define PLATFORM_DEF_H

#define PLAT_NAME		"Raspberry Pi 3B"
#define PLAT_RAM_BASE		0x00000000
#define PLAT_KERNEL_BASE	0x00080000	/* where kernel8.img is loaded */
#define PLAT_PERIPH_BASE	0x3f000000
#define PLAT_UART0_BASE		(PLAT_PERIPH_BASE + 0x201000)

/*
 * Power-off goes through the BCM2835 power manager's watchdog, as Linux's
 * bcm2835_wdt does it: mark the reset "halt" (RSTS partition 63, which
 * tells the Pi's firmware not to boot again), then ask for a full reset.
 * QEMU 7.2 models the RSTC full-reset request (bcm2835-powermgt) and, run
 * with -no-reboot (raspi3b_MACHINE), exits with status 0 instead of
 * rebooting.  Chosen over semihosting SYS_EXIT because it is the real
 * board's way too: semihosting's HLT is undefined on a Pi without a
 * debugger, and -semihosting would give the guest the host's files.
 */
#define PLAT_PM_BASE		(PLAT_PERIPH_BASE + 0x100000)
#define PLAT_PM_RSTC		(PLAT_PM_BASE + 0x1c)
#define PLAT_PM_RSTS		(PLAT_PM_BASE + 0x20)
#define PLAT_PM_WDOG		(PLAT_PM_BASE + 0x24)
#define PLAT_PM_PASSWORD	0x5a000000
#define PLAT_PM_RSTC_WRCFG_MASK	0x00000030
#define PLAT_PM_RSTC_FULL_RESET	0x00000020
#define PLAT_PM_RSTS_HALT	0x00000555	/* partition 63, bits spread */

/*
 * The boot-option word (board/common/demo.h) lives in the last page below
 * the image, clear of what QEMU writes low in RAM for a raw image (its
 * secondary-core stub at 0x0 and spin tables at 0xd8..0xf0, a device tree
 * only with -dtb, placed after the image).
 */
#define PLAT_BOOT_OPTION_ADDR	0x0007f000

/*
 * QEMU answers every address from 0 to 0x40000000 (peripherals it does
 * not model read as RAM, so they never abort) and the local control block
 * 0x40000000..0x400000ff; nothing answers above, so a load there raises a
 * synchronous external abort.  0x40100000 is also past the real Pi 3's
 * 256 KiB of local peripherals.
 */
#define PLAT_UNMAPPED_ADDR	0x40100000

#endif /* PLATFORM_DEF_H */
