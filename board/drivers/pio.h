/* SPDX-License-Identifier: MIT */
/*
 * x86 port I/O: the PC's UART (COM1) and QEMU's isa-debug-exit device
 * live in the 64 KiB I/O space, reached with in/out, not through memory.
 */
#ifndef PIO_H
#define PIO_H

#include <stdint.h>

static inline uint8_t pio_read8(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void pio_write8(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void pio_write32(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

#endif /* PIO_H */
