/* SPDX-License-Identifier: MIT */
/*
 * boot.S's early hook for a kernel that runs where it is loaded (MMU off):
 * nothing to do.  A board that must do something first (turn the MMU on,
 * see board/plat/virt-higherhalf/early.S) brings its own aarch64_early
 * instead of this file, and ends it with a jump to aarch64_start_kernel.
 */
#include "asm_macros.h"

	.section .text.boot, "ax"

FUNCTION(aarch64_early)
	b	aarch64_start_kernel
END_FUNCTION(aarch64_early)

	.section .note.GNU-stack, "", %progbits
