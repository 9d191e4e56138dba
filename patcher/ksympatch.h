/* SPDX-License-Identifier: MIT */
/*
 * ksympatch internals: the plain data that flows from the ELF reader (elf.c)
 * through symbol selection (select.c) to the blob encoder (encode.c).  The
 * selection and the encoder know nothing of files or libbfd, so the unit
 * tests drive them with arrays.
 */
#ifndef KSYMPATCH_H
#define KSYMPATCH_H

#include <stddef.h>
#include <stdint.h>

/* What the ELF says about one section. */
struct ksp_section {
	uint64_t vma;
	uint64_t lma;       /* where it is loaded (AT()); objcopy -O binary lays sections out by it */
	uint64_t size;
	unsigned alloc : 1; /* SHF_ALLOC */
	unsigned code : 1;  /* SHF_EXECINSTR */
	unsigned load : 1;  /* loaded with file contents: in a raw image */
};

enum ksp_sym_kind { KSP_NOTYPE, KSP_FUNC, KSP_OBJECT, KSP_SECTION_SYM, KSP_FILE_SYM };
enum ksp_bind { KSP_GLOBAL, KSP_WEAK, KSP_LOCAL }; /* also the alias order */

/* One ELF symbol, as read (before selection). */
struct ksp_elf_sym {
	const char *name;
	uint64_t addr;
	uint64_t size;       /* st_size */
	int section;         /* index into the section array; -1: undefined or absolute */
	enum ksp_sym_kind kind;
	enum ksp_bind bind;
	char type;           /* nm's letter */
};

/* malloc() for arrays that may be large (alloc.c); free with free(). */
void *ksp_alloc(size_t size);

/* One selected symbol: what goes into a record. */
struct ksp_sym {
	uint64_t start;
	uint64_t size;
	const char *name;
	char type;
	uint8_t bind;
	uint8_t func; /* a function or a code label, not a data object */
	int section;  /* for size-0 labels; not encoded */
};

/*
 * Select the symbols that go into the table (rules in README.md), giving
 * size-0 code labels the distance to the next selected symbol in their
 * section, or to its end.  Writes up to n entries to out (which must hold n)
 * and returns how many; out comes back sorted in table order.
 */
size_t ksp_select(const struct ksp_elf_sym *in, size_t n,
		  const struct ksp_section *sections, size_t nsections, int machine,
		  struct ksp_sym *out);

/*
 * 1 when the name is on the skip list for an ELF of that e_machine: mapping
 * symbols by the architecture's rule, .L labels, linker thunks.
 */
int ksp_skip_name(const char *name, int machine);

/*
 * Sort selected symbols into table order: start, size, binding (global,
 * weak, local), fewer leading underscores (memcpy before __memcpy, as Linux
 * kallsyms prefers), name, type.  Lookups return the first alias.
 */
void ksp_sort(struct ksp_sym *syms, size_t n);

/* An encoded table, ready to be written over the placeholder. */
struct ksp_blob {
	unsigned char *data; /* malloc'd */
	size_t size;
	uint32_t count;
};

/*
 * Encode syms (already in table order) for a target with addr_size-byte
 * addresses and the given byte order.  Returns 0, or -1 with *why set
 * (allocation failure, a symbol too large for the format).
 */
int ksp_encode(const struct ksp_sym *syms, size_t n, int addr_size,
	       int big_endian, struct ksp_blob *out, const char **why);

/*
 * Fitting a table into the placeholder (fit.c).  The classes of symbol, in
 * the order --fit drops them: global functions are always kept.
 */
enum ksp_class { KSP_LOCAL_DATA, KSP_GLOBAL_DATA, KSP_LOCAL_FUNC, KSP_GLOBAL_FUNC, KSP_NCLASSES };

struct ksp_fit {
	size_t total[KSP_NCLASSES];   /* symbols of each class selected */
	size_t dropped[KSP_NCLASSES]; /* and dropped to fit */
};

/* Drop data objects (--functions-only), in place; returns how many remain. */
size_t ksp_keep_functions(struct ksp_sym *syms, size_t n);

