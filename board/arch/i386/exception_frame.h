/* SPDX-License-Identifier: MIT */
/*
 * The register frame vectors.S builds on the stack at every exception, in
 * 32-bit protected mode: one layout for assembly (the offsets) and C (the
 * struct), tied together by _Static_assert.  From the lowest address: what
 * the stub pushes last (CR2, SS, then pusha's eight registers, its ESP slot
 * rewritten to the trap-time ESP), the vector and the error code (0 for a
 * vector without one), then what the CPU pushed: EIP, CS, EFLAGS.  From
 * ring 0 to ring 0 the CPU pushes no ESP/SS, so the trap-time ESP is the
 * address just past EFLAGS.  board/arch/x86/exception.c reads the fields
 * by the names the x86_64 frame uses too.
 */
#ifndef EXCEPTION_FRAME_H
#define EXCEPTION_FRAME_H

#define EXC_FRAME_CR2		0
#define EXC_FRAME_SS		4
#define EXC_FRAME_PUSHA		8	/* edi esi ebp esp ebx edx ecx eax */
#define EXC_FRAME_SP		(EXC_FRAME_PUSHA + 12)
#define EXC_FRAME_VECTOR	40
#define EXC_FRAME_ERROR		44
#define EXC_FRAME_IP		48	/* pushed by the CPU: EIP, CS, EFLAGS */
#define EXC_FRAME_SIZE		60
/* Bytes from the vector word to the trap-time ESP: vector, error, EIP, CS, EFLAGS. */
#define EXC_FRAME_SP_FROM_VECTOR	20

/* Frame pointers of this ABI are word aligned (i386 SysV keeps 4 bytes at least). */
#define X86_FRAME_ALIGN		4

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct exception_frame {
	uint32_t cr2;
	uint32_t ss;	/* the low 16 bits; push of a segment register */
	uint32_t di, si, bp, sp, bx, dx, cx, ax;
	uint32_t vector;
	uint32_t error;
	uint32_t ip, cs, flags;
};

_Static_assert(offsetof(struct exception_frame, cr2) == EXC_FRAME_CR2, "cr2");
_Static_assert(offsetof(struct exception_frame, ss) == EXC_FRAME_SS, "ss");
_Static_assert(offsetof(struct exception_frame, di) == EXC_FRAME_PUSHA, "pusha");
_Static_assert(offsetof(struct exception_frame, sp) == EXC_FRAME_SP, "esp slot");
_Static_assert(offsetof(struct exception_frame, ax) == EXC_FRAME_PUSHA + 28, "eax");
_Static_assert(offsetof(struct exception_frame, vector) == EXC_FRAME_VECTOR, "vector");
_Static_assert(offsetof(struct exception_frame, error) == EXC_FRAME_ERROR, "error");
_Static_assert(offsetof(struct exception_frame, ip) == EXC_FRAME_IP, "eip");
_Static_assert(sizeof(struct exception_frame) == EXC_FRAME_SIZE, "size");
_Static_assert(EXC_FRAME_SIZE - EXC_FRAME_VECTOR == EXC_FRAME_SP_FROM_VECTOR, "esp");
#endif /* __ASSEMBLER__ */

#endif /* EXCEPTION_FRAME_H */
