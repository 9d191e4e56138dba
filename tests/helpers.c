/* Test helpers: commands, files and fixtures. */
#include <dirent.h>
#include <stdarg.h>
#include <elf.h>
#include <inttypes.h>
#include <stdio.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <ksym/format.h>
#include <ksym/ksym.h>

#include "encode.h"
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
		char line[sizeof(((struct nm_line *)0)->text)], *q, *e;
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


struct fix good_fixtures[] = {
	{ "gnu-le", "", EM_AARCH64 }, { "gnu-be", "", EM_AARCH64 }, { "lld-le", "", EM_AARCH64 },
	{ "lld-be", "", EM_AARCH64 }, { "gnu-lma", "", EM_AARCH64 }, { "lld-lma", "", EM_AARCH64 },
	{ "lld-arm32", "arm-linux-gnueabihf-", EM_ARM }, { "glibc", "", EM_AARCH64 },
	{ "lld-thumb", "arm-linux-gnueabihf-", EM_ARM }, { "gnu-rv64", "riscv64-linux-gnu-", EM_RISCV },
	/* --gc-sections: NUM_KERNEL_SYMBOLS, which nothing reads, survives it (KSYM_DEFINE_COUNT) */
	{ "gnu-gc", "", EM_AARCH64 }, { "lld-gc", "", EM_AARCH64 },
	/* long C++ names: two-byte name codes */
	{ "llvm", "", EM_AARCH64 },
};

const size_t n_good_fixtures = sizeof(good_fixtures) / sizeof(good_fixtures[0]);

/* nm and addr2line for the fixture's architecture. */
const char *fix_binutils(const struct fix *f)
{
	return f->binutils[0] ? f->binutils : cross();
}

char *patch_copy(const char *fixture_name, const char *options, struct run *r)
{
	char *elf = tmp_copy(fixture_name);
	struct run p = run("%s patch %s %s", tool(), options, elf);

	if (r) {
		*r = p;
		return elf;
	}
	cr_assert(p.status == 0, "patch %s %s: %s", options, fixture_name, p.err);
	run_free(&p);
	return elf;
}

const struct nm_line *nm_find(const struct nm_line *v, size_t n, uint64_t start, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].start == start && strcmp(v[i].name, name) == 0)
			return &v[i];
	return NULL;
}

/*
 * readelf -SW's section lines, less their "[N]", through an awk program:
 * $1 name, $2 type, $3 address, $4 offset, $5 size, $7 flags.
 */
struct run readelf_sections(const char *elf, const char *awk)
{
	return run("%sreadelf -SW %s | sed -n 's/^ *\\[ *[0-9]*\\] //p' | awk '%s'", cross(), elf, awk);
}

void expect_failure(struct run *r, const char *file, const char *phrase)
{
	cr_assert(r->status == 1, "exit %d, stderr: %s", r->status, r->err);
	cr_assert(count_lines(r->err) == 1, "one line: %s", r->err);
	cr_assert(strstr(r->err, file) != NULL, "names the file: %s", r->err);
	cr_assert(strstr(r->err, phrase) != NULL, "says '%s': %s", phrase, r->err);
}

/* A file under the build directory (a new string). */
char *build_path(const char *name)
{
	char *path = malloc(512);

	snprintf(path, 512, "%s/%s", build_dir(), name);
	return path;
}

const char *fault_shim(void)
{
	static char *shim;

	if (!shim)
		shim = build_path("tests/fault_inject.so");
	return shim;
}

/* Files in elf's directory other than elf itself (temporary files). */
int strays(const char *elf)
{
	char *dir = strdup(elf);
	int n = 0;

	*strrchr(dir, '/') = '\0';
	DIR *d = opendir(dir);

	for (struct dirent *e; d && (e = readdir(d));)
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
		     strcmp(e->d_name, strrchr(elf, '/') + 1);
	closedir(d);
	free(dir);
	return n;
}

int same_bytes(const char *a, size_t la, const char *b, size_t lb)
{
	return la == lb && memcmp(a, b, la) == 0;
}

