/* Test helpers: commands, files and fixtures. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "helpers.h"

char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		return NULL;
	for (;;) {
		if (n + 4096 + 1 > cap) {
			cap = (cap + 4096) * 2;
			buf = realloc(buf, cap);
			cr_assert(buf != NULL);
		}
		size_t r = fread(buf + n, 1, cap - n - 1, f);

		n += r;
		if (r == 0)
			break;
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	cr_assert(f != NULL, "cannot write %s", path);
	cr_assert(fwrite(data, 1, len, f) == len);
	fclose(f);
}

struct run run(const char *fmt, ...)
{
	char cmd[4096], full[4096 + 1100], *dir = tmp_dir();
	char out_path[512], err_path[512];
	struct run r;
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	snprintf(out_path, sizeof(out_path), "%s/out", dir);
	snprintf(err_path, sizeof(err_path), "%s/err", dir);
	snprintf(full, sizeof(full), "( %s ) >%s 2>%s", cmd, out_path, err_path);
	st = system(full);
	r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	r.out = read_file(out_path, NULL);
	r.err = read_file(err_path, NULL);
	unlink(out_path);
	unlink(err_path);
	rmdir(dir);
	free(dir);
	return r;
}

void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

const char *build_dir(void)
{
	const char *b = getenv("KSYM_BUILD");

	return b ? b : "build";
}

const char *tool(void)
{
	static char path[512];
	const char *t = getenv("KSYM_TOOL"); /* e.g. the sanitizer build */

	if (t)
		return t;
	snprintf(path, sizeof(path), "%s/ksympatch", build_dir());
	return path;
}

const char *fixture(const char *name)
{
	static char path[512];

	snprintf(path, sizeof(path), "%s/fixtures/%s.elf", build_dir(), name);
	return path;
}

const char *cross(void)
{
	const char *c = getenv("CROSS_COMPILE");

	return c ? c : "aarch64-linux-gnu-";
}

char *tmp_dir(void)
{
	char *d = strdup("/tmp/ksym-test-XXXXXX");

	cr_assert(d && mkdtemp(d) != NULL, "mkdtemp");
	return d;
}

char *tmp_copy_of(const char *src)
{
	char *dir = tmp_dir(), *path = malloc(600);
	const char *base = strrchr(src, '/') ? strrchr(src, '/') + 1 : src;
	size_t len;
	char *data = read_file(src, &len);

	cr_assert(data != NULL, "missing %s (run make test)", src);
	snprintf(path, 600, "%s/%s", dir, base);
	write_file(path, data, len);
	free(data);
	free(dir);
	return path;
}

char *tmp_copy(const char *fixture_name)
{
	return tmp_copy_of(fixture(fixture_name));
}

size_t parse_nm(const char *text, struct nm_line **out)
{
	size_t n = 0, cap = 64;
	const char *p = text;
	struct nm_line *v = malloc(cap * sizeof(*v));

	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		char line[256], *q, *e;
		struct nm_line l = { 0 };

		snprintf(line, sizeof(line), "%.*s", (int)len, p);
		/*
		 * START [SIZE] TYPE NAME: nm omits SIZE for symbols without one;
		 * NAME is the rest of the line (a demangled C++ name has spaces).
		 */
		l.start = strtoull(line, &e, 16);
		q = e;
		if (e != line && *q == ' ') {
			size_t w = strcspn(++q, " ");

			if (w > 1 && q[w] == ' ') { /* SIZE */
				l.size = strtoull(q, NULL, 16);
				l.has_size = 1;
				q += w + 1;
				w = strcspn(q, " ");
			}
			if (w == 1 && q[1] == ' ') {
				l.type = q[0];
				snprintf(l.name, sizeof(l.name), "%s", q + 2);
			}
		}
		if (l.type) {
			snprintf(l.text, sizeof(l.text), "%s", line);
			if (n == cap)
				v = realloc(v, (cap *= 2) * sizeof(*v));
			v[n++] = l;
		}
		p += len + (eol ? 1 : 0);
	}
	*out = v;
	return n;
}

size_t count_lines(const char *text)
{
	size_t n = 0;

	for (; *text; text++)
		n += *text == '\n';
	return n;
}

uint64_t section_file_offset(const char *elf, const char *section)
{
	struct run r = run("%sreadelf -SW %s | awk '$2 == \"%s\" {print $5} $3 == \"%s\" {print $6}'",
			   cross(), elf, section, section);
	uint64_t off = strtoull(r.out, NULL, 16);

	cr_assert(off != 0, "readelf: no section %s in %s", section, elf);
	run_free(&r);
	return off;
}

/* Independent of the patcher: nm's address, mapped through readelf's PT_LOADs. */
uint64_t vaddr_file_offset(const char *elf, uint64_t vma)
{
	struct run ph = run("%sreadelf -lW %s | awk '$1 == \"LOAD\" {print $2, $3, $5}'", cross(), elf);
	unsigned long long off, vaddr, filesz, found = 0;
	const char *p = ph.out;
	int n;

	while (sscanf(p, "%llx %llx %llx%n", &off, &vaddr, &filesz, &n) == 3) {
		if (vma >= vaddr && vma + 8 <= vaddr + filesz)
			found = off + vma - vaddr;
		p += n;
	}
	cr_assert(found != 0, "no PT_LOAD maps 0x%llx in %s", (unsigned long long)vma, elf);
	run_free(&ph);
	return found;
}

uint64_t symbol_file_offset(const char *elf, const char *symbol)
{
	struct run sym = run("%snm %s | awk '$3 == \"%s\" {print $1}'", cross(), elf, symbol);
	uint64_t off = vaddr_file_offset(elf, strtoull(sym.out, NULL, 16));

	run_free(&sym);
	return off;
}

void poke_file(const char *path, uint64_t offset, const void *bytes, size_t len)
{
	size_t size;
	char *data = read_file(path, &size);

	cr_assert(data != NULL && offset + len <= size);
	memcpy(data + offset, bytes, len);
	write_file(path, data, size);
	free(data);
}

char *strip_cr(char *text)
{
	char *w = text;

	for (const char *c = text; *c; c++)
		if (*c != '\r')
			*w++ = *c;
	*w = '\0';
	return text;
}
