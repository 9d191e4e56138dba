/* SPDX-License-Identifier: MIT */
/*
 * The board's console UART, polled: no interrupts, no buffering.  A board
 * links exactly one driver (pl011.c, ns16550.c) at its PLAT_UART0_BASE;
 * board/common/console.c builds plat_puts() and the rest on these.
 */
#ifndef UART_H
#define UART_H

/* Send one byte as it is, once the transmitter has room. */
void uart_putc(char c);
/* The next received byte, or -1 when none is waiting. */
int uart_getc(void);

#endif /* UART_H */
