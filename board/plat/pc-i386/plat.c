/* SPDX-License-Identifier: MIT */
/*
 * QEMU PC glue behind board/common/plat.h, for both PC boards: the console
 * is COM1 (board/drivers/ns16550_pio.c), power-off is a write to QEMU's
 * isa-debug-exit port, which ends QEMU with the status platform.mk names.
 */
#include "pio.h"
#include "plat.h"
#include "platform_def.h"

void plat_system_off(void)
{
	pio_write32(PLAT_DEBUG_EXIT_PORT, PLAT_EXIT_VALUE);
	/* Without the device (another machine), wait with interrupts off. */
	for (;;)
		__asm__ volatile("cli; hlt");
}
