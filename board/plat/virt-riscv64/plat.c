/* SPDX-License-Identifier: MIT */
/*
 * QEMU virt (riscv64) glue behind board/common/plat.h: the console is the
 * NS16550A UART0, power goes through the SBI System Reset extension that
 * OpenSBI implements.
 */
#include "plat.h"
#include "platform_def.h"

/*
 * sbi_system_reset(SHUTDOWN, NO_REASON): EID in a7, FID in a6.  OpenSBI
 * turns it into a write to QEMU's sifive_test device, and QEMU exits with
 * status 0.  It returns only on failure (a0 = SBI error): then wait.
 */
void plat_system_off(void)
{
	register uint64_t a0 __asm__("a0") = PLAT_SBI_SRST_SHUTDOWN;
	register uint64_t a1 __asm__("a1") = PLAT_SBI_SRST_NO_REASON;
	register uint64_t a6 __asm__("a6") = PLAT_SBI_SRST_FID_RESET;
	register uint64_t a7 __asm__("a7") = PLAT_SBI_EXT_SRST;

	__asm__ volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a6), "r"(a7) : "memory");
	for (;;)
		__asm__ volatile("wfi");
}
