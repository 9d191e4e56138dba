/* SPDX-License-Identifier: MIT */
/*
 * The ELF's symbols: libbfd gives each one's flags, section, value and
 * nm's type letter; Debian's installed bfd.h does not declare st_size (it
 * lives behind the uninstalled elf-bfd.h), so the sizes come from the
 * .symtab entries themselves (elf_raw.c).  libbfd's symbol i is .symtab
 * entry i + 1 (libbfd drops only the null symbol); the value and the name
 * of each pair are compared to catch any mismatch.
 *
 * libbfd's copy of the symbol table (its symbols and its own copy of
 * .strtab: 136 MB at a million symbols) lives in a bfd of its own on the
 * same file, closed as soon as the symbols are copied: the names then point
 * into the mapped .strtab, and the rest of the run does without it.
 */
#define PACKAGE "ksympatch"
#define PACKAGE_VERSION "1"
#include <bfd.h>

#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "elf_symbols.h"
#include "elf_raw.h"

/*
 * Is libbfd's name of s the string at st_name in .strtab, which the file
 * maps at str?  libbfd's names lie in its one copy of .strtab, each at its
 * st_name: once one name is seen to be equal there, a name at the same
 * place in that copy (*base, the copy's address less st_name) is equal by
 * its address, without touching the mapped .strtab meanwhile.  A section
 * symbol's name is its section's in libbfd and usually empty in .strtab:
 * not compared.
 */
static int is_same_name(const asymbol *s, uint64_t st_name, const char *str, uintptr_t *base)
{
	uintptr_t at = (uintptr_t)s->name - (uintptr_t)st_name;

	if ((s->flags & BSF_SECTION_SYM) || (*base && at == *base))
		return 1;
	if (strcmp(s->name, str))
		return 0;
	*base = at;
	return 1;
}

#define DROP_EVERY 65536 /* .symtab entries read between two ksp_elf_drop()s of them */

/*
 * st_size of every symbol, read from .symtab, and its name where the file
 * is mapped (libbfd's copy goes with its bfd); libbfd's symbol i is entry i + 1.
 */
static int read_symbol_sizes(struct ksp_elf *elf, asymbol **bsyms)
{
	const struct elf_layout *L = elf_raw_layout(elf);
	struct elf_shdr symtab, strtab;
	uintptr_t base = 0;

	if (elf_raw_symtab(elf, &symtab, &strtab) < 0)
		return -1;
	if (symtab.size / symtab.entsize != elf->nsyms + 1) {
		ksp_error(elf->path, ".symtab has %llu entries but libbfd read %zu symbols",
			  (unsigned long long)(symtab.size / symtab.entsize), elf->nsyms);
		return -1;
	}
	for (size_t k = 0; k < elf->nsyms; k++) {
		uint64_t st = symtab.offset + (k + 1) * symtab.entsize;
		uint64_t value = elf_raw_field(elf, st + L->st_value, L->word);
		uint64_t name = elf_raw_field(elf, st + L->st_name, 4);
		/* .strtab ends in a NUL (elf_raw_symtab()): any offset inside it starts a string, unread here. */
		const char *str = name < strtab.size ? (const char *)elf->map + strtab.offset + name : NULL;

		/* libbfd names such a symbol "(null)" and carries on: a damaged ELF, not a name. */
		if (!str) {
			ksp_error(elf->path, ".symtab entry %zu has no name string (st_name 0x%llx past .strtab's %llu bytes); the ELF is damaged, relink it",
				  k + 1, (unsigned long long)name, (unsigned long long)strtab.size);
			return -1;
		}
		if (!bfd_is_und_section(bsyms[k]->section) && !bfd_is_com_section(bsyms[k]->section) &&
		    value != bfd_asymbol_value(bsyms[k])) {
			char *name = ksp_escaped(bsyms[k]->name);

			ksp_error(elf->path, "symbol %s: .symtab says 0x%llx, libbfd 0x%llx", name ? name : "?",
				  (unsigned long long)value, (unsigned long long)bfd_asymbol_value(bsyms[k]));
			free(name);
			return -1;
		}
		if (!is_same_name(bsyms[k], name, str, &base)) {
			char *name = ksp_escaped(bsyms[k]->name);

			ksp_error(elf->path, "symbol %s: .symtab entry %zu names another string; the ELF is damaged, relink it",
				  name ? name : "?", k + 1);
			free(name);
			return -1;
		}
		elf->syms[k].name = str;
		elf->syms[k].size = elf_raw_field(elf, st + L->st_size, L->word);
		if ((k + 1) % DROP_EVERY == 0) /* the entries read: not needed again */
			ksp_elf_drop(elf, st + symtab.entsize - DROP_EVERY * symtab.entsize, DROP_EVERY * symtab.entsize);
	}
	ksp_elf_drop(elf, symtab.offset, symtab.size);
	return 0;
}

