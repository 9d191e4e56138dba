/* SPDX-License-Identifier: MIT */
/*
 * Table encoder: selected symbols in, the bytes of the on-image table out
 * (layout in runtime/include/ksym/format.h, costs in docs/FORMAT.md).
 *
 * Strategy: two streams, each shaped by what kernels' symbol sets share.
 * The address stream codes each record's start from the previous record's
 * end (functions follow each other with a little padding, so one code byte
 * says it) and its size as a varint, in the units that all sizes of its
 * type share (4 bytes for AArch64 functions).  The name stream sorts the names
 * (name_sort.c), front-codes each against the one before, and compresses
 * what is left with byte-pair tokens (tokens.c).  Then the parts are laid
 * out, and every multi-byte field goes through put(), which takes the
 * target's byte order, so the host's order never leaks into the table.  The
 * checksum is computed by the runtime's own function.
 */
#include <stdlib.h>
#include <string.h>

#include <ksym/format.h>
#include <ksym/ksym.h>

#include "ksympatch.h"
#include "encode.h"

/* An n-byte field in the target's byte order. */
static void put(unsigned char *p, uint64_t v, unsigned n, int big_endian)
{
	for (unsigned i = 0; i < n; i++)
		p[big_endian ? n - 1 - i : i] = (unsigned char)(v >> (8 * i));
}

/* ---- checks and the type letters ------------------------------------------ */

/*
 * The symbols' type letters into types (type_index: a letter's place in
 * it), and each type's size shift: the trailing zero bits that all its
 * sizes share (functions' sizes are whole instructions), so that a size is
 * stored as size >> shift.
 */
static int check_symbols(const struct ksp_sym *syms, size_t n, uint64_t addr_max, unsigned char *type_index,
			 unsigned char *types, unsigned char *shifts, const char **why)
{
	uint32_t low_bits[256] = { 0 }; /* the bits set in any size of the type */
	unsigned ntypes = 0;

	if (n > UINT32_MAX / 2) {
		*why = "too many symbols for the format";
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (syms[i].size > UINT32_MAX) {
			*why = "a symbol is 4 GiB or larger";
			return -1;
		}
		if (syms[i].start > addr_max ||
		    (syms[i].size && syms[i].size - 1 > addr_max - syms[i].start)) {
			*why = "a symbol lies outside the address space";
			return -1;
		}
		if (!syms[i].type || !syms[i].name[0]) {
			*why = "a symbol has no type letter or no name";
			return -1;
		}
		types[(unsigned char)syms[i].type] = 1;
		low_bits[(unsigned char)syms[i].type] |= (uint32_t)syms[i].size;
	}
	for (unsigned c = 1; c < 256; c++) {
		if (!types[c])
			continue;
		if (ntypes == KSYM_MAX_TYPES) {
			*why = "more distinct type letters than the format holds";
			return -1;
		}
		type_index[c] = (unsigned char)ntypes;
		types[c] = 0;
		while (low_bits[c] && !(low_bits[c] >> shifts[ntypes] & 1))
			shifts[ntypes]++;
		types[ntypes++] = (unsigned char)c;
	}
	return 0;
}

/* ---- the address stream ---------------------------------------------------- */

/*
 * The record stream for pad unit 1 << shift, into out (NULL: just measure).
 * block_off[b] gets each block's offset in the stream.  Returns its size.
 */
static size_t encode_records(const struct ksp_sym *syms, size_t n, const unsigned char *type_index,
			     const unsigned char *shifts, unsigned shift, struct ksp_bytes *out, uint32_t *block_off)
{
	unsigned char scratch[16];
	size_t size = 0;

	for (size_t i = 0; i < n; i++) {
		struct ksp_bytes b = { out ? out->p + out->len : scratch, 0 };
		unsigned how = KSYM_START_DELTA, type = type_index[(unsigned char)syms[i].type];

		if (i % KSYM_BLOCK == 0) {
			how = KSYM_START_SAME;
			if (block_off)
				block_off[i / KSYM_BLOCK] = (uint32_t)size;
		} else if (syms[i].start == syms[i - 1].start) {
			how = KSYM_START_SAME;
		} else if (syms[i].start - syms[i - 1].start >= syms[i - 1].size) {
			uint64_t pad = syms[i].start - syms[i - 1].start - syms[i - 1].size;

			if (pad % (1u << shift) == 0 && pad >> shift < KSYM_PAD_CODES)
				how = 1 + (unsigned)(pad >> shift);
		}
		ksp_put_byte(&b, how << 5 | type);
		if (how == KSYM_START_DELTA)
			ksp_put_varint(&b, syms[i].start - syms[i - 1].start);
		ksp_put_varint(&b, syms[i].size >> shifts[type]);
		size += b.len;
		if (out)
			out->len += b.len;
	}
	return size;
}

