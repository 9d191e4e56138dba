/* SPDX-License-Identifier: MIT */
/*
 * The table inside an ELF (table.c): where its placeholder and count are,
 * opened through the runtime the kernel runs, and a symbol as text.
 */
#ifndef KSP_TABLE_H
#define KSP_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include <ksym/ksym.h>

#include "commands.h"
#include "elf_place.h"

/* The embedded table, read back from an ELF. */
struct ksp_embedded {
	struct ksp_region sec, count;
	const unsigned char *data; /* the placeholder's bytes, where the file is mapped */
	uint64_t count_value;
	struct ksym_table table;
};

/* Where the placeholder and the count lie (not overlapping); fills e->sec and e->count. */
int ksp_table_locate(const struct ksp_elf *elf, const struct ksp_options *o, struct ksp_embedded *e);

/* Open the ELF at path and its embedded table, naming any problem (unpatched, version, corrupt). */
int ksp_table_open(struct ksp_elf *elf, const char *path, const struct ksp_options *o,
		   struct ksp_embedded *e);
/* The same, then the whole table proved (ksym_verify()): for dump and verify. */
int ksp_table_open_verified(struct ksp_elf *elf, const char *path, const struct ksp_options *o,
			    struct ksp_embedded *e);

/* Text buffers that grow to fit, so no name is ever cut short; ksp_text_free() when done. */
struct ksp_text {
	char *p, *raw; /* the text as printed, and as decoded */
	size_t cap, raw_cap;
};

/*
 * The symbol's name (ksp_text_name) or "name+0xoff/0xsize" for addr
 * (ksp_text_at), decoded into b and escaped (ksp_escape: control bytes as
 * \n, \xNN, a backslash as \\); NULL when out of memory.
 */
const char *ksp_text_name(struct ksp_text *b, const struct ksym_table *t, const struct ksym_symbol *s);
const char *ksp_text_at(struct ksp_text *b, const struct ksym_table *t, const struct ksym_symbol *s,
			uint64_t addr);

void ksp_text_free(struct ksp_text *b);

/* One line as nm -n -S prints it, addresses w hex digits wide (no size for a symbol of size 0). */
void ksp_print_nm_line(const struct ksym_symbol *s, const char *name, int w);

#endif
