/*
 * Generate an lk-like kernel as AArch64 assembly for the density table: the
 * shape of littlekernel on qemu-virt-arm64 as issue 17 measured it (about
 * 2,500 symbols, names of about 23 bytes, many of them C++), from word lists
 * in lk's style: C functions and objects named subsystem_object_verb
 * (thread_create, vmm_alloc_region, pmm_free_page, arch_mmu_map), a fifth
 * static, and C++ members, constructors and templates mangled the Itanium
 * way (_ZN3lib4cbuf5writeEPKvmb, _ZN6fbl_rc7RefPtrIN2vm6VmAreaEED2Ev), one
 * name in three.  Deterministic: the same file every time.
 *
 * With a NAMES file (one name a line, as the C++ set of the density table
 * takes from libLLVM), the kernel has those names instead, all global
 * functions, with sizes drawn as above, 16-byte aligned as libLLVM's are
 * (so that some end before the next begins).
 *
 * usage: gen_lk OUT.S [NAMES]
 * Prints the placeholder size the table needs (for --defsym KSYM_TABLE_SIZE).
 */
#include <stdio.h>
#include <string.h>

#define N_SYMBOLS 2500
#define MAX_SYMBOLS 100000

static const char *const subsys[] = {
	"thread", "mutex", "event", "timer", "vmm", "pmm", "arch", "platform", "dev", "uart", "pci",
	"virtio", "fs", "bio", "lib", "heap", "cbuf", "console", "wait_queue", "spin_lock", "mp",
	"interrupt", "gic", "mmu", "kernel", "debug", "minip", "lwip", "udp", "net", "page",
};
static const char *const objects[] = {
	"", "region", "page", "block", "queue", "entry", "ctx", "state", "list", "range", "node",
	"buf", "port", "irq", "map", "cache", "desc", "vector", "stack", "table",
};
static const char *const verbs[] = {
	"init", "create", "destroy", "alloc", "free", "map", "unmap", "read", "write", "get", "set",
	"lookup", "insert", "remove", "start", "stop", "wait", "signal", "acquire", "release",
	"handler", "dump", "reset", "open", "close", "flush",
};
static const char *const cxx_ns[] = { "lib", "vm", "fbl", "ktl", "dev", "arch", "fs", "object" };
static const char *const cxx_class[] = {
	"VmAspace", "VmArea", "Thread", "Mutex", "RefPtr", "Dispatcher", "PageTable", "Event",
	"BlockDevice", "VirtioDevice", "IntrusiveList", "SpinLock", "Handle", "Port", "Timer",
};
static const char *const cxx_member[] = {
	"Create", "Destroy", "Map", "Unmap", "Read", "Write", "Lookup", "Insert", "Remove", "Signal",
	"Wait", "Acquire", "Release", "Init", "Reset", "get", "set", "size", "begin", "end",
};
static const char *const cxx_params[] = {
	"Ev", "Em", "Ej", "EPv", "EPKvm", "Emmj", "ERKS0_", "EPS0_", "Ejb", "EPKcm", "Ei", "Emm",
};

#define PICK(a, i) ((a)[(i) % (sizeof(a) / sizeof((a)[0]))])