/* The greatest end of the symbols. */
static uint64_t max_end(const struct ksp_sym *syms, size_t n, uint64_t addr_max)
{
	uint64_t end = 0;

	for (size_t i = 0; i < n; i++)
		if (ksym_end(syms[i].start, syms[i].size, addr_max) > end)
			end = ksym_end(syms[i].start, syms[i].size, addr_max);
	return end;
}

/* Does some symbol reach past the start of a later block?  (Then the table needs the tree: format.h's rule.) */
static int needs_tree(const struct ksp_sym *syms, size_t n, uint64_t addr_max)
{
	struct ksym_reach r;

	ksym_reach_init(&r, addr_max);
	for (size_t i = 0; i < n; i++)
		if (ksym_reach_next(&r, syms[i].start, ksym_end(syms[i].start, syms[i].size, addr_max)))
			return 1;
	return 0;
}

/* The record stream with the pad unit that makes it shortest; *shift gets the unit. */
static int encode_addresses(const struct ksp_sym *syms, size_t n, const unsigned char *type_index,
			    const unsigned char *shifts, struct ksp_bytes *rec, uint32_t *block_off, unsigned *shift)
{
	size_t best_size = SIZE_MAX;

	rec->p = ksp_alloc(n * 16 + 1); /* a code byte and two varints of at most 10 and 5 bytes */
	if (!rec->p)
		return -1;
	for (unsigned s = 0; s < 4; s++) {
		size_t size = encode_records(syms, n, type_index, shifts, s, NULL, NULL);

		if (size < best_size) {
			best_size = size;
			*shift = s;
		}
	}
	encode_records(syms, n, type_index, shifts, *shift, rec, block_off);
	return 0;
}

/* ---- the name stream ------------------------------------------------------- */

/* The name side of a table: the sorted index, the tokens, the stream and its restarts. */
struct names {
	struct ksp_name_ref *index; /* name position -> record */
	struct ksp_tokens *tok;
	struct ksp_bytes stream;
	uint32_t *restart_off;
};

static size_t common_prefix(const char *a, const char *b)
{
	size_t i = 0;

	while (a[i] && a[i] == b[i])
		i++;
	return i;
}

/*
 * Front coding.  The names in sorted order are scattered over the ELF's
 * string table: visit each once, copying what is left after the shared
 * prefix into text, which the token learning and the encoding then read in
 * order.  suffix[k] points into text; shared[k] is the prefix's length.
 */
static void front_code(const struct ksp_name_ref *index, size_t n, char *text, const char **suffix,
		       uint32_t *shared)
{
	for (size_t k = 0, at = 0; k < n; k++) {
		if (k + KSP_PREFETCH < n)
			__builtin_prefetch(index[k + KSP_PREFETCH].name);
		size_t lcp = k % KSYM_RESTART ? common_prefix(index[k - 1].name, index[k].name) : 0;
		size_t len = strlen(index[k].name + lcp);

		memcpy(text + at, index[k].name + lcp, len + 1);
		suffix[k] = text + at;
		shared[k] = (uint32_t)lcp;
		at += len + 1;
	}
}

/* Each name entry: the shared prefix's length (a varint), the suffix as codes, a 0. */
static int write_name_stream(struct names *nm, size_t n, const char *const *suffix, const uint32_t *shared,
			     size_t name_bytes, size_t longest)
{
	uint16_t *scratch = malloc((longest + 1) * sizeof(*scratch));

	nm->stream.p = ksp_alloc(name_bytes + 5 * n + 1);
	if (!scratch || !nm->stream.p) {
		free(scratch);
		return -1;
	}
	for (size_t k = 0; k < n; k++) {
		if (k % KSYM_RESTART == 0)
			nm->restart_off[k / KSYM_RESTART] = (uint32_t)nm->stream.len;
		ksp_put_varint(&nm->stream, shared[k]);
		ksp_encode_suffix(suffix[k], nm->tok, scratch, &nm->stream);
	}
	free(scratch);
	return 0;
}

