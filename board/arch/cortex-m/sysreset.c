/* SPDX-License-Identifier: MIT */
/*
 * plat_system_off() for Cortex-M boards: a system reset request through
 * AIRCR, which every M profile has.  On hardware the firmware starts
 * again; QEMU run with -no-reboot exits instead, with status 0.  (No
 * semihosting: without a debugger attached its bkpt #0xab would be one
 * more HardFault.)
 */
#include "mmio.h"
#include "plat.h"

#define SCB_AIRCR		0xe000ed0cu
#define AIRCR_VECTKEY		(0x05fau << 16)
#define AIRCR_SYSRESETREQ	(1u << 2)

void plat_system_off(void)
{
	__asm__ volatile("dsb" : : : "memory");
	mmio_write32(SCB_AIRCR, AIRCR_VECTKEY | AIRCR_SYSRESETREQ);
	__asm__ volatile("dsb" : : : "memory");
	for (;;)
		__asm__ volatile("wfi");
}
