# Cortex-M firmware: the vector table, the reset handler and the exception
# report (board/arch/cortex-m), for every M profile; each board gives its
# core with -mcpu= (and its clang target, NAME_CLANG).
#
# -mthumb -mfloat-abi=soft: Thumb is all an M core runs, and no FP
# register anywhere, under GCC and clang alike (on an M4F/M7 a hard-float
# build copies through d-registers, which faults in a handler that runs
# before the FPU is on).  -funwind-tables (after the generic
# -fno-unwind-tables, so it wins): the backtrace walks the EHABI tables,
# as on arm32 (board/arch/arm-common/unwind.c).  -fomit-frame-pointer
# (after the generic -fno-omit-frame-pointer): nothing here walks r7, and
# with it GCC's unwind entries restore SP from r7 (`vsp = r7`), which is
# wrong at a fault the scheduler placed between the push and the `add r7,
# sp` of a prologue; without it a prologue is one push, and firmware keeps
# r7 and the flash the frame setup costs.
cortex-m_CROSS  := arm-none-eabi-
cortex-m_CLANG  := thumbv7m-none-eabi
cortex-m_SRCS   := board/arch/cortex-m/vectors.S board/arch/cortex-m/exception.c \
	board/arch/cortex-m/sysreset.c board/arch/arm-common/unwind.c
cortex-m_CFLAGS := -mthumb -mfloat-abi=soft -funwind-tables -fomit-frame-pointer -Iboard/arch/arm-common
cortex-m_QEMU   := qemu-system-arm
cortex-m_FAULTS := dabort undef brk none nested
# The report's line for the faulting address, and how far before a return
# address its call instruction starts (a Thumb call is 4 or 2 bytes).
cortex-m_PC_LINE := PC
cortex-m_CALL_SIZE := 2
# What the report says of each fault kind (board/common/demo.h), on the
# Mainline profiles, from CFSR: a load from nothing is a precise BusFault,
# udf a UsageFault; bkpt is a HardFault (HFSR.DEBUGEVT on hardware, FORCED
# under QEMU 7.2), which the report tells by the instruction at PC.
cortex-m_CAUSE_dabort := precise data bus error
cortex-m_CAUSE_undef  := undefined instruction
cortex-m_CAUSE_brk    := (bkpt, a breakpoint)
