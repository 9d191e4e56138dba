/* SPDX-License-Identifier: MIT */
/*
 * Device register access.  The devices are little-endian whatever the
 * CPU's data byte order: a big-endian kernel (virt-be) swaps, as Linux's
 * readl()/writel() do.  The swap is one instruction (rev), no library.
 */
#ifndef MMIO_H
#define MMIO_H

#include <stdint.h>

static inline uint32_t le32(uint32_t v)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return __builtin_bswap32(v);
#else
	return v;
#endif
}

static inline uint32_t mmio_read32(uintptr_t addr)
{
	return le32(*(volatile uint32_t *)addr);
}

static inline void mmio_write32(uintptr_t addr, uint32_t v)
{
	*(volatile uint32_t *)addr = le32(v);
}

#endif /* MMIO_H */
