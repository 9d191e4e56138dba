/*
 * Tests of patcher/fit.c: --functions-only and --fit keep what they promise (checked against nm).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "ksympatch.h"

static int is_function_letter(char type)
{
	return strchr("TtWwi", type) != NULL;
}

/* Whether lines holds a symbol of this name and type (at any address: another link of the program). */
static int has_symbol(const struct nm_line *v, size_t n, const char *name, char type)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].type == type && !strcmp(v[i].name, name))
			return 1;
	return 0;
}

Test(fit, functions_only_keeps_exactly_the_functions_nm_lists)
{
	struct run r;
	char *elf = patch_copy("glibc", "-v --functions-only", &r);

	cr_assert(eq(int, r.status, 0), "%s", r.err);

	struct run d = run("%s dump %s", tool(), elf), nm = run("%snm -n -S %s", cross(), elf);
	struct run v = run("%s verify --functions-only %s", tool(), elf), v0 = run("%s verify %s", tool(), elf);
	struct nm_line *dl, *nl;
	size_t nd = parse_nm(d.out, &dl), nn = parse_nm(nm.out, &nl), functions = 0;

	for (size_t i = 0; i < nd; i++) {
		cr_assert(is_function_letter(dl[i].type), "a data object is left: %s", dl[i].text);
		cr_assert(nm_find(nl, nn, dl[i].start, dl[i].name) != NULL, "not in nm: %s", dl[i].text);
	}
	for (size_t i = 0; i < nn; i++) {
		if (!nl[i].has_size || !nl[i].size || !is_function_letter(nl[i].type))
			continue;
		functions++;
		cr_assert(nm_find(dl, nd, nl[i].start, nl[i].name) != NULL, "function missing: %s", nl[i].text);
	}
	cr_assert(gt(sz, functions, 1000));
	cr_assert(eq(int, v.status, 0), "verify with the same selection: %s", v.err);
	cr_assert(eq(int, v0.status, 1), "verify without it sees another table");
	run_free(&r);
	run_free(&d);
	run_free(&nm);
	run_free(&v);
	run_free(&v0);
	free(dl);
	free(nl);
	free(elf);
}

Test(fit, fit_drops_data_first_keeps_every_global_function_and_warns_once)
{
	struct run r;
	char *elf = patch_copy("glibc-16k", "-v --fit", &r);

	cr_assert(eq(int, r.status, 0), "%s", r.err);
	cr_assert(eq(sz, count_lines(r.err), 1), "one warning line: %s", r.err);
	cr_assert(strstr(r.err, "warning: --fit dropped ") != NULL, "%s", r.err);

	struct run d = run("%s dump %s", tool(), elf), nm = run("%snm -n -S %s", cross(), elf);
	struct run full = run("%s patch -v %s -o %s.full", tool(), fixture("glibc"), elf);
	struct run v = run("%s verify --fit %s", tool(), elf);
	struct nm_line *dl, *nl, *fl;
	struct run fd = run("%s dump %s.full", tool(), elf);
	size_t nd = parse_nm(d.out, &dl), nn = parse_nm(nm.out, &nl), nf = parse_nm(fd.out, &fl);
	size_t local_data = 0, full_local_data = 0;
	unsigned dropped, total, kept;

	for (size_t i = 0; i < nd; i++) {
		cr_assert(nm_find(nl, nn, dl[i].start, dl[i].name) != NULL, "not in nm: %s", dl[i].text);
		local_data += !is_function_letter(dl[i].type) && dl[i].type >= 'a';
	}
	for (size_t i = 0; i < nn; i++)
		if (nl[i].has_size && nl[i].size && strchr("TWi", nl[i].type))
			cr_assert(nm_find(dl, nd, nl[i].start, nl[i].name) != NULL, "global function dropped: %s",
				  nl[i].text);
	/* Local data objects go first: while one is kept, every other symbol of the whole table is too
	 * (the 32 KiB fixture's table, a link of the same program). */
	for (size_t i = 0; i < nf; i++) {
		int local_object = !is_function_letter(fl[i].type) && fl[i].type >= 'a';

		full_local_data += local_object;
		if (!local_object && local_data)
			cr_assert(has_symbol(dl, nd, fl[i].name, fl[i].type),
				  "dropped while local data objects stay: %s", fl[i].text);
	}
	cr_assert(lt(sz, local_data, full_local_data), "local data objects go first");
	cr_assert(sscanf(strstr(r.err, "dropped "), "dropped %u of %u", &dropped, &total) == 2);
	cr_assert(sscanf(strrchr(r.out, ':') + 1, " %u symbols", &kept) == 1);
	cr_assert(eq(u32, kept + dropped, total));
	cr_assert(eq(sz, nd, kept));
	cr_assert(strstr(full.out, " symbols") != NULL, "%s", full.err);
	cr_assert(eq(u32, (unsigned)strtoul(strrchr(full.out, ':') + 1, NULL, 10), total), "total as without --fit");
	cr_assert(eq(int, v.status, 0), "verify --fit: %s", v.err);
	run_free(&r);
	run_free(&d);
	run_free(&nm);
	run_free(&full);
	run_free(&fd);
	run_free(&v);
	free(dl);
	free(nl);
	free(fl);
	free(elf);
}

