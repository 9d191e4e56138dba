/* SPDX-License-Identifier: MIT */
/*
 * A small monitor on the console that puts the symbol table to work:
 *
 *   sym ADDR     the symbol containing ADDR, as name+0xoff/0xsize
 *   addr NAME    every address of NAME (overloads, same-named statics)
 *   x NAME       a data object's address, size and contents, as hex words
 *                in the machine's byte order, at most MONITOR_X_MAX bytes
 *   bt           a backtrace from the monitor itself
 *   call NAME    call a function that takes no argument, by name, if it is
 *                on the kernel's allow-list; anything else is refused
 *   fault KIND   raise one of the demo's faults
 *   help, off
 *
 * Strategy: monitor_exec() is the whole logic, one line in, text out
 * through m->puts, with no console or machine access of its own: the
 * kernel hands it the table, the allow-list and hooks, and the host tests
 * drive it with a table built in memory.  monitor_run() is the console
 * loop around it.
 */
#ifndef MONITOR_H
#define MONITOR_H

#include <ksym/ksym.h>

/* The largest object x prints, in bytes. */
#define MONITOR_X_MAX	256	/* monitor.c's refusal says so */

struct monitor_call {
	const char *name;  /* as the table has it */
	void (*fn)(void);
	uintptr_t addr;    /* where the table must say fn starts */
};

struct monitor {
	const struct ksym_table *table; /* NULL: no usable table */
	const struct monitor_call *calls; /* the allow-list */
	unsigned int ncalls;
	unsigned int addr_digits;       /* hex digits of an address */
	void (*puts)(const char *s);
	void (*puthex)(uint64_t v, unsigned int digits);
	void (*backtrace)(void);        /* bt */
	int (*fault)(const char *kind); /* fault KIND: 0 if there is no such kind */
	void (*off)(void);              /* off */
};

/* Run one command line (modified in place).  Unknown commands get a hint. */
void monitor_exec(const struct monitor *m, char *line);

/*
 * The console loop: prompt, read a line with getc (-1: nothing yet),
 * echo it, run it; until `off`.  first: a byte already read, or -1.
 */
void monitor_run(const struct monitor *m, int (*getc)(void), int first);

#endif /* MONITOR_H */
