# i386: a multiboot entry, the IDT's exception stubs, the CPU set-up (GDT,
# IDT, TSSs, paging) in board/arch/i386, and the x86 exception report,
# shared with x86_64, in board/arch/x86.
#
# The host's GCC and binutils build it (-m32; GNU ld needs -m elf_i386,
# see the board's LDFLAGS): freestanding, no libc, so no gcc-multilib.
# -mgeneral-regs-only: no x87/MMX/SSE register anywhere, as in a kernel
# that does not save them.  -march=i686: a PC since the Pentium Pro.
# -mno-omit-leaf-frame-pointer: clang then keeps a frame in leaf functions
# too; GCC 12 still drops it where a leaf does not touch the stack, which
# the report's backtrace allows for (board/arch/x86/exception.c).
i386_CROSS  :=
i386_CLANG  := i686-unknown-none-elf
i386_SRCS   := board/arch/i386/boot.S board/arch/i386/vectors.S board/arch/i386/cpu.c \
	board/arch/x86/exception.c
i386_CFLAGS := -m32 -march=i686 -mgeneral-regs-only -mno-omit-leaf-frame-pointer -Iboard/arch/x86
i386_QEMU   := qemu-system-i386
i386_FAULTS := dabort undef brk none nested
# The report's line for the faulting address, and how far before a return
# address its call instruction starts (tests look frames up there): a call
# is 2 to 7 bytes, and - 1 lands inside each.
i386_PC_LINE := EIP
i386_CALL_SIZE := 1
# What the report says of each fault kind (board/common/demo.h): a load
# from an unmapped address, ud2 and int3.
i386_CAUSE_dabort := \#PF Page fault (vector 14, error code 0x0: not present, read, supervisor, data)
i386_CAUSE_undef  := \#UD Invalid opcode (vector 6)
i386_CAUSE_brk    := \#BP Breakpoint (vector 3)
