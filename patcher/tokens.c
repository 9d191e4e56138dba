/* SPDX-License-Identifier: MIT */
/*
 * Byte-pair tokens for the name stream (encode.c): learned from what front
 * coding leaves of the sorted names, then applied to each suffix.
 *
 * Strategy: the bytes the names use become the literal codes, in byte
 * order, and every code after them is free for a token (on glibc's names 60
 * literals leave 195 token codes); each suffix keeps its 0, so a token may
 * end a name; each round turns the most frequent pair within one suffix
 * into the next token, from a bounded sample of the suffixes, with the pair
 * counts kept up to date as pairs merge (a round costs a scan of the pairs
 * that occur, a few thousand, and the merges themselves, not a pass over
 * the sample).  Encoding applies the tokens in the order they were learned,
 * as BPE does, so the runtime's decoder, which expands a token into its
 * pair, reads back every suffix exactly.  The table lists them in another
 * order (order_tokens()).
 */
#include <stdlib.h>
#include <string.h>

#include <ksym/format.h>

#include "encode.h"

#define SAMPLE_MAX (128 * 1024) /* bytes of suffixes the tokens are learned from */

/* Pair counts and where each pair occurs, kept up to date as pairs merge (learn_tokens). */
#define NONE UINT32_MAX
#define GONE (UINT32_MAX - 1) /* in next[]: merged into its left neighbour */

struct pairs {
	unsigned char *sym; /* the sample: suffixes, each followed by a 0 */
	unsigned char ends[256]; /* code -> 1 if it ends a suffix: the 0, or a token ending in it */
	uint32_t *next, *prev; /* the symbols still there, as a list */
	uint32_t count[65536];
	uint32_t head[65536];  /* per pair: a list of positions, some stale */
	uint16_t live[65536];  /* the pairs that may have a count, nlive of them: what best_pair() scans */
	uint8_t listed[65536]; /* 1 if the pair is in live[] */
	uint32_t nlive;
	uint32_t *pos, *link, used;
	uint32_t *at; /* scratch for pair_merge: one pair's positions */
};

