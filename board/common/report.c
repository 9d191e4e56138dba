/* SPDX-License-Identifier: MIT */
/*
 * What the exception reports of board/arch share (report.h).  Strategy:
 * everything goes out through plat_puts()/plat_puthex() as it is made, from
 * a small buffer on the stack, so a report needs no state but the nesting
 * depth; the table is validated once per report and then only read.
 */
#include <ksym/kernel.h>

#include "plat.h"
#include "report.h"

const struct ksym_table *report_table(struct ksym_table *storage)
{
	const char *why = NULL;
	int err = ksym_kernel_open(storage, &why);

	if (!err)
		return storage;
	plat_puts("symbol table unusable: ");
	plat_puts(why ? why : ksym_strerror(err));
	plat_puts("\n");
	return NULL;
}

void report_sym(const struct ksym_table *t, uint64_t addr, uint64_t back, int quiet)
{
	char buf[96];

	if (!t)
		return;
	/*
	 * On a 32-bit kernel addr - back wraps at 64 bits, not 32: either way
	 * the address lies above every symbol, and prints " <unknown>".
	 */
	if (ksym_describe(t, addr, back, buf, sizeof(buf)) != KSYM_OK) {
		if (!quiet)
			plat_puts(" <unknown>");
		return;
	}
	plat_puts(" <");
	plat_puts(buf);
	plat_puts(">");
}

void report_frame(const struct ksym_table *t, unsigned int n, uint64_t addr, uint64_t back,
		  unsigned int digits)
{
	plat_puts("  #");
	report_dec(n);
	plat_puts(" ");
	plat_puthex(addr, digits);
	report_sym(t, addr, back, 0);
	plat_puts("\n");
}

void report_records(const struct ksym_table *t, unsigned int n, uintptr_t fp, uintptr_t prev, uintptr_t below,
		    uintptr_t align, unsigned int digits)
{
	uintptr_t lo = (uintptr_t)__stack_bottom, hi = (uintptr_t)__stack_top;

	for (; n < REPORT_MAX_FRAMES; n++) {
		uintptr_t at = fp - below; /* wraps above the stack when fp < below */

		if ((fp & (align - 1)) || at < lo || at > hi - 2 * sizeof(uintptr_t) || fp <= prev)
			break;

		const uintptr_t *record = (const uintptr_t *)at;

		if (!record[1])
			break;
		report_frame(t, n, record[1], KSYM_CALL_BACK, digits);
		prev = fp;
		fp = record[0];
	}
	plat_puts("End of backtrace\n");
}

void report_dec(unsigned int n)
{
	/*
	 * By subtraction: ARMv6-M divides (even by a constant) in libgcc.  The
	 * empty asm keeps clang from seeing the loop for the division it is.
	 */
	char s[3] = { '0', '0', '\0' };

	while (n >= 10 && s[0] < '9') {
		n -= 10;
		s[0]++;
		__asm__("" : "+r"(n));
	}
	s[1] = (char)('0' + (n < 10 ? n : 9));
	plat_puts(s[0] == '0' ? s + 1 : s);
}

void report_hex(uint64_t v)
{
	plat_puthex(v, report_hex_digits(v));
}

const char *report_text(const struct report_code *tab, size_t n, uint32_t code,
			const char *unknown)
{
	for (size_t i = 0; i < n; i++)
		if (tab[i].code == code)
			return tab[i].text;
	return unknown;
}

/* > 0 while a report is being printed. */
static unsigned int depth;

void report_enter(const char *pc_name, uint64_t pc, unsigned int digits)
{
	if (depth++) {
		plat_puts("\nnested exception, ");
		plat_puts(pc_name);
		plat_puts(": ");
		plat_puthex(pc, digits);
		plat_puts("\n");
		plat_system_off();
	}
}

void report_leave(void)
{
	depth--;
}
