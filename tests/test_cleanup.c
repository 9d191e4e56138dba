/*
 * Tests of patcher/cleanup.c: a signal or a shrinking input leaves no temporary file behind.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <sys/wait.h>

#include "helpers.h"
#include "ksympatch.h"

#define SIGNAL_RUNS 60

/* SIGINT and SIGTERM (Ctrl-C, a build system giving up) leave no temporary file behind. */
Test(cleanup, inject_sigint_and_sigterm_leave_no_temporary_file, .timeout = 600)
{
	char *big = build_path("tests/big.elf"), *elf = tmp_copy_of(big);
	size_t l0, lp;
	char *orig = read_file(elf, &l0), *patched;
	double t0 = now_s(), span;
	int signals[] = { SIGINT, SIGTERM }, olds = 0, news = 0;

	cr_assert(eq(int, patch_and_signal(elf, -1, 0), 0));
	span = 2 * (now_s() - t0);
	patched = read_file(elf, &lp);
	for (int i = 0; i < 2 * SIGNAL_RUNS; i++) {
		size_t l;
		char *now;

		write_file(elf, orig, l0);
		patch_and_signal(elf, span * (i / 2) / SIGNAL_RUNS, signals[i % 2]);
		now = read_file(elf, &l);
		olds += same_bytes(orig, l0, now, l);
		news += same_bytes(patched, lp, now, l);
		cr_assert(same_bytes(orig, l0, now, l) || same_bytes(patched, lp, now, l), "signal %d left a torn file", i);
		cr_assert(strays(elf) == 0, "signal %d after %.1f ms left a temporary file", signals[i % 2],
			  1e3 * span * (i / 2) / SIGNAL_RUNS);
		free(now);
	}
	cr_log_info("signal test: %d SIGINT/SIGTERM over %.1f ms: %d left the original, %d the patched file, "
		    "no temporary file", 2 * SIGNAL_RUNS, 1e3 * span, olds, news);
	free(orig);
	free(patched);
	free(elf);
	free(big);
}

/* Another process shrinks the kernel while ksympatch reads it: one line and exit 1, not SIGBUS. */
Test(cleanup, inject_a_file_that_shrinks_while_mapped_is_an_error_not_a_crash)
{
	char *elf = tmp_copy("gnu-le");
	struct run r = run("LD_PRELOAD=%s KSYM_SHRINK_MAPPED=1 %s patch %s", fault_shim(), tool(), elf);

	cr_assert(eq(int, r.status, 1), "exit %d (-1: killed by a signal)", r.status);
	cr_assert(eq(sz, count_lines(r.err), 1), "%s", r.err);
	cr_assert(strstr(r.err, "the file changed size while it was being read") != NULL, "%s", r.err);
	cr_assert(strays(elf) == 0, "no temporary file left");
	run_free(&r);
	free(elf);
}