/*
 * Encode syms (in table order) into at most capacity bytes, dropping
 * symbols as --fit does when they do not all fit: local data objects first,
 * then global data, then local functions, the longest names first within a
 * class; never a global function.  syms and *n are updated to what was
 * kept; *fit says what went.  Returns 0, or -1 with *why set (out of memory,
 * or it does not fit even then: out is then the smallest table tried).
 */
int ksp_encode_fit(struct ksp_sym *syms, size_t *n, uint64_t capacity, int addr_size,
		   int big_endian, struct ksp_blob *out, struct ksp_fit *fit, const char **why);

struct bfd;

/* --demangle (demangle.c): none, short (no parameter lists, no Rust hash), full (as nm -C). */
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

/* ---- I/O side: elf.c, write.c ---- */

/* "ksympatch: FILE: message" on stderr, one line. */
void ksp_error(const char *file, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* An ELF file opened for reading: mapped whole, symbols read through libbfd. */
struct ksp_image {
	const char *path;
	int fd;                   /* open, read-only, for copy_file_range() */
	const unsigned char *map; /* the whole file, read-only */
	size_t size;
	unsigned mode; /* st_mode permission bits */
	unsigned uid, gid; /* owner and group */
	unsigned long nlink; /* hard links */
	struct bfd *abfd;
	int addr_size;  /* 4 (ELF32) or 8 (ELF64) */
	int big_endian;
	int machine;    /* e_machine */
	struct ksp_section *sections;
	size_t nsections;
	struct ksp_elf_sym *syms;
	size_t nsyms;
};

/* A range of the file that maps a range of the loaded image. */
struct ksp_region {
	uint64_t addr;   /* VMA */
	uint64_t size;
	uint64_t offset; /* file offset, from the PT_LOAD that maps addr */
};

/* Each prints its one-line error and returns -1 on failure. */
int ksp_image_open(struct ksp_image *img, const char *path);
void ksp_image_close(struct ksp_image *img);
int ksp_image_section(const struct ksp_image *img, const char *name,
		      struct ksp_region *out);
int ksp_image_count_symbol(const struct ksp_image *img, const char *name,
			   struct ksp_region *out);

/*
 * The offset in a raw image of the ELF (objcopy -O binary) of the len bytes
 * at VMA addr: sections lie at their LMA less the lowest loaded LMA.
 */
int ksp_image_raw_offset(const struct ksp_image *img, uint64_t addr, uint64_t len, uint64_t *off);

/*
 * A NOBITS section (.bss) that the segment loading r also carries in the
 * file, before r (r after .bss makes the file carry .bss as zeros): its
 * name, with its size in *bytes; NULL if none.
 */
const char *ksp_image_nobits_before(const struct ksp_image *img, const struct ksp_region *r,
				    uint64_t *bytes);

/* A u64 in the image's byte order (libbfd's accessors). */
uint64_t ksp_image_get64(const struct ksp_image *img, const unsigned char *p);
void ksp_image_put64(const struct ksp_image *img, uint64_t v, unsigned char *p);

/* Read the image's symbols (libbfd), select and sort them; *out is malloc'd. */
int ksp_image_select(struct ksp_image *img, struct ksp_sym **out, size_t *n);

/* Bytes to write at a file offset; bytes == NULL writes len zeros. */
struct ksp_patch {
	uint64_t offset;
	const unsigned char *bytes;
	size_t len;
};

/*
 * Write a copy of img with the patches applied (sorted, not overlapping) to
 * target, atomically: a temporary file in target's directory, fsync, rename.
 * The copy keeps img's mode, owner, group and extended attributes (set-id
 * bits are dropped if the owner cannot be kept).  On failure target is
 * untouched and no temporary file is left.
 */
int ksp_write_patched(const struct ksp_image *img, const struct ksp_patch *patches,
		      size_t n, const char *target);

/* Remove the temporary file of a write under way, if any; async-signal-safe. */
void ksp_remove_temp(void);

#endif /* KSYMPATCH_H */
