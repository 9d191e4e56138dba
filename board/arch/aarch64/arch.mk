# AArch64: boot, the EL1 vectors and the exception report (board/arch/aarch64).
#
# -mstrict-align: with the MMU off all data accesses are Device memory,
# where an unaligned access faults.  -mgeneral-regs-only: no FP/SIMD
# register anywhere, as in a kernel that does not save them.
aarch64_CROSS  := aarch64-linux-gnu-
aarch64_CLANG  := aarch64-none-elf
aarch64_SRCS   := board/arch/aarch64/boot.S board/arch/aarch64/early.S board/arch/aarch64/vectors.S \
	board/arch/aarch64/exception.c
aarch64_CFLAGS := -mgeneral-regs-only -mstrict-align -mno-omit-leaf-frame-pointer
aarch64_QEMU   := qemu-system-aarch64
aarch64_FAULTS := dabort undef brk none nested
# The report's line for the faulting address, and how far before a return
# address its call instruction starts (tests look frames up there).
aarch64_PC_LINE := ELR_EL1
aarch64_CALL_SIZE := 4
# What the report says of each fault kind (board/common/demo.h).
aarch64_CAUSE_dabort := Data Abort, same EL
aarch64_CAUSE_undef  := Unknown reason
aarch64_CAUSE_brk    := BRK instruction
