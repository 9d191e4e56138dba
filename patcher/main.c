/* SPDX-License-Identifier: MIT */
/*
 * ksympatch: fill a kernel's symbol-table placeholder after a single link,
 * and read it back.
 *
 * Where things are: cli.c reads the command line and runs a command from
 * its table; cmd_patch.c writes the table (built by build.c from the
 * selection, select.c, and the encoder, encode.c) over the placeholder,
 * atomically (write.c); cmd_dump.c, cmd_lookup.c and cmd_verify.c read it
 * back (table.c) through the runtime the kernel runs (runtime/ksym.c).  The ELF
 * is read by elf_file.c, elf_symbols.c and elf_place.c; diag.c prints
 * every message; cleanup.c removes what a dying process leaves.  Only
 * main() ends the process.
 */
#include "cli.h"

int main(int argc, char **argv)
{
	return ksp_cli(argc, argv);
}
