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
	char name[128];
	char text[256]; /* the whole line */
};

/* Parse nm-style text into a malloc'd array; returns the count. */
size_t parse_nm(const char *text, struct nm_line **out);

/* File offset of a section (readelf -S) and of a symbol (nm + readelf -l PT_LOAD). */
uint64_t section_file_offset(const char *elf, const char *section);
uint64_t symbol_file_offset(const char *elf, const char *symbol);
uint64_t vaddr_file_offset(const char *elf, uint64_t vma);

/* Overwrite len bytes of a file at offset. */
void poke_file(const char *path, uint64_t offset, const void *bytes, size_t len);

/* Number of lines in text. */
size_t count_lines(const char *text);

/* Remove every '\r' from text, in place (a UART sends "\r\n"); returns text. */
char *strip_cr(char *text);

#endif
