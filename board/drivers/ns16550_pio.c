/* SPDX-License-Identifier: MIT */
/*
 * NS16550A UART driver (uart.h) on x86 port I/O, polled: the PC's COM1 at
 * PLAT_UART0_PORT (0x3f8).  ns16550.c is the same UART through memory; on
 * a PC its registers are I/O ports, one after another.  QEMU's model needs
 * no set-up (it ignores the baud rate, and the BIOS has set the line up),
 * so there is no init: send a byte once the transmit holding register is
 * empty, read one when the line status says data is ready.
 */
#include <stdint.h>

#include "pio.h"
#include "platform_def.h"
#include "uart.h"

#define UART_RBR	0x00	/* receive buffer (read) */
#define UART_THR	0x00	/* transmit holding (write) */
#define UART_LSR	0x05	/* line status */
#define UART_LSR_DR	(1u << 0)	/* a received byte waits in RBR */
#define UART_LSR_THRE	(1u << 5)	/* THR can take a byte */

void uart_putc(char c)
{
	while (!(pio_read8(PLAT_UART0_PORT + UART_LSR) & UART_LSR_THRE))
		;
	pio_write8(PLAT_UART0_PORT + UART_THR, (uint8_t)c);
}

int uart_getc(void)
{
	if (!(pio_read8(PLAT_UART0_PORT + UART_LSR) & UART_LSR_DR))
		return -1;
	return pio_read8(PLAT_UART0_PORT + UART_RBR);
}
