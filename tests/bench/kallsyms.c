/*
 * The size of Linux kallsyms' encoding of a symbol set, for the density
 * table's comparison.  Reads `ksympatch dump` lines (START [SIZE] TYPE NAME,
 * as `nm -n -S` prints them: the symbols the table holds) and prints the bytes kallsyms (scripts/kallsyms.c,
 * Linux 6.2 and later, base-relative) would emit for the same symbols:
 *
 *   kallsyms_num_syms       4
 *   kallsyms_names          per symbol a length (1 byte, 2 from 128) and its
 *                           token codes; the type letter is the first byte
 *   kallsyms_markers        4 bytes per 256 symbols
 *   kallsyms_token_table    each used token's text and a NUL
 *   kallsyms_token_index    256 x 2
 *   kallsyms_offsets        4 per symbol
 *   kallsyms_relative_base  the address size
 *   kallsyms_seqs_of_names  3 per symbol (the name-order index)
 *
 * without alignment padding.  The tokens are learned as kallsyms learns them:
 * every byte value a name uses is a token of itself; then, for each unused
 * code from 255 down, the adjacent token pair that occurs most often across
 * all names (the lowest pair on a tie) becomes that code and is replaced in
 * every name, left to right, until no pair occurs.  kallsyms stores no sizes;
 * a ksympatch table does.
 *
 * usage: kallsyms ADDR_SIZE <dump
 * Prints "symbols bytes".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_MAX_LEN 1024

struct name {
	unsigned char *code; /* token codes */
	unsigned len;
};

static unsigned long profit[1 << 16];
static unsigned tok_len[256]; /* expanded length; 0: code unused */

static void count_pairs(const struct name *n, long sign)
{
	for (unsigned i = 0; i + 1 < n->len; i++)
		profit[n->code[i] << 8 | n->code[i + 1]] += (unsigned long)sign;
}

/* Replaces every pair (a, b) in n with code c, left to right. */
static void replace_pair(struct name *n, unsigned a, unsigned b, unsigned char c)
{
	unsigned out = 0;

	for (unsigned i = 0; i < n->len; i++) {
		if (i + 1 < n->len && n->code[i] == a && n->code[i + 1] == b) {
			n->code[out++] = c;
			i++;
		} else {
			n->code[out++] = n->code[i];
		}
	}
	n->len = out;
}

static int has_pair(const struct name *n, unsigned a, unsigned b)
{
	for (unsigned i = 0; i + 1 < n->len; i++)
		if (n->code[i] == a && n->code[i + 1] == b)
			return 1;
	return 0;
}

static unsigned best_pair(void)
{
	unsigned best = 0;

	for (unsigned p = 1; p < 1u << 16; p++)
		if (profit[p] > profit[best])
			best = p;
	return best;
}

static void learn_tokens(struct name *names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		count_pairs(&names[i], 1);
		for (unsigned k = 0; k < names[i].len; k++)
			tok_len[names[i].code[k]] = 1;
	}
	for (int c = 255; c >= 0; c--) {
		if (tok_len[c])
			continue;
		unsigned p = best_pair();

		if (!profit[p])
			break;
		tok_len[c] = tok_len[p >> 8] + tok_len[p & 0xff];
		for (size_t i = 0; i < n; i++) {
			if (!has_pair(&names[i], p >> 8, p & 0xff))
				continue;
			count_pairs(&names[i], -1);
			replace_pair(&names[i], p >> 8, p & 0xff, (unsigned char)c);
			count_pairs(&names[i], 1);
		}
	}
}

static unsigned long long encoded_size(const struct name *names, size_t n, unsigned addr_size)
{
	unsigned long long bytes = 4 + (n + 255) / 256 * 4 + 256 * 2 + 4 * n + addr_size + 3 * n;

	for (size_t i = 0; i < n; i++)
		bytes += names[i].len + (names[i].len >= 0x80 ? 2 : 1);
	for (unsigned c = 0; c < 256; c++)
		if (tok_len[c])
			bytes += tok_len[c] + 1;
	return bytes;
}

static struct name *read_names(size_t *count)
{
	static char line[NAME_MAX_LEN + 64];
	struct name *names = NULL;
	size_t n = 0, cap = 0;

	while (fgets(line, sizeof(line), stdin)) {
		char f[4][NAME_MAX_LEN], type, *name;
		int nf = sscanf(line, "%1023s %1023s %1023s %1023s", f[0], f[1], f[2], f[3]);

		if (nf < 3)
			continue;
		type = f[nf - 2][0]; /* no SIZE for a symbol without one */
		name = f[nf - 1];
		if (n == cap) {
			cap = cap ? 2 * cap : 4096;
			names = realloc(names, cap * sizeof(*names));
			if (!names)
				return NULL;
		}
		names[n].len = 1 + (unsigned)strlen(name);
		names[n].code = malloc(names[n].len);
		if (!names[n].code)
			return NULL;
		names[n].code[0] = (unsigned char)type;
		memcpy(names[n].code + 1, name, names[n].len - 1);
		n++;
	}
	*count = n;
	return names;
}

int main(int argc, char **argv)
{
	struct name *names;
	size_t n = 0;

	if (argc != 2 || (strcmp(argv[1], "4") && strcmp(argv[1], "8"))) {
		fprintf(stderr, "usage: kallsyms 4|8 <dump\n");
		return 2;
	}
	names = read_names(&n);
	if (!names || !n) {
		fprintf(stderr, "kallsyms: no symbols on stdin (or out of memory)\n");
		return 1;
	}
	learn_tokens(names, n);
	printf("%zu %llu\n", n, encoded_size(names, n, (unsigned)atoi(argv[1])));
	return 0;
}
