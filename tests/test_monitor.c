/*
 * The console monitor's logic (board/common/monitor.c) on the host: a
 * table built in memory, the output captured, the kernel's hooks counted.
 * For x NAME, a second table whose data symbols lie on real objects of
 * this process, so the words printed can be checked against the bytes
 * themselves, in this machine's byte order, bounded by the symbol's size.
 * The same commands are driven through QEMU's stdin in test_qemu.c, and x
 * checked there against nm -S and objdump -s.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksympatch.h"
#include "monitor.h"

static char out[4096];
static struct ksp_blob blob;
static struct ksym_table tab;
static struct ksp_blob blob_x; /* the x tests' own table */
static struct ksym_table tab_x;
static int hello_calls, bt_calls, off_calls;
static char fault_kind[32];

static void cap_puts(const char *s)
{
	strncat(out, s, sizeof(out) - strlen(out) - 1);
}

/* As the kernel's plat_puthex(): "0x" and the low `digits` digits, nothing more. */
static void cap_puthex(uint64_t v, unsigned int digits)
{
	char b[24] = "0x", *p = b + 2;

	while (digits--)
		*p++ = "0123456789abcdef"[(v >> (digits * 4)) & 0xf];
	*p = '\0';
	cap_puts(b);
}

static void hello(void)
{
	hello_calls++;
}

static void bt(void)
{
	bt_calls++;
}

static void off(void)
{
	off_calls++;
}

static int fault(const char *kind)
{
	snprintf(fault_kind, sizeof(fault_kind), "%s", kind);
	return !strcmp(kind, "undef");
}

static const struct monitor_call calls[] = { { "demo_hello", hello, 0x1000 } };

static struct monitor mon = {
	.table = &tab,
	.calls = calls,
	.ncalls = 1,
	.addr_digits = 8,
	.puts = cap_puts,
	.puthex = cap_puthex,
	.backtrace = bt,
	.fault = fault,
	.off = off,
};

static void setup(void)
{
	static struct ksp_sym syms[] = {
		{ .start = 0x1000, .size = 0x20, .name = "demo_hello", .type = 'T', .bind = KSP_GLOBAL, .func = 1 },
		{ .start = 0x1020, .size = 0x1240, .name = "plat_system_off", .type = 'T', .bind = KSP_GLOBAL, .func = 1 },
		{ .start = 0x1060, .size = 0x10, .name = "demo::trace", .type = 'T', .bind = KSP_GLOBAL, .func = 1 },
		{ .start = 0x1070, .size = 0x10, .name = "demo::trace", .type = 'T', .bind = KSP_GLOBAL, .func = 1 },
		{ .start = 0x1080, .size = 0x10, .name = "helper", .type = 't', .bind = KSP_LOCAL, .func = 1 },
		{ .start = 0x1090, .size = 0x10, .name = "helper", .type = 't', .bind = KSP_LOCAL, .func = 1 },
	};
	const char *why = NULL;

	ksp_sort(syms, sizeof(syms) / sizeof(syms[0]));
	cr_assert(eq(int, ksp_encode(syms, 6, 4, 0, &blob, &why), 0));
	cr_assert(eq(int, ksym_open(&tab, blob.data, blob.size, 6, &why), KSYM_OK), "%s", why);
	out[0] = '\0';
}

static void teardown(void)
{
	free(blob.data);
}

/* Run one line on m (a writable copy, as the console loop passes it), return the output. */
static const char *exec_on(const struct monitor *m, const char *line)
{
	char buf[128];

	snprintf(buf, sizeof(buf), "%s", line);
	out[0] = '\0';
	monitor_exec(m, buf);
	return out;
}

static const char *exec(const char *line)
{
	return exec_on(&mon, line);
}

TestSuite(monitor, .init = setup, .fini = teardown);

Test(monitor, sym_names_the_containing_symbol)
{
	cr_assert(eq(str, (char *)exec("sym 0x1024"), "0x00001024 <plat_system_off+0x4/0x1240>\n"));
	cr_assert(eq(str, (char *)exec("  sym   1000 "), "0x00001000 <demo_hello+0x0/0x20>\n"));
	cr_assert(eq(str, (char *)exec("sym 0x3000"), "0x00003000 ??\n"));
	cr_assert(eq(str, (char *)exec("sym zz"), "usage: sym ADDR (hex, an address of this machine)\n"));
	cr_assert(eq(str, (char *)exec("sym 0x11112222333344445"), "usage: sym ADDR (hex, an address of this machine)\n"),
		  "65 bits");
	cr_assert(eq(str, (char *)exec("sym 140001000"), "usage: sym ADDR (hex, an address of this machine)\n"),
		  "33 bits on a 32-bit machine");
}

