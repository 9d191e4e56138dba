/* SPDX-License-Identifier: MIT */
/* The ELF's symbols (elf_symbols.c). */
#ifndef KSP_ELF_SYMBOLS_H
#define KSP_ELF_SYMBOLS_H

#include <stddef.h>

#include "elf_file.h"

/* Read the ELF's symbols (libbfd), select and sort them; *out is malloc'd. */
int ksp_elf_select(struct ksp_elf *elf, struct ksp_sym **out, size_t *n);

#endif
