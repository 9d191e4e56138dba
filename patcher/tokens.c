/* SPDX-License-Identifier: MIT */
/*
 * Byte-pair tokens for the name stream (encode.c): learned from what front
 * coding leaves of the sorted names, then applied to each suffix.
 *
 * Strategy: the bytes the names use become the literal codes, in byte
 * order, and every code after them is free for a token: up to
 * KSYM_MAX_TOKENS of them, the codes past the first 256 - nesc taking two
 * bytes in the stream (format.h).  Each suffix keeps its 0, so a token may
 * end a name; each round turns the most frequent pair within one suffix
 * into the next token, from a bounded sample of the suffixes, with the pair
 * counts kept up to date as pairs merge (a round costs a scan of the pairs
 * that occur, a few thousand, and the merges themselves, not a pass over
 * the sample).  How many of the learned tokens the table keeps is what
 * makes it smallest on the sample (ksp_learn_tokens()): one-byte codes only, as
 * on glibc's names, or more tokens than fit in a byte, as on long C++ ones.
 * Encoding applies the tokens in the order they were learned, as BPE does,
 * so the runtime's decoder, which expands a token into its pair, reads back
 * every suffix exactly.  The table lists them in another order
 * (order_tokens()).
 */
#include <stdlib.h>
#include <string.h>

#include <ksym/format.h>

#include "encode.h"

#define SAMPLE_MAX (128 * 1024) /* bytes of suffixes the tokens are learned from */

/* Pair counts and where each pair occurs, kept up to date as pairs merge (learn_tokens). */
#define NONE UINT32_MAX
#define GONE (UINT32_MAX - 1) /* in next[]: merged into its left neighbour */

/* A pair of codes as one index: a * KSP_CODES + b. */
#define NPAIRS (KSP_CODES * KSP_CODES)

static unsigned pair_of(unsigned a, unsigned b)
{
	return a * KSP_CODES + b;
}

struct pairs {
	uint16_t *sym; /* the sample: suffixes, each followed by a 0 */
	size_t len;    /* codes in the sample at first */
	unsigned char ends[KSP_CODES]; /* code -> 1 if it ends a suffix: the 0, or a token ending in it */
	uint32_t *next, *prev; /* the symbols still there, as a list */
	uint32_t count[NPAIRS];
	uint32_t head[NPAIRS];  /* per pair: 1 + the first of a list of positions (some stale), 0: none */
	uint32_t live[NPAIRS];  /* the pairs that may have a count, nlive of them: what best_pair() scans */
	uint8_t listed[NPAIRS]; /* 1 if the pair is in live[] */
	uint32_t nlive;
	uint32_t *pos, *link, used;
	uint32_t *at; /* scratch for pair_merge: one pair's positions */
};

