/* SPDX-License-Identifier: MIT */
/* The console monitor: see monitor.h. */
#include "monitor.h"
#include "report.h"
#include "str.h"

#define LINE_MAX	128
#define NAME_MATCHES	16	/* addr NAME prints at most this many */
#define WORDS_PER_LINE	4	/* x NAME: 4-byte words on a line */

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* The next space-separated word of *p, NUL-terminated in place; "" at the end. */
static char *next_word(char **p)
{
	char *w = *p, *e;

	while (is_space(*w))
		w++;
	for (e = w; *e && !is_space(*e); e++)
		;
	*p = *e ? e + 1 : e;
	*e = '\0';
	return w;
}

/* Hex with or without 0x, as addr2line reads it; 0 if it is not one. */
static int parse_hex(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (!*s)
		return 0;
	for (; *s; s++) {
		unsigned int d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned int)(*s - '0');
		else if ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'f')
			d = (unsigned int)((*s | 0x20) - 'a' + 10);
		else
			return 0;
		if (v >> 60)
			return 0; /* more than 64 bits */
		v = v << 4 | d;
	}
	*out = v;
	return 1;
}

static int no_table(const struct monitor *m)
{
	if (!m->table)
		m->puts("no usable symbol table\n");
	return !m->table;
}

static void cmd_sym(const struct monitor *m, const char *arg)
{
	uint64_t addr;
	char buf[96];

	if (!parse_hex(arg, &addr) || report_hex_digits(addr) > m->addr_digits) {
		m->puts("usage: sym ADDR (hex, an address of this machine)\n");
		return;
	}
	if (no_table(m))
		return;
	m->puthex(addr, m->addr_digits);
	if (ksym_describe(m->table, addr, 0, buf, sizeof(buf)) != KSYM_OK) {
		m->puts(" ??\n");
		return;
	}
	m->puts(" <");
	m->puts(buf);
	m->puts(">\n");
}

static void cmd_addr(const struct monitor *m, const char *name)
{
	struct ksym_symbol s[NAME_MATCHES];
	size_t n, i;

	if (!*name) {
		m->puts("usage: addr NAME\n");
		return;
	}
	if (no_table(m))
		return;
	n = ksym_lookup_name(m->table, name, s, NAME_MATCHES);
	if (!n) {
		m->puts(name);
		m->puts(" ??\n");
	}
	for (i = 0; i < n && i < NAME_MATCHES; i++) {
		m->puts(name);
		m->puts(" ");
		m->puthex(s[i].start, m->addr_digits);
		m->puts(" size ");
		m->puthex(s[i].size, report_hex_digits(s[i].size));
		m->puts("\n");
	}
	if (n > NAME_MATCHES)
		m->puts("... and more\n");
}

/* nm's letters for data objects: initialised, zeroed, read-only, small, weak. */
static int is_data_type(char type)
{
	for (const char *p = "DdBbRrGgSsVv"; *p; p++)
		if (*p == type)
			return 1;
	return 0;
}

/*
 * Up to 4 bytes at p as one hex word in the machine's byte order, as a load
 * of that size would read it; read byte by byte, so no access is unaligned.
 */
static void put_word(const struct monitor *m, const volatile unsigned char *p, unsigned int n)
{
	uint32_t v = 0;

	for (unsigned int i = 0; i < n; i++)
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		v = v << 8 | p[i];
#else
		v |= (uint32_t)p[i] << (8 * i);
#endif
	m->puthex(v, 2 * n);
}

/*
 * x NAME: the one data object of that name, its address, size and type,
 * then its bytes as words, WORDS_PER_LINE a line after the line's address.
 * Bounded by the symbol's size (a last word of fewer bytes has fewer
 * digits) and refused over MONITOR_X_MAX bytes, for anything that is not a
 * data object, and for a name with several symbols.
 */
static void cmd_x(const struct monitor *m, const char *name)
{
	struct ksym_symbol s;
	const volatile unsigned char *p;
	char type[2] = { 0, 0 };
	size_t n;

	if (!*name) {
		m->puts("usage: x NAME (a data object)\n");
		return;
	}
	if (no_table(m))
		return;
	n = ksym_lookup_name(m->table, name, &s, 1);
	if (n != 1) {
		m->puts("x: ");
		m->puts(name);
		m->puts(n ? " names more than one symbol\n" : ": no such symbol\n");
		return;
	}
	type[0] = s.type;
	if (!is_data_type(s.type) || !s.size || s.size > MONITOR_X_MAX) {
		m->puts("x: refused: ");
		m->puts(name);
		if (!is_data_type(s.type)) {
			m->puts(" is not a data object (type ");
			m->puts(type);
			m->puts(")\n");
		} else if (!s.size) {
			m->puts(" has no size\n");
		} else {
			m->puts(" is ");
			m->puthex(s.size, report_hex_digits(s.size));
			m->puts(" bytes, more than the 256 x prints\n");
		}
		return;
	}
	m->puts(name);
	m->puts(" ");
	m->puthex(s.start, m->addr_digits);
	m->puts(" size ");
	m->puthex(s.size, report_hex_digits(s.size));
	m->puts(" (");
	m->puts(type);
	m->puts(")\n");
	p = (const volatile unsigned char *)(uintptr_t)s.start;
	for (uint64_t off = 0; off < s.size; off += 4) {
		unsigned int len = s.size - off < 4 ? (unsigned int)(s.size - off) : 4;

		if (off % (4 * WORDS_PER_LINE) == 0) {
			m->puts(off ? "\n" : "");
			m->puthex(s.start + off, m->addr_digits);
			m->puts(":");
		}
		m->puts(" ");
		put_word(m, p + off, len);
	}
	m->puts("\n");
}

