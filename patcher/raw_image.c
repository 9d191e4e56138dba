/* SPDX-License-Identifier: MIT */
/*
 * Reading a raw image made from the ELF, for verify --image: a raw binary
 * (a Raspberry Pi's kernel8.img, a multiboot kernel.bin), or the Intel HEX
 * and S-record files firmware is flashed from.
 *
 * Strategy: regular files only, opened without blocking (a FIFO would hang
 * the open).  The first line tells the kind: ":" and hex digits is Intel
 * HEX, "S" and a digit an S-record, anything else binary.  libbfd reads the
 * two text formats into sections addressed by LMA; a binary is read at a
 * byte offset.
 */
#define PACKAGE "ksympatch"
#define PACKAGE_VERSION "1"
#include <bfd.h>

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "input.h"
#include "raw_image.h"

/* Is the first line of head (n bytes) a record of that kind: lead, then hex digits to the end of the line? */
static int is_text_record(const unsigned char *head, size_t n, char lead, int digit_next)
{
	size_t i = 1;

	if (n < 2 || head[0] != lead || (digit_next && (head[1] < '0' || head[1] > '9')))
		return 0;
	while (i < n && strchr("0123456789abcdefABCDEF", head[i]) && head[i])
		i++;
	return i > 2 && (i == n || head[i] == '\n' || head[i] == '\r');
}

static enum ksp_raw_kind kind_of(int fd)
{
	unsigned char head[128];
	ssize_t n = pread(fd, head, sizeof(head), 0);

	if (n > 0 && is_text_record(head, (size_t)n, ':', 0))
		return KSP_RAW_IHEX;
	if (n > 0 && is_text_record(head, (size_t)n, 'S', 1))
		return KSP_RAW_SREC;
	return KSP_RAW_BINARY;
}

int ksp_raw_open(struct ksp_raw_image *r, const char *path)
{
	struct stat st;

	*r = (struct ksp_raw_image){ .path = path, .fd = -1 };
	r->fd = ksp_open_regular(path, "the raw image file (objcopy -O binary, ihex or srec of the ELF)", &st);
	if (r->fd < 0)
		return -1;
	r->kind = kind_of(r->fd);
	if (r->kind == KSP_RAW_BINARY)
		return 0;
	r->abfd = bfd_fdopenr(path, ksp_raw_objcopy_format(r), dup(r->fd));
	if (!r->abfd || !ksp_bfd_is_object(r->abfd)) {
		ksp_error(path, "not a readable %s: %s; make it again with objcopy -O %s", ksp_raw_what(r),
			  bfd_errmsg(bfd_get_error()), ksp_raw_objcopy_format(r));
		return -1;
	}
	return 0;
}

void ksp_raw_close(struct ksp_raw_image *r)
{
	if (r->abfd)
		bfd_close(r->abfd);
	if (r->fd >= 0)
		close(r->fd);
	*r = (struct ksp_raw_image){ .fd = -1 };
}

/* The bytes of [lma, lma + len) the HEX or S-record sections hold; 1 when they hold every one. */
static int read_records(const struct ksp_raw_image *r, uint64_t lma, unsigned char *buf, size_t len)
{
	size_t got = 0;

	for (asection *s = r->abfd->sections; s; s = s->next) {
		uint64_t lo = bfd_section_lma(s), size = bfd_section_size(s);
		uint64_t from = lma > lo ? lma : lo;
		uint64_t to = lma + len < lo + size ? lma + len : lo + size;

		if (from >= to)
			continue;
		if (!bfd_get_section_contents(r->abfd, s, buf + (from - lma), (file_ptr)(from - lo), to - from))
			return 0;
		got += to - from; /* objcopy writes each address once */
	}
	return got == len;
}

int ksp_raw_read(const struct ksp_raw_image *r, uint64_t lma, uint64_t offset, unsigned char *buf, size_t len)
{
	size_t got = 0;

	if (r->kind != KSP_RAW_BINARY)
		return read_records(r, lma, buf, len);
	while (got < len) {
		ssize_t n = pread(r->fd, buf + got, len - got, (off_t)(offset + got));

		if (n <= 0)
			return 0;
		got += (size_t)n;
	}
	return 1;
}

const char *ksp_raw_what(const struct ksp_raw_image *r)
{
	return r->kind == KSP_RAW_IHEX ? "Intel HEX image" : r->kind == KSP_RAW_SREC ? "S-record image" : "raw image";
}

const char *ksp_raw_objcopy_format(const struct ksp_raw_image *r)
{
	return r->kind == KSP_RAW_IHEX ? "ihex" : r->kind == KSP_RAW_SREC ? "srec" : "binary";
}
