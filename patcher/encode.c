/* SPDX-License-Identifier: MIT */
/*
 * Blob encoder: selected symbols in, the bytes of the on-image table out
 * (layout in runtime/include/ksym/format.h, costs in docs/FORMAT.md).
 *
 * Strategy: two streams, each shaped by what kernels' symbol sets share.
 * The address stream codes each record's start from the previous record's
 * end (functions follow each other with a little padding, so one code byte
 * says it) and its size as a varint.  The name stream sorts the names (radix
 * sort, then multikey quicksort), front-codes each against the one before,
 * and compresses what is left with byte-pair tokens learned from a bounded
 * sample of it.  Every multi-byte field goes through put(), which takes the
 * target's byte order, so the host's order never leaks into the blob.  The
 * checksum is computed by the runtime's own function.
 */
#include <stdlib.h>
#include <string.h>

#include <ksym/format.h>
#include <ksym/ksym.h>

#include "ksympatch.h"

/* A growing byte buffer with a capacity fixed up front (no reallocation). */
struct bytes {
	unsigned char *p;
	size_t len;
};

static void put_byte(struct bytes *b, unsigned v)
{
	b->p[b->len++] = (unsigned char)v;
}

static void put_varint(struct bytes *b, uint64_t v)
{
	for (; v >= 0x80; v >>= 7)
		put_byte(b, (unsigned)(v & 0x7f) | 0x80);
	put_byte(b, (unsigned)v);
}

/* An n-byte field in the target's byte order. */
static void put(unsigned char *p, uint64_t v, unsigned n, int big_endian)
{
	for (unsigned i = 0; i < n; i++)
		p[big_endian ? n - 1 - i : i] = (unsigned char)(v >> (8 * i));
}

/*
 * The name index: record numbers sorted by name, equal names by record
 * number.  Multikey quicksort (Bentley & Sedgewick) partitions on one byte
 * at a time, so the long prefixes kernel names share (drivers_net_...) are
 * compared once per level instead of once per comparison.  It recurses only
 * into parts of at most half the elements and loops on the largest, so the
 * stack stays O(log n) whatever the names.
 */
struct name_ref {
	const char *name;
	uint32_t rec;
};

static int byte_at(const struct name_ref *a, size_t i, size_t d)
{
	return (unsigned char)a[i].name[d];
}

static int cmp_rec(const void *pa, const void *pb)
{
	const struct name_ref *a = pa, *b = pb;

	return (a->rec > b->rec) - (a->rec < b->rec);
}

/* Small parts: insertion sort on the rest of the name, then the record number. */
static void insertion_sort(struct name_ref *a, size_t n, size_t d)
{
	for (size_t i = 1; i < n; i++) {
		struct name_ref v = a[i];
		size_t j = i;

		for (; j > 0; j--) {
			int c = strcmp(a[j - 1].name + d, v.name + d);

			if (c < 0 || (c == 0 && a[j - 1].rec < v.rec))
				break;
			a[j] = a[j - 1];
		}
		a[j] = v;
	}
}

static void swap_ref(struct name_ref *a, size_t i, size_t j)
{
	struct name_ref t = a[i];

	a[i] = a[j];
	a[j] = t;
}

static void sort_names(struct name_ref *a, size_t n, size_t d)
{
	while (n > 16) {
		/* Median of three bytes as the pivot. */
		int x = byte_at(a, 0, d), y = byte_at(a, n / 2, d), z = byte_at(a, n - 1, d);
		int pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
		size_t lt = 0, i = 0, gt = n;

		/* Three-way partition: [0, lt) < pivot, [lt, gt) == pivot, [gt, n) > pivot. */
		while (i < gt) {
			int c = byte_at(a, i, d);

			if (c < pivot)
				swap_ref(a, lt++, i++);
			else if (c > pivot)
				swap_ref(a, i, --gt);
			else
				i++;
		}

		size_t n_lt = lt, n_eq = gt - lt, n_gt = n - gt;
		struct name_ref *eq = a + lt, *hi = a + gt;

		if (pivot == 0) { /* equal names: order by record number */
			qsort(eq, n_eq, sizeof(*eq), cmp_rec);
			n_eq = 0;
		}
		/* Recurse into the two smaller parts, loop on the largest. */
		if (n_eq >= n_lt && n_eq >= n_gt) {
			sort_names(a, n_lt, d);
			sort_names(hi, n_gt, d);
			a = eq;
			n = n_eq;
			d++;
		} else if (n_lt >= n_gt) {
			sort_names(eq, n_eq, d + 1);
			sort_names(hi, n_gt, d);
			n = n_lt;
		} else {
			sort_names(a, n_lt, d);
			sort_names(eq, n_eq, d + 1);
			a = hi;
			n = n_gt;
		}
	}
	insertion_sort(a, n, d);
}

