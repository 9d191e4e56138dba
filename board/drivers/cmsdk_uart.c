/* SPDX-License-Identifier: MIT */
/*
 * Arm CMSDK APB UART driver (uart.h), polled, as on the MPS2 boards.  It
 * starts with transmitter and receiver off, so the first call turns them
 * on (and sets the smallest baud divider the block accepts, 16); there is
 * no other state.  It then reads DATA once: nothing is waiting yet, but
 * QEMU's model takes that read as room for the next byte, and delivers
 * what arrived on its console while the receiver was off (otherwise that
 * input stays queued in QEMU's console multiplexer for good).  Send a
 * byte once the transmit buffer is empty, read one
 * when the receive buffer is full.
 */
#include "mmio.h"
#include "platform_def.h"
#include "uart.h"

#define UART_DATA		0x00
#define UART_STATE		0x04
#define UART_CTRL		0x08
#define UART_BAUDDIV		0x10
#define UART_STATE_TXFULL	(1u << 0)
#define UART_STATE_RXFULL	(1u << 1)
#define UART_CTRL_TX_EN		(1u << 0)
#define UART_CTRL_RX_EN		(1u << 1)
#define UART_CTRL_EN		(UART_CTRL_TX_EN | UART_CTRL_RX_EN)

#define REG(off)	((uintptr_t)PLAT_UART0_BASE + (off))

static void enable(void)
{
	if ((mmio_read32(REG(UART_CTRL)) & UART_CTRL_EN) == UART_CTRL_EN)
		return;
	mmio_write32(REG(UART_BAUDDIV), 16);
	mmio_write32(REG(UART_CTRL), UART_CTRL_EN);
	(void)mmio_read32(REG(UART_DATA));
}

void uart_putc(char c)
{
	enable();
	while (mmio_read32(REG(UART_STATE)) & UART_STATE_TXFULL)
		;
	mmio_write32(REG(UART_DATA), (unsigned char)c);
}

int uart_getc(void)
{
	enable();
	if (!(mmio_read32(REG(UART_STATE)) & UART_STATE_RXFULL))
		return -1;
	return mmio_read32(REG(UART_DATA)) & 0xff;
}
