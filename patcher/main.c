/* SPDX-License-Identifier: MIT */
/*
 * ksympatch: fill a kernel's symbol-table placeholder after a single link.
 *
 * Strategy: alter the ELF file in place, never relink.  Read the symbols
 * (elf.c), select and encode them (select.c, encode.c), and write the blob
 * over the placeholder section and the record count over NUM_KERNEL_SYMBOLS
 * at the file offsets the PT_LOAD segments give, atomically (write.c).
 * dump, lookup and verify read the table back through the same runtime code
 * the kernel runs (runtime/ksym.c).  Only main() turns results into exit
 * status: 0 success, 1 failure (one line on stderr), 2 usage error.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ksym/format.h>
#include <ksym/ksym.h>

#include "ksympatch.h"

#define KSYMPATCH_VERSION "0.3.0"

struct options {
	const char *section;
	const char *count_symbol;
	const char *output;
	int verbose;
	int functions_only; /* drop data objects */
	int fit;            /* drop symbols until the table fits */
	enum ksp_demangle demangle;
	int names;          /* lookup: the arguments are names, not addresses */
	const char *image;  /* verify: a raw image made from the ELF, to check too */
};

static const char usage_text[] =
	"usage: ksympatch patch  [-v] [-o OUT.elf] [SELECTION] [OPTIONS] KERNEL.elf\n"
	"       ksympatch dump   [OPTIONS] KERNEL.elf\n"
	"       ksympatch lookup [OPTIONS] KERNEL.elf [ADDR...]\n"
	"       ksympatch lookup --name [OPTIONS] KERNEL.elf [NAME...]\n"
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
	"      --section NAME       placeholder section (default .kernel_symbols)\n"
	"      --count-symbol NAME  u64 record count symbol (default NUM_KERNEL_SYMBOLS)\n"
	"      --image RAW.img      verify: the raw image made from KERNEL.elf\n"
	"  -n, --name               lookup: the arguments (or lines) are names\n"
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

static int usage_error(const char *msg)
{
	fprintf(stderr, "ksympatch: %s\n%s", msg, usage_text);
	return 2;
}

/* The embedded table, read back from an image. */
struct embedded {
	struct ksp_region sec, count;
	const unsigned char *data; /* the placeholder's bytes, where the file is mapped */
	uint64_t count_value;
	struct ksym_table table;
};

static int locate(const struct ksp_image *img, const struct options *o, struct embedded *e)
{
	if (ksp_image_section(img, o->section, &e->sec) < 0 ||
	    ksp_image_count_symbol(img, o->count_symbol, &e->count) < 0)
		return -1;
	if (e->count.offset < e->sec.offset + e->sec.size &&
	    e->sec.offset < e->count.offset + 8) {
		ksp_error(img->path, "%s lies inside %s; define it outside the placeholder",
			  o->count_symbol, o->section);
		return -1;
	}
	return 0;
}

/* Locate and open the embedded table; returns the ksym status, or 1 for an error already printed. */
static int load_embedded(const struct ksp_image *img, const struct options *o,
			 struct embedded *e, const char **why)
{
	memset(e, 0, sizeof(*e));
	if (locate(img, o, e) < 0)
		return 1;
	e->count_value = ksp_image_get64(img, img->map + e->count.offset);
	e->data = img->map + e->sec.offset; /* the format reads bytes: any alignment will do */
	return ksym_open(&e->table, e->data, e->sec.size, e->count_value, why);
}

static void table_error(const struct ksp_image *img, const struct options *o, int status,
			const char *why)
{
	switch (status) {
	case KSYM_ERR_UNPATCHED:
		ksp_error(img->path, "[%s]: unpatched: symbol table not patched; run `ksympatch patch %s`",
			  o->section, img->path);
		break;
	case KSYM_ERR_VERSION:
		ksp_error(img->path, "[%s]: wrong format version: %s (this ksympatch reads version %d); patch it again",
			  o->section, why, KSYM_FORMAT_VERSION);
		break;
	default:
		ksp_error(img->path, "[%s]: corrupt: %s; patch it again", o->section, why);
		break;
	}
}

