/* SPDX-License-Identifier: MIT */
/*
 * PL011 UART driver (uart.h), polled.  QEMU's model needs no set-up, so
 * there is no init: send a byte once the transmit FIFO has room, read one
 * when the receive FIFO is not empty.
 */
#include "mmio.h"
#include "platform_def.h"
#include "uart.h"

#define UART_DR		0x00
#define UART_FR		0x18
#define UART_FR_RXFE	(1u << 4)
#define UART_FR_TXFF	(1u << 5)

#define REG(off)	((uintptr_t)PLAT_UART0_BASE + (off))

void uart_putc(char c)
{
	while (mmio_read32(REG(UART_FR)) & UART_FR_TXFF)
		;
	mmio_write32(REG(UART_DR), (unsigned char)c);
}

int uart_getc(void)
{
	if (mmio_read32(REG(UART_FR)) & UART_FR_RXFE)
		return -1;
	return mmio_read32(REG(UART_DR)) & 0xff;
}
