/* SPDX-License-Identifier: MIT */
/*
 * PL011 UART driver, polled.  QEMU's model needs no set-up, so there is no
 * init: send a byte once the transmit FIFO has room, read one when the
 * receive FIFO is not empty.  "\n" goes out as "\r\n".
 */
#include "mmio.h"
#include "pl011.h"
#include "platform_def.h"

#define UART_DR		0x00
#define UART_FR		0x18
#define UART_FR_RXFE	(1u << 4)
#define UART_FR_TXFF	(1u << 5)

#define REG(off)	((uintptr_t)PLAT_UART0_BASE + (off))

void pl011_putc(char c)
{
	if (c == '\n')
		pl011_putc('\r');
	while (mmio_read32(REG(UART_FR)) & UART_FR_TXFF)
		;
	mmio_write32(REG(UART_DR), (unsigned char)c);
}

void pl011_puts(const char *s)
{
	while (*s)
		pl011_putc(*s++);
}

void pl011_puthex(uint64_t v, unsigned int digits)
{
	pl011_puts("0x");
	while (digits--)
		pl011_putc("0123456789abcdef"[(v >> (digits * 4)) & 0xf]);
}

int pl011_getc(void)
{
	if (mmio_read32(REG(UART_FR)) & UART_FR_RXFE)
		return -1;
	return mmio_read32(REG(UART_DR)) & 0xff;
}
