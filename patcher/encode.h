/* SPDX-License-Identifier: MIT */
/*
 * The encoder's steps, for encode.c: the name sort (name_sort.c) and the
 * byte-pair tokens (tokens.c).  Pure code on arrays, like ksympatch.h.
 */
#ifndef KSP_ENCODE_H
#define KSP_ENCODE_H

#include <stddef.h>
#include <stdint.h>

#include <ksym/format.h>

/* A byte buffer with a capacity fixed up front (no reallocation). */
struct ksp_bytes {
	unsigned char *p;
	size_t len;
};

static inline void ksp_put_byte(struct ksp_bytes *b, unsigned v)
{
	b->p[b->len++] = (unsigned char)v;
}

/* Token pair (a, b) at p: a byte a code, or with escape bytes 12 bits a code in 3 bytes (format.h). */
static inline void ksp_put_pair(unsigned char *p, unsigned nesc, unsigned a, unsigned b)
{
	if (nesc == 0) {
		p[0] = (unsigned char)a;
		p[1] = (unsigned char)b;
	} else {
		p[0] = (unsigned char)(a >> 4);
		p[1] = (unsigned char)((a & 0xf) << 4 | b >> 8);
		p[2] = (unsigned char)b;
	}
}

/* LEB128: 7 bits a byte, low first (the format's varint). */
static inline void ksp_put_varint(struct ksp_bytes *b, uint64_t v)
{
	for (; v >= 0x80; v >>= 7)
		ksp_put_byte(b, (unsigned)(v & 0x7f) | 0x80);
	ksp_put_byte(b, (unsigned)v);
}

/* One name and the record it belongs to. */
struct ksp_name_ref {
	const char *name;
	uint32_t rec;
};

/*
 * In name order the names are all over the ELF's string table: a pass over
 * them asks for the name this many places ahead (__builtin_prefetch), so the
 * cache misses overlap instead of following each other.
 */
#define KSP_PREFETCH 16

/* Sort by name, equal names by record number; 0, or -1 when out of memory. */
int ksp_sort_names(struct ksp_name_ref *index, size_t n);

/*
 * The name codes: literal codes 1 .. nlit stand for the bytes of alphabet
 * (the bytes the names use, in byte order), and byte-pair tokens take the
 * codes first = nlit + 1 .. first + n - 1, each standing for a pair of codes.
 * With nesc escape bytes the codes from ksym_wide(nesc) on take two bytes
 * in the stream (format.h).  KSP_CODES bounds every code.
 */
#define KSP_CODES (256 + 255 * KSYM_MAX_ESC)

struct ksp_tokens {
	unsigned nlit, first, n, nesc;
	unsigned char alphabet[255];
	unsigned char code[256]; /* byte -> its literal code */
	uint16_t pair[KSYM_MAX_TOKENS][2]; /* in the table's order and codes (format.h's order) */
	uint16_t table_code[KSP_CODES]; /* a code as learned -> its code in the table */
	uint16_t rank[KSP_CODES * KSP_CODES]; /* pair of learned codes -> 1 + its token's learning index, 0: none */
};

/*
 * Learn tokens from the n suffixes (what front coding leaves) of a table
 * with rest bytes that are not names or tokens, into *tok, which starts
 * zeroed (calloc: its 3 MiB of ranks are touched only where a token is);
 * 0, or -1 when out of memory.
 */
int ksp_learn_tokens(const char *const *suffix, size_t n, uint64_t rest, struct ksp_tokens *tok);

/*
 * One suffix and its 0 as codes (the 0 may be inside the last token), each
 * one or two bytes, appended to out: never more bytes than the suffix has;
 * scratch holds strlen(s) + 1 codes.
 */
void ksp_encode_suffix(const char *s, const struct ksp_tokens *tok, uint16_t *scratch, struct ksp_bytes *out);

#endif
