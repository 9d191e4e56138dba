/* SPDX-License-Identifier: MIT */
/* The command line (cli.c). */
#ifndef KSP_CLI_H
#define KSP_CLI_H

/* Run ksympatch on its arguments; returns the exit status (0, 1 failure, 2 usage). */
int ksp_cli(int argc, char **argv);

#endif