/* Open the image and its embedded table, reporting any problem. */
static int open_embedded(struct ksp_image *img, const char *path, const struct options *o,
			 struct embedded *e)
{
	const char *why = "";
	int status;

	if (ksp_image_open(img, path) < 0)
		return -1;
	status = load_embedded(img, o, e, &why);
	if (status == 1)
		return -1;
	if (status != KSYM_OK) {
		table_error(img, o, status, why);
		return -1;
	}
	return 0;
}

/* A text buffer that grows to fit, so no name is ever cut short. */
struct text {
	char *p;
	size_t cap;
};

/* The symbol's name (with_addr: "name+0xoff/0xsize" for addr), decoded into b. */
static const char *sym_text(struct text *b, const struct ksym_table *t, const struct ksym_symbol *s,
			    int with_addr, uint64_t addr)
{
	for (;;) {
		size_t n = with_addr ? ksym_format(t, b->p, b->cap, s, addr) : ksym_name(t, s, b->p, b->cap);
		char *p;

		if (n < b->cap)
			return b->p;
		p = realloc(b->p, n + 1);
		if (!p) {
			fprintf(stderr, "ksympatch: out of memory\n");
			exit(1);
		}
		b->p = p;
		b->cap = n + 1;
	}
}

/* Select and encode the image's symbols: the table ksympatch would write. */
/* The --fit warning: what was dropped, by class, on one line. */
static void report_fit(const struct ksp_image *img, const struct ksp_fit *fit, size_t kept)
{
	static const char *const what[KSP_NCLASSES] = { "local data objects", "global data objects",
							 "local functions", "global functions" };
	size_t dropped = 0;

	for (int c = 0; c < KSP_NCLASSES; c++)
		dropped += fit->dropped[c];
	if (!dropped)
		return;
	fprintf(stderr, "ksympatch: %s: warning: --fit dropped %zu of %zu symbols to fit:", img->path,
		dropped, dropped + kept);
	for (int c = 0, first = 1; c < KSP_NCLASSES; c++) {
		if (!fit->dropped[c])
			continue;
		fprintf(stderr, "%s %zu of %zu %s", first ? "" : ",", fit->dropped[c], fit->total[c], what[c]);
		first = 0;
	}
	fputc('\n', stderr);
}

/* The placeholder is too small: say by how much, and what the selection options would do. */
static void report_too_big(const struct ksp_image *img, const struct options *o, struct ksp_sym *syms,
			   size_t n, size_t need, uint64_t capacity)
{
	struct ksp_blob f = { 0 };
	const char *why = "";
	size_t nf = ksp_keep_functions(syms, n);
	char alt[160] = "";

	if (!o->functions_only && nf < n &&
	    ksp_encode(syms, nf, img->addr_size, img->big_endian, &f, &why) == 0)
		snprintf(alt, sizeof(alt), "; --functions-only keeps %zu functions in %zu bytes%s", nf, f.size,
			 f.size <= capacity ? ", which fits" : ", still too many");
	free(f.data);
	ksp_error(img->path,
		  "[%s]: table does not fit: needs %zu bytes, %llu available; make the placeholder at least %zu bytes (KSYM_TABLE_SIZE in the linker script)%s%s",
		  o->section, need, (unsigned long long)capacity, (need + 1023) & ~(size_t)1023, alt,
		  o->fit ? "" : "; or --fit keeps as many as fit");
}

/*
 * Select and encode the image's symbols as the options say: the table
 * ksympatch writes into a placeholder of capacity bytes.  warn: print the
 * --fit warning (patch does, verify does not).
 */
