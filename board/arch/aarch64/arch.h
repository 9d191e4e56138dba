/* SPDX-License-Identifier: MIT */
/* What the demo kernel (board/common/main.c) needs to know of AArch64. */
#ifndef ARCH_H
#define ARCH_H

#define ARCH_NAME	"aarch64"
#define ARCH_UNDEF()	__asm__ volatile("udf #0")
#define ARCH_BREAK()	__asm__ volatile("brk #0x1234")

#endif /* ARCH_H */
