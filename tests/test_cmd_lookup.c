/*
 * Tests of patcher/cmd_lookup.c: lookup against addr2line -f, by address, by name, at call sites, and over a log.
 */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <criterion/new/assert.h>
#include <criterion/parameterized.h>
#include <stdio.h>

#include "helpers.h"
#include "ksympatch.h"

/* Is addr inside any sized symbol nm lists, or where an unsized label starts? */
static int covered(const struct nm_line *v, size_t n, uint64_t addr)
{
	for (size_t i = 0; i < n; i++)
		if ((v[i].has_size && addr - v[i].start < v[i].size) || (!v[i].has_size && v[i].start == addr))
			return 1;
	return 0;
}

ParameterizedTestParameters(cmd_lookup, lookup_matches_addr2line)
{
	return cr_make_param_array(struct fix, good_fixtures, n_good_fixtures);
}

ParameterizedTest(struct fix *f, cmd_lookup, lookup_matches_addr2line)
{
	char *elf = patch_copy(f->name, "", NULL);
	struct run nm = run("%snm -n -S %s", fix_binutils(f), elf);
	struct nm_line *nl;
	size_t nn = parse_nm(nm.out, &nl), nf = 0, ng = 0;
	char path[700], gaps_path[700];
	FILE *fa, *fg;

	snprintf(path, sizeof(path), "%s.addrs", elf);
	snprintf(gaps_path, sizeof(gaps_path), "%s.gaps", elf);
	fa = fopen(path, "w");
	fg = fopen(gaps_path, "w");
	for (size_t i = 0; i < nn; i++) {
		const struct nm_line *s = &nl[i];

		if (!s->has_size || !s->size || (s->type != 'T' && s->type != 't') ||
		    ksp_is_skipped_name(s->name, f->machine)) /* linker thunks are left out on purpose */
			continue;
		fprintf(fa, "0x%" PRIx64 "\n0x%" PRIx64 "\n0x%" PRIx64 "\n", s->start,
			s->start + s->size / 2, s->start + s->size - 1);
		nf += 3;
		if (!covered(nl, nn, s->start + s->size)) {
			fprintf(fg, "0x%" PRIx64 "\n", s->start + s->size);
			ng++;
		}
	}
	fclose(fa);
	fclose(fg);
	cr_assert(nf >= 3 * 8, "%s: too few functions", f->name);
	cr_assert(ng >= 3, "%s: the fixture should have gaps", f->name);

	struct run ours = run("%s lookup %s < %s", tool(), elf, path);
	struct run a2l = run("%saddr2line -f -e %s < %s", fix_binutils(f), elf, path);
	struct run gaps = run("%s lookup %s < %s", tool(), elf, gaps_path);
	char *o = ours.out, *a = a2l.out;

	cr_assert(eq(int, ours.status, 0), "%s", ours.err);
	cr_assert(eq(int, a2l.status, 0), "%s", a2l.err);
	cr_assert(eq(sz, count_lines(ours.out), nf));
	for (size_t k = 0; k < nf; k++) {
		char want_name[1024], got_name[1024]; /* the llvm fixture's names run to 545 bytes */
		unsigned long long addr, off, size;

		cr_assert(sscanf(a, "%1023s", want_name) == 1);
		a = strchr(strchr(a, '\n') + 1, '\n') + 1; /* skip name and file:line */
		cr_assert(sscanf(o, "%llx %1023[^+]+%llx/%llx", &addr, got_name, &off, &size) == 4,
			  "bad line: %.60s", o);
		o = strchr(o, '\n') + 1;

		/* addr2line names one of the aliases; ours must be one at the same place. */
		const struct nm_line *w = NULL, *g = NULL;

		for (size_t i = 0; i < nn; i++) {
			if (!nl[i].has_size || addr - nl[i].start >= nl[i].size)
				continue;
			if (!strcmp(nl[i].name, want_name))
				w = &nl[i];
			if (!strcmp(nl[i].name, got_name))
				g = &nl[i];
		}
		cr_assert(w != NULL, "%s: addr2line's %s for 0x%llx is not in nm", f->name, want_name, addr);
		cr_assert(g != NULL, "%s: 0x%llx resolved to %s, which does not contain it (addr2line: %s)",
			  f->name, addr, got_name, want_name);
		cr_assert(eq(u64, g->start, w->start), "%s: 0x%llx: %s vs addr2line %s", f->name,
			  addr, got_name, want_name);
		cr_assert(eq(u64, g->size, w->size));
		cr_assert(eq(u64, off, addr - g->start));
		cr_assert(eq(u64, size, g->size));
	}
	/* Gaps: nm says no symbol covers them, so the answer is ??. */
	o = gaps.out;
	for (size_t k = 0; k < ng; k++) {
		cr_assert(strstr(o, " ??\n") == strchr(o, ' '), "%s: gap resolved: %.60s", f->name, o);
		o = strchr(o, '\n') + 1;
	}
	run_free(&ours);
	run_free(&a2l);
	run_free(&gaps);
	run_free(&nm);
	free(nl);
	free(elf);
}