/* One libbfd symbol as the selection sees it (st_size comes later, from .symtab). */
static struct ksp_elf_sym from_bfd(asymbol *s)
{
	flagword f = s->flags;
	asection *sec = s->section;

	return (struct ksp_elf_sym){
		.name = s->name ? s->name : "",
		.addr = bfd_asymbol_value(s),
		.section = (bfd_is_und_section(sec) || bfd_is_abs_section(sec) || bfd_is_com_section(sec) ||
			    !sec->owner)
				   ? -1
				   : (int)sec->index,
		.kind = (f & BSF_SECTION_SYM) ? KSP_SECTION_SYM
			: (f & BSF_FILE)       ? KSP_FILE_SYM
			: (f & BSF_FUNCTION)   ? KSP_FUNC
			: (f & BSF_OBJECT)     ? KSP_OBJECT
					       : KSP_NOTYPE,
		.bind = (f & BSF_WEAK) ? KSP_WEAK : (f & (BSF_GLOBAL | BSF_GNU_UNIQUE)) ? KSP_GLOBAL : KSP_LOCAL,
		.type = (char)bfd_decode_symclass(s),
	};
}

/*
 * A Thumb function's value has bit 0 set (the ARM ELF ABI); its code
 * starts at the even address, where nm and addr2line put it.  The host's
 * libbfd has no ARM back end to clear it, so clear it here, for functions
 * and for labels in code (.thumb_func).
 */
static void clear_thumb_bits(struct ksp_elf *elf)
{
	for (size_t i = 0; i < elf->nsyms; i++) {
		struct ksp_elf_sym *s = &elf->syms[i];

		if (s->kind == KSP_FUNC || (s->kind == KSP_NOTYPE && s->section >= 0 &&
					    (size_t)s->section < elf->nsections && elf->sections[s->section].code))
			s->addr &= ~(uint64_t)1;
	}
}

/* The symbols, through a bfd of their own, closed before this returns. */
static int read_symbols(struct ksp_elf *elf)
{
	bfd *abfd = ksp_elf_bfd_again(elf);
	long bound = abfd ? bfd_get_symtab_upper_bound(abfd) : -1, n;
	asymbol **bsyms = NULL;
	int ret = -1;

	if (!abfd)
		return -1;
	if (bound < 0) {
		ksp_error(elf->path, "cannot read the symbol table: %s", bfd_errmsg(bfd_get_error()));
		goto out;
	}
	bsyms = ksp_alloc((size_t)bound);
	if (!bsyms) {
		ksp_error(elf->path, "out of memory");
		goto out;
	}
	n = bfd_canonicalize_symtab(abfd, bsyms);
	if (n < 0) {
		ksp_error(elf->path, "cannot read the symbol table: %s", bfd_errmsg(bfd_get_error()));
		goto out;
	}
	if (n == 0) {
		ksp_error(elf->path, "no symbol table (stripped?); patch the ELF before stripping it");
		goto out;
	}
	elf->nsyms = (size_t)n;
	elf->syms = ksp_alloc((size_t)n * sizeof(*elf->syms));
	if (!elf->syms) {
		ksp_error(elf->path, "out of memory");
		goto out;
	}
	for (long i = 0; i < n; i++)
		elf->syms[i] = from_bfd(bsyms[i]);
	ret = read_symbol_sizes(elf, bsyms);
	if (!ret && elf->machine == EM_ARM)
		clear_thumb_bits(elf);
out:
	free(bsyms);
	bfd_close(abfd);
	return ret;
}

int ksp_elf_select(struct ksp_elf *elf, struct ksp_sym **out, size_t *n)
{
	if (!elf->syms && read_symbols(elf) < 0)
		return -1;
	*out = ksp_alloc(elf->nsyms * sizeof(**out));
	if (!*out) {
		ksp_error(elf->path, "out of memory");
		return -1;
	}
	*n = ksp_select(elf->syms, elf->nsyms, elf->sections, elf->nsections, elf->machine, *out);
	/* The selection holds what is needed (names point into the mapped file): lower the peak. */
	free(elf->syms);
	elf->syms = NULL;
	return 0;
}
