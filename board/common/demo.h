/* SPDX-License-Identifier: MIT */
/*
 * The boot options of the demo kernel, the same on every board: `make run
 * FAULT=...` has QEMU's generic loader (-device loader,addr=...,data=N,
 * data-len=4) store N at the board's PLAT_BOOT_OPTION_ADDR before boot,
 * little-endian on every board; kernel_main reads it with mmio_read32().
 * board/board.mk reads the numbers from here; 0 (nothing stored) or an
 * unknown value means dabort.  Usable from C and assembly.
 */
#ifndef DEMO_H
#define DEMO_H

#define DEMO_FAULT_DABORT	1	/* load from an address nothing answers at */
#define DEMO_FAULT_UNDEF	2	/* an undefined instruction */
#define DEMO_FAULT_BRK		3	/* a breakpoint: reported, then resumed */
#define DEMO_FAULT_NONE		4
#define DEMO_FAULT_NESTED	5	/* dabort, then another inside the handler */
#define DEMO_FAULT_SHELL	6	/* no fault: the console monitor (monitor.h) */
#define DEMO_FAULT_PANIC	7	/* the Rust demo (virt-rust): a panic; elsewhere dabort */

#endif /* DEMO_H */