Test(cmd_lookup, lookup_takes_addresses_as_arguments_and_rejects_garbage)
{
	char *elf = patch_copy("gnu-le", "", NULL);
	struct run nm = run("%snm %s | awk '$3==\"kernel_main\" {print $1}'", cross(), elf);
	char addr[32];

	snprintf(addr, sizeof(addr), "%.*s", (int)strcspn(nm.out, "\n"), nm.out);
	struct run r = run("%s lookup %s 0x%s %s 0x1", tool(), elf, addr, addr);
	struct run bad = run("%s lookup %s xyz", tool(), elf);
	char want[200];

	snprintf(want, sizeof(want), "0x%s kernel_main+0x0/", addr);
	cr_assert(eq(int, r.status, 0), "%s", r.err);
	cr_assert(strstr(r.out, want) == r.out, "%s", r.out);
	cr_assert(strstr(r.out, "\n0x1 ??\n") != NULL, "%s", r.out);
	cr_assert(eq(int, bad.status, 1));
	cr_assert(strstr(bad.err, "'xyz' is not a hex address") != NULL);
	run_free(&nm);
	run_free(&r);
	run_free(&bad);
	free(elf);
}

/* One answer per input line, as addr2line gives, and the first bad line reported once. */
Test(cmd_lookup, lookup_on_stdin_answers_every_line_and_names_the_bad_one)
{
	char *elf = patch_copy("gnu-le", "", NULL);
	struct run nm = run("%snm %s | awk '$3==\"kernel_main\" {print $1}'", cross(), elf);
	char addr[32];

	snprintf(addr, sizeof(addr), "%.*s", (int)strcspn(nm.out, "\n"), nm.out);
	struct run r = run("printf '%s\\nnot-hex\\n0x0x%s\\n0x1\\n' | %s lookup %s", addr, addr, tool(), elf);
	char want[300];

	snprintf(want, sizeof(want), "%s kernel_main+0x0/", addr);
	cr_assert(eq(int, r.status, 1), "a bad line fails the run");
	cr_assert(eq(sz, count_lines(r.out), 4), "one line out per line in: %s", r.out);
	cr_assert(strstr(r.out, want) == r.out, "%s", r.out);
	cr_assert(strstr(r.out, "\nnot-hex ??\n") != NULL, "%s", r.out);
	snprintf(want, sizeof(want), "\n0x0x%s ??\n", addr);
	cr_assert(strstr(r.out, want) != NULL, "0x0x is not an address: %s", r.out);
	cr_assert(eq(sz, count_lines(r.err), 1), "%s", r.err);
	cr_assert(strstr(r.err, elf) != NULL && strstr(r.err, "line 2: 'not-hex' is not a hex address"), "%s", r.err);
	run_free(&nm);
	run_free(&r);
	free(elf);
}

/*
 * A kernel whose first function ends with its call (xv6's kfree ends in a
 * call to panic): the return address is the next function's first byte.
 * Returns the directory holding k.elf.
 */
static char *kernel_ending_in_a_call(void)
{
	return asm_kernel("\t.global _start\n\t.type _start, %function\n_start:\n\tnop\n\tbl never_returns\n"
			  "\t.size _start, . - _start\n"
			  "\t.global next_one\n\t.type next_one, %function\nnext_one:\n\tnop\n\tret\n"
			  "\t.size next_one, . - next_one\n"
			  "\t.global never_returns\n\t.type never_returns, %function\nnever_returns:\n\tb .\n"
			  "\t.size never_returns, . - never_returns\n");
}

/* nm's address of a symbol of k.elf in dir. */
static uint64_t address_of(const char *dir, const char *name)
{
	struct run nm = run("%snm %s/k.elf | awk '$3 == \"%s\" { print $1 }'", cross(), dir, name);
	uint64_t a = strtoull(nm.out, NULL, 16);

	cr_assert(a != 0, "no %s: %s", name, nm.err);
	run_free(&nm);
	return a;
}

