/*
 * Tests of patcher/cmd_verify.c: verify, of the ELF and of raw images made from it.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <criterion/parameterized.h>
#include <elf.h>

#include "helpers.h"
#include "ksympatch.h"

Test(cmd_verify, verify_passes_on_a_patched_file)
{
	char *elf = patch_copy("gnu-le", "", NULL);
	struct run r = run("%s verify %s", tool(), elf);

	cr_assert(eq(int, r.status, 0), "%s", r.err);
	run_free(&r);
	free(elf);
}

Test(cmd_verify, verify_names_the_first_stale_symbol_after_a_code_change)
{
	/* gnu-stale is gnu-le relinked after small_leaf grew; give it gnu-le's old table. */
	char *old = patch_copy("gnu-le", "", NULL), *elf = patch_copy("gnu-stale", "", NULL);
	struct run dump = run("%sobjcopy --dump-section .kernel_symbols=%s.sec %s", cross(), old, old);
	struct run upd = run("%sobjcopy --update-section .kernel_symbols=%s.sec %s", cross(), old, elf);
	struct run r = run("%s verify %s", tool(), elf);

	cr_assert(eq(int, dump.status + upd.status, 0), "%s %s", dump.err, upd.err);
	expect_failure(&r, elf, "stale: symbol");
	cr_assert(strstr(r.err, "small_leaf") != NULL, "%s", r.err);
	run_free(&dump);
	run_free(&upd);
	run_free(&r);
	free(old);
	free(elf);
}

/* A raw image (objcopy -O binary, as the Raspberry Pi boots) made before the patch is caught. */
ParameterizedTestParameters(cmd_verify, verify_image_catches_a_raw_image_made_before_the_patch)
{
	static struct fix raw_fixtures[] = {
		{ "gnu-le", "", EM_AARCH64 }, { "gnu-lma", "", EM_AARCH64 }, { "lld-be", "", EM_AARCH64 },
		{ "lld-thumb", "arm-linux-gnueabihf-", EM_ARM },
	};
	return cr_make_param_array(struct fix, raw_fixtures, KSP_ARRAY_SIZE(raw_fixtures));
}

ParameterizedTest(struct fix *f, cmd_verify, verify_image_catches_a_raw_image_made_before_the_patch)
{
	static const struct {
		const char *format, *stale;
	} kinds[] = {
		{ "binary", "stale raw image: its symbol table at byte 0x" },
		{ "ihex", "stale Intel HEX image: its symbol table at address 0x" },
		{ "srec", "stale S-record image: its symbol table at address 0x" },
	};

	for (size_t k = 0; k < KSP_ARRAY_SIZE(kinds); k++) {
		char *elf = tmp_copy(f->name);
		const char *o = kinds[k].format;
		struct run mk = run("%sobjcopy -O %s %s %s.stale && %s patch %s && %sobjcopy -O %s %s %s.img",
				    fix_binutils(f), o, elf, elf, tool(), elf, fix_binutils(f), o, elf, elf);
		struct run good = run("%s verify --image %s.img %s", tool(), elf, elf);
		struct run stale = run("%s verify --image %s.stale %s", tool(), elf, elf);

		cr_assert(eq(int, mk.status, 0), "%s", mk.err);
		cr_assert(eq(int, good.status, 0), "%s -O %s: %s", f->name, o, good.err);
		cr_assert(strstr(good.out, ", and so does ") != NULL, "%s", good.out);
		cr_assert(eq(int, stale.status, 1), "%s -O %s", f->name, o);
		cr_assert(eq(sz, count_lines(stale.err), 1), "%s", stale.err);
		cr_assert(strstr(stale.err, kinds[k].stale) != NULL, "%s", stale.err);
		run_free(&mk);
		run_free(&good);
		run_free(&stale);
		free(elf);
	}
}

/* --image takes regular files only, as the ELF argument does: a FIFO does not hang it, a directory is named. */
Test(cmd_verify, verify_image_of_a_fifo_or_a_directory_fails_at_once, .timeout = 20)
{
	char *elf = patch_copy("gnu-le", "", NULL), *dir = tmp_dir();
	struct run fifo = run("mkfifo %s/fifo && timeout 10 %s verify --image %s/fifo %s", dir, tool(), dir, elf);
	struct run d = run("%s verify --image %s %s", tool(), dir, elf);

	expect_failure(&fifo, "fifo", "not a regular file (a FIFO or a device?)");
	expect_failure(&d, dir, "is a directory; give the raw image file");
	run_free(&fifo);
	run_free(&d);
	free(dir);
	free(elf);
}

/* A HEX image with a bad record checksum: one line (libbfd's own folded in), and the ELF is untouched. */
Test(cmd_verify, a_damaged_hex_image_is_one_line)
{
	char *elf = patch_copy("gnu-le", "", NULL), hex[600];
	struct run mk, r;

	snprintf(hex, sizeof(hex), "%s.hex", elf);
	mk = run("%sobjcopy -O ihex %s %s && sed -i '4s/..\\(.\\)$/00\\1/' %s", cross(), elf, hex, hex);
	cr_assert(eq(int, mk.status, 0), "%s", mk.err);
	r = run("%s verify --image %s %s", tool(), hex, elf);
	expect_failure(&r, hex, "not a readable Intel HEX image");
	run_free(&mk);
	run_free(&r);
	free(elf);
}
