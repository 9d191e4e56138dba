/* SPDX-License-Identifier: MIT */
/*
 * ksympatch patch: write the table into the placeholder and the record
 * count over the count symbol, at the file offsets the PT_LOAD segments
 * give, never relinking.
 *
 * Strategy: check everything before writing anything (the placeholder is
 * one, the target can be replaced, the table fits), then write the whole
 * file anew beside the target and rename it over (write.c), so a failure
 * at any point leaves the user's file byte for byte as it was.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ksym/format.h>

#include "build.h"
#include "diag.h"
#include "table.h"
#include "write.h"

/* Can the file at path be replaced?  Says why not, in one line. */
static int check_writable(const char *path, const char *target, unsigned mode)
{
	int writable = access(target, W_OK) == 0;

	if (!writable && errno == EROFS) {
		ksp_error(path, "the file system is read-only; write a copy elsewhere with -o OUT.elf");
		return -1;
	}
	if (!writable || !(mode & 0222)) {
		ksp_error(path, "file is not writable; chmod u+w it, or write a copy with -o OUT.elf");
		return -1;
	}
	return 0;
}

/*
 * The placeholder must be one: zero after its first byte (as the linker
 * script fragment leaves it), or a table of ours.  --section .text would
 * otherwise overwrite code.
 */
static int check_placeholder(const struct ksp_elf *elf, const struct ksp_options *o, const struct ksp_embedded *e)
{
	const unsigned char *p = elf->map + e->sec.offset;

	if (e->sec.size >= 4 && p[0] == KSYM_MAGIC0 && p[1] == KSYM_MAGIC1 && p[2] == KSYM_MAGIC2 &&
	    p[3] == KSYM_MAGIC3)
		return 0;
	/* Zero after the first byte, as memcmp sees it a word at a time; the byte loop only names the first one that is not. */
	if (e->sec.size < 2 || (p[1] == 0 && memcmp(p + 1, p + 2, e->sec.size - 2) == 0))
		return 0;
	for (uint64_t i = 1; i < e->sec.size; i++)
		if (p[i]) {
			ksp_error(elf->path, "[%s]: not a placeholder: byte 0x%llx is not zero and the section holds no ksympatch table; refusing to overwrite it (name the placeholder with --section)",
				  o->section, (unsigned long long)i);
			return -1;
		}
	return 0;
}

/*
 * Where -o writes: a regular file or a new one; through a symlink to its
 * target, as in-place patching does.  A FIFO or a device (/dev/null) is
 * refused: the patched copy would replace it with a regular file.
 */
