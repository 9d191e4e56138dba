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

/* Lowest digit first, by shifts of 4: a variable 64-bit shift is a library call on ARMv6-M. */
void plat_puthex(uint64_t v, unsigned int digits)
{
	char s[16];
	unsigned int n = digits < sizeof(s) ? digits : sizeof(s);

	for (unsigned int i = n; i--; v >>= 4)
		s[i] = "0123456789abcdef"[v & 0xf];
	plat_puts("0x");
	for (unsigned int i = 0; i < n; i++)
		uart_putc(s[i]);
}

int plat_getc(void)
{
	return uart_getc();
}