Test(monitor, addr_lists_every_symbol_of_the_name)
{
	cr_assert(eq(str, (char *)exec("addr plat_system_off"), "plat_system_off 0x00001020 size 0x1240\n"),
		  "every digit of the size");
	cr_assert(eq(str, (char *)exec("addr demo::trace"),
		     "demo::trace 0x00001060 size 0x10\ndemo::trace 0x00001070 size 0x10\n"));
	cr_assert(eq(str, (char *)exec("addr nothing"), "nothing ??\n"));
	cr_assert(eq(str, (char *)exec("addr"), "usage: addr NAME\n"));
}

Test(monitor, call_runs_only_what_the_allow_list_and_the_table_agree_on)
{
	cr_assert(eq(str, (char *)exec("call demo_hello"), ""));
	cr_assert(eq(int, hello_calls, 1));
	cr_assert(eq(str, (char *)exec("call plat_system_off"),
		     "call: refused: plat_system_off is not on the allow-list (demo_hello)\n"));
	cr_assert(eq(str, (char *)exec("call helper"), "call: helper names more than one symbol\n"));
	cr_assert(eq(str, (char *)exec("call nosuch"), "call: nosuch: no such symbol\n"));
	cr_assert(eq(int, hello_calls, 1), "nothing else was called");
	cr_assert(eq(int, off_calls, 0));
}

Test(monitor, a_table_entry_that_moved_is_refused)
{
	static const struct monitor_call moved[] = { { "demo_hello", hello, 0x1004 } };
	struct monitor m = mon;

	m.calls = moved;
	out[0] = '\0';
	{
		char line[] = "call demo_hello";

		monitor_exec(&m, line);
	}
	cr_assert(strstr(out, "refused") != NULL, "%s", out);
	cr_assert(eq(int, hello_calls, 0));
}

Test(monitor, bt_fault_off_and_the_rest)
{
	exec("bt");
	cr_assert(eq(int, bt_calls, 1));
	cr_assert(eq(str, (char *)exec("fault undef"), ""));
	cr_assert(eq(str, fault_kind, "undef"));
	cr_assert(eq(str, (char *)exec("fault none"), "usage: fault dabort|undef|brk|nested\n"));
	cr_assert(eq(str, (char *)exec(""), ""));
	cr_assert(eq(str, (char *)exec("frob x"), "unknown command: frob (help lists them)\n"));
	cr_assert(strstr(exec("help"), "call NAME") != NULL);
	exec("off");
	cr_assert(eq(int, off_calls, 1));
}

Test(monitor, without_a_table_it_says_so)
{
	struct monitor m = mon;
	char line[] = "sym 1000";

	m.table = NULL;
	monitor_exec(&m, line);
	cr_assert(eq(str, out, "no usable symbol table\n"));
}

/* ---- the console loop, on scripted input ---- */

static const char *script;
static jmp_buf script_done;

static int script_getc(void)
{
	if (!*script)
		return -1;
	return (unsigned char)*script++;
}

/* The loop never returns: `off` (the kernel powers off) comes back here. */
static void off_returns(void)
{
	longjmp(script_done, 1);
}

Test(monitor, the_console_loop_echoes_edits_and_runs_lines)
{
	struct monitor m = mon;

	m.off = off_returns;
	out[0] = '\0';
	/* An early key counts; a backspace takes a byte back; CR LF is one line end, CR CR two. */
	script = "ym 0x1OO\b\b00\r\naddr helper\nsym\x01 1060\r\roff\n";
	if (!setjmp(script_done))
		monitor_run(&m, script_getc, 's');
	cr_assert(eq(str, out,
		     "ksym> sym 0x1OO\b \b\b \b00\n0x00000100 ??\n"
		     "ksym> addr helper\nhelper 0x00001080 size 0x10\nhelper 0x00001090 size 0x10\n"
		     "ksym> sym 1060\n0x00001060 <demo::trace+0x0/0x10>\n"
		     "ksym> \n"
		     "ksym> off\n"));
}

/*
 * A line longer than the buffer is refused whole, with a message: cut, it
 * could run something else (call + 113 spaces + demo_hello_evil would run
 * demo_hello, and a sym address padded with zeros would look up 0x4).
 */
