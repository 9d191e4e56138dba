/* SPDX-License-Identifier: MIT */
/* What the demo kernel (board/common/main.c) needs to know of ARMv7-A in Thumb-2. */
#ifndef ARCH_H
#define ARCH_H

#define ARCH_NAME	"arm32"
/* Both 16-bit Thumb encodings, so the report's PC is the instruction itself. */
#define ARCH_UNDEF()	__asm__ volatile("udf #0")
#define ARCH_BREAK()	__asm__ volatile("bkpt #0x12")

/*
 * Where a function's code starts: a Thumb function pointer has bit 0 set
 * (the interworking bit), its symbol in the table does not.
 */
#define ARCH_CODE_ADDR(fn)	((uintptr_t)(fn) & ~(uintptr_t)1)

#endif /* ARCH_H */