static void list_calls(const struct monitor *m)
{
	for (unsigned int i = 0; i < m->ncalls; i++) {
		m->puts(i ? ", " : "");
		m->puts(m->calls[i].name);
	}
}

/*
 * The name goes through the table, as a debugger's would: the function
 * called is the one the table names, and only if it is on the allow-list.
 */
static void cmd_call(const struct monitor *m, const char *name)
{
	struct ksym_symbol s;
	size_t n;

	if (!*name) {
		m->puts("usage: call NAME\n");
		return;
	}
	if (no_table(m))
		return;
	n = ksym_lookup_name(m->table, name, &s, 1);
	if (n != 1) {
		m->puts("call: ");
		m->puts(name);
		m->puts(n ? " names more than one symbol\n" : ": no such symbol\n");
		return;
	}
	for (unsigned int i = 0; i < m->ncalls; i++)
		if (m->calls[i].addr == s.start && str_eq(m->calls[i].name, name)) {
			m->calls[i].fn();
			return;
		}
	m->puts("call: refused: ");
	m->puts(name);
	m->puts(" is not on the allow-list (");
	list_calls(m);
	m->puts(")\n");
}

static const char help_text[] =
	"commands:\n"
	"  sym ADDR     the symbol containing ADDR (hex)\n"
	"  addr NAME    every address of NAME\n"
	"  x NAME       the contents of the data object NAME\n"
	"  bt           a backtrace from here\n"
	"  call NAME    call a function on the allow-list\n"
	"  fault KIND   raise a fault: dabort, undef, brk, nested\n"
	"  help         this text\n"
	"  off          power off\n";

void monitor_exec(const struct monitor *m, char *line)
{
	char *p = line;
	const char *cmd = next_word(&p);
	const char *arg = next_word(&p);

	if (!*cmd)
		return;
	if (str_eq(cmd, "sym"))
		cmd_sym(m, arg);
	else if (str_eq(cmd, "addr"))
		cmd_addr(m, arg);
	else if (str_eq(cmd, "x"))
		cmd_x(m, arg);
	else if (str_eq(cmd, "bt"))
		m->backtrace();
	else if (str_eq(cmd, "call"))
		cmd_call(m, arg);
	else if (str_eq(cmd, "fault")) {
		if (!m->fault(arg))
			m->puts("usage: fault dabort|undef|brk|nested\n");
	} else if (str_eq(cmd, "help"))
		m->puts(help_text);
	else if (str_eq(cmd, "off"))
		m->off();
	else {
		m->puts("unknown command: ");
		m->puts(cmd);
		m->puts(" (help lists them)\n");
	}
}

void monitor_run(const struct monitor *m, int (*getc)(void), int first)
{
	char line[LINE_MAX];
	unsigned int n = 0;
	int after_cr = 0, too_long = 0;

	m->puts("ksym> ");
	for (;;) {
		int c = first >= 0 ? first : getc();
		char echo[2] = { 0, 0 };

		first = -1;
		if (c < 0)
			continue;
		if (c == '\n' && after_cr) {
			after_cr = 0; /* the \n of a \r\n: the line is done */
			continue;
		}
		after_cr = c == '\r';
		if (c == '\r' || c == '\n') {
			m->puts("\n");
			line[n] = '\0';
			if (too_long) /* what was cut could be anything: run none of it */
				m->puts("line too long (at most 127 characters): not run\n");
			else
				monitor_exec(m, line);
			n = 0;
			too_long = 0;
			m->puts("ksym> ");
		} else if (c == 0x7f || c == '\b') {
			if (n) {
				n--;
				m->puts("\b \b");
			}
		} else if (c >= ' ' && c < 0x7f && n < LINE_MAX - 1) {
			line[n++] = (char)c;
			echo[0] = (char)c;
			m->puts(echo);
		} else if (c >= ' ' && c < 0x7f) {
			too_long = 1;
		}
	}
}
