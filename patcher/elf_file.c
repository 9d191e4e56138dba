/* SPDX-License-Identifier: MIT */
/*
 * Opening the kernel ELF: map it read-only, whole (nothing is ever written
 * here), check it is an ELF that libbfd reads, and take the sections from
 * libbfd (flags, VMA, LMA, size).  The symbols (elf_symbols.c) and the
 * places in the file (elf_place.c) are read later, on demand, so dump and
 * lookup pay only for what they use.
 */
#define PACKAGE "ksympatch"
#define PACKAGE_VERSION "1"
#include <bfd.h>

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "diag.h"
#include "elf_file.h"
#include "elf_raw.h"
#include "input.h"

uint64_t ksp_elf_get64(const struct ksp_elf *elf, const unsigned char *p)
{
	return bfd_get_64(elf->abfd, p);
}

void ksp_elf_put64(const struct ksp_elf *elf, uint64_t v, unsigned char *p)
{
	bfd_put_64(elf->abfd, v, p);
}

void ksp_elf_put(const struct ksp_elf *elf, uint64_t v, unsigned width, unsigned char *p)
{
	if (width == 4)
		bfd_put_32(elf->abfd, v, p);
	else
		bfd_put_64(elf->abfd, v, p);
}

static int read_sections(struct ksp_elf *elf)
{
	bfd *abfd = elf->abfd;

	elf->nsections = bfd_count_sections(abfd);
	elf->sections = calloc(elf->nsections ? elf->nsections : 1, sizeof(*elf->sections));
	if (!elf->sections) {
		ksp_error(elf->path, "out of memory");
		return -1;
	}
	for (asection *s = abfd->sections; s; s = s->next) {
		if ((size_t)s->index >= elf->nsections)
			continue;
		flagword f = bfd_section_flags(s);

		elf->sections[s->index] = (struct ksp_section){
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

static int map_file(struct ksp_elf *elf)
{
	struct stat st;

	elf->fd = ksp_open_regular(elf->path, "the kernel ELF file", &st);
	if (elf->fd < 0)
		return -1;
	if ((size_t)st.st_size < EI_NIDENT) {
		ksp_error(elf->path, "not an ELF file (%lld bytes); give the linked kernel ELF",
			  (long long)st.st_size);
		return -1;
	}
	elf->size = (size_t)st.st_size;
	elf->mode = st.st_mode & 07777;
	elf->uid = st.st_uid;
	elf->gid = st.st_gid;
	elf->nlink = (unsigned long)st.st_nlink;
	ksp_watch_mapping(elf->path);
	elf->map = mmap(NULL, elf->size, PROT_READ, MAP_PRIVATE, elf->fd, 0);
	if (elf->map == MAP_FAILED) {
		elf->map = NULL;
		ksp_error(elf->path, "cannot read: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int ksp_elf_open(struct ksp_elf *elf, const char *path)
{
	static int bfd_ready;

	memset(elf, 0, sizeof(*elf));
	elf->fd = -1;
	elf->path = path;
	if (!bfd_ready) {
		bfd_init();
		ksp_diag_capture_bfd();
		bfd_ready = 1;
	}
	if (map_file(elf) < 0)
		return -1;
	if (memcmp(elf->map, ELFMAG, SELFMAG) != 0) {
		ksp_error(path, "not an ELF file; give the linked kernel ELF, not a raw image");
		return -1;
	}
	elf->abfd = bfd_openr(path, NULL);
	if (!elf->abfd) {
		ksp_error(path, "cannot open: %s", bfd_errmsg(bfd_get_error()));
		return -1;
	}
	if (!ksp_bfd_is_object(elf->abfd)) {
		ksp_error(path, "not a readable ELF file (truncated or damaged?): %s; relink it",
			  bfd_errmsg(bfd_get_error()));
		return -1;
	}
	if (bfd_get_flavour(elf->abfd) != bfd_target_elf_flavour) {
		ksp_error(path, "not an ELF file");
		return -1;
	}
	elf->addr_size = elf->map[EI_CLASS] == ELFCLASS64 ? 8 : 4;
	elf->big_endian = bfd_big_endian(elf->abfd);

	if (elf->size < (elf->addr_size == 8 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr))) {
		ksp_error(path, "ELF header truncated");
		return -1;
	}
	elf->machine = (int)elf_raw_field(elf, offsetof(Elf64_Ehdr, e_machine), 2); /* same offset in ELF32 */
	return read_sections(elf);
}

void ksp_elf_drop(const struct ksp_elf *elf, uint64_t offset, uint64_t size)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE), lo, hi;

	if (offset >= elf->size)
		return;
	hi = size < elf->size - offset ? offset + size : elf->size;
	lo = (offset + page - 1) / page * page;
	hi = hi / page * page;
	if (hi > lo) /* a read-only private mapping: nothing is lost */
		madvise((void *)(elf->map + lo), hi - lo, MADV_DONTNEED);
}

struct bfd *ksp_elf_bfd_again(const struct ksp_elf *elf)
{
	bfd *abfd = bfd_fdopenr(elf->path, bfd_get_target(elf->abfd), dup(elf->fd));

	if (!abfd || !ksp_bfd_is_object(abfd)) {
		ksp_error(elf->path, "cannot open it again to read its symbols: %s", bfd_errmsg(bfd_get_error()));
		if (abfd)
			bfd_close(abfd);
		return NULL;
	}
	return abfd;
}

void ksp_elf_close(struct ksp_elf *elf)
{
	if (elf->abfd)
		bfd_close(elf->abfd);
	if (elf->map)
		munmap((void *)elf->map, elf->size);
	if (elf->fd >= 0)
		close(elf->fd);
	free(elf->sections);
	free(elf->syms);
	memset(elf, 0, sizeof(*elf));
	elf->fd = -1;
}