/* A pseudo-random but fixed sequence (xorshift32). */
static unsigned rnd(unsigned *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* Symbol i's name, C or mangled C++; returns its length. */
static int lk_name(char *out, size_t len, unsigned long i, unsigned *s)
{
	unsigned a = rnd(s), b = rnd(s), c = rnd(s);

	if (i % 3 == 1) {
		const char *ns = PICK(cxx_ns, a), *cls = PICK(cxx_class, b), *m = PICK(cxx_member, c);

		switch (c % 4) {
		case 0: /* a constructor or destructor */
			return snprintf(out, len, "_ZN%zu%s%zu%sC%dE%s", strlen(ns), ns, strlen(cls), cls, 1 + (int)(a % 2),
					PICK(cxx_params, a >> 8) + 1);
		case 1: /* a template's member */
			return snprintf(out, len, "_ZN%zu%s%zuRefPtrIN%zu%s%zu%sEE%zu%s%s", strlen(ns), ns, (size_t)6,
					strlen(ns), ns, strlen(cls), cls, strlen(m), m, PICK(cxx_params, b >> 8));
		default:
			return snprintf(out, len, "_ZN%zu%s%zu%s%zu%s%s", strlen(ns), ns, strlen(cls), cls, strlen(m), m,
					PICK(cxx_params, b >> 8));
		}
	}
	const char *sub = PICK(subsys, a), *obj = PICK(objects, b), *verb = PICK(verbs, c);

	return snprintf(out, len, "%s%s%s_%s%s", sub, *obj ? "_" : "", obj, verb, c % 3 == 0 ? "_locked" : c % 3 == 1 ? "_etc" : "");
}

static char names[N_SYMBOLS][160];

static int seen(const char *name, unsigned long n)
{
	for (unsigned long k = 0; k < n; k++)
		if (strcmp(names[k], name) == 0)
			return 1;
	return 0;
}

/* The next name: the next line of list, or a new lk-like one; 0 at the end. */
static int next_name(char *name, size_t len, FILE *list, unsigned long i, unsigned *seed)
{
	int n;

	if (list) {
		if (i == MAX_SYMBOLS || !fgets(name, (int)len, list))
			return 0;
		name[strcspn(name, "\n")] = 0;
		return (int)strlen(name);
	}
	if (i == N_SYMBOLS)
		return 0;
	/* The same name twice would be one symbol to the assembler: draw again. */
	do
		n = lk_name(name, len, i, seed);
	while (seen(name, i));
	memcpy(names[i], name, sizeof(names[i]));
	return n;
}

int main(int argc, char **argv)
{
	FILE *f, *list = NULL;
	unsigned long long table = 64;
	char name[1024];
	unsigned seed = 0x6b6c6b31;

	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: gen_lk OUT.S [NAMES]\n");
		return 2;
	}
	if (argc == 3 && !(list = fopen(argv[2], "r"))) {
		perror(argv[2]);
		return 1;
	}
	f = fopen(argv[1], "w");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	fprintf(f, "\t.section .text.boot, \"ax\"\n\t.global _start\n\t.type _start, %%function\n"
		   "_start:\n\tb _start\n\t.size _start, . - _start\n\n");
	for (unsigned long i = 0;; i++) {
		int len = next_name(name, sizeof(name), list, i, &seed), data = !list && i % 5 == 4;
		unsigned r;

		if (!len)
			break;
		r = rnd(&seed);
		fprintf(f, "\t.section .%s.%lu, \"a%s\"\n", data ? "data" : "text", i, data ? "w" : "x");
		if (list || i % 5)
			fprintf(f, "\t.global %s\n", name);
		if (data)
			fprintf(f, "\t.balign 8\n\t.type %s, %%object\n%s:\n\t.zero %u\n", name, name, 8 * (1 + r % 24));
		else
			fprintf(f, "\t.balign %d\n\t.type %s, %%function\n%s:\n\t.zero %u\n", list ? 16 : 4, name, name,
				4 * (2 + r % 60));
		fprintf(f, "\t.size %s, . - %s\n", name, name);
		table += 24 + (unsigned long long)len;
	}
	fputs("\t.section .kernel_symbols.head, \"a\"\n\t.balign 8\n\t.quad 0\n", f); /* KSYM_DEFINE_TABLE_HEAD() */
	fputs("\t.section .rodata.ksym_count, \"a\"\n\t.balign 8\n\t.global NUM_KERNEL_SYMBOLS\n"
	      "\t.type NUM_KERNEL_SYMBOLS, %object\nNUM_KERNEL_SYMBOLS:\n\t.quad 0\n"
	      "\t.size NUM_KERNEL_SYMBOLS, 8\n", f);
	if (fclose(f)) {
		perror(argv[1]);
		return 1;
	}
	printf("%llu\n", (table + 4095) / 4096 * 4096);
	return 0;
}
