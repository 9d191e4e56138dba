/* SPDX-License-Identifier: MIT */
/*
 * ARM EHABI unwinding, one frame at a time, for Thumb-2 code from GCC and
 * clang alike (both emit these tables with -funwind-tables), in the manner
 * of Linux's arch/arm/kernel/unwind.c.
 *
 * Strategy: binary-search .ARM.exidx (sorted by the linker) for the entry
 * of the function holding the address, take its unwind instructions (the
 * compact model: personality 0 inline or in .ARM.extab, 1 and 2 in
 * .ARM.extab), and run them on a virtual register set whose r13 is the
 * virtual SP: they undo the prologue (pops, SP adjustments, SP from the
 * frame pointer).  If the instructions restored no PC, the return address
 * is LR.  Every word read, of the tables or the stack, is bounds-checked
 * first; the caller's SP must not be below ours.
 *
 * Why EHABI and not frame pointers: in Thumb-2 the two compilers disagree
 * on r7.  clang pushes {r7, lr} and points r7 at that pair, a chain of
 * frame records; GCC points r7 at the bottom of the frame, after the
 * locals, with nothing that leads to the caller.  The unwind tables are
 * what the ABI defines for both.
 */
#include <stddef.h>

#include "unwind.h"

#define EXIDX_CANTUNWIND	0x1u
#define EHABI_COMPACT		0x80000000u	/* bit 31 of an entry's first word */
#define REG_SP			13
#define REG_LR			14
#define REG_PC			15

/* The unwind instructions of one function and the registers they act on. */
struct unwinder {
	const struct arm32_unwind_bounds *b;
	const uint32_t *words;		/* the instructions, most significant byte first */
	unsigned int pos, end;		/* byte positions in words[] */
	uint32_t *r;			/* the registers; r[13] is the virtual SP */
	int pc_loaded;
};

/* A prel31 word: a 31-bit signed offset from the word's own address. */
static uint32_t prel31(const uint32_t *p)
{
	return (uint32_t)(uintptr_t)p + (uint32_t)((int32_t)(*p << 1) >> 1);
}

static int next_byte(struct unwinder *u, uint32_t *byte)
{
	if (u->pos >= u->end)
		return -1;
	*byte = (u->words[u->pos / 4] >> (24 - 8 * (u->pos % 4))) & 0xff;
	u->pos++;
	return 0;
}

static int read_stack(const struct arm32_unwind_bounds *b, uint32_t addr, uint32_t *v)
{
	if (addr % 4 || addr < b->stack_lo || b->stack_hi < 4 || addr > b->stack_hi - 4)
		return -1;
	*v = *(const volatile uint32_t *)(uintptr_t)addr;
	return 0;
}

/* Pop the registers of mask (bit n: rn) from the virtual SP, lowest first. */
static int pop_regs(struct unwinder *u, uint32_t mask)
{
	uint32_t vsp = u->r[REG_SP];

	for (unsigned int n = 0; n < 16; n++) {
		if (!(mask & (1u << n)))
			continue;
		if (read_stack(u->b, vsp, &u->r[n]))
			return -1;
		vsp += 4;
	}
	/* A popped SP is the new virtual SP; otherwise it moves past the pops. */
	if (!(mask & (1u << REG_SP)))
		u->r[REG_SP] = vsp;
	if (mask & (1u << REG_PC))
		u->pc_loaded = 1;
	return 0;
}

