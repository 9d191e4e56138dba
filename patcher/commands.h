/* SPDX-License-Identifier: MIT */
/*
 * The commands (cmd_patch.c, cmd_dump.c, cmd_lookup.c, cmd_verify.c), as the command table in cli.c
 * calls them, and the options they read.
 */
#ifndef KSP_COMMANDS_H
#define KSP_COMMANDS_H

#include "demangle.h"

struct ksp_options {
	const char *section;      /* the placeholder section */
	const char *count_symbol; /* the u64 record count */
	const char *output;       /* patch -o: a patched copy instead of in place */
	int verbose;              /* patch -v: a one-line summary */
	int shrink;               /* patch --shrink: cut the placeholder and its segment to the table */
	int functions_only;       /* selection: drop data objects */
	int fit;                  /* selection: drop symbols until the table fits */
	enum ksp_demangle demangle;
	int names;             /* lookup --name: the arguments are names, not addresses */
	int return_addresses;  /* lookup -r: the addresses are return addresses (a backtrace's) */
	int annotate;          /* lookup --annotate: the lines are a log; annotate each address in it */
	const char *raw_image; /* verify --image: a raw image (objcopy -O binary) of the ELF */
};

/*
 * Each takes KERNEL.elf and what follows it on the command line, returns 0,
 * or -1 after printing one line.
 */
int ksp_cmd_patch(const char *elf_path, const struct ksp_options *o, char **args, int nargs);
int ksp_cmd_dump(const char *elf_path, const struct ksp_options *o, char **args, int nargs);
int ksp_cmd_lookup(const char *elf_path, const struct ksp_options *o, char **args, int nargs);
int ksp_cmd_verify(const char *elf_path, const struct ksp_options *o, char **args, int nargs);

#endif
