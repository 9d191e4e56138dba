# ARMv7-A in Thumb-2: boot, the vectors and the exception report
# (board/arch/arm32).
#
# -mfloat-abi=soft with a plain -march=armv7-a: no FP/SIMD register
# anywhere, under GCC and clang alike (clang ignores -mgeneral-regs-only on
# 32-bit ARM).  -mno-unaligned-access: with the MMU off all memory is
# Strongly-ordered, where an unaligned access faults.  -funwind-tables \
	-Iboard/arch/arm-common
# (after the generic -fno-unwind-tables, so it wins): the backtrace walks
# the EHABI tables .ARM.exidx/.ARM.extab, the only unwind information
# GCC and clang agree on in Thumb-2 (see exception.c).
arm32_CROSS  := arm-linux-gnueabihf-
arm32_CLANG  := armv7a-none-eabi
arm32_SRCS   := board/arch/arm32/boot.S board/arch/arm32/vectors.S board/arch/arm32/exception.c \
	board/arch/arm-common/unwind.c
arm32_CFLAGS := -mthumb -march=armv7-a -mfloat-abi=soft -mno-unaligned-access -funwind-tables \
	-Iboard/arch/arm-common
arm32_QEMU   := qemu-system-arm
arm32_FAULTS := dabort undef brk none nested
# The report's line for the faulting address, and how far before a return
# address its call instruction starts: a Thumb-2 call (bl, blx) is 4 or 2
# bytes, and - 2 lands inside either.
arm32_PC_LINE := PC
arm32_CALL_SIZE := 2
# What the report says of each fault kind (board/common/demo.h).
# A load from nothing is a synchronous external abort (DFSR), BKPT a
# Prefetch Abort whose IFSR says debug event.
arm32_CAUSE_dabort := synchronous external abort, read
arm32_CAUSE_undef  := Undefined Instruction
arm32_CAUSE_brk    := (debug event)
