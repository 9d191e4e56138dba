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
 * Fields are read a byte at a time in the table's byte order, so the code
 * needs no alignment, no byte-swap builtins and no libgcc.  Freestanding:
 * no libc, no allocation, no recursion, general registers only.
 */
#include <ksym/format.h>
#include <ksym/ksym.h>

/* ---- readers ----------------------------------------------------------- */

/* For the few small readers on every lookup's path. */
#define HOT static inline __attribute__((always_inline))

/*
 * An n-byte field at off, in the table's byte order.  Written as byte loads
 * and shifts with n a constant at each call (the 4 and 8 below), which
 * compilers turn into one load, and a byte swap where it is an instruction.
 */
static inline uint64_t rd_le(const unsigned char *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = n; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

static inline uint64_t rd_be(const unsigned char *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

HOT uint64_t rd(const struct ksym_table *t, uint64_t off, unsigned n)
{
	const unsigned char *p = t->blob + off;

	if (n == 8)
		return t->big_endian ? rd_be(p, 8) : rd_le(p, 8);
	return t->big_endian ? rd_be(p, 4) : rd_le(p, 4);
}

static uint64_t addr_max(const struct ksym_table *t)
{
	return t->addr_size == 8 ? UINT64_MAX : UINT32_MAX;
}

/* A read position inside [.., end) of the blob; bad is set instead of reading past end. */
struct cursor {
	const unsigned char *blob;
	uint64_t off, end;
	int bad;
};

HOT unsigned get_byte(struct cursor *c)
{
	if (c->off >= c->end) {
		c->bad = 1;
		return 0;
	}
	return c->blob[c->off++];
}

/* A LEB128 varint of at most max_bytes bytes. */
HOT uint64_t get_varint(struct cursor *c, unsigned max_bytes)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < max_bytes; i++) {
		unsigned b = get_byte(c);

		v |= (uint64_t)(b & 0x7f) << (7 * i);
		if (!(b & 0x80))
			return v;
	}
	c->bad = 1;
	return 0;
}

/* ---- records: the address order ---------------------------------------- */

struct rec {
	uint64_t start, size;
	unsigned type;
};

static uint64_t block_entry(const struct ksym_table *t, uint32_t b)
{
	return t->blocks_off + (uint64_t)b * (t->head_size + 4u);
}

/* The block's first start less base (the whole start with wide heads). */
static uint64_t block_rel_head(const struct ksym_table *t, uint32_t b)
{
	return rd(t, block_entry(t, b), t->head_size);
}

static uint64_t block_head(const struct ksym_table *t, uint32_t b)
{
	return t->base + block_rel_head(t, b);
}

static uint32_t block_offset(const struct ksym_table *t, uint32_t b)
{
	return (uint32_t)rd(t, block_entry(t, b) + t->head_size, 4);
}

static struct cursor block_cursor(const struct ksym_table *t, uint32_t b)
{
	struct cursor c = { t->blob, t->records_off, t->restarts_off, 0 };

	c.off += block_offset(t, b);
	return c;
}

/*
 * Decode the next record into *r, which holds the previous one (or, for the
 * first record of a block, has start = the block's head).  Sets c->bad on
 * anything outside the format.
 */
HOT void next_record(const struct ksym_table *t, struct cursor *c, struct rec *r, int first)
{
	unsigned code = get_byte(c), how = KSYM_CODE_START(code);
	uint64_t max = addr_max(t), start = r->start;

	if (first && how != KSYM_START_SAME) {
		c->bad = 1;
	} else if (how == KSYM_START_DELTA) {
		uint64_t d = get_varint(c, 10);

		if (d == 0 || d > max - start)
			c->bad = 1;
		start += d;
	} else if (how != KSYM_START_SAME) {
		uint64_t pad = (uint64_t)(how - 1) << t->pad_shift;

		if (r->size > max - start || pad > max - start - r->size)
			c->bad = 1;
		start += r->size + pad;
	}
	r->start = start;
	r->size = get_varint(c, 5);
	r->type = KSYM_CODE_TYPE(code);
	/* [start, start + size) may end exactly at the top of the address space. */
	if (r->size > UINT32_MAX || (r->size && r->size - 1 > max - start))
		c->bad = 1;
}

