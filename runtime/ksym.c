/* SPDX-License-Identifier: MIT */
/*
 * ksym runtime: validate the symbol blob once, then answer address and name
 * lookups from it in place (format: ksym/format.h, docs/FORMAT.md).
 *
 * Strategy: ksym_open() decodes the whole table once and proves everything
 * the lookups rely on (layout, every varint and token inside its stream,
 * token nesting, sort orders, the two permutations, the max-end tree, the
 * checksum).  Lookups then decode at most one block of records and one run
 * of names between restarts, through the same bounds-checked readers.
 *
 * Freestanding on every target the README lists: no libc, no allocation,
 * no recursion, general registers only, and nothing a compiler lowers to a
 * library call: fields are read a byte at a time (no alignment, no
 * byte-swap builtin), no 64-bit multiply and no 64-bit shift by a variable
 * amount (libgcc calls on ARMv6-M and, at -Os, on RV32), no struct copied
 * or initialised as a whole (memcpy/memset).  Offsets inside the blob are
 * 32-bit: the header's are.  Stack: what ksym.h promises, callees
 * included (make test sums it over the call graph on every target); the
 * deepest are ksym_verify()'s two name readers and a lookup's block scan,
 * whose frames are mostly saved registers and spills: helpers that would
 * add theirs to every caller are kept APART, and at -O0, where every call
 * is a frame, the lookups' path has few levels of helpers.
 */
#include <ksym/format.h>
#include <ksym/ksym.h>

/*
 * Addresses are held in KSYM_ADDR_BITS bits, by default the target's
 * pointer width: a 32-bit kernel's table holds 32-bit addresses, and
 * holding them in one register each spares a lookup on a 32-bit core half
 * its registers (its stack and code: README).  A 32-bit build refuses a
 * table of 64-bit addresses; the host tool defines 64.  Every value is
 * checked in the width it was read in before it is narrowed.
 */
#ifndef KSYM_ADDR_BITS
#define KSYM_ADDR_BITS (__SIZEOF_POINTER__ * 8)
#endif
#if KSYM_ADDR_BITS == 32
typedef uint32_t kaddr_t;
#elif KSYM_ADDR_BITS == 64
typedef uint64_t kaddr_t;
#else
#error "KSYM_ADDR_BITS must be 32 or 64"
#endif

/* ---- readers ----------------------------------------------------------- */

/*
 * Inlined into their callers when optimising: the small readers on every
 * lookup's path, and the name reader's two loops (so that ksym_name() is a
 * leaf); at -O0 they stay calls, as every inlined copy would get stack
 * slots of its own there.
 */
#ifdef __OPTIMIZE__
#define OPT_INLINE static inline __attribute__((always_inline))
#else
#define OPT_INLINE static
#endif

/* The steps of ksym_open(), kept apart so that their frames do not add up. */
#define OPEN_STEP static __attribute__((noinline))

/*
 * A helper kept out of line when optimising, so that its registers and
 * locals are not spilled into the frame of every caller it would be
 * inlined into (ksym.h's stack promise).
 */
#define APART static __attribute__((noinline))

/* A test build counts the records it decodes (tests/test_runtime_work.c). */
#ifndef KSYM_COUNT_RECORD
#define KSYM_COUNT_RECORD() ((void)0)
#endif

