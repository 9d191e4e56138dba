/* SPDX-License-Identifier: MIT */
/*
 * The ELF headers read straight from the mapped bytes (elf_raw.c), for what
 * Debian's installed libbfd does not offer: program headers, st_size, the
 * .symtab entries.  For the elf_*.c files only.
 */
#ifndef KSP_ELF_RAW_H
#define KSP_ELF_RAW_H

#include <stddef.h>
#include <stdint.h>

struct ksp_elf;

/* Where the fields we read sit, for each ELF class. */
struct elf_layout {
	size_t e_phoff, e_shoff, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
	size_t phdr_size, p_type, p_offset, p_vaddr, p_filesz, p_memsz;
	size_t shdr_size, sh_name, sh_type, sh_flags, sh_addr, sh_offset, sh_size, sh_link, sh_entsize;
	size_t sym_size, st_name, st_info, st_value, st_size, st_shndx;
	int word; /* bytes in an address or offset field */
};

const struct elf_layout *elf_raw_layout(const struct ksp_elf *elf);

/* A field of width bytes at off, in the file's byte order; off is checked by the caller. */
uint64_t elf_raw_field(const struct ksp_elf *elf, uint64_t off, int width);

/* One section header, as the file has it. */
struct elf_shdr {
	uint64_t name, type, flags, addr, offset, size, link, entsize;
};

/* Section header i: 1, or 0 when it lies outside the file. */
int elf_raw_shdr_header(const struct ksp_elf *elf, uint64_t i, struct elf_shdr *sh);

/* Section header i: 1, or 0 when it, or its file bytes, lie outside the file. */
int elf_raw_shdr(const struct ksp_elf *elf, uint64_t i, struct elf_shdr *sh);

/* The NUL-terminated string at off in string table st, or NULL. */
const char *elf_raw_string(const struct ksp_elf *elf, const struct elf_shdr *st, uint64_t off);

/* A section's name from .shstrtab, or "?". */
const char *elf_raw_section_name(const struct ksp_elf *elf, const struct elf_shdr *sh);

/*
 * .symtab and its string table, checked: entries at least an ELF symbol
 * wide, a string table that ends in a NUL.  Prints the error and returns -1
 * when there is none or either is damaged.
 */
int elf_raw_symtab(const struct ksp_elf *elf, struct elf_shdr *symtab, struct elf_shdr *strtab);

/* The index of the section called name, or 0 when there is none (raw: section headers, .shstrtab). */
uint64_t elf_raw_section_index(const struct ksp_elf *elf, const char *name);

/* File offsets of section header i's sh_size and of program header i's p_filesz and p_memsz. */
uint64_t elf_raw_sh_size_at(const struct ksp_elf *elf, uint64_t i);
uint64_t elf_raw_p_filesz_at(const struct ksp_elf *elf, uint64_t i);
uint64_t elf_raw_p_memsz_at(const struct ksp_elf *elf, uint64_t i);

/* One PT_LOAD program header. */
struct elf_load {
	uint64_t offset, vaddr, filesz, memsz;
};

/* The number of program headers; 0 when their table runs past the file. */
uint64_t elf_raw_phnum(const struct ksp_elf *elf);

/* Program header i (< elf_raw_phnum()): 1 and *seg when it is a PT_LOAD, else 0. */
int elf_raw_load(const struct ksp_elf *elf, uint64_t i, struct elf_load *seg);

/* Is [off, off + len) inside the file? */
int elf_raw_is_in_file(const struct ksp_elf *elf, uint64_t off, uint64_t len);

#endif
