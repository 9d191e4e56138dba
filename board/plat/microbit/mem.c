/* SPDX-License-Identifier: MIT */
/*
 * memcpy and memset for this ARMv6-M firmware, byte by byte.  GCC may
 * call them from freestanding code (its manual says a freestanding
 * environment must provide them), and at ARMv6-M the runtime's
 * runtime/ksym.c still does (issue 20, item 1: a struct copy, an array
 * initialiser); the board code does not.  Delete this file, and the
 * libgcc.a of platform.mk, once the runtime calls nothing on ARMv6-M.
 */
#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}
