/* SPDX-License-Identifier: MIT */
/*
 * The register frame vectors.S saves on the stack at every exception:
 * one layout for assembly (the offsets) and C (the struct), tied together
 * by _Static_assert.  The last two words are a frame record {x29, ELR_EL1}:
 * x29 points at it while the C handler runs, so a frame-pointer walk goes
 * from the handler into the interrupted code.
 */
#ifndef EXCEPTION_FRAME_H
#define EXCEPTION_FRAME_H

#define EXC_FRAME_X0		0	/* x0..x30, 8 bytes each */
#define EXC_FRAME_X(n)		(EXC_FRAME_X0 + (n) * 8)
#define EXC_FRAME_SP		248	/* SP before the exception */
#define EXC_FRAME_ELR		256
#define EXC_FRAME_SPSR		264
#define EXC_FRAME_ESR		272
#define EXC_FRAME_FAR		280
#define EXC_FRAME_RECORD	288	/* {x29, ELR_EL1} */
#define EXC_FRAME_SIZE		304	/* a multiple of 16 */

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct exception_frame {
	uint64_t x[31];
	uint64_t sp;
	uint64_t elr;
	uint64_t spsr;
	uint64_t esr;
	uint64_t far;
	uint64_t record[2];
};

_Static_assert(offsetof(struct exception_frame, x) == EXC_FRAME_X0, "x0");
_Static_assert(offsetof(struct exception_frame, x[30]) == EXC_FRAME_X(30), "x30");
_Static_assert(offsetof(struct exception_frame, sp) == EXC_FRAME_SP, "sp");
_Static_assert(offsetof(struct exception_frame, elr) == EXC_FRAME_ELR, "elr");
_Static_assert(offsetof(struct exception_frame, spsr) == EXC_FRAME_SPSR, "spsr");
_Static_assert(offsetof(struct exception_frame, esr) == EXC_FRAME_ESR, "esr");
_Static_assert(offsetof(struct exception_frame, far) == EXC_FRAME_FAR, "far");
_Static_assert(offsetof(struct exception_frame, record) == EXC_FRAME_RECORD, "record");
_Static_assert(sizeof(struct exception_frame) == EXC_FRAME_SIZE, "size");
_Static_assert(EXC_FRAME_SIZE % 16 == 0, "the frame keeps SP 16-byte aligned");
#endif /* __ASSEMBLER__ */

#endif /* EXCEPTION_FRAME_H */
