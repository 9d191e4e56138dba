/* SPDX-License-Identifier: MIT */
/*
 * The exception entries of the IDT (i386_cpu_init points gate n at
 * x86_vectors + n * X86_VECTOR_STUB_SIZE) and the double-fault task.
 * Each stub pushes a zero error code where the CPU pushes none, then the
 * vector, and joins the common code, which saves the rest of struct
 * exception_frame (exception_frame.h): pusha, with its ESP slot made the
 * trap-time ESP, SS and CR2; then x86_handle_exception(frame).  If that
 * returns (int3), the registers come back and iret resumes.
 *
 * #DF goes through a task gate instead (cpu.c): the CPU saves the faulting
 * state in the kernel's TSS and switches to the double-fault TSS, whose
 * stack is its own, so a stack overflow still gets its report.
 */
#include "asm_macros.h"
#include "exception.h"

	.text
	.balign	X86_VECTOR_STUB_SIZE
FUNCTION(x86_vectors)
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	.balign	X86_VECTOR_STUB_SIZE
	.if	((X86_ERROR_CODE_VECTORS >> \n) & 1) == 0
	pushl	$0
	.endif
	pushl	$\n
	jmp	i386_exception_common
	.endr
END_FUNCTION(x86_vectors)

FUNCTION(i386_exception_common)
	pushal
	addl	$EXC_FRAME_SP_FROM_VECTOR, EXC_FRAME_SP - EXC_FRAME_PUSHA(%esp)
	pushl	%ss
	movl	%cr2, %eax
	pushl	%eax
	movl	%esp, %eax
	cld
	pushl	%eax
	call	x86_handle_exception
	addl	$12, %esp		/* the argument, CR2, SS */
	popal
	addl	$8, %esp		/* the vector and the error code */
	iretl
END_FUNCTION(i386_exception_common)

/*
 * The double-fault task: entered on its own stack, with the error code
 * (0) pushed; the faulting state is in the kernel's TSS.
 */
FUNCTION(i386_double_fault_task)
	call	i386_double_fault
1:	hlt
	jmp	1b
END_FUNCTION(i386_double_fault_task)

	.section .note.GNU-stack, "", %progbits
