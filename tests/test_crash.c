/*
 * Crash safety of ksympatch's writes.  A write that fails (disk full) or a
 * temporary file that cannot be created must leave the target byte-identical
 * and no temporary file behind; a SIGKILL at any moment must leave either
 * the original file or the fully patched one, never anything else.
 * Failures are injected with tests/fault_inject.c (LD_PRELOAD); the kill
 * test patches a large generated kernel (tests/bench/gen_kernel.c).
 */
#include <sys/xattr.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"

#define KILL_RUNS 200

/* A file under the build directory (a new string). */
static char *build_path(const char *name)
{
	char *path = malloc(512);

	snprintf(path, 512, "%s/%s", build_dir(), name);
	return path;
}

/* Files in elf's directory other than elf itself (temporary files). */
static int strays(const char *elf)
{
	char *dir = strdup(elf);
	int n = 0;

	*strrchr(dir, '/') = '\0';
	DIR *d = opendir(dir);

	for (struct dirent *e; d && (e = readdir(d));)
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
		     strcmp(e->d_name, strrchr(elf, '/') + 1);
	closedir(d);
	free(dir);
	return n;
}

static const char *shim = "build/tests/fault_inject.so";

static void find_shim(void)
{
	shim = build_path("tests/fault_inject.so");
}

TestSuite(crash_safety, .init = find_shim);

static int same(const char *a, size_t la, const char *b, size_t lb)
{
	return la == lb && memcmp(a, b, la) == 0;
}

Test(crash_safety, disk_full_at_any_write_leaves_the_file_unchanged)
{
	char *elf = tmp_copy("gnu-le");
	size_t l0;
	char *orig = read_file(elf, &l0);
	int failed = 0;

	for (int n = 1; n <= 8; n++) {
		struct run r = run("LD_PRELOAD=%s KSYM_FAIL_WRITE=%d %s patch %s", shim, n, tool(), elf);
		size_t l1;
		char *now = read_file(elf, &l1);

		if (r.status == 0) { /* fewer than n writes: the patch went through */
			cr_assert(same(orig, l0, now, l1) == 0);
			free(now);
			run_free(&r);
			break;
		}
		cr_assert(eq(int, r.status, 1), "%s", r.err);
		cr_assert(strstr(r.err, "No space left on device; the original is unchanged") != NULL,
			  "%s", r.err);
		cr_assert(same(orig, l0, now, l1), "write %d failed and the file changed", n);
		cr_assert(eq(int, strays(elf), 0), "a temporary file was left behind");
		failed++;
		free(now);
		run_free(&r);
	}
	cr_assert(failed >= 3, "only %d writes were failed", failed);
	free(orig);
	free(elf);
}

