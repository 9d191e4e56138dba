/* SPDX-License-Identifier: MIT */
/*
 * The register frame vectors.S builds on the stack at every exception, in
 * long mode: one layout for assembly (the offsets) and C (the struct),
 * tied together by _Static_assert.  From the lowest address: a pad word
 * (so the C handler is called with RSP 16-byte aligned), CR2, the fifteen
 * general registers (R15 lowest, RAX highest: the stub pushes RAX first),
 * the vector and the error code (0 for a vector without one), then what
 * the CPU pushes in 64-bit mode, always: RIP, CS, RFLAGS, RSP, SS.  The
 * CPU aligns RSP to 16 before it pushes, so with the error code and the
 * vector, 15 registers, CR2 and the pad the frame ends 16-byte aligned.
 * board/arch/x86/exception.c reads the fields by the names the i386 frame
 * uses too.
 */
#ifndef EXCEPTION_FRAME_H
#define EXCEPTION_FRAME_H

#define EXC_FRAME_CR2		8
#define EXC_FRAME_R15		16	/* r15 .. r8, rdi rsi rbp rdx rcx rbx rax */
#define EXC_FRAME_VECTOR	136
#define EXC_FRAME_ERROR		144
#define EXC_FRAME_IP		152	/* pushed by the CPU: RIP, CS, RFLAGS, RSP, SS */
#define EXC_FRAME_SIZE		192

/* The SysV ABI keeps RSP 16-byte aligned at a call, so every RBP is too. */
#define X86_FRAME_ALIGN		16

/* The Interrupt Stack Table slot (1..7) of the TSS that #DF runs on. */
#define X86_64_DF_IST		1

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct exception_frame {
	uint64_t pad;
	uint64_t cr2;
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t di, si, bp, dx, cx, bx, ax;
	uint64_t vector;
	uint64_t error;
	uint64_t ip, cs, flags, sp, ss;
};

_Static_assert(offsetof(struct exception_frame, cr2) == EXC_FRAME_CR2, "cr2");
_Static_assert(offsetof(struct exception_frame, r15) == EXC_FRAME_R15, "r15");
_Static_assert(offsetof(struct exception_frame, ax) == EXC_FRAME_VECTOR - 8, "rax");
_Static_assert(offsetof(struct exception_frame, vector) == EXC_FRAME_VECTOR, "vector");
_Static_assert(offsetof(struct exception_frame, error) == EXC_FRAME_ERROR, "error");
_Static_assert(offsetof(struct exception_frame, ip) == EXC_FRAME_IP, "rip");
_Static_assert(sizeof(struct exception_frame) == EXC_FRAME_SIZE, "size");
_Static_assert(EXC_FRAME_SIZE % 16 == 0, "the frame keeps RSP 16-byte aligned");
#endif /* __ASSEMBLER__ */

#endif /* EXCEPTION_FRAME_H */
