/*
 * The differential probe's C side: reads a table in the fuzz target's input
 * format (tests/fuzz/fuzz_input.h) and prints what runtime/ksym.c answers,
 * line for line as the Rust crate's probe (runtime/rust/examples/probe.rs)
 * prints its own; tests/test_rust.c compares the two.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ksym/format.h>
#include <ksym/ksym.h>

#include "../fuzz/fuzz_input.h"

#define MAX_SYMS    100000u
#define MAX_MATCHES 64

/* Bytes as the probes print them: visible ASCII but '\\', else \xNN (display: space too). */
static void put_escaped(const char *s, size_t n, int display)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c > 0x20 || (display && c == 0x20)) && c < 0x7f && (display || c != '\\'))
			putchar(c);
		else
			printf("\\x%02x", c);
	}
}

static char *name_of(const struct ksym_table *t, const struct ksym_symbol *s, size_t *len)
{
	*len = ksym_name(t, s, NULL, 0);
	char *buf = malloc(*len + 1);

	ksym_name(t, s, buf, *len + 1);
	return buf;
}

static void put_describe(const struct ksym_table *t, uint64_t a)
{
	size_t need = 64;
	struct ksym_symbol s;
	char *buf;

	if (ksym_lookup_addr(t, a, &s) == KSYM_OK)
		need += ksym_name(t, &s, NULL, 0);
	buf = malloc(need);
	ksym_describe(t, a, 0, buf, need);
	put_escaped(buf, strlen(buf), 1);
	free(buf);
}

static void probe_addr(const struct ksym_table *t, uint64_t a)
{
	struct ksym_symbol s;

	printf("addr %" PRIx64 " -> ", a);
	if (ksym_lookup_addr(t, a, &s) == KSYM_OK)
		printf("%u %" PRIx64 " %" PRIx64 " %u ", s.index, s.start, s.size, (unsigned char)s.type);
	else
		printf("none ");
	put_describe(t, a);
	putchar('\n');
}

static void probe_name(const struct ksym_table *t, const char *name, size_t len)
{
	struct ksym_symbol out[MAX_MATCHES];
	size_t n = ksym_lookup_name(t, name, out, MAX_MATCHES);

	printf("name ");
	put_escaped(name, len, 0);
	printf(" -> %zu", n);
	for (size_t i = 0; i < n && i < MAX_MATCHES; i++)
		printf(" %u", out[i].index);
	putchar('\n');
}

static void probe(const unsigned char *data, size_t size, unsigned char *blob, size_t n, uint64_t count)
{
	static const char *const kinds[] = { "ok", "unpatched", "corrupt", "version" };
	struct ksym_table t, v;
	struct ksym_symbol s;
	const char *why = "";
	uint32_t nsyms;
	size_t len;
	int st = ksym_open(&t, blob, n, count, &why);

	if (st != KSYM_OK) {
		printf("open: %s %s\n", kinds[-st], why);
		return;
	}
	v = t;
	printf("open: ok\nverify: %s\n", ksym_verify(&v, &why) == KSYM_OK ? "ok" : why);
	nsyms = t.count < MAX_SYMS ? t.count : MAX_SYMS;
	for (uint32_t i = 0; i < nsyms; i++) {
		char *name;

		ksym_symbol_at(&t, i, &s);
		name = name_of(&t, &s, &len);
		printf("sym %u %" PRIx64 " %" PRIx64 " %u ", i, s.start, s.size, (unsigned char)s.type);
		put_escaped(name, len, 0);
		putchar('\n');
		free(name);
	}
	ksym_symbol_at(&t, t.count, &s);
	printf("past-end %zu\n", ksym_name(&t, &s, NULL, 0));
	for (uint32_t i = 0; i < nsyms; i++) {
		ksym_symbol_at(&t, i, &s);
		probe_addr(&t, s.start - 1);
		probe_addr(&t, s.start);
		probe_addr(&t, s.start + s.size / 2);
		probe_addr(&t, s.start + s.size);
	}
	for (size_t k = 0; k + 8 <= size; k += 64) {
		uint64_t a = 0;

		for (int i = 7; i >= 0; i--)
			a = a << 8 | data[k + (size_t)i];
		probe_addr(&t, a);
	}
	for (uint32_t i = 0; i < nsyms; i++) {
		char *name;

		ksym_symbol_at(&t, i, &s);
		name = name_of(&t, &s, &len);
		probe_name(&t, name, len);
		free(name);
	}
	probe_name(&t, "", 0);
	if (nsyms) {
		char *name;

		ksym_symbol_at(&t, 0, &s);
		name = name_of(&t, &s, &len);
		if (len) {
			name[len - 1] = '\0';
			probe_name(&t, name, len - 1);
		}
		free(name);
	}
}

int main(int argc, char **argv)
{
	FILE *f = argc == 2 ? fopen(argv[1], "rb") : NULL;
	unsigned char *data, *blob;
	size_t size, n;
	uint64_t count;

	if (!f) {
		fprintf(stderr, "usage: probe FILE\n");
		return 2;
	}
	data = malloc(1 << 24);
	size = data ? fread(data, 1, 1 << 24, f) : 0;
	fclose(f);
	blob = data ? fuzz_input(data, size, &n, &count) : NULL;
	if (!blob)
		printf("input: too short\n");
	else
		probe(data, size, blob, n, count);
	free(blob);
	free(data);
	return 0;
}
