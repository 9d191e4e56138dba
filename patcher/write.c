/* SPDX-License-Identifier: MIT */
/*
 * Atomic output: the patched ELF goes to a temporary file beside the
 * target, is flushed to disk and renamed over the target, so a crash or a
 * kill at any moment leaves either the old file or the new one, never a torn
 * mix.  The temporary file takes the input's permission bits.  The unchanged
 * bytes are copied inside the kernel (copy_file_range) where it can.  Zeros
 * (a placeholder's tail after the table) are not written at all: the
 * temporary file starts empty, so seeking over them leaves a hole that reads
 * as zeros, and a 16 MiB placeholder costs neither the writes nor their
 * fsync (the file's size is set at the end, in case it ends in zeros).
 * SIGINT, SIGTERM and SIGHUP remove the temporary file before the process
 * dies of them (cleanup.c; only SIGKILL can still leave one behind).
 */
#define _GNU_SOURCE /* copy_file_range */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <fcntl.h>

#include "cleanup.h"
#include "diag.h"
#include "elf_file.h"
#include "write.h"

static int write_all(int fd, const unsigned char *p, size_t len)
{
	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (w == 0) {
			errno = ENOSPC;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* len zeros: a hole in the new file, which reads as zeros. */
static int skip_zeros(int fd, size_t len)
{
	return (uint64_t)len > (uint64_t)INT64_MAX || lseek(fd, (off_t)len, SEEK_CUR) < 0 ? -1 : 0;
}

/*
 * len bytes of the input from offset off.  copy_file_range() copies inside
 * the kernel, without faulting the input into our mapping; where the file
 * systems cannot, fall back to write() from the mapping.
 */
static int copy_range(int fd, const struct ksp_elf *elf, uint64_t off, size_t len)
{
	loff_t in = (loff_t)off;

	while (len) {
		ssize_t n = copy_file_range(elf->fd, &in, fd, NULL, len, 0);

		if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EOPNOTSUPP ||
			      errno == EINVAL))
			return write_all(fd, elf->map + in, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO; /* the input shrank under us */
			return -1;
		}
		len -= (size_t)n;
	}
	return 0;
}

/*
 * The new file takes the old one's owner, group, extended attributes and
 * mode.  Root can give any owner; anyone else keeps the file theirs, and
 * then a set-user-ID or set-group-ID bit is dropped rather than handed to a
 * file of another owner.  Attributes the file system will not take are
 * skipped (the copy must not fail for want of them).
 */
static int copy_metadata(int fd, const struct ksp_elf *elf)
{
	unsigned mode = elf->mode;
	ssize_t len = flistxattr(elf->fd, NULL, 0);

	if (fchown(fd, elf->uid, elf->gid) < 0)
		mode &= ~(unsigned)(S_ISUID | S_ISGID);
	if (len > 0) {
		char *names = malloc((size_t)len);

		len = names ? flistxattr(elf->fd, names, (size_t)len) : -1;
		for (ssize_t i = 0; i < len; i += (ssize_t)strlen(names + i) + 1) {
			char value[65536];
			ssize_t vlen = fgetxattr(elf->fd, names + i, value, sizeof(value));

			if (vlen >= 0)
				fsetxattr(fd, names + i, value, (size_t)vlen, 0);
		}
		free(names);
	}
	return fchmod(fd, mode); /* last: fchown clears set-id bits */
}

/* The file's bytes with the patches laid over them, in order; zeros skipped (a hole). */
static int write_patched(int fd, const struct ksp_elf *elf,
		       const struct ksp_patch *patches, size_t n)
{
	uint64_t pos = 0;

	for (size_t i = 0; i < n; i++) {
		const struct ksp_patch *p = &patches[i];

		if (copy_range(fd, elf, pos, p->offset - pos) < 0 ||
		    (p->bytes ? write_all(fd, p->bytes, p->len) : skip_zeros(fd, p->len)) < 0)
			return -1;
		pos = patches[i].offset + patches[i].len;
	}
	if (copy_range(fd, elf, pos, elf->size - pos) < 0)
		return -1;
	/* A file that ends in skipped zeros is short of them until it is extended. */
	return ftruncate(fd, (off_t)elf->size);
}

int ksp_write_patched(const struct ksp_elf *elf, const struct ksp_patch *patches,
		      size_t n, const char *target)
{
	char dir_buf[PATH_MAX], tmp[PATH_MAX + 32];
	const char *dir;
	int fd, dfd;

	if (strlen(target) >= sizeof(dir_buf)) {
		ksp_error(target, "path too long");
		return -1;
	}
	strcpy(dir_buf, target);
	dir = dirname(dir_buf);
	snprintf(tmp, sizeof(tmp), "%s/.ksympatch-XXXXXX", dir);
	fd = ksp_temp_create(tmp);
	if (fd < 0) {
		ksp_error(target, "cannot create a temporary file in %s: %s; make the directory writable",
			  dir, strerror(errno));
		return -1;
	}
	if (copy_metadata(fd, elf) < 0 || write_patched(fd, elf, patches, n) < 0 || fsync(fd) < 0) {
		ksp_error(target, "cannot write %s: %s; the original is unchanged", tmp, strerror(errno));
		goto fail;
	}
	if (close(fd) < 0) {
		fd = -1;
		ksp_error(target, "cannot write %s: %s; the original is unchanged", tmp, strerror(errno));
		goto fail;
	}
	fd = -1;
	if (rename(tmp, target) < 0) {
		ksp_error(target, "cannot replace: %s; the original is unchanged", strerror(errno));
		goto fail;
	}
	ksp_temp_done();
	/* Make the rename itself durable. */
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	ksp_temp_done();
	return -1;
}
