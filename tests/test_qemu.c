/*
 * QEMU integration tests, for every board under board/plat and every
 * toolchain it builds with: boot the demo kernel for each fault kind the
 * board has and check what it prints against binutils for that
 * architecture on the same ELF: the faulting address's symbol and every
 * backtrace frame against addr2line -f (names) and nm -S (offsets and
 * sizes), the self-test lines against nm.  Then boot an unpatched image and
 * images whose table was damaged after patching: the report must say the
 * table is unusable and still print raw addresses.  A board whose firmware
 * boots a raw image (image= in its .env, e.g. raspi3b's kernel8.img) boots
 * the one make built, or one objcopy makes from the ELF under test; the
 * oracle reads the ELF, and ksympatch verify --image checks the built one.
 *
 * What a test needs to know of a board (its QEMU command, binutils prefix,
 * faults, the report's program-counter line) is in build/boards/BOARD.env,
 * written by board/board.mk, so a new board needs no change here.  Boards
 * whose kernel is in Rust (language=rust) are test_qemu_rust.c's.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/parameterized.h>
#include <ctype.h>
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "damage.h"
#include "demo.h"
#include "helpers.h"
#include "ksympatch.h"

#define BOOT_TIMEOUT 30 /* seconds; a boot takes about 0.2 */
#define MAX_CASES 256

struct board {
	char name[32];
	char toolchains[32];
	char cross[64];
	char qemu[256];
	char option_addr[32];
	char faults[96];
	char pc_line[32]; /* the report line with the faulting address */
	unsigned int call_size; /* a return address minus this is its call */
	char causes[5][128];	/* what the report says of each fault kind */
	char image[32];		/* the raw image it boots, or "" for the ELF */
	char language[8];	/* c, or rust (test_qemu_rust.c boots those) */
	int exit_status;	/* QEMU's status at power-off (isa-debug-exit: not 0) */
};

static const char *const fault_names[] = { "dabort", "undef", "brk" };
static const int fault_options[] = { DEMO_FAULT_DABORT, DEMO_FAULT_UNDEF, DEMO_FAULT_BRK };

/* Whether word is one of the space-separated words of list. */
static int has_word(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = strstr(list, word); p; p = strstr(p + 1, word))
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
	return 0;
}

/* build/boards/NAME.env into *b. */
static void load_board(const char *name, struct board *b)
{
	char path[512], line[512];
	FILE *f;

	memset(b, 0, sizeof(*b));
	snprintf(b->name, sizeof(b->name), "%s", name);
	snprintf(path, sizeof(path), "%s/boards/%s.env", build_dir(), name);
	f = fopen(path, "r");
	cr_assert(f != NULL, "%s: run make kernels first", path);
	while (fgets(line, sizeof(line), f)) {
		char *eq = strchr(line, '='), *v;

		if (!eq)
			continue;
		*eq = '\0';
		v = eq + 1;
		v[strcspn(v, "\n")] = '\0';
#define FIELD(key, dst) if (!strcmp(line, key)) snprintf(dst, sizeof(dst), "%s", v)
		FIELD("toolchains", b->toolchains);
		FIELD("cross", b->cross);
		FIELD("qemu", b->qemu);
		FIELD("option_addr", b->option_addr);
		FIELD("faults", b->faults);
		FIELD("pc_line", b->pc_line);
		FIELD("image", b->image);
		FIELD("language", b->language);
		for (size_t i = 0; i < KSP_ARRAY_SIZE(fault_names); i++) {
			char key[32];

			snprintf(key, sizeof(key), "cause_%s", fault_names[i]);
			FIELD(key, b->causes[i]);
		}
#undef FIELD
		if (!strcmp(line, "call_size"))
			b->call_size = (unsigned int)strtoul(v, NULL, 0);
		if (!strcmp(line, "exit_status"))
			b->exit_status = (int)strtol(v, NULL, 0);
	}
	fclose(f);
	cr_assert(b->qemu[0] && b->pc_line[0] && b->call_size, "%s: incomplete", path);
	for (size_t i = 0; i < KSP_ARRAY_SIZE(fault_names); i++)
		cr_assert(has_word(b->faults, fault_names[i]) == 0 || b->causes[i][0] != '\0', "%s: no cause_%s (ARCH_CAUSE_%s)",
			  path, fault_names[i], fault_names[i]);
}

