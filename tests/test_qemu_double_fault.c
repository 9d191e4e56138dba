/*
 * A double fault on the PC boards: the report must print from the stack
 * the CPU switches to (x86_64: IST entry 1 of the TSS; i386: the
 * double-fault task's), because the kernel stack is gone.  GDB stops the
 * demo kernel at demo_fault_undef (FAULT=undef) and points the stack
 * pointer at an unmapped page (PLAT_UNMAPPED_ADDR + 4 KiB); ud2 then
 * cannot push its frame (#UD, then #PF), which is a #DF.  The report's
 * instruction pointer and backtrace are checked against addr2line -f and
 * nm -S on the ELF that booted, and the stack pointer it prints must be
 * the dead one.  The board's QEMU command, boot-option address, image and
 * exit status come from build/boards/BOARD.env (board/board.mk).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/parameterized.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "demo.h"
#include "helpers.h"
#include "ksympatch.h"

#define BOOT_TIMEOUT	30
#define DEAD_STACK	0x40001000	/* platform_def.h: PLAT_UNMAPPED_ADDR + 4 KiB */

struct df_case {
	char board[16];
	char toolchain[8];
	char sp[8];	/* GDB's name of the stack pointer */
	char sp_line[8];	/* the report's */
	unsigned int digits;
};

static struct df_case cases[] = {
	{ "pc-i386", "gnu", "$esp", "ESP", 8 },
	{ "pc-i386", "llvm", "$esp", "ESP", 8 },
	{ "pc-x86_64", "gnu", "$rsp", "RSP", 16 },
	{ "pc-x86_64", "llvm", "$rsp", "RSP", 16 },
};

/* The address after "prefix0x" at the start of a line of text, and the <symbol> after it. */
static int addr_line(const char *text, const char *prefix, uint64_t *addr, char *sym, size_t len)
{
	char want[32];
	const char *p, *lt, *gt;

	snprintf(want, sizeof(want), "\n%s0x", prefix);
	p = strstr(text, want);
	if (!p)
		return 0;
	p += strlen(want);
	*addr = strtoull(p, NULL, 16);
	lt = strchr(p, '<');
	gt = lt ? strchr(lt, '>') : NULL;
	snprintf(sym, len, "%.*s", lt && gt && lt < strchr(p, '\n') ? (int)(gt - lt - 1) : 0, lt ? lt + 1 : "");
	return 1;
}

ParameterizedTestParameters(qemu_double_fault, double_fault_on_a_dead_stack_is_reported_from_its_own_stack)
{
	return cr_make_param_array(struct df_case, cases, KSP_ARRAY_SIZE(cases));
}

ParameterizedTest(struct df_case *c, qemu_double_fault, double_fault_on_a_dead_stack_is_reported_from_its_own_stack)
{
	unsigned int port = 20000 + (unsigned int)getpid() % 20000;
	char *qemu = board_env(c->board, "qemu"), *option = board_env(c->board, "option_addr");
	char *image = board_env(c->board, "image"), *status = board_env(c->board, "exit_status");
	char elf[512], boot[512], *dir = tmp_dir();
	char got[160], want[160], sp_prefix[16];
	size_t len;
	uint64_t addr, sp;
	char *log;
	struct run r;
	int frames = 0;

	cr_assert(qemu[0] != '\0', "%s.env: run make kernels first", c->board);
	snprintf(elf, sizeof(elf), "%s/%s-%s/kernel.elf", build_dir(), c->board, c->toolchain);
	snprintf(boot, sizeof(boot), "%s/%s-%s/%s", build_dir(), c->board, c->toolchain, image[0] ? image : "kernel.elf");
	r = run("timeout %d %s -kernel %s -device loader,addr=%s,data=%d,data-len=4 -S -gdb tcp:localhost:%u "
		"-monitor none -serial file:%s/uart.log </dev/null & qemu=$!; "
		"timeout %d gdb-multiarch -q -batch -ex 'target remote localhost:%u' -ex 'break demo_fault_undef' "
		"-ex continue -ex 'set %s = %#x' -ex continue %s >%s/gdb.log 2>&1; "
		"wait $qemu",
		BOOT_TIMEOUT, qemu, boot, option, DEMO_FAULT_UNDEF, port, dir, BOOT_TIMEOUT, port, c->sp, DEAD_STACK,
		elf, dir);
	cr_assert(eq(int, r.status, atoi(status)), "%s %s: QEMU's exit %d (124: timed out): %s", c->board,
		  c->toolchain, r.status, r.err);
	run_free(&r);
	snprintf(got, sizeof(got), "%s/uart.log", dir);
	log = read_file(got, &len);
	cr_assert(log != NULL);
	strip_cr(log);

	cr_assert(strstr(log, "\n*** #DF Double fault (vector 8, error code 0x0) in ring 0\n") != NULL, "%s", log);
	cr_assert(strstr(log, "*** #UD") == NULL && strstr(log, "*** #PF") == NULL, "only the #DF: %s", log);
	cr_assert(addr_line(log, c->digits == 8 ? "EIP: " : "RIP: ", &addr, got, sizeof(got)), "%s", log);
	addr2line_text("", elf, addr, addr, 0, want, sizeof(want));
	cr_assert(eq(str, got, want), "%s %s: the instruction pointer", c->board, c->toolchain);
	cr_assert(strncmp(got, "demo_fault_undef+", 17) == 0, "%s", got);
	snprintf(sp_prefix, sizeof(sp_prefix), "%s: 0x", c->sp_line);
	{
		const char *p = strstr(log, sp_prefix);

		cr_assert(p != NULL, "%s", log);
		sp = strtoull(p + strlen(sp_prefix), NULL, 16);
		cr_assert(eq(u64, sp, DEAD_STACK), "the report shows the dead stack pointer");
	}
	/* The backtrace still follows the frame pointers on the kernel stack. */
	for (const char *p = strstr(log, "\n  #"); p && p < strstr(log, "End of backtrace"); p = strstr(p + 1, "\n  #")) {
		char prefix[16];

		snprintf(prefix, sizeof(prefix), "  #%d ", frames);
		cr_assert(addr_line(p, prefix, &addr, got, sizeof(got)), "%.60s", p);
		addr2line_text("", elf, addr, frames ? addr - 1 : addr, 0, want, sizeof(want));
		cr_assert(eq(str, got, want), "%s %s: frame #%d", c->board, c->toolchain, frames);
		frames++;
	}
	cr_assert(ge(int, frames, 4), "%s", log);
	cr_assert(strstr(strstr(log, "Backtrace:"), "<kernel_main+") != NULL, "%s", log);
	cr_assert(strstr(log, "ksympatch-demo: fault reported\n") != NULL, "%s", log);
	free(log);
	r = run("rm -rf %s", dir);
	run_free(&r);
	free(dir);
	free(qemu);
	free(option);
	free(image);
	free(status);
}
