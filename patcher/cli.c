/* SPDX-License-Identifier: MIT */
/*
 * The command line: options, usage, and the command table.
 *
 * Strategy: getopt_long reads every option wherever it stands (before or
 * after the command, as GNU getopt permutes), recording which were given
 * as a mask; the command table says which options each command takes and
 * whether it takes arguments after KERNEL.elf, so an option given to the
 * wrong command is one mask test, and the message names what was given.
 * Exit status: 0 success, 1 failure (one line on stderr), 2 usage error.
 */
#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <ksym/format.h>

#include "cli.h"
#include "commands.h"
#include "diag.h"

#define KSYMPATCH_VERSION "0.4.0"

static const char usage_text[] =
	"usage: ksympatch patch  [-v] [-o OUT.elf] [--shrink] [SELECTION] [OPTIONS] KERNEL.elf\n"
	"       ksympatch dump   [OPTIONS] KERNEL.elf\n"
	"       ksympatch lookup [OPTIONS] KERNEL.elf [ADDR...]\n"
	"       ksympatch lookup --name [OPTIONS] KERNEL.elf [NAME...]\n"
	"       ksympatch lookup --annotate [-r] [OPTIONS] KERNEL.elf < LOG\n"
	"       ksympatch verify [SELECTION] [OPTIONS] [--image RAW.img] KERNEL.elf\n"
	"\n"
	"Fill a kernel's symbol table after a single link, and read it back.\n"
	"\n"
	"  patch    write the symbol table into the placeholder section and the\n"
	"           record count into the count symbol, in place (or into OUT.elf)\n"
	"  dump     print the embedded table like `nm -n -S`\n"
	"  lookup   resolve hex addresses (from standard input if none are given)\n"
	"           to name+0xoff/0xsize with the kernel's own lookup code; with\n"
	"           --name, names to every symbol of that name, like nm -n -S\n"
	"  verify   check the embedded table against the ELF's symbols, and with\n"
	"           --image, that RAW.img (objcopy -O binary of it) carries it too\n"
	"\n"
	"options:\n"
	"  -o, --output FILE        patch: write a patched copy, leave KERNEL.elf as it is\n"
	"  -v, --verbose            patch: print a one-line summary\n"
	"      --shrink             patch: cut the placeholder section and its segment to\n"
	"                           the table, so the image flashed carries no empty\n"
	"                           placeholder (it must come last in its segment)\n"
	"      --section NAME       placeholder section (default .kernel_symbols)\n"
	"      --count-symbol NAME  u64 record count symbol (default NUM_KERNEL_SYMBOLS)\n"
	"      --image RAW.img      verify: the raw image made from KERNEL.elf\n"
	"  -n, --name               lookup: the arguments (or lines) are names\n"
	"  -r, --return-addresses   lookup: the addresses are return addresses (a\n"
	"                           backtrace's): look each up at its call site, as\n"
	"                           the kernel's reports do; the offset is its own\n"
	"      --annotate           lookup: read a log on standard input and print it\n"
	"                           with <name+0xoff/0xsize> after each 0x address\n"
	"  -h, --help               show this help\n"
	"      --version            show the version\n"
	"\n"
	"selection (patch, and verify to check a table patched with it):\n"
	"      --functions-only     leave data objects out\n"
	"      --fit                if the table does not fit, drop local data objects,\n"
	"                           then global data, then local functions (longest\n"
	"                           names first) until it does; warn what went\n"
	"      --demangle[=STYLE]   store C++ and Rust names demangled: short (the\n"
	"                           default: no parameter lists, no Rust hash), or\n"
	"                           full (as nm -C prints them)\n"
	"\n"
	"Options go before or after the command.  Exit status: 0 success, 1 failure\n"
	"(one line on stderr), 2 usage error.\n";

/* Each option that belongs to some commands only, as a bit. */
enum {
	OPT_OUTPUT = 1 << 0,
	OPT_VERBOSE = 1 << 1,
	OPT_FUNCTIONS_ONLY = 1 << 2,
	OPT_FIT = 1 << 3,
	OPT_DEMANGLE = 1 << 4,
	OPT_IMAGE = 1 << 5,
	OPT_NAME = 1 << 6,
	OPT_RETURN = 1 << 7,
	OPT_ANNOTATE = 1 << 8,
	OPT_SHRINK = 1 << 9,
};
#define OPT_SELECTION (OPT_FUNCTIONS_ONLY | OPT_FIT | OPT_DEMANGLE)

/* The options' spellings, in the order a usage message names them. */
static const struct {
	unsigned bit;
	const char *name;
} option_names[] = {
	{ OPT_OUTPUT, "-o" },	  { OPT_SHRINK, "--shrink" },	  { OPT_VERBOSE, "-v" }, { OPT_FUNCTIONS_ONLY, "--functions-only" },
	{ OPT_FIT, "--fit" },	  { OPT_DEMANGLE, "--demangle" }, { OPT_IMAGE, "--image" },
	{ OPT_NAME, "--name" },    { OPT_RETURN, "-r" },	  { OPT_ANNOTATE, "--annotate" },
};

struct command {
	const char *name;
	int (*run)(const char *elf_path, const struct ksp_options *o, char **args, int nargs);
	unsigned options;  /* the OPT_ bits it takes */
	int takes_args;    /* arguments after KERNEL.elf (lookup's addresses or names) */
	int prints;        /* writes on stdout (patch: with -v), which must then reach it */
};

