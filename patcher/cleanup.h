/* SPDX-License-Identifier: MIT */
/*
 * What must be undone if the process dies (cleanup.c): the temporary file
 * of a write under way, and the message for a mapped input that shrinks.
 */
#ifndef KSP_CLEANUP_H
#define KSP_CLEANUP_H

/*
 * mkstemp(tmp), with SIGINT, SIGTERM and SIGHUP caught from then on: until
 * ksp_temp_done(), they remove the file before the process dies of them.
 * Returns the descriptor, or -1 (errno set; nothing is caught then).
 */
int ksp_temp_create(char *tmp);

/* The temporary file is gone (renamed or removed): the signals act as before. */
void ksp_temp_done(void);

/*
 * A read past the end of a mapped file that another process shrank raises
 * SIGBUS: from now on that prints one line naming path, removes the
 * temporary file and exits 1.
 */
void ksp_watch_mapping(const char *path);

#endif
