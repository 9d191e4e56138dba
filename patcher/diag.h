/* SPDX-License-Identifier: MIT */
/* Diagnostics (diag.c): one line on stderr per problem, naming the file. */
#ifndef KSP_DIAG_H
#define KSP_DIAG_H

#include <stddef.h>

/* "ksympatch: FILE: message", one line; a warning libbfd gave meanwhile is folded in. */
void ksp_error(const char *file, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "ksympatch: FILE: warning: message", one line. */
void ksp_warn(const char *file, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * s as one printable line: a backslash, a newline, a tab, a carriage
 * return and the other control bytes become \\, \n, \t, \r and \xNN; the
 * rest (UTF-8 too) stays as it is.  Writes at most cap bytes with the NUL,
 * and returns the length of the whole text, as snprintf does.
 */
size_t ksp_escape(char *out, size_t cap, const char *s);

/* ksp_escape()'s text of s, malloc'd; NULL when out of memory. */
char *ksp_escaped(const char *s);

/* Route libbfd's own warnings to ksp_error() instead of stderr; once, before libbfd is used. */
void ksp_diag_capture_bfd(void);

struct bfd;

/*
 * bfd_check_format(abfd, bfd_object).  libbfd prints the warnings it keeps
 * while it tries each format itself, not through the handler: stderr is
 * held in a temporary file meanwhile, and its first line folded into the
 * next error, as the handler's are.
 */
int ksp_bfd_is_object(struct bfd *abfd);

#endif