/*
 * Large parts first go through an MSD radix sort on byte d: one counting
 * pass splits them into up to 256 buckets, where the quicksort would need
 * about eight partitions.  Like sort_names(), it recurses only into buckets
 * of at most half the elements and loops on the largest.
 */
#define RADIX_MIN 4096

static void radix_names(struct name_ref *a, struct name_ref *tmp, size_t n, size_t d)
{
	while (n >= RADIX_MIN) {
		size_t count[256] = { 0 }, at[256], big = 1;

		for (size_t i = 0; i < n; i++)
			count[byte_at(a, i, d)]++;
		if (count[byte_at(a, 0, d)] == n && byte_at(a, 0, d)) {
			d++; /* a shared prefix: nothing to split on this byte */
			continue;
		}
		at[0] = 0;
		for (int b = 1; b < 256; b++)
			at[b] = at[b - 1] + count[b - 1];
		for (size_t i = 0; i < n; i++)
			tmp[at[byte_at(a, i, d)]++] = a[i];
		memcpy(a, tmp, n * sizeof(*a));

		/* Bucket 0 holds names that end here: equal, so by record number. */
		qsort(a, count[0], sizeof(*a), cmp_rec);
		for (int b = 2; b < 256; b++)
			if (count[b] > count[big])
				big = (size_t)b;
		for (size_t b = 1, off = count[0]; b < 256; off += count[b++])
			if (b != big)
				radix_names(a + off, tmp, count[b], d + 1);
		a += at[big] - count[big];
		n = count[big];
		d++;
	}
	sort_names(a, n, d);
}


/* ---- the address stream ------------------------------------------------ */

static uint64_t sym_end(const struct ksp_sym *s, uint64_t addr_max)
{
	return s->size > addr_max - s->start ? addr_max : s->start + s->size;
}

/*
 * The record stream for pad unit 1 << shift, into out (NULL: just measure).
 * block_off[b] gets each block's offset in the stream.  Returns its size.
 */
static size_t encode_records(const struct ksp_sym *syms, size_t n, const unsigned char *type_index,
			     unsigned shift, struct bytes *out, uint32_t *block_off)
{
	unsigned char scratch[16];
	size_t size = 0;

	for (size_t i = 0; i < n; i++) {
		struct bytes b = { out ? out->p + out->len : scratch, 0 };
		unsigned how = KSYM_START_DELTA;

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
		put_byte(&b, how << 5 | type_index[(unsigned char)syms[i].type]);
		if (how == KSYM_START_DELTA)
			put_varint(&b, syms[i].start - syms[i - 1].start);
		put_varint(&b, syms[i].size);
		size += b.len;
		if (out)
			out->len += b.len;
	}
	return size;
}

/* Does some symbol reach past the start of a later block?  (Then the table needs the tree.) */
static int needs_tree(const struct ksp_sym *syms, size_t n, uint64_t addr_max)
{
	uint64_t reach = 0, group_reach = 0;

	for (size_t i = 0; i < n; i++) {
		if (i % KSYM_BLOCK == 0 && i &&
		    (syms[i].start > syms[i - 1].start ? reach : group_reach) > syms[i].start)
			return 1;
		if (i == 0 || syms[i].start != syms[i - 1].start)
			group_reach = reach;
		if (sym_end(&syms[i], addr_max) > reach)
			reach = sym_end(&syms[i], addr_max);
	}
	return 0;
}

/* ---- the name stream --------------------------------------------------- */

#define SAMPLE_MAX (128 * 1024) /* bytes of suffixes the tokens are learned from */

struct tokens {
	unsigned first, n;          /* codes first .. first + n - 1 */
	unsigned char pair[255][2];
	unsigned short rank[65536]; /* pair -> 1 + token index, 0: not a token */
};

static size_t common_prefix(const char *a, const char *b)
{
	size_t i = 0;

	while (a[i] && a[i] == b[i])
		i++;
	return i;
}

/* Pair counts and where each pair occurs, kept up to date as pairs merge (learn_tokens). */
#define NONE UINT32_MAX
#define GONE (UINT32_MAX - 1) /* in next[]: merged into its left neighbour */

