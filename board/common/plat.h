/* SPDX-License-Identifier: MIT */
/*
 * What generic code (the exception reports of board/arch, board/common/main.c) needs from the
 * board.  Another board implements these and keeps the rest.
 */
#ifndef PLAT_H
#define PLAT_H

#include <stdint.h>

/* Console output; safe to call from an exception handler. */
void plat_puts(const char *s);
void plat_puthex(uint64_t v, unsigned int digits);
/* Console input: the next byte received, or -1 when none is waiting. */
int plat_getc(void);

/* Power the machine off (QEMU exits with status 0). */
__attribute__((noreturn)) void plat_system_off(void);

/* The stack, from the linker script; backtraces stay inside it. */
extern const char __stack_bottom[], __stack_top[];

#endif /* PLAT_H */
