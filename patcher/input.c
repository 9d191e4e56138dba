/* SPDX-License-Identifier: MIT */
/*
 * Opening an input file, the ELF or a raw image: O_NONBLOCK, so that a
 * FIFO cannot block the open itself (fstat then refuses it), and regular
 * files only, each refusal one line naming what to give instead.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "input.h"

int ksp_open_regular(const char *path, const char *give, struct stat *st)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK);

	if (fd < 0) {
		ksp_error(path, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, st) < 0) {
		ksp_error(path, "cannot stat: %s", strerror(errno));
	} else if (S_ISDIR(st->st_mode)) {
		ksp_error(path, "is a directory; give %s", give);
	} else if (!S_ISREG(st->st_mode)) {
		ksp_error(path, "not a regular file (a FIFO or a device?); give %s", give);
	} else {
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
		return fd;
	}
	close(fd);
	return -1;
}
