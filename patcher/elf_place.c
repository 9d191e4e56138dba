/* SPDX-License-Identifier: MIT */
/*
 * Where things are in the ELF file: the placeholder section, the count
 * symbol, and their offsets in a raw image.  A file offset comes from the
 * PT_LOAD that maps the address (as a loader sees it) and is cross-checked
 * against the section header.  The count symbol is looked up in .symtab
 * directly, not through libbfd's symbol table: dump and lookup need only it
 * and the placeholder, and reading every symbol through libbfd would be
 * most of their run time.
 */
#define _GNU_SOURCE /* memmem */
#define PACKAGE "ksympatch"
#define PACKAGE_VERSION "1"
#include <bfd.h>

#include <elf.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "elf_place.h"
#include "elf_raw.h"

int ksp_elf_raw_place(const struct ksp_elf *elf, uint64_t addr, uint64_t len, uint64_t *lma, uint64_t *off)
{
	const struct ksp_section *in = NULL;
	uint64_t base = UINT64_MAX;

	for (size_t i = 0; i < elf->nsections; i++) {
		const struct ksp_section *s = &elf->sections[i];

		if (!s->load)
			continue;
		if (s->lma < base)
			base = s->lma;
		if (addr >= s->vma && addr - s->vma <= s->size && len <= s->size - (addr - s->vma))
			in = s;
	}
	if (!in) {
		ksp_error(elf->path, "0x%llx is in no loaded section, so in no raw image of it",
			  (unsigned long long)addr);
		return -1;
	}
	*lma = in->lma + (addr - in->vma);
	*off = *lma - base;
	return 0;
}

/*
 * The file offset of [addr, addr + len) from the PT_LOAD that maps it, as a
 * loader sees it.  Returns how many PT_LOADs map it (the offset is the
 * first's): 0 is outside every segment's file bytes, 2 or more is two
 * overlapping segments, which would load the table twice.  -1: a PT_LOAD's
 * file bytes run past the end of the file (*off is that segment's index).
 */
static int load_offset(const struct ksp_elf *elf, uint64_t addr, uint64_t len, uint64_t *off)
{
	uint64_t phnum = elf_raw_phnum(elf);
	struct elf_load seg;
	int found = 0;

	for (uint64_t i = 0; i < phnum; i++) {
		if (!elf_raw_load(elf, i, &seg))
			continue;
		if (!elf_raw_is_in_file(elf, seg.offset, seg.filesz)) {
			*off = i;
			return -1;
		}
		if (addr < seg.vaddr || addr - seg.vaddr > seg.filesz || len > seg.filesz - (addr - seg.vaddr))
			continue;
		if (!found++)
			*off = seg.offset + (addr - seg.vaddr);
	}
	return found;
}

const char *ksp_elf_nobits_before(const struct ksp_elf *elf, const struct ksp_region *r, uint64_t *bytes)
{
	uint64_t phnum = elf_raw_phnum(elf), lo = 0, hi = 0;
	struct elf_load seg;
	struct elf_shdr sh;

	for (uint64_t i = 0; i < phnum; i++) { /* the file bytes of the segment that loads r */
		if (elf_raw_load(elf, i, &seg) && r->addr >= seg.vaddr && r->addr - seg.vaddr < seg.filesz) {
			lo = seg.vaddr;
			hi = seg.vaddr + seg.filesz;
		}
	}
	for (uint64_t i = 1; hi && elf_raw_shdr_header(elf, i, &sh); i++) {
		if (sh.type == SHT_NOBITS && (sh.flags & SHF_ALLOC) && sh.size && sh.addr >= lo &&
		    sh.addr < r->addr && sh.addr < hi) {
			*bytes = sh.size;
			return elf_raw_section_name(elf, &sh);
		}
	}
	return NULL;
}

/* Say what load_offset() found wrong, if anything; returns -1 then. */
static int check_load(const struct ksp_elf *elf, const char *what, int found, uint64_t off,
		      const char *hint)
{
	if (found == 1)
		return 0;
	if (found < 0)
		ksp_error(elf->path, "program header %llu maps file bytes past the end of the file; the ELF is truncated or damaged, relink it",
			  (unsigned long long)off);
	else if (found > 1)
		ksp_error(elf->path, "%s is mapped by %d overlapping PT_LOAD segments; relink, the program headers are inconsistent",
			  what, found);
	else
		ksp_error(elf->path, "%s lies outside every PT_LOAD segment's file bytes; %s", what, hint);
	return -1;
}