static int contains(const struct rec *r, uint64_t addr)
{
	return addr - r->start < r->size;
}

/* The end of a record, saturated at the top of the address space (the tree's values). */
static uint64_t rec_end(const struct ksym_table *t, const struct rec *r)
{
	return r->size > addr_max(t) - r->start ? addr_max(t) : r->start + r->size;
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
	struct cursor c = block_cursor(t, b);
	struct rec r = { block_head(t, b), 0, 0 };

	for (uint32_t k = b * KSYM_BLOCK; k <= i; k++)
		next_record(t, &c, &r, k == b * KSYM_BLOCK);
	fill(t, &r, i, out);
}

/*
 * In block b, the first record (in table order) of the greatest start that
 * contains addr.  Returns 1 and fills *out, or 0.
 */
static int best_in_block(const struct ksym_table *t, uint32_t b, uint64_t addr,
			 struct ksym_symbol *out)
{
	struct cursor c = block_cursor(t, b);
	struct rec r = { block_head(t, b), 0, 0 };
	uint32_t first = b * KSYM_BLOCK, n = block_len(t, b);
	int found = 0;

	for (uint32_t k = 0; k < n; k++) {
		next_record(t, &c, &r, k == 0);
		if (c.bad || r.start > addr)
			break;
		if (contains(&r, addr) && (!found || r.start > out->start)) {
			fill(t, &r, first + k, out);
			found = 1;
		}
	}
	return found;
}

static uint64_t tree_node(const struct ksym_table *t, uint32_t i)
{
	return rd(t, t->tree_off + (uint64_t)i * t->addr_size, t->addr_size);
}

/*
 * The greatest block before b holding a record that ends after addr: walk
 * left from leaf b - 1 and up to the first subtree to the left whose max end
 * passes addr, then down its rightmost such path.  O(log blocks).
 */
