/* SPDX-License-Identifier: MIT */
/*
 * The table ksympatch writes for an ELF: its symbols read and selected
 * (elf_symbols.c, select.c), demangled (demangle.c), thinned (fit.c) and
 * encoded (encode.c).  patch writes it; verify compares the ELF's table
 * with it.  When it does not fit, the one line says by how much, and what
 * --functions-only or --fit would do.
 */
#include <stdio.h>
#include <stdlib.h>

#include "build.h"
#include "diag.h"
#include "elf_symbols.h"

/* The --fit warning: what was dropped, by class, on one line. */
static void report_fit(const struct ksp_elf *elf, const struct ksp_fit *fit, size_t kept)
{
	static const char *const what[KSP_NCLASSES] = { "local data objects", "global data objects",
							 "local functions", "global functions" };
	size_t dropped = 0, len = 0;
	char list[200];

	list[0] = '\0';
	for (int c = 0; c < KSP_NCLASSES; c++)
		dropped += fit->dropped[c];
	if (!dropped)
		return;
	for (int c = 0; c < KSP_NCLASSES; c++) {
		if (!fit->dropped[c])
			continue;
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s %zu of %zu %s", len ? "," : "",
					fit->dropped[c], fit->total[c], what[c]);
	}
	ksp_warn(elf->path, "--fit dropped %zu of %zu symbols to fit:%s", dropped, dropped + kept, list);
}

/* The placeholder is too small: say by how much, and what the selection options would do. */
static void report_too_big(const struct ksp_elf *elf, const struct ksp_options *o, struct ksp_sym *syms,
			   size_t n, size_t need, uint64_t capacity)
{
	struct ksp_blob f = { 0 };
	const char *why = "";
	size_t nf = ksp_keep_functions(syms, n);
	char alt[160] = "";

	if (!o->functions_only && nf < n &&
	    ksp_encode(syms, nf, elf->addr_size, elf->big_endian, &f, &why) == 0)
		snprintf(alt, sizeof(alt), "; --functions-only keeps %zu functions in %zu bytes%s", nf, f.size,
			 f.size <= capacity ? ", which fits" : ", still too many");
	free(f.data);
	ksp_error(elf->path,
		  "[%s]: table does not fit: needs %zu bytes, %llu available; make the placeholder at least %zu bytes (KSYM_TABLE_SIZE in the linker script)%s%s",
		  o->section, need, (unsigned long long)capacity, (need + 1023) & ~(size_t)1023, alt,
		  o->fit ? "" : "; or --fit keeps as many as fit");
}

int ksp_build_table(struct ksp_elf *elf, const struct ksp_options *o, uint64_t capacity,
		    struct ksp_blob *blob, int warn)
{
	struct ksp_sym *syms;
	struct ksp_fit fit;
	char **names = NULL;
	size_t n, nnames = 0;
	const char *why = "";
	int ret = -1;

	if (ksp_elf_select(elf, &syms, &n) < 0)
		return -1;
	if (ksp_demangle(elf->abfd, syms, n, o->demangle, &names, &nnames) < 0) {
		ksp_error(elf->path, "out of memory");
		goto out;
	}
	if (o->functions_only)
		n = ksp_keep_functions(syms, n);
	if (o->fit ? ksp_encode_fit(syms, &n, capacity, elf->addr_size, elf->big_endian, blob, &fit, &why)
		   : ksp_encode(syms, n, elf->addr_size, elf->big_endian, blob, &why)) {
		if (blob->data) /* --fit: even the global functions alone are too big */
			report_too_big(elf, o, syms, n, blob->size, capacity);
		else
			ksp_error(elf->path, "cannot build the table: %s", why);
		goto out;
	}
	if (blob->size > capacity) {
		report_too_big(elf, o, syms, n, blob->size, capacity);
		goto out;
	}
	if (o->fit && warn)
		report_fit(elf, &fit, n);
	ret = 0;
out:
	if (ret) {
		free(blob->data);
		blob->data = NULL;
	}
	ksp_free_names(names, nnames);
	free(syms);
	return ret;
}

