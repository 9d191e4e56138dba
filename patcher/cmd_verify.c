/* SPDX-License-Identifier: MIT */
/*
 * ksympatch verify: is the embedded table the one patch would write now
 * (build.c), with the same selection options?  If not, the first record
 * where the two part is named.  With --image, a raw image made from the
 * ELF (raw_image.c) must carry the same table and count.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "diag.h"
#include "raw_image.h"
#include "table.h"

/* Name the first record where the embedded table and the ELF's symbols part. */
static void report_stale(const struct ksp_elf *elf, const struct ksym_table *have,
			 const struct ksp_blob *want_blob)
{
	struct ksym_table want;
	struct ksp_text an = { 0 }, bn = { 0 };
	uint32_t n = have->count < want_blob->count ? have->count : want_blob->count;

	ksym_open(&want, want_blob->data, want_blob->size, want_blob->count, NULL);
	for (uint32_t i = 0; i < n; i++) {
		struct ksym_symbol a, b;

		ksym_symbol_at(have, i, &a);
		ksym_symbol_at(&want, i, &b);
		const char *aname = ksp_text_name(&an, have, &a), *bname = ksp_text_name(&bn, &want, &b);

		if (!aname || !bname) {
			ksp_error(elf->path, "out of memory");
			goto out;
		}
		if (a.start != b.start || a.size != b.size || a.type != b.type || strcmp(aname, bname) != 0) {
			ksp_error(elf->path,
				  "stale: symbol %u is %s at 0x%" PRIx64 " size 0x%" PRIx64
				  " in the table but %s at 0x%" PRIx64 " size 0x%" PRIx64
				  " in the ELF; run `ksympatch patch %s`",
				  i, aname, a.start, a.size, bname, b.start, b.size, elf->path);
			goto out;
		}
	}
	if (have->count != want.count)
		ksp_error(elf->path, "stale: the table has %u symbols, the ELF %u; run `ksympatch patch %s`",
			  have->count, want.count, elf->path);
	else
		ksp_error(elf->path, "stale: the table's bytes differ from what ksympatch writes; run `ksympatch patch %s`",
			  elf->path);
out:
	ksp_text_free(&an);
	ksp_text_free(&bn);
}

/*
 * A raw image made from the ELF (objcopy -O binary, as a Raspberry Pi
 * boots, or -O ihex and -O srec, as firmware is flashed) must carry the
 * same table and count where objcopy puts them: an image made before the
 * patch, or from another build, is caught here rather than at boot.
 */
static int check_raw_image(const struct ksp_elf *elf, const char *path, const struct ksp_embedded *e)
{
	const struct {
		const struct ksp_region *r;
		const char *what;
	} parts[] = { { &e->sec, "symbol table" }, { &e->count, "symbol count" } };
	struct ksp_raw_image raw;
	int ret = -1;

	if (ksp_raw_open(&raw, path) < 0)
		goto out;
	for (size_t i = 0; i < KSP_ARRAY_SIZE(parts); i++) {
		const struct ksp_region *r = parts[i].r;
		unsigned char *buf = malloc(r->size ? r->size : 1);
		uint64_t lma, off;
		int same;

		if (!buf || ksp_elf_raw_place(elf, r->addr, r->size, &lma, &off) < 0) {
			free(buf);
			goto out;
		}
		same = ksp_raw_read(&raw, lma, off, buf, r->size) && !memcmp(buf, elf->map + r->offset, r->size);
		free(buf);
		if (!same) {
			ksp_error(path, "stale %s: its %s at %s 0x%llx is not %s's; make it again with objcopy -O %s after ksympatch patch",
				  ksp_raw_what(&raw), parts[i].what, raw.kind == KSP_RAW_BINARY ? "byte" : "address",
				  (unsigned long long)(raw.kind == KSP_RAW_BINARY ? off : lma), elf->path,
				  ksp_raw_objcopy_format(&raw));
			goto out;
		}
	}
	ret = 0;
out:
	ksp_raw_close(&raw);
	return ret;
}

/* Is the embedded table, with zeros after it, what patch would write? */
static int is_same_table(const struct ksp_embedded *e, const struct ksp_blob *blob)
{
	if (blob->size > e->sec.size || e->count_value != blob->count || memcmp(e->data, blob->data, blob->size))
		return 0;
	for (uint64_t i = blob->size; i < e->sec.size; i++)
		if (e->data[i])
			return 0;
	return 1;
}

int ksp_cmd_verify(const char *path, const struct ksp_options *o, char **args, int nargs)
{
	struct ksp_elf elf;
	struct ksp_embedded e;
	struct ksp_blob blob = { 0 };
	int ret = -1;

	(void)args;
	(void)nargs;
	if (ksp_table_open_verified(&elf, path, o, &e) < 0 || ksp_build_table(&elf, o, e.sec.size, &blob, 0) < 0)
		goto out;
	if (!is_same_table(&e, &blob)) {
		report_stale(&elf, &e.table, &blob);
		goto out;
	}
	if (o->raw_image && check_raw_image(&elf, o->raw_image, &e) < 0)
		goto out;
	printf("%s: symbol table matches the ELF (%u symbols)%s%s\n", path, blob.count,
	       o->raw_image ? ", and so does " : "", o->raw_image ? o->raw_image : "");
	ret = 0;
out:
	free(blob.data);
	ksp_elf_close(&elf);
	return ret;
}