/* The boards that board/board.mk described, sorted. */
static size_t board_names(char names[][32], size_t max)
{
	char path[512];
	struct dirent *e;
	size_t n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "%s/boards", build_dir());
	d = opendir(path);
	if (!d)
		return 0;
	while ((e = readdir(d)) && n < max) {
		size_t len = strlen(e->d_name);

		if (len > 4 && len - 4 < 32 && !strcmp(e->d_name + len - 4, ".env"))
			snprintf(names[n++], 32, "%.*s", (int)(len - 4), e->d_name);
	}
	closedir(d);
	qsort(names, n, 32, (int (*)(const void *, const void *))strcmp);
	return n;
}

/* One boot: a board, a toolchain, a fault option or a damage. */
struct boot_case {
	char board[32];
	char toolchain[8];
	int fault; /* index into fault_names, or -1 */
	enum damage damage;
};

/* Every (board, toolchain[, fault]) pair; all toolchains or the first only. */
static struct criterion_test_params make_cases(int per_fault, int all_toolchains, int per_damage)
{
	char names[32][32];
	size_t nb = board_names(names, 32), n = 0;
	struct boot_case *c = cr_malloc(MAX_CASES * sizeof(*c));

	for (size_t i = 0; i < nb; i++) {
		struct board b;
		char tcs[32], *save = NULL;

		load_board(names[i], &b);
		if (strcmp(b.language, "c") != 0)
			continue; /* a Rust kernel has no monitor: test_qemu_rust.c */
		snprintf(tcs, sizeof(tcs), "%s", b.toolchains);
		for (char *tc = strtok_r(tcs, " ", &save); tc; tc = strtok_r(NULL, " ", &save)) {
			int nf = per_fault ? (int)(KSP_ARRAY_SIZE(fault_names)) : 1;
			int nd = per_damage ? DAMAGE_KINDS : 1;

			for (int f = 0; f < nf; f++)
				for (int d = 0; d < nd; d++) {
					if (per_fault && !has_word(b.faults, fault_names[f]))
						continue;
					cr_assert(n < MAX_CASES);
					memset(&c[n], 0, sizeof(c[n]));
					snprintf(c[n].board, sizeof(c[n].board), "%s", names[i]);
					snprintf(c[n].toolchain, sizeof(c[n].toolchain), "%s", tc);
					c[n].fault = per_fault ? f : -1;
					c[n].damage = (enum damage)d;
					n++;
				}
			if (!all_toolchains)
				break;
		}
	}
	return cr_make_param_array(struct boot_case, c, n, free_param_array);
}

static const char *kernel(const struct boot_case *c, const char *which)
{
	static char path[512];

	snprintf(path, sizeof(path), "%s/%s-%s/%s.elf", build_dir(), c->board, c->toolchain, which);
	return path;
}

/* objcopy -O binary of elf, as the board's image, in a fresh directory; malloc'd. */
static char *raw_image_of(const struct board *b, const char *elf)
{
	char *dir = tmp_dir(), *path = malloc(600);
	struct run r;

	snprintf(path, 600, "%s/%s", dir, b->image);
	r = run("%sobjcopy -O binary %s %s", b->cross, elf, path);
	cr_assert(eq(int, r.status, 0), "objcopy %s: %s", elf, r.err);
	run_free(&r);
	free(dir);
	return path;
}

/*
 * What QEMU boots for elf: elf itself; on a board that boots a raw image,
 * the image make built beside a kernel.elf of the build directory, or else
 * (a copy that a test unpatched or damaged) one made from elf now.  malloc'd.
 */
