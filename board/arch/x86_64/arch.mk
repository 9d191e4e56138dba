# x86_64: a multiboot entry in 32-bit mode that builds its page tables and
# switches to long mode, the IDT's exception stubs, the CPU set-up (GDT,
# TSS with an interrupt stack for #DF, IDT) in board/arch/x86_64, and the
# x86 exception report, shared with i386, in board/arch/x86.
#
# The host's GCC and binutils build it.  -mcmodel=kernel: the kernel runs
# in the top 2 GiB (0xffffffff80000000 up), where sign-extended 32-bit
# addresses reach it.  -mno-red-zone: an exception pushes onto the
# interrupted function's stack, so nothing may live below RSP.
# -mgeneral-regs-only: no x87/MMX/SSE register anywhere.
# -mno-omit-leaf-frame-pointer: as on i386 (arch.mk there).
x86_64_CROSS  :=
x86_64_CLANG  := x86_64-unknown-none-elf
x86_64_SRCS   := board/arch/x86_64/boot.S board/arch/x86_64/vectors.S board/arch/x86_64/cpu.c \
	board/arch/x86/exception.c
x86_64_CFLAGS := -m64 -mcmodel=kernel -mno-red-zone -mgeneral-regs-only -mno-omit-leaf-frame-pointer \
	-Iboard/arch/x86
x86_64_QEMU   := qemu-system-x86_64
x86_64_FAULTS := dabort undef brk none nested
# The report's line for the faulting address, and how far before a return
# address its call instruction starts (tests look frames up there).
x86_64_PC_LINE := RIP
x86_64_CALL_SIZE := 1
# What the report says of each fault kind (board/common/demo.h).
x86_64_CAUSE_dabort := \#PF Page fault (vector 14, error code 0x0: not present, read, supervisor, data)
x86_64_CAUSE_undef  := \#UD Invalid opcode (vector 6)
x86_64_CAUSE_brk    := \#BP Breakpoint (vector 3)
