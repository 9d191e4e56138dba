/* SPDX-License-Identifier: MIT */
/*
 * The pure core of ksympatch: the plain data that flows from the ELF reader
 * (elf_symbols.c) through symbol selection and sorting (select.c) to the
 * table encoder (encode.c, name_sort.c, tokens.c) and the fitting (fit.c).
 * Nothing declared here touches a file, stdio or libbfd, so the unit tests
 * drive it with arrays.  The I/O side has one header per file
 * (elf_file.h, write.h, diag.h, ...).
 *
 * Conventions, patcher-wide: an action returns 0, or -1 on failure (having
 * printed its one line, on the I/O side; with *why set, in the core); a
 * predicate is named is_ or has_ and returns 1 or 0; only main() exits.
 */
#ifndef KSYMPATCH_H
#define KSYMPATCH_H

#include <stddef.h>
#include <stdint.h>

/* The number of elements of an array (host code; the runtime has KSYM_ARRAY_SIZE). */
#define KSP_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

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
	uint8_t kind;        /* enum ksp_sym_kind; a byte, as bind, to keep the array small */
	uint8_t bind;        /* enum ksp_bind */
	char type;           /* nm's letter */
};

/* malloc() for arrays that may be large (alloc.c); free with free(). */
void *ksp_alloc(size_t size);

/* One selected symbol: what goes into a record. */
struct ksp_sym {
	uint64_t start;
	uint64_t size;
	const char *name;
	uint64_t bound;     /* not encoded: the last byte a size-0 label may reach (a stub's enclosing function) */
	int section;        /* not encoded; for sizing size-0 labels */
	char type;
	uint8_t bind;
	uint8_t func;       /* a function or a code label, not a data object */
	uint8_t typed_func; /* not encoded: the assembler typed it a function (STT_FUNC) */
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
int ksp_is_skipped_name(const char *name, int machine);

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

#endif /* KSYMPATCH_H */
