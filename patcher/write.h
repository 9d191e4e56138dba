/* SPDX-License-Identifier: MIT */
/* Writing a patched copy of an ELF, atomically (write.c). */
#ifndef KSP_WRITE_H
#define KSP_WRITE_H

#include <stddef.h>
#include <stdint.h>

struct ksp_elf;

/* Bytes to write at a file offset; bytes == NULL: len zeros (left a hole, not written). */
struct ksp_patch {
	uint64_t offset;
	const unsigned char *bytes;
	size_t len;
};

/*
 * Write a copy of elf with the patches applied (sorted, not overlapping) to
 * target, atomically: a temporary file in target's directory, fsync, rename.
 * The copy keeps the input's mode, owner, group and extended attributes
 * (set-id bits are dropped if the owner cannot be kept).  On failure target
 * is untouched, no temporary file is left, and -1 comes back after one line.
 */
int ksp_write_patched(const struct ksp_elf *elf, const struct ksp_patch *patches, size_t n,
		      const char *target);

#endif