static int output_target(const char *output, char target[PATH_MAX])
{
	struct stat st;

	if (strlen(output) >= PATH_MAX) {
		ksp_error(output, "-o: the path is longer than PATH_MAX (%d bytes)", PATH_MAX);
		return -1;
	}
	if (lstat(output, &st) < 0) {
		if (errno != ENOENT) {
			ksp_error(output, "-o: cannot stat: %s", strerror(errno));
			return -1;
		}
		memcpy(target, output, strlen(output) + 1); /* a new file */
		return 0;
	}
	int link = S_ISLNK(st.st_mode);

	if (link && (!realpath(output, target) || stat(target, &st) < 0)) {
		ksp_error(output, "-o: cannot follow the symlink: %s", strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		ksp_error(output, "-o: not a regular file (a directory, a FIFO or a device?); give the path of the file to write");
		return -1;
	}
	if (!link)
		memcpy(target, output, strlen(output) + 1);
	return 0;
}

/* Where the patched ELF goes: -o's file, or the input itself when it can be replaced. */
static int patch_target(const struct ksp_elf *elf, const char *path, const struct ksp_options *o,
			char target[PATH_MAX])
{
	if (o->output)
		return output_target(o->output, target);
	if (!realpath(path, target)) {
		ksp_error(path, "cannot resolve the path: %s", strerror(errno));
		return -1;
	}
	if (check_writable(path, target, elf->mode) < 0)
		return -1;
	if (elf->nlink > 1) {
		/* The new file replaces this name only: the other links would keep the old kernel. */
		ksp_error(path, "file has %lu hard links, which would keep the unpatched kernel; write a copy with -o OUT.elf, or remove the other links",
			  elf->nlink);
		return -1;
	}
	return 0;
}

static int cmp_patch(const void *pa, const void *pb)
{
	const struct ksp_patch *a = pa, *b = pb;

	return (a->offset > b->offset) - (a->offset < b->offset);
}

/*
 * The three size fields --shrink writes, the section's to size and the
 * segment's less what it loses (into fields[3][8]), as three patches.
 */
static size_t shrink_patches(const struct ksp_elf *elf, const struct ksp_shrink *s, uint64_t size, uint64_t by,
			     unsigned char fields[3][8], struct ksp_patch *out)
{
	const uint64_t at[3] = { s->sh_size_at, s->p_filesz_at, s->p_memsz_at };
	const uint64_t value[3] = { size, s->p_filesz - by, s->p_memsz - by };

	for (size_t i = 0; i < 3; i++) {
		ksp_elf_put(elf, value[i], s->width, fields[i]);
		out[i] = (struct ksp_patch){ at[i], fields[i], s->width };
	}
	return 3;
}

/*
 * The table, zeros to the end of the placeholder, the count and, with
 * --shrink (s not NULL), the placeholder's and its segment's sizes cut to
 * the table's: written in file order.
 */
static int write_table(const struct ksp_elf *elf, const struct ksp_embedded *e, const struct ksp_blob *blob,
		       const struct ksp_shrink *s, const char *target)
{
	unsigned char count[8], fields[3][8];
	struct ksp_patch patches[6] = {
		{ e->sec.offset, blob->data, blob->size },
		{ e->sec.offset + blob->size, NULL, e->sec.size - blob->size },
		{ e->count.offset, count, sizeof(count) },
	};
	size_t n = 3;

	ksp_elf_put64(elf, blob->count, count);
	if (s)
		n += shrink_patches(elf, s, blob->size, e->sec.size - blob->size, fields, patches + n);
	qsort(patches, n, sizeof(*patches), cmp_patch);
	return ksp_write_patched(elf, patches, n, target);
}

static void warn_bss_before(const struct ksp_elf *elf, const struct ksp_options *o, const struct ksp_embedded *e)
{
	uint64_t bytes;
	const char *bss = ksp_elf_nobits_before(elf, &e->sec, &bytes);

	if (bss)
		ksp_warn(elf->path, "[%s] comes after %s in one loaded segment, so the file carries %s's %llu bytes as zeros; INCLUDE linker_scripts/kernel_symbols.ld after .rodata, before .data and .bss",
			 o->section, bss, bss, (unsigned long long)bytes);
}

int ksp_cmd_patch(const char *path, const struct ksp_options *o, char **args, int nargs)
{
	struct ksp_elf elf;
	struct ksp_embedded e;
	struct ksp_blob blob = { 0 };
	struct ksp_shrink shrink;
	char target[PATH_MAX];
	int ret = -1;

	(void)args;
	(void)nargs;
	if (ksp_elf_open(&elf, path) < 0 || ksp_table_locate(&elf, o, &e) < 0 || check_placeholder(&elf, o, &e) < 0 ||
	    patch_target(&elf, path, o, target) < 0 ||
	    (o->shrink && ksp_elf_shrink_fields(&elf, o->section, &e.sec, &shrink) < 0))
		goto out;
	ksp_elf_drop(&elf, e.sec.offset, e.sec.size); /* checked; the table is written over it, never read */
	if (ksp_build_table(&elf, o, e.sec.size, &blob, 1) < 0)
		goto out;
	warn_bss_before(&elf, o, &e);
	if (write_table(&elf, &e, &blob, o->shrink ? &shrink : NULL, target) < 0)
		goto out;
	if (o->verbose)
		printf("ksympatch: %s: %u symbols, %zu of %llu bytes (%.1f%%) in %s, %.1f bytes/symbol%s\n",
		       o->output ? o->output : path, blob.count, blob.size, (unsigned long long)e.sec.size,
		       100.0 * (double)blob.size / (double)e.sec.size, o->section,
		       blob.count ? (double)blob.size / blob.count : 0.0,
		       o->shrink ? "; the section and its segment shrunk to the table" : "");
	ret = 0;
out:
	free(blob.data);
	ksp_elf_close(&elf);
	return ret;
}
