/* SPDX-License-Identifier: MIT */
/*
 * The kernel ELF, opened (elf_file.c).  "elf" is always this file; a raw
 * image (objcopy -O binary, what verify --image reads) is called a raw
 * image.  Each function here and in elf_symbols.h and elf_place.h that can
 * fail prints its one-line error and returns -1.
 */
#ifndef KSP_ELF_FILE_H
#define KSP_ELF_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "ksympatch.h"

struct bfd;

/* An ELF file opened for reading: mapped whole, symbols read through libbfd. */
struct ksp_elf {
	const char *path;
	int fd;                   /* open, read-only, for copy_file_range() */
	const unsigned char *map; /* the whole file, read-only */
	size_t size;
	unsigned mode;       /* st_mode permission bits */
	unsigned uid, gid;   /* owner and group */
	unsigned long nlink; /* hard links */
	struct bfd *abfd;
	int addr_size; /* 4 (ELF32) or 8 (ELF64) */
	int big_endian;
	int machine; /* e_machine */
	struct ksp_section *sections;
	size_t nsections;
	struct ksp_elf_sym *syms;
	size_t nsyms;
};

int ksp_elf_open(struct ksp_elf *elf, const char *path);
void ksp_elf_close(struct ksp_elf *elf);

/*
 * A second bfd on the open file, of the first one's target (the symbols are
 * read through it, then it is closed with bfd_close()); NULL after one line.
 */
struct bfd *ksp_elf_bfd_again(const struct ksp_elf *elf);

/*
 * The mapped pages wholly inside [offset, offset + size) are done with for
 * now: out of the resident set (they read back from the file if touched).
 */
void ksp_elf_drop(const struct ksp_elf *elf, uint64_t offset, uint64_t size);

/* A u64 in the ELF's byte order (libbfd's accessors). */
uint64_t ksp_elf_get64(const struct ksp_elf *elf, const unsigned char *p);
void ksp_elf_put64(const struct ksp_elf *elf, uint64_t v, unsigned char *p);
/* v as a field of width 4 or 8 bytes in the ELF's byte order. */
void ksp_elf_put(const struct ksp_elf *elf, uint64_t v, unsigned width, unsigned char *p);

#endif
