/*
 * Run one command and report its wall time and peak memory, for the
 * benchmark: a tiny, dependency-free /usr/bin/time.
 *
 * usage: runstat [-i IN] [-o OUT] CMD [ARG...]
 *
 * The command's standard input comes from IN (default /dev/null) and its
 * standard output goes to OUT (default /dev/null); standard error is
 * inherited.  On success prints "SECONDS MAXRSS_KIB" on standard output:
 * the wall time from spawn to exit (CLOCK_MONOTONIC) and the child's
 * ru_maxrss from wait4.  Exits 1, with a message, when the command cannot be
 * started or does not exit with status 0; 2 on a usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	const char *in = "/dev/null", *out = "/dev/null";
	posix_spawn_file_actions_t fa;
	struct rusage ru;
	pid_t pid;
	int c, status, err;

	while ((c = getopt(argc, argv, "+i:o:")) != -1) {
		switch (c) {
		case 'i':
			in = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		default:
			fprintf(stderr, "usage: runstat [-i IN] [-o OUT] CMD [ARG...]\n");
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: runstat [-i IN] [-o OUT] CMD [ARG...]\n");
		return 2;
	}
	if (posix_spawn_file_actions_init(&fa) ||
	    posix_spawn_file_actions_addopen(&fa, 0, in, O_RDONLY, 0) ||
	    posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0644)) {
		fprintf(stderr, "runstat: cannot set up redirections\n");
		return 1;
	}

	double t0 = now();

	err = posix_spawnp(&pid, argv[optind], &fa, NULL, argv + optind, environ);
	if (err) {
		fprintf(stderr, "runstat: %s: %s\n", argv[optind], strerror(err));
		return 1;
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("runstat: wait4");
			return 1;
		}
	}

	double t1 = now();

	posix_spawn_file_actions_destroy(&fa);
	if (WIFSIGNALED(status)) {
		fprintf(stderr, "runstat: %s: killed by signal %d\n", argv[optind], WTERMSIG(status));
		return 1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "runstat: %s: exit status %d\n", argv[optind], WEXITSTATUS(status));
		return 1;
	}
	printf("%.6f %ld\n", t1 - t0, ru.ru_maxrss);
	return 0;
}