Test(monitor, a_line_longer_than_the_buffer_is_refused_not_cut)
{
	struct monitor m = mon;
	char input[600];
	int len;

	m.off = off_returns;
	len = snprintf(input, sizeof(input), "call%*s%s\n", 113, "", "demo_hello_evil");
	len += snprintf(input + len, sizeof(input) - (size_t)len, "sym 0x%0*d4\n", 130, 0);
	snprintf(input + len, sizeof(input) - (size_t)len, "off\n");
	script = input;
	hello_calls = 0;
	if (!setjmp(script_done))
		monitor_run(&m, script_getc, -1);
	cr_assert(eq(int, hello_calls, 0), "the cut line ran demo_hello");
	cr_assert(strstr(out, "line too long (at most 127 characters): not run\nksym> sym") != NULL, "%s", out);
	cr_assert(strstr(out, "demo_hello+0x4") == NULL && strstr(out, "0x4 ") == NULL, "a cut sym ran: %s", out);
	cr_assert(strstr(strstr(out, "ksym> sym"), "line too long (at most 127 characters): not run\n") != NULL,
		  "%s", out);
}

/* ---- x NAME: a data object's words ------------------------------------------ */

/* 22 bytes: five words and a half. */
static const unsigned char object[22] = {
	0x6d, 0x79, 0x73, 0x6b, 0xee, 0xff, 0xc0, 0x00, 0x78, 0x56, 0x34, 0x12,
	0xef, 0xcd, 0xab, 0x89, 0xfe, 0xff, 0xff, 0xff, 0x01, 0x02,
};
static const unsigned char big[MONITOR_X_MAX + 1];

static void nothing(void)
{
}

static int no_fault(const char *kind)
{
	(void)kind;
	return 0;
}

static struct monitor mon_x = {
	.table = &tab_x,
	.addr_digits = 16,
	.puts = cap_puts,
	.puthex = cap_puthex,
	.backtrace = nothing,
	.fault = no_fault,
	.off = nothing,
};

/* A table whose data symbols lie on objects of this process, so x can read them. */
static void setup_x(void)
{
	struct ksp_sym syms[] = {
		{ .start = 0x1000, .size = 0x20, .name = "a_function", .type = 'T', .bind = KSP_GLOBAL, .func = 1 },
		{ .start = (uintptr_t)object, .size = sizeof(object), .name = "object", .type = 'r', .bind = KSP_LOCAL, .func = 1 },
		{ .start = (uintptr_t)big, .size = sizeof(big), .name = "big", .type = 'r', .bind = KSP_LOCAL, .func = 1 },
		{ .start = (uintptr_t)big + sizeof(big), .size = 0, .name = "empty", .type = 'b', .bind = KSP_LOCAL, .func = 1 },
		{ .start = (uintptr_t)object + 0x100000, .size = 4, .name = "twice", .type = 'd', .bind = KSP_LOCAL, .func = 1 },
		{ .start = (uintptr_t)object + 0x100010, .size = 4, .name = "twice", .type = 'd', .bind = KSP_LOCAL, .func = 1 },
	};
	size_t n = KSP_ARRAY_SIZE(syms);
	const char *why = NULL;

	ksp_sort(syms, n);
	cr_assert(eq(int, ksp_encode(syms, n, 8, 0, &blob_x, &why), 0), "%s", why);
	cr_assert(eq(int, ksym_open(&tab_x, blob_x.data, blob_x.size, n, &why), KSYM_OK), "%s", why);
	out[0] = '\0';
}

static void teardown_x(void)
{
	free(blob_x.data);
}

/* What x must print for object: its words as this machine loads them, the last one of 2 bytes. */
Test(monitor, x_prints_the_objects_words_in_the_machines_byte_order_bounded_by_its_size, .init = setup_x,
     .fini = teardown_x)
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
	cr_assert(eq(str, (char *)exec_on(&mon_x, "x object"), want));
	cr_assert(strstr(out, " 0x0201\n") != NULL, "the last 2 bytes are one 2-byte word: %s", out);
}

Test(monitor, x_refuses_what_is_not_one_small_data_object, .init = setup_x, .fini = teardown_x)
{
	cr_assert(eq(str, (char *)exec_on(&mon_x, "x a_function"), "x: refused: a_function is not a data object (type T)\n"));
	cr_assert(eq(str, (char *)exec_on(&mon_x, "x big"), "x: refused: big is 0x101 bytes, more than the 256 x prints\n"));
	cr_assert(eq(str, (char *)exec_on(&mon_x, "x empty"), "x: refused: empty has no size\n"));
	cr_assert(eq(str, (char *)exec_on(&mon_x, "x twice"), "x: twice names more than one symbol\n"));
	cr_assert(eq(str, (char *)exec_on(&mon_x, "x nothing"), "x: nothing: no such symbol\n"));
	cr_assert(eq(str, (char *)exec_on(&mon_x, "x"), "usage: x NAME (a data object)\n"));
}

Test(monitor, x_without_a_table_says_so, .init = setup_x, .fini = teardown_x)
{
	struct monitor m = mon_x;
	char line[] = "x object";

	m.table = NULL;
	out[0] = '\0';
	monitor_exec(&m, line);
	cr_assert(eq(str, out, "no usable symbol table\n"));
}