int ksp_elf_section(const struct ksp_elf *elf, const char *name, struct ksp_region *out)
{
	asection *s = bfd_get_section_by_name(elf->abfd, name);
	static const char hint[] =
		"INCLUDE linker_scripts/kernel_symbols.ld after .rodata and define the count with KSYM_DEFINE_COUNT() (which starts the section)";

	if (!s) {
		ksp_error(elf->path, "no section %s; INCLUDE linker_scripts/kernel_symbols.ld in the linker script",
			  name);
		return -1;
	}
	out->addr = bfd_section_vma(s);
	out->size = bfd_section_size(s);
	if (!(bfd_section_flags(s) & SEC_HAS_CONTENTS)) {
		ksp_error(elf->path, "[%s]: section has no file contents (NOBITS); %s", name, hint);
		return -1;
	}
	char what[300];

	snprintf(what, sizeof(what), "[%s]: section", name);
	if (check_load(elf, what, load_offset(elf, out->addr, out->size, &out->offset), out->offset, hint) < 0)
		return -1;
	if ((uint64_t)s->filepos != out->offset) {
		ksp_error(elf->path,
			  "[%s]: program headers put the section at file offset 0x%llx, its section header at 0x%llx; relink, the ELF is inconsistent",
			  name, (unsigned long long)out->offset, (unsigned long long)s->filepos);
		return -1;
	}
	return 0;
}

#define MAX_NAME_PLACES 16

/*
 * Where "name\0" lies in the string table: the st_name values a symbol of
 * that name can have (string tables share tails, so there may be several).
 * Returns how many (at most max), or max + 1 when there are more.
 */
static size_t name_places(const struct ksp_elf *elf, const struct elf_shdr *strtab, const char *name,
			  uint32_t *at, size_t max)
{
	const char *base = (const char *)elf->map + strtab->offset, *p = base, *end = base + strtab->size;
	size_t len = strlen(name) + 1, n = 0;

	while ((p = memmem(p, (size_t)(end - p), name, len)) != NULL) {
		if (n == max)
			return max + 1;
		at[n++] = (uint32_t)(p - base);
		p++;
	}
	return n;
}

/* Is entry st's name one of the n places (or, with n > MAX_NAME_PLACES, simply the name)? */
static int is_named(const struct ksp_elf *elf, const struct elf_shdr *strtab, uint64_t st_name, const char *name,
		    const uint32_t *at, size_t n)
{
	if (n > MAX_NAME_PLACES) {
		const char *sym = elf_raw_string(elf, strtab, st_name);

		return sym && !strcmp(sym, name);
	}
	for (size_t i = 0; i < n; i++)
		if (st_name == at[i])
			return 1;
	return 0;
}

/*
 * The count symbol: the global (or weak) definition, which is the one the
 * kernel's extern reference binds to.  A lone local one will do; several
 * local ones and no global one are refused, naming where they are.  The
 * name is found in the string table first, so the scan of .symtab compares
 * numbers, not strings (dump and lookup spend most of their start-up here).
 */
static int find_count_symbol(const struct ksp_elf *elf, const struct elf_shdr *symtab,
			     const struct elf_shdr *strtab, const char *name, uint64_t *entry)
{
	const struct elf_layout *L = elf_raw_layout(elf);
	uint32_t at[MAX_NAME_PLACES];
	size_t places = name_places(elf, strtab, name, at, MAX_NAME_PLACES);
	uint64_t found = 0, locals = 0;
	char where[160] = "";

	for (uint64_t k = 1; places && k < symtab->size / symtab->entsize; k++) {
		uint64_t st = symtab->offset + k * symtab->entsize;

		if (!is_named(elf, strtab, elf_raw_field(elf, st + L->st_name, 4), name, at, places))
			continue;

		uint64_t shndx = elf_raw_field(elf, st + L->st_shndx, 2);
		unsigned bind = (unsigned)elf_raw_field(elf, st + L->st_info, 1) >> 4;

		if (shndx == SHN_UNDEF || shndx >= SHN_LORESERVE)
			continue;
		if (bind == STB_GLOBAL || bind == STB_WEAK) {
			*entry = st;
			return 0;
		}
		size_t len = strlen(where);

		snprintf(where + len, sizeof(where) - len, "%s0x%llx", locals ? ", " : "",
			 (unsigned long long)elf_raw_field(elf, st + L->st_value, L->word));
		locals++;
		found = st;
	}
	if (locals == 1) {
		*entry = found;
		return 0;
	}
	if (locals)
		ksp_error(elf->path, "%llu local (static) definitions of %s and no global one, at %s; define it once with KSYM_DEFINE_COUNT() from <ksym/kernel.h>",
			  (unsigned long long)locals, name, where);
	else
		ksp_error(elf->path, "no symbol %s; define it with KSYM_DEFINE_COUNT() from <ksym/kernel.h>",
			  name);
	return -1;
}