static void pair_add(struct pairs *ps, unsigned p, uint32_t i)
{
	if (!ps->listed[p]) {
		ps->listed[p] = 1;
		ps->live[ps->nlive++] = p;
	}
	ps->count[p]++;
	ps->pos[ps->used] = i;
	ps->link[ps->used] = ps->head[p];
	ps->head[p] = ++ps->used;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/*
 * Replace every pair best = (a, b) by code, left to right as a scan would
 * (in "aaa", (a, a) at 0 and not at 1), updating the neighbours' counts and
 * lists: the counts stay those of the sample as it now reads.  A pair never
 * spans two suffixes: nothing pairs with what ends one on its right.
 */
static void pair_merge(struct pairs *ps, unsigned best, unsigned code)
{
	unsigned a = best / KSP_CODES, b = best % KSP_CODES;
	uint32_t *at = ps->at;
	size_t n = 0;

	for (uint32_t k = ps->head[best]; k; k = ps->link[k - 1])
		at[n++] = ps->pos[k - 1];
	ps->head[best] = 0;
	qsort(at, n, sizeof(*at), cmp_u32);
	for (size_t k = 0; k < n; k++) {
		uint32_t i = at[k], j = ps->next[i], l, r;

		if (j == GONE || j == NONE || ps->sym[i] != a || ps->sym[j] != b)
			continue; /* stale, or taken by the merge on its left */
		l = ps->prev[i];
		r = ps->next[j];
		if (l != NONE && !ps->ends[ps->sym[l]]) {
			ps->count[pair_of(ps->sym[l], a)]--;
			pair_add(ps, pair_of(ps->sym[l], code), l);
		}
		if (r != NONE && !ps->ends[b]) {
			ps->count[pair_of(b, ps->sym[r])]--;
			pair_add(ps, pair_of(code, ps->sym[r]), i);
		}
		ps->count[best]--;
		ps->sym[i] = (uint16_t)code;
		ps->next[i] = r;
		if (r != NONE)
			ps->prev[r] = i;
		ps->next[j] = GONE;
	}
}

/* The bytes the suffixes use become the literal codes, the rest the token codes; returns the suffixes' bytes. */
static size_t choose_codes(const char *const *suffix, size_t n, struct ksp_tokens *tok)
{
	unsigned char used[256] = { 0 };
	size_t total = 0;

	for (size_t i = 0; i < n; i++)
		for (const unsigned char *s = (const unsigned char *)suffix[i]; *s; s++, total++)
			used[*s] = 1;
	memset(tok->code, 0, sizeof(tok->code));
	tok->nlit = 0;
	for (unsigned c = 1; c < 256; c++)
		if (used[c]) {
			tok->alphabet[tok->nlit] = (unsigned char)c;
			tok->code[c] = (unsigned char)++tok->nlit;
		}
	tok->first = tok->nlit + 1;
	tok->n = KSP_CODES - tok->first < KSYM_MAX_TOKENS ? KSP_CODES - tok->first : KSYM_MAX_TOKENS;
	tok->nesc = 0;
	return total;
}

/* The literal codes of s's len bytes, into out. */
static void to_codes(const struct ksp_tokens *tok, const char *s, size_t len, uint16_t *out)
{
	for (size_t i = 0; i < len; i++)
		out[i] = tok->code[(unsigned char)s[i]];
}

static void free_pairs(struct pairs *ps)
{
	if (!ps)
		return;
	free(ps->sym);
	free(ps->next);
	free(ps->prev);
	free(ps->pos);
	free(ps->link);
	free(ps->at);
	free(ps);
}

/* Every step-th suffix as codes, each followed by a 0, as a list, with its pair counts; NULL when out of memory. */
static struct pairs *sample_pairs(const char *const *suffix, size_t n, size_t step, const struct ksp_tokens *tok)
{
	struct pairs *ps = calloc(1, sizeof(*ps));
	size_t cap = 1, len = 0;

	for (size_t i = 0; i < n; i += step) /* what is sampled, not the average: it may be longer */
		cap += strlen(suffix[i]) + 1;
	if (!ps)
		return NULL;
	ps->sym = malloc(cap * sizeof(*ps->sym));
	ps->next = malloc(cap * sizeof(*ps->next));
	ps->prev = malloc(cap * sizeof(*ps->prev));
	ps->pos = malloc(3 * cap * sizeof(*ps->pos)); /* one a pair, two a merge */
	ps->link = malloc(3 * cap * sizeof(*ps->link));
	ps->at = malloc(3 * cap * sizeof(*ps->at)); /* a pair's list: at most every entry */
	if (!ps->sym || !ps->next || !ps->prev || !ps->pos || !ps->link || !ps->at) {
		free_pairs(ps);
		return NULL;
	}
	for (size_t i = 0; i < n; i += step) {
		size_t l = strlen(suffix[i]);

		to_codes(tok, suffix[i], l + 1, ps->sym + len); /* the 0 stays 0 */
		len += l + 1;
	}
	ps->len = len;
	ps->ends[0] = 1;
	for (size_t i = 0; i < len; i++) {
		ps->next[i] = i + 1 < len ? (uint32_t)i + 1 : NONE;
		ps->prev[i] = i ? (uint32_t)i - 1 : NONE;
		if (i + 1 < len && ps->sym[i]) /* with the suffix's 0 too: a token may end a name */
			pair_add(ps, pair_of(ps->sym[i], ps->sym[i + 1]), (uint32_t)i);
	}
	return ps;
}

/* How deep pair p would nest: one more than the deeper of its two codes. */
static unsigned pair_depth(const unsigned char *depth, unsigned p)
{
	unsigned a = depth[p / KSP_CODES], b = depth[p % KSP_CODES];

	return 1u + (a > b ? a : b);
}

/*
 * The most frequent pair (ties: the smallest) that saves bytes and nests no
 * deeper than allowed; 0: none.  Only the pairs in live[] can have a count
 * above 2: the scan drops the others, which pair_add() lists again when
 * their count grows (a few hundred stay; a scan of every pair each round
 * was two thirds of patch at N = 10,000, and of every pair that occurs, a
 * third of it with four times the tokens).
 */
static unsigned best_pair(struct pairs *ps, const unsigned char *depth)
{
	unsigned best = 0;
	uint32_t best_count = 2; /* a token costs 2 bytes: it must occur more often */

	for (uint32_t k = 0; k < ps->nlive;) {
		uint32_t p = ps->live[k];
		uint32_t c = ps->count[p];

		if (c <= 2) { /* no token: off the list, until pair_add() counts it again */
			ps->listed[p] = 0;
			ps->live[k] = ps->live[--ps->nlive];
			continue;
		}
		if ((c > best_count || (c == best_count && p < best)) && pair_depth(depth, p) <= KSYM_TOKEN_DEPTH) {
			best = p;
			best_count = c;
		}
		k++;
	}
	return best;
}

/* Escape bytes for a table of n tokens after nlit literals: the fewest that give every code its bytes. */
static unsigned escapes_for(unsigned nlit, unsigned n)
{
	unsigned codes = nlit + 1 + n;

	return codes <= 256 ? 0 : (codes - 256 + 254) / 255;
}

/* How many of n tokens (in learning order) get one-byte codes. */
static unsigned short_tokens(unsigned nlit, unsigned n)
{
	unsigned room = ksym_wide(escapes_for(nlit, n)) - 1 - nlit;

	return n < room ? n : room;
}

/*
 * The table's order of the tokens (format.h's rule, which lets a reader
 * tell a code that ends a name by comparing it with one bound a width):
 * the first ones learned take the one-byte codes, and within each width
 * those that end a name (in 0) come after all the others, each group in
 * learning order.  A token's codes stay earlier tokens: one that does not
 * end a name is built of none that does, and a one-byte token only of
 * earlier-learned ones.  tok->pair gets the pairs in that order and codes;
 * learning's codes stay in rank[] for encoding, which maps its output.
 */
static void order_tokens(struct ksp_tokens *tok, const unsigned char *ends)
{
	uint16_t learned[KSYM_MAX_TOKENS][2];
	unsigned next = tok->first, nshort = short_tokens(tok->nlit, tok->n);

	memcpy(learned, tok->pair, sizeof(learned));
	for (unsigned c = 0; c < tok->first; c++)
		tok->table_code[c] = (uint16_t)c;
	for (int wide = 0; wide < 2; wide++)
		for (int last = 0; last < 2; last++)
			for (unsigned i = wide ? nshort : 0; i < (wide ? tok->n : nshort); i++)
				if (ends[tok->first + i] == last)
					tok->table_code[tok->first + i] = (uint16_t)next++;
	for (unsigned i = 0; i < tok->n; i++)
		for (int k = 0; k < 2; k++)
			tok->pair[tok->table_code[tok->first + i] - tok->first][k] = tok->table_code[learned[i][k]];
}

/*
 * Bytes the table would give the sample's names with the first n tokens:
 * the pairs, and the sample's codes now (after n merges), two bytes for
 * each that is a token past the one-byte ones, scaled to all the names.
 */
static uint64_t table_cost(const struct pairs *ps, const struct ksp_tokens *tok, unsigned n, size_t step)
{
	unsigned long_from = tok->first + short_tokens(tok->nlit, n);
	uint64_t bytes = 0;

	for (size_t i = 0; i < ps->len; i = ps->next[i]) {
		bytes += 1u + (ps->sym[i] >= long_from);
		if (ps->next[i] == NONE)
			break;
	}
	return (uint64_t)ksym_pair_bytes(escapes_for(tok->nlit, n)) * n + bytes * step;
}

/*
 * Learn byte-pair tokens from the suffixes: each round turns the best pair
 * into the next token.  The sample is every k-th suffix, at most
 * SAMPLE_MAX bytes.  The table keeps the count of tokens that costs least
 * on the sample, weighed when every token code still fits in a byte and
 * every KEEP_STEP tokens after that, with one condition: two-byte codes
 * cost a name read about a third more instructions (deeper tokens, more of
 * them expanded in part), so they must save at least 1/WIDE_GAIN of the
 * whole table, rest bytes of which are not names (long C++ names, not C
 * ones: docs/FORMAT.md).
 */
#define KEEP_STEP 64
#define WIDE_GAIN 10

/* Whether a table of rest bytes besides its names saves enough with names of cost wide instead of narrow. */
static int wide_pays(uint64_t rest, uint64_t narrow, uint64_t wide)
{
	return (rest + wide) * WIDE_GAIN <= (rest + narrow) * (WIDE_GAIN - 1);
}

/*
 * Whether learning on is in vain: even if each KEEP_STEP tokens still to
 * learn saved what the last ones did (a token saves no more than one
 * learned before it, about), two-byte codes would not pay.
 */
static int wide_hopeless(uint64_t rest, const uint64_t *cost, uint64_t prev, uint64_t now, unsigned left)
{
	uint64_t gain = prev > now ? (prev - now) * (left / KEEP_STEP) : 0;

	return !wide_pays(rest, cost[0], gain < now ? now - gain : 0);
}

int ksp_learn_tokens(const char *const *suffix, size_t n, uint64_t rest, struct ksp_tokens *tok)
{
	unsigned char depth[KSP_CODES] = { 0 };
	size_t total = choose_codes(suffix, n, tok), step = total / SAMPLE_MAX + 1;
	struct pairs *ps = sample_pairs(suffix, n, step, tok);
	unsigned ntok = tok->n, narrow = 255 - tok->nlit, keep[2] = { 0, 0 };
	uint64_t cost[2] = { UINT64_MAX, UINT64_MAX }, last = UINT64_MAX; /* one-byte codes only; two-byte ones too */

	if (!ps)
		return -1;
	for (tok->n = 0;; tok->n++) {
		unsigned best = tok->n < ntok ? best_pair(ps, depth) : 0, code = tok->first + tok->n;

		if (!best || tok->n == narrow || (tok->n > narrow && (tok->n - narrow) % KEEP_STEP == 0)) {
			uint64_t c = table_cost(ps, tok, tok->n, step);
			int wide = tok->n > narrow;

			if (c < cost[wide]) {
				cost[wide] = c;
				keep[wide] = tok->n;
			}
			if (wide && wide_hopeless(rest, cost, last, c, ntok - tok->n))
				break;
			if (wide) /* the first weighing with two-byte codes pays their first cost: judged from the next */
				last = c;
		}
		if (!best)
			break;
		tok->pair[tok->n][0] = (uint16_t)(best / KSP_CODES);
		tok->pair[tok->n][1] = (uint16_t)(best % KSP_CODES);
		tok->rank[best] = (uint16_t)(tok->n + 1);
		depth[code] = (unsigned char)pair_depth(depth, best);
		ps->ends[code] = ps->ends[best % KSP_CODES]; /* before the merge, which reads it */
		pair_merge(ps, best, code);
	}
	int wide = cost[1] != UINT64_MAX && wide_pays(rest, cost[0], cost[1]);

	for (unsigned i = keep[wide]; i < tok->n; i++) /* the tokens past those kept are not applied */
		tok->rank[pair_of(tok->pair[i][0], tok->pair[i][1])] = 0;
	tok->n = keep[wide];
	tok->nesc = escapes_for(tok->nlit, tok->n);
	order_tokens(tok, ps->ends);
	free_pairs(ps);
	return 0;
}

/*
 * One suffix and its 0 as codes, into out: its literal codes, then the
 * tokens applied as they were learned, the earliest-learned pair first, as
 * BPE does; the 0 may end up inside the last token.  scratch holds the
 * suffix and its 0.  Each code is written as the table numbers it, in one
 * byte or two (format.h).
 */
void ksp_encode_suffix(const char *s, const struct ksp_tokens *tok, uint16_t *scratch, struct ksp_bytes *out)
{
	size_t len = strlen(s) + 1;
	unsigned wide = ksym_wide(tok->nesc);

	to_codes(tok, s, len, scratch);
	for (;;) {
		unsigned best = 0, best_rank = 0;

		for (size_t i = 0; i + 1 < len; i++) {
			unsigned r = tok->rank[pair_of(scratch[i], scratch[i + 1])];

			if (r && (!best_rank || r < best_rank)) {
				best_rank = r;
				best = pair_of(scratch[i], scratch[i + 1]);
			}
		}
		if (!best_rank)
			break;
		size_t w = 0;

		for (size_t i = 0; i < len; i++) {
			if (i + 1 < len && pair_of(scratch[i], scratch[i + 1]) == best) {
				scratch[w++] = (uint16_t)(tok->first + best_rank - 1);
				i++;
			} else {
				scratch[w++] = scratch[i];
			}
		}
		len = w;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned c = tok->table_code[scratch[i]];

		if (c >= wide) {
			ksp_put_byte(out, wide + ((c - wide) >> 8));
			c = (c - wide) & 0xff;
		}
		ksp_put_byte(out, c);
	}
}
