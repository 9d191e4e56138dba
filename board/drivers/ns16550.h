/* SPDX-License-Identifier: MIT */
/* NS16550A UART0 of the board, polled: no interrupts, no buffering. */
#ifndef NS16550_H
#define NS16550_H

#include <stdint.h>

void ns16550_putc(char c);
void ns16550_puts(const char *s);
/* "0x" and the low `digits` hex digits of v (1..16). */
void ns16550_puthex(uint64_t v, unsigned int digits);
/* The next received byte, or -1 when none is waiting. */
int ns16550_getc(void);

#endif /* NS16550_H */
