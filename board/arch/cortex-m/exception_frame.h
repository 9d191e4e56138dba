/* SPDX-License-Identifier: MIT */
/*
 * The two frames a Cortex-M exception report reads, one layout for
 * assembly (the offsets) and C (the structs), tied together by
 * _Static_assert.
 *
 * The core itself stacks r0-r3, r12, LR, the return address and xPSR on
 * the interrupted code's stack (MSP or PSP, as EXC_RETURN says), 8-byte
 * aligned: struct cortexm_stacked.  vectors.S pushes the rest on the
 * handler's stack (MSP): EXC_RETURN, the address of the stacked frame and
 * r4-r11, which the core leaves live: struct exception_frame.
 */
#ifndef EXCEPTION_FRAME_H
#define EXCEPTION_FRAME_H

#define EXC_FRAME_EXC_RETURN	0	/* LR on entry: how to return, which stack */
#define EXC_FRAME_STACKED	4	/* the address of struct cortexm_stacked */
#define EXC_FRAME_R4		8	/* r4..r11, 4 bytes each */
#define EXC_FRAME_R(n)		(EXC_FRAME_R4 + ((n) - 4) * 4)
#define EXC_FRAME_SIZE		40	/* a multiple of 8: the C call keeps AAPCS alignment */

#define STACKED_R0		0
#define STACKED_R12		16
#define STACKED_LR		20
#define STACKED_PC		24	/* the faulting (or next) instruction */
#define STACKED_XPSR		28
#define STACKED_SIZE		32	/* the basic frame, without FP state */

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct exception_frame {
	uint32_t exc_return;
	uint32_t stacked;
	uint32_t r4_r11[8];
};

struct cortexm_stacked {
	uint32_t r0_r3[4];
	uint32_t r12;
	uint32_t lr;
	uint32_t pc;
	uint32_t xpsr;
};

_Static_assert(offsetof(struct exception_frame, exc_return) == EXC_FRAME_EXC_RETURN, "exc_return");
_Static_assert(offsetof(struct exception_frame, stacked) == EXC_FRAME_STACKED, "stacked");
_Static_assert(offsetof(struct exception_frame, r4_r11[7]) == EXC_FRAME_R(11), "r11");
_Static_assert(sizeof(struct exception_frame) == EXC_FRAME_SIZE, "size");
_Static_assert(offsetof(struct cortexm_stacked, r12) == STACKED_R12, "r12");
_Static_assert(offsetof(struct cortexm_stacked, lr) == STACKED_LR, "lr");
_Static_assert(offsetof(struct cortexm_stacked, pc) == STACKED_PC, "pc");
_Static_assert(offsetof(struct cortexm_stacked, xpsr) == STACKED_XPSR, "xpsr");
_Static_assert(sizeof(struct cortexm_stacked) == STACKED_SIZE, "stacked size");
#endif /* __ASSEMBLER__ */

#endif /* EXCEPTION_FRAME_H */