static int build_table(struct ksp_image *img, const struct options *o, uint64_t capacity,
		       struct ksp_blob *blob, int warn)
{
	struct ksp_sym *syms;
	struct ksp_fit fit;
	char **names = NULL;
	size_t n, nnames = 0;
	const char *why = "";
	int ret = -1;

	if (ksp_image_select(img, &syms, &n) < 0)
		return -1;
	if (ksp_demangle(img->abfd, syms, n, o->demangle, &names, &nnames) < 0) {
		ksp_error(img->path, "out of memory");
		goto out;
	}
	if (o->functions_only)
		n = ksp_keep_functions(syms, n);
	if (o->fit ? ksp_encode_fit(syms, &n, capacity, img->addr_size, img->big_endian, blob, &fit, &why)
		   : ksp_encode(syms, n, img->addr_size, img->big_endian, blob, &why)) {
		if (blob->data) /* --fit: even the global functions alone are too big */
			report_too_big(img, o, syms, n, blob->size, capacity);
		else
			ksp_error(img->path, "cannot build the table: %s", why);
		goto out;
	}
	if (blob->size > capacity) {
		report_too_big(img, o, syms, n, blob->size, capacity);
		goto out;
	}
	if (o->fit && warn)
		report_fit(img, &fit, n);
	ret = 0;
out:
	if (ret) {
		free(blob->data);
		blob->data = NULL;
	}
	ksp_free_names(names, nnames);
	free(syms);
	return ret;
}

static int writable(const char *path, unsigned mode)
{
	return access(path, W_OK) == 0 && (mode & 0222);
}

/*
 * The placeholder must be one: zero after its first byte (as the linker
 * script fragment leaves it), or a table of ours.  --section .text would
 * otherwise overwrite code.
 */
static int placeholder_ok(const struct ksp_image *img, const struct options *o, const struct embedded *e)
{
	const unsigned char *p = img->map + e->sec.offset;

	if (e->sec.size >= 4 && p[0] == KSYM_MAGIC0 && p[1] == KSYM_MAGIC1 && p[2] == KSYM_MAGIC2 &&
	    p[3] == KSYM_MAGIC3)
		return 1;
	for (uint64_t i = 1; i < e->sec.size; i++)
		if (p[i]) {
			ksp_error(img->path, "[%s]: not a placeholder: byte 0x%llx is not zero and the section holds no ksympatch table; refusing to overwrite it (name the placeholder with --section)",
				  o->section, (unsigned long long)i);
			return 0;
		}
	return 1;
}

/*
 * Where -o writes: a regular file or a new one; through a symlink to its
 * target, as in-place patching does.  A FIFO or a device (/dev/null) is
 * refused: the patched copy would replace it with a regular file.
 */