double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Start `ksympatch patch elf`, send it sig after delay seconds; returns its exit status or -1. */
int patch_and_signal(const char *elf, double delay, int sig)
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		execl(tool(), "ksympatch", "patch", elf, (char *)NULL);
		_exit(127);
	}
	if (delay >= 0) {
		struct timespec ts = { (time_t)delay, (long)((delay - (time_t)delay) * 1e9) };

		nanosleep(&ts, NULL);
		kill(pid, sig);
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

void addr2line_text(const char *cross, const char *elf, uint64_t addr, uint64_t at, int demangle, char *out,
		    size_t len)
{
	const char *c = demangle ? "-C" : "";
	struct run a = run("%saddr2line -f -i %s -e %s 0x%" PRIx64 " | tail -2 | head -1", cross, c, elf, at);
	struct run nm = run("%snm -S %s %s", cross, c, elf);
	struct nm_line *v;
	size_t n = parse_nm(nm.out, &v);

	a.out[strcspn(a.out, "\n")] = '\0';
	snprintf(out, len, "??");
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].name, a.out) && v[i].has_size && at - v[i].start < v[i].size)
			snprintf(out, len, "%s+0x%" PRIx64 "/0x%" PRIx64, a.out, addr - v[i].start, v[i].size);
	free(v);
	run_free(&a);
	run_free(&nm);
}

/* File offset and size of a section, from readelf -SW. */
void section_bytes(const char *elf, const char *name, uint64_t *off, uint64_t *size)
{
	char awk[96];
	struct run r;
	unsigned long long o, z;

	snprintf(awk, sizeof(awk), "$1 == \"%s\" { print $4, $5 }", name);
	r = readelf_sections(elf, awk);

	cr_assert(sscanf(r.out, "%llx %llx", &o, &z) == 2, "no section %s: %s", name, r.err);
	*off = o;
	*size = z;
	run_free(&r);
}

/* The value of key= in the board's .env (board/board.mk writes it), malloc'd. */
char *board_env(const char *board, const char *key)
{
	struct run r = run("sed -n 's/^%s=//p' %s/boards/%s.env", key, build_dir(), board);
	char *v = strdup(r.out);

	v[strcspn(v, "\n")] = '\0';
	run_free(&r);
	return v;
}


uint32_t table_u32(const unsigned char *table, size_t off)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++)
		v = v << 8 | table[off + (table[KSYM_HDR_ENDIAN] == KSYM_ENDIAN_BIG ? i : 3 - i)];
	return v;
}

unsigned table_off_size(const unsigned char *table)
{
	return table[KSYM_HDR_FLAGS] & KSYM_FLAG_SHORT ? 2 : 4;
}

uint32_t table_block_entry(const unsigned char *table, uint32_t b)
{
	return table_u32(table, KSYM_HDR_BLOCKS_OFF) + b * (4 + table_off_size(table));
}

uint32_t table_restart(const unsigned char *table, uint32_t r)
{
	size_t at = table_u32(table, KSYM_HDR_RESTARTS_OFF) + r * table_off_size(table);

	return table_off_size(table) == 2 ? (uint32_t)table[at] | (uint32_t)table[at + 1] << 8 : table_u32(table, at);
}

void table_reseal(unsigned char *table)
{
	uint32_t sum = ksym_checksum(table, table_u32(table, KSYM_HDR_END));

	for (int i = 0; i < 4; i++)
		table[KSYM_HDR_CHECKSUM + i] = (unsigned char)(sum >> (8 * i));
}

unsigned table_ntok(const unsigned char *table)
{
	return table[KSYM_HDR_NTOK] | (unsigned)table[KSYM_HDR_NTOK + 1] << 8;
}

unsigned table_pair(const unsigned char *table, unsigned i, int k)
{
	const unsigned char *p = table + KSYM_HDR_TOKENS + ksym_pair_bytes(table[KSYM_HDR_NESC]) * i;

	if (!table[KSYM_HDR_NESC])
		return p[k];
	return k ? (p[1] & 0xfu) << 8 | p[2] : (unsigned)p[0] << 4 | p[1] >> 4;
}

