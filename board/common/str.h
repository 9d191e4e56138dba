/* SPDX-License-Identifier: MIT */
/* The one string helper the demo needs, without libc. */
#ifndef STR_H
#define STR_H

static inline int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

#endif /* STR_H */
