/* SPDX-License-Identifier: MIT */
/*
 * --demangle: store names as people read them.  C++ (Itanium) and Rust
 * (legacy _ZN...17h<hash>E and v0 _R...) go through libiberty's demangler
 * the way binutils calls it (bfd_demangle, which also minds a target's
 * leading underscore and an @version suffix).
 *
 *   short  (--demangle)       no parameter lists: ns::Class::method, and
 *                             Rust without its hash: core::fmt::write.  A
 *                             backtrace stays one short line per frame and
 *                             more symbols fit.  C++ reads as `c++filt -p`.
 *   full   (--demangle=full)  with parameter lists, exactly as `nm -C`
 *                             prints (which drops Rust's hash as well).
 *
 * Names that are not mangled stay as they are.  Overloads that collapse
 * to one text stay separate symbols; a name lookup returns each of them.
 */
#include <bfd.h>
#include <libiberty/demangle.h>
#include <stdlib.h>

#include "demangle.h"

int ksp_demangle(struct bfd *abfd, struct ksp_sym *syms, size_t n, enum ksp_demangle style,
		 char ***owned, size_t *nowned)
{
	int flags = DMGL_ANSI | (style == KSP_DEMANGLE_FULL ? DMGL_PARAMS : 0);
	size_t m = 0;

	*owned = NULL;
	*nowned = 0;
	if (style == KSP_DEMANGLE_NONE || !n)
		return 0;
	*owned = malloc(n * sizeof(**owned));
	if (!*owned)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char *name = bfd_demangle(abfd, syms[i].name, flags);

		if (name)
			syms[i].name = (*owned)[m++] = name;
	}
	*nowned = m;
	/* Aliases at one address are ordered by name: the new names decide. */
	ksp_sort(syms, n);
	return 0;
}

void ksp_free_names(char **owned, size_t n)
{
	while (n)
		free(owned[--n]);
	free(owned);
}
