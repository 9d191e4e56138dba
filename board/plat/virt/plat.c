/* SPDX-License-Identifier: MIT */
/*
 * QEMU virt glue behind board/common/plat.h: the console is PL011 UART0
 * (board/drivers/pl011.c), power goes through PSCI.
 */
#include "plat.h"
#include "platform_def.h"

/*
 * QEMU answers PSCI calls itself: through hvc, or through smc when the
 * machine has EL2 (-M virt,virtualization=on), where hvc would go to EL2.
 */
void plat_system_off(void)
{
	register uint64_t x0 __asm__("x0") = PLAT_PSCI_SYSTEM_OFF;
	uint64_t pfr0;

	__asm__ volatile("mrs %0, id_aa64pfr0_el1" : "=r"(pfr0));
	if ((pfr0 >> 8) & 0xf)
		__asm__ volatile("smc #0" : "+r"(x0) : : "memory");
	else
		__asm__ volatile("hvc #0" : "+r"(x0) : : "memory");
	for (;;)
		__asm__ volatile("wfi");
}
