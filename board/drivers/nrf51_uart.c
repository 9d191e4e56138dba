/* SPDX-License-Identifier: MIT */
/*
 * Nordic nRF51 UART driver (uart.h), polled, as on the BBC micro:bit.  The
 * block starts disabled, so the first call enables it and starts the
 * transmitter and the receiver; there is no other state.  A byte goes out
 * through TXD, and is gone when the TXDRDY event says so; one has come in
 * when the RXDRDY event is set (cleared before RXD is read, as the
 * reference manual says, so that a byte behind it sets it again).
 *
 * Under QEMU, input that arrives before the receiver starts waits in the
 * console multiplexer, and QEMU only looks again when its main loop wakes
 * up, which nothing on this machine makes it do: so enable() also starts
 * SysTick, free-running without its interrupt, whose timer wakes that
 * loop every few milliseconds.  Harmless on the hardware.
 */
#include "mmio.h"
#include "platform_def.h"
#include "uart.h"

#define UART_STARTRX		0x000
#define UART_STARTTX		0x008
#define UART_RXDRDY		0x108
#define UART_TXDRDY		0x11c
#define UART_ENABLE		0x500
#define UART_RXD		0x518
#define UART_TXD		0x51c
#define UART_ENABLE_ON		4

#define REG(off)	((uintptr_t)PLAT_UART0_BASE + (off))

#define SYST_CSR		0xe000e010u
#define SYST_RVR		0xe000e014u
#define SYST_CSR_RUN		5u	/* ENABLE, CLKSOURCE = the core clock; no TICKINT */

static void enable(void)
{
	if (mmio_read32(REG(UART_ENABLE)) == UART_ENABLE_ON)
		return;
	mmio_write32(REG(UART_ENABLE), UART_ENABLE_ON);
	mmio_write32(REG(UART_STARTTX), 1);
	mmio_write32(REG(UART_STARTRX), 1);
	mmio_write32(SYST_RVR, 0xffff);
	mmio_write32(SYST_CSR, SYST_CSR_RUN);
}

void uart_putc(char c)
{
	enable();
	mmio_write32(REG(UART_TXDRDY), 0);
	mmio_write32(REG(UART_TXD), (unsigned char)c);
	while (!mmio_read32(REG(UART_TXDRDY)))
		;
}

int uart_getc(void)
{
	enable();
	if (!mmio_read32(REG(UART_RXDRDY)))
		return -1;
	mmio_write32(REG(UART_RXDRDY), 0);
	return mmio_read32(REG(UART_RXD)) & 0xff;
}
