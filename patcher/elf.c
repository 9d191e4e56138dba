/* SPDX-License-Identifier: MIT */
/*
 * Reading the kernel ELF: libbfd for what its installed API offers, the ELF
 * headers themselves for what it does not.
 *
 * Strategy: the file is mapped read-only, whole; nothing is written here.
 * libbfd checks the format and gives the sections (flags, VMA, file
 * position), the symbols (flags, section, value) and nm's type letter.
 * Debian's installed bfd.h declares neither the program headers nor a
 * symbol's st_size (both live behind the uninstalled elf-bfd.h), so this
 * file reads the program headers and the .symtab entries straight from the
 * mapped bytes, through libbfd's byte-order accessors, bounds-checking every
 * offset.  libbfd's symbol i is .symtab entry i + 1 (libbfd drops only the
 * null symbol); the value of each pair is compared to catch any mismatch.
 * The count symbol is looked up in .symtab directly, so dump and lookup,
 * which need nothing else, never read the whole symbol table.  File offsets
 * come from the PT_LOAD that maps an address (as a loader sees it) and are
 * cross-checked against the section header.
 */
#define PACKAGE "ksympatch"
#define PACKAGE_VERSION "1"
#include <bfd.h>

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ksympatch.h"

/*
 * libbfd prints its own warnings (a string offset past .strtab, a section
 * past the end of the file) on stderr, ahead of our one line.  The handler
 * below keeps the first of them instead, and ksp_error() folds it into the
 * line it prints.
 */
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

void ksp_error(const char *file, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "ksympatch: %s: ", file);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (bfd_said[0])
		fprintf(stderr, " (libbfd: %s)", bfd_said);
	fputc('\n', stderr);
}

/* Where the fields we read sit, for each ELF class. */
struct elf_layout {
	size_t e_phoff, e_shoff, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
	size_t phdr_size, p_type, p_offset, p_vaddr, p_filesz;
	size_t shdr_size, sh_name, sh_type, sh_flags, sh_addr, sh_offset, sh_size, sh_link, sh_entsize;
	size_t sym_size, st_name, st_info, st_value, st_size, st_shndx;
	int word; /* bytes in an address or offset field */
};

