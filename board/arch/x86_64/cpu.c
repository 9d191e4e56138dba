/* SPDX-License-Identifier: MIT */
/*
 * The x86_64 kernel's own CPU state, set up once in the higher half
 * (boot.S calls x86_64_cpu_init before kernel_main): a GDT (64-bit ring 0
 * code, data, and the TSS), the TSS, whose Interrupt Stack Table entry
 * X86_64_DF_IST gives #DF a stack of its own (so a stack overflow still
 * prints its report instead of a triple fault), and an IDT for the 32
 * exceptions.  The page tables are boot.S's.
 */
#include <stddef.h>
#include <stdint.h>

#include "exception.h"

#define SEL_CODE	0x08
#define SEL_DATA	0x10
#define SEL_TSS		0x18

#define GATE_INTERRUPT	0x8e	/* present, ring 0, 64-bit interrupt gate */
#define DF_STACK_SIZE	8192

struct __attribute__((packed)) tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3, iomap;
};
_Static_assert(sizeof(struct tss64) == 104, "the hardware TSS is 104 bytes");

struct gate {
	uint16_t offset_lo, selector;
	uint8_t ist, type;
	uint16_t offset_mid;
	uint32_t offset_hi, reserved;
};
_Static_assert(sizeof(struct gate) == 16, "an IDT gate is 16 bytes");

struct __attribute__((packed)) table_ptr {
	uint16_t limit;
	uint64_t base;
};

static struct tss64 tss;
static uint64_t gdt[5];	/* null, code, data, the TSS (two entries) */
static struct gate idt[X86_EXCEPTIONS];
static char df_stack[DF_STACK_SIZE] __attribute__((aligned(16)));

void x86_64_cpu_init(void);

void x86_64_cpu_init(void)
{
	struct table_ptr gdtr = { sizeof(gdt) - 1, (uint64_t)(uintptr_t)gdt };
	struct table_ptr idtr = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };
	uint64_t base = (uintptr_t)&tss, limit = sizeof(tss) - 1;

	tss.ist[X86_64_DF_IST - 1] = (uintptr_t)(df_stack + sizeof(df_stack));
	tss.iomap = sizeof(tss);	/* no I/O bitmap */

	gdt[1] = 0x00af9a000000ffff;	/* code: present, ring 0, long mode */
	gdt[2] = 0x00cf92000000ffff;	/* data: present, ring 0, writable */
	/* An available 64-bit TSS (type 9), present: 16 bytes, base in both. */
	gdt[3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
		 (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[4] = base >> 32;

	for (unsigned int v = 0; v < X86_EXCEPTIONS; v++) {
		uint64_t stub = (uintptr_t)(x86_vectors + v * X86_VECTOR_STUB_SIZE);

		idt[v] = (struct gate){ (uint16_t)stub, SEL_CODE, 0, GATE_INTERRUPT, (uint16_t)(stub >> 16),
					(uint32_t)(stub >> 32), 0 };
	}
	idt[X86_VECTOR_DF].ist = X86_64_DF_IST;

	/* CS again through a far return: 64-bit mode has no far jump to an immediate. */
	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\tmov %2, %%ds\n\t"
			 "mov %2, %%es\n\t"
			 "mov %2, %%ss\n\t"
			 "ltr %w3\n\t"
			 "lidt %4"
			 : : "m"(gdtr), "i"(SEL_CODE), "r"(SEL_DATA), "r"(SEL_TSS), "m"(idtr) : "rax", "memory");
}
