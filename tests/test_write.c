/*
 * Tests of patcher/write.c: the patched copy is written atomically and keeps the file's metadata, whatever fails (faults injected with tests/fault_inject.c, LD_PRELOAD) or kills it.
 */
#define _GNU_SOURCE /* SEEK_HOLE */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <stdio.h>
#include <unistd.h>

#include "helpers.h"
#include "ksympatch.h"

Test(write, patch_keeps_mode_and_leaves_no_temporary_file)
{
	char *elf = tmp_copy("gnu-le"), *dir = strdup(elf);
	struct stat st;
	int entries = 0;

	chmod(elf, 0751);
	struct run r = run("%s patch -v %s", tool(), elf);

	cr_assert(eq(int, r.status, 0), "%s", r.err);
	cr_assert(strstr(r.out, " symbols, ") && strstr(r.out, " of 32768 bytes (") != NULL, "%s", r.out);
	cr_assert(eq(int, stat(elf, &st), 0));
	cr_assert(eq(u32, st.st_mode & 07777, 0751));
	*strrchr(dir, '/') = '\0';
	DIR *d = opendir(dir);

	for (struct dirent *e; (e = readdir(d));)
		entries += e->d_name[0] != '.' || strncmp(e->d_name, ".ksympatch", 10) == 0;
	closedir(d);
	cr_assert(eq(int, entries, 1), "only the ELF is left in %s", dir);
	run_free(&r);
	free(dir);
	free(elf);
}

/* Does the file system under dir keep holes?  A sparse probe file says. */
static int holes_kept(const char *dir)
{
	char path[4096];
	int fd, kept;

	snprintf(path, sizeof(path), "%s/hole-probe", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	cr_assert(fd >= 0);
	cr_assert(eq(int, pwrite(fd, "x", 1, 1 << 20), 1));
	kept = lseek(fd, 0, SEEK_HOLE) < (off_t)(1 << 20);
	close(fd);
	unlink(path);
	return kept;
}

Test(write, placeholder_tail_after_the_table_is_a_hole_not_written_zeros)
{
	char *elf = patch_copy("gnu-le", "", NULL), *dir = strdup(elf);
	uint64_t off, size;

	*strrchr(dir, '/') = '\0';
	if (!holes_kept(dir))
		cr_skip_test("the file system under %s keeps no holes", dir);
	section_bytes(elf, ".kernel_symbols", &off, &size);
	int fd = open(elf, O_RDONLY);

	cr_assert(fd >= 0);
	off_t hole = lseek(fd, (off_t)off, SEEK_HOLE);

	/* The table is about 1.4 KiB of the 32 KiB placeholder: whole blocks of its tail were never written. */
	cr_assert(lt(i64, hole, (int64_t)(off + size)), "no hole in the placeholder at 0x%llx..0x%llx (first at 0x%llx)",
		  (unsigned long long)off, (unsigned long long)(off + size), (unsigned long long)hole);
	close(fd);
	free(dir);
	free(elf);
}

Test(write, output_that_cannot_be_written_fails)
{
	char *elf = patch_copy("gnu-le", "", NULL);
	struct run d = run("%s dump %s > /dev/full", tool(), elf);
	struct run l = run("%s lookup %s 0x40080000 > /dev/full", tool(), elf);
	struct run v = run("%s verify %s > /dev/full", tool(), elf);

	cr_assert(eq(int, d.status, 1), "dump: %s", d.err);
	cr_assert(eq(int, l.status, 1), "lookup: %s", l.err);
	cr_assert(eq(int, v.status, 1), "verify: %s", v.err);
	cr_assert(strstr(d.err, "cannot write the output: No space left on device") != NULL, "%s", d.err);
	run_free(&d);
	run_free(&l);
	run_free(&v);
	free(elf);
}

#define KILL_RUNS 200

Test(write, inject_disk_full_at_any_write_leaves_the_file_unchanged)
{
	char *elf = tmp_copy("gnu-le");
	size_t l0;
	char *orig = read_file(elf, &l0);
	int failed = 0;

	for (int n = 1; n <= 8; n++) {
		struct run r = run("LD_PRELOAD=%s KSYM_FAIL_WRITE=%d %s patch %s", fault_shim(), n, tool(), elf);
		size_t l1;
		char *now = read_file(elf, &l1);

		if (r.status == 0) { /* fewer than n writes: the patch went through */
			cr_assert(same_bytes(orig, l0, now, l1) == 0);
			free(now);
			run_free(&r);
			break;
		}
		cr_assert(eq(int, r.status, 1), "%s", r.err);
		cr_assert(strstr(r.err, "No space left on device; the original is unchanged") != NULL,
			  "%s", r.err);
		cr_assert(same_bytes(orig, l0, now, l1), "write %d failed and the file changed", n);
		cr_assert(eq(int, strays(elf), 0), "a temporary file was left behind");
		failed++;
		free(now);
		run_free(&r);
	}
	cr_assert(failed >= 3, "only %d writes were failed", failed);
	free(orig);
	free(elf);
}

Test(write, inject_unwritable_directory_leaves_the_file_unchanged)
{
	char *elf = tmp_copy("gnu-le");
	struct run r = expect_refused(elf, "cannot create a temporary file in", "LD_PRELOAD=%s KSYM_FAIL_MKSTEMP=1 %s patch %s",
				      fault_shim(), tool(), elf);

	cr_assert(strstr(r.err, "make the directory writable") != NULL, "%s", r.err);
	run_free(&r);
	free(elf);
}

Test(write, inject_sigkill_at_any_moment_leaves_old_or_new_never_torn, .timeout = 600)
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
	cr_assert(same_bytes(orig, l0, patched, lp) == 0);

	for (int i = 0; i < KILL_RUNS; i++) {
		size_t l;
		char *now;

		write_file(elf, orig, l0);
		patch_and_signal(elf, span * i / KILL_RUNS, SIGKILL);
		now = read_file(elf, &l);
		if (same_bytes(orig, l0, now, l))
			olds++;
		else if (same_bytes(patched, lp, now, l))
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

/* In place as root: the owner, group, set-id bits and extended attributes stay. */
Test(write, inject_in_place_patch_keeps_owner_mode_and_attributes)
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
Test(write, inject_set_id_bits_go_when_the_owner_cannot_be_kept)
{
	char *elf = tmp_copy("gnu-le");
	struct run prep = run("chmod 6755 %s", elf);
	struct run r = run("LD_PRELOAD=%s KSYM_FAIL_FCHOWN=1 %s patch %s", fault_shim(), tool(), elf);
	struct run st = run("stat -c '%%a' %s", elf);

	cr_assert(eq(int, r.status, 0), "%s", r.err);
	cr_assert(eq(str, st.out, "755\n"), "set-id bits dropped");
	run_free(&prep);
	run_free(&r);
	run_free(&st);
	free(elf);
}