static int output_target(const char *output, char target[PATH_MAX])
{
	struct stat st;

	if (strlen(output) >= PATH_MAX) {
		ksp_error(output, "-o: the path is longer than PATH_MAX (%d bytes)", PATH_MAX);
		return -1;
	}
	if (lstat(output, &st) < 0) {
		if (errno != ENOENT) {
			ksp_error(output, "-o: cannot stat: %s", strerror(errno));
			return -1;
		}
		memcpy(target, output, strlen(output) + 1); /* a new file */
		return 0;
	}
	int link = S_ISLNK(st.st_mode);

	if (link && (!realpath(output, target) || stat(target, &st) < 0)) {
		ksp_error(output, "-o: cannot follow the symlink: %s", strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		ksp_error(output, "-o: not a regular file (a directory, a FIFO or a device?); give the path of the file to write");
		return -1;
	}
	if (!link)
		memcpy(target, output, strlen(output) + 1);
	return 0;
}

static int cmd_patch(const char *path, const struct options *o)
{
	struct ksp_image img;
	struct embedded e = { 0 };
	struct ksp_blob blob = { 0 };
	unsigned char count[8];
	char target[PATH_MAX];
	int ret = 1;

	if (ksp_image_open(&img, path) < 0 || locate(&img, o, &e) < 0 || !placeholder_ok(&img, o, &e))
		goto out;
	if (o->output) {
		if (output_target(o->output, target) < 0)
			goto out;
	} else if (!realpath(path, target)) {
		ksp_error(path, "cannot resolve the path: %s", strerror(errno));
		goto out;
	} else if (!writable(target, img.mode)) {
		ksp_error(path, "file is not writable; chmod u+w it, or write a copy with -o OUT.elf");
		goto out;
	} else if (img.nlink > 1) {
		/* The new file replaces this name only: the other links would keep the old kernel. */
		ksp_error(path, "file has %lu hard links, which would keep the unpatched kernel; write a copy with -o OUT.elf, or remove the other links",
			  img.nlink);
		goto out;
	}
	if (build_table(&img, o, e.sec.size, &blob, 1) < 0)
		goto out;

	uint64_t bss_bytes;
	const char *bss = ksp_image_nobits_before(&img, &e.sec, &bss_bytes);

	if (bss)
		fprintf(stderr, "ksympatch: %s: warning: [%s] comes after %s in one loaded segment, so the file carries %s's %llu bytes as zeros; INCLUDE linker_scripts/kernel_symbols.ld after .rodata, before .data and .bss\n",
			path, o->section, bss, bss, (unsigned long long)bss_bytes);
	ksp_image_put64(&img, blob.count, count);

	/* The blob, zeros to the end of the placeholder, the count: in file order. */
	struct ksp_patch patches[3] = {
		{ e.sec.offset, blob.data, blob.size },
		{ e.sec.offset + blob.size, NULL, e.sec.size - blob.size },
		{ e.count.offset, count, sizeof(count) },
	};
	if (e.count.offset < e.sec.offset) {
		struct ksp_patch c = patches[2];

		patches[2] = patches[1];
		patches[1] = patches[0];
		patches[0] = c;
	}
	if (ksp_write_patched(&img, patches, 3, target) < 0)
		goto out;
	if (o->verbose)
		printf("ksympatch: %s: %u symbols, %zu of %llu bytes (%.1f%%) in %s, %.1f bytes/symbol\n",
		       o->output ? o->output : path, blob.count, blob.size,
		       (unsigned long long)e.sec.size, 100.0 * (double)blob.size / (double)e.sec.size,
		       o->section, blob.count ? (double)blob.size / blob.count : 0.0);
	ret = 0;
out:
	free(blob.data);
	ksp_image_close(&img);
	return ret;
}

/* One line of dump: a symbol and its decoded name. */
struct dump_line {
	struct ksym_symbol s;
	char *name;
};

/* nm -n's order among symbols at one address: by name, then type letter. */
static int cmp_dump_line(const void *pa, const void *pb)
{
	const struct dump_line *a = pa, *b = pb;
	int c = strcmp(a->name, b->name);

	return c ? c : (a->s.type > b->s.type) - (a->s.type < b->s.type);
}

/* One line as nm -n -S prints it, addresses w hex digits wide. */
static void print_nm_line(const struct ksym_symbol *s, const char *name, int w)
{
	if (s->size) /* nm -S prints no size for a symbol of size 0 */
		printf("%0*" PRIx64 " %0*" PRIx64 " %c %s\n", w, s->start, w, s->size, s->type, name);
	else
		printf("%0*" PRIx64 " %c %s\n", w, s->start, s->type, name);
}

static void print_group(struct dump_line *g, size_t n, int w)
{
	qsort(g, n, sizeof(*g), cmp_dump_line);
	for (size_t i = 0; i < n; i++) {
		print_nm_line(&g[i].s, g[i].name, w);
		free(g[i].name);
	}
}

/*
 * The table as nm -n -S prints the same symbols: by address, and at one
 * address by name (the table's own order there, smallest and global first,
 * is the lookup's, not nm's).
 */
static int cmd_dump(const char *path, const struct options *o)
{
	struct ksp_image img;
	struct embedded e = { 0 };
	struct dump_line *g = NULL;
	struct text name = { 0 };
	size_t n = 0, cap = 0;
	int ret = 1;

	if (open_embedded(&img, path, o, &e) < 0)
		goto out;

	int w = 2 * e.table.addr_size;

	for (uint32_t i = 0; i < e.table.count; i++) {
		struct ksym_symbol s;

		ksym_symbol_at(&e.table, i, &s);
		if (n && g[0].s.start != s.start) {
			print_group(g, n, w);
			n = 0;
		}
		if (n == cap) {
			struct dump_line *bigger = realloc(g, (cap = 2 * cap + 8) * sizeof(*g));

			if (!bigger) {
				ksp_error(path, "out of memory");
				goto out;
			}
			g = bigger;
		}
		g[n].s = s;
		g[n].name = strdup(sym_text(&name, &e.table, &s, 0, 0));
		if (!g[n++].name) {
			ksp_error(path, "out of memory");
			goto out;
		}
	}
	print_group(g, n, w);
	n = 0;
	ret = 0;
out:
	while (n)
		free(g[--n].name);
	free(g);
	free(name.p);
	ksp_image_close(&img);
	return ret;
}

/* Parse a hex address as addr2line does: optional 0x, hex digits only. */
static int parse_addr(const char *s, uint64_t *out)
{
	char *end;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (!*s || s[strspn(s, "0123456789abcdefABCDEF")]) /* hex digits only: not 0x0x1 */
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 16);
	return errno || *end ? -1 : 0;
}

