/* SPDX-License-Identifier: MIT */
/* PL011 UART0 of the board, polled: no interrupts, no buffering. */
#ifndef PL011_H
#define PL011_H

#include <stdint.h>

void pl011_putc(char c);
void pl011_puts(const char *s);
/* "0x" and the low `digits` hex digits of v (1..16). */
void pl011_puthex(uint64_t v, unsigned int digits);
/* The next received byte, or -1 when none is waiting. */
int pl011_getc(void);

#endif /* PL011_H */
