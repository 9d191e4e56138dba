/*
 * Fault injection for the crash-safety tests, loaded into ksympatch with
 * LD_PRELOAD (so the product carries no test hooks):
 *
 *   KSYM_FAIL_WRITE=N    the Nth write() or copy_file_range() to a file
 *                        (fd > 2) fails with ENOSPC
 *   KSYM_FAIL_MKSTEMP=1  mkstemp() fails with EROFS, as in a read-only
 *                        directory (which root could otherwise write to)
 *   KSYM_FAIL_FCHOWN=1   fchown() fails with EPERM, as it does for anyone
 *                        but root giving a file to another owner
 *   KSYM_SHRINK_MAPPED=1 the first file mmap()ed read-only is truncated to
 *                        0 bytes right after, as another process could
 *   KSYM_READ_ONLY_FS=1  access(W_OK) fails with EROFS, as on a file system
 *                        mounted read-only
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* 1 when this call is the Nth write to a file, the one to fail. */
static int fail_this_write(int fd)
{
	static long calls;
	const char *fail = getenv("KSYM_FAIL_WRITE");

	if (fd > 2 && fail && ++calls == atol(fail)) {
		errno = ENOSPC;
		return 1;
	}
	return 0;
}

ssize_t write(int fd, const void *buf, size_t len)
{
	ssize_t (*real)(int, const void *, size_t) =
		(ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");

	return fail_this_write(fd) ? -1 : real(fd, buf, len);
}

ssize_t copy_file_range(int in, loff_t *in_off, int out, loff_t *out_off, size_t len,
			unsigned int flags)
{
	ssize_t (*real)(int, loff_t *, int, loff_t *, size_t, unsigned int) =
		(ssize_t (*)(int, loff_t *, int, loff_t *, size_t, unsigned int))dlsym(
			RTLD_NEXT, "copy_file_range");

	return fail_this_write(out) ? -1 : real(in, in_off, out, out_off, len, flags);
}

static int fail_mkstemp(char *template, const char *name)
{
	int (*real)(char *) = (int (*)(char *))dlsym(RTLD_NEXT, name);

	if (getenv("KSYM_FAIL_MKSTEMP")) {
		errno = EROFS;
		return -1;
	}
	return real(template);
}

int mkstemp(char *template)
{
	return fail_mkstemp(template, "mkstemp");
}

int mkstemp64(char *template)
{
	return fail_mkstemp(template, "mkstemp64");
}

int access(const char *path, int mode)
{
	int (*real)(const char *, int) = (int (*)(const char *, int))dlsym(RTLD_NEXT, "access");

	if (getenv("KSYM_READ_ONLY_FS") && (mode & W_OK)) {
		errno = EROFS;
		return -1;
	}
	return real(path, mode);
}

int fchown(int fd, uid_t owner, gid_t group)
{
	int (*real)(int, uid_t, gid_t) = (int (*)(int, uid_t, gid_t))dlsym(RTLD_NEXT, "fchown");

	if (getenv("KSYM_FAIL_FCHOWN")) {
		errno = EPERM;
		return -1;
	}
	return real(fd, owner, group);
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	void *(*real)(void *, size_t, int, int, int, off_t) =
		(void *(*)(void *, size_t, int, int, int, off_t))dlsym(RTLD_NEXT, "mmap");
	void *p = real(addr, len, prot, flags, fd, off);
	static int done;

	if (p != MAP_FAILED && fd >= 0 && prot == PROT_READ && !done && getenv("KSYM_SHRINK_MAPPED")) {
		char link[64], path[PATH_MAX];
		ssize_t n;

		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		n = readlink(link, path, sizeof(path) - 1);
		if (n > 0) {
			path[n] = '\0';
			done = truncate(path, 0) == 0;
		}
	}
	return p;
}