static char *boot_file(const struct board *b, const char *elf)
{
	const char *base = strrchr(elf, '/') ? strrchr(elf, '/') + 1 : elf;
	char *path = malloc(600);

	if (!b->image[0]) {
		snprintf(path, 600, "%s", elf);
		return path;
	}
	if (!strcmp(base, "kernel.elf") && !strncmp(elf, build_dir(), strlen(build_dir()))) {
		snprintf(path, 600, "%.*s%s", (int)(base - elf), elf, b->image);
		return path;
	}
	free(path);
	return raw_image_of(b, elf);
}

/*
 * Boot elf on board b with a fault option and input on the console (NULL:
 * none); returns QEMU's output and exit status.
 */
static struct run boot_with_input(const struct board *b, const char *elf, int option, const char *input)
{
	char cmd[1024], *file = boot_file(b, elf);
	struct run r;

	snprintf(cmd, sizeof(cmd), "timeout %d %s -kernel %s -device loader,addr=%s,data=%d,data-len=4",
		 BOOT_TIMEOUT, b->qemu, file, b->option_addr, option);
	free(file);
	r = input ? run("printf '%s' | %s", input, cmd) : run("%s </dev/null", cmd);
	cr_assert(eq(int, r.status, b->exit_status), "%s: exit %d (124: timed out); output:\n%s%s", cmd,
		  r.status, r.out, r.err);
	strip_cr(r.out);
	return r;
}

static struct run boot(const struct board *b, const char *elf, int option)
{
	return boot_with_input(b, elf, option, NULL);
}


static void oracle(const struct board *b, const char *elf, uint64_t addr, uint64_t at, char *out,
		   size_t len)
{
	addr2line_text(b->cross, elf, addr, at, 0, out, len);
}

/* The address and the symbol text inside <...> on the line "PC_LINE: 0x...". */
static int parse_pc(const char *text, const struct board *b, uint64_t *addr, char *sym, size_t len)
{
	char prefix[48];
	const char *p;

	snprintf(prefix, sizeof(prefix), "%s: 0x", b->pc_line);
	p = strstr(text, prefix);
	if (!p || (p != text && p[-1] != '\n'))
		return 0;
	return parse_addr_sym(p, prefix, addr, sym, len);
}

/*
 * Every backtrace frame against binutils: #0 looked up where it is, the
 * others at their call (return address - call size), all printed raw.
 * Returns how many frames there are.
 */
static int check_backtrace(const struct board *b, const char *elf, const char *out, int demangle)
{
	const char *p = strstr(out, "Backtrace:\n"), *end = strstr(out, "End of backtrace\n");
	char got[256], want[256], prefix[24];
	int frames = 0;

	cr_assert(p != NULL && end != NULL, "%s", out);
	for (p = strstr(p, "  #"); p && p < end; p = strstr(p + 1, "  #")) {
		uint64_t a;

		snprintf(prefix, sizeof(prefix), "  #%d 0x", frames);
		cr_assert(parse_addr_sym(p, prefix, &a, got, sizeof(got)), "%.80s", p);
		addr2line_text(b->cross, elf, a, frames ? a - b->call_size : a, demangle, want, sizeof(want));
		cr_assert(eq(str, got, want), "%s: frame #%d", b->name, frames);
		frames++;
	}
	return frames;
}

ParameterizedTestParameters(qemu, fault_report_names_the_faulting_function)
{
	return make_cases(1, 1, 0);
}

