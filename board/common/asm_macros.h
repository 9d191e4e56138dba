/* SPDX-License-Identifier: MIT */
/*
 * Assembly helpers.  FUNCTION/END_FUNCTION give every entry point a global
 * name, a function type and a size, so ksympatch puts it in the symbol
 * table and an address inside it symbolizes.  Shared by aarch64 and
 * riscv64; Thumb-2 code (arm32) needs .thumb_func and EHABI markers and
 * includes board/arch/arm-common/asm_macros_thumb.h instead.
 */
#ifndef ASM_MACROS_H
#define ASM_MACROS_H

#define FUNCTION(name)			\
	.global name;			\
	.type name, %function;		\
	name:

#define END_FUNCTION(name)		\
	.size name, . - name

#endif /* ASM_MACROS_H */
