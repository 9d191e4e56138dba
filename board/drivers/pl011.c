/* SPDX-License-Identifier: MIT */
/*
 * PL011 UART driver, polled.  QEMU's model needs no set-up, so there is no
 * init: send a byte once the transmit FIFO has room, read one when the
 * receive FIFO is not empty.  "\n" goes out as "\r\n".
 */
#include "pl011.h"
#include "platform_def.h"

#define UART_DR		0x00
#define UART_FR		0x18
#define UART_FR_RXFE	(1u << 4)
#define UART_FR_TXFF	(1u << 5)

static volatile uint32_t *reg(unsigned int off)
{
	return (volatile uint32_t *)(uintptr_t)(PLAT_UART0_BASE + off);
}

void pl011_putc(char c)
{
	if (c == '\n')
		pl011_putc('\r');
	while (*reg(UART_FR) & UART_FR_TXFF)
		;
	*reg(UART_DR) = (unsigned char)c;
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
	if (*reg(UART_FR) & UART_FR_RXFE)
		return -1;
	return *reg(UART_DR) & 0xff;
}