ParameterizedTest(struct boot_case *c, qemu, fault_report_names_the_faulting_function)
{
	const char *fault = fault_names[c->fault];
	const char *elf = kernel(c, "kernel");
	struct board b;
	struct run r;
	char got[256], want[256], fn[32];
	uint64_t addr;
	int frames;

	load_board(c->board, &b);
	r = boot(&b, elf, fault_options[c->fault]);
	cr_assert(parse_pc(r.out, &b, &addr, got, sizeof(got)), "%s %s %s:\n%s", c->board,
		  c->toolchain, fault, r.out);
	oracle(&b, elf, addr, addr, want, sizeof(want));
	cr_assert(eq(str, got, want), "%s %s %s: %s symbol vs addr2line/nm", c->board, c->toolchain,
		  fault, b.pc_line);
	snprintf(fn, sizeof(fn), "demo_fault_%s+", fault);
	cr_assert(strncmp(got, fn, strlen(fn)) == 0, "the faulting function is %s: %s", fn, got);
	cr_assert(strstr(r.out, b.causes[c->fault]) != NULL, "cause '%s':\n%s", b.causes[c->fault],
		  r.out);

	frames = check_backtrace(&b, elf, r.out, 0);
	cr_assert(frames >= 5, "backtrace too short:\n%s", r.out);
	for (const char *f = "demo_level2\0demo_level1\0demo_run_fault\0kernel_main\0"; *f;
	     f += strlen(f) + 1)
		cr_assert(strstr(strstr(r.out, "Backtrace:"), f) != NULL, "%s not in backtrace", f);
	if (fault_options[c->fault] == DEMO_FAULT_BRK) {
		cr_assert(strstr(r.out, "carrying on") != NULL, "brk must return and carry on");
		cr_assert(strstr(r.out, "ksympatch-demo: PASS\n") != NULL, "%s", r.out);
	} else {
		cr_assert(strstr(r.out, "ksympatch-demo: fault reported\n") != NULL, "%s", r.out);
	}
	run_free(&r);
}

ParameterizedTestParameters(qemu, selftest_lookups_agree_with_nm)
{
	return make_cases(0, 1, 0);
}

ParameterizedTest(struct boot_case *c, qemu, selftest_lookups_agree_with_nm)
{
	const char *elf = kernel(c, "kernel");
	int addrs = 0, names = 0;
	struct board b;
	struct run r;

	load_board(c->board, &b);
	r = boot(&b, elf, DEMO_FAULT_NONE);
	cr_assert(strstr(r.out, "selftest: ok\n") != NULL, "%s %s:\n%s", c->board, c->toolchain, r.out);
	cr_assert(strstr(r.out, "ksympatch-demo: PASS\n") != NULL, "%s", r.out);
	for (const char *p = strstr(r.out, "selftest: "); p; p = strstr(p + 1, "selftest: ")) {
		unsigned long long a;
		char sym[160], want[160], name[64];

		if (sscanf(p, "selftest: addr 0x%llx -> %159s", &a, sym) == 2) {
			oracle(&b, elf, a, a, want, sizeof(want));
			cr_assert(eq(str, sym, want));
			addrs++;
		} else if (sscanf(p, "selftest: name %63s -> 0x%llx", name, &a) == 2) {
			struct run nm = run("%snm %s | awk '$3 == \"%s\" {print $1}'", b.cross, elf, name);

			cr_assert(eq(u64, a, strtoull(nm.out, NULL, 16)), "%s", name);
			run_free(&nm);
			names++;
		}
	}
	cr_assert(addrs >= 3 && names >= 2, "%s", r.out);
	run_free(&r);
}

ParameterizedTestParameters(qemu, fault_inside_the_handler_is_reported_once_without_a_loop)
{
	return make_cases(0, 0, 0);
}

/* A fault inside the handler: one line, then power-off (boot() checks the exit). */
ParameterizedTest(struct boot_case *c, qemu, fault_inside_the_handler_is_reported_once_without_a_loop)
{
	const char *elf = kernel(c, "kernel");
	struct board b;
	struct run r;
	uint64_t addr;
	char sym[160], want[160], prefix[64];
	const char *nested;

	load_board(c->board, &b);
	r = boot(&b, elf, DEMO_FAULT_NESTED);
	snprintf(prefix, sizeof(prefix), "\nnested exception, %s: 0x", b.pc_line);
	nested = strstr(r.out, prefix);
	cr_assert(strstr(r.out, "ksympatch-demo: fault reported\n") != NULL, "%s", r.out);
	cr_assert(nested != NULL, "%s", r.out);
	cr_assert(strstr(nested + 2, "nested exception") == NULL, "reported once: %s", r.out);
	cr_assert(parse_pc(strstr(nested, b.pc_line), &b, &addr, sym, sizeof(sym)));
	oracle(&b, elf, addr, addr, want, sizeof(want));
	cr_assert(strncmp(want, "demo_fault_dabort+", 18) == 0, "the second fault: %s", want);
	run_free(&r);
}