/*
 * One answer per address, as addr2line gives: "ADDR name+0xoff/0xsize", or
 * "ADDR ??" when no symbol contains it or it is not an address at all (so
 * the output stays line for line with the input).  Returns -1 for the latter.
 */
static int lookup_one(const struct ksym_table *t, const char *tok, struct text *buf)
{
	struct ksym_symbol s;
	uint64_t addr;
	int bad = parse_addr(tok, &addr) < 0;

	if (bad || ksym_lookup_addr(t, addr, &s) != KSYM_OK) {
		printf("%s ??\n", tok);
		return bad ? -1 : 0;
	}
	printf("%s %s\n", tok, sym_text(buf, t, &s, 1, addr));
	return 0;
}

/*
 * lookup --name: every symbol called tok (overloads that demangle to one
 * name are several), one `nm -n -S` line each, or "NAME ??" when there is
 * none.  Returns 0 either way: a name that is not there is an answer.
 */
static int lookup_name(const struct ksym_table *t, const char *tok, struct text *buf)
{
	size_t n = ksym_lookup_name(t, tok, NULL, 0);
	struct ksym_symbol *s = n ? calloc(n, sizeof(*s)) : NULL;

	if (!n) {
		printf("%s ??\n", tok);
		return 0;
	}
	if (!s) {
		fprintf(stderr, "ksympatch: out of memory\n");
		exit(1);
	}
	ksym_lookup_name(t, tok, s, n);
	for (size_t i = 0; i < n; i++)
		print_nm_line(&s[i], sym_text(buf, t, &s[i], 0, 0), 2 * t->addr_size);
	free(s);
	return 0;
}

