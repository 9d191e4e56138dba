/* SPDX-License-Identifier: MIT */
/*
 * What the demo kernel (board/common/main.c) needs to know of RISC-V 64.
 * `unimp` is the canonical illegal instruction (c.unimp, 0x0000, with the
 * C extension); `ebreak` may be assembled as c.ebreak, which the handler
 * allows for when it steps over it.
 */
#ifndef ARCH_H
#define ARCH_H

#define ARCH_NAME	"riscv64"
#define ARCH_UNDEF()	__asm__ volatile("unimp")
#define ARCH_BREAK()	__asm__ volatile("ebreak")

#endif /* ARCH_H */