/* The report without a usable table: its reason in words, raw addresses, power-off. */
static void expect_unusable_report(const struct board *b, const struct run *r, const char *why)
{
	char want[128];
	uint64_t addr;
	char sym[160];

	snprintf(want, sizeof(want), "symbol table unusable: %s\n", why);
	cr_assert(strstr(r->out, want) != NULL, "want '%s' in:\n%s", want, r->out);
	cr_assert(parse_pc(r->out, b, &addr, sym, sizeof(sym)), "%s", r->out);
	cr_assert(eq(str, sym, ""), "no name without a table");
	cr_assert(strstr(r->out, "\nBacktrace:\n  #0 0x") != NULL, "%s", r->out);
	cr_assert(strstr(r->out, "\n  #3 0x") != NULL, "raw backtrace addresses: %s", r->out);
	cr_assert(strstr(r->out, "End of backtrace\n") != NULL);
	cr_assert(strchr(strstr(r->out, "Backtrace:"), '<') == NULL, "no names: %s", r->out);
}

ParameterizedTestParameters(qemu, unpatched_image_says_so_in_words)
{
	return make_cases(0, 1, 0);
}

ParameterizedTest(struct boot_case *c, qemu, unpatched_image_says_so_in_words)
{
	struct board b;
	struct run r;

	load_board(c->board, &b);
	r = boot(&b, kernel(c, "kernel.unpatched"), DEMO_FAULT_DABORT);
	expect_unusable_report(&b, &r, "symbol table not patched");
	run_free(&r);
}

/* ---- raw images (objcopy -O binary of the patched ELF) ---- */

/* The cases of the boards that boot a raw image, every toolchain. */
static struct criterion_test_params image_cases(void)
{
	struct criterion_test_params p = make_cases(0, 1, 0);
	struct boot_case *c = p.params;
	size_t n = 0;

	for (size_t i = 0; i < p.length; i++) {
		struct board b;

		load_board(c[i].board, &b);
		if (b.image[0])
			c[n++] = c[i];
	}
	p.length = n;
	return p;
}

ParameterizedTestParameters(qemu, verify_image_accepts_the_built_raw_image_and_not_a_stale_one)
{
	return image_cases();
}

/*
 * The image make built carries the ELF's table; one made from the
 * unpatched ELF (objcopy before the patch) is caught as stale.
 */
ParameterizedTest(struct boot_case *c, qemu, verify_image_accepts_the_built_raw_image_and_not_a_stale_one)
{
	char elf[512], *stale;
	struct board b;
	struct run r;

	load_board(c->board, &b);
	snprintf(elf, sizeof(elf), "%s", kernel(c, "kernel"));
	r = run("%s verify --image %s/%s-%s/%s %s", tool(), build_dir(), c->board, c->toolchain,
		b.image, elf);
	cr_assert(eq(int, r.status, 0), "%s %s: %s%s", c->board, c->toolchain, r.out, r.err);
	run_free(&r);

	stale = raw_image_of(&b, kernel(c, "kernel.unpatched"));
	r = run("%s verify --image %s %s", tool(), stale, elf);
	cr_assert(eq(int, r.status, 1), "%s %s: %s%s", c->board, c->toolchain, r.out, r.err);
	cr_assert(strstr(r.err, "stale raw image") != NULL, "%s", r.err);
	run_free(&r);
	free(stale);
}

/* ---- tables damaged after patching (flash corruption, a bad tool) ---- */

ParameterizedTestParameters(qemu, damaged_table_is_reported_unusable)
{
	return make_cases(0, 0, 1);
}

