/* SPDX-License-Identifier: MIT */
/*
 * Entry point of a higher-half multiboot (v1) kernel.  QEMU's -kernel
 * refuses an ELF64 multiboot kernel ("Cannot load x86-64 image, give a
 * 32bit one", hw/i386/multiboot.c), so this board boots the raw image
 * (objcopy -O binary of the patched ELF, which lays the sections out by
 * their load addresses from 1 MiB) and the header carries the addresses
 * (flag bit 16): the image is loaded at load_addr, the header's own
 * address names where in the file loading starts (the header is the
 * image's first bytes), everything up to bss_end_addr past the file is
 * zeroed, and the loader enters entry_addr, _start, in 32-bit protected
 * mode, paging off, with flat segments of its own GDT.
 *
 * _start runs at its load address (.text.boot, VMA = LMA): it builds page
 * tables that map the first PLAT_IDENTITY_MAP_SIZE bytes twice, at 0 (the
 * devices, the boot-option word, this code) and at KERNEL_VIRT_OFFSET (the
 * kernel proper, linker_scripts/pc-x86_64.ld), in 2 MiB pages; turns on
 * PAE, long mode (EFER.LME) and paging; loads a 64-bit GDT and jumps to
 * 64-bit code, which jumps to x86_64_start_kernel in the higher half: the
 * stack and .bss there, x86_64_cpu_init (the kernel's own GDT, TSS and
 * IDT), then kernel_main with RBP = 0 so backtraces end there.
 */
#include "asm_macros.h"
#include "platform_def.h"

#define MULTIBOOT_MAGIC		0x1badb002
#define MULTIBOOT_FLAGS		(1 << 16)	/* the header has the addresses */

#define PTE_PRESENT		(1 << 0)
#define PTE_WRITE		(1 << 1)
#define PTE_2M			(1 << 7)
#define CR0_PE			(1 << 0)
#define CR0_WP			(1 << 16)
#define CR0_PG			(1 << 31)
#define CR4_PAE			(1 << 5)
#define MSR_EFER		0xc0000080
#define EFER_LME		(1 << 8)

#define SEL_CODE64		0x08
#define SEL_DATA		0x10

/* The boot page tables (.bss.boot, below): four 4 KiB pages. */
#define PML4			(x86_64_boot_tables)
#define PDPT_LOW		(x86_64_boot_tables + 0x1000)
#define PDPT_HIGH		(x86_64_boot_tables + 0x2000)
#define PD			(x86_64_boot_tables + 0x3000)
#define PD_ENTRIES		(PLAT_IDENTITY_MAP_SIZE >> 21)
/* 0xffffffff80000000: PML4 entry 511, PDPT entry 510. */
#define HIGH_PML4_INDEX		511
#define HIGH_PDPT_INDEX		510

	.section .multiboot, "a"
	.balign	4
	.long	MULTIBOOT_MAGIC
	.long	MULTIBOOT_FLAGS
	.long	-(MULTIBOOT_MAGIC + MULTIBOOT_FLAGS)
	.long	__boot_start		/* header_addr: the header opens the image */
	.long	__boot_start		/* load_addr */
	.long	0			/* load_end_addr: all of the file */
	.long	__boot_bss_end		/* bss_end_addr: the physical end of it all */
	.long	_start			/* entry_addr */

	.section .text.boot, "ax"
	.code32

FUNCTION(_start)
	cli
	cld
	movl	$PML4, %edi
	movl	$(4 * 0x1000 / 4), %ecx
	xorl	%eax, %eax
	rep stosl

	movl	$PD, %edi
	movl	$(PTE_2M | PTE_WRITE | PTE_PRESENT), %eax
	movl	$PD_ENTRIES, %ecx
1:	movl	%eax, (%edi)
	addl	$0x200000, %eax
	addl	$8, %edi
	loop	1b
	movl	$(PD + PTE_WRITE + PTE_PRESENT), PDPT_LOW
	movl	$(PD + PTE_WRITE + PTE_PRESENT), PDPT_HIGH + HIGH_PDPT_INDEX * 8
	movl	$(PDPT_LOW + PTE_WRITE + PTE_PRESENT), PML4
	movl	$(PDPT_HIGH + PTE_WRITE + PTE_PRESENT), PML4 + HIGH_PML4_INDEX * 8

	movl	$PML4, %eax
	movl	%eax, %cr3
	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_LME, %eax
	wrmsr
	movl	%cr0, %eax
	orl	$(CR0_PG | CR0_WP | CR0_PE), %eax
	movl	%eax, %cr0

	lgdt	.Lboot_gdt_ptr
	ljmp	$SEL_CODE64, $2f

	.code64
2:	movl	$SEL_DATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movabsq	$x86_64_start_kernel, %rax
	jmp	*%rax
END_FUNCTION(_start)

	.balign	8
.Lboot_gdt:
	.quad	0
	.quad	0x00af9a000000ffff	/* SEL_CODE64: present, ring 0, long mode */
	.quad	0x00cf92000000ffff	/* SEL_DATA: present, ring 0, writable */
.Lboot_gdt_end:
.Lboot_gdt_ptr:
	.word	.Lboot_gdt_end - .Lboot_gdt - 1
	.long	.Lboot_gdt

	.section .bss.boot, "aw", @nobits
	.balign	4096
	.type	x86_64_boot_tables, @object
x86_64_boot_tables:
	.skip	4 * 0x1000
	.size	x86_64_boot_tables, . - x86_64_boot_tables

	.text
FUNCTION(x86_64_start_kernel)
	movq	$__stack_top, %rsp
	movq	$__bss_start, %rdi
	movq	$__bss_end, %rcx
	subq	%rdi, %rcx
	shrq	$3, %rcx
	xorl	%eax, %eax
	rep stosq
	call	x86_64_cpu_init
	xorl	%ebp, %ebp
	call	kernel_main
	call	plat_system_off
1:	hlt
	jmp	1b
END_FUNCTION(x86_64_start_kernel)

	.section .note.GNU-stack, "", %progbits
