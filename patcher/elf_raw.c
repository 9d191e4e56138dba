/* SPDX-License-Identifier: MIT */
/*
 * ELF headers from the mapped bytes: the section headers, the string
 * tables, .symtab and the program headers, through libbfd's byte-order
 * accessors, every offset bounds-checked against the file.  Each walk is
 * written once here; elf_place.c and elf_symbols.c ask.
 */
#define PACKAGE "ksympatch"
#define PACKAGE_VERSION "1"
#include <bfd.h>

#include <elf.h>
#include <stddef.h>
#include <string.h>

#include "diag.h"
#include "elf_file.h"
#include "elf_raw.h"

#define LAYOUT(C)                                                                  \
	{                                                                          \
		offsetof(Elf##C##_Ehdr, e_phoff), offsetof(Elf##C##_Ehdr, e_shoff),       \
		offsetof(Elf##C##_Ehdr, e_phentsize), offsetof(Elf##C##_Ehdr, e_phnum),   \
		offsetof(Elf##C##_Ehdr, e_shentsize), offsetof(Elf##C##_Ehdr, e_shnum),   \
		offsetof(Elf##C##_Ehdr, e_shstrndx),                                       \
		sizeof(Elf##C##_Phdr), offsetof(Elf##C##_Phdr, p_type),                    \
		offsetof(Elf##C##_Phdr, p_offset), offsetof(Elf##C##_Phdr, p_vaddr),      \
		offsetof(Elf##C##_Phdr, p_filesz), offsetof(Elf##C##_Phdr, p_memsz),      \
		sizeof(Elf##C##_Shdr), offsetof(Elf##C##_Shdr, sh_name),                   \
		offsetof(Elf##C##_Shdr, sh_type), offsetof(Elf##C##_Shdr, sh_flags),      \
		offsetof(Elf##C##_Shdr, sh_addr),                                          \
		offsetof(Elf##C##_Shdr, sh_offset), offsetof(Elf##C##_Shdr, sh_size),     \
		offsetof(Elf##C##_Shdr, sh_link), offsetof(Elf##C##_Shdr, sh_entsize),    \
		sizeof(Elf##C##_Sym), offsetof(Elf##C##_Sym, st_name),                     \
		offsetof(Elf##C##_Sym, st_info),                                           \
		offsetof(Elf##C##_Sym, st_value), offsetof(Elf##C##_Sym, st_size),        \
		offsetof(Elf##C##_Sym, st_shndx), C / 8,                                   \
	}

static const struct elf_layout layout32 = LAYOUT(32);
static const struct elf_layout layout64 = LAYOUT(64);

const struct elf_layout *elf_raw_layout(const struct ksp_elf *elf)
{
	return elf->addr_size == 8 ? &layout64 : &layout32;
}

uint64_t elf_raw_field(const struct ksp_elf *elf, uint64_t off, int width)
{
	const unsigned char *p = elf->map + off;
	bfd *abfd = elf->abfd;

	switch (width) {
	case 1:
		return p[0];
	case 2:
		return bfd_get_16(abfd, p);
	case 4:
		return bfd_get_32(abfd, p);
	default:
		return bfd_get_64(abfd, p);
	}
}

int elf_raw_is_in_file(const struct ksp_elf *elf, uint64_t off, uint64_t len)
{
	return off <= elf->size && len <= elf->size - off;
}

/* Is the table of n entries of entsize bytes at off inside the file? */
static int is_table_in_file(const struct ksp_elf *elf, uint64_t off, uint64_t n, uint64_t entsize,
			    uint64_t min_entsize)
{
	return entsize >= min_entsize && n <= elf->size / entsize && elf_raw_is_in_file(elf, off, n * entsize);
}

/*
 * The number of section headers.  With 0xff00 (SHN_LORESERVE) or more,
 * e_shnum is 0 and section 0's sh_size holds it (ELF extended numbering, as
 * binutils reads it); likewise e_shstrndx is SHN_XINDEX and section 0's
 * sh_link holds that.
 */
static uint64_t section_count(const struct ksp_elf *elf)
{
	const struct elf_layout *L = elf_raw_layout(elf);
	uint64_t shoff = elf_raw_field(elf, L->e_shoff, L->word);
	uint64_t shnum = elf_raw_field(elf, L->e_shnum, 2);

	if (shnum == 0 && shoff && elf_raw_is_in_file(elf, shoff, L->shdr_size))
		shnum = elf_raw_field(elf, shoff + L->sh_size, L->word);
	return shnum;
}

static uint64_t shstrtab_index(const struct ksp_elf *elf)
{
	const struct elf_layout *L = elf_raw_layout(elf);
	uint64_t shoff = elf_raw_field(elf, L->e_shoff, L->word);
	uint64_t i = elf_raw_field(elf, L->e_shstrndx, 2);

	if (i == SHN_XINDEX && shoff && elf_raw_is_in_file(elf, shoff, L->shdr_size))
		i = elf_raw_field(elf, shoff + L->sh_link, 4);
	return i;
}

int elf_raw_shdr_header(const struct ksp_elf *elf, uint64_t i, struct elf_shdr *sh)
{
	const struct elf_layout *L = elf_raw_layout(elf);
	uint64_t shoff = elf_raw_field(elf, L->e_shoff, L->word);
	uint64_t shentsize = elf_raw_field(elf, L->e_shentsize, 2);
	uint64_t shnum = section_count(elf);
	uint64_t h = shoff + i * shentsize;

	if (i >= shnum || !is_table_in_file(elf, shoff, shnum, shentsize, L->shdr_size))
		return 0;
	*sh = (struct elf_shdr){
		.name = elf_raw_field(elf, h + L->sh_name, 4),
		.type = elf_raw_field(elf, h + L->sh_type, 4),
		.flags = elf_raw_field(elf, h + L->sh_flags, L->word),
		.addr = elf_raw_field(elf, h + L->sh_addr, L->word),
		.offset = elf_raw_field(elf, h + L->sh_offset, L->word),
		.size = elf_raw_field(elf, h + L->sh_size, L->word),
		.link = elf_raw_field(elf, h + L->sh_link, 4),
		.entsize = elf_raw_field(elf, h + L->sh_entsize, L->word),
	};
	return 1;
}

int elf_raw_shdr(const struct ksp_elf *elf, uint64_t i, struct elf_shdr *sh)
{
	return elf_raw_shdr_header(elf, i, sh) &&
	       (sh->type == SHT_NOBITS || elf_raw_is_in_file(elf, sh->offset, sh->size));
}

const char *elf_raw_string(const struct ksp_elf *elf, const struct elf_shdr *st, uint64_t off)
{
	if (st->type != SHT_STRTAB || off >= st->size)
		return NULL;

	const char *p = (const char *)elf->map + st->offset + off;

	return memchr(p, '\0', st->size - off) ? p : NULL;
}

const char *elf_raw_section_name(const struct ksp_elf *elf, const struct elf_shdr *sh)
{
	struct elf_shdr shstrtab;
	const char *name = NULL;

	if (elf_raw_shdr(elf, shstrtab_index(elf), &shstrtab))
		name = elf_raw_string(elf, &shstrtab, sh->name);
	return name ? name : "?";
}

/*
 * The .symtab section header; prints the error when there is none, or it
 * or any section before it runs past the end of the file (each named).
 */
static int find_symtab(const struct ksp_elf *elf, struct elf_shdr *out)
{
	const struct elf_layout *L = elf_raw_layout(elf);
	uint64_t shnum = section_count(elf);

	for (uint64_t i = 0; i < shnum; i++) {
		if (!elf_raw_shdr_header(elf, i, out)) {
			ksp_error(elf->path, "section headers run past the end of the file (truncated?)");
			return -1;
		}
		if (out->type != SHT_NOBITS && !elf_raw_is_in_file(elf, out->offset, out->size)) {
			ksp_error(elf->path, "%s claims %llu bytes at file offset 0x%llx, past the end of the file (%zu bytes); the ELF is truncated or damaged, relink it",
				  elf_raw_section_name(elf, out), (unsigned long long)out->size,
				  (unsigned long long)out->offset, elf->size);
			return -1;
		}
		if (out->type != SHT_SYMTAB)
			continue;
		if (out->entsize < L->sym_size) {
			ksp_error(elf->path, ".symtab has entries of %llu bytes; relink it",
				  (unsigned long long)out->entsize);
			return -1;
		}
		return 0;
	}
	ksp_error(elf->path, "no symbol table (stripped?); patch the ELF before stripping it");
	return -1;
}

int elf_raw_symtab(const struct ksp_elf *elf, struct elf_shdr *symtab, struct elf_shdr *strtab)
{
	if (find_symtab(elf, symtab) < 0)
		return -1;
	if (!elf_raw_shdr(elf, symtab->link, strtab)) {
		ksp_error(elf->path, ".symtab's string table is damaged; relink it");
		return -1;
	}
	/* A string table ends in a NUL (ELF): one that does not is damaged, not short of a name. */
	if (strtab->type != SHT_STRTAB || !strtab->size || elf->map[strtab->offset + strtab->size - 1]) {
		ksp_error(elf->path, ".symtab's string table is damaged (it does not end in a NUL); relink it");
		return -1;
	}
	return 0;
}

uint64_t elf_raw_phnum(const struct ksp_elf *elf)
{
	const struct elf_layout *L = elf_raw_layout(elf);
	uint64_t phoff = elf_raw_field(elf, L->e_phoff, L->word);
	uint64_t phentsize = elf_raw_field(elf, L->e_phentsize, 2);
	uint64_t phnum = elf_raw_field(elf, L->e_phnum, 2);

	return is_table_in_file(elf, phoff, phnum, phentsize, L->phdr_size) ? phnum : 0;
}

static uint64_t phdr_at(const struct ksp_elf *elf, uint64_t i)
{
	const struct elf_layout *L = elf_raw_layout(elf);

	return elf_raw_field(elf, L->e_phoff, L->word) + i * elf_raw_field(elf, L->e_phentsize, 2);
}

int elf_raw_load(const struct ksp_elf *elf, uint64_t i, struct elf_load *seg)
{
	const struct elf_layout *L = elf_raw_layout(elf);
	uint64_t ph = phdr_at(elf, i);

	if (elf_raw_field(elf, ph + L->p_type, 4) != PT_LOAD)
		return 0;
	seg->offset = elf_raw_field(elf, ph + L->p_offset, L->word);
	seg->vaddr = elf_raw_field(elf, ph + L->p_vaddr, L->word);
	seg->filesz = elf_raw_field(elf, ph + L->p_filesz, L->word);
	seg->memsz = elf_raw_field(elf, ph + L->p_memsz, L->word);
	return 1;
}

uint64_t elf_raw_section_index(const struct ksp_elf *elf, const char *name)
{
	uint64_t shnum = section_count(elf);
	struct elf_shdr sh;

	for (uint64_t i = 1; i < shnum; i++)
		if (elf_raw_shdr_header(elf, i, &sh) && !strcmp(elf_raw_section_name(elf, &sh), name))
			return i;
	return 0;
}

uint64_t elf_raw_sh_size_at(const struct ksp_elf *elf, uint64_t i)
{
	const struct elf_layout *L = elf_raw_layout(elf);

	return elf_raw_field(elf, L->e_shoff, L->word) + i * elf_raw_field(elf, L->e_shentsize, 2) + L->sh_size;
}


uint64_t elf_raw_p_filesz_at(const struct ksp_elf *elf, uint64_t i)
{
	return phdr_at(elf, i) + elf_raw_layout(elf)->p_filesz;
}

uint64_t elf_raw_p_memsz_at(const struct ksp_elf *elf, uint64_t i)
{
	return phdr_at(elf, i) + elf_raw_layout(elf)->p_memsz;
}