static const struct command commands[] = {
	{ "patch", ksp_cmd_patch, OPT_OUTPUT | OPT_VERBOSE | OPT_SHRINK | OPT_SELECTION, 0, 1 },
	{ "dump", ksp_cmd_dump, 0, 0, 1 },
	{ "lookup", ksp_cmd_lookup, OPT_NAME | OPT_RETURN | OPT_ANNOTATE, 1, 1 },
	{ "verify", ksp_cmd_verify, OPT_SELECTION | OPT_IMAGE, 0, 1 },
};

static int usage_error(const char *msg)
{
	fprintf(stderr, "ksympatch: %s\n%s", msg, usage_text);
	return 2;
}

/* The first option in stray (given, but not the command's): "X is an option of patch and verify". */
static int wrong_command(unsigned stray)
{
	char msg[120];
	size_t i = 0, len;

	while (!(stray & option_names[i].bit))
		i++;
	len = (size_t)snprintf(msg, sizeof(msg), "%s is an option of", option_names[i].name);
	for (size_t c = 0, owners = 0; c < KSP_ARRAY_SIZE(commands); c++)
		if (commands[c].options & option_names[i].bit)
			len += (size_t)snprintf(msg + len, sizeof(msg) - len, "%s %s", owners++ ? " and" : "",
						commands[c].name);
	return usage_error(msg);
}

/* The options that only switch something on: getopt's letter, the field, the OPT_ bit. */
static const struct {
	int letter;
	size_t field;
	unsigned bit;
} switches[] = {
	{ 'v', offsetof(struct ksp_options, verbose), OPT_VERBOSE },
	{ 'F', offsetof(struct ksp_options, functions_only), OPT_FUNCTIONS_ONLY },
	{ 'f', offsetof(struct ksp_options, fit), OPT_FIT },
	{ 'n', offsetof(struct ksp_options, names), OPT_NAME },
	{ 'r', offsetof(struct ksp_options, return_addresses), OPT_RETURN },
	{ 'a', offsetof(struct ksp_options, annotate), OPT_ANNOTATE },
	{ 'S', offsetof(struct ksp_options, shrink), OPT_SHRINK },
};

/* Turn on the switch for getopt's letter c; 1 when c is one. */
static int set_switch(int c, struct ksp_options *o, unsigned *given)
{
	for (size_t i = 0; i < KSP_ARRAY_SIZE(switches); i++)
		if (switches[i].letter == c) {
			*(int *)((char *)o + switches[i].field) = 1;
			*given |= switches[i].bit;
			return 1;
		}
	return 0;
}

/* Read the options into o and *given (OPT_ bits); returns -1 to go on, or an exit status. */
static int parse_options(int argc, char **argv, struct ksp_options *o, unsigned *given)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "section", required_argument, NULL, 's' },
		{ "count-symbol", required_argument, NULL, 'c' },
		{ "functions-only", no_argument, NULL, 'F' },
		{ "fit", no_argument, NULL, 'f' },
		{ "demangle", optional_argument, NULL, 'd' },
		{ "image", required_argument, NULL, 'i' },
		{ "name", no_argument, NULL, 'n' },
		{ "return-addresses", no_argument, NULL, 'r' },
		{ "annotate", no_argument, NULL, 'a' },
		{ "shrink", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "o:vnrh", longopts, NULL)) != -1) {
		if (set_switch(c, o, given))
			continue;
		switch (c) {
		case 'o':
			o->output = optarg;
			*given |= OPT_OUTPUT;
			break;
		case 's':
			o->section = optarg;
			break;
		case 'c':
			o->count_symbol = optarg;
			break;
		case 'd':
			if (!optarg || !strcmp(optarg, "short"))
				o->demangle = KSP_DEMANGLE_SHORT;
			else if (!strcmp(optarg, "full"))
				o->demangle = KSP_DEMANGLE_FULL;
			else
				return usage_error("--demangle takes short or full");
			*given |= OPT_DEMANGLE;
			break;
		case 'i':
			o->raw_image = optarg;
			*given |= OPT_IMAGE;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		case 'V':
			printf("ksympatch %s (table format %d)\n", KSYMPATCH_VERSION, KSYM_FORMAT_VERSION);
			return 0;
		default:
			return usage_error("bad option");
		}
	}
	return -1;
}

/* What a command printed on stdout must have reached it (> /dev/full). */
static int flush_output(const char *path)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		ksp_error(path, "cannot write the output: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int ksp_cli(int argc, char **argv)
{
	struct ksp_options o = { .section = ".kernel_symbols", .count_symbol = "NUM_KERNEL_SYMBOLS" };
	const struct command *cmd = NULL;
	unsigned given = 0;
	int status = parse_options(argc, argv, &o, &given);

	if (status >= 0)
		return status;
	if (optind >= argc)
		return usage_error("missing command");
	for (size_t i = 0; i < KSP_ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[optind], commands[i].name))
			cmd = &commands[i];
	if (!cmd) {
		fprintf(stderr, "ksympatch: unknown command '%s'\n%s", argv[optind], usage_text);
		return 2;
	}
	if (++optind >= argc)
		return usage_error("missing KERNEL.elf");
	if (given & ~cmd->options)
		return wrong_command(given & ~cmd->options);

	const char *path = argv[optind];
	int nargs = argc - optind - 1;

	if (nargs && !cmd->takes_args)
		return usage_error("too many arguments");
	if (o.annotate && nargs)
		return usage_error("--annotate reads a log on standard input: give it no addresses");
	if (o.names && (o.annotate || o.return_addresses))
		return usage_error("--name looks names up, not addresses: -r and --annotate are for addresses");
	status = cmd->run(path, &o, argv + optind + 1, nargs);
	if (cmd->prints && flush_output(path) < 0)
		status = -1;
	return status < 0 ? 1 : 0;
}
