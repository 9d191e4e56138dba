/* SPDX-License-Identifier: MIT */
/*
 * A raw image of the ELF (raw_image.c), as a boot loader or a flasher takes
 * it: objcopy -O binary (bytes at LMA less the lowest LMA), -O ihex (Intel
 * HEX) or -O srec (Motorola S-records), both addressed by LMA.
 */
#ifndef KSP_RAW_IMAGE_H
#define KSP_RAW_IMAGE_H

#include <stddef.h>
#include <stdint.h>

struct bfd;

enum ksp_raw_kind { KSP_RAW_BINARY, KSP_RAW_IHEX, KSP_RAW_SREC };

struct ksp_raw_image {
	const char *path;
	enum ksp_raw_kind kind;
	int fd;
	struct bfd *abfd; /* Intel HEX and S-records, through libbfd */
};

/* Open a regular file, telling the three apart by their first line; -1 after one line. */
int ksp_raw_open(struct ksp_raw_image *r, const char *path);
void ksp_raw_close(struct ksp_raw_image *r);

/*
 * The len bytes of the image at lma (HEX and S-records) or at byte offset
 * (binary), into buf: 1 when the image holds them all, 0 when not.
 */
int ksp_raw_read(const struct ksp_raw_image *r, uint64_t lma, uint64_t offset, unsigned char *buf, size_t len);

/* "raw image", "Intel HEX image" or "S-record image", and objcopy's -O for it. */
const char *ksp_raw_what(const struct ksp_raw_image *r);
const char *ksp_raw_objcopy_format(const struct ksp_raw_image *r);

#endif