/* ---- the fitting itself, on arrays ---------------------------------------- */

static uint32_t xorshift(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/*
 * n symbols drawn at random from a real program's (the static glibc
 * fixture's nm -n -S, sized symbols only), each given a random class, laid
 * out one after another.
 */
static struct ksp_sym *random_set(uint32_t seed, size_t n, char names[][40])
{
	static struct nm_line *pool;
	static size_t npool;
	struct ksp_sym *s = calloc(n, sizeof(*s));
	uint64_t at = 0x40080000;

	if (!pool) {
		struct run nm = run("%snm -n -S %s | awk 'NF == 4 && length($4) < 40'", cross(), fixture("glibc"));

		npool = parse_nm(nm.out, &pool);
		run_free(&nm);
		cr_assert(npool > 1000);
	}
	for (size_t i = 0; i < n; i++) {
		unsigned kind = xorshift(&seed) % 4;

		snprintf(names[i], 40, "%.39s", pool[xorshift(&seed) % npool].name);
		s[i] = (struct ksp_sym){ .start = at, .size = 4 + 4 * (xorshift(&seed) % 64), .name = names[i],
					 .type = kind < 2 ? (kind ? 'T' : 't') : (kind == 2 ? 'D' : 'd'),
					 .bind = kind % 2 ? KSP_GLOBAL : KSP_LOCAL, .func = kind < 2 };
		at += s[i].size + 4 * (xorshift(&seed) % 3);
	}
	return s;
}

/* --fit's drop order, written out again from the README: class, then longer names, then later symbols. */
static int drop_rank(const struct ksp_sym *s)
{
	return s->func ? (s->bind == KSP_LOCAL ? 2 : 3) : (s->bind == KSP_LOCAL ? 0 : 1);
}

static size_t encoded_without(const struct ksp_sym *s, size_t n, const uint32_t *order, size_t k)
{
	struct ksp_sym *kept = calloc(n, sizeof(*kept));
	unsigned char *drop = calloc(n, 1);
	struct ksp_blob b;
	const char *why;
	size_t m = 0;

	for (size_t j = 0; j < k; j++)
		drop[order[j]] = 1;
	for (size_t i = 0; i < n; i++)
		if (!drop[i])
			kept[m++] = s[i];
	cr_assert(eq(int, ksp_encode(kept, m, 8, 0, &b, &why), 0));
	free(kept);
	free(drop);
	free(b.data);
	return b.size;
}

/* The symbols --fit may drop, in its order: class, then longer names, then later symbols. */
static size_t drop_order(const struct ksp_sym *s, size_t n, uint32_t *order)
{
	size_t nv = 0;

	for (uint32_t i = 0; i < n; i++)
		if (drop_rank(&s[i]) < 3)
			order[nv++] = i;
	for (size_t a = 1; a < nv; a++) { /* insertion sort */
		for (size_t b = a; b > 0; b--) {
			const struct ksp_sym *x = &s[order[b - 1]], *y = &s[order[b]];
			int rx = drop_rank(x), ry = drop_rank(y);
			size_t lx = strlen(x->name), ly = strlen(y->name);
			uint32_t t = order[b];

			if (rx < ry || (rx == ry && (lx > ly || (lx == ly && order[b - 1] > order[b]))))
				break;
			order[b] = order[b - 1];
			order[b - 1] = t;
		}
	}
	return nv;
}

/*
 * The table does not always shrink as symbols go (front coding, restarts,
 * tokens): at every k where dropping one more grows it, a placeholder of
 * exactly size(k) bytes is a trap for a search that assumes it does.  --fit
 * must drop exactly the first k' victims, k' the smallest that fits.
 */
Test(fit, keeps_the_largest_set_that_fits_in_the_promised_order, .timeout = 300)
{
	enum { N = 181, SETS = 5 };
	static char names[N][40];
	size_t traps = 0;

	for (uint32_t set = 1; set <= SETS; set++) {
		struct ksp_sym *s = random_set(set * 2654435761u, N, names), *work = calloc(N, sizeof(*work));
		uint32_t order[N];
		size_t nv = drop_order(s, N, order), size[N + 1];

		for (size_t k = 0; k <= nv; k++)
			size[k] = encoded_without(s, N, order, k);
		for (size_t trap = 0; trap < nv; trap++) {
			size_t want = 0, n = N;
			struct ksp_blob b;
			struct ksp_fit fit;
			const char *why;

			if (size[trap + 1] <= size[trap])
				continue;
			while (size[want] > size[trap])
				want++;
			memcpy(work, s, N * sizeof(*s));
			cr_assert(eq(int, ksp_encode_fit(work, &n, size[trap], 8, 0, &b, &fit, &why), 0), "%s", why);
			cr_assert(eq(sz, N - n, want), "set %u, %zu bytes: dropped %zu where dropping the first %zu fits",
				  set, size[trap], N - n, want);
			free(b.data);
			traps++;
		}
		free(work);
		free(s);
	}
	cr_assert(traps >= 6, "only %zu traps: the sets no longer test this", traps);
}
