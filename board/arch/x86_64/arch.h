/* SPDX-License-Identifier: MIT */
/* What the demo kernel (board/common/main.c) needs to know of x86_64. */
#ifndef ARCH_H
#define ARCH_H

#define ARCH_NAME	"x86_64"
#define ARCH_UNDEF()	__asm__ volatile("ud2")
#define ARCH_BREAK()	__asm__ volatile("int3")

#endif /* ARCH_H */
