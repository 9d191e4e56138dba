/*
 * libFuzzer target: the patcher's whole path (`ksympatch patch FILE`, in
 * place) on mutated ELF files.
 *
 * Each input is written to a file in a private directory and patched through
 * ksympatch's own main().  It must either succeed or fail cleanly: after a
 * failure the file is byte-identical to the input, and in every case no
 * temporary file is left behind.  Anything else aborts, and libFuzzer keeps
 * the input.
 */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int ksympatch_main(int argc, char **argv);

static char dir[] = "/tmp/ksym-fuzz-XXXXXX";
static char path[64];

static int entries(void)
{
	DIR *d = opendir(dir);
	int n = 0;

	for (struct dirent *e; d && (e = readdir(d));)
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	if (d)
		closedir(d);
	return n;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *argv[] = { "ksympatch", "patch", path, NULL };
	FILE *f;
	int status;

	if (!path[0]) {
		if (!mkdtemp(dir))
			abort();
		snprintf(path, sizeof(path), "%s/kernel.elf", dir);
	}
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f))
		abort();

	optind = 0; /* getopt starts afresh on every run */
	status = ksympatch_main(3, argv);
	if (status != 0 && status != 1)
		abort();
	if (status == 1) {
		f = fopen(path, "rb");
		unsigned char *back = malloc(size + 1);
		size_t got = f ? fread(back, 1, size + 1, f) : 0;

		if (!f || got != size || memcmp(back, data, size) != 0)
			abort(); /* a failed patch changed the input */
		fclose(f);
		free(back);
	}
	if (entries() != 1)
		abort(); /* a temporary file was left behind */
	unlink(path);
	return 0;
}
