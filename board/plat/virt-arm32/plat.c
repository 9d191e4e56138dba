/* SPDX-License-Identifier: MIT */
/*
 * QEMU virt (32-bit) glue behind board/common/plat.h: the console is PL011
 * UART0 (board/drivers/pl011.c), power goes through PSCI.
 */
#include "plat.h"
#include "platform_def.h"

#define ID_PFR1_VIRT(pfr1)	(((pfr1) >> 12) & 0xf)

/*
 * QEMU answers PSCI calls itself: through hvc, or through smc when the
 * machine has EL2 (-M virt,virtualization=on), where hvc would go to HYP
 * mode.  ID_PFR1 shows the Virtualization Extensions only when QEMU gives
 * the CPU an EL2.
 */
void plat_system_off(void)
{
	register uint32_t r0 __asm__("r0") = PLAT_PSCI_SYSTEM_OFF;
	uint32_t pfr1;

	__asm__ volatile("mrc p15, 0, %0, c0, c1, 1" : "=r"(pfr1));
	if (ID_PFR1_VIRT(pfr1))
		__asm__ volatile(".arch_extension sec\n\tsmc #0" : "+r"(r0) : : "memory");
	else
		__asm__ volatile(".arch_extension virt\n\thvc #0" : "+r"(r0) : : "memory");
	for (;;)
		__asm__ volatile("wfi");
}
