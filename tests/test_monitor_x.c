/*
 * The monitor's `x NAME` (board/common/monitor.c) on the host: a table
 * built in memory whose data symbols lie on real objects of this process,
 * so the words printed can be checked against the bytes themselves, in
 * this machine's byte order, bounded by the symbol's size; and everything
 * x refuses.  Booted, test_qemu.c checks it against nm -S and objdump -s.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksympatch.h"
#include "monitor.h"

static char out[4096];
static struct ksp_blob blob;
static struct ksym_table tab;

/* 22 bytes: five words and a half. */
static const unsigned char object[22] = {
	0x6d, 0x79, 0x73, 0x6b, 0xee, 0xff, 0xc0, 0x00, 0x78, 0x56, 0x34, 0x12,
	0xef, 0xcd, 0xab, 0x89, 0xfe, 0xff, 0xff, 0xff, 0x01, 0x02,
};
static const unsigned char big[MONITOR_X_MAX + 1];

static void cap_puts(const char *s)
{
	strncat(out, s, sizeof(out) - strlen(out) - 1);
}

static void cap_puthex(uint64_t v, unsigned int digits)
{
	char b[24] = "0x", *p = b + 2;

	while (digits--)
		*p++ = "0123456789abcdef"[(v >> (digits * 4)) & 0xf];
	*p = '\0';
	cap_puts(b);
}

static void nothing(void)
{
}

static int no_fault(const char *kind)
{
	(void)kind;
	return 0;
}

static struct monitor mon = {
	.table = &tab,
	.addr_digits = 16,
	.puts = cap_puts,
	.puthex = cap_puthex,
	.backtrace = nothing,
	.fault = no_fault,
	.off = nothing,
};

static void setup(void)
{
	struct ksp_sym syms[] = {
		{ 0x1000, 0x20, "a_function", 'T', KSP_GLOBAL, 1, 0 },
		{ (uintptr_t)object, sizeof(object), "object", 'r', KSP_LOCAL, 1, 0 },
		{ (uintptr_t)big, sizeof(big), "big", 'r', KSP_LOCAL, 1, 0 },
		{ (uintptr_t)big + sizeof(big), 0, "empty", 'b', KSP_LOCAL, 1, 0 },
		{ (uintptr_t)object + 0x100000, 4, "twice", 'd', KSP_LOCAL, 1, 0 },
		{ (uintptr_t)object + 0x100010, 4, "twice", 'd', KSP_LOCAL, 1, 0 },
	};
	size_t n = sizeof(syms) / sizeof(syms[0]);
	const char *why = NULL;

	ksp_sort(syms, n);
	cr_assert(eq(int, ksp_encode(syms, n, 8, 0, &blob, &why), 0), "%s", why);
	cr_assert(eq(int, ksym_open(&tab, blob.data, blob.size, n, &why), KSYM_OK), "%s", why);
	out[0] = '\0';
}

static void teardown(void)
{
	free(blob.data);
}

static const char *exec(const char *line)
{
	char buf[128];

	snprintf(buf, sizeof(buf), "%s", line);
	out[0] = '\0';
	monitor_exec(&mon, buf);
	return out;
}

TestSuite(monitor_x, .init = setup, .fini = teardown);

/* What x must print for object: its words as this machine loads them, the last one of 2 bytes. */
Test(monitor_x, prints_the_objects_words_in_the_machines_byte_order_bounded_by_its_size)
{
	char want[512], line[64];
	int len = snprintf(want, sizeof(want), "object 0x%016jx size 0x16 (r)\n", (uintmax_t)(uintptr_t)object);

	for (size_t off = 0; off < sizeof(object); off += 4) {
		size_t n = sizeof(object) - off < 4 ? sizeof(object) - off : 4;
		uint32_t v = 0;

		memcpy(&v, object + off, n); /* as a load of n bytes: the host's own byte order */
		if (off % 16 == 0)
			len += snprintf(want + len, sizeof(want) - (size_t)len, "%s0x%016jx:", off ? "\n" : "",
					(uintmax_t)((uintptr_t)object + off));
		snprintf(line, sizeof(line), " 0x%0*x", (int)(2 * n), v);
		len += snprintf(want + len, sizeof(want) - (size_t)len, "%s", line);
	}
	snprintf(want + len, sizeof(want) - (size_t)len, "\n");
	cr_assert(eq(str, (char *)exec("x object"), want));
	cr_assert(strstr(out, " 0x0201\n") != NULL, "the last 2 bytes are one 2-byte word: %s", out);
}

Test(monitor_x, refuses_what_is_not_one_small_data_object)
{
	cr_assert(eq(str, (char *)exec("x a_function"), "x: refused: a_function is not a data object (type T)\n"));
	cr_assert(eq(str, (char *)exec("x big"), "x: refused: big is 0x101 bytes, more than the 256 x prints\n"));
	cr_assert(eq(str, (char *)exec("x empty"), "x: refused: empty has no size\n"));
	cr_assert(eq(str, (char *)exec("x twice"), "x: twice names more than one symbol\n"));
	cr_assert(eq(str, (char *)exec("x nothing"), "x: nothing: no such symbol\n"));
	cr_assert(eq(str, (char *)exec("x"), "usage: x NAME (a data object)\n"));
}

Test(monitor_x, without_a_table_it_says_so)
{
	struct monitor m = mon;
	char line[] = "x object";

	m.table = NULL;
	out[0] = '\0';
	monitor_exec(&m, line);
	cr_assert(eq(str, out, "no usable symbol table\n"));
}
