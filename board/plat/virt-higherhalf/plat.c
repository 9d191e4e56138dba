/* SPDX-License-Identifier: MIT */
/*
 * QEMU virt glue behind board/common/plat.h, for the higher-half kernel:
 * the console is PL011 UART0, power goes through PSCI, the boot option is
 * one word in RAM that QEMU's generic loader wrote before boot.  As on
 * virt, except that every address here is physical and is reached through
 * boot.S's TTBR0 identity map (platform_def.h), which stays in place after
 * the kernel runs from its higher-half addresses.
 */
#include "mmio.h"
#include "pl011.h"
#include "plat.h"
#include "platform_def.h"

void plat_puts(const char *s)
{
	pl011_puts(s);
}

void plat_puthex(uint64_t v, unsigned int digits)
{
	pl011_puthex(v, digits);
}

int plat_getc(void)
{
	return pl011_getc();
}

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

/* Written little-endian by QEMU's loader; this board is little-endian only. */
uint32_t plat_boot_option(void)
{
	return mmio_read32(PLAT_BOOT_OPTION_ADDR);
}