/*
 * Sorted, front-coded, tokenized: the name stream of syms, in a table of
 * rest bytes besides; 0, or -1 when out of memory.
 */
static int encode_names(const struct ksp_sym *syms, size_t n, uint64_t rest, struct names *nm)
{
	size_t name_bytes = 0, longest = 0;
	const char **suffix = ksp_alloc(n * sizeof(*suffix) + 1);
	uint32_t *shared = ksp_alloc(n * sizeof(*shared) + 1);
	char *text;
	int ret = -1;

	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(syms[i].name);

		name_bytes += l + 1;
		longest = l > longest ? l : longest;
	}
	text = ksp_alloc(name_bytes + 1);
	nm->index = ksp_alloc(n * sizeof(*nm->index) + 1);
	nm->restart_off = ksp_alloc((n + KSYM_RESTART - 1) / KSYM_RESTART * sizeof(*nm->restart_off) + 1);
	nm->tok = calloc(1, sizeof(*nm->tok));
	if (!suffix || !shared || !text || !nm->index || !nm->restart_off || !nm->tok)
		goto out;
	for (size_t i = 0; i < n; i++)
		nm->index[i] = (struct ksp_name_ref){ syms[i].name, (uint32_t)i };
	if (ksp_sort_names(nm->index, n) < 0)
		goto out;
	front_code(nm->index, n, text, suffix, shared);
	if (ksp_learn_tokens(suffix, n, rest, nm->tok) < 0 ||
	    write_name_stream(nm, n, suffix, shared, name_bytes, longest) < 0)
		goto out;
	ret = 0;
out:
	free(suffix);
	free(shared);
	free(text);
	return ret;
}

static void free_names(struct names *nm)
{
	free(nm->index);
	free(nm->tok);
	free(nm->stream.p);
	free(nm->restart_off);
}

/* ---- the table ------------------------------------------------------------- */

/* Where each part goes (format.h's layout), and what the header says of them. */
struct layout {
	size_t nblocks, nrestarts, leaves, perm_size, hint_size;
	size_t blocks, tree, records, restarts, perm, names, end;
	unsigned head_size, off_size, perm_bits, hint_bits;
	int has_tree, wide;
	uint64_t base;
};

static struct layout plan(const struct ksp_sym *syms, size_t n, int addr_size, uint64_t addr_max,
			  const struct ksp_bytes *rec, const struct names *nm)
{
	struct layout L = { .nblocks = (n + KSYM_BLOCK - 1) / KSYM_BLOCK,
			    .nrestarts = (n + KSYM_RESTART - 1) / KSYM_RESTART,
			    .leaves = 1,
			    .perm_bits = ksym_perm_bits(n) };

	L.hint_bits = ksym_hint_bits(L.perm_bits);

	L.has_tree = needs_tree(syms, n, addr_max);
	/*
	 * Block heads (and tree nodes) as u32 offsets from the first start,
	 * unless the starts (or, with a tree, the ends) span 4 GiB.
	 */
	L.wide = n && (syms[n - 1].start - syms[0].start > UINT32_MAX ||
		       (L.has_tree && max_end(syms, n, addr_max) - syms[0].start > UINT32_MAX));
	L.head_size = L.wide ? (unsigned)addr_size : 4;
	/* Block offsets and restarts in u16 when both streams are under 64 KiB (any 32 KiB placeholder's are). */
	L.off_size = rec->len <= UINT16_MAX && nm->stream.len <= UINT16_MAX ? 2 : 4;
	L.base = n && !L.wide ? syms[0].start : 0;
	L.perm_size = ((uint64_t)n * L.perm_bits + 7) / 8;
	L.hint_size = ((uint64_t)n * L.hint_bits + 7) / 8;
	while (L.leaves < L.nblocks)
		L.leaves *= 2;
	L.blocks = KSYM_HDR_TOKENS + ksym_pair_bytes(nm->tok->nesc) * nm->tok->n + nm->tok->nlit;
	L.tree = L.blocks + L.nblocks * (L.head_size + L.off_size);
	L.records = L.tree + (L.has_tree ? 2 * L.leaves * (size_t)L.head_size : 0);
	L.restarts = L.records + rec->len;
	L.perm = L.restarts + L.off_size * L.nrestarts;
	L.names = L.perm + L.hint_size + L.perm_size;
	L.end = L.names + nm->stream.len;
	return L;
}

