/* SPDX-License-Identifier: MIT */
/* --demangle (demangle.c): names as people read them, through libiberty. */
#ifndef KSP_DEMANGLE_H
#define KSP_DEMANGLE_H

#include <stddef.h>

#include "ksympatch.h"

struct bfd;

/* none, short (no parameter lists, no Rust hash), full (as nm -C). */
enum ksp_demangle { KSP_DEMANGLE_NONE, KSP_DEMANGLE_SHORT, KSP_DEMANGLE_FULL };

/*
 * Replace each mangled name in syms by its demangled text in the given
 * style (libiberty, through bfd_demangle) and sort them again.  The new
 * names are malloc'd: *owned (*nowned of them) until ksp_free_names().
 * Returns 0, or -1 when out of memory (syms untouched).
 */
int ksp_demangle(struct bfd *abfd, struct ksp_sym *syms, size_t n, enum ksp_demangle style,
		 char ***owned, size_t *nowned);
void ksp_free_names(char **owned, size_t n);

#endif
