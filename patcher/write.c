/* SPDX-License-Identifier: MIT */
/*
 * Atomic output: the patched image goes to a temporary file beside the
 * target, is flushed to disk and renamed over the target, so a crash or a
 * kill at any moment leaves either the old file or the new one, never a torn
 * mix.  The temporary file takes the input's permission bits.  The unchanged
 * bytes are copied inside the kernel (copy_file_range) where it can.
 * SIGINT, SIGTERM and SIGHUP remove the temporary file before the process
 * dies of them (only SIGKILL can still leave one behind).
 */
#define _GNU_SOURCE /* copy_file_range */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <fcntl.h>

#include "ksympatch.h"

/* The temporary file a signal must remove, while there is one. */
static char pending[PATH_MAX + 32];
static volatile sig_atomic_t have_pending;
static const int cleanup_signals[] = { SIGINT, SIGTERM, SIGHUP };
static struct sigaction saved[3];

void ksp_remove_temp(void)
{
	if (have_pending)
		unlink(pending); /* async-signal-safe */
}

static void remove_pending(int sig)
{
	if (have_pending)
		unlink(pending); /* async-signal-safe */
	signal(sig, SIG_DFL);
	raise(sig); /* die of the signal, as the caller expects */
}

static void catch_signals(int on)
{
	struct sigaction sa = { .sa_handler = remove_pending };

	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 3; i++) {
		if (on)
			sigaction(cleanup_signals[i], &sa, &saved[i]);
		else
			sigaction(cleanup_signals[i], &saved[i], NULL);
	}
}

/* mkstemp, with the signals held until the name is where the handler looks. */
static int make_temp(char *tmp)
{
	sigset_t block, old;
	int fd;

	sigemptyset(&block);
	for (int i = 0; i < 3; i++)
		sigaddset(&block, cleanup_signals[i]);
	sigprocmask(SIG_BLOCK, &block, &old);
	catch_signals(1);
	fd = mkstemp(tmp);
	if (fd >= 0) {
		memcpy(pending, tmp, strlen(tmp) + 1);
		have_pending = 1;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return fd;
}

/* The temporary file is gone (renamed or removed): signals act as before. */
static void drop_temp(void)
{
	have_pending = 0;
	catch_signals(0);
}

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

static int write_zeros(int fd, size_t len)
{
	static const unsigned char zeros[64 * 1024];

	while (len) {
		size_t n = len < sizeof(zeros) ? len : sizeof(zeros);

		if (write_all(fd, zeros, n) < 0)
			return -1;
		len -= n;
	}
	return 0;
}

/*
 * len bytes of the input from offset off.  copy_file_range() copies inside
 * the kernel, without faulting the input into our mapping; where the file
 * systems cannot, fall back to write() from the mapping.
 */
static int copy_range(int fd, const struct ksp_image *img, uint64_t off, size_t len)
{
	loff_t in = (loff_t)off;

	while (len) {
		ssize_t n = copy_file_range(img->fd, &in, fd, NULL, len, 0);

		if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EOPNOTSUPP ||
			      errno == EINVAL))
			return write_all(fd, img->map + in, len);
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
static int copy_metadata(int fd, const struct ksp_image *img)
{
	unsigned mode = img->mode;
	ssize_t len = flistxattr(img->fd, NULL, 0);

	if (fchown(fd, img->uid, img->gid) < 0)
		mode &= ~(unsigned)(S_ISUID | S_ISGID);
	if (len > 0) {
		char *names = malloc((size_t)len);

		len = names ? flistxattr(img->fd, names, (size_t)len) : -1;
		for (ssize_t i = 0; i < len; i += (ssize_t)strlen(names + i) + 1) {
			char value[65536];
			ssize_t vlen = fgetxattr(img->fd, names + i, value, sizeof(value));

			if (vlen >= 0)
				fsetxattr(fd, names + i, value, (size_t)vlen, 0);
		}
		free(names);
	}
	return fchmod(fd, mode); /* last: fchown clears set-id bits */
}

/* The file's bytes with the patches laid over them, in order. */
static int write_image(int fd, const struct ksp_image *img,
		       const struct ksp_patch *patches, size_t n)
{
	uint64_t pos = 0;

	for (size_t i = 0; i < n; i++) {
		const struct ksp_patch *p = &patches[i];

		if (copy_range(fd, img, pos, p->offset - pos) < 0 ||
		    (p->bytes ? write_all(fd, p->bytes, p->len) : write_zeros(fd, p->len)) < 0)
			return -1;
		pos = patches[i].offset + patches[i].len;
	}
	return copy_range(fd, img, pos, img->size - pos);
}

int ksp_write_patched(const struct ksp_image *img, const struct ksp_patch *patches,
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
	fd = make_temp(tmp);
	if (fd < 0) {
		drop_temp();
		ksp_error(target, "cannot create a temporary file in %s: %s; make the directory writable",
			  dir, strerror(errno));
		return -1;
	}
	if (copy_metadata(fd, img) < 0 || write_image(fd, img, patches, n) < 0 || fsync(fd) < 0) {
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
	drop_temp();
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
	drop_temp();
	return -1;
}
