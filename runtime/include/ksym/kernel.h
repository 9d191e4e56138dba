/* SPDX-License-Identifier: MIT */
/*
 * The kernel side of ksympatch: the placeholder bounds from the linker
 * script fragment (linker_scripts/kernel_symbols.ld) and the record count
 * that ksympatch writes after the link.
 *
 * Use KSYM_DEFINE_COUNT() in exactly one C file of the kernel, then
 * ksym_kernel_open() once to get a validated table.
 */
#ifndef KSYM_KERNEL_H
#define KSYM_KERNEL_H

#include <ksym/ksym.h>

#ifdef __cplusplus
extern "C" {
#endif

extern const unsigned char __kernel_symbols_start[];
extern const unsigned char __kernel_symbols_end[];
extern const uint64_t NUM_KERNEL_SYMBOLS;

/*
 * The count lives in .rodata, which has file contents (a zero-initialised
 * variable would land in .bss, where there is nothing to patch).  It is
 * read through a volatile access, so the compiler reads the patched value
 * instead of folding the 0 it sees at compile time.  Its input section,
 * .ksym_count, is KEPT by the linker fragment
 * (linker_scripts/kernel_symbols.ld), so a link with --gc-sections keeps it
 * even when nothing reads it, under GNU ld and ld.lld alike: no compiler
 * attribute is needed (`retain` would be one, but GCC ignores it on
 * targets such as arm-none-eabi, with a warning).
 */
/*
 * The placeholder's first 8 bytes, as an input section that the linker
 * script fragment KEEPs at its start: a section made of input sections is
 * read-only PROGBITS under GNU ld and ld.lld alike (one made by BYTE() alone
 * would be writable).  KSYM_DEFINE_COUNT() emits it; it defines no symbol.
 */
#define KSYM_DEFINE_TABLE_HEAD() \
	__asm__(".pushsection .kernel_symbols.head, \"a\"\n\t.balign 8\n\t.quad 0\n\t.popsection")

#define KSYM_DEFINE_COUNT()                                                  \
	KSYM_DEFINE_TABLE_HEAD();                                            \
	__attribute__((section(".ksym_count"), used, aligned(8)))              \
	const uint64_t NUM_KERNEL_SYMBOLS = 0

static inline uint64_t ksym_kernel_count(void)
{
	return *(const volatile uint64_t *)&NUM_KERNEL_SYMBOLS;
}

static inline int ksym_kernel_open(struct ksym_table *t, const char **why)
{
	return ksym_open(t, __kernel_symbols_start,
			 (uint64_t)(__kernel_symbols_end - __kernel_symbols_start),
			 ksym_kernel_count(), why);
}

/*
 * ksym_describe() on the kernel's own table: *t is opened from the
 * placeholder the first time (give a zeroed table, e.g. a static one, and
 * the same one every time; ksym_open() reads the whole table, so it is not
 * done again).  E.g. in a fault handler:
 *
 *	static struct ksym_table table;
 *	char buf[96];
 *
 *	ksym_kernel_describe(&table, elr, 0, buf, sizeof(buf));
 *	printk("ELR_EL1: 0x%016lx <%s>\n", elr, buf);
 */
static inline int ksym_kernel_describe(struct ksym_table *t, uint64_t addr, uint64_t back,
				       char *buf, size_t len)
{
	if (!t->opened)
		ksym_kernel_open(t, NULL);
	return ksym_describe(t, addr, back, buf, len);
}

#ifdef __cplusplus
}
#endif

#endif /* KSYM_KERNEL_H */
