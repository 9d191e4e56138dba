/* SPDX-License-Identifier: MIT */
/*
 * Entry point of a multiboot (v1) kernel.  QEMU's -kernel finds the
 * multiboot header in the first 8 KiB of the ELF32, loads the ELF by its
 * program headers (1 MiB up) and enters _start in 32-bit protected mode,
 * paging off, interrupts off, with flat code and data segments of its own
 * GDT, EAX = the multiboot magic, EBX = the information structure, which
 * we do not need.  Set up the stack and .bss, then i386_cpu_init (our GDT,
 * IDT and TSSs, paging) and kernel_main with EBP = 0, so backtraces end
 * there.
 */
#include "asm_macros.h"

#define MULTIBOOT_MAGIC		0x1badb002
#define MULTIBOOT_FLAGS		0	/* an ELF: no addresses in the header */

	.section .multiboot, "a"
	.balign	4
	.long	MULTIBOOT_MAGIC
	.long	MULTIBOOT_FLAGS
	.long	-(MULTIBOOT_MAGIC + MULTIBOOT_FLAGS)

	.section .text.boot, "ax"

FUNCTION(_start)
	cli
	cld
	movl	$__stack_top, %esp
	movl	$__bss_start, %edi
	movl	$__bss_end, %ecx
	subl	%edi, %ecx
	shrl	$2, %ecx
	xorl	%eax, %eax
	rep stosl
	call	i386_cpu_init
	xorl	%ebp, %ebp
	call	kernel_main
	call	plat_system_off
1:	hlt
	jmp	1b
END_FUNCTION(_start)

	.section .note.GNU-stack, "", %progbits
