/*
 * Tests of patcher/cmd_patch.c: what patch writes, where, and what it refuses to overwrite.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "ksympatch.h"

/* After .bss in one segment, the file carries .bss: patched, with one warning naming it (readelf). */
Test(cmd_patch, placeholder_after_bss_is_patched_with_a_warning)
{
	char *elf = tmp_copy("gnu-bss-first"), *le = tmp_copy("gnu-le");
	struct run bss = readelf_sections(elf, "$1 == \".bss\" { print $2, $5 }");
	struct run r = run("%s patch %s", tool(), elf), quiet = run("%s patch %s", tool(), le);
	unsigned long long size;
	char want[96];

	cr_assert(sscanf(bss.out, "NOBITS %llx", &size) == 1, "%s", bss.out);
	snprintf(want, sizeof(want), "comes after .bss in one loaded segment, so the file carries .bss's %llu bytes", size);
	cr_assert(eq(int, r.status, 0), "%s", r.err);
	cr_assert(eq(sz, count_lines(r.err), 1), "%s", r.err);
	cr_assert(strstr(r.err, want) != NULL, "%s", r.err);
	cr_assert(eq(str, quiet.err, ""), "no warning for the usual layout");
	run_free(&bss);
	run_free(&r);
	run_free(&quiet);
	free(elf);
	free(le);
}

Test(cmd_patch, patch_is_idempotent_and_deterministic)
{
	char *a = tmp_copy("gnu-be"), out[700];
	size_t l0, l1, l2, l3;
	char *orig = read_file(a, &l0);
	struct run r1 = run("%s patch %s -o %s.copy", tool(), a, a);
	char *unchanged = read_file(a, &l3);
	struct run r2 = run("%s patch %s", tool(), a);
	char *p1 = read_file(a, &l1);
	struct run r3 = run("%s patch %s", tool(), a);
	char *p2 = read_file(a, &l2);

	snprintf(out, sizeof(out), "%s.copy", a);
	size_t lc;
	char *copy = read_file(out, &lc);

	cr_assert(eq(int, r1.status + r2.status + r3.status, 0));
	cr_assert(l0 == l3 && memcmp(orig, unchanged, l0) == 0, "-o must leave the input alone");
	cr_assert(l1 == l2 && memcmp(p1, p2, l1) == 0, "patching twice must not change bytes");
	cr_assert(lc == l1 && memcmp(copy, p1, l1) == 0, "-o and in place must agree");
	cr_assert(l0 == l1 && memcmp(orig, p1, l0) != 0, "patching changes the file");
	run_free(&r1);
	run_free(&r2);
	run_free(&r3);
	free(orig);
	free(unchanged);
	free(p1);
	free(p2);
	free(copy);
	free(a);
}

/* -o onto a FIFO or a device would replace it with a regular file (it replaced a /dev/null once). */
Test(cmd_patch, output_onto_a_fifo_or_device_is_refused_and_a_symlink_is_followed)
{
	char *elf = tmp_copy("gnu-le"), *dir = tmp_dir();
	/* A device node of our own, like /dev/null (as root; a failing tool must not take the real one). */
	struct run r = run("cd %s && mkfifo fifo && cp %s real.elf && ln -s real.elf link.elf && mknod null c 1 3",
			   dir, elf);
	struct run fifo = run("%s patch %s -o %s/fifo", tool(), elf, dir);
	struct run null = run("%s patch %s -o %s/null", tool(), elf, dir);
	struct run link = run("%s patch %s -o %s/link.elf", tool(), elf, dir);
	struct run kinds = run("stat -c %%F %s/fifo %s/link.elf %s/null", dir, dir, dir);
	struct run v = run("%s verify %s/real.elf", tool(), dir);
	struct run longo = run("%s patch %s -o %s/$(printf '%%05000d' 0)", tool(), elf, dir);

	cr_assert(eq(int, r.status, 0), "%s", r.err);
	cr_assert(eq(int, fifo.status, 1));
	cr_assert(strstr(fifo.err, "-o: not a regular file") != NULL, "%s", fifo.err);
	cr_assert(eq(int, null.status, 1));
	cr_assert(eq(int, link.status, 0), "%s", link.err);
	cr_assert(eq(str, kinds.out, "fifo\nsymbolic link\ncharacter special file\n"), "all still what they were");
	cr_assert(eq(int, v.status, 0), "the link's target got the table: %s", v.err);
	cr_assert(eq(int, longo.status, 1));
	cr_assert(strstr(longo.err, "longer than PATH_MAX") != NULL, "%s", longo.err);
	run_free(&r);
	run_free(&fifo);
	run_free(&null);
	run_free(&link);
	run_free(&kinds);
	run_free(&v);
	run_free(&longo);
	free(dir);
	free(elf);
}