Test(crash_safety, unwritable_directory_leaves_the_file_unchanged)
{
	char *elf = tmp_copy("gnu-le");
	size_t l0, l1;
	char *orig = read_file(elf, &l0);
	struct run r = run("LD_PRELOAD=%s KSYM_FAIL_MKSTEMP=1 %s patch %s", shim, tool(), elf);
	char *now = read_file(elf, &l1);

	cr_assert(eq(int, r.status, 1));
	cr_assert(eq(sz, count_lines(r.err), 1));
	cr_assert(strstr(r.err, "cannot create a temporary file in") != NULL, "%s", r.err);
	cr_assert(strstr(r.err, "make the directory writable") != NULL, "%s", r.err);
	cr_assert(same(orig, l0, now, l1));
	run_free(&r);
	free(orig);
	free(now);
	free(elf);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Start `ksympatch patch elf`, send it sig after delay seconds; returns its exit status or -1. */
static int patch_and_signal(const char *elf, double delay, int sig)
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		execl(tool(), "ksympatch", "patch", elf, (char *)NULL);
		_exit(127);
	}
	if (delay >= 0) {
		struct timespec ts = { (time_t)delay, (long)((delay - (time_t)delay) * 1e9) };

		nanosleep(&ts, NULL);
		kill(pid, sig);
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

#define SIGNAL_RUNS 60

Test(crash_safety, sigkill_at_any_moment_leaves_old_or_new_never_torn, .timeout = 600)
{
	char *big = build_path("tests/big.elf"), *elf = tmp_copy_of(big);
	size_t l0, lp;
	char *orig = read_file(elf, &l0), *patched;
	double t0 = now_s(), t;
	int olds = 0, news = 0, stray_runs = 0;

	cr_assert(eq(int, patch_and_signal(elf, -1, 0), 0));
	t = now_s() - t0;
	/* Kills spread over twice a patch's duration: some land after it, even on a busier machine. */
	double span = 2 * t;

	patched = read_file(elf, &lp);
	cr_assert(same(orig, l0, patched, lp) == 0);

	for (int i = 0; i < KILL_RUNS; i++) {
		size_t l;
		char *now;

		write_file(elf, orig, l0);
		patch_and_signal(elf, span * i / KILL_RUNS, SIGKILL);
		now = read_file(elf, &l);
		if (same(orig, l0, now, l))
			olds++;
		else if (same(patched, lp, now, l))
			news++;
		else
			cr_fatal("kill %d after %.1f ms left a torn file", i, 1e3 * span * i / KILL_RUNS);
		free(now);
		if (strays(elf)) { /* killed between mkstemp and rename: only a stray temporary */
			stray_runs++;
			struct run rm = run("rm -f \"$(dirname %s)\"/.ksympatch-*", elf);

			run_free(&rm);
		}
	}
	cr_log_info("kill test: %d kills over %.1f ms: %d left the original, %d the patched file, "
		    "%d left a temporary file, 0 torn", KILL_RUNS, 1e3 * span, olds, news, stray_runs);
	cr_assert(olds > 0 && news > 0, "kills must land both before and after the rename");
	free(orig);
	free(patched);
	free(elf);
	free(big);
}

/* SIGINT and SIGTERM (Ctrl-C, a build system giving up) leave no temporary file behind. */
Test(crash_safety, sigint_and_sigterm_leave_no_temporary_file, .timeout = 600)
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
		olds += same(orig, l0, now, l);
		news += same(patched, lp, now, l);
		cr_assert(same(orig, l0, now, l) || same(patched, lp, now, l), "signal %d left a torn file", i);
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

/* In place as root: the owner, group, set-id bits and extended attributes stay. */
Test(crash_safety, in_place_patch_keeps_owner_mode_and_attributes)
{
	char *elf = tmp_copy("gnu-le");
	int xattr = setxattr(elf, "user.ksympatch_test", "kept", 4, 0) == 0; /* tmpfs may refuse */
	struct run prep = run("chown 1234:5678 %s && chmod 4755 %s", elf, elf);

	cr_assert(eq(int, prep.status, 0), "%s", prep.err);

	struct run r = run("%s patch %s", tool(), elf);
	struct run st = run("stat -c '%%u %%g %%a' %s", elf);
	char value[16] = "";

	cr_assert(eq(int, r.status, 0), "%s", r.err);
	cr_assert(eq(str, st.out, "1234 5678 4755\n"), "owner, group and mode kept");
	if (xattr) {
		cr_assert(eq(int, (int)getxattr(elf, "user.ksympatch_test", value, sizeof(value)), 4));
		cr_assert(eq(int, memcmp(value, "kept", 4), 0));
	}
	run_free(&prep);
	run_free(&r);
	run_free(&st);
	free(elf);
}

/* Who cannot keep the owner (not root) must not leave a set-user-ID file of their own. */
Test(crash_safety, set_id_bits_go_when_the_owner_cannot_be_kept)
{
	char *elf = tmp_copy("gnu-le");
	struct run prep = run("chmod 6755 %s", elf);
	struct run r = run("LD_PRELOAD=%s KSYM_FAIL_FCHOWN=1 %s patch %s", shim, tool(), elf);
	struct run st = run("stat -c '%%a' %s", elf);

	cr_assert(eq(int, r.status, 0), "%s", r.err);
	cr_assert(eq(str, st.out, "755\n"), "set-id bits dropped");
	run_free(&prep);
	run_free(&r);
	run_free(&st);
	free(elf);
}

/* A second hard link would keep the unpatched kernel: refused, nothing changed. */
Test(crash_safety, a_file_with_other_hard_links_is_refused)
{
	char *elf = tmp_copy("gnu-le");
	size_t l0, l1;
	char *orig = read_file(elf, &l0);
	struct run ln = run("ln %s %s.other", elf, elf);
	struct run r = run("%s patch %s", tool(), elf);
	char *now = read_file(elf, &l1);

	cr_assert(eq(int, ln.status, 0));
	cr_assert(eq(int, r.status, 1));
	cr_assert(strstr(r.err, "file has 2 hard links") != NULL, "%s", r.err);
	cr_assert(same(orig, l0, now, l1));
	run_free(&ln);
	run_free(&r);
	free(orig);
	free(now);
	free(elf);
}

/* Another process shrinks the kernel while ksympatch reads it: one line and exit 1, not SIGBUS. */
Test(crash_safety, a_file_that_shrinks_while_mapped_is_an_error_not_a_crash)
{
	char *elf = tmp_copy("gnu-le");
	struct run r = run("LD_PRELOAD=%s KSYM_SHRINK_MAPPED=1 %s patch %s", shim, tool(), elf);

	cr_assert(eq(int, r.status, 1), "exit %d (-1: killed by a signal)", r.status);
	cr_assert(eq(sz, count_lines(r.err), 1), "%s", r.err);
	cr_assert(strstr(r.err, "the file changed size while it was being read") != NULL, "%s", r.err);
	cr_assert(strays(elf) == 0, "no temporary file left");
	run_free(&r);
	free(elf);
}
