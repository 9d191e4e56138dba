/*
 * The Cortex-M report reads the interrupted frame from the stack EXC_RETURN
 * names: board mps2-an385-psp runs Thread mode on PSP (as an RTOS task
 * does), 4 KiB below the main stack's top, and mps2-an385 on MSP.  Booted
 * with FAULT=dabort, each must say which stack, give the EXC_RETURN that
 * means it, and an interrupted SP on that stack (nm's __stack_top); the
 * symbols of both reports are checked by test_qemu.c like every board's.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"
#include "helpers.h"
#include "ksympatch.h"

struct psp_case {
	char board[32];
	char toolchain[8];
	char header[64];     /* the report's first line */
	char exc_return[32];
	int psp;
};

static struct psp_case cases[] = {
	{ "mps2-an385-psp", "gnu", "*** BusFault from Thread mode, PSP\n", "EXC_RETURN: 0xfffffffd\n", 1 },
	{ "mps2-an385-psp", "llvm", "*** BusFault from Thread mode, PSP\n", "EXC_RETURN: 0xfffffffd\n", 1 },
	{ "mps2-an385", "gnu", "*** BusFault from Thread mode, MSP\n", "EXC_RETURN: 0xfffffff9\n", 0 },
};

ParameterizedTestParameters(cortexm_psp, report_reads_the_frame_from_the_stack_exc_return_names)
{
	return cr_make_param_array(struct psp_case, cases, KSP_ARRAY_SIZE(cases));
}

ParameterizedTest(struct psp_case *c, cortexm_psp, report_reads_the_frame_from_the_stack_exc_return_names)
{
	char *qemu = board_env(c->board, "qemu"), *addr = board_env(c->board, "option_addr");
	char elf[512];
	unsigned long long sp, top;
	const char *p;

	snprintf(elf, sizeof(elf), "%s/%s-%s/kernel.elf", build_dir(), c->board, c->toolchain);
	struct run boot = run("timeout 30 %s -kernel %s -device loader,addr=%s,data=%d,data-len=4 </dev/null", qemu, elf,
			      addr, DEMO_FAULT_DABORT);
	struct run nm = run("arm-none-eabi-nm %s | awk '$3 == \"__stack_top\" {print $1}'", elf);

	strip_cr(boot.out);
	cr_assert(eq(int, boot.status, 0), "%s", boot.out);
	cr_assert(strstr(boot.out, c->header) != NULL, "%s %s:\n%s", c->board, c->toolchain, boot.out);
	cr_assert(strstr(boot.out, c->exc_return) != NULL, "%s", boot.out);
	p = strstr(boot.out, " sp: 0x");
	cr_assert(p != NULL && sscanf(p, " sp: 0x%llx", &sp) == 1, "%s", boot.out);
	top = strtoull(nm.out, NULL, 16);
	cr_assert(top != 0, "%s", nm.out);
	if (c->psp)
		cr_assert(sp <= top - 4096 && sp > top - 8192, "SP 0x%llx on PSP, below 0x%llx - 4096", sp, top);
	else
		cr_assert(sp > top - 4096 && sp <= top, "SP 0x%llx on MSP, near 0x%llx", sp, top);
	cr_assert(strstr(boot.out, "  #2 0x") != NULL, "a backtrace from the PSP frame: %s", boot.out);
	cr_assert(strstr(boot.out, "ksympatch-demo: fault reported\n") != NULL, "%s", boot.out);
	run_free(&boot);
	run_free(&nm);
	free(qemu);
	free(addr);
}