/* The token pairs, ksym_pair_bytes() each. */
static void write_pairs(unsigned char *p, const struct ksp_tokens *tok)
{
	for (unsigned i = 0; i < tok->n; i++)
		ksp_put_pair(p + ksym_pair_bytes(tok->nesc) * i, tok->nesc, tok->pair[i][0], tok->pair[i][1]);
}

static void write_header(unsigned char *h, const struct layout *L, size_t n, int addr_size, int big_endian,
			 const unsigned char *types, const unsigned char *shifts, const struct ksp_tokens *tok,
			 unsigned shift)
{
	memcpy(h + KSYM_HDR_MAGIC, (char[]){ KSYM_MAGIC0, KSYM_MAGIC1, KSYM_MAGIC2, KSYM_MAGIC3 }, 4);
	h[KSYM_HDR_VERSION] = KSYM_FORMAT_VERSION;
	h[KSYM_HDR_ENDIAN] = big_endian ? KSYM_ENDIAN_BIG : KSYM_ENDIAN_LITTLE;
	h[KSYM_HDR_ADDR_SIZE] = (unsigned char)addr_size;
	h[KSYM_HDR_FLAGS] = (L->has_tree ? KSYM_FLAG_TREE : 0) | (L->wide ? KSYM_FLAG_WIDE : 0) |
			    (L->off_size == 2 ? KSYM_FLAG_SHORT : 0);
	put(h + KSYM_HDR_BASE, L->base, 8, big_endian);
	put(h + KSYM_HDR_COUNT, n, 4, big_endian);
	h[KSYM_HDR_NLIT] = (unsigned char)tok->nlit;
	h[KSYM_HDR_NESC] = (unsigned char)tok->nesc;
	put(h + KSYM_HDR_NTOK, tok->n, 2, big_endian);
	h[KSYM_HDR_PAD_SHIFT] = (unsigned char)shift;
	h[KSYM_HDR_PERM_BITS] = (unsigned char)L->perm_bits;
	put(h + KSYM_HDR_BLOCKS_OFF, L->blocks, 4, big_endian);
	put(h + KSYM_HDR_TREE_OFF, L->has_tree ? L->tree : 0, 4, big_endian);
	put(h + KSYM_HDR_RECORDS_OFF, L->records, 4, big_endian);
	put(h + KSYM_HDR_RESTARTS_OFF, L->restarts, 4, big_endian);
	put(h + KSYM_HDR_PERM_OFF, L->perm, 4, big_endian);
	put(h + KSYM_HDR_NAMES_OFF, L->names, 4, big_endian);
	put(h + KSYM_HDR_END, L->end, 4, big_endian);
	memcpy(h + KSYM_HDR_TYPES, types, KSYM_MAX_TYPES);
	memcpy(h + KSYM_HDR_SHIFTS, shifts, KSYM_MAX_TYPES);
	write_pairs(h + KSYM_HDR_TOKENS, tok);
	memcpy(h + KSYM_HDR_TOKENS + ksym_pair_bytes(tok->nesc) * tok->n, tok->alphabet, tok->nlit);
}

/* The block index: each block's first start (less base) and its offset in the record stream. */
static void write_blocks(unsigned char *h, const struct layout *L, const struct ksp_sym *syms,
			 const uint32_t *block_off, int big_endian)
{
	for (size_t b = 0; b < L->nblocks; b++) {
		unsigned char *e = h + L->blocks + b * (L->head_size + L->off_size);

		put(e, syms[b * KSYM_BLOCK].start - L->base, L->head_size, big_endian);
		put(e + L->head_size, block_off[b], L->off_size, big_endian);
	}
}

/*
 * The max-end tree: leaves hold each block's greatest end, nodes the max of
 * their children, less base, in head_size bytes (a leaf past the blocks: 0).
 */
static int write_tree(unsigned char *h, const struct layout *L, const struct ksp_sym *syms, size_t n,
		      uint64_t addr_max, int big_endian)
{
	uint64_t *node = calloc(2 * L->leaves, sizeof(*node));

	if (!node)
		return -1;
	for (size_t i = 0; i < n; i++) {
		uint64_t rel = ksym_end(syms[i].start, syms[i].size, addr_max) - L->base; /* ends >= base */

		if (rel > node[L->leaves + i / KSYM_BLOCK])
			node[L->leaves + i / KSYM_BLOCK] = rel;
	}
	for (size_t i = L->leaves - 1; i >= 1; i--)
		node[i] = node[2 * i] > node[2 * i + 1] ? node[2 * i] : node[2 * i + 1];
	for (size_t i = 1; i < 2 * L->leaves; i++)
		put(h + L->tree + i * (size_t)L->head_size, node[i], L->head_size, big_endian);
	free(node);
	return 0;
}

