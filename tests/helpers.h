/* Test helpers: run a command and capture its output, files, fixtures. */
#ifndef TESTS_HELPERS_H
#define TESTS_HELPERS_H

#include <stddef.h>
#include <stdint.h>

struct run {
	int status; /* exit status, or -1 when killed */
	char *out;
	char *err;
};

/* Run a shell command (printf-style), capturing stdout and stderr. */
struct run run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void run_free(struct run *r);

char *read_file(const char *path, size_t *len);
void write_file(const char *path, const void *data, size_t len);

/* $KSYM_BUILD (default build), build/ksympatch, build/fixtures/NAME.elf, the cross prefix. */
const char *build_dir(void);
const char *tool(void);
const char *fixture(const char *name);
const char *cross(void);

/* A fresh directory under /tmp, and a copy of a fixture (or any file) in one. */
char *tmp_dir(void);
char *tmp_copy(const char *fixture_name);
char *tmp_copy_of(const char *path);

/* One line of `nm -n -S` or `ksympatch dump`. */
struct nm_line {
	uint64_t start;
	uint64_t size;
	int has_size;
	char type;
	char name[640]; /* the llvm fixture's names run to 545 bytes */
	char text[700]; /* the whole line */
};

/* Parse nm-style text into a malloc'd array; returns the count. */
size_t parse_nm(const char *text, struct nm_line **out);

/* File offset of a section (readelf -S) and of a symbol (nm + readelf -l PT_LOAD). */
uint64_t section_file_offset(const char *elf, const char *section);
uint64_t symbol_file_offset(const char *elf, const char *symbol);
uint64_t vaddr_file_offset(const char *elf, uint64_t vma);

/* File offset and size of a section, from readelf -SW. */
void section_bytes(const char *elf, const char *name, uint64_t *off, uint64_t *size);

/* Overwrite len bytes of a file at offset. */
void poke_file(const char *path, uint64_t offset, const void *bytes, size_t len);

/* Number of lines in text. */
size_t count_lines(const char *text);

/* A fixture ELF the patcher must handle, with the binutils of its architecture. */
struct fix {
	char name[32];
	char binutils[32]; /* the architecture's binutils prefix; empty: CROSS_COMPILE's */
	int machine;       /* e_machine */
};

/* Every fixture the patcher must handle, and their number. */
extern struct fix good_fixtures[];
extern const size_t n_good_fixtures;

/* nm and addr2line for the fixture's architecture. */
const char *fix_binutils(const struct fix *f);

/*
 * Patch a copy of a fixture with options ("" for none); returns the copy's
 * path.  With r, the run is left there for the caller to check; without,
 * the patch must succeed.
 */
char *patch_copy(const char *fixture_name, const char *options, struct run *r);

/* nm's line for (start, name) in v, or NULL. */
const struct nm_line *nm_find(const struct nm_line *v, size_t n, uint64_t start, const char *name);

/*
 * readelf -SW's section lines, less their "[N]", through an awk program:
 * $1 name, $2 type, $3 address, $4 offset, $5 size, $7 flags.
 */
struct run readelf_sections(const char *elf, const char *awk);

/* A failure as ksympatch reports one: exit 1, one line on stderr naming the file and saying phrase. */
void expect_failure(struct run *r, const char *file, const char *phrase);

/*
 * Run a command (printf-style) that must fail as ksympatch fails
 * (expect_failure: exit 1, one line naming file and saying phrase) and
 * leave file byte for byte as it was.  Returns the run, for more checks.
 */
struct run expect_refused(const char *file, const char *phrase, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A file under the build directory (a new string). */
char *build_path(const char *name);

/* The fault-injection shim (tests/fault_inject.c), for LD_PRELOAD. */
const char *fault_shim(void);

/* Files in elf's directory other than elf itself (temporary files left behind). */
int strays(const char *elf);

/* Are the two byte strings equal? */
int same_bytes(const char *a, size_t la, const char *b, size_t lb);

/* Seconds on the monotonic clock. */
double now_s(void);

/* Start `ksympatch patch elf`, send it sig after delay seconds (< 0: never); its exit status or -1. */
int patch_and_signal(const char *elf, double delay, int sig);

/*
 * What binutils (cross: their prefix) says about addr, looked up at `at`:
 * the name addr2line -f gives, with nm -S's start and size, as
 * name+0xoff/0xsize, or "??".  demangle: -C to both.  Where code of an
 * inlined function lies at `at`, the name is that of the function it was
 * inlined into, the one with a symbol (the last of addr2line -i's names).
 */
void addr2line_text(const char *cross, const char *elf, uint64_t addr, uint64_t at, int demangle, char *out,
		    size_t len);

/* The value of key= in build/boards/BOARD.env (board/board.mk writes it), malloc'd. */
char *board_env(const char *board, const char *key);

/*
 * A tiny AArch64 kernel from assembly: code (in .text.boot) and the
 * placeholder and count every kernel has, assembled, linked with the
 * fixtures' script and patched.  Returns the directory holding k.elf.
 */
char *asm_kernel(const char *code);

/* The same, linked with a placeholder of table_size bytes (0: the script's default) and not patched. */
char *asm_kernel_unpatched(const char *code, unsigned table_size);

/* A struct ksp_sym (ksympatch.h) for the encoder, in an initialiser. */
#define SYM(start_, size_, name_, type_, bind_) \
	{ .start = (start_), .size = (size_), .name = (name_), .type = (type_), .bind = (bind_) }

/* A u32 field of a table, in the byte order its header names. */
uint32_t table_u32(const unsigned char *table, size_t off);

/* Bytes of a block offset or a name restart in a table: 2 with KSYM_FLAG_SHORT, else 4. */
unsigned table_off_size(const unsigned char *table);

/* Where block b's index entry is in a little-endian table with u32 heads. */
uint32_t table_block_entry(const unsigned char *table, uint32_t b);

/* Name restart r of a little-endian table: its offset in the name stream. */
uint32_t table_restart(const unsigned char *table, uint32_t r);

/* Recompute a little-endian table's checksum after a test damaged it on purpose. */
void table_reseal(unsigned char *table);

/* Tokens of a little-endian table; code k (0, 1) of token i's pair, and setting both (either width). */
unsigned table_ntok(const unsigned char *table);
unsigned table_pair(const unsigned char *table, unsigned i, int k);
void table_set_pair(unsigned char *table, unsigned i, unsigned a, unsigned b);

/* Whether code c of a table ends a name: the 0, or a token whose last code it is. */
int table_ends_name(const unsigned char *table, unsigned c);

/* A table's alphabet: the byte of literal code c is at [c - 1]. */
unsigned char *table_alphabet(unsigned char *table);

/* The literal code of byte b in a table, or 0 if its names do not use b. */
unsigned table_literal(unsigned char *table, unsigned char b);

/* Remove every '\r' from text, in place (a UART sends "\r\n"); returns text. */
char *strip_cr(char *text);

/*
 * The address after prefix at p (a line of a report: "  #1 0x", "ELR_EL1: 0x"),
 * and into sym the symbol text between " <" and the line's last ">" (C++
 * and Rust names hold '<' and '>'); "" when there is none.  Returns 0 when
 * p does not start with prefix and an address.
 */
int parse_addr_sym(const char *p, const char *prefix, uint64_t *addr, char *sym, size_t len);
/* The cleanup of a parameter array made with cr_malloc (cr_make_param_array's last argument). */
struct criterion_test_params;
void free_param_array(struct criterion_test_params *p);
#endif
