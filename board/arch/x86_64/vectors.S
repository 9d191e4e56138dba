/* SPDX-License-Identifier: MIT */
/*
 * The exception entries of the IDT (x86_64_cpu_init points gate n at
 * x86_vectors + n * X86_VECTOR_STUB_SIZE).  Each stub pushes a zero error
 * code where the CPU pushes none, then the vector, and joins the common
 * code, which saves the rest of struct exception_frame
 * (exception_frame.h): the fifteen general registers, CR2 and a pad word,
 * which leave RSP 16-byte aligned for x86_handle_exception(frame).  If
 * that returns (int3), the registers come back and iretq resumes.  #DF
 * arrives on its own stack (IST entry X86_64_DF_IST, cpu.c), so a stack
 * overflow still gets its report.
 */
#include "asm_macros.h"
#include "exception.h"

	.text
	.balign	X86_VECTOR_STUB_SIZE
FUNCTION(x86_vectors)
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	.balign	X86_VECTOR_STUB_SIZE
	.if	((X86_ERROR_CODE_VECTORS >> \n) & 1) == 0
	pushq	$0
	.endif
	pushq	$\n
	jmp	x86_64_exception_common
	.endr
END_FUNCTION(x86_vectors)

FUNCTION(x86_64_exception_common)
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rbp
	pushq	%rsi
	pushq	%rdi
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%cr2, %rax
	pushq	%rax
	subq	$8, %rsp		/* the pad */
	movq	%rsp, %rdi
	cld
	call	x86_handle_exception
	addq	$16, %rsp		/* the pad and CR2 */
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rdi
	popq	%rsi
	popq	%rbp
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	addq	$16, %rsp		/* the vector and the error code */
	iretq
END_FUNCTION(x86_64_exception_common)

	.section .note.GNU-stack, "", %progbits