/* --section names the placeholder: a section with contents that is not one is left alone. */
Test(cmd_patch, a_section_that_is_not_a_placeholder_is_not_overwritten)
{
	char *elf = tmp_copy("gnu-le");
	struct run r = expect_refused(elf, "[.text]: not a placeholder", "%s patch --section .text %s", tool(), elf);

	run_free(&r);
	free(elf);
}

Test(cmd_patch, section_and_count_symbol_options_are_honoured)
{
	char *elf = tmp_copy("gnu-le");
	struct run sec = run("%s patch --section .no_such_section %s", tool(), elf);
	struct run cnt = run("%s patch --count-symbol counter %s", tool(), elf);

	expect_failure(&sec, elf, "no section .no_such_section");
	expect_failure(&cnt, elf, "counter is 4 bytes, not 8");
	run_free(&sec);
	run_free(&cnt);
	free(elf);
}

Test(cmd_patch, patching_through_a_symlink_patches_the_target_and_keeps_the_link)
{
	char *elf = tmp_copy("gnu-le"), link[700];
	struct run r, v;
	struct stat st;

	snprintf(link, sizeof(link), "%s.link", elf);
	cr_assert(eq(int, symlink(elf, link), 0));
	r = run("%s patch %s", tool(), link);
	v = run("%s verify %s", tool(), elf);
	cr_assert(eq(int, r.status, 0), "%s", r.err);
	cr_assert(eq(int, v.status, 0), "%s", v.err);
	cr_assert(eq(int, lstat(link, &st), 0));
	cr_assert(eq(u32, st.st_mode & S_IFMT, S_IFLNK), "the link is still a link");
	run_free(&r);
	run_free(&v);
	free(elf);
}

/* A second hard link would keep the unpatched kernel: refused, nothing changed. */
Test(cmd_patch, a_file_with_other_hard_links_is_refused)
{
	char *elf = tmp_copy("gnu-le");
	struct run ln = run("ln %s %s.other", elf, elf);

	cr_assert(eq(int, ln.status, 0));

	struct run r = expect_refused(elf, "file has 2 hard links", "%s patch %s", tool(), elf);

	run_free(&ln);
	run_free(&r);
	free(elf);
}

/* In place on a read-only file system: the file's mode is fine, the mount is not; say so. */
Test(cmd_patch, inject_a_read_only_file_system_is_named_as_such)
{
	char *elf = tmp_copy("gnu-le");

	chmod(elf, 0755);

	struct run r = expect_refused(elf, "the file system is read-only", "LD_PRELOAD=%s KSYM_READ_ONLY_FS=1 %s patch %s",
				      fault_shim(), tool(), elf);

	cr_assert(strstr(r.err, "chmod") == NULL, "%s", r.err);
	run_free(&r);
	free(elf);
}

/* readelf -SW's size of a section, -lW's file size of the ELF32 segment at vaddr. */
static uint64_t section_size(const char *elf, const char *name)
{
	uint64_t off, size;

	section_bytes(elf, name, &off, &size);
	return size;
}

