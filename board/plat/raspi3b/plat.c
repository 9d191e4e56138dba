/* SPDX-License-Identifier: MIT */
/*
 * Raspberry Pi 3B glue behind board/common/plat.h: the console is PL011
 * UART0, power-off is the BCM2835 watchdog's full reset marked "halt"
 * (platform_def.h says why).
 */
#include "mmio.h"
#include "plat.h"
#include "platform_def.h"

/*
 * Linux's bcm2835_power_off() sequence: every write to the power manager
 * carries its password, or the register ignores it.  The watchdog count
 * (10 ticks of 16 us) is for the real board; QEMU resets on the RSTC write.
 */
void plat_system_off(void)
{
	uint32_t v;

	v = mmio_read32(PLAT_PM_RSTS) & ~PLAT_PM_PASSWORD;
	mmio_write32(PLAT_PM_RSTS, PLAT_PM_PASSWORD | v | PLAT_PM_RSTS_HALT);
	mmio_write32(PLAT_PM_WDOG, PLAT_PM_PASSWORD | 10);
	v = mmio_read32(PLAT_PM_RSTC) & ~(PLAT_PM_PASSWORD | PLAT_PM_RSTC_WRCFG_MASK);
	mmio_write32(PLAT_PM_RSTC, PLAT_PM_PASSWORD | v | PLAT_PM_RSTC_FULL_RESET);
	for (;;)
		__asm__ volatile("wfi");
}