/* -r names the caller of a return address, as addr2line does at the call site; the offset stays the address's. */
Test(cmd_lookup, return_addresses_are_looked_up_at_their_call_site)
{
	char *dir = kernel_ending_in_a_call(), elf[700], want[300], plain[300];
	uint64_t ra = address_of(dir, "next_one");

	snprintf(elf, sizeof(elf), "%s/k.elf", dir);
	addr2line_text(cross(), elf, ra, ra - 4, 0, want, sizeof(want));
	addr2line_text(cross(), elf, ra, ra, 0, plain, sizeof(plain));

	struct run r = run("%s lookup -r %s 0x%" PRIx64, tool(), elf, ra);
	struct run p = run("%s lookup %s 0x%" PRIx64, tool(), elf, ra);
	char line[400];

	cr_assert(strncmp(want, "_start+0x8/0x8", 14) == 0, "addr2line at the call: %s", want);
	snprintf(line, sizeof(line), "0x%" PRIx64 " %s\n", ra, want);
	cr_assert(eq(str, r.out, line), "%s", r.err);
	snprintf(line, sizeof(line), "0x%" PRIx64 " %s\n", ra, plain);
	cr_assert(eq(str, p.out, line), "without -r, the address itself: %s", p.err);
	run_free(&r);
	run_free(&p);
	free(dir);
}

/* --annotate: a log comes back line for line, each 0x address it names followed by <name+0xoff/0xsize>. */
Test(cmd_lookup, annotate_marks_every_address_of_a_log_in_place)
{
	char *dir = kernel_ending_in_a_call(), elf[700], pc[300], frame[300], frame_r[300], log[1200], want[2400];
	uint64_t at = address_of(dir, "next_one") + 4, ra = address_of(dir, "next_one");

	snprintf(elf, sizeof(elf), "%s/k.elf", dir);
	addr2line_text(cross(), elf, at, at, 0, pc, sizeof(pc));
	addr2line_text(cross(), elf, ra, ra, 0, frame, sizeof(frame));
	addr2line_text(cross(), elf, ra, ra - 4, 0, frame_r, sizeof(frame_r));
	snprintf(log, sizeof(log),
		 "boot\n\nELR_EL1: 0x%016" PRIx64 " (fault)\n  #1 0x%" PRIx64 ",0x1 0xzz x0x%" PRIx64 "\n"
		 "  #2 0x%" PRIx64 " <already+0x0/0x4>\r\n",
		 at, ra, ra, ra);

	struct run a = run("printf '%%s' '%s' | %s lookup --annotate %s", log, tool(), elf);
	struct run r = run("printf '%%s' '%s' | %s lookup --annotate -r %s", log, tool(), elf);

	snprintf(want, sizeof(want),
		 "boot\n\nELR_EL1: 0x%016" PRIx64 " <%s> (fault)\n  #1 0x%" PRIx64 " <%s>,0x1 0xzz x0x%" PRIx64 "\n"
		 "  #2 0x%" PRIx64 " <already+0x0/0x4>\n",
		 at, pc, ra, frame, ra, ra);
	cr_assert(eq(int, a.status, 0), "%s", a.err);
	cr_assert(eq(str, a.out, want));
	snprintf(want, sizeof(want),
		 "boot\n\nELR_EL1: 0x%016" PRIx64 " <%s> (fault)\n  #1 0x%" PRIx64 " <%s>,0x1 0xzz x0x%" PRIx64 "\n"
		 "  #2 0x%" PRIx64 " <already+0x0/0x4>\n",
		 at, pc, ra, frame_r, ra, ra);
	cr_assert(eq(str, r.out, want), "-r: at the call sites");
	run_free(&a);
	run_free(&r);
	free(dir);
}

/* --annotate keeps every byte of a line, NULs too, and leaves addresses glued to words alone. */
Test(cmd_lookup, annotate_keeps_nul_bytes_and_leaves_glued_addresses)
{
	char *dir = kernel_ending_in_a_call(), elf[700], at[300];
	uint64_t a = address_of(dir, "next_one");

	snprintf(elf, sizeof(elf), "%s/k.elf", dir);
	addr2line_text(cross(), elf, a, a, 0, at, sizeof(at));

	struct run r = run("printf 'x\\0 0x%" PRIx64 " y _0x%" PRIx64 " 0x%" PRIx64 "_ 0x000000000000000%" PRIx64 "\\n' | "
			   "%s lookup --annotate %s | od -An -c | tr -s ' \\n' ' '",
			   a, a, a, a, tool(), elf);
	struct run want = run("printf 'x\\0 0x%" PRIx64 " <%s> y _0x%" PRIx64 " 0x%" PRIx64 "_ 0x000000000000000%" PRIx64
			      " <%s>\\n' | od -An -c | tr -s ' \\n' ' '",
			      a, at, a, a, a, at);

	cr_assert(eq(int, r.status, 0), "%s", r.err);
	cr_assert(eq(str, r.out, want.out));
	run_free(&r);
	run_free(&want);
	free(dir);
}
