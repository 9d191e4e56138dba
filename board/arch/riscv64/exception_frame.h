/* SPDX-License-Identifier: MIT */
/*
 * The register frame trap.S saves on the stack at every trap: one layout
 * for assembly (the offsets) and C (the struct), tied together by
 * _Static_assert.  x[n] is register xn (x[0] reads as zero, x[2] is sp
 * before the trap), then the supervisor CSRs.  The last two words are a
 * frame record {s0, sepc} in the RISC-V order (caller's s0 at s0 - 16, the
 * return address at s0 - 8): s0 points just past it (at the trap-time sp)
 * while the C handler runs, so a frame-pointer walk from inside the
 * handler goes on into the interrupted code.
 */
#ifndef EXCEPTION_FRAME_H
#define EXCEPTION_FRAME_H

#define EXC_FRAME_X0		0	/* x0..x31, 8 bytes each */
#define EXC_FRAME_X(n)		(EXC_FRAME_X0 + (n) * 8)
#define EXC_FRAME_SEPC		256
#define EXC_FRAME_SCAUSE	264
#define EXC_FRAME_STVAL		272
#define EXC_FRAME_SSTATUS	280
#define EXC_FRAME_RECORD	288	/* {s0, sepc} */
#define EXC_FRAME_SIZE		304	/* a multiple of 16 (the psABI's sp alignment) */

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct exception_frame {
	uint64_t x[32];
	uint64_t sepc;
	uint64_t scause;
	uint64_t stval;
	uint64_t sstatus;
	uint64_t record[2];
};

_Static_assert(offsetof(struct exception_frame, x) == EXC_FRAME_X0, "x0");
_Static_assert(offsetof(struct exception_frame, x[31]) == EXC_FRAME_X(31), "x31");
_Static_assert(offsetof(struct exception_frame, sepc) == EXC_FRAME_SEPC, "sepc");
_Static_assert(offsetof(struct exception_frame, scause) == EXC_FRAME_SCAUSE, "scause");
_Static_assert(offsetof(struct exception_frame, stval) == EXC_FRAME_STVAL, "stval");
_Static_assert(offsetof(struct exception_frame, sstatus) == EXC_FRAME_SSTATUS, "sstatus");
_Static_assert(offsetof(struct exception_frame, record) == EXC_FRAME_RECORD, "record");
_Static_assert(EXC_FRAME_RECORD + 16 == EXC_FRAME_SIZE, "the record ends the frame");
_Static_assert(sizeof(struct exception_frame) == EXC_FRAME_SIZE, "size");
_Static_assert(EXC_FRAME_SIZE % 16 == 0, "the frame keeps sp 16-byte aligned");
#endif /* __ASSEMBLER__ */

#endif /* EXCEPTION_FRAME_H */
