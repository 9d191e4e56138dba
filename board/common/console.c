/* SPDX-License-Identifier: MIT */
/*
 * The console of board/common/plat.h on the board's UART driver (uart.h):
 * "\n" goes out as "\r\n", hex with its "0x".  Safe in an exception
 * handler: no state, no buffer.
 */
#include "plat.h"
#include "uart.h"

void plat_puts(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			uart_putc('\r');
		uart_putc(*s);
	}
}

void plat_puthex(uint64_t v, unsigned int digits)
{
	plat_puts("0x");
	while (digits--)
		uart_putc("0123456789abcdef"[(v >> (digits * 4)) & 0xf]);
}

int plat_getc(void)
{
	return uart_getc();
}