static int cmd_lookup(const char *path, const struct options *o, char **addrs, int naddrs)
{
	struct ksp_image img;
	struct embedded e = { 0 };
	struct text buf = { 0 };
	int ret = 1, bad = 0;

	if (open_embedded(&img, path, o, &e) < 0)
		goto out;
	int (*one)(const struct ksym_table *, const char *, struct text *) = o->names ? lookup_name : lookup_one;

	if (naddrs) {
		for (int i = 0; i < naddrs; i++)
			if (one(&e.table, addrs[i], &buf) < 0 && !bad++)
				ksp_error(path, "lookup: '%s' is not a hex address", addrs[i]);
	} else {
		char *line = NULL;
		size_t cap = 0;
		unsigned long n = 0;

		while (getline(&line, &cap, stdin) > 0) {
			char *p = line, *end;

			n++;
			while (isspace((unsigned char)*p))
				p++;
			end = p + strlen(p);
			while (end > p && isspace((unsigned char)end[-1]))
				*--end = '\0';
			if (*p && one(&e.table, p, &buf) < 0 && !bad++)
				ksp_error(path, "lookup: standard input line %lu: '%s' is not a hex address", n, p);
		}
		free(line);
	}
	ret = bad ? 1 : 0;
out:
	free(buf.p);
	ksp_image_close(&img);
	return ret;
}

/* Name the first record where the embedded table and the ELF's symbols part. */
static void report_stale(const struct ksp_image *img, const struct ksym_table *have,
			 const struct ksp_blob *want_blob)
{
	struct ksym_table want;
	struct text an = { 0 }, bn = { 0 };
	uint32_t n = have->count < want_blob->count ? have->count : want_blob->count;

	ksym_open(&want, want_blob->data, want_blob->size, want_blob->count, NULL);
	for (uint32_t i = 0; i < n; i++) {
		struct ksym_symbol a, b;

		ksym_symbol_at(have, i, &a);
		ksym_symbol_at(&want, i, &b);
		const char *aname = sym_text(&an, have, &a, 0, 0), *bname = sym_text(&bn, &want, &b, 0, 0);

		if (a.start != b.start || a.size != b.size || a.type != b.type || strcmp(aname, bname) != 0) {
			ksp_error(img->path,
				  "stale: symbol %u is %s at 0x%" PRIx64 " size 0x%" PRIx64
				  " in the table but %s at 0x%" PRIx64 " size 0x%" PRIx64
				  " in the ELF; run `ksympatch patch %s`",
				  i, aname, a.start, a.size, bname, b.start, b.size, img->path);
			goto out;
		}
	}
	if (have->count != want.count)
		ksp_error(img->path, "stale: the table has %u symbols, the ELF %u; run `ksympatch patch %s`",
			  have->count, want.count, img->path);
	else
		ksp_error(img->path, "stale: the table's bytes differ from what ksympatch writes; run `ksympatch patch %s`",
			  img->path);
out:
	free(an.p);
	free(bn.p);
}

/*
 * A raw image made from the ELF (objcopy -O binary, as a Raspberry Pi boots)
 * must carry the same table and count, at the offsets objcopy gives them: a
 * kernel8.img made before the patch, or from another build, is caught here
 * rather than at boot.
 */
static int check_image(const struct ksp_image *img, const char *raw, const struct embedded *e)
{
	const struct { const struct ksp_region *r; const char *what; } parts[] = {
		{ &e->sec, "symbol table" }, { &e->count, "symbol count" },
	};
	size_t size;
	FILE *f = fopen(raw, "rb");
	int ret = -1;

	if (!f) {
		ksp_error(raw, "cannot open: %s", strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < 2; i++) {
		uint64_t off;
		unsigned char *buf = malloc(parts[i].r->size ? parts[i].r->size : 1);

		if (!buf || ksp_image_raw_offset(img, parts[i].r->addr, parts[i].r->size, &off) < 0) {
			free(buf);
			goto out;
		}
		size = fseeko(f, (off_t)off, SEEK_SET) == 0 ? fread(buf, 1, parts[i].r->size, f) : 0;
		if (size != parts[i].r->size || memcmp(buf, img->map + parts[i].r->offset, size) != 0) {
			ksp_error(raw, "stale raw image: its %s at byte 0x%llx is not %s's; make it again with objcopy -O binary after ksympatch patch",
				  parts[i].what, (unsigned long long)off, img->path);
			free(buf);
			goto out;
		}
		free(buf);
	}
	ret = 0;
out:
	fclose(f);
	return ret;
}

static int cmd_verify(const char *path, const struct options *o)
{
	struct ksp_image img;
	struct embedded e = { 0 };
	struct ksp_blob blob = { 0 };
	int ret = 1;

	if (open_embedded(&img, path, o, &e) < 0 || build_table(&img, o, e.sec.size, &blob, 0) < 0)
		goto out;

	int same = blob.size <= e.sec.size && e.count_value == blob.count &&
		   memcmp(e.data, blob.data, blob.size) == 0;

	for (uint64_t i = blob.size; same && i < e.sec.size; i++)
		same = e.data[i] == 0;
	if (!same) {
		report_stale(&img, &e.table, &blob);
		goto out;
	}
	if (o->image && check_image(&img, o->image, &e) < 0)
		goto out;
	printf("%s: symbol table matches the ELF (%u symbols)%s%s\n", path, blob.count,
	       o->image ? ", and so does " : "", o->image ? o->image : "");
	ret = 0;
out:
	free(blob.data);
	ksp_image_close(&img);
	return ret;
}

/* What dump, lookup and verify wrote must have reached its destination (> /dev/full). */
static int flush_output(const char *path, int ret)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		ksp_error(path, "cannot write the output: %s", strerror(errno));
		return 1;
	}
	return ret;
}

