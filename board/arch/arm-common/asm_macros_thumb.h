/* SPDX-License-Identifier: MIT */
/*
 * Assembly helpers for Thumb-2 code.  FUNCTION/END_FUNCTION give every
 * entry point a global name, a (Thumb) function type and a size, so
 * ksympatch puts it in the symbol table and an address inside it
 * symbolizes.  NO_UNWIND/END_NO_UNWIND give it an EHABI entry that says
 * "cannot unwind", so a backtrace stops there instead of using the unwind
 * entry of whatever function precedes it.  Named apart from
 * board/common/asm_macros.h (aarch64, riscv64), which is on every board's
 * include path, so each include says which one it gets.
 */
#ifndef ASM_MACROS_THUMB_H
#define ASM_MACROS_THUMB_H

#define FUNCTION(name)			\
	.global name;			\
	.type name, %function;		\
	.thumb_func;			\
	name:

#define END_FUNCTION(name)		\
	.size name, . - name

#define NO_UNWIND			\
	.fnstart;			\
	.cantunwind

#define END_NO_UNWIND			\
	.fnend

#endif /* ASM_MACROS_THUMB_H */