static int tree_find(const struct ksym_table *t, uint32_t b, uint64_t addr, uint32_t *out)
{
	uint32_t leaves = t->tree_leaves, i = leaves + b - 1;

	if (b == 0)
		return 0;
	for (;;) {
		if (tree_node(t, i) > addr) {
			while (i < leaves)
				i = tree_node(t, 2 * i + 1) > addr ? 2 * i + 1 : 2 * i;
			*out = i - leaves;
			return 1;
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
	uint32_t lo = 0, hi = addr < t->base ? 0 : t->nblocks, b;
	uint64_t rel = addr - t->base;

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
	if (!best_in_block(t, b, addr, out)) {
		/* Only a symbol that starts before block b and reaches past its head can. */
		if (!t->tree_off || !tree_find(t, b, addr, &b) || !best_in_block(t, b, addr, out))
			return KSYM_ERR_NOT_FOUND;
	}
	/*
	 * Aliases of the answer may sit at the end of earlier blocks: sizes grow
	 * within one start, so an earlier one that still contains addr is the
	 * smaller, and comes first in table order.
	 */
	while (out->index % KSYM_BLOCK == 0 && out->index > 0) {
		struct ksym_symbol prev;

		b = out->index / KSYM_BLOCK - 1;
		if (!best_in_block(t, b, addr, &prev) || prev.start != out->start)
			break;
		*out = prev;
	}
	return KSYM_OK;
}

/* ---- names: the name order --------------------------------------------- */

static uint64_t perm_bytes(const struct ksym_table *t)
{
	return ((uint64_t)t->count * t->perm_bits + 7) / 8;
}

/* Field i of the bit-packed array at base (perm_bits bits, MSB first). */
static uint32_t perm_get(const struct ksym_table *t, uint64_t base, uint32_t i)
{
	uint64_t bit = (uint64_t)i * t->perm_bits, v = 0;
	unsigned shift = bit % 8, nbytes = (shift + t->perm_bits + 7) / 8;
	const unsigned char *p = t->blob + base + bit / 8;

	for (unsigned k = 0; k < nbytes; k++)
		v = v << 8 | p[k];
	v >>= 8 * nbytes - shift - t->perm_bits;
	return (uint32_t)(v & (((uint64_t)1 << t->perm_bits) - 1));
}

/* The record at name position p, and the name position of record i. */
static uint32_t rec_of_pos(const struct ksym_table *t, uint32_t p)
{
	return perm_get(t, t->perm_off, p);
}

static uint32_t pos_of_rec(const struct ksym_table *t, uint32_t i)
{
	return perm_get(t, t->perm_off + perm_bytes(t), i);
}

static int is_token(const struct ksym_table *t, unsigned c)
{
	return c - t->tok_first < t->ntok;
}

/* The bytes of one name entry, tokens expanded with a stack of constant depth. */
struct name_it {
	const struct ksym_table *t;
	struct cursor c;
	unsigned sp;
	unsigned char stack[KSYM_TOKEN_DEPTH + 1];
};

/* Start reading the entry at the cursor's position: returns its shared-prefix length. */
static uint64_t name_begin(struct name_it *it)
{
	it->sp = 0;
	return get_varint(&it->c, 5);
}

/* The next byte of the name, 0 at its end, -1 if the stream is bad. */
static int name_next(struct name_it *it)
{
	for (;;) {
		unsigned c;

		if (it->sp) {
			c = it->stack[--it->sp];
		} else {
			c = get_byte(&it->c);
			if (it->c.bad)
				return -1;
			if (c == 0)
				return 0;
		}
		if (!is_token(it->t, c))
			return (int)c;
		if (it->sp + 2 > sizeof(it->stack))
			return -1;
		const unsigned char *pair = it->t->blob + KSYM_HDR_TOKENS + 2 * (c - it->t->tok_first);

		it->stack[it->sp++] = pair[1];
		it->stack[it->sp++] = pair[0];
	}
}

/* Skip to the end of the entry. */
static void name_skip(struct name_it *it)
{
	while (name_next(it) > 0)
		;
}

static struct name_it restart_it(const struct ksym_table *t, uint32_t r)
{
	struct name_it it;

	it.t = t;
	it.c.blob = t->blob;
	it.c.off = t->names_off + rd(t, t->restarts_off + (uint64_t)r * 4, 4);
	it.c.end = t->end;
	it.c.bad = 0;
	it.sp = 0;
	return it;
}

size_t ksym_name(const struct ksym_table *t, const struct ksym_symbol *sym, char *buf, size_t len)
{
	uint32_t p = pos_of_rec(t, sym->index);
	struct name_it it = restart_it(t, p / KSYM_RESTART);
	size_t n = 0;

	/*
	 * Decode from the restart in place: each name keeps the first lcp bytes
	 * of the one before, which are already in buf (as far as buf reaches).
	 */
	for (uint32_t q = p - p % KSYM_RESTART; q <= p; q++) {
		int c;

		n = name_begin(&it);
		while ((c = name_next(&it)) > 0) {
			if (n + 1 < len)
				buf[n] = (char)c;
			n++;
		}
	}
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

size_t ksym_lookup_name(const struct ksym_table *t, const char *name,
			struct ksym_symbol *out, size_t max)
{
	uint32_t lo = 0, hi = (t->count + KSYM_RESTART - 1) / KSYM_RESTART;
	size_t m = 0, n = 0;
	struct name_it it;

	if (t->count == 0)
		return 0;
	while (lo < hi) { /* the first restart whose name is >= name */
		uint32_t mid = lo + (hi - lo) / 2;
		size_t k = 0;

		it = restart_it(t, mid);
		name_begin(&it);
		if (entry_cmp(&it, name, &k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > 0)
		lo--; /* equal names may begin before that restart */
	/*
	 * Scan the names from there.  m is the length of the prefix the current
	 * name shares with name: a name that shares less than m bytes with its
	 * predecessor sorts after name; one that shares more sorts as its
	 * predecessor did; only one that shares exactly m needs comparing.
	 */
	it = restart_it(t, lo);
	for (uint32_t q = lo * KSYM_RESTART; q < t->count && !it.c.bad; q++) {
		uint64_t lcp = name_begin(&it);
		int cmp = -1;

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
			if (n < max)
				ksym_symbol_at(t, rec_of_pos(t, q), &out[n]);
			n++;
		}
	}
	return n;
}

/* ---- validation ---------------------------------------------------------- */

/* 8 bytes as a little-endian word, whatever this CPU's byte order. */
static uint64_t le64(const unsigned char *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
	       (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
	       (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

uint32_t ksym_checksum(const unsigned char *p, uint64_t len)
{
	uint64_t h = KSYM_SUM_BASIS, i;

	for (i = 0; i + 8 <= len; i += 8) {
		uint64_t w = le64(p + i);

		if (i == KSYM_HDR_CHECKSUM - 4) /* the checksum field reads as 0 */
			w &= 0xffffffffu;
		h = (h ^ w) * KSYM_SUM_PRIME;
	}
	for (; i < len; i++)
		h = (h ^ p[i]) * KSYM_SUM_PRIME;
	return (uint32_t)(h ^ h >> 32);
}

static int fail(const char **why, int status, const char *reason)
{
	if (why)
		*why = reason;
	return status;
}

#define CORRUPT(reason) fail(why, KSYM_ERR_CORRUPT, reason)

/* The header, and the layout it describes: every section where the counts put it. */
static int open_header(struct ksym_table *t, const unsigned char *b, uint64_t blob_size,
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

	t->blob = b;
	t->big_endian = b[KSYM_HDR_ENDIAN] == KSYM_ENDIAN_BIG;
	t->addr_size = b[KSYM_HDR_ADDR_SIZE];
	t->head_size = b[KSYM_HDR_FLAGS] & KSYM_FLAG_WIDE ? t->addr_size : 4;
	t->base = b[KSYM_HDR_FLAGS] & KSYM_FLAG_WIDE ? 0 : rd(t, KSYM_HDR_BASE, 8);
	t->count = (uint32_t)rd(t, KSYM_HDR_COUNT, 4);
	t->tok_first = b[KSYM_HDR_TOK_FIRST];
	t->ntok = b[KSYM_HDR_NTOK];
	t->pad_shift = b[KSYM_HDR_PAD_SHIFT];
	t->perm_bits = b[KSYM_HDR_PERM_BITS];
	t->blocks_off = (uint32_t)rd(t, KSYM_HDR_BLOCKS_OFF, 4);
	t->tree_off = (uint32_t)rd(t, KSYM_HDR_TREE_OFF, 4);
	t->records_off = (uint32_t)rd(t, KSYM_HDR_RECORDS_OFF, 4);
	t->restarts_off = (uint32_t)rd(t, KSYM_HDR_RESTARTS_OFF, 4);
	t->perm_off = (uint32_t)rd(t, KSYM_HDR_PERM_OFF, 4);
	t->names_off = (uint32_t)rd(t, KSYM_HDR_NAMES_OFF, 4);
	t->end = (uint32_t)rd(t, KSYM_HDR_END, 4);
	t->nblocks = (uint32_t)(((uint64_t)t->count + KSYM_BLOCK - 1) / KSYM_BLOCK);
	for (t->tree_leaves = 1; t->tree_leaves < t->nblocks; t->tree_leaves *= 2)
		;

	if (t->count != count)
		return CORRUPT("record count disagrees with NUM_KERNEL_SYMBOLS");
	if (b[KSYM_HDR_FLAGS] & ~(KSYM_FLAG_TREE | KSYM_FLAG_WIDE) || t->pad_shift > 7 || t->base > addr_max(t) ||
	    (t->ntok && (t->tok_first == 0 || t->tok_first + t->ntok > 256)))
		return CORRUPT("bad header field");

	/* The layout is fixed by the counts, except for the two streams' lengths. */
	uint64_t blocks_end = KSYM_HDR_TOKENS + 2u * t->ntok;
	uint64_t tree_end, perm_off;

	if (t->blocks_off != blocks_end || t->perm_bits != ksym_perm_bits(t->count))
		return CORRUPT("table layout does not match its counts");
	blocks_end += (uint64_t)t->nblocks * (t->head_size + 4u);
	tree_end = blocks_end;
	if (b[KSYM_HDR_FLAGS] & KSYM_FLAG_TREE) {
		if (t->tree_off != blocks_end || t->nblocks == 0)
			return CORRUPT("table layout does not match its counts");
		tree_end += 2ull * t->tree_leaves * t->addr_size;
	} else if (t->tree_off != 0) {
		return CORRUPT("table layout does not match its counts");
	}
	perm_off = t->restarts_off + 4ull * ((t->count + KSYM_RESTART - 1) / KSYM_RESTART);
	if (t->records_off != tree_end || t->restarts_off < t->records_off ||
	    t->perm_off != perm_off || t->names_off != perm_off + 2 * perm_bytes(t) ||
	    t->end < t->names_off)
		return CORRUPT("table layout does not match its counts");
	if (t->end > blob_size)
		return CORRUPT("table runs past the placeholder");
	if (ksym_checksum(b, t->end) != rd(t, KSYM_HDR_CHECKSUM, 4))
		return CORRUPT("checksum mismatch");
	return KSYM_OK;
}

/* Tokens: in range, built only from earlier tokens, nested at most KSYM_TOKEN_DEPTH deep. */
static int open_tokens(const struct ksym_table *t, const char **why)
{
	unsigned char depth[256];

	for (unsigned i = 0; i < t->ntok; i++) {
		const unsigned char *pair = t->blob + KSYM_HDR_TOKENS + 2 * i;
		unsigned d = 0;

		for (int k = 0; k < 2; k++) {
			unsigned c = pair[k];

			if (c == 0)
				return CORRUPT("token made of a NUL byte");
			if (is_token(t, c)) {
				if (c - t->tok_first >= i)
					return CORRUPT("token refers to itself or a later token");
				if (depth[c - t->tok_first] > d)
					d = depth[c - t->tok_first];
			}
		}
		if (d + 1 > KSYM_TOKEN_DEPTH)
			return CORRUPT("tokens nested too deep");
		depth[i] = (unsigned char)(d + 1);
	}
	return KSYM_OK;
}

/*
 * Records: every block's offset where the previous one ended, its head the
 * start of its first record and not below the previous block's starts, every
 * type known, the max-end tree equal to what the records say; without a
 * tree, no record may reach past the start of a later block.
 */
static int open_records(const struct ksym_table *t, const char **why)
{
	struct cursor c = { t->blob, t->records_off, t->restarts_off, 0 };
	struct rec r = { 0, 0, 0 };
	uint64_t reach = 0;       /* greatest end of the records before the current start */
	uint64_t group_reach = 0; /* the same, before the current group of equal starts */
	uint64_t last = 0;        /* the previous record's start */
	unsigned ntypes = 0;

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
		if ((b && head < last) || head < t->base || head > addr_max(t) ||
		    (b == 0 && !(t->blob[KSYM_HDR_FLAGS] & KSYM_FLAG_WIDE) && head != t->base))
			return CORRUPT("block index is not sorted");
		if (b && (head > last ? reach : group_reach) > head && !t->tree_off)
			return CORRUPT("a symbol reaches past a later block but there is no tree");
		r.start = head;
		for (uint32_t k = 0; k < block_len(t, b); k++) {
			uint64_t prev_size = r.size, end;
			int alias;

			next_record(t, &c, &r, k == 0);
			if (c.bad)
				return CORRUPT("record stream runs past its end or out of range");
			if (r.type >= ntypes)
				return CORRUPT("record type out of range");
			/* Lookups rely on the sizes growing within one start (table order). */
			alias = (b || k) && r.start == last;
			if (alias && r.size < prev_size)
				return CORRUPT("symbols at one address are not in table order");
			if (!alias)
				group_reach = reach;
			end = rec_end(t, &r);
			if (end > reach)
				reach = end;
			if (end > block_end)
				block_end = end;
			last = r.start;
		}
		if (t->tree_off && tree_node(t, t->tree_leaves + b) != block_end)
			return CORRUPT("max-end tree disagrees with the records");
	}
	if (c.off != t->restarts_off)
		return CORRUPT("record stream has trailing bytes");
	if (t->tree_off) {
		for (uint32_t i = t->tree_leaves + t->nblocks; i < 2 * t->tree_leaves; i++)
			if (tree_node(t, i) != 0)
				return CORRUPT("max-end tree disagrees with the records");
		for (uint32_t i = t->tree_leaves - 1; i >= 1; i--) {
			uint64_t l = tree_node(t, 2 * i), r2 = tree_node(t, 2 * i + 1);

			if (tree_node(t, i) != (l > r2 ? l : r2))
				return CORRUPT("max-end tree disagrees with the records");
		}
	}
	return KSYM_OK;
}

/*
 * Names: restarts where the stream says, a shared prefix no longer than the
 * previous name, names in sorted order (equal ones by record number), and
 * the two permutations inverse to each other.  prefix[] holds the first
 * 256 bytes of the previous name: enough, as a shared prefix is a byte.
 */
static int open_names(const struct ksym_table *t, const char **why)
{
	struct name_it it;
	unsigned char prefix[256];
	uint64_t prev_len = 0;

	it.t = t;
	it.c.blob = t->blob;
	it.c.off = t->names_off;
	it.c.end = t->end;
	it.c.bad = 0;
	for (uint32_t q = 0; q < t->count; q++) {
		uint64_t lcp, len;
		int c, order = 0; /* the name against the previous: 0 equal so far, 2 unknown */

		if (q % KSYM_RESTART == 0 &&
		    rd(t, t->restarts_off + (uint64_t)(q / KSYM_RESTART) * 4, 4) != it.c.off - t->names_off)
			return CORRUPT("name restart offset out of place");
		lcp = name_begin(&it);
		if ((q % KSYM_RESTART == 0 && lcp) || lcp > prev_len)
			return CORRUPT("front-coding prefix longer than the previous name");
		for (len = lcp; (c = name_next(&it)) > 0; len++) {
			if (order == 0 && q) {
				if (len >= prev_len)
					order = 1;
				else if (len >= sizeof(prefix))
					order = 2;
				else if ((unsigned)c != prefix[len])
					order = (unsigned)c > prefix[len] ? 1 : -1;
				else if (len == lcp && q % KSYM_RESTART)
					return CORRUPT("front-coding prefix shorter than the shared one");
			}
			if (len < sizeof(prefix))
				prefix[len] = (unsigned char)c;
		}
		if (c < 0)
			return CORRUPT("name runs past the table or nests tokens too deep");
		if (order == 0 && len < prev_len)
			order = -1; /* a strict prefix of the previous name */
		if (order < 0 || (q && order == 0 && rec_of_pos(t, q) <= rec_of_pos(t, q - 1)))
			return CORRUPT("names are not sorted");
		prev_len = len;
	}
	if (it.c.off != t->end)
		return CORRUPT("name stream has trailing bytes");
	for (uint32_t p = 0; p < t->count; p++) {
		uint32_t i = rec_of_pos(t, p);

		if (i >= t->count || pos_of_rec(t, i) != p)
			return CORRUPT("name permutation is not a permutation");
	}
	return KSYM_OK;
}

int ksym_open(struct ksym_table *t, const void *blob, uint64_t blob_size,
	      uint64_t count, const char **why)
{
	int err = open_header(t, blob, blob_size, count, why);

	if (!err)
		err = open_tokens(t, why);
	if (!err)
		err = open_records(t, why);
	if (!err)
		err = open_names(t, why);
	if (err)
		t->count = t->nblocks = 0; /* unusable: every lookup finds nothing */
	return err;
}

uint64_t ksym_blob_bytes(const struct ksym_table *t)
{
	return t->end;
}

/* ---- text ------------------------------------------------------------- */

/* Append text to buf[0..len), counting the full length in *pos. */
static void put_str(char *buf, size_t len, size_t *pos, const char *s)
{
	for (; *s; s++, (*pos)++)
		if (*pos + 1 < len)
			buf[*pos] = *s;
}

static void put_hex(char *buf, size_t len, size_t *pos, uint64_t v)
{
	char digits[19] = "0x";
	int n = 0;
	char tmp[16];

	do {
		tmp[n++] = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while (v);
	for (int i = 0; i < n; i++)
		digits[2 + i] = tmp[n - 1 - i];
	digits[2 + n] = '\0';
	put_str(buf, len, pos, digits);
}

size_t ksym_format(const struct ksym_table *t, char *buf, size_t len,
		   const struct ksym_symbol *sym, uint64_t addr)
{
	size_t pos = ksym_name(t, sym, buf, len);

	put_str(buf, len, &pos, "+");
	put_hex(buf, len, &pos, addr - sym->start);
	put_str(buf, len, &pos, "/");
	put_hex(buf, len, &pos, sym->size);
	if (len)
		buf[pos < len ? pos : len - 1] = '\0';
	return pos;
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