void table_set_pair(unsigned char *table, unsigned i, unsigned a, unsigned b)
{
	unsigned nesc = table[KSYM_HDR_NESC];

	ksp_put_pair(table + KSYM_HDR_TOKENS + ksym_pair_bytes(nesc) * i, nesc, a, b); /* the encoder's writer */
}

int table_ends_name(const unsigned char *table, unsigned c)
{
	while (c > table[KSYM_HDR_NLIT] && c <= table[KSYM_HDR_NLIT] + table_ntok(table))
		c = table_pair(table, c - table[KSYM_HDR_NLIT] - 1, 1);
	return c == 0;
}

unsigned char *table_alphabet(unsigned char *table)
{
	return table + KSYM_HDR_TOKENS + ksym_pair_bytes(table[KSYM_HDR_NESC]) * table_ntok(table);
}

unsigned table_literal(unsigned char *table, unsigned char b)
{
	for (unsigned c = 1; c <= table[KSYM_HDR_NLIT]; c++)
		if (table_alphabet(table)[c - 1] == b)
			return c;
	return 0;
}

char *asm_kernel_unpatched(const char *code, unsigned table_size)
{
	char *dir = tmp_dir(), path[600], size[64] = "";
	FILE *f;

	snprintf(path, sizeof(path), "%s/k.S", dir);
	f = fopen(path, "w");
	cr_assert(f != NULL);
	fprintf(f, "\t.section .text.boot, \"ax\"\n%s"
		   "\t.section .kernel_symbols.head, \"a\"\n\t.balign 8\n\t.quad 0\n"
		   "\t.section .rodata.ksym_count, \"a\"\n\t.balign 8\n\t.global NUM_KERNEL_SYMBOLS\n"
		   "\t.type NUM_KERNEL_SYMBOLS, %%object\nNUM_KERNEL_SYMBOLS:\n\t.quad 0\n"
		   "\t.size NUM_KERNEL_SYMBOLS, 8\n",
		code);
	fclose(f);

	if (table_size)
		snprintf(size, sizeof(size), "--defsym KSYM_TABLE_SIZE=%u", table_size);
	struct run b = run("%sgcc -c %s/k.S -o %s/k.o && %sld --no-warn-rwx-segments -L linker_scripts "
			   "-T tests/fixtures/fixture.ld %s -o %s/k.elf %s/k.o",
			   cross(), dir, dir, cross(), size, dir, dir);

	cr_assert(b.status == 0, "%s", b.err);
	run_free(&b);
	return dir;
}

char *asm_kernel(const char *code)
{
	char *dir = asm_kernel_unpatched(code, 0);
	struct run p = run("%s patch %s/k.elf", tool(), dir);

	cr_assert(p.status == 0, "%s", p.err);
	run_free(&p);
	return dir;
}

struct run expect_refused(const char *file, const char *phrase, const char *fmt, ...)
{
	char cmd[4096];
	size_t lb, la;
	char *before = read_file(file, &lb), *after;
	va_list ap;
	struct run r;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	r = run("%s", cmd);
	after = read_file(file, &la);
	expect_failure(&r, file, phrase);
	cr_assert(same_bytes(before ? before : "", before ? lb : 0, after ? after : "", after ? la : 0),
		  "%s changed: %s", file, cmd);
	free(before);
	free(after);
	return r;
}

/*
 * The address after prefix at p, and the symbol text between " <" and the
 * line's last ">" (C++ names hold '<' and '>'); "" when there is none.
 */
int parse_addr_sym(const char *p, const char *prefix, uint64_t *addr, char *sym, size_t len)
{
	const char *eol, *lt, *gt;
	char *end;

	if (strncmp(p, prefix, strlen(prefix)) != 0)
		return 0;
	p += strlen(prefix);
	*addr = strtoull(p, &end, 16);
	if (end == p)
		return 0;
	eol = end + strcspn(end, "\n");
	lt = strstr(end, " <");
	gt = eol;
	while (gt > end && *gt != '>')
		gt--;
	if (!lt || lt > eol || gt < lt + 2)
		snprintf(sym, len, "%s", "");
	else
		snprintf(sym, len, "%.*s", (int)(gt - lt - 2), lt + 2);
	return 1;
}

void free_param_array(struct criterion_test_params *p)
{
	cr_free(p->params);
}