ParameterizedTest(struct boot_case *c, qemu, damaged_table_is_reported_unusable)
{
	char *elf = tmp_copy_of(kernel(c, "kernel"));
	const char *why = damage_table(elf, c->damage);
	struct board b;
	struct run r;

	load_board(c->board, &b);
	r = boot(&b, elf, DEMO_FAULT_DABORT);
	expect_unusable_report(&b, &r, why);
	run_free(&r);
	free(elf);
}

/* ---- a C++ kernel, patched with --demangle=full ---- */

/*
 * tests/fixtures/cxx faults four C++ calls deep on the virt board: the
 * report's names are what addr2line -f -C and nm -C say, templates,
 * anonymous namespace, parameter lists and all.
 */
Test(qemu, demangled_cxx_kernel_report_agrees_with_addr2line_C)
{
	char *elf = tmp_copy("cxx");
	struct run p = run("%s patch --demangle=full %s", tool(), elf);
	struct board b;
	struct run r;
	char got[256], want[256];
	uint64_t addr;

	cr_assert(eq(int, p.status, 0), "%s", p.err);
	load_board("virt", &b);
	r = boot(&b, elf, DEMO_FAULT_DABORT);
	cr_assert(parse_pc(r.out, &b, &addr, got, sizeof(got)), "%s", r.out);
	addr2line_text(b.cross, elf, addr, addr, 1, want, sizeof(want));
	cr_assert(eq(str, got, want), "ELR_EL1 symbol vs addr2line -f -C");
	cr_assert(strncmp(got, "(anonymous namespace)::poke(unsigned long)+", 43) == 0, "%s", got);
	cr_assert(ge(int, check_backtrace(&b, elf, r.out, 1), 5), "%s", r.out);
	cr_assert(strstr(r.out, "demo::Injector<unsigned long>::fire(unsigned long) const+") != NULL, "%s", r.out);
	cr_assert(strstr(r.out, "cxx-demo: fault reported\n") != NULL, "%s", r.out);
	run_free(&p);
	run_free(&r);
	free(elf);
}

/* ---- the console monitor, driven through QEMU's stdin ---- */

ParameterizedTestParameters(qemu, monitor_answers_agree_with_nm_and_addr2line)
{
	return make_cases(0, 0, 0);
}

/* The answer line after the prompt line "ksym> CMD". */
static const char *answer(const char *out, const char *cmd)
{
	char prompt[96];
	const char *p;

	snprintf(prompt, sizeof(prompt), "ksym> %s\n", cmd);
	p = strstr(out, prompt);
	cr_assert(p != NULL, "no '%s' in:\n%s", cmd, out);
	return p + strlen(prompt);
}

