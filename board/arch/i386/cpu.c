/* SPDX-License-Identifier: MIT */
/*
 * The i386 kernel's own CPU state, set up once at boot (boot.S calls
 * i386_cpu_init before kernel_main): a flat GDT (ring 0 code and data, the
 * kernel's TSS and the double-fault TSS), an IDT for the 32 exceptions,
 * and paging, so that an address outside the kernel's map faults.
 *
 * Paging: one page directory of 4 MiB pages (CR4.PSE) identity-maps the
 * first PLAT_IDENTITY_MAP_SIZE bytes, where the kernel, its stack and the
 * boot-option word live; every other address has no entry and raises #PF.
 *
 * The double fault: an interrupt gate cannot change stacks in ring 0, so
 * #DF is a task gate.  The CPU saves the faulting state in the kernel's
 * TSS (the one the task register names) and loads the double-fault TSS,
 * with its own stack; i386_double_fault() reports from the saved state.
 */
#include <stddef.h>
#include <stdint.h>

#include "exception.h"
#include "plat.h"
#include "platform_def.h"

#define SEL_CODE	0x08
#define SEL_DATA	0x10
#define SEL_TSS		0x18
#define SEL_DF_TSS	0x20

#define GATE_INTERRUPT	0x8e	/* present, ring 0, 32-bit interrupt gate */
#define GATE_TASK	0x85	/* present, ring 0, task gate */

#define PDE_PRESENT	(1u << 0)
#define PDE_WRITE	(1u << 1)
#define PDE_4M		(1u << 7)
#define CR0_PG		(1u << 31)
#define CR0_WP		(1u << 16)
#define CR4_PSE		(1u << 4)

#define DF_STACK_SIZE	4096

struct tss32 {
	uint16_t link, pad0;
	uint32_t esp0;
	uint16_t ss0, pad1;
	uint32_t esp1;
	uint16_t ss1, pad2;
	uint32_t esp2;
	uint16_t ss2, pad3;
	uint32_t cr3, eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint16_t es, pad4, cs, pad5, ss, pad6, ds, pad7, fs, pad8, gs, pad9, ldt, pad10;
	uint16_t trap, iomap;
};
_Static_assert(sizeof(struct tss32) == 104, "the hardware TSS is 104 bytes");

struct gate {
	uint16_t offset_lo, selector;
	uint8_t zero, type;
	uint16_t offset_hi;
};
_Static_assert(sizeof(struct gate) == 8, "an IDT gate is 8 bytes");

struct __attribute__((packed)) table_ptr {
	uint16_t limit;
	uint32_t base;
};

static struct tss32 kernel_tss, df_tss;
static uint64_t gdt[5];
static struct gate idt[X86_EXCEPTIONS];
static uint32_t page_directory[1024] __attribute__((aligned(4096)));
static char df_stack[DF_STACK_SIZE] __attribute__((aligned(16)));

extern const char i386_double_fault_task[];
void i386_cpu_init(void);
void i386_double_fault(void);

/* A segment descriptor: base, limit (in 4 KiB units when gran), access byte. */
static uint64_t descriptor(uint32_t base, uint32_t limit, uint8_t access, int gran)
{
	uint64_t flags = gran ? 0xc : 0x0;	/* 4 KiB granularity, 32-bit */

	return (limit & 0xffff) | ((uint64_t)(base & 0xffffff) << 16) | ((uint64_t)access << 40) |
	       ((uint64_t)((limit >> 16) & 0xf) << 48) | (flags << 52) | ((uint64_t)(base >> 24) << 56);
}

void i386_cpu_init(void)
{
	struct table_ptr gdtr = { sizeof(gdt) - 1, (uint32_t)(uintptr_t)gdt };
	struct table_ptr idtr = { sizeof(idt) - 1, (uint32_t)(uintptr_t)idt };
	uint32_t cr;

	for (uint32_t i = 0; i < PLAT_IDENTITY_MAP_SIZE >> 22; i++)
		page_directory[i] = (i << 22) | PDE_4M | PDE_WRITE | PDE_PRESENT;
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr));
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr | CR4_PSE));
	__asm__ volatile("mov %0, %%cr3" : : "r"(page_directory) : "memory");
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr));
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr | CR0_PG | CR0_WP) : "memory");

	df_tss.eip = (uint32_t)(uintptr_t)i386_double_fault_task;
	df_tss.esp = (uint32_t)(uintptr_t)(df_stack + sizeof(df_stack));
	df_tss.cr3 = (uint32_t)(uintptr_t)page_directory;
	df_tss.eflags = 0x2;	/* reserved bit 1; interrupts off */
	df_tss.cs = SEL_CODE;
	df_tss.ss = df_tss.ds = df_tss.es = df_tss.fs = df_tss.gs = SEL_DATA;
	kernel_tss.iomap = df_tss.iomap = sizeof(struct tss32);	/* no I/O bitmap */

	gdt[1] = descriptor(0, 0xfffff, 0x9a, 1);	/* code: present, ring 0, readable */
	gdt[2] = descriptor(0, 0xfffff, 0x92, 1);	/* data: present, ring 0, writable */
	gdt[3] = descriptor((uint32_t)(uintptr_t)&kernel_tss, sizeof(kernel_tss) - 1, 0x89, 0);
	gdt[4] = descriptor((uint32_t)(uintptr_t)&df_tss, sizeof(df_tss) - 1, 0x89, 0);

	for (unsigned int v = 0; v < X86_EXCEPTIONS; v++) {
		uint32_t stub = (uint32_t)(uintptr_t)(x86_vectors + v * X86_VECTOR_STUB_SIZE);

		idt[v] = (struct gate){ (uint16_t)stub, SEL_CODE, 0, GATE_INTERRUPT, (uint16_t)(stub >> 16) };
	}
	idt[X86_VECTOR_DF] = (struct gate){ 0, SEL_DF_TSS, 0, GATE_TASK, 0 };

	__asm__ volatile("lgdt %0\n\t"
			 "ljmp %1, $1f\n"
			 "1:\tmov %2, %%ds\n\t"
			 "mov %2, %%es\n\t"
			 "mov %2, %%fs\n\t"
			 "mov %2, %%gs\n\t"
			 "mov %2, %%ss\n\t"
			 "ltr %w3\n\t"
			 "lidt %4"
			 : : "m"(gdtr), "i"(SEL_CODE), "r"(SEL_DATA), "r"(SEL_TSS), "m"(idtr) : "memory");
}

/* The double-fault task's C side: the report from the state the CPU saved. */
void i386_double_fault(void)
{
	struct exception_frame f = {
		.ss = kernel_tss.ss, .di = kernel_tss.edi, .si = kernel_tss.esi,
		.bp = kernel_tss.ebp, .sp = kernel_tss.esp, .bx = kernel_tss.ebx,
		.dx = kernel_tss.edx, .cx = kernel_tss.ecx, .ax = kernel_tss.eax,
		.vector = X86_VECTOR_DF, .error = 0, .ip = kernel_tss.eip,
		.cs = kernel_tss.cs, .flags = kernel_tss.eflags,
	};

	plat_puts("\n(double fault: on the double-fault task's stack)");
	x86_handle_exception(&f);
}
