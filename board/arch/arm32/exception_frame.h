/* SPDX-License-Identifier: MIT */
/*
 * The register frame vectors.S builds on the SVC stack at every exception:
 * one layout for assembly (the offsets) and C (the struct), tied together
 * by _Static_assert.  From the top down: the interrupted PC and CPSR,
 * stored by SRS (so `rfeia sp!` returns through them), r0-r12 and lr as
 * one push, then what the entry read for the report: the saved SP and the
 * fault status and address registers of the exception kind.
 */
#ifndef EXCEPTION_FRAME_H
#define EXCEPTION_FRAME_H

/* The exception kinds, by vector (the offset in the table / 4). */
#define EXC_RESET		0
#define EXC_UNDEF		1
#define EXC_SVC			2
#define EXC_PABORT		3
#define EXC_DABORT		4
#define EXC_HYP			5	/* never taken to PL1 */
#define EXC_IRQ			6
#define EXC_FIQ			7

#define EXC_FRAME_FSR		0	/* DFSR, IFSR or 0 */
#define EXC_FRAME_FAR		4	/* DFAR, IFAR or 0 */
#define EXC_FRAME_KIND		8	/* EXC_* */
#define EXC_FRAME_SP		12	/* SP before the exception */
#define EXC_FRAME_R0		16	/* r0..r12, 4 bytes each */
#define EXC_FRAME_R(n)		(EXC_FRAME_R0 + (n) * 4)
#define EXC_FRAME_LR		68
#define EXC_FRAME_PC		72	/* the faulting (or next) instruction */
#define EXC_FRAME_SPSR		76	/* the interrupted CPSR */
#define EXC_FRAME_SIZE		80

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct exception_frame {
	uint32_t fsr;
	uint32_t far;
	uint32_t kind;
	uint32_t sp;
	uint32_t r[13];
	uint32_t lr;
	uint32_t pc;
	uint32_t spsr;
};

_Static_assert(offsetof(struct exception_frame, fsr) == EXC_FRAME_FSR, "fsr");
_Static_assert(offsetof(struct exception_frame, far) == EXC_FRAME_FAR, "far");
_Static_assert(offsetof(struct exception_frame, kind) == EXC_FRAME_KIND, "kind");
_Static_assert(offsetof(struct exception_frame, sp) == EXC_FRAME_SP, "sp");
_Static_assert(offsetof(struct exception_frame, r) == EXC_FRAME_R0, "r0");
_Static_assert(offsetof(struct exception_frame, r[12]) == EXC_FRAME_R(12), "r12");
_Static_assert(offsetof(struct exception_frame, lr) == EXC_FRAME_LR, "lr");
_Static_assert(offsetof(struct exception_frame, pc) == EXC_FRAME_PC, "pc");
_Static_assert(offsetof(struct exception_frame, spsr) == EXC_FRAME_SPSR, "spsr");
_Static_assert(sizeof(struct exception_frame) == EXC_FRAME_SIZE, "size");
#endif /* __ASSEMBLER__ */

#endif /* EXCEPTION_FRAME_H */
