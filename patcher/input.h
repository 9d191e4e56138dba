/* SPDX-License-Identifier: MIT */
/* Opening an input file (input.c): a regular file only, without ever blocking. */
#ifndef KSP_INPUT_H
#define KSP_INPUT_H

#include <sys/stat.h>

/*
 * Open path read-only and fstat it into *st: a directory, a FIFO or a
 * device is refused in one line that asks for `give` ("the kernel ELF
 * file").  Returns the descriptor (blocking again), or -1.
 */
int ksp_open_regular(const char *path, const char *give, struct stat *st);

#endif