int main(int argc, char **argv)
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
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct options o = { .section = ".kernel_symbols", .count_symbol = "NUM_KERNEL_SYMBOLS" };
	const char *cmd;
	int c;

	/* Options may come before the command as well as after it (GNU getopt permutes). */
	while ((c = getopt_long(argc, argv, "o:vnh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o.output = optarg;
			break;
		case 'v':
			o.verbose = 1;
			break;
		case 's':
			o.section = optarg;
			break;
		case 'c':
			o.count_symbol = optarg;
			break;
		case 'F':
			o.functions_only = 1;
			break;
		case 'f':
			o.fit = 1;
			break;
		case 'd':
			if (!optarg || !strcmp(optarg, "short"))
				o.demangle = KSP_DEMANGLE_SHORT;
			else if (!strcmp(optarg, "full"))
				o.demangle = KSP_DEMANGLE_FULL;
			else
				return usage_error("--demangle takes short or full");
			break;
		case 'i':
			o.image = optarg;
			break;
		case 'n':
			o.names = 1;
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
	if (optind >= argc)
		return usage_error("missing command");
	cmd = argv[optind++];
	if (strcmp(cmd, "patch") && strcmp(cmd, "dump") && strcmp(cmd, "lookup") && strcmp(cmd, "verify")) {
		fprintf(stderr, "ksympatch: unknown command '%s'\n%s", cmd, usage_text);
		return 2;
	}
	if (optind >= argc)
		return usage_error("missing KERNEL.elf");

	const char *path = argv[optind];
	int nrest = argc - optind - 1;

	if ((o.output || o.verbose) && strcmp(cmd, "patch") != 0)
		return usage_error("-o and -v are options of patch");
	if ((o.functions_only || o.fit || o.demangle) && strcmp(cmd, "patch") != 0 && strcmp(cmd, "verify") != 0)
		return usage_error("--functions-only, --fit and --demangle are options of patch and verify");
	if (o.image && strcmp(cmd, "verify") != 0)
		return usage_error("--image is an option of verify");
	if (o.names && strcmp(cmd, "lookup") != 0)
		return usage_error("--name is an option of lookup");
	if (strcmp(cmd, "lookup") == 0)
		return flush_output(path, cmd_lookup(path, &o, argv + optind + 1, nrest));
	if (nrest)
		return usage_error("too many arguments");
	if (strcmp(cmd, "patch") == 0)
		return cmd_patch(path, &o);
	if (strcmp(cmd, "dump") == 0)
		return flush_output(path, cmd_dump(path, &o));
	return flush_output(path, cmd_verify(path, &o));
}