int ksp_elf_count_symbol(const struct ksp_elf *elf, const char *name, struct ksp_region *out)
{
	const struct elf_layout *L = elf_raw_layout(elf);
	struct elf_shdr symtab, strtab, sec;
	uint64_t st;

	if (elf_raw_symtab(elf, &symtab, &strtab) < 0)
		return -1;
	int found = find_count_symbol(elf, &symtab, &strtab, name, &st);

	/* Scanned whole for one symbol: out of the resident set until the symbols are read, if they are. */
	ksp_elf_drop(elf, symtab.offset, symtab.size);
	ksp_elf_drop(elf, strtab.offset, strtab.size);
	if (found < 0)
		return -1;

	uint64_t shndx = elf_raw_field(elf, st + L->st_shndx, 2);

	out->addr = elf_raw_field(elf, st + L->st_value, L->word);
	out->size = elf_raw_field(elf, st + L->st_size, L->word);
	if (out->size != 8) {
		ksp_error(elf->path, "%s is %llu bytes, not 8; define it as a u64 (uint64_t)",
			  name, (unsigned long long)out->size);
		return -1;
	}
	if (!elf_raw_shdr(elf, shndx, &sec)) {
		ksp_error(elf->path, "%s: its section header is damaged; relink it", name);
		return -1;
	}
	if (sec.type == SHT_NOBITS) {
		ksp_error(elf->path,
			  "%s is in %s, which has no file contents; define it with KSYM_DEFINE_COUNT() from <ksym/kernel.h>",
			  name, elf_raw_section_name(elf, &sec));
		return -1;
	}
	if (check_load(elf, name, load_offset(elf, out->addr, 8, &out->offset), out->offset,
		       "define it with KSYM_DEFINE_COUNT() from <ksym/kernel.h>") < 0)
		return -1;

	uint64_t by_section = sec.offset + (out->addr - sec.addr);

	if (by_section != out->offset) {
		ksp_error(elf->path,
			  "%s: program headers put it at file offset 0x%llx, its section header at 0x%llx; relink, the ELF is inconsistent",
			  name, (unsigned long long)out->offset, (unsigned long long)by_section);
		return -1;
	}
	return 0;
}


int ksp_elf_shrink_fields(const struct ksp_elf *elf, const char *name, const struct ksp_region *r,
			  struct ksp_shrink *s)
{
	uint64_t phnum = elf_raw_phnum(elf), sec = elf_raw_section_index(elf, name);
	struct elf_load seg;

	for (uint64_t i = 0; sec && i < phnum; i++) {
		if (!elf_raw_load(elf, i, &seg) || r->addr < seg.vaddr || r->addr - seg.vaddr >= seg.filesz)
			continue;
		if (seg.memsz < seg.filesz || r->size > seg.filesz - (r->addr - seg.vaddr)) {
			ksp_error(elf->path, "--shrink: program header %llu is damaged (p_memsz below p_filesz, or [%s] runs past it); relink it",
				  (unsigned long long)i, name);
			return -1;
		}
		if (r->addr + r->size != seg.vaddr + seg.filesz || seg.memsz != seg.filesz) {
			ksp_error(elf->path, "--shrink: [%s] is not the last thing in its segment (program header %llu: %llu more bytes follow it in the file, %llu in memory); place it last in its MEMORY region, after .data's load image",
				  name, (unsigned long long)i,
				  (unsigned long long)(seg.vaddr + seg.filesz - (r->addr + r->size)),
				  (unsigned long long)(seg.memsz - (r->addr + r->size - seg.vaddr)));
			return -1;
		}
		*s = (struct ksp_shrink){ .sh_size_at = elf_raw_sh_size_at(elf, sec),
					  .p_filesz_at = elf_raw_p_filesz_at(elf, i),
					  .p_memsz_at = elf_raw_p_memsz_at(elf, i),
					  .p_filesz = seg.filesz,
					  .p_memsz = seg.memsz,
					  .width = (unsigned)elf->addr_size };
		return 0;
	}
	ksp_error(elf->path, "--shrink: cannot find [%s] among the section and program headers; relink it", name);
	return -1;
}