struct pairs {
	unsigned char *sym; /* the sample: suffixes, each followed by a 0 */
	uint32_t *next, *prev; /* the symbols still there, as a list */
	uint32_t count[65536];
	uint32_t head[65536];  /* per pair: a list of positions, some stale */
	uint32_t *pos, *link, used;
};

static void pair_add(struct pairs *ps, unsigned p, uint32_t i)
{
	ps->count[p]++;
	ps->pos[ps->used] = i;
	ps->link[ps->used] = ps->head[p];
	ps->head[p] = ps->used++;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/*
 * Replace every pair best = (a, b) by code, left to right as a scan would
 * (in "aaa", (a, a) at 0 and not at 1), updating the neighbours' counts and
 * lists: the counts stay those of the sample as it now reads.  at: scratch
 * for the positions.
 */
static void pair_merge(struct pairs *ps, unsigned best, unsigned char code, uint32_t *at)
{
	unsigned char a = (unsigned char)(best >> 8), b = (unsigned char)best;
	size_t n = 0;

	for (uint32_t k = ps->head[best]; k != NONE; k = ps->link[k])
		at[n++] = ps->pos[k];
	ps->head[best] = NONE;
	qsort(at, n, sizeof(*at), cmp_u32);
	for (size_t k = 0; k < n; k++) {
		uint32_t i = at[k], j = ps->next[i], l, r;

		if (j == GONE || j == NONE || ps->sym[i] != a || ps->sym[j] != b)
			continue; /* stale, or taken by the merge on its left */
		l = ps->prev[i];
		r = ps->next[j];
		if (l != NONE && ps->sym[l]) {
			ps->count[ps->sym[l] << 8 | a]--;
			pair_add(ps, (unsigned)(ps->sym[l] << 8 | code), l);
		}
		if (r != NONE && ps->sym[r]) {
			ps->count[b << 8 | ps->sym[r]]--;
			pair_add(ps, (unsigned)(code << 8 | ps->sym[r]), i);
		}
		ps->count[best]--;
		ps->sym[i] = code;
		ps->next[i] = r;
		if (r != NONE)
			ps->prev[r] = i;
		ps->next[j] = GONE;
	}
}

/*
 * Learn byte-pair tokens from the suffixes: the longest run of byte values
 * no name uses becomes the token codes; each round turns the most frequent
 * pair (ties: the smallest) into the next token, while it saves bytes (a
 * token costs 2) and nests no deeper than the runtime allows.  The sample
 * is every k-th suffix, at most SAMPLE_MAX bytes.  The pair counts are
 * kept up to date as pairs merge, so a round costs a scan of the 64 Ki
 * counts and the merges themselves, not a pass over the sample.
 */
static int learn_tokens(const char *const *suffix, size_t n, struct tokens *tok)
{
	unsigned char used[256] = { 0 }, depth[256] = { 0 };
	size_t total = 0, step, len = 0, cap;
	unsigned run = 0;
	struct pairs *ps;
	uint32_t *at;
	int ret = -1;

	for (size_t i = 0; i < n; i++)
		for (const unsigned char *s = (const unsigned char *)suffix[i]; *s; s++, total++)
			used[*s] = 1;
	tok->first = tok->n = 0;
	for (unsigned c = 1; c < 256; c++) {
		run = used[c] ? 0 : run + 1;
		if (run > tok->n) {
			tok->n = run;
			tok->first = c + 1 - run;
		}
	}
	memset(tok->rank, 0, sizeof(tok->rank));
	step = total / SAMPLE_MAX + 1;
	cap = 1;
	for (size_t i = 0; i < n; i += step) /* what is sampled, not the average: it may be longer */
		cap += strlen(suffix[i]) + 1;
	ps = calloc(1, sizeof(*ps));
	at = malloc(3 * cap * sizeof(*at)); /* a pair's list: at most every entry */
	if (!ps || !at)
		goto out;
	ps->sym = malloc(cap);
	ps->next = malloc(cap * sizeof(*ps->next));
	ps->prev = malloc(cap * sizeof(*ps->prev));
	ps->pos = malloc(3 * cap * sizeof(*ps->pos)); /* one a pair, two a merge */
	ps->link = malloc(3 * cap * sizeof(*ps->link));
	if (!ps->sym || !ps->next || !ps->prev || !ps->pos || !ps->link)
		goto out;
	for (size_t i = 0; i < n; i += step) { /* suffixes, each followed by a 0 */
		size_t l = strlen(suffix[i]);

		memcpy(ps->sym + len, suffix[i], l + 1);
		len += l + 1;
	}
	memset(ps->head, 0xff, sizeof(ps->head)); /* NONE */
	for (size_t i = 0; i < len; i++) {
		ps->next[i] = i + 1 < len ? (uint32_t)i + 1 : NONE;
		ps->prev[i] = i ? (uint32_t)i - 1 : NONE;
		if (i + 1 < len && ps->sym[i] && ps->sym[i + 1])
			pair_add(ps, (unsigned)(ps->sym[i] << 8 | ps->sym[i + 1]), (uint32_t)i);
	}

	unsigned ntok = tok->n;

	for (tok->n = 0; tok->n < ntok; tok->n++) {
		unsigned best = 0, code = tok->first + tok->n;
		uint32_t best_count = 2;

		for (unsigned p = 0; p < 65536; p++) /* the most frequent; ties: the smallest */
			if (ps->count[p] > best_count &&
			    (depth[p >> 8] > depth[p & 0xff] ? depth[p >> 8] : depth[p & 0xff]) < KSYM_TOKEN_DEPTH) {
				best = p;
				best_count = ps->count[p];
			}
		if (!best)
			break;
		tok->pair[tok->n][0] = (unsigned char)(best >> 8);
		tok->pair[tok->n][1] = (unsigned char)best;
		tok->rank[best] = (unsigned short)(tok->n + 1);
		depth[code] = 1 + (depth[best >> 8] > depth[best & 0xff] ? depth[best >> 8] : depth[best & 0xff]);
		pair_merge(ps, best, (unsigned char)code, at);
	}
	ret = 0;
out:
	if (ps) {
		free(ps->sym);
		free(ps->next);
		free(ps->prev);
		free(ps->pos);
		free(ps->link);
	}
	free(ps);
	free(at);
	return ret;
}

/*
 * One suffix as codes, into out: the tokens applied as they were learned,
 * the earliest-learned pair first, as BPE does.  scratch holds the suffix.
 */
static void encode_suffix(const char *s, const struct tokens *tok, unsigned char *scratch,
			  struct bytes *out)
{
	size_t len = strlen(s);

	memcpy(scratch, s, len);
	for (;;) {
		unsigned best = 0, best_rank = 0;

		for (size_t i = 0; i + 1 < len; i++) {
			unsigned r = tok->rank[scratch[i] << 8 | scratch[i + 1]];

			if (r && (!best_rank || r < best_rank)) {
				best_rank = r;
				best = (unsigned)(scratch[i] << 8 | scratch[i + 1]);
			}
		}
		if (!best_rank)
			break;
		size_t w = 0;

		for (size_t i = 0; i < len; i++) {
			if (i + 1 < len && (unsigned)(scratch[i] << 8 | scratch[i + 1]) == best) {
				scratch[w++] = (unsigned char)(tok->first + best_rank - 1);
				i++;
			} else {
				scratch[w++] = scratch[i];
			}
		}
		len = w;
	}
	memcpy(out->p + out->len, scratch, len);
	out->len += len;
	put_byte(out, 0);
}

static void perm_put(unsigned char *p, size_t i, unsigned bits, uint32_t v)
{
	for (unsigned k = 0; k < bits; k++) {
		size_t bit = i * bits + k;

		if (v >> (bits - 1 - k) & 1)
			p[bit / 8] |= (unsigned char)(0x80 >> (bit % 8));
	}
}

/* ---- the blob ---------------------------------------------------------- */

static int check_symbols(const struct ksp_sym *syms, size_t n, uint64_t addr_max,
			 unsigned char *type_index, unsigned char *types, const char **why)
{
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
		types[ntypes++] = (unsigned char)c;
	}
	return 0;
}

