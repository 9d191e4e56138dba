/* SPDX-License-Identifier: MIT */
/*
 * Diagnostics: every problem is one line on stderr, "ksympatch: FILE:
 * what is wrong; what to do".
 *
 * libbfd prints its own warnings (a string offset past .strtab, a section
 * past the end of the file) on stderr, ahead of our one line.  The handler
 * below keeps the first of them instead, and ksp_error() folds it into the
 * line it prints.  What libbfd prints itself, not through the handler (the
 * warnings it keeps while it tries each format, then prints), is caught by
 * holding stderr in a temporary file meanwhile, and folded in likewise.
 */
#define PACKAGE "ksympatch"
#define PACKAGE_VERSION "1"
#include <bfd.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"

static char bfd_said[256];

/* Append to buf what libbfd's fmt says: printf conversions, and %pA (a section), %pB (a bfd). */
static void format_bfd(char *buf, size_t len, const char *fmt, va_list ap)
{
	size_t n = 0;

	for (const char *p = fmt; *p && n + 1 < len; p++) {
		char spec[16] = "%";
		size_t k = 1;
		int longs = 0, size_t_arg = 0;

		if (*p != '%') {
			buf[n++] = *p;
			continue;
		}
		for (p++; *p && strchr("-+ #0123456789.", *p) && k < 8; p++)
			spec[k++] = *p;
		for (; *p == 'l' || *p == 'z' || *p == 'h'; p++) {
			longs += *p == 'l';
			size_t_arg |= *p == 'z';
		}
		if (!*p)
			break;
		if (*p == 'p' && (p[1] == 'A' || p[1] == 'B')) {
			const char *what = *++p == 'A' ? va_arg(ap, asection *)->name
						       : bfd_get_filename(va_arg(ap, bfd *));

			n += (size_t)snprintf(buf + n, len - n, "%s", what ? what : "?");
		} else if (*p == 's' || *p == 'c' || *p == '%') {
			spec[k++] = *p;
			spec[k] = '\0';
			if (*p == 's')
				n += (size_t)snprintf(buf + n, len - n, spec, va_arg(ap, const char *));
			else if (*p == 'c')
				n += (size_t)snprintf(buf + n, len - n, spec, va_arg(ap, int));
			else
				buf[n++] = '%';
		} else if (strchr("diuxXo", *p)) {
			int is_signed = *p == 'd' || *p == 'i';

			memcpy(spec + k, "ll", 2);
			spec[k + 2] = *p;
			spec[k + 3] = '\0';
			long long v = size_t_arg     ? (long long)va_arg(ap, size_t)
				      : longs >= 2   ? va_arg(ap, long long)
				      : longs == 1   ? (is_signed ? va_arg(ap, long) : (long)va_arg(ap, unsigned long))
				      : is_signed    ? va_arg(ap, int)
						     : (long long)va_arg(ap, unsigned int);

			n += (size_t)snprintf(buf + n, len - n, spec, v);
		} else {
			break; /* a conversion we do not know: stop rather than misread the arguments */
		}
		if (n >= len)
			n = len - 1;
	}
	buf[n < len ? n : len - 1] = '\0';
}

static void bfd_warning(const char *fmt, va_list ap)
{
	if (!bfd_said[0])
		format_bfd(bfd_said, sizeof(bfd_said), fmt, ap);
}

/* The first line of what f holds, less libbfd's "ksympatch: " and "warning: ", as bfd_said. */
static void keep_first_line(FILE *f)
{
	char line[sizeof(bfd_said)];
	const char *p = line;
	size_t n;

	rewind(f);
	if (bfd_said[0] || !fgets(line, sizeof(line), f))
		return;
	n = strcspn(line, "\n");
	line[n] = '\0';
	if (!strncmp(p, "ksympatch: ", 11))
		p += 11;
	if (!strncmp(p, "warning: ", 9))
		p += 9;
	snprintf(bfd_said, sizeof(bfd_said), "%s", p);
}

static int saved_stderr = -1;
static FILE *caught;

static void hold_stderr(void)
{
	fflush(stderr);
	caught = tmpfile();
	saved_stderr = caught ? dup(STDERR_FILENO) : -1;
	if (saved_stderr >= 0)
		dup2(fileno(caught), STDERR_FILENO);
	else if (caught)
		fclose(caught);
}

static void release_stderr(void)
{
	if (saved_stderr < 0)
		return;
	fflush(stderr);
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	saved_stderr = -1;
	keep_first_line(caught);
	fclose(caught);
}

size_t ksp_escape(char *out, size_t cap, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		char e[4] = { '\\', (char)*p, 0, 0 };
		size_t len = 1;

		if (*p == '\\' || *p < 0x20 || *p == 0x7f) {
			len = 2;
			if (*p == '\n' || *p == '\t' || *p == '\r')
				e[1] = *p == '\n' ? 'n' : *p == '\t' ? 't' : 'r';
			else if (*p != '\\') {
				e[1] = 'x';
				e[2] = hex[*p >> 4];
				e[3] = hex[*p & 15];
				len = 4;
			}
		} else {
			e[0] = (char)*p;
		}
		for (size_t i = 0; i < len; i++, n++)
			if (n + 1 < cap)
				out[n] = e[i];
	}
	if (cap)
		out[n < cap ? n : cap - 1] = '\0';
	return n;
}

char *ksp_escaped(const char *s)
{
	size_t n = ksp_escape(NULL, 0, s);
	char *out = malloc(n + 1);

	if (out)
		ksp_escape(out, n + 1, s);
	return out;
}

int ksp_bfd_is_object(struct bfd *abfd)
{
	int is_object;

	hold_stderr();
	is_object = bfd_check_format(abfd, bfd_object);
	release_stderr();
	return is_object;
}

void ksp_diag_capture_bfd(void)
{
	bfd_set_error_program_name("ksympatch");
	bfd_set_error_handler(bfd_warning);
}

/* One line; what libbfd said is told once, with the first line after it. */
static void vline(const char *file, const char *kind, const char *fmt, va_list ap)
{
	char *name = ksp_escaped(file);

	fprintf(stderr, "ksympatch: %s: %s", name ? name : file, kind);
	vfprintf(stderr, fmt, ap);
	if (bfd_said[0])
		fprintf(stderr, " (libbfd: %s)", bfd_said);
	fputc('\n', stderr);
	bfd_said[0] = '\0';
	free(name);
}

void ksp_error(const char *file, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(file, "", fmt, ap);
	va_end(ap);
}

void ksp_warn(const char *file, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(file, "warning: ", fmt, ap);
	va_end(ap);
}