/* A u32 at off, in the table's byte order. */
OPT_INLINE uint32_t rd32(const struct ksym_table *t, uint32_t off)
{
	const unsigned char *p = t->blob + off;

	if (t->big_endian)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/*
 * A block offset or a name restart at off: a u32, or a u16 with
 * KSYM_FLAG_SHORT.  Not through rd32(): at -O0 that would be one more
 * frame on every lookup's path.  (Out of line it would save 260 bytes of
 * code on Cortex-M3 at -Os, and cost up to 20 of stack on i386 and RV64.)
 */
OPT_INLINE uint32_t rd_off(const struct ksym_table *t, uint32_t off)
{
	const unsigned char *p = t->blob + off;
	uint32_t v = 0;

	for (unsigned i = 0; i < t->off_size; i++)
		v = v << 8 | p[t->big_endian ? i : t->off_size - 1u - i];
	return v;
}

/* An n-byte field (4 or 8) at off, in the table's byte order. */
OPT_INLINE uint64_t rd(const struct ksym_table *t, uint32_t off, unsigned n)
{
	uint32_t lo, hi;

	if (n != 8)
		return rd32(t, off);
	hi = rd32(t, t->big_endian ? off : off + 4);
	lo = rd32(t, t->big_endian ? off + 4 : off);
	return (uint64_t)hi << 32 | lo;
}

/* a * b for b < 2^16, from 32-bit multiplies (a 64-bit one is a libgcc call on ARMv6-M). */
static uint64_t mul_small(uint32_t a, uint32_t b)
{
	return ((uint64_t)((a >> 16) * b) << 16) + (a & 0xffffu) * b;
}

OPT_INLINE kaddr_t addr_max(const struct ksym_table *t)
{
	return t->addr_size == 8 ? (kaddr_t)UINT64_MAX : UINT32_MAX;
}

/* A read position inside [.., end) of the blob; bad is set instead of reading past end. */
struct cursor {
	const struct ksym_table *t;
	uint32_t off, end;
	uint8_t bad;
};

OPT_INLINE void cursor_at(struct cursor *c, const struct ksym_table *t, uint32_t off, uint32_t end)
{
	c->t = t;
	c->off = off;
	c->end = end;
	c->bad = 0;
}

OPT_INLINE unsigned get_byte(struct cursor *c)
{
	if (c->off >= c->end) {
		c->bad = 1;
		return 0;
	}
	return c->t->blob[c->off++];
}

/*
 * A LEB128 varint of at most max_bytes bytes: its length first, then its
 * groups from the last, seven bits at a time (a shift by a constant, so no
 * 64-bit shift by a variable amount, and no constants held in registers for
 * the loop).  Over max_bytes: 0 and bad set; cut short by the stream's end:
 * what it held, and bad set.  Most sizes and shared-prefix lengths are one
 * byte, most address deltas two: optimising for speed, those return first
 * (the two-byte case: 1,301 -> 1,215 instructions a glibc address lookup);
 * not at -Os, where the code counts for more.
 */
OPT_INLINE uint64_t get_varint(struct cursor *c, unsigned max_bytes)
{
	const unsigned char *p = c->t->blob + c->off;
	uint32_t left = c->off < c->end ? c->end - c->off : 0, n = 0;
	uint64_t v = 0;

#ifndef __OPTIMIZE_SIZE__
	if (left && !(p[0] & 0x80)) {
		c->off++;
		return p[0];
	}
	if (left > 1 && max_bytes > 1 && !(p[1] & 0x80)) {
		c->off += 2;
		return (p[0] & 0x7fu) | (uint32_t)p[1] << 7;
	}
#endif
	while (n < left && n < max_bytes && (p[n] & 0x80))
		n++;
	if (n == max_bytes) {
		c->off += n;
		c->bad = 1;
		return 0;
	}
	if (n == left)
		c->bad = 1;
	else
		n++; /* the last byte, without the continuation bit */
	c->off += n;
	while (n)
		v = v << 7 | (p[--n] & 0x7fu);
	return v;
}

/* ---- records: the address order ---------------------------------------- */

struct rec {
	kaddr_t start, size;
	unsigned type;
};

/* Block b's index entry (inside the layout ksym_open() checked: no overflow). */
OPT_INLINE uint32_t block_entry(const struct ksym_table *t, uint32_t b)
{
	return t->blocks_off + b * (uint32_t)(t->head_size + t->off_size);
}

/* The block's first start less base (the whole start with wide heads). */
OPT_INLINE kaddr_t block_rel_head(const struct ksym_table *t, uint32_t b)
{
	return (kaddr_t)rd(t, block_entry(t, b), t->head_size);
}

/* For open's checks: in 64 bits, so that a damaged head cannot wrap past them. */
OPT_INLINE uint64_t block_head(const struct ksym_table *t, uint32_t b)
{
	return t->base + rd(t, block_entry(t, b), t->head_size);
}

OPT_INLINE uint32_t block_offset(const struct ksym_table *t, uint32_t b)
{
	return rd_off(t, block_entry(t, b) + t->head_size);
}

/*
 * A cursor on block b's records and *r ready for its first one.  The head
 * is read with rd() here and in block_head(), not through block_rel_head():
 * at -O0 each level of these helpers is a frame on every lookup's path.
 */
OPT_INLINE void block_start(const struct ksym_table *t, uint32_t b, struct cursor *c, struct rec *r)
{
	cursor_at(c, t, t->records_off + block_offset(t, b), t->restarts_off);
	r->start = (kaddr_t)(t->base + rd(t, block_entry(t, b), t->head_size));
	r->size = 0;
	r->type = 0;
}

/*
 * Decode the next record into *r, which holds the previous one (or, for the
 * first record of a block, has start = the block's head).  Sets c->bad on
 * anything outside the format.
 */
OPT_INLINE void next_record(const struct ksym_table *t, struct cursor *c, struct rec *r, int first)
{
	unsigned code = get_byte(c), how = KSYM_CODE_START(code);
	kaddr_t max = addr_max(t), start = r->start;
	uint64_t v; /* a varint, checked before it is narrowed */

	KSYM_COUNT_RECORD();
	if (first && how != KSYM_START_SAME) {
		c->bad = 1;
	} else if (how == KSYM_START_DELTA) {
		v = get_varint(c, 10);
		if (v == 0 || v > max - start)
			c->bad = 1;
		start += (kaddr_t)v;
	} else if (how != KSYM_START_SAME) {
		kaddr_t pad = (uint32_t)(how - 1) << t->pad_shift; /* at most 5 << 7 */

		if (r->size > max - start || pad > max - start - r->size)
			c->bad = 1;
		start += r->size + pad;
	}
	r->start = start;
	r->type = KSYM_CODE_TYPE(code);
	v = get_varint(c, 5);
	if (v > UINT32_MAX >> t->blob[KSYM_HDR_SHIFTS + r->type]) /* shifts are at most 31: open */
		c->bad = 1;
	r->size = (uint32_t)v << t->blob[KSYM_HDR_SHIFTS + r->type];
	/* [start, start + size) may end exactly at the top of the address space. */
	if (r->size && r->size - 1 > max - start)
		c->bad = 1;
}

OPT_INLINE int contains(const struct rec *r, kaddr_t addr)
{
	return addr - r->start < r->size;
}

static void fill(const struct ksym_table *t, const struct rec *r, uint32_t i, struct ksym_symbol *out)
{
	out->start = r->start;
	out->size = r->size;
	out->index = i;
	out->type = (char)t->blob[KSYM_HDR_TYPES + r->type];
}

static uint32_t block_len(const struct ksym_table *t, uint32_t b)
{
	uint32_t left = t->count - b * KSYM_BLOCK;

	return left < KSYM_BLOCK ? left : KSYM_BLOCK;
}

void ksym_symbol_at(const struct ksym_table *t, uint32_t i, struct ksym_symbol *out)
{
	uint32_t b = i / KSYM_BLOCK;
	struct cursor c;
	struct rec r;

	if (i >= t->count) { /* outside the table: an empty symbol, not a read past it */
		out->start = out->size = 0;
		out->index = i;
		out->type = 0;
		return;
	}
	block_start(t, b, &c, &r);
	for (uint32_t k = b * KSYM_BLOCK; k <= i && !c.bad; k++)
		next_record(t, &c, &r, k == b * KSYM_BLOCK);
	fill(t, &r, i, out);
}

/*
 * Among the first n records of block b, the first (in table order) of the
 * greatest start at or above from that contains addr.  Returns 1 and fills
 * *out, or 0 and leaves it.  Every decode of an address lookup: apart, so
 * that the record decoder is in it once.
 */
APART int best_in_block(const struct ksym_table *t, uint32_t b, uint32_t n, kaddr_t addr, kaddr_t from,
			struct ksym_symbol *out)
{
	struct cursor c;
	struct rec r;
	uint32_t k = b * KSYM_BLOCK, end = k + (n < block_len(t, b) ? n : block_len(t, b));
	int found = 0;

	block_start(t, b, &c, &r);
	for (; k < end; k++) {
		next_record(t, &c, &r, k % KSYM_BLOCK == 0);
		if (c.bad || r.start > addr)
			break;
		if (r.start >= from && contains(&r, addr)) {
			fill(t, &r, k, out);
			found = 1;
			from = r.start + 1; /* only a greater start may win now */
			if (from == 0)
				break; /* none can: it was the last address */
		}
	}
	return found;
}

/* Node i of the max-end tree: the greatest end under it less base, head_size bytes (0 past the blocks). */
static kaddr_t tree_raw(const struct ksym_table *t, uint32_t i)
{
	return (kaddr_t)rd(t, t->tree_off + i * t->head_size, t->head_size);
}

/*
 * The greatest block before b holding a record that ends after the address
 * base + rel: walk left from leaf b - 1 and up to the first subtree to the
 * left whose max end passes it, then down its rightmost such path, all less
 * base, as the nodes are.  O(log blocks).
 */
static int tree_find(const struct ksym_table *t, uint32_t b, kaddr_t rel, uint32_t *out)
{
	uint32_t leaves = t->tree_leaves, i = leaves + b - 1;
	kaddr_t top = (kaddr_t)(addr_max(t) - t->base);

	if (b == 0)
		return 0;
	for (;;) {
		if (ksym_reaches(tree_raw(t, i), rel, top)) {
			while (i < leaves)
				i = ksym_reaches(tree_raw(t, 2 * i + 1), rel, top) ? 2 * i + 1 : 2 * i;
			*out = i - leaves;
			return *out < b; /* an unverified tree may point anywhere: only earlier blocks */
		}
		while (i > 1 && !(i & 1)) /* a left child: its parent starts where it does */
			i >>= 1;
		if (i <= 1)
			return 0;
		i--; /* a right child: its left sibling is the range just before it */
	}
}

int ksym_lookup_addr(const struct ksym_table *t, uint64_t addr, struct ksym_symbol *out)
{
	kaddr_t rel = (kaddr_t)(addr - t->base);
	/* None below base or past the runtime's addresses: addr fits a kaddr_t where it is passed below. */
	uint32_t lo = 0, hi = (kaddr_t)addr != addr || addr < t->base ? 0 : t->nblocks, b;

	while (lo < hi) { /* the last block whose first start is <= addr */
		uint32_t mid = lo + (hi - lo) / 2;

		if (block_rel_head(t, mid) <= rel)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return KSYM_ERR_NOT_FOUND;
	b = lo - 1;
	if (!best_in_block(t, b, KSYM_BLOCK, addr, 0, out)) {
		/* Only a symbol that starts before block b and reaches past its head can. */
		if (!t->tree_off || !tree_find(t, b, rel, &b) || !best_in_block(t, b, KSYM_BLOCK, addr, 0, out))
			return KSYM_ERR_NOT_FOUND;
	}
	if (out->index % KSYM_BLOCK == 0 && out->index > 0) {
		/*
		 * The answer is the first record of its block: its aliases (same
		 * start, growing sizes: open checks it) may fill whole blocks
		 * before it.  The blocks whose first record is at its start and
		 * contains addr are a run ending at its block: a binary search,
		 * one record a step, finds the run's first block, and *out keeps
		 * that block's first record.  The first alias to contain addr
		 * is that one or in the block before.
		 */
		kaddr_t start = (kaddr_t)out->start;

		lo = 0;
		hi = out->index / KSYM_BLOCK;
		while (lo < hi) {
			uint32_t mid = lo + (hi - lo) / 2;

			if (best_in_block(t, mid, 1, addr, start, out))
				hi = mid;
			else
				lo = mid + 1;
		}
		if (lo > 0)
			best_in_block(t, lo - 1, KSYM_BLOCK, addr, start, out);
	}
	return KSYM_OK;
}

/* ---- names: the name order --------------------------------------------- */

/*
 * Field i of the bit-packed array at base (bits bits, MSB first), in 32-bit
 * arithmetic: the field's bits are gathered from at most five bytes.
 */
OPT_INLINE uint32_t perm_get(const struct ksym_table *t, uint32_t base, uint32_t i, unsigned bits)
{
	unsigned rbits = i % 8 * bits, have = 8 - rbits % 8;
	const unsigned char *p = t->blob + base + i / 8 * bits + rbits / 8;
	uint32_t v;

	if (bits == 0)
		return 0;
	v = p[0] & (0xffu >> (rbits % 8));
	if (have >= bits)
		return v >> (have - bits);
	for (unsigned k = 1;; k++) {
		unsigned need = bits - have;

		if (need < 8)
			return v << need | p[k] >> (8 - need);
		v = v << 8 | p[k];
		have += 8;
		if (have == bits)
			return v;
	}
}

/* The name position of record i. */
OPT_INLINE uint32_t pos_of_rec(const struct ksym_table *t, uint32_t i)
{
	return perm_get(t, t->rec_names_off, i, t->perm_bits);
}

/*
 * The record whose name is at position p, or UINT32_MAX: the name's hint
 * names a group of KSYM_NAME_GROUP records, and the first of them whose
 * name position is p is the answer (in a verified table the only one).
 */
static __attribute__((noinline)) uint32_t rec_of_pos(const struct ksym_table *t, uint32_t p)
{
	uint32_t i = perm_get(t, t->perm_off, p, t->hint_bits) * KSYM_NAME_GROUP;

	for (uint32_t k = 0; k < KSYM_NAME_GROUP && i < t->count; k++, i++)
		if (pos_of_rec(t, i) == p)
			return i;
	return UINT32_MAX;
}

/* Code c (not 0) is a token; c <= t->nlit is a literal; above both, outside the format. */
OPT_INLINE int is_token(const struct ksym_table *t, unsigned c)
{
	return c - t->nlit - 1u < t->ntok;
}

/* The alphabet, after the token pairs: literal code c (1 .. nlit) is its byte c - 1. */
OPT_INLINE const unsigned char *alphabet(const struct ksym_table *t)
{
	return t->blob + KSYM_HDR_TOKENS + t->pair_bytes * t->ntok;
}

/*
 * Code k (0 or 1) of the token pair at p, pb bytes a pair: 8 bits a code,
 * or 12 with escape bytes (pb = 3).  A macro: at -O0 a function would be
 * a frame more under ksym_name().
 */
#define PAIR_CODE(p, pb, k)                                                         \
	((pb) == 2 ? (unsigned)(p)[k]                                               \
		   : (k) ? ((p)[1] & 0xfu) << 8 | (p)[2] : (unsigned)(p)[0] << 4 | (p)[1] >> 4)

/* Code k of token code c's pair. */
OPT_INLINE unsigned token_code(const struct ksym_table *t, unsigned c, unsigned k)
{
	const unsigned char *p = t->blob + KSYM_HDR_TOKENS + t->pair_bytes * (c - t->nlit - 1);

	return PAIR_CODE(p, t->pair_bytes, k);
}

/*
 * Whether code c ends a name entry: the 0, or a token that ends in it
 * (those come last among the codes of their width: open).
 */
OPT_INLINE int ends_entry(const struct ksym_table *t, unsigned c)
{
	return c == 0 || (is_token(t, c) && (c < t->wide ? c >= t->end_short : c >= t->end_long));
}

/* The next code at the cursor: a byte, or an escape byte and the next (bad set at the stream's end). */
OPT_INLINE unsigned get_code(struct cursor *c)
{
	unsigned b = get_byte(c), wide = c->t->wide;

	return b < wide ? b : wide + ((b - wide) << 8 | get_byte(c));
}

/* The bytes of one name entry, tokens expanded with a stack of constant depth. */
struct name_it {
	struct cursor c; /* c.t: the table */
	uint8_t sp;
	uint16_t stack[KSYM_TOKEN_DEPTH + 1];
};

/* An iterator on the name stream at offset off (from the blob's start). */
static void name_at(struct name_it *it, const struct ksym_table *t, uint32_t off)
{
	cursor_at(&it->c, t, off, t->end);
	it->sp = 0;
}

static void restart_at(struct name_it *it, const struct ksym_table *t, uint32_t r)
{
	name_at(it, t, t->names_off + rd_off(t, t->restarts_off + r * t->off_size));
}

/* Start reading the entry at the cursor's position: returns its shared-prefix length. */
static uint64_t name_begin(struct name_it *it)
{
	it->sp = 0;
	return get_varint(&it->c, 5);
}

/*
 * The next byte of the name, 0 at its end, -1 if the stream is bad.  The 0
 * that ends a name is a code of its own or the last byte of a token (open
 * proved that nothing follows it in a token).
 */
APART int name_next(struct name_it *it)
{
	const struct ksym_table *t = it->c.t;
	unsigned c;

	if (it->sp) {
		c = it->stack[--it->sp];
	} else {
		c = get_code(&it->c);
		if (it->c.bad)
			return -1;
	}
	for (;;) { /* down a token's first codes, its second ones kept for later */
		if (c == 0)
			return 0;
		if (c <= t->nlit)
			return alphabet(t)[c - 1];
		if (!is_token(t, c) || it->sp + 1u > KSYM_ARRAY_SIZE(it->stack))
			return -1;
		it->stack[it->sp++] = (uint16_t)token_code(t, c, 1);
		c = token_code(t, c, 0);
	}
}

/* Skip to the end of the entry. */
static void name_skip(struct name_it *it)
{
	while (name_next(it) > 0)
		;
}

/*
 * The entry after the one whose codes start at off: its shared-prefix
 * length, and where its codes start into *next (unless next is NULL); or
 * UINT32_MAX if this entry holds a code of no literal or token or the
 * stream ends first.  The codes are stepped over, not expanded: open
 * proved every token sound, with those that end a name last.
 */
OPT_INLINE uint32_t next_entry(const struct ksym_table *t, uint32_t off, uint32_t *next)
{
	const unsigned char *blob = t->blob;
	unsigned going = t->end_short - 1u, wide = t->wide, code; /* 1 .. end_short - 1 do not end a name */
	uint32_t end = t->end;
	struct cursor c;
	uint64_t lcp;

	for (;;) { /* the inner loop of every name read: the cursor's checks by hand, on locals */
		if (off >= end)
			return UINT32_MAX;
		code = blob[off++];
		if (code - 1u < going)
			continue;
		if (code < wide)
			break; /* the 0, a one-byte token that ends a name, or no code */
		if (off >= end)
			return UINT32_MAX;
		code = wide + ((code - wide) << 8 | blob[off++]);
		if (code >= t->end_long)
			break;
	}
	if (code > t->nlit + t->ntok) /* what ends a name in either width runs to the last token */
		return UINT32_MAX;
	cursor_at(&c, t, off, t->end);
	lcp = get_varint(&c, 5);
	if (next)
		*next = c.off;
	return c.bad || lcp >= UINT32_MAX ? UINT32_MAX : (uint32_t)lcp;
}

/*
 * The entry's codes from *off on into buf at position *n (as far as len
 * reaches), *n counting each byte, until position keep or the name's end:
 * 1 at its 0, 0 at keep, -1 on a code outside the format or the stream's
 * end; *off is left after the last code read.  One call an entry, the
 * token stack and the table's fields in locals (a store to buf may alias
 * any field): the inner loop of every name read.  Inlined, as next_entry()
 * is, at every level that optimises: ksym_name() is then a leaf, and
 * ksym_describe() adds only its own frame to it (kept apart at -Os, the two
 * would add 64 bytes of stack on Cortex-M3 for 120 of code).
 */
OPT_INLINE int expand(const struct ksym_table *t, uint32_t *off, char *buf, size_t len, size_t *n, size_t keep, unsigned pb)
{
	unsigned nlit = t->nlit, ntok = t->ntok, wide = pb == 2 ? 256u : t->wide; /* one-byte pairs: no escapes */
	const unsigned char *blob = t->blob, *pairs = blob + KSYM_HDR_TOKENS, *alpha = pairs + pb * ntok;
	unsigned sp = 0, c = 1; /* not 0: a stream that ends first is bad */
	uint32_t at = *off, end = t->end;
	uint16_t stack[KSYM_TOKEN_DEPTH + 1];
	size_t m = *n;
	int ends = 0;

	while (m < keep) {
		if (sp)
			c = stack[--sp];
		else if (at >= end)
			break;
		else if ((c = blob[at++]) >= wide) /* an escape: no second byte, no code */
			c = at < end ? wide + ((c - wide) << 8 | blob[at++]) : UINT16_MAX;
		/*
		 * Down a token's first codes, the second kept.  With one-byte
		 * pairs open proved every token at most KSYM_TOKEN_DEPTH deep,
		 * so the stack cannot fill; with two-byte ones a token nested
		 * deeper than it holds stays a token, and ends the entry bad.
		 */
		while (c - nlit - 1 < ntok && (pb == 2 || sp < KSYM_ARRAY_SIZE(stack))) {
			stack[sp++] = (uint16_t)PAIR_CODE(pairs + pb * (c - nlit - 1), pb, 1);
			c = PAIR_CODE(pairs + pb * (c - nlit - 1), pb, 0);
		}
		if (c == 0 || c > nlit)
			break;
		if (m + 1 < len)
			buf[m] = (char)alpha[c - 1];
		m++;
	}
	if (m < keep)
		ends = c == 0 ? 1 : -1;
	*n = m;
	*off = at;
	return ends;
}

/*
 * expand() for the table's pair width: when optimising for speed, a copy
 * for each width, where it is a constant (one-byte pairs: 7% fewer
 * instructions a name); otherwise one copy.
 */
#if defined(__OPTIMIZE__) && !defined(__OPTIMIZE_SIZE__)
#define EXPAND(t, ...) ((t)->pair_bytes == 2 ? expand(t, __VA_ARGS__, 2) : expand(t, __VA_ARGS__, 3))
#else
#define EXPAND(t, ...) expand(t, __VA_ARGS__, (t)->pair_bytes)
#endif

size_t ksym_name(const struct ksym_table *t, const struct ksym_symbol *sym, char *buf, size_t len)
{
	uint32_t p = sym->index < t->count ? pos_of_rec(t, sym->index) : UINT32_MAX;
	size_t n = 0;
	int ends = 0;

	/*
	 * Decode from the restart in place: each name keeps the first lcp bytes
	 * of the one before, which are already in buf (as far as buf reaches).
	 * Of a name before p's, only the bytes that the next name keeps can
	 * reach p's: the rest of its entry is stepped over, code by code, not
	 * expanded.  On a table only opened, not verified, every entry's prefix
	 * is checked against the name before it and a bad stream ends the name
	 * empty, as if every entry were expanded.
	 */
	if (p < t->count) {
		uint32_t q = p - p % KSYM_RESTART, keep, next = 0;
		/* A restart's entry shares nothing: its prefix length is one byte 0 (open). */
		uint32_t off = t->names_off + rd_off(t, t->restarts_off + p / KSYM_RESTART * t->off_size) + 1;

		for (; ends >= 0; q++, off = next) {
			keep = q < p ? next_entry(t, off, &next) : UINT32_MAX;
			ends = n < keep ? EXPAND(t, &off, buf, len, &n, keep) : 0;
			if (q == p || ends < 0)
				break;
			if (keep > n) /* a bad stream, or a prefix longer than the name before */
				ends = -1;
			n = keep;
		}
	}
	if (ends < 0)
		n = 0;
	if (len)
		buf[n < len ? n : len - 1] = '\0';
	return n;
}

/*
 * Compare the rest of the entry with name + *m, where the entry is known to
 * equal name's first *m bytes; consumes the entry and advances *m over the
 * bytes that match.  Returns <0, 0 or >0 as the entry sorts against name.
 */
static int entry_cmp(struct name_it *it, const char *name, size_t *m)
{
	int c;

	while ((c = name_next(it)) > 0 && (unsigned char)name[*m] == c)
		(*m)++;
	if (c <= 0)
		return name[*m] ? -1 : 0;
	name_skip(it);
	return c - (unsigned char)name[*m];
}

/*
 * The first restart whose name is >= name, less one (equal names may begin
 * before it).  *it is the caller's, left anywhere: one iterator in the
 * frame of a name lookup, not two.
 */
static uint32_t name_restart(const struct ksym_table *t, const char *name, struct name_it *it)
{
	uint32_t lo = 0, hi = t->count / KSYM_RESTART + (t->count % KSYM_RESTART != 0);

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		size_t k = 0;

		restart_at(it, t, mid);
		name_begin(it);
		if (entry_cmp(it, name, &k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 ? lo - 1 : 0;
}

size_t ksym_lookup_name(const struct ksym_table *t, const char *name,
			struct ksym_symbol *out, size_t max)
{
	uint32_t lo;
	size_t m = 0, n = 0;
	struct name_it it;

	if (t->count == 0)
		return 0;
	lo = name_restart(t, name, &it);
	/*
	 * Scan the names from there.  m is the length of the prefix the current
	 * name shares with name: a name that shares less than m bytes with its
	 * predecessor sorts after name; one that shares more sorts as its
	 * predecessor did; only one that shares exactly m needs comparing.
	 */
	restart_at(&it, t, lo);
	for (uint32_t q = lo * KSYM_RESTART; q < t->count && !it.c.bad; q++) {
		uint64_t lcp = name_begin(&it);
		int cmp = -1;

		/*
		 * In sorted names the first match is at most two runs on; an
		 * unverified table whose names are not sorted ends here too.
		 */
		if (n == 0 && q >= (lo + 2) * KSYM_RESTART)
			break;
		if (q % KSYM_RESTART == 0)
			m = 0; /* a restart holds the whole name: compare it whole */
		if (lcp < m)
			break;
		if (lcp > m)
			name_skip(&it);
		else
			cmp = entry_cmp(&it, name, &m);
		if (cmp > 0)
			break;
		if (cmp == 0) {
			uint32_t i = rec_of_pos(t, q);

			if (i >= t->count)
				break; /* an unverified table's bad permutation */
			if (n < max)
				ksym_symbol_at(t, i, &out[n]);
			n++;
		}
	}
	return n;
}

/* ---- validation ---------------------------------------------------------- */

/* 8 bytes as a little-endian word, whatever this CPU's byte order. */
static uint64_t le64(const unsigned char *p)
{
	uint32_t lo = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
	uint32_t hi = (uint32_t)p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;

	return (uint64_t)hi << 32 | lo;
}

/*
 * h * KSYM_SUM_PRIME in 32-bit halves: the prime is 2^40 + 0x1b3, so the
 * product is h * 0x1b3 plus the low word times 2^40, and h * 0x1b3 comes
 * from 16-bit pieces.  No 64-bit multiply (a libgcc call on ARMv6-M, and
 * compilers turn a 64-bit shift-and-add chain back into one), except on
 * the 64-bit targets that have one in hardware, where it is a third of
 * ksym_open()'s cost.
 */
_Static_assert(KSYM_SUM_PRIME == (1ull << 40) + 0x1b3, "the prime is 2^40 + 0x1b3");

static uint64_t times_prime(uint64_t h)
{
#if defined(__x86_64__) || defined(__aarch64__) || (defined(__riscv_mul) && __riscv_xlen == 64)
	return h * KSYM_SUM_PRIME; /* one instruction where 64-bit multiplies are native */
#else
	uint32_t lo = (uint32_t)h, hi = (uint32_t)(h >> 32);
	uint32_t a = (lo >> 16) * 0x1b3u, b = (lo & 0xffffu) * 0x1b3u;
	uint32_t rlo = (a << 16) + b;
	uint32_t rhi = (a >> 16) + (rlo < b) + hi * 0x1b3u + (lo << 8);

	return (uint64_t)rhi << 32 | rlo;
#endif
}

uint32_t ksym_checksum(const unsigned char *p, uint64_t len)
{
	uint64_t h = KSYM_SUM_BASIS, i;

	for (i = 0; i + 8 <= len; i += 8) {
		uint64_t w = le64(p + i);

		if (i == KSYM_HDR_CHECKSUM - 4) /* the checksum field reads as 0 */
			w &= 0xffffffffu;
		h = times_prime(h ^ w);
	}
	for (; i < len; i++)
		h = times_prime(h ^ p[i]);
	return (uint32_t)(h ^ h >> 32);
}

static int fail(const char **why, int status, const char *reason)
{
	if (why)
		*why = reason;
	return status;
}

#define CORRUPT(reason) fail(why, KSYM_ERR_CORRUPT, reason)

/* The fixed header: magic, version, byte order, address size, and the fields into *t. */
OPEN_STEP int open_fields(struct ksym_table *t, const unsigned char *b, uint64_t blob_size,
		       uint64_t count, const char **why)
{
	if (blob_size < KSYM_HDR_SIZE)
		return CORRUPT("placeholder smaller than the table header");
	if (b[KSYM_HDR_MAGIC] != KSYM_MAGIC0 || b[KSYM_HDR_MAGIC + 1] != KSYM_MAGIC1 ||
	    b[KSYM_HDR_MAGIC + 2] != KSYM_MAGIC2 || b[KSYM_HDR_MAGIC + 3] != KSYM_MAGIC3) {
		if (count == 0)
			return fail(why, KSYM_ERR_UNPATCHED, "symbol table not patched");
		return CORRUPT("bad magic");
	}
	if (b[KSYM_HDR_VERSION] != KSYM_FORMAT_VERSION)
		return fail(why, KSYM_ERR_VERSION, "wrong format version");
	if (b[KSYM_HDR_ENDIAN] != KSYM_ENDIAN_LITTLE && b[KSYM_HDR_ENDIAN] != KSYM_ENDIAN_BIG)
		return CORRUPT("bad byte order field");
	if (b[KSYM_HDR_ADDR_SIZE] != 4 && b[KSYM_HDR_ADDR_SIZE] != 8)
		return CORRUPT("bad address size");
	if (b[KSYM_HDR_ADDR_SIZE] == 8 && sizeof(kaddr_t) < 8)
		return fail(why, KSYM_ERR_VERSION, "64-bit addresses, and the runtime built for 32-bit ones (KSYM_ADDR_BITS)");

	t->blob = b;
	t->big_endian = b[KSYM_HDR_ENDIAN] == KSYM_ENDIAN_BIG;
	t->addr_size = b[KSYM_HDR_ADDR_SIZE];
	t->head_size = b[KSYM_HDR_FLAGS] & KSYM_FLAG_WIDE ? t->addr_size : 4;
	t->off_size = b[KSYM_HDR_FLAGS] & KSYM_FLAG_SHORT ? 2 : 4;
	t->base = b[KSYM_HDR_FLAGS] & KSYM_FLAG_WIDE ? 0 : rd(t, KSYM_HDR_BASE, 8);
	t->count = rd32(t, KSYM_HDR_COUNT);
	t->nlit = b[KSYM_HDR_NLIT];
	t->nesc = b[KSYM_HDR_NESC];
	t->ntok = (uint16_t)(b[KSYM_HDR_NTOK + !t->big_endian] << 8 | b[KSYM_HDR_NTOK + t->big_endian]);
	t->wide = (uint16_t)ksym_wide(t->nesc);
	t->pair_bytes = (uint8_t)ksym_pair_bytes(t->nesc);
	t->pad_shift = b[KSYM_HDR_PAD_SHIFT];
	t->perm_bits = b[KSYM_HDR_PERM_BITS];
	t->hint_bits = (uint8_t)ksym_hint_bits(t->perm_bits);
	t->blocks_off = rd32(t, KSYM_HDR_BLOCKS_OFF);
	t->tree_off = rd32(t, KSYM_HDR_TREE_OFF);
	t->records_off = rd32(t, KSYM_HDR_RECORDS_OFF);
	t->restarts_off = rd32(t, KSYM_HDR_RESTARTS_OFF);
	t->perm_off = rd32(t, KSYM_HDR_PERM_OFF);
	t->names_off = rd32(t, KSYM_HDR_NAMES_OFF);
	t->end = rd32(t, KSYM_HDR_END);
	t->nblocks = t->count / KSYM_BLOCK + (t->count % KSYM_BLOCK != 0);
	for (t->tree_leaves = 1; t->tree_leaves < t->nblocks; t->tree_leaves *= 2)
		;
	if (t->count != count)
		return CORRUPT("record count disagrees with NUM_KERNEL_SYMBOLS");
	if (b[KSYM_HDR_FLAGS] & ~(KSYM_FLAG_TREE | KSYM_FLAG_WIDE | KSYM_FLAG_SHORT) || t->pad_shift > 7 ||
	    t->base > addr_max(t) || t->nesc > KSYM_MAX_ESC || t->ntok > KSYM_MAX_TOKENS || t->nlit >= t->wide ||
	    t->nlit + t->ntok >= t->wide + 256u * t->nesc)
		return CORRUPT("bad header field");
	for (unsigned i = 0; i < KSYM_MAX_TYPES; i++)
		if (b[KSYM_HDR_SHIFTS + i] > 31)
			return CORRUPT("bad header field");
	return KSYM_OK;
}

/*
 * The layout the header describes: every section where the counts put it
 * (64-bit sums of 32-bit products, so no count overflows them), inside the
 * placeholder, and the checksum.
 */
OPEN_STEP int open_layout(struct ksym_table *t, uint64_t blob_size, const char **why)
{
	uint64_t blocks_end = KSYM_HDR_TOKENS + t->pair_bytes * t->ntok + t->nlit, tree_end, perm_off, perm_len, hint_len;
	uint32_t nrestarts = t->count / KSYM_RESTART + (t->count % KSYM_RESTART != 0);

	if (t->blocks_off != blocks_end || t->perm_bits != ksym_perm_bits(t->count))
		return CORRUPT("table layout does not match its counts");
	blocks_end += mul_small(t->nblocks, t->head_size + t->off_size);
	tree_end = blocks_end;
	if (t->blob[KSYM_HDR_FLAGS] & KSYM_FLAG_TREE) {
		if (t->tree_off != blocks_end || t->nblocks == 0)
			return CORRUPT("table layout does not match its counts");
		tree_end += mul_small(t->tree_leaves, 2u * t->head_size);
	} else if (t->tree_off != 0) {
		return CORRUPT("table layout does not match its counts");
	}
	perm_off = t->restarts_off + mul_small(nrestarts, t->off_size);
	perm_len = mul_small(t->count / 8, t->perm_bits) + (t->count % 8 * t->perm_bits + 7) / 8;
	hint_len = mul_small(t->count / 8, t->hint_bits) + (t->count % 8 * t->hint_bits + 7) / 8;
	if (t->records_off != tree_end || t->restarts_off < t->records_off ||
	    t->perm_off != perm_off || t->names_off != perm_off + hint_len + perm_len ||
	    t->end < t->names_off)
		return CORRUPT("table layout does not match its counts");
	if (t->end > blob_size)
		return CORRUPT("table runs past the placeholder");
	t->rec_names_off = (uint32_t)(perm_off + hint_len);
	if (ksym_checksum(t->blob, t->end) != rd32(t, KSYM_HDR_CHECKSUM))
		return CORRUPT("checksum mismatch");
	return KSYM_OK;
}

/*
 * Whether code c of a token is ready at this level: a literal, or a token
 * in the set (bit i of ok[i / 32]) of the previous level.
 */
static int code_ready(const struct ksym_table *t, const uint32_t *ok, unsigned c, int level)
{
	unsigned i = c - t->nlit - 1u;

	return c <= t->nlit || (level > 1 && (ok[i / 32] >> (i % 32) & 1));
}

/*
 * With one-byte pairs (at most 255 tokens): every token at most
 * KSYM_TOKEN_DEPTH deep, with no table of depths: level by level, the
 * tokens of depth <= level are those whose codes are literals or tokens of
 * the level before, a 256-bit set recomputed in place (a token's codes are
 * earlier tokens, so going down the words reads only words of the level
 * before).  With two-byte ones that set would be 128 bytes of stack: the
 * readers check the depth as they descend instead.
 */
static int tokens_shallow(const struct ksym_table *t)
{
	uint32_t ok[256 / 32];
	unsigned covered = 0;

	for (int level = 1; covered < t->ntok; level++) {
		unsigned before = covered;

		if (level > KSYM_TOKEN_DEPTH)
			return 0;
		covered = 0;
		for (unsigned w = 256 / 32; w-- > 0;) {
			uint32_t bits = 0;

			for (unsigned k = 0; k < 32 && 32 * w + k < t->ntok; k++) {
				const unsigned char *pair = t->blob + KSYM_HDR_TOKENS + 2 * (32 * w + k);

				if (code_ready(t, ok, pair[0], level) && code_ready(t, ok, pair[1], level)) {
					bits |= 1u << k;
					covered++;
				}
			}
			ok[w] = bits;
		}
		if (covered == before)
			return 0;
	}
	return 1;
}

/*
 * The first token code from `from` to `to` whose second code ends a name
 * (as far as t->end_short and t->end_long say yet), or to + 1.
 */
static unsigned first_ending(const struct ksym_table *t, unsigned from, unsigned to)
{
	while (from <= to && !ends_entry(t, token_code(t, from, 1)))
		from++;
	return from;
}

/*
 * The alphabet without a 0 (a name holds none); tokens: built only of
 * literals, earlier tokens (so no expansion loops) and, last, the 0 that
 * ends a name, so that nothing follows that 0 in any expansion, and among
 * the tokens of each width those that end in it after all the others
 * (t->end_short and t->end_long the first); with one-byte pairs, nested at
 * most KSYM_TOKEN_DEPTH deep (tokens_shallow()).  Which tokens end a name
 * follows by induction: those whose second code is 0 or an earlier one
 * that does.
 */
OPEN_STEP int open_tokens(struct ksym_table *t, const char **why)
{
	const unsigned char *pairs = t->blob + KSYM_HDR_TOKENS;
	unsigned pb = t->pair_bytes, last = t->nlit + t->ntok;

	for (unsigned c = 1; c <= t->nlit; c++)
		if (alphabet(t)[c - 1] == 0)
			return CORRUPT("alphabet holds a NUL byte");
	for (unsigned i = 0; i < t->ntok; i++) {
		const unsigned char *p = pairs + pb * i;

		if (PAIR_CODE(p, pb, 0) == 0)
			return CORRUPT("token begins with a NUL byte");
		if (PAIR_CODE(p, pb, 0) > t->nlit + i || PAIR_CODE(p, pb, 1) > t->nlit + i) /* its code: nlit + 1 + i */
			return CORRUPT("token refers to itself or a later token");
	}
	if (pb == 2 && !tokens_shallow(t))
		return CORRUPT("tokens nested too deep");
	t->end_short = t->wide; /* none yet: only the 0 ends a name */
	t->end_long = UINT16_MAX;
	t->end_short = (uint16_t)first_ending(t, t->nlit + 1u, last < t->wide ? last : t->wide - 1u);
	t->end_long = (uint16_t)first_ending(t, t->nlit + 1u > t->wide ? t->nlit + 1u : t->wide, last);
	for (unsigned c = t->nlit + 1; c <= last; c++) {
		if (ends_entry(t, token_code(t, c, 0)))
			return CORRUPT("token continues past the end of a name");
		if (ends_entry(t, token_code(t, c, 1)) != ends_entry(t, c))
			return CORRUPT("a token that ends a name comes before one that does not");
	}
	return KSYM_OK;
}

/* The max-end tree: past the blocks all 0, every inner node the max of its two children. */
OPEN_STEP int open_tree(const struct ksym_table *t, const char **why)
{
	for (uint32_t i = t->tree_leaves + t->nblocks; i < 2 * t->tree_leaves; i++)
		if (tree_raw(t, i) != 0)
			return CORRUPT("max-end tree disagrees with the records");
	for (uint32_t i = t->tree_leaves - 1; i >= 1; i--) {
		uint64_t l = tree_raw(t, 2 * i), r = tree_raw(t, 2 * i + 1);

		if (tree_raw(t, i) != (l > r ? l : r))
			return CORRUPT("max-end tree disagrees with the records");
	}
	return KSYM_OK;
}

/*
 * Records: every block's offset where the previous one ended, its head the
 * start of its first record and not below the previous block's starts, every
 * type known, the max-end tree equal to what the records say; without a
 * tree, no record may reach past the start of a later block (the rule in
 * format.h that the encoder applies too).
 */
OPEN_STEP int open_records(const struct ksym_table *t, const char **why)
{
	struct cursor c;
	struct rec r;
	struct ksym_reach reach;
	unsigned ntypes = 0;

	cursor_at(&c, t, t->records_off, t->restarts_off);
	r.size = 0; /* the previous record's, across blocks: aliases may span two */
	ksym_reach_init(&reach, addr_max(t));
	while (ntypes < KSYM_MAX_TYPES && t->blob[KSYM_HDR_TYPES + ntypes])
		ntypes++;
	for (uint32_t b = 0; b < t->nblocks; b++) {
		uint64_t head = block_head(t, b), block_end = 0;

		if (block_offset(t, b) != c.off - t->records_off)
			return CORRUPT("block index offset out of place");
		/*
		 * Sorted, none wrapping past the address space, the first at
		 * base; wide heads are whole addresses (base 0), so there the
		 * first may be anywhere.
		 */
		if ((b && head < reach.last) || head < t->base || head > addr_max(t) ||
		    (b == 0 && !(t->blob[KSYM_HDR_FLAGS] & KSYM_FLAG_WIDE) && head != t->base))
			return CORRUPT("block index is not sorted");
		r.start = head;
		for (uint32_t k = 0; k < block_len(t, b); k++) {
			uint64_t prev_size = r.size, end;

			next_record(t, &c, &r, k == 0);
			if (c.bad)
				return CORRUPT("record stream runs past its end or out of range");
			if (r.type >= ntypes)
				return CORRUPT("record type out of range");
			/* Lookups rely on the sizes growing within one start (table order). */
			if ((b || k) && r.start == reach.last && r.size < prev_size)
				return CORRUPT("symbols at one address are not in table order");
			end = ksym_end(r.start, r.size, addr_max(t));
			if (ksym_reach_next(&reach, r.start, end) && !t->tree_off)
				return CORRUPT("a symbol reaches past a later block but there is no tree");
			if (end > block_end)
				block_end = end;
		}
		if (t->tree_off && tree_raw(t, t->tree_leaves + b) != block_end - t->base)
			return CORRUPT("max-end tree disagrees with the records");
	}
	if (c.off != t->restarts_off)
		return CORRUPT("record stream has trailing bytes");
	return t->tree_off ? open_tree(t, why) : KSYM_OK;
}

/*
 * The previous name, byte by byte from any position, read again from the
 * entries of its run without a copy of it.  Name j keeps the first lcp_j
 * bytes of name j - 1, so the entries that supply a name's bytes are a
 * chain from its run's restart to its own entry, with growing shared
 * prefixes: byte x is in the last of them whose lcp <= x, up to `limit`,
 * the next one's lcp.  The last CHAIN of them are kept (offsets; their
 * lcps are read again, one varint); when a name needs an older one, a walk
 * from the restart finds it, stepping over each entry's raw codes up to the
 * one that ends it (ends_entry()).
 */
#define CHAIN 4

struct prev_name {
	struct name_it it;
	uint32_t restart;      /* offset of the run's first entry */
	uint32_t chain[CHAIN]; /* the last suppliers, chain[n - 1] the name's own entry */
	uint8_t n, cut;        /* suppliers kept; 1 if older ones were dropped */
	uint32_t x, limit;     /* the position of the next byte; where the entry stops supplying */
};

/* The offset of the entry after the one at off (at most end: a read past it gives 0). */
APART uint32_t entry_after(const struct ksym_table *t, uint32_t off)
{
	struct cursor c;

	cursor_at(&c, t, off, t->end);
	get_varint(&c, 5);
	while (!ends_entry(t, get_code(&c)))
		;
	return c.off;
}

/* An entry's shared-prefix length: below 2^32 once open_names() has read it. */
static uint32_t entry_lcp(const struct ksym_table *t, uint32_t off)
{
	struct cursor c;

	cursor_at(&c, t, off, t->end);
	return (uint32_t)get_varint(&c, 5);
}

/* The next name's entry at off, with shared prefix lcp, joins the chain (restart: k == 0). */
static void prev_push(struct prev_name *p, uint32_t off, uint32_t lcp, uint32_t k)
{
	if (k == 0) {
		p->restart = off;
		p->n = p->cut = 0;
	}
	while (p->n && entry_lcp(p->it.c.t, p->chain[p->n - 1]) >= lcp)
		p->n--;
	if (p->n == CHAIN) {
		for (unsigned i = 1; i < CHAIN; i++)
			p->chain[i - 1] = p->chain[i];
		p->n--;
		p->cut = 1;
	}
	p->chain[p->n++] = off;
}

/* The supplier of byte x and its lcp, from a walk of the whole run; sets p->limit. */
OPT_INLINE uint32_t prev_walk(struct prev_name *p, uint32_t x, uint32_t *lcp)
{
	const struct ksym_table *t = p->it.c.t;
	uint32_t own = p->chain[p->n - 1], from = own;

	p->limit = UINT32_MAX;
	for (uint32_t off = p->restart; off <= own; off = entry_after(t, off)) {
		uint32_t l = entry_lcp(t, off);

		if (l <= x) {
			from = off;
			*lcp = l;
			p->limit = UINT32_MAX;
		} else if (l < p->limit) {
			p->limit = l;
		}
	}
	return from;
}

/* Position p at byte x of the name (x at most its length). */
OPT_INLINE void prev_seek(struct prev_name *p, uint32_t x)
{
	const struct ksym_table *t = p->it.c.t;
	unsigned i = p->n;
	uint32_t from, lcp = 0;

	p->limit = UINT32_MAX;
	while (i > 0 && (lcp = entry_lcp(t, p->chain[i - 1])) > x) {
		p->limit = lcp;
		i--;
	}
	from = i > 0 ? p->chain[i - 1] : prev_walk(p, x, &lcp);
	name_at(&p->it, t, from);
	name_begin(&p->it);
	for (; lcp < x && name_next(&p->it) > 0; lcp++)
		;
	p->x = x;
}

/* The next byte of the name: as name_next(). */
static int prev_next(struct prev_name *p)
{
	int c;

	if (p->x == p->limit)
		prev_seek(p, p->x);
	c = name_next(&p->it);
	if (c > 0)
		p->x++;
	return c;
}

/*
 * What check_name() knows and learns of a name: its byte at position at
 * (the next name's shared-prefix length, read ahead), or -1.  Where the
 * next name shares at least as much with this one as this one with its
 * predecessor (two names in three of the test suite's glibc program), that
 * byte is all the next name's check needs of this one.
 */
struct name_check {
	uint32_t lcp, len; /* the name's shared-prefix length and, once read, its length */
	uint32_t at;       /* the position whose byte to keep, or UINT32_MAX */
	int byte;          /* that byte (0: the name ends there), or -1 */
};

/* The shared-prefix length of the entry after the one whose codes start at off (apart: verify's frames). */
APART uint32_t next_lcp(const struct ksym_table *t, uint32_t off)
{
	return next_entry(t, off, NULL);
}

/* Count byte c of the name at position n->len, keeping it if that is n->at. */
OPT_INLINE int take(struct name_check *n, int c)
{
	if (c >= 0 && n->len == n->at)
		n->byte = c;
	if (c > 0 && ++n->len == UINT32_MAX)
		return -1;
	return c;
}

/*
 * Read the rest of name q (it is just past its shared-prefix length) into
 * *n, and compare the name with the previous one from byte n->lcp on, where
 * they differ if that is the exact shared prefix (at every name but a
 * restart).  pb is the previous name's byte there when it was kept while
 * reading it, or -1; then prev reads the previous name again.  Sets *cmp
 * (<0, 0, >0, as name q sorts against the previous one).  Returns NULL, or
 * what is wrong.
 */
static const char *check_name(struct name_it *it, struct prev_name *prev, uint32_t q, int pb,
			      struct name_check *n, int *cmp)
{
	int a = 1, b = 1, first = 1;

	n->len = n->lcp;
	n->byte = -1;
	*cmp = 1;
	if (q && pb >= 0 && q % KSYM_RESTART) {
		a = take(n, name_next(it));
		b = pb;
	} else if (q) {
		prev_seek(prev, n->lcp);
		for (; a > 0 && a == b; first = 0) {
			a = take(n, name_next(it));
			b = prev_next(prev);
			if (first && a > 0 && a == b && q % KSYM_RESTART)
				break;
		}
	}
	if (q && first && a > 0 && a == b && q % KSYM_RESTART)
		return "front-coding prefix shorter than the shared one";
	if (q)
		*cmp = a == b ? 0 : a > b ? 1 : -1;
	while (a > 0)
		a = take(n, name_next(it));
	if (a < 0 || b < 0)
		return n->len == UINT32_MAX ? "name of 4 GiB or more"
					   : "name runs past the table or holds a code of no literal or token";
	return NULL;
}

/*
 * Names: restarts where the stream says, a shared prefix no longer than the
 * previous name and exactly the shared one, names in sorted order (equal
 * ones by record number), whatever their length, and the two permutations
 * inverse to each other.  No copy of the previous name is needed: its byte
 * where the next name departs from it is kept while it is read (the next
 * entry's prefix length is read ahead), and prev_name reads it again where
 * that is not enough (a restart, a shorter shared prefix).
 */
OPEN_STEP int open_names(const struct ksym_table *t, const char **why)
{
	struct name_it it;
	struct prev_name prev;
	struct name_check n;
	uint32_t prev_len = 0, prev_lcp = 0, prev_rec = 0;
	int pb = -1;

	name_at(&it, t, t->names_off);
	prev.it.c.t = t;
	for (uint32_t q = 0; q < t->count; q++) {
		uint32_t off = it.c.off, k = q % KSYM_RESTART;
		uint64_t lcp;
		const char *bad;
		int cmp;
		uint32_t rec = UINT32_MAX;

		if (k == 0 && rd_off(t, t->restarts_off + q / KSYM_RESTART * t->off_size) != off - t->names_off)
			return CORRUPT("name restart offset out of place");
		lcp = name_begin(&it);
		if ((k == 0 && lcp) || lcp > prev_len)
			return CORRUPT("front-coding prefix longer than the previous name");
		n.lcp = (uint32_t)lcp;
		n.at = q + 1 < t->count && (q + 1) % KSYM_RESTART ? next_lcp(t, it.c.off) : UINT32_MAX;
		bad = check_name(&it, &prev, q, n.lcp >= prev_lcp ? pb : -1, &n, &cmp);
		if (bad)
			return CORRUPT(bad);
		/*
		 * A record of the name's hinted group has the name: no two
		 * names can share a record (it has one name position), so the
		 * n names take the n records, one each, and the record-to-name
		 * fields are a permutation.
		 */
		rec = rec_of_pos(t, q);
		if (rec == UINT32_MAX)
			return CORRUPT("name permutation is not a permutation");
		if (cmp < 0 || (q && cmp == 0 && rec <= prev_rec))
			return CORRUPT("names are not sorted");
		prev_rec = rec;
		prev_push(&prev, off, n.lcp, k);
		prev_len = n.len;
		prev_lcp = n.lcp;
		pb = n.byte;
	}
	if (it.c.off != t->end)
		return CORRUPT("name stream has trailing bytes");
	return KSYM_OK;
}

/*
 * The two indexes a lookup's binary searches read, O(blocks): block
 * offsets inside the record stream and growing, heads sorted, the first at
 * base; restarts inside the name stream and growing, each at an entry that
 * shares nothing (a 0 prefix length, one byte).  What lies between them is
 * checked by each lookup as it decodes (and proved by ksym_verify()).
 */
OPEN_STEP int open_index(const struct ksym_table *t, const char **why)
{
	uint32_t nrestarts = t->count / KSYM_RESTART + (t->count % KSYM_RESTART != 0);
	uint32_t records = t->restarts_off - t->records_off, names = t->end - t->names_off, prev = 0;
	uint64_t last = 0;

	for (uint32_t b = 0; b < t->nblocks; b++) {
		uint64_t head = block_head(t, b);
		uint32_t off = block_offset(t, b);

		if ((b == 0 && off != 0) || off < prev || off >= records)
			return CORRUPT("block index offset out of place");
		if ((b && head < last) || head < t->base || head > addr_max(t) ||
		    (b == 0 && !(t->blob[KSYM_HDR_FLAGS] & KSYM_FLAG_WIDE) && head != t->base))
			return CORRUPT("block index is not sorted");
		prev = off;
		last = head;
	}
	prev = 0;
	for (uint32_t r = 0; r < nrestarts; r++) {
		uint32_t off = rd_off(t, t->restarts_off + r * t->off_size);

		if ((r == 0 && off != 0) || off < prev || off >= names)
			return CORRUPT("name restart offset out of place");
		if (t->blob[t->names_off + off] != 0)
			return CORRUPT("front-coding prefix longer than the previous name");
		prev = off;
	}
	return KSYM_OK;
}

static int opened(struct ksym_table *t, int err)
{
	if (err)
		t->count = t->nblocks = 0; /* unusable: every lookup finds nothing */
	t->status = (int8_t)err;
	t->opened = 1;
	return err;
}

int ksym_open(struct ksym_table *t, const void *blob, uint64_t blob_size,
	      uint64_t count, const char **why)
{
	int err = open_fields(t, blob, blob_size, count, why);

	if (!err)
		err = open_layout(t, blob_size, why);
	if (!err)
		err = open_tokens(t, why);
	if (!err)
		err = open_index(t, why);
	return opened(t, err);
}

int ksym_verify(struct ksym_table *t, const char **why)
{
	int err = t->opened ? t->status : KSYM_ERR_UNPATCHED;

	if (err)
		return fail(why, err, ksym_strerror(err));
	err = open_records(t, why);
	if (!err)
		err = open_names(t, why);
	return opened(t, err);
}

uint64_t ksym_blob_bytes(const struct ksym_table *t)
{
	return t->end;
}

/* ---- text ------------------------------------------------------------- */

/* Append c or text to buf[0..len), counting the full length in *pos. */
static void put_chr(char *buf, size_t len, size_t *pos, char c)
{
	if (*pos + 1 < len)
		buf[*pos] = c;
	(*pos)++;
}

static void put_str(char *buf, size_t len, size_t *pos, const char *s)
{
	for (; *s; s++)
		put_chr(buf, len, pos, *s);
}

/* "0x" and v's digits, as many as it needs (no initialised array: a memset). */
APART void put_hex(char *buf, size_t len, size_t *pos, uint64_t v)
{
	char digits[16];
	unsigned n = 0;

	do {
		digits[n++] = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while (v);
	put_str(buf, len, pos, "0x");
	while (n)
		put_chr(buf, len, pos, digits[--n]);
}

static void terminate(char *buf, size_t len, size_t pos)
{
	if (len)
		buf[pos < len ? pos : len - 1] = '\0';
}

/*
 * addr alone in hex: ksym_describe()'s text when there is no symbol; returns
 * err, so that ksym_describe() keeps no value of its own across the call.
 */
APART int put_addr(char *buf, size_t len, uint64_t addr, int err)
{
	size_t pos = 0;

	put_hex(buf, len, &pos, addr);
	terminate(buf, len, pos);
	return err;
}

/* "+0xoff/0xsize" after the name's pos bytes; returns the whole length. */
APART size_t put_offset(char *buf, size_t len, size_t pos, uint64_t off, uint64_t size)
{
	put_chr(buf, len, &pos, '+');
	put_hex(buf, len, &pos, off);
	put_chr(buf, len, &pos, '/');
	put_hex(buf, len, &pos, size);
	terminate(buf, len, pos);
	return pos;
}

/* ksym_format(), inlined into ksym_describe() too: a frame less on a fault handler's path. */
OPT_INLINE size_t format(const struct ksym_table *t, char *buf, size_t len, const struct ksym_symbol *sym,
			 uint64_t addr)
{
	return put_offset(buf, len, ksym_name(t, sym, buf, len), addr - sym->start, sym->size);
}

size_t ksym_format(const struct ksym_table *t, char *buf, size_t len,
		   const struct ksym_symbol *sym, uint64_t addr)
{
	return format(t, buf, len, sym, addr);
}

int ksym_describe(const struct ksym_table *t, uint64_t addr, uint64_t back, char *buf, size_t len)
{
	struct ksym_symbol sym;
	int err = t->opened ? t->status : KSYM_ERR_UNPATCHED;

	if (!err)
		err = ksym_lookup_addr(t, addr - back, &sym);
	if (err)
		return put_addr(buf, len, addr, err);
	format(t, buf, len, &sym, addr);
	return KSYM_OK;
}

const char *ksym_strerror(int status)
{
	switch (status) {
	case KSYM_OK:
		return "ok";
	case KSYM_ERR_UNPATCHED:
		return "symbol table not patched";
	case KSYM_ERR_CORRUPT:
		return "symbol table corrupt";
	case KSYM_ERR_VERSION:
		return "symbol table has another format version";
	case KSYM_ERR_NOT_FOUND:
		return "no symbol at this address";
	}
	return "unknown error";
}