int ksp_encode(const struct ksp_sym *syms, size_t n, int addr_size,
	       int big_endian, struct ksp_blob *out, const char **why)
{
	uint64_t addr_max = addr_size == 8 ? UINT64_MAX : UINT32_MAX;
	unsigned char type_index[256] = { 0 }, types[256] = { 0 };
	size_t nblocks = (n + KSYM_BLOCK - 1) / KSYM_BLOCK, nrestarts = (n + KSYM_RESTART - 1) / KSYM_RESTART;
	size_t name_bytes = 0, longest = 0, best_size = SIZE_MAX;
	unsigned shift = 0, bits = ksym_perm_bits(n);
	struct name_ref *index = NULL;
	const char **suffix = NULL;
	char *text = NULL;
	uint32_t *shared = NULL;
	uint32_t *block_off = NULL, *restart_off = NULL;
	struct tokens *tok = NULL;
	struct bytes rec = { 0 }, names = { 0 };
	unsigned char *scratch = NULL;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if (check_symbols(syms, n, addr_max, type_index, types, why) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(syms[i].name);

		name_bytes += l + 1;
		longest = l > longest ? l : longest;
	}
	index = ksp_alloc(n * sizeof(*index) + 1);
	suffix = ksp_alloc(n * sizeof(*suffix) + 1);
	text = ksp_alloc(name_bytes + 1);
	shared = ksp_alloc(n * sizeof(*shared) + 1);
	block_off = ksp_alloc(nblocks * sizeof(*block_off) + 1);
	restart_off = ksp_alloc(nrestarts * sizeof(*restart_off) + 1);
	tok = malloc(sizeof(*tok));
	rec.p = ksp_alloc(n * 16 + 1);
	names.p = ksp_alloc(name_bytes + 5 * n + 1);
	scratch = malloc(longest + 1);
	if (!index || !suffix || !text || !shared || !block_off || !restart_off || !tok || !rec.p ||
	    !names.p || !scratch) {
		*why = "out of memory";
		goto out;
	}

	/* Addresses: the pad unit that gives the shortest stream. */
	for (unsigned s = 0; s < 4; s++) {
		size_t size = encode_records(syms, n, type_index, s, NULL, NULL);

		if (size < best_size) {
			best_size = size;
			shift = s;
		}
	}
	encode_records(syms, n, type_index, shift, &rec, block_off);

	/* Names: sorted, front-coded, tokenized. */
	for (size_t i = 0; i < n; i++)
		index[i] = (struct name_ref){ syms[i].name, (uint32_t)i };
	struct name_ref *tmp = n >= RADIX_MIN ? ksp_alloc(n * sizeof(*tmp)) : NULL;

	if (tmp)
		radix_names(index, tmp, n, 0);
	else
		sort_names(index, n, 0);
	free(tmp);
	/*
	 * The names in sorted order are scattered over the ELF's string table:
	 * visit each once, copying what is left after the shared prefix into
	 * one buffer, which the token learning and the encoding then read in
	 * order.
	 */
	for (size_t k = 0, at = 0; k < n; k++) {
		size_t lcp = k % KSYM_RESTART ? common_prefix(index[k - 1].name, index[k].name) : 0;
		size_t len = strlen(index[k].name + lcp);

		memcpy(text + at, index[k].name + lcp, len + 1);
		suffix[k] = text + at;
		shared[k] = (uint32_t)lcp;
		at += len + 1;
	}
	if (learn_tokens(suffix, n, tok) < 0) {
		*why = "out of memory";
		goto out;
	}
	for (size_t k = 0; k < n; k++) {
		if (k % KSYM_RESTART == 0)
			restart_off[k / KSYM_RESTART] = (uint32_t)names.len;
		put_varint(&names, shared[k]);
		encode_suffix(suffix[k], tok, scratch, &names);
	}

	/* The layout: header, types, tokens, blocks, tree, records, restarts, permutations, names. */
	int tree = needs_tree(syms, n, addr_max);
	/* Block heads as u32 offsets from the first start, unless the symbols span 4 GiB. */
	int wide = n && syms[n - 1].start - syms[0].start > UINT32_MAX;
	unsigned head_size = wide ? (unsigned)addr_size : 4;
	uint64_t base = n && !wide ? syms[0].start : 0;
	size_t leaves = 1, perm_size = ((uint64_t)n * bits + 7) / 8;

	while (leaves < nblocks)
		leaves *= 2;
	size_t blocks_off = KSYM_HDR_TOKENS + 2 * tok->n;
	size_t tree_off = blocks_off + nblocks * (head_size + 4);
	size_t records_off = tree_off + (tree ? 2 * leaves * addr_size : 0);
	size_t restarts_off = records_off + rec.len;
	size_t perm_off = restarts_off + 4 * nrestarts;
	size_t names_off = perm_off + 2 * perm_size;
	size_t end = names_off + names.len;

	if (end > UINT32_MAX) {
		*why = "table larger than 4 GiB";
		goto out;
	}
	out->size = (end + KSYM_ALIGN - 1) & ~(size_t)(KSYM_ALIGN - 1);
	out->data = ksp_alloc(out->size);
	if (!out->data) {
		*why = "out of memory";
		goto out;
	}

	unsigned char *h = out->data;

	memset(h, 0, out->size);
	memcpy(h + KSYM_HDR_MAGIC, (char[]){ KSYM_MAGIC0, KSYM_MAGIC1, KSYM_MAGIC2, KSYM_MAGIC3 }, 4);
	h[KSYM_HDR_VERSION] = KSYM_FORMAT_VERSION;
	h[KSYM_HDR_ENDIAN] = big_endian ? KSYM_ENDIAN_BIG : KSYM_ENDIAN_LITTLE;
	h[KSYM_HDR_ADDR_SIZE] = (unsigned char)addr_size;
	h[KSYM_HDR_FLAGS] = (tree ? KSYM_FLAG_TREE : 0) | (wide ? KSYM_FLAG_WIDE : 0);
	put(h + KSYM_HDR_BASE, base, 8, big_endian);
	put(h + KSYM_HDR_COUNT, n, 4, big_endian);
	h[KSYM_HDR_TOK_FIRST] = (unsigned char)(tok->n ? tok->first : 0);
	h[KSYM_HDR_NTOK] = (unsigned char)tok->n;
	h[KSYM_HDR_PAD_SHIFT] = (unsigned char)shift;
	h[KSYM_HDR_PERM_BITS] = (unsigned char)bits;
	put(h + KSYM_HDR_BLOCKS_OFF, blocks_off, 4, big_endian);
	put(h + KSYM_HDR_TREE_OFF, tree ? tree_off : 0, 4, big_endian);
	put(h + KSYM_HDR_RECORDS_OFF, records_off, 4, big_endian);
	put(h + KSYM_HDR_RESTARTS_OFF, restarts_off, 4, big_endian);
	put(h + KSYM_HDR_PERM_OFF, perm_off, 4, big_endian);
	put(h + KSYM_HDR_NAMES_OFF, names_off, 4, big_endian);
	put(h + KSYM_HDR_END, end, 4, big_endian);
	memcpy(h + KSYM_HDR_TYPES, types, KSYM_MAX_TYPES);
	memcpy(h + KSYM_HDR_TOKENS, tok->pair, 2 * tok->n);
	for (size_t b = 0; b < nblocks; b++) {
		unsigned char *e = h + blocks_off + b * (head_size + 4);

		put(e, syms[b * KSYM_BLOCK].start - base, head_size, big_endian);
		put(e + head_size, block_off[b], 4, big_endian);
	}
	if (tree) { /* leaves: each block's greatest end; nodes: the max of their children */
		unsigned char *t = h + tree_off;
		uint64_t *node = calloc(2 * leaves, sizeof(*node));

		if (!node) {
			*why = "out of memory";
			goto out;
		}
		for (size_t i = 0; i < n; i++)
			if (sym_end(&syms[i], addr_max) > node[leaves + i / KSYM_BLOCK])
				node[leaves + i / KSYM_BLOCK] = sym_end(&syms[i], addr_max);
		for (size_t i = leaves - 1; i >= 1; i--)
			node[i] = node[2 * i] > node[2 * i + 1] ? node[2 * i] : node[2 * i + 1];
		for (size_t i = 1; i < 2 * leaves; i++)
			put(t + i * addr_size, node[i], (unsigned)addr_size, big_endian);
		free(node);
	}
	memcpy(h + records_off, rec.p, rec.len);
	for (size_t r = 0; r < nrestarts; r++)
		put(h + restarts_off + 4 * r, restart_off[r], 4, big_endian);
	for (size_t k = 0; k < n; k++) {
		perm_put(h + perm_off, k, bits, index[k].rec);
		perm_put(h + perm_off + perm_size, index[k].rec, bits, (uint32_t)k);
	}
	memcpy(h + names_off, names.p, names.len);
	put(h + KSYM_HDR_CHECKSUM, ksym_checksum(h, end), 4, big_endian);
	out->count = (uint32_t)n;
	ret = 0;
out:
	if (ret) {
		free(out->data);
		out->data = NULL;
		out->size = 0;
	}
	free(index);
	free(suffix);
	free(text);
	free(shared);
	free(block_off);
	free(restart_off);
	free(tok);
	free(rec.p);
	free(names.p);
	free(scratch);
	return ret;
}
