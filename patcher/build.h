/* SPDX-License-Identifier: MIT */
/* The table ksympatch writes for an ELF (build.c): what patch writes and verify expects. */
#ifndef KSP_BUILD_H
#define KSP_BUILD_H

#include <stdint.h>

#include "commands.h"
#include "elf_file.h"

/*
 * Select, demangle, fit and encode the ELF's symbols as the options say,
 * for a placeholder of capacity bytes.  warn: print the --fit warning
 * (patch does, verify does not).  On failure (-1) blob->data is NULL and
 * the line printed says by how much it does not fit and what would.
 */
int ksp_build_table(struct ksp_elf *elf, const struct ksp_options *o, uint64_t capacity,
		    struct ksp_blob *blob, int warn);

#endif