/* The opcodes of EHABI section 10.3, up to "finish" or the end. */
static int run(struct unwinder *u)
{
	uint32_t op, op2;

	while (!next_byte(u, &op)) {
		if ((op & 0xc0) == 0x00) {			/* vsp += (x << 2) + 4 */
			u->r[REG_SP] += ((op & 0x3f) << 2) + 4;
		} else if ((op & 0xc0) == 0x40) {		/* vsp -= (x << 2) + 4 */
			u->r[REG_SP] -= ((op & 0x3f) << 2) + 4;
		} else if ((op & 0xf0) == 0x80) {		/* pop r4-r15 under mask */
			if (next_byte(u, &op2))
				return -1;
			if (!(op & 0x0f) && !op2)
				return -1;			/* "refuse to unwind" */
			if (pop_regs(u, ((op & 0x0f) << 12) | (op2 << 4)))
				return -1;
		} else if ((op & 0xf0) == 0x90) {		/* vsp = r[n] */
			if ((op & 0x0f) == REG_SP || (op & 0x0f) == REG_PC)
				return -1;			/* reserved */
			u->r[REG_SP] = u->r[op & 0x0f];
		} else if ((op & 0xf0) == 0xa0) {		/* pop r4-r[4+n] [, r14] */
			uint32_t mask = ((1u << ((op & 0x07) + 1)) - 1) << 4;

			if (op & 0x08)
				mask |= 1u << REG_LR;
			if (pop_regs(u, mask))
				return -1;
		} else if (op == 0xb0) {			/* finish */
			return 0;
		} else if (op == 0xb1) {			/* pop r0-r3 under mask */
			if (next_byte(u, &op2) || !op2 || (op2 & 0xf0))
				return -1;
			if (pop_regs(u, op2))
				return -1;
		} else if (op == 0xb2) {			/* vsp += 0x204 + (uleb128 << 2) */
			uint32_t v = 0;
			unsigned int shift = 0;

			do {
				if (next_byte(u, &op2) || shift > 28)
					return -1;
				v |= (op2 & 0x7f) << shift;
				shift += 7;
			} while (op2 & 0x80);
			u->r[REG_SP] += 0x204 + (v << 2);
		} else if (op == 0xb3) {			/* VFP d[s]..d[s+c], FSTMFDX */
			if (next_byte(u, &op2))
				return -1;
			u->r[REG_SP] += 8 * ((op2 & 0x0f) + 1) + 4;
		} else if ((op & 0xf8) == 0xb8) {		/* VFP d8..d[8+n], FSTMFDX */
			u->r[REG_SP] += 8 * ((op & 0x07) + 1) + 4;
		} else if (op == 0xc8 || op == 0xc9) {		/* VFP d[16+s].., d[s]..: VPUSH */
			if (next_byte(u, &op2))
				return -1;
			u->r[REG_SP] += 8 * ((op2 & 0x0f) + 1);
		} else if ((op & 0xf8) == 0xd0) {		/* VFP d8..d[8+n], VPUSH */
			u->r[REG_SP] += 8 * ((op & 0x07) + 1);
		} else {
			return -1;				/* iWMMXt, spare */
		}
	}
	return 0;	/* the instructions ran out: an implicit "finish" */
}

/* The index entry {function, data} that covers addr, or NULL. */
static const uint32_t *find_entry(const struct arm32_unwind_bounds *b, uint32_t addr)
{
	uintptr_t words = (uintptr_t)(b->exidx_end - b->exidx);
	uint32_t lo = 0, hi = (uint32_t)(words / 2);

	if (words % 2 || !hi || addr < prel31(&b->exidx[0]))
		return NULL;
	while (hi - lo > 1) {				/* exidx[lo] <= addr < exidx[hi] */
		uint32_t mid = lo + (hi - lo) / 2;

		if (prel31(&b->exidx[2 * mid]) <= addr)
			lo = mid;
		else
			hi = mid;
	}
	return &b->exidx[2 * lo];
}

/* Point u at the unwind instructions of entry; -1 if it has none we can run. */
static int load_instructions(struct unwinder *u, const uint32_t *entry)
{
	const struct arm32_unwind_bounds *b = u->b;
	const uint32_t *w = &entry[1];
	uint32_t extra;

	if (*w == EXIDX_CANTUNWIND)
		return -1;
	if (!(*w & EHABI_COMPACT)) {			/* out of line, in .ARM.extab */
		uintptr_t at = prel31(w);

		if (at % 4 || at < (uintptr_t)b->extab || at >= (uintptr_t)b->extab_end)
			return -1;
		w = (const uint32_t *)at;
	}
	if (!(*w & EHABI_COMPACT))
		return -1;	/* a personality routine of its own (C++): no compact data */
	u->words = w;
	switch ((*w >> 24) & 0x0f) {
	case 0:		/* su16: three instruction bytes in this word */
		u->pos = 1;
		u->end = 4;
		return 0;
	case 1:
	case 2:		/* lu16, lu32: two bytes here and `extra` words after it */
		extra = (*w >> 16) & 0xff;
		if (w == &entry[1] || (uintptr_t)(b->extab_end - w) < 1 + extra)
			return -1;
		u->pos = 2;
		u->end = 4 * (1 + extra);
		return 0;
	default:
		return -1;
	}
}

int arm32_unwind_frame(const struct arm32_unwind_bounds *b, struct arm32_unwind_regs *s,
		       int at_fault)
{
	/* Field by field: a freestanding kernel has no memset to zero it with. */
	struct unwinder u;
	uint32_t pc = s->r[REG_PC] & ~1u, sp = s->r[REG_SP];
	const uint32_t *entry = find_entry(b, at_fault ? pc : pc - 2);

	u.b = b;
	u.r = s->r;
	u.pc_loaded = 0;
	if (!entry || load_instructions(&u, entry) || run(&u))
		return -1;
	if (!u.pc_loaded)
		s->r[REG_PC] = s->r[REG_LR];
	s->r[REG_PC] &= ~1u;

	/*
	 * Callers' frames are higher up the stack.  Only the faulting
	 * function may be a leaf that saved nothing, so only there may SP
	 * stay where it was.
	 */
	if (s->r[REG_SP] < sp || (s->r[REG_SP] == sp && (!at_fault || s->r[REG_PC] == pc)) ||
	    !s->r[REG_PC])
		return -1;
	return 0;
}
