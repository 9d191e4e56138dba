/*
 * Fault injection for the crash-safety tests, loaded into ksympatch with
 * LD_PRELOAD (so the product carries no test hooks):
 *
 *   KSYM_FAIL_WRITE=N    the Nth write() to a file (fd > 2) fails with ENOSPC
 *   KSYM_FAIL_MKSTEMP=1  mkstemp() fails with EROFS, as in a read-only
 *                        directory (which root could otherwise write to)
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

ssize_t write(int fd, const void *buf, size_t len)
{
	static ssize_t (*real)(int, const void *, size_t);
	static long calls;
	const char *fail = getenv("KSYM_FAIL_WRITE");

	if (!real)
		real = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
	if (fd > 2 && fail && ++calls == atol(fail)) {
		errno = ENOSPC;
		return -1;
	}
	return real(fd, buf, len);
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
