/* SPDX-License-Identifier: MIT */
/* Where the placeholder and the count lie in the ELF file and in a raw image of it (elf_place.c). */
#ifndef KSP_ELF_PLACE_H
#define KSP_ELF_PLACE_H

#include <stdint.h>

#include "elf_file.h"

/* A range of the file that maps a range of the loaded image. */
struct ksp_region {
	uint64_t addr; /* VMA */
	uint64_t size;
	uint64_t offset; /* file offset, from the PT_LOAD that maps addr */
};

/* Where the section called name lies in the file (the PT_LOAD that loads it). */
int ksp_elf_section(const struct ksp_elf *elf, const char *name, struct ksp_region *out);

/* Where the u64 count symbol lies in the file: its global definition, or a lone local one. */
int ksp_elf_count_symbol(const struct ksp_elf *elf, const char *name, struct ksp_region *out);

/*
 * Where the len bytes at VMA addr lie in a raw image of the ELF: at *lma in
 * an Intel HEX or S-record image, at byte *off of a binary one (objcopy
 * -O binary lays sections out at their LMA less the lowest loaded LMA).
 */
int ksp_elf_raw_place(const struct ksp_elf *elf, uint64_t addr, uint64_t len, uint64_t *lma, uint64_t *off);

/*
 * A NOBITS section (.bss) that the segment loading r also carries in the
 * file, before r (r after .bss makes the file carry .bss as zeros): its
 * name, with its size in *bytes; NULL if none.  Prints nothing.
 */
const char *ksp_elf_nobits_before(const struct ksp_elf *elf, const struct ksp_region *r,
				  uint64_t *bytes);

/* The three size fields --shrink rewrites: file offsets and values (width: 4 on ELF32, 8 on ELF64). */
struct ksp_shrink {
	uint64_t sh_size_at, p_filesz_at, p_memsz_at;
	uint64_t p_filesz, p_memsz;
	unsigned width;
};

/*
 * Can the section called name (at r) shrink with its segment?  Only when
 * it ends its PT_LOAD segment's file bytes and nothing (no .bss either)
 * follows it in that segment; fills *s, or names what follows, in one line.
 */
int ksp_elf_shrink_fields(const struct ksp_elf *elf, const char *name, const struct ksp_region *r,
			  struct ksp_shrink *s);

#endif
