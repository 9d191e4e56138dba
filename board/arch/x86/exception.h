/* SPDX-License-Identifier: MIT */
/*
 * x86 exception reports (i386 and x86_64, one source) with symbol names
 * from the ksympatch table: the vector by name, the error code in words,
 * CR2 for a page fault, the instruction pointer, flags, CS/SS, the general
 * registers and an EBP/RBP frame-pointer backtrace, over the console of
 * board/common/plat.h.  The register frame is the architecture's
 * (board/arch/i386 or board/arch/x86_64, exception_frame.h), with the same
 * field names.  Needs frame pointers in the kernel (-fno-omit-frame-pointer
 * -fno-optimize-sibling-calls) for a complete backtrace.
 */
#ifndef EXCEPTION_H
#define EXCEPTION_H

#include "exception_frame.h"

/* The first 32 vectors are the CPU's exceptions; the IDT has these. */
#define X86_EXCEPTIONS		32
/* The vectors whose exception pushes an error code, one bit each. */
#define X86_ERROR_CODE_VECTORS	0x60227d00	/* 8 10-14 17 21 29 30 */
#define X86_VECTOR_DF		8
#define X86_VECTOR_BP		3
/* vectors.S: one stub per exception, 16 bytes apart from x86_vectors. */
#define X86_VECTOR_STUB_SIZE	16

#ifndef __ASSEMBLER__
/*
 * Called by vectors.S with the saved frame.  Prints the report.  Returns
 * only after int3 (a trap: the saved instruction pointer is already past
 * it); anything else ends in kernel_exception_fatal().  An exception
 * inside the handler prints one line and powers off.
 */
void x86_handle_exception(struct exception_frame *f);

/* The report on its own. */
void x86_exception_report(const struct exception_frame *f);

/* The exception stubs (vectors.S), X86_VECTOR_STUB_SIZE bytes each. */
extern const char x86_vectors[];

/* Provided by the kernel: runs after the report of a fatal exception. */
__attribute__((noreturn)) void kernel_exception_fatal(void);
#endif /* __ASSEMBLER__ */

#endif /* EXCEPTION_H */
