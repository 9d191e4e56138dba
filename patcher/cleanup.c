/* SPDX-License-Identifier: MIT */
/*
 * Cleanup on the way out: the one place that knows which temporary file a
 * signal must remove, used by the writer (write.c) and by the SIGBUS
 * handler of the reader's mapping (elf_file.c), so neither calls the other.
 *
 * Strategy: the path lives in a static buffer and a sig_atomic_t says
 * whether it is live; the handlers only unlink(), write() and re-raise or
 * _exit, all async-signal-safe.  The signals are blocked while the name is
 * stored, so a handler never sees half of it.  Only SIGKILL can still leave
 * a temporary file behind.
 */
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ksympatch.h"
#include "cleanup.h"

static char pending[PATH_MAX + 32];
static volatile sig_atomic_t have_pending;
static const int cleanup_signals[] = { SIGINT, SIGTERM, SIGHUP };
static struct sigaction saved[KSP_ARRAY_SIZE(cleanup_signals)];
static const char *mapped_path;

static void remove_temp(void)
{
	if (have_pending)
		unlink(pending);
}

static void on_signal(int sig)
{
	remove_temp();
	signal(sig, SIG_DFL);
	raise(sig); /* die of the signal, as the caller expects */
}

static void put_err(const char *s)
{
	ssize_t w = write(STDERR_FILENO, s, strlen(s));

	(void)w;
}

static void on_sigbus(int sig)
{
	(void)sig;
	remove_temp();
	put_err("ksympatch: ");
	put_err(mapped_path ? mapped_path : "?");
	put_err(": the file changed size while it was being read; run again when nothing else writes it\n");
	_exit(1); /* async-signal-safe, unlike the atexit handlers */
}

static void catch_signals(int on)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < KSP_ARRAY_SIZE(cleanup_signals); i++) {
		if (on)
			sigaction(cleanup_signals[i], &sa, &saved[i]);
		else
			sigaction(cleanup_signals[i], &saved[i], NULL);
	}
}

int ksp_temp_create(char *tmp)
{
	sigset_t block, old;
	int fd;

	sigemptyset(&block);
	for (size_t i = 0; i < KSP_ARRAY_SIZE(cleanup_signals); i++)
		sigaddset(&block, cleanup_signals[i]);
	sigprocmask(SIG_BLOCK, &block, &old);
	catch_signals(1);
	fd = mkstemp(tmp);
	if (fd >= 0) {
		memcpy(pending, tmp, strlen(tmp) + 1);
		have_pending = 1;
	} else {
		catch_signals(0);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return fd;
}

void ksp_temp_done(void)
{
	have_pending = 0;
	catch_signals(0);
}

void ksp_watch_mapping(const char *path)
{
	struct sigaction sa = { .sa_handler = on_sigbus };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	mapped_path = path;
}