static void pair_add(struct pairs *ps, unsigned p, uint32_t i)
{
	if (!ps->listed[p]) {
		ps->listed[p] = 1;
		ps->live[ps->nlive++] = (uint16_t)p;
	}
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
 * lists: the counts stay those of the sample as it now reads.  A pair never
 * spans two suffixes: nothing pairs with what ends one on its right.
 */
static void pair_merge(struct pairs *ps, unsigned best, unsigned char code)
{
	unsigned char a = (unsigned char)(best >> 8), b = (unsigned char)best;
	uint32_t *at = ps->at;
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
		if (l != NONE && !ps->ends[ps->sym[l]]) {
			ps->count[ps->sym[l] << 8 | a]--;
			pair_add(ps, (unsigned)(ps->sym[l] << 8 | code), l);
		}
		if (r != NONE && !ps->ends[b]) {
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
	tok->n = 255 - tok->nlit;
	memset(tok->rank, 0, sizeof(tok->rank));
	return total;
}

/* The literal codes of s's len bytes, into out. */
static void to_codes(const struct ksp_tokens *tok, const char *s, size_t len, unsigned char *out)
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
	ps->sym = malloc(cap);
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
	memset(ps->head, 0xff, sizeof(ps->head)); /* NONE */
	ps->ends[0] = 1;
	for (size_t i = 0; i < len; i++) {
		ps->next[i] = i + 1 < len ? (uint32_t)i + 1 : NONE;
		ps->prev[i] = i ? (uint32_t)i - 1 : NONE;
		if (i + 1 < len && ps->sym[i]) /* with the suffix's 0 too: a token may end a name */
			pair_add(ps, (unsigned)(ps->sym[i] << 8 | ps->sym[i + 1]), (uint32_t)i);
	}
	return ps;
}

/* How deep pair p would nest: one more than the deeper of its two codes. */
static unsigned pair_depth(const unsigned char *depth, unsigned p)
{
	return 1u + (depth[p >> 8] > depth[p & 0xff] ? depth[p >> 8] : depth[p & 0xff]);
}

/*
 * The most frequent pair (ties: the smallest) that saves bytes and nests no
 * deeper than allowed; 0: none.  Only the pairs in live[] can have a count:
 * the scan drops those whose count fell to 0 (a few thousand stay, where a
 * scan of all 64 Ki pairs each round was two thirds of patch at N = 10,000).
 */
static unsigned best_pair(struct pairs *ps, const unsigned char *depth)
{
	unsigned best = 0;
	uint32_t best_count = 2; /* a token costs 2 bytes: it must occur more often */

	for (uint32_t k = 0; k < ps->nlive;) {
		unsigned p = ps->live[k];
		uint32_t c = ps->count[p];

		if (c == 0) {
			ps->listed[p] = 0;
			ps->live[k] = ps->live[--ps->nlive];
			continue;
		}
		if (c > 2 && (c > best_count || (c == best_count && p < best)) &&
		    pair_depth(depth, p) <= KSYM_TOKEN_DEPTH) {
			best = p;
			best_count = c;
		}
		k++;
	}
	return best;
}

/*
 * The table's order of the tokens: those that end a name (in 0) after all
 * the others, each group in learning order (format.h's rule, which lets a
 * reader tell a code that ends a name by comparing it with one bound).  A
 * token's codes stay earlier tokens: one that does not end a name is built
 * of none that does.  tok->pair gets the pairs in that order and codes;
 * learning's codes stay in rank[] for encoding, which maps its output.
 */
static void order_tokens(struct ksp_tokens *tok, const unsigned char *ends)
{
	unsigned char learned[255][2];
	unsigned next = tok->first;

	memcpy(learned, tok->pair, sizeof(learned));
	for (unsigned c = 0; c < tok->first; c++)
		tok->table_code[c] = (unsigned char)c;
	for (int last = 0; last < 2; last++)
		for (unsigned i = 0; i < tok->n; i++)
			if (ends[tok->first + i] == last)
				tok->table_code[tok->first + i] = (unsigned char)next++;
	for (unsigned i = 0; i < tok->n; i++)
		for (int k = 0; k < 2; k++)
			tok->pair[tok->table_code[tok->first + i] - tok->first][k] = tok->table_code[learned[i][k]];
}

/*
 * Learn byte-pair tokens from the suffixes: each round turns the best pair
 * into the next token.  The sample is every k-th suffix, at most
 * SAMPLE_MAX bytes.
 */
int ksp_learn_tokens(const char *const *suffix, size_t n, struct ksp_tokens *tok)
{
	unsigned char depth[256] = { 0 };
	size_t total = choose_codes(suffix, n, tok);
	struct pairs *ps = sample_pairs(suffix, n, total / SAMPLE_MAX + 1, tok);
	unsigned ntok = tok->n;

	if (!ps)
		return -1;
	for (tok->n = 0; tok->n < ntok; tok->n++) {
		unsigned best = best_pair(ps, depth), code = tok->first + tok->n;

		if (!best)
			break;
		tok->pair[tok->n][0] = (unsigned char)(best >> 8);
		tok->pair[tok->n][1] = (unsigned char)best;
		tok->rank[best] = (unsigned short)(tok->n + 1);
		depth[code] = (unsigned char)pair_depth(depth, best);
		ps->ends[code] = ps->ends[best & 0xff]; /* before the merge, which reads it */
		pair_merge(ps, best, (unsigned char)code);
	}
	order_tokens(tok, ps->ends);
	free_pairs(ps);
	return 0;
}

/*
 * One suffix and its 0 as codes, into out: its literal codes, then the
 * tokens applied as they were learned, the earliest-learned pair first, as
 * BPE does; the 0 may end up inside the last token.  scratch holds the
 * suffix and its 0.
 */
void ksp_encode_suffix(const char *s, const struct ksp_tokens *tok, unsigned char *scratch,
		       struct ksp_bytes *out)
{
	size_t len = strlen(s) + 1;

	to_codes(tok, s, len, scratch);
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
	for (size_t i = 0; i < len; i++)
		out->p[out->len++] = tok->table_code[scratch[i]];
}

