/* SPDX-License-Identifier: MIT */
/* What the demo kernel (board/common/main.c) needs to know of i386. */
#ifndef ARCH_H
#define ARCH_H

#define ARCH_NAME	"i386"
#define ARCH_UNDEF()	__asm__ volatile("ud2")
#define ARCH_BREAK()	__asm__ volatile("int3")

#endif /* ARCH_H */