static uint64_t segment_filesz(const char *cross_prefix, const char *elf, uint64_t vaddr)
{
	struct run r = run("%sreadelf -lW %s | awk '$1 == \"LOAD\" && $3 == \"0x%08" PRIx64 "\" { print $5 }'",
			   cross_prefix, elf, vaddr); /* ELF32: readelf prints 8 digits */
	uint64_t v = strtoull(r.out, NULL, 16);

	cr_assert(r.out[0] != '\0', "no PT_LOAD at 0x%" PRIx64 ": %s", vaddr, r.err);
	run_free(&r);
	return v;
}

/*
 * --shrink on a firmware whose placeholder ends its flash segment: the
 * section and the segment lose what the table does not use (readelf), the
 * raw and HEX images carry only the table (objcopy), and verify and a
 * second patch agree.  (The Cortex-M boards patch with --shrink, so the
 * QEMU tests boot such firmware.)
 */
Test(cmd_patch, shrink_cuts_the_placeholder_and_its_segment_to_the_table)
{
	char path[512], *dir = tmp_dir(), full[600], cut[600];
	const char *cc = "arm-none-eabi-";

	snprintf(path, sizeof(path), "%s/mps2-an385-gnu/kernel.unpatched.elf", build_dir());
	snprintf(full, sizeof(full), "%s/full.elf", dir);
	snprintf(cut, sizeof(cut), "%s/cut.elf", dir);

	struct run p = run("%s patch %s -o %s && %s patch -v --shrink %s -o %s", tool(), path, full, tool(), path, cut);
	struct run addr = run("%sreadelf -SW %s | sed -n 's/^ *\\[ *[0-9]*\\] //p' | awk '$1 == \".kernel_symbols\" { print $3 }'",
			      cc, full);
	unsigned used;

	cr_assert(eq(int, p.status, 0), "%s", p.err);
	cr_assert(sscanf(strstr(p.out, "symbols, ") + 9, "%u of", &used) == 1, "%s", p.out);

	uint64_t sec = strtoull(addr.out, NULL, 16), old = section_size(full, ".kernel_symbols");
	uint64_t seg_full = segment_filesz(cc, full, sec - 8), seg_cut = segment_filesz(cc, cut, sec - 8);

	cr_assert(eq(u64, section_size(cut, ".kernel_symbols"), used), "the section: the table's %u bytes", used);
	cr_assert(eq(u64, seg_full - seg_cut, old - used), "the segment loses what the section does");

	struct run bin = run("cd %s && %sobjcopy -O binary full.elf full.bin && %sobjcopy -O binary cut.elf cut.bin && "
			     "%sobjcopy -O ihex cut.elf cut.hex && echo $(( $(stat -c %%s full.bin) - $(stat -c %%s cut.bin) ))",
			     dir, cc, cc, cc);
	struct run v = run("%s verify --image %s/cut.hex %s && %s verify --image %s/cut.bin %s", tool(), dir, cut, tool(),
			   dir, cut);
	struct run again = run("%s patch --shrink %s -o %s/again.elf && cmp %s %s/again.elf", tool(), cut, dir, cut, dir);

	cr_assert(eq(u64, strtoull(bin.out, NULL, 10), old - used), "the raw image is smaller by the empty part: %s%s",
		  bin.out, bin.err);
	cr_assert(eq(int, v.status, 0), "%s", v.err);
	cr_assert(eq(int, again.status, 0), "idempotent: %s", again.err);
	run_free(&p);
	run_free(&addr);
	run_free(&bin);
	run_free(&v);
	run_free(&again);
	free(dir);
}

/* Something after the placeholder in its segment: --shrink refuses, in one line, and changes nothing. */
Test(cmd_patch, shrink_refuses_a_placeholder_that_is_not_last_in_its_segment)
{
	char *elf = tmp_copy("gnu-le");
	struct run r = expect_refused(elf, "--shrink: [.kernel_symbols] is not the last thing in its segment",
				      "%s patch --shrink %s", tool(), elf);

	run_free(&r);
	free(elf);
}