ParameterizedTest(struct boot_case *c, qemu, monitor_answers_agree_with_nm_and_addr2line)
{
	const char *elf = kernel(c, "kernel");
	struct board b;
	struct run nm, r;
	char input[512], want[256], got[256], name[64], sym_cmd[64];
	unsigned long long start = 0, size = 0;
	const char *p;
	uint64_t addr;

	load_board(c->board, &b);
	nm = run("%snm -S %s | awk '$4 == \"demo_level1\" {print $1, $2}'", b.cross, elf);
	cr_assert(sscanf(nm.out, "%llx %llx", &start, &size) == 2, "%s", nm.out);
	snprintf(sym_cmd, sizeof(sym_cmd), "sym %llx", start + size / 2);
	/* The leading empty line may be lost: OpenSBI's UART set-up clears a byte already received. */
	snprintf(input, sizeof(input),
		 "\n%s\naddr plat_puts\ncall demo_hello\ncall plat_system_off\ncall no_such_fn\nbt\nfault dabort\n", sym_cmd);
	r = boot_with_input(&b, elf, DEMO_FAULT_SHELL, input);

	/* sym: addr2line and nm */
	cr_assert(parse_addr_sym(answer(r.out, sym_cmd), "0x", &addr, got, sizeof(got)), "%s", r.out);
	cr_assert(eq(u64, addr, start + size / 2));
	oracle(&b, elf, addr, addr, want, sizeof(want));
	cr_assert(eq(str, got, want), "%s: sym", c->board);

	/* addr: nm -S */
	p = answer(r.out, "addr plat_puts");
	cr_assert(sscanf(p, "%63s 0x%llx size 0x%llx", name, &start, &size) == 3, "%.80s", p);
	cr_assert(eq(str, name, "plat_puts"));
	run_free(&nm);
	nm = run("%snm -S %s | awk '$4 == \"plat_puts\" {print $1, $2}'", b.cross, elf);
	{
		unsigned long long nm_start, nm_size;

		cr_assert(sscanf(nm.out, "%llx %llx", &nm_start, &nm_size) == 2, "%s", nm.out);
		cr_assert(eq(u64, start, nm_start), "%s: addr plat_puts", c->board);
		cr_assert(eq(u64, size, nm_size), "%s: the size of plat_puts", c->board);
	}

	/* call: the allow-list, and nothing else */
	cr_assert(strncmp(answer(r.out, "call demo_hello"), "hello from demo_hello\n", 22) == 0, "%s", r.out);
	cr_assert(strncmp(answer(r.out, "call plat_system_off"), "call: refused: plat_system_off is not on the allow-list",
			  55) == 0, "%s", r.out);
	cr_assert(strncmp(answer(r.out, "call no_such_fn"), "call: no_such_fn: no such symbol\n", 33) == 0);

	/* bt: a backtrace from the monitor, every frame against addr2line */
	answer(r.out, "bt");
	cr_assert(ge(int, check_backtrace(&b, elf, strstr(r.out, "ksym> bt\n"), 0), 3), "%s", r.out);
	cr_assert(strstr(strstr(r.out, "ksym> bt\n"), "<monitor_run+") != NULL, "%s", r.out);

	/* fault: the report, then power-off (boot() checked the exit) */
	p = answer(r.out, "fault dabort");
	cr_assert(parse_pc(p, &b, &addr, got, sizeof(got)), "%s", p);
	oracle(&b, elf, addr, addr, want, sizeof(want));
	cr_assert(eq(str, got, want), "%s: fault dabort", c->board);
	cr_assert(strncmp(got, "demo_fault_dabort+", 18) == 0, "%s", got);
	cr_assert(strstr(p, "ksympatch-demo: fault reported\n") != NULL, "%s", p);
	run_free(&nm);
	run_free(&r);
}

/* ---- make debug, in batch mode ---- */

ParameterizedTestParameters(qemu, make_debug_stops_gdb_at_the_entry)
{
	return make_cases(0, 0, 0);
}

/* gdb-multiarch connects to QEMU, stops at the ELF's entry, and names it. */
ParameterizedTest(struct boot_case *c, qemu, make_debug_stops_gdb_at_the_entry)
{
	unsigned int port = 20000 + (unsigned int)getpid() % 20000; /* tests run side by side */
	struct run r = run("timeout %d env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make --no-print-directory debug "
			   "BUILD=%s BOARD=%s TOOLCHAIN=%s GDBFLAGS=-batch GDB_PORT=%u",
			   BOOT_TIMEOUT, build_dir(), c->board, c->toolchain, port);

	cr_assert(eq(int, r.status, 0), "%s%s", r.out, r.err);
	cr_assert(strstr(r.out, "\n_start in section .") != NULL, "%s: info symbol $pc:\n%s%s", c->board,
		  r.out, r.err);
	run_free(&r);
}

/* ---- the monitor's x NAME, against nm -S and objdump -s ---- */

ParameterizedTestParameters(qemu, monitor_x_prints_an_initialised_object_as_the_elf_holds_it)
{
	return make_cases(0, 0, 0);
}

/*
 * x demo_words (main.c's initialised .data object): the address and size
 * nm -S gives, then the section's bytes from objdump -s at those
 * addresses, as 4-byte words in the ELF's byte order (readelf -h), 4 a
 * line.  On a flash board this also shows .data was copied to RAM.
 */
