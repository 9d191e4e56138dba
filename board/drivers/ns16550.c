/* SPDX-License-Identifier: MIT */
/*
 * NS16550A UART driver (uart.h), polled.  The firmware that ran before us
 * (OpenSBI on QEMU virt) has already set the line up and QEMU's model
 * ignores the baud rate, so there is no init: send a byte once the
 * transmit holding register is empty, read one when the line status says
 * data is ready.  Registers are bytes, one after another (reg-shift 0, as
 * on QEMU virt).
 */
#include <stdint.h>

#include "platform_def.h"
#include "uart.h"

#define UART_RBR	0x00	/* receive buffer (read) */
#define UART_THR	0x00	/* transmit holding (write) */
#define UART_LSR	0x05	/* line status */
#define UART_LSR_DR	(1u << 0)	/* a received byte waits in RBR */
#define UART_LSR_THRE	(1u << 5)	/* THR can take a byte */

static volatile uint8_t *reg(unsigned int off)
{
	return (volatile uint8_t *)(uintptr_t)(PLAT_UART0_BASE + off);
}

void uart_putc(char c)
{
	while (!(*reg(UART_LSR) & UART_LSR_THRE))
		;
	*reg(UART_THR) = (uint8_t)c;
}

int uart_getc(void)
{
	if (!(*reg(UART_LSR) & UART_LSR_DR))
		return -1;
	return *reg(UART_RBR);
}