#define LAYOUT(C)                                                                  \
	{                                                                          \
		offsetof(Elf##C##_Ehdr, e_phoff), offsetof(Elf##C##_Ehdr, e_shoff),       \
		offsetof(Elf##C##_Ehdr, e_phentsize), offsetof(Elf##C##_Ehdr, e_phnum),   \
		offsetof(Elf##C##_Ehdr, e_shentsize), offsetof(Elf##C##_Ehdr, e_shnum),   \
		offsetof(Elf##C##_Ehdr, e_shstrndx),                                       \
		sizeof(Elf##C##_Phdr), offsetof(Elf##C##_Phdr, p_type),                    \
		offsetof(Elf##C##_Phdr, p_offset), offsetof(Elf##C##_Phdr, p_vaddr),      \
		offsetof(Elf##C##_Phdr, p_filesz),                                         \
		sizeof(Elf##C##_Shdr), offsetof(Elf##C##_Shdr, sh_name),                   \
		offsetof(Elf##C##_Shdr, sh_type), offsetof(Elf##C##_Shdr, sh_flags),      \
		offsetof(Elf##C##_Shdr, sh_addr),                                          \
		offsetof(Elf##C##_Shdr, sh_offset), offsetof(Elf##C##_Shdr, sh_size),     \
		offsetof(Elf##C##_Shdr, sh_link), offsetof(Elf##C##_Shdr, sh_entsize),    \
		sizeof(Elf##C##_Sym), offsetof(Elf##C##_Sym, st_name),                     \
		offsetof(Elf##C##_Sym, st_info),                                           \
		offsetof(Elf##C##_Sym, st_value), offsetof(Elf##C##_Sym, st_size),        \
		offsetof(Elf##C##_Sym, st_shndx), C / 8,                                   \
	}

static const struct elf_layout layout32 = LAYOUT(32);
static const struct elf_layout layout64 = LAYOUT(64);

static const struct elf_layout *layout(const struct ksp_image *img)
{
	return img->addr_size == 8 ? &layout64 : &layout32;
}

/* A field of width bytes at off, in the file's byte order; off is checked by the caller. */
static uint64_t field(const struct ksp_image *img, uint64_t off, int width)
{
	const unsigned char *p = img->map + off;
	bfd *abfd = img->abfd;

	switch (width) {
	case 1:
		return p[0];
	case 2:
		return bfd_get_16(abfd, p);
	case 4:
		return bfd_get_32(abfd, p);
	default:
		return bfd_get_64(abfd, p);
	}
}

int ksp_image_raw_offset(const struct ksp_image *img, uint64_t addr, uint64_t len, uint64_t *off)
{
	const struct ksp_section *in = NULL;
	uint64_t base = UINT64_MAX;

	for (size_t i = 0; i < img->nsections; i++) {
		const struct ksp_section *s = &img->sections[i];

		if (!s->load)
			continue;
		if (s->lma < base)
			base = s->lma;
		if (addr >= s->vma && addr - s->vma <= s->size && len <= s->size - (addr - s->vma))
			in = s;
	}
	if (!in) {
		ksp_error(img->path, "0x%llx is in no loaded section, so in no raw image of it",
			  (unsigned long long)addr);
		return -1;
	}
	*off = in->lma - base + (addr - in->vma);
	return 0;
}

uint64_t ksp_image_get64(const struct ksp_image *img, const unsigned char *p)
{
	return bfd_get_64(img->abfd, p);
}

void ksp_image_put64(const struct ksp_image *img, uint64_t v, unsigned char *p)
{
	bfd_put_64(img->abfd, v, p);
}

static int in_file(const struct ksp_image *img, uint64_t off, uint64_t len)
{
	return off <= img->size && len <= img->size - off;
}

/* The table of n entries of entsize bytes at off; -1 when it runs past the file. */
static int table_ok(const struct ksp_image *img, uint64_t off, uint64_t n,
		    uint64_t entsize, uint64_t min_entsize)
{
	return entsize >= min_entsize && n <= img->size / entsize &&
	       in_file(img, off, n * entsize);
}

static const char *bfd_msg(void)
{
	return bfd_errmsg(bfd_get_error());
}

static int read_sections(struct ksp_image *img)
{
	bfd *abfd = img->abfd;

	img->nsections = bfd_count_sections(abfd);
	img->sections = calloc(img->nsections ? img->nsections : 1, sizeof(*img->sections));
	if (!img->sections) {
		ksp_error(img->path, "out of memory");
		return -1;
	}
	for (asection *s = abfd->sections; s; s = s->next) {
		if ((size_t)s->index >= img->nsections)
			continue;
		flagword f = bfd_section_flags(s);

		img->sections[s->index] = (struct ksp_section){
			.vma = bfd_section_vma(s),
			.lma = bfd_section_lma(s),
			.size = bfd_section_size(s),
			.alloc = !!(f & SEC_ALLOC),
			.code = !!(f & SEC_CODE),
			.load = (f & (SEC_ALLOC | SEC_LOAD | SEC_HAS_CONTENTS)) ==
					(SEC_ALLOC | SEC_LOAD | SEC_HAS_CONTENTS) && bfd_section_size(s),
		};
	}
	return 0;
}

/* One section header, as the file has it. */
struct shdr {
	uint64_t name, type, flags, addr, offset, size, link, entsize;
};

/*
 * The number of section headers.  With 0xff00 (SHN_LORESERVE) or more,
 * e_shnum is 0 and section 0's sh_size holds it (ELF extended numbering, as
 * binutils reads it); likewise e_shstrndx is SHN_XINDEX and section 0's
 * sh_link holds that.
 */
static uint64_t section_count(const struct ksp_image *img)
{
	const struct elf_layout *L = layout(img);
	uint64_t shoff = field(img, L->e_shoff, L->word);
	uint64_t shnum = field(img, L->e_shnum, 2);

	if (shnum == 0 && shoff && in_file(img, shoff, L->shdr_size))
		shnum = field(img, shoff + L->sh_size, L->word);
	return shnum;
}

static uint64_t shstrtab_index(const struct ksp_image *img)
{
	const struct elf_layout *L = layout(img);
	uint64_t shoff = field(img, L->e_shoff, L->word);
	uint64_t i = field(img, L->e_shstrndx, 2);

	if (i == SHN_XINDEX && shoff && in_file(img, shoff, L->shdr_size))
		i = field(img, shoff + L->sh_link, 4);
	return i;
}

/* Section header i; 0 when it, or its file bytes, lie outside the file. */
static int read_shdr(const struct ksp_image *img, uint64_t i, struct shdr *sh)
{
	const struct elf_layout *L = layout(img);
	uint64_t shoff = field(img, L->e_shoff, L->word);
	uint64_t shentsize = field(img, L->e_shentsize, 2);
	uint64_t shnum = section_count(img);
	uint64_t h = shoff + i * shentsize;

	if (i >= shnum || !table_ok(img, shoff, shnum, shentsize, L->shdr_size))
		return 0;
	*sh = (struct shdr){
		.name = field(img, h + L->sh_name, 4),
		.type = field(img, h + L->sh_type, 4),
		.flags = field(img, h + L->sh_flags, L->word),
		.addr = field(img, h + L->sh_addr, L->word),
		.offset = field(img, h + L->sh_offset, L->word),
		.size = field(img, h + L->sh_size, L->word),
		.link = field(img, h + L->sh_link, 4),
		.entsize = field(img, h + L->sh_entsize, L->word),
	};
	return sh->type == SHT_NOBITS || in_file(img, sh->offset, sh->size);
}

/* The NUL-terminated string at off in string table st, or NULL. */
static const char *elf_string(const struct ksp_image *img, const struct shdr *st, uint64_t off)
{
	if (st->type != SHT_STRTAB || off >= st->size)
		return NULL;

	const char *p = (const char *)img->map + st->offset + off;

	return memchr(p, '\0', st->size - off) ? p : NULL;
}

static const char *section_name(const struct ksp_image *img, const struct shdr *sh)
{
	struct shdr shstrtab;
	const char *name = NULL;

	if (read_shdr(img, shstrtab_index(img), &shstrtab))
		name = elf_string(img, &shstrtab, sh->name);
	return name ? name : "?";
}

/* The .symtab section header; prints the error when there is none or it is damaged. */
static int find_symtab(const struct ksp_image *img, struct shdr *out)
{
	const struct elf_layout *L = layout(img);
	uint64_t shnum = section_count(img);

	for (uint64_t i = 0; i < shnum; i++) {
		if (!read_shdr(img, i, out)) {
			ksp_error(img->path, "section headers run past the end of the file (truncated?)");
			return -1;
		}
		if (out->type != SHT_SYMTAB)
			continue;
		if (out->entsize < L->sym_size) {
			ksp_error(img->path, ".symtab has entries of %llu bytes; relink it",
				  (unsigned long long)out->entsize);
			return -1;
		}
		return 0;
	}
	ksp_error(img->path, "no symbol table (stripped?); patch the ELF before stripping it");
	return -1;
}

/* st_size of every symbol, read from .symtab; libbfd's symbol i is entry i + 1. */
static int read_symbol_sizes(struct ksp_image *img, asymbol **bsyms)
{
	const struct elf_layout *L = layout(img);
	struct shdr symtab, strtab;

	if (find_symtab(img, &symtab) < 0)
		return -1;
	if (!read_shdr(img, symtab.link, &strtab) || strtab.type != SHT_STRTAB) {
		ksp_error(img->path, ".symtab's string table is damaged; relink it");
		return -1;
	}
	if (symtab.size / symtab.entsize != img->nsyms + 1) {
		ksp_error(img->path, ".symtab has %llu entries but libbfd read %zu symbols",
			  (unsigned long long)(symtab.size / symtab.entsize), img->nsyms);
		return -1;
	}
	for (size_t k = 0; k < img->nsyms; k++) {
		uint64_t st = symtab.offset + (k + 1) * symtab.entsize;
		uint64_t value = field(img, st + L->st_value, L->word);
		uint64_t name = field(img, st + L->st_name, 4);

		/* libbfd names such a symbol "(null)" and carries on: a damaged ELF, not a name. */
		if (!elf_string(img, &strtab, name)) {
			ksp_error(img->path, ".symtab entry %zu has no name string (st_name 0x%llx past .strtab's %llu bytes); the ELF is damaged, relink it",
				  k + 1, (unsigned long long)name, (unsigned long long)strtab.size);
			return -1;
		}
		if (!bfd_is_und_section(bsyms[k]->section) && !bfd_is_com_section(bsyms[k]->section) &&
		    value != bfd_asymbol_value(bsyms[k])) {
			ksp_error(img->path, "symbol %s: .symtab says 0x%llx, libbfd 0x%llx",
				  bsyms[k]->name, (unsigned long long)value,
				  (unsigned long long)bfd_asymbol_value(bsyms[k]));
			return -1;
		}
		img->syms[k].size = field(img, st + L->st_size, L->word);
	}
	return 0;
}

/* The symbols, through libbfd; names stay owned by the bfd. */
static int read_symbols(struct ksp_image *img)
{
	bfd *abfd = img->abfd;
	long bound = bfd_get_symtab_upper_bound(abfd), n;
	asymbol **bsyms = NULL;
	int ret = -1;

	if (bound < 0) {
		ksp_error(img->path, "cannot read the symbol table: %s", bfd_msg());
		return -1;
	}
	bsyms = ksp_alloc((size_t)bound);
	if (!bsyms) {
		ksp_error(img->path, "out of memory");
		return -1;
	}
	n = bfd_canonicalize_symtab(abfd, bsyms);
	if (n < 0) {
		ksp_error(img->path, "cannot read the symbol table: %s", bfd_msg());
		goto out;
	}
	if (n == 0) {
		ksp_error(img->path, "no symbol table (stripped?); patch the ELF before stripping it");
		goto out;
	}
	img->nsyms = (size_t)n;
	img->syms = ksp_alloc((size_t)n * sizeof(*img->syms));
	if (!img->syms) {
		ksp_error(img->path, "out of memory");
		goto out;
	}
	for (long i = 0; i < n; i++) {
		asymbol *s = bsyms[i];
		flagword f = s->flags;
		asection *sec = s->section;

		img->syms[i] = (struct ksp_elf_sym){
			.name = s->name ? s->name : "",
			.addr = bfd_asymbol_value(s),
			.section = (bfd_is_und_section(sec) || bfd_is_abs_section(sec) ||
				    bfd_is_com_section(sec) || !sec->owner)
					   ? -1
					   : (int)sec->index,
			.kind = (f & BSF_SECTION_SYM) ? KSP_SECTION_SYM
				: (f & BSF_FILE)       ? KSP_FILE_SYM
				: (f & BSF_FUNCTION)   ? KSP_FUNC
				: (f & BSF_OBJECT)     ? KSP_OBJECT
						       : KSP_NOTYPE,
			.bind = (f & BSF_WEAK) ? KSP_WEAK : (f & BSF_GLOBAL) ? KSP_GLOBAL : KSP_LOCAL,
			.type = (char)bfd_decode_symclass(s),
		};
	}
	ret = read_symbol_sizes(img, bsyms);
	/*
	 * A Thumb function's value has bit 0 set (the ARM ELF ABI); its code
	 * starts at the even address, where nm and addr2line put it.  The
	 * host's libbfd has no ARM back end to clear it, so clear it here, for
	 * functions and for labels in code (.thumb_func).
	 */
	for (size_t i = 0; !ret && img->machine == EM_ARM && i < img->nsyms; i++) {
		struct ksp_elf_sym *s = &img->syms[i];

		if (s->kind == KSP_FUNC || (s->kind == KSP_NOTYPE && s->section >= 0 &&
					    (size_t)s->section < img->nsections && img->sections[s->section].code))
			s->addr &= ~(uint64_t)1;
	}
out:
	free(bsyms);
	return ret;
}

/*
 * A file that another process shrinks while it is mapped turns reads past
 * its new end into SIGBUS.  Say so in one line, remove the temporary file
 * of a patch under way, and exit 1 (only async-signal-safe calls here).
 */
static const char *mapped_path;

static void put_err(const char *s)
{
	ssize_t w = write(STDERR_FILENO, s, strlen(s));

	(void)w;
}

static void on_sigbus(int sig)
{
	(void)sig;
	ksp_remove_temp();
	put_err("ksympatch: ");
	put_err(mapped_path ? mapped_path : "?");
	put_err(": the file changed size while it was being read; run again when nothing else writes it\n");
	_exit(1);
}

static int map_file(struct ksp_image *img)
{
	struct stat st;

	/* O_NONBLOCK: a FIFO would block the open itself; fstat below refuses it. */
	img->fd = open(img->path, O_RDONLY | O_NONBLOCK);
	if (img->fd < 0) {
		ksp_error(img->path, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (fstat(img->fd, &st) < 0) {
		ksp_error(img->path, "cannot stat: %s", strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		ksp_error(img->path, "is a directory; give the kernel ELF file");
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		ksp_error(img->path, "not a regular file (a FIFO or a device?); give the kernel ELF file");
		return -1;
	}
	fcntl(img->fd, F_SETFL, fcntl(img->fd, F_GETFL) & ~O_NONBLOCK);
	if ((size_t)st.st_size < EI_NIDENT) {
		ksp_error(img->path, "not an ELF file (%lld bytes); give the linked kernel ELF",
			  (long long)st.st_size);
		return -1;
	}
	img->size = (size_t)st.st_size;
	img->mode = st.st_mode & 07777;
	img->uid = st.st_uid;
	img->gid = st.st_gid;
	img->nlink = (unsigned long)st.st_nlink;
	struct sigaction sa = { .sa_handler = on_sigbus };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	mapped_path = img->path;
	img->map = mmap(NULL, img->size, PROT_READ, MAP_PRIVATE, img->fd, 0);
	if (img->map == MAP_FAILED) {
		img->map = NULL;
		ksp_error(img->path, "cannot read: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int ksp_image_open(struct ksp_image *img, const char *path)
{
	static int bfd_ready;

	memset(img, 0, sizeof(*img));
	img->fd = -1;
	img->path = path;
	if (!bfd_ready) {
		bfd_init();
		bfd_set_error_program_name("ksympatch");
		bfd_set_error_handler(bfd_warning);
		bfd_ready = 1;
	}
	if (map_file(img) < 0)
		return -1;
	if (memcmp(img->map, ELFMAG, SELFMAG) != 0) {
		ksp_error(path, "not an ELF file; give the linked kernel ELF, not a raw image");
		return -1;
	}
	img->abfd = bfd_openr(path, NULL);
	if (!img->abfd) {
		ksp_error(path, "cannot open: %s", bfd_msg());
		return -1;
	}
	if (!bfd_check_format(img->abfd, bfd_object)) {
		ksp_error(path, "not a readable ELF file (truncated or damaged?): %s; relink it",
			  bfd_msg());
		return -1;
	}
	if (bfd_get_flavour(img->abfd) != bfd_target_elf_flavour) {
		ksp_error(path, "not an ELF file");
		return -1;
	}
	img->addr_size = img->map[EI_CLASS] == ELFCLASS64 ? 8 : 4;
	img->big_endian = bfd_big_endian(img->abfd);

	if (img->size < (img->addr_size == 8 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr))) {
		ksp_error(path, "ELF header truncated");
		return -1;
	}
	img->machine = (int)field(img, offsetof(Elf64_Ehdr, e_machine), 2); /* same offset in ELF32 */
	return read_sections(img);
}

void ksp_image_close(struct ksp_image *img)
{
	if (img->abfd)
		bfd_close(img->abfd);
	if (img->map)
		munmap((void *)img->map, img->size);
	if (img->fd >= 0)
		close(img->fd);
	free(img->sections);
	free(img->syms);
	memset(img, 0, sizeof(*img));
	img->fd = -1;
}

/*
 * The file offset of [addr, addr + len) in the loaded image: the PT_LOAD
 * whose file bytes hold the whole range, p_offset + addr - p_vaddr.
 * Returns 1 and sets *off, or 0 when no segment holds it.
 */
/*
 * The file offset of [addr, addr + len) from the PT_LOAD that maps it, as a
 * loader sees it.  Returns how many PT_LOADs map it (the offset is the
 * first's): 0 is outside every segment's file bytes, 2 or more is two
 * overlapping segments, which would load the table twice.  -1: a PT_LOAD's
 * file bytes run past the end of the file (*off is that segment's index).
 */
static int load_offset(const struct ksp_image *img, uint64_t addr, uint64_t len, uint64_t *off)
{
	const struct elf_layout *L = layout(img);
	uint64_t phoff = field(img, L->e_phoff, L->word);
	uint64_t phentsize = field(img, L->e_phentsize, 2);
	uint64_t phnum = field(img, L->e_phnum, 2);
	int found = 0;

	if (!table_ok(img, phoff, phnum, phentsize, L->phdr_size))
		return 0;
	for (uint64_t i = 0; i < phnum; i++) {
		uint64_t ph = phoff + i * phentsize;
		uint64_t p_offset = field(img, ph + L->p_offset, L->word);
		uint64_t p_vaddr = field(img, ph + L->p_vaddr, L->word);
		uint64_t p_filesz = field(img, ph + L->p_filesz, L->word);

		if (field(img, ph + L->p_type, 4) != PT_LOAD)
			continue;
		if (!in_file(img, p_offset, p_filesz)) {
			*off = i;
			return -1;
		}
		if (addr < p_vaddr || addr - p_vaddr > p_filesz || len > p_filesz - (addr - p_vaddr))
			continue;
		if (!found++)
			*off = p_offset + (addr - p_vaddr);
	}
	return found;
}

const char *ksp_image_nobits_before(const struct ksp_image *img, const struct ksp_region *r,
				    uint64_t *bytes)
{
	const struct elf_layout *L = layout(img);
	uint64_t phoff = field(img, L->e_phoff, L->word);
	uint64_t phentsize = field(img, L->e_phentsize, 2);
	uint64_t phnum = field(img, L->e_phnum, 2), lo = 0, hi = 0;
	struct shdr sh;

	if (!table_ok(img, phoff, phnum, phentsize, L->phdr_size))
		return NULL;
	for (uint64_t i = 0; i < phnum; i++) { /* the file bytes of the segment that loads r */
		uint64_t ph = phoff + i * phentsize;
		uint64_t vaddr = field(img, ph + L->p_vaddr, L->word);
		uint64_t filesz = field(img, ph + L->p_filesz, L->word);

		if (field(img, ph + L->p_type, 4) == PT_LOAD && r->addr >= vaddr && r->addr - vaddr < filesz) {
			lo = vaddr;
			hi = vaddr + filesz;
		}
	}
	for (uint64_t i = 1; hi && read_shdr(img, i, &sh); i++) {
		if (sh.type == SHT_NOBITS && (sh.flags & SHF_ALLOC) && sh.size && sh.addr >= lo &&
		    sh.addr < r->addr && sh.addr < hi) {
			*bytes = sh.size;
			return section_name(img, &sh);
		}
	}
	return NULL;
}

/* Say what load_offset() found wrong, if anything; returns -1 then. */
static int check_load(const struct ksp_image *img, const char *what, int found, uint64_t off,
		      const char *hint)
{
	if (found == 1)
		return 0;
	if (found < 0)
		ksp_error(img->path, "program header %llu maps file bytes past the end of the file; the ELF is truncated or damaged, relink it",
			  (unsigned long long)off);
	else if (found > 1)
		ksp_error(img->path, "%s is mapped by %d overlapping PT_LOAD segments; relink, the program headers are inconsistent",
			  what, found);
	else
		ksp_error(img->path, "%s lies outside every PT_LOAD segment's file bytes; %s", what, hint);
	return -1;
}

int ksp_image_section(const struct ksp_image *img, const char *name, struct ksp_region *out)
{
	asection *s = bfd_get_section_by_name(img->abfd, name);
	static const char hint[] =
		"INCLUDE linker_scripts/kernel_symbols.ld after .rodata and define the count with KSYM_DEFINE_COUNT() (which starts the section)";

	if (!s) {
		ksp_error(img->path, "no section %s; INCLUDE linker_scripts/kernel_symbols.ld in the linker script",
			  name);
		return -1;
	}
	out->addr = bfd_section_vma(s);
	out->size = bfd_section_size(s);
	if (!(bfd_section_flags(s) & SEC_HAS_CONTENTS)) {
		ksp_error(img->path, "[%s]: section has no file contents (NOBITS); %s", name, hint);
		return -1;
	}
	char what[300];

	snprintf(what, sizeof(what), "[%s]: section", name);
	if (check_load(img, what, load_offset(img, out->addr, out->size, &out->offset), out->offset, hint) < 0)
		return -1;
	if ((uint64_t)s->filepos != out->offset) {
		ksp_error(img->path,
			  "[%s]: program headers put the section at file offset 0x%llx, its section header at 0x%llx; relink, the ELF is inconsistent",
			  name, (unsigned long long)out->offset, (unsigned long long)s->filepos);
		return -1;
	}
	return 0;
}

/*
 * The count symbol comes straight from .symtab, not through libbfd's symbol
 * table: dump and lookup need only it and the placeholder, and reading every
 * symbol through libbfd would be most of their run time.
 */
/*
 * The count symbol: the global (or weak) definition, which is the one the
 * kernel's extern reference binds to.  A lone local one will do; several
 * local ones and no global one are refused, naming where they are.
 */
static int find_count_symbol(const struct ksp_image *img, const struct shdr *symtab,
			     const struct shdr *strtab, const char *name, uint64_t *entry)
{
	const struct elf_layout *L = layout(img);
	uint64_t found = 0, locals = 0;
	char where[160] = "";

	for (uint64_t k = 1; k < symtab->size / symtab->entsize; k++) {
		uint64_t st = symtab->offset + k * symtab->entsize;
		uint64_t shndx = field(img, st + L->st_shndx, 2);
		const char *sym = elf_string(img, strtab, field(img, st + L->st_name, 4));
		unsigned bind = (unsigned)field(img, st + L->st_info, 1) >> 4;

		if (!sym || strcmp(sym, name) != 0 || shndx == SHN_UNDEF || shndx >= SHN_LORESERVE)
			continue;
		if (bind == STB_GLOBAL || bind == STB_WEAK) {
			*entry = st;
			return 0;
		}
		size_t len = strlen(where);

		snprintf(where + len, sizeof(where) - len, "%s0x%llx", locals ? ", " : "",
			 (unsigned long long)field(img, st + L->st_value, L->word));
		locals++;
		found = st;
	}
	if (locals == 1) {
		*entry = found;
		return 0;
	}
	if (locals)
		ksp_error(img->path, "%llu local (static) definitions of %s and no global one, at %s; define it once with KSYM_DEFINE_COUNT() from <ksym/kernel.h>",
			  (unsigned long long)locals, name, where);
	else
		ksp_error(img->path, "no symbol %s; define it with KSYM_DEFINE_COUNT() from <ksym/kernel.h>",
			  name);
	return -1;
}

int ksp_image_count_symbol(const struct ksp_image *img, const char *name, struct ksp_region *out)
{
	const struct elf_layout *L = layout(img);
	struct shdr symtab, strtab, sec;
	uint64_t st;

	if (find_symtab(img, &symtab) < 0)
		return -1;
	if (!read_shdr(img, symtab.link, &strtab)) {
		ksp_error(img->path, ".symtab's string table is damaged; relink it");
		return -1;
	}
	/* A string table ends in a NUL (ELF): one that does not is damaged, not short of a name. */
	if (strtab.type != SHT_STRTAB || !strtab.size || img->map[strtab.offset + strtab.size - 1]) {
		ksp_error(img->path, ".symtab's string table is damaged (it does not end in a NUL); relink it");
		return -1;
	}
	if (find_count_symbol(img, &symtab, &strtab, name, &st) < 0)
		return -1;

	uint64_t shndx = field(img, st + L->st_shndx, 2);

	out->addr = field(img, st + L->st_value, L->word);
	out->size = field(img, st + L->st_size, L->word);
	if (out->size != 8) {
		ksp_error(img->path, "%s is %llu bytes, not 8; define it as a u64 (uint64_t)",
			  name, (unsigned long long)out->size);
		return -1;
	}
	if (!read_shdr(img, shndx, &sec)) {
		ksp_error(img->path, "%s: its section header is damaged; relink it", name);
		return -1;
	}
	if (sec.type == SHT_NOBITS) {
		ksp_error(img->path,
			  "%s is in %s, which has no file contents; define it with KSYM_DEFINE_COUNT() from <ksym/kernel.h>",
			  name, section_name(img, &sec));
		return -1;
	}
	if (check_load(img, name, load_offset(img, out->addr, 8, &out->offset), out->offset,
		       "define it with KSYM_DEFINE_COUNT() from <ksym/kernel.h>") < 0)
		return -1;

	uint64_t by_section = sec.offset + (out->addr - sec.addr);

	if (by_section != out->offset) {
		ksp_error(img->path,
			  "%s: program headers put it at file offset 0x%llx, its section header at 0x%llx; relink, the ELF is inconsistent",
			  name, (unsigned long long)out->offset, (unsigned long long)by_section);
		return -1;
	}
	return 0;
}

int ksp_image_select(struct ksp_image *img, struct ksp_sym **out, size_t *n)
{
	if (!img->syms && read_symbols(img) < 0)
		return -1;
	*out = ksp_alloc(img->nsyms * sizeof(**out));
	if (!*out) {
		ksp_error(img->path, "out of memory");
		return -1;
	}
	*n = ksp_select(img->syms, img->nsyms, img->sections, img->nsections, img->machine, *out);
	/* The selection holds what is needed (names stay in the bfd): lower the peak. */
	free(img->syms);
	img->syms = NULL;
	return 0;
}