ParameterizedTest(struct boot_case *c, qemu, monitor_x_prints_an_initialised_object_as_the_elf_holds_it)
{
	const char *elf = kernel(c, "kernel");
	unsigned char bytes[64];
	unsigned long long start = 0, size = 0;
	char want[512], name[64];
	int len = 0, big_endian, digits;
	struct board b;
	struct run nm, dump, hdr, r;
	const char *p;

	load_board(c->board, &b);
	nm = run("%snm -S %s | awk '$4 == \"demo_words\" {print $1, $2, $3}'", b.cross, elf);
	cr_assert(sscanf(nm.out, "%llx %llx", &start, &size) == 2 && size <= sizeof(bytes), "%s", nm.out);
	hdr = run("%sreadelf -h %s", b.cross, elf);
	big_endian = strstr(hdr.out, "big endian") != NULL;
	digits = strstr(hdr.out, "ELF32") ? 8 : 16; /* an address, as the monitor prints it */
	cr_assert(big_endian || strstr(hdr.out, "little endian") != NULL, "%s", hdr.out);

	/*
	 * objdump -s: " ADDR GROUP GROUP GROUP GROUP  ascii", up to 16 raw
	 * bytes in file order from ADDR, groups of 4 (the last may be short).
	 */
	dump = run("%sobjdump -s -j .data %s", b.cross, elf);
	memset(bytes, 0, sizeof(bytes));
	{
		unsigned long long got = 0;

		for (const char *q = strstr(dump.out, "\n "); q && got < size; q = strstr(q, "\n ")) {
			char *e;
			unsigned long long at = strtoull(q + 2, &e, 16);

			q = e;
			for (int g = 0; g < 4 && *q == ' ' && isxdigit((unsigned char)q[1]); g++)
				for (q++; isxdigit((unsigned char)q[0]) && isxdigit((unsigned char)q[1]); q += 2, at++) {
					unsigned int v;

					sscanf(q, "%2x", &v);
					if (at >= start && at < start + size) {
						bytes[at - start] = (unsigned char)v;
						got++;
					}
				}
		}
		cr_assert(eq(u64, got, size), "%s: demo_words not all in:\n%s", c->board, dump.out);
	}

	len = snprintf(want, sizeof(want), "demo_words 0x%0*llx size 0x%llx (D)\n",
		       digits, start, size);
	for (unsigned long long off = 0; off < size; off += 4) {
		unsigned int n = size - off < 4 ? (unsigned int)(size - off) : 4;
		uint32_t v = 0;

		for (unsigned int i = 0; i < n; i++)
			v = big_endian ? v << 8 | bytes[off + i] : v | (uint32_t)bytes[off + i] << (8 * i);
		if (off % 16 == 0)
			len += snprintf(want + len, sizeof(want) - (size_t)len, "%s0x%0*llx:", off ? "\n" : "",
					digits, start + off);
		len += snprintf(want + len, sizeof(want) - (size_t)len, " 0x%0*x", (int)(2 * n), v);
	}
	snprintf(want + len, sizeof(want) - (size_t)len, "\n");

	r = boot_with_input(&b, elf, DEMO_FAULT_SHELL, "\\nx demo_words\\nx kernel_main\\nx no_such_object\\noff\\n");
	p = answer(r.out, "x demo_words");
	cr_assert(eq(int, strncmp(p, want, strlen(want)), 0), "%s: want\n%sgot\n%.*s", c->board, want,
		  (int)strlen(want), p);
	cr_assert(sscanf(answer(r.out, "x kernel_main"), "x: refused: %63s is not a data object", name) == 1 &&
			  !strcmp(name, "kernel_main"),
		  "%s", r.out);
	cr_assert(strncmp(answer(r.out, "x no_such_object"), "x: no_such_object: no such symbol\n", 34) == 0);
	run_free(&nm);
	run_free(&hdr);
	run_free(&dump);
	run_free(&r);
}