/* Field i of bits bits (at most 32), MSB first, into the zeroed array at p: a byte at a time. */
static void perm_put(unsigned char *p, size_t i, unsigned bits, uint32_t v)
{
	size_t bit = i * bits;
	unsigned off = bit % 8, nbytes = (off + bits + 7) / 8;
	uint64_t x;

	if (bits == 0)
		return;
	x = (uint64_t)v << (64 - off - bits); /* the field's first bit at bit 63 - off */
	for (unsigned k = 0; k < nbytes; k++)
		p[bit / 8 + k] |= (unsigned char)(x >> (56 - 8 * k));
}

/* The restarts, the name hints, the record -> name permutation and the name stream. */
static void write_name_parts(unsigned char *h, const struct layout *L, const struct names *nm, size_t n,
			     int big_endian)
{
	for (size_t r = 0; r < L->nrestarts; r++)
		put(h + L->restarts + L->off_size * r, nm->restart_off[r], L->off_size, big_endian);
	for (size_t k = 0; k < n; k++) {
		perm_put(h + L->perm, k, L->hint_bits, nm->index[k].rec >> KSYM_NAME_GROUP_SHIFT);
		perm_put(h + L->perm + L->hint_size, nm->index[k].rec, L->perm_bits, (uint32_t)k);
	}
	memcpy(h + L->names, nm->stream.p, nm->stream.len);
}

/* Bytes of a table of n symbols besides its names and tokens, about: the records, the indexes, the permutations. */
static uint64_t not_names(size_t n, size_t records)
{
	unsigned bits = ksym_perm_bits(n);

	return KSYM_HDR_SIZE + records + (n + KSYM_BLOCK - 1) / KSYM_BLOCK * 6 +
	       (n + KSYM_RESTART - 1) / KSYM_RESTART * 2 + (uint64_t)n * (bits + ksym_hint_bits(bits)) / 8;
}

int ksp_encode(const struct ksp_sym *syms, size_t n, int addr_size, int big_endian, struct ksp_blob *out,
	       const char **why)
{
	uint64_t addr_max = addr_size == 8 ? UINT64_MAX : UINT32_MAX;
	unsigned char type_index[256] = { 0 }, types[256] = { 0 }, shifts[KSYM_MAX_TYPES] = { 0 };
	uint32_t *block_off = ksp_alloc((n + KSYM_BLOCK - 1) / KSYM_BLOCK * sizeof(*block_off) + 1);
	struct ksp_bytes rec = { 0 };
	struct names nm = { 0 };
	struct layout L;
	unsigned shift = 0;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	*why = "out of memory";
	if (check_symbols(syms, n, addr_max, type_index, types, shifts, why) < 0 || !block_off ||
	    encode_addresses(syms, n, type_index, shifts, &rec, block_off, &shift) < 0 ||
	    encode_names(syms, n, not_names(n, rec.len), &nm) < 0)
		goto out;
	L = plan(syms, n, addr_size, addr_max, &rec, &nm);
	if (L.end > UINT32_MAX) {
		*why = "table larger than 4 GiB";
		goto out;
	}
	out->size = (L.end + KSYM_ALIGN - 1) & ~(size_t)(KSYM_ALIGN - 1);
	out->data = ksp_alloc(out->size);
	if (!out->data)
		goto out;
	memset(out->data, 0, out->size);
	write_header(out->data, &L, n, addr_size, big_endian, types, shifts, nm.tok, shift);
	write_blocks(out->data, &L, syms, block_off, big_endian);
	if (L.has_tree && write_tree(out->data, &L, syms, n, addr_max, big_endian) < 0)
		goto out;
	memcpy(out->data + L.records, rec.p, rec.len);
	write_name_parts(out->data, &L, &nm, n, big_endian);
	put(out->data + KSYM_HDR_CHECKSUM, ksym_checksum(out->data, L.end), 4, big_endian);
	out->count = (uint32_t)n;
	ret = 0;
out:
	if (ret) {
		free(out->data);
		out->data = NULL;
		out->size = 0;
	}
	free(block_off);
	free(rec.p);
	free_names(&nm);
	return ret;
}
